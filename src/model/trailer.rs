//! The trailers of a commit message, found as git finds them (`git interpret-trailers
//! --parse`, `git log --format=%(trailers)`): a line such as `change: the format ...`
//! in a subject, in prose or in an indented sample is no trailer, so it names nothing.
//!
//! Git's rule: the trailer block is the message's last paragraph, never its first
//! (the subject's). Each of its lines is a `Token: value` line (letters, digits and
//! `-`, then perhaps blanks, then the colon) or a continuation beginning with
//! whitespace; or, more loosely, a quarter of its lines are trailers and one is a
//! trailer git writes itself (`Signed-off-by: `, `(cherry picked from commit `).
//! Trailing comment lines, blank lines, an old `Conflicts:` list and all below the
//! scissors line of `git commit -v` are not part of the message. The comment prefix is
//! git's default, `#`: a commit hook strips the configured one before asking.

use std::borrow::Cow;

/// One `Token: value` line of the trailer block, its continuation lines joined on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer<'a> {
    pub token: &'a str,
    pub value: Cow<'a, str>,
}

const COMMENT: &str = "#";
const SCISSORS: &str = "\n# ------------------------ >8 ------------------------\n";
/// Lines git writes itself: one of them lets a paragraph of mixed prose and trailers
/// be a trailer block.
const GIT_GENERATED: [&str; 2] = ["Signed-off-by: ", "(cherry picked from commit "];

/// Git's whitespace, which is ASCII only.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_space_char(c: char) -> bool {
    c.is_ascii() && is_space(c as u8)
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space_char)
}

/// Whether the line starting at `s` holds only whitespace.
fn is_blank(s: &str) -> bool {
    s.bytes().take_while(|&b| b != b'\n').all(is_space)
}

/// Where the line after the one starting at `at` starts.
fn next_line(message: &str, at: usize) -> usize {
    message[at..]
        .find('\n')
        .map_or(message.len(), |n| at + n + 1)
}

/// Where the colon of a `Token: value` line is; `None` for any other line.
fn separator(line: &str) -> Option<usize> {
    let mut blank_seen = false;
    for (at, b) in line.bytes().enumerate() {
        match b {
            b':' if at > 0 => return Some(at),
            b'-' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' if !blank_seen => {}
            b' ' | b'\t' if at > 0 => blank_seen = true,
            _ => return None,
        }
    }
    None
}

/// Where the message proper ends: before the scissors line, and before the comment
/// lines, blank lines and `Conflicts:` list that end it.
fn end_of_message(message: &str) -> usize {
    let cutoff = if message.starts_with(&SCISSORS[1..]) {
        0
    } else {
        // Searched for with a finder made once: making one is most of the cost of
        // searching a short message for a line this long.
        static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(SCISSORS));
        (FINDER.find(message.as_bytes())).map_or(message.len(), |at| at + 1)
    };
    // As git does, an ignorable run is remembered by where it starts, 0 meaning none.
    let (mut ignorable_from, mut conflicts) = (0, false);
    let mut at = 0;
    while at < cutoff {
        let line = &message[at..cutoff];
        if line.starts_with(COMMENT) || line.starts_with('\n') {
            if ignorable_from == 0 {
                ignorable_from = at;
            }
        } else if message[at..].starts_with("Conflicts:\n") {
            conflicts = true;
            if ignorable_from == 0 {
                ignorable_from = at;
            }
        } else if !(conflicts && line.starts_with('\t')) {
            ignorable_from = 0;
            conflicts = false;
        }
        at = next_line(message, at);
    }
    if ignorable_from == 0 {
        cutoff
    } else {
        ignorable_from
    }
}

/// Where the trailer block of `message[..end]` starts; `end` when it has none.
fn start_of_block(message: &str, end: usize) -> usize {
    let text = &message[..end];
    // The first paragraph is the subject's, and holds no trailers.
    let mut end_of_title = 0;
    while end_of_title < end {
        let line = &text[end_of_title..];
        if !line.starts_with(COMMENT) && is_blank(line) {
            break;
        }
        end_of_title = next_line(text, end_of_title);
    }
    let starts = std::iter::once(0).chain(
        text.match_indices('\n')
            .map(|(at, _)| at + 1)
            .filter(|&at| at < end),
    );
    let starts: Vec<usize> = starts.filter(|&at| at >= end_of_title).collect();
    let (mut only_blank, mut git_generated) = (true, false);
    let (mut trailers, mut others, mut continuations) = (0, 0, 0);
    for &at in starts.iter().rev() {
        let line = &text[at..];
        if line.starts_with(COMMENT) {
            others += continuations;
            continuations = 0;
            continue;
        }
        if is_blank(line) {
            if only_blank {
                continue;
            }
            others += continuations;
            let loose = git_generated && trailers * 3 >= others;
            return if loose || (trailers > 0 && others == 0) {
                next_line(text, at)
            } else {
                end
            };
        } else if GIT_GENERATED.iter().any(|p| line.starts_with(p)) {
            trailers += 1;
            continuations = 0;
            git_generated = true;
        } else if separator(line).is_some() && !is_space(line.as_bytes()[0]) {
            trailers += 1;
            continuations = 0;
        } else if is_space(line.as_bytes()[0]) {
            continuations += 1;
        } else {
            others += 1 + continuations;
            continuations = 0;
        }
        only_blank = false;
    }
    end
}

/// The trailers of `message`, in order, as `git interpret-trailers --parse` lists
/// them (with `--no-divider`: in a commit, a `---` line is part of the message).
pub fn trailers(message: &str) -> Vec<Trailer<'_>> {
    // Every trailer has its colon: most messages have none, and are read no further.
    if memchr::memchr(b':', message.as_bytes()).is_none() {
        return Vec::new();
    }
    let end = end_of_message(message);
    let block = &message[start_of_block(message, end)..end];
    // Each line with its continuation lines, then those that are trailers.
    let mut items: Vec<(usize, usize, bool)> = Vec::new();
    let mut at = 0;
    while at < block.len() {
        let next = next_line(block, at);
        let line = &block[at..next];
        match items.last_mut() {
            Some((_, end, true)) if is_space(line.as_bytes()[0]) => *end = next,
            _ => items.push((at, next, separator(line).is_some())),
        }
        at = next;
    }
    items
        .into_iter()
        .filter(|&(_, _, is_trailer)| is_trailer)
        .map(|(from, to, _)| &block[from..to])
        .filter(|item| !item.starts_with(COMMENT))
        .filter_map(|item| {
            let colon = separator(item)?;
            Some(Trailer {
                token: trim(&item[..colon]),
                value: unfold(trim(&item[colon + 1..])),
            })
        })
        .collect()
}

/// A value with its continuation lines, each line break and the indent after it
/// made one space.
fn unfold(value: &str) -> Cow<'_, str> {
    if !value.contains('\n') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(nl) = rest.find('\n') {
        out.push_str(&rest[..nl]);
        out.push(' ');
        rest = rest[nl + 1..].trim_start_matches(is_space_char);
    }
    out.push_str(rest);
    Cow::Owned(trim(&out).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    /// Messages where a reader of lines starting `Change:` and git part ways.
    const TRICKY: &[&str] = &[
        "",
        "Change: bump the default timeout",
        "Change: bump the default timeout\n",
        "\nChange: CHG-2026-0001\n",
        "Fix the parser\n\nThe old code would\nchange: the on-disk format already encodes it\nand more prose.\n",
        "Fix the parser\n\nFor example:\n\n    change: CHG-2026-0001\n    other: x\n",
        "Fix\n\nSome prose here.\nChange: CHG-2026-0001\n",
        "Fix\n\nSome prose here.\nChange: CHG-2026-0001\nSigned-off-by: Ada <ada@example.com>\n",
        // Two trailers of eight lines is a quarter; of nine lines, less.
        "Fix\n\n1\n2\n3\n4\n5\n6\nChange: CHG-2026-0001\n(cherry picked from commit 0123456789)\n",
        "Fix\n\n1\n2\n3\n4\n5\n6\n7\nChange: CHG-2026-0001\n(cherry picked from commit 0123456789)\n",
        "Fix\n\nBody.\n\nChange: CHG-2026-0001, CHG-2026-0002\nCo-authored-by: Lee <lee@example.com>\n\n\n",
        "Fix\r\n\r\nBody.\r\n\r\nChange: CHG-2026-0001\r\nCo-authored-by: Lee <lee@example.com>\r\n",
        "Fix\n\nChange: CHG-2026-0001\n# Please enter the commit message\n#\n",
        "Fix\n\n# a comment\nChange: CHG-2026-0001\n# another\nCo-authored-by: Lee <lee@example.com>\n",
        "# a comment\nFix\n\nChange: CHG-2026-0001\n",
        "Fix\n\nChange: CHG-2026-0001,\n  CHG-2026-0002\n\t\nToken : spaced\nChange:CHG-2026-0003\n",
        "Fix\n\nChange: CHG-2026-0001,\n  CHG-2026-0002\nCo-authored-by: Lee\n  <lee@example.com>\n   \n",
        "Fix\n\nkey word: not a trailer\n",
        "Fix\n\nChange: CHG-2026-0001\n# ------------------------ >8 ------------------------\nChange: CHG-2026-0009\n",
        "Merge branch 'x'\n\nChange: CHG-2026-0001\n\nConflicts:\n\tsrc/a.rs\n\tsrc/b.rs\n",
        "Fix\n\n---\nChange: CHG-2026-0001\n",
        "Fix\n\nhttps://example.com/x\n",
        "Fix\n\n\u{c4}nderung: CHG-2026-0001\n",
        "Fix\n\n: no token\n-: dash\n",
        "Fix\n\nChange:\n",
        // No colon anywhere: a paragraph git would take for trailers, holding none.
        "Fix\n\n(cherry picked from commit 0123456789)\n",
        "Fix\n\nSigned-off-by Ada\n(cherry picked from commit 0123456789)\n",
    ];

    /// What `git interpret-trailers --parse` lists, with no configuration to read.
    fn git_parse(message: &str) -> String {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new("git")
            .args(["interpret-trailers", "--parse", "--no-divider"])
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("git runs");
        let mut input = child.stdin.take().unwrap();
        input.write_all(message.as_bytes()).unwrap();
        drop(input);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "git interpret-trailers on {message:?}"
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn listed(message: &str) -> String {
        trailers(message)
            .iter()
            .map(|t| format!("{}: {}\n", t.token, t.value))
            .collect()
    }

    #[test]
    fn the_trailers_are_those_git_lists() {
        for message in TRICKY {
            assert_eq!(listed(message), git_parse(message), "on {message:?}");
        }
    }

    #[test]
    fn subjects_and_prose_hold_no_trailers_and_the_last_paragraph_does() {
        assert!(trailers("Change: bump the default timeout").is_empty());
        assert!(trailers(TRICKY[4]).is_empty());
        let t = trailers(TRICKY[16]);
        assert_eq!(t[0].value, "CHG-2026-0001, CHG-2026-0002");
        assert_eq!(t[1].token, "Co-authored-by");
        assert_eq!(t.len(), 2);
        // A line of blanks ends a paragraph: the trailers are those after it.
        let t = trailers(TRICKY[15]);
        assert_eq!(t[0].token, "Token");
        assert_eq!(t.len(), 2);
    }
}
