//! A commit message as git will record it — comment lines, leading blank lines and
//! everything below the scissors line of `git commit -v` left out, decoded from the
//! encoding git writes messages in — and
//! the changes it names.

use crate::error::Failure;
use crate::model::reference::{self, References};
use anyhow::Result;
use regex::Regex;
use std::path::Path;

#[derive(Debug)]
pub struct Message {
    pub text: String,
    pub refs: References,
}

impl Message {
    /// Reads the file git hands the commit-msg hook. `comment` starts a comment line;
    /// `encoding` is `i18n.commitEncoding`, if set.
    pub fn read(
        path: &Path,
        comment: &str,
        encoding: Option<&str>,
        pattern: &Regex,
    ) -> Result<Message> {
        let bytes = std::fs::read(path).map_err(|e| {
            Failure::input(format!(
                "cannot read the commit message {}: {e}",
                path.display()
            ))
            .hint("git runs `chg hook run commit-msg <file>` with the file holding the message")
        })?;
        Ok(Message::parse(&bytes, comment, encoding, pattern))
    }

    pub fn parse(bytes: &[u8], comment: &str, encoding: Option<&str>, pattern: &Regex) -> Message {
        let raw = crate::git::decode_message(bytes, encoding);
        let scissors = format!("{comment} ------------------------ >8 ------------------------");
        // The comments git writes list the staged files, record files among them: an
        // ID there is not a reference.
        let text: String = raw
            .lines()
            .take_while(|line| *line != scissors)
            .filter(|line| !line.starts_with(comment))
            // git drops them: a subject `Change: ...` after them stays a subject.
            .skip_while(|line| line.trim().is_empty())
            .flat_map(|line| [line, "\n"])
            .collect();
        let refs = reference::parse(&text, pattern);
        Message { text, refs }
    }

    /// The first line that says something, as git shows a subject.
    pub fn subject(&self) -> &str {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8], comment: &str) -> Message {
        let pattern = Regex::new(&reference::pattern("CHG", 4, None)).unwrap();
        Message::parse(text, comment, None, &pattern)
    }

    #[test]
    fn comments_and_the_diff_below_the_scissors_name_nothing() {
        let m = parse(
            b"\nAdd the column\n\nChange: CHG-2026-0001\n# new file: .changes/CHG-2026-0002.yaml\n# ------------------------ >8 ------------------------\n+CHG-2026-0003\n",
            "#",
        );
        let ids: Vec<String> = m.refs.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["CHG-2026-0001"]);
        assert_eq!(m.subject(), "Add the column");
    }

    #[test]
    fn another_comment_prefix_and_latin1_bytes_are_read() {
        let m = parse(
            b"caf\xe9 CHG-2026-0004\n; CHG-2026-0005\n# CHG-2026-0006\n",
            ";",
        );
        let ids: Vec<String> = m.refs.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["CHG-2026-0004", "CHG-2026-0006"]);
        assert!(m.subject().starts_with("caf\u{fffd}"));
        let pattern = Regex::new(&reference::pattern("CHG", 4, None)).unwrap();
        let m = Message::parse(
            b"caf\xe9 CHG-2026-0004\n",
            "#",
            Some("ISO-8859-1"),
            &pattern,
        );
        assert_eq!(m.subject(), "caf\u{e9} CHG-2026-0004");
    }
}
