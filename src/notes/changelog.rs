//! A CHANGELOG.md in the keep-a-changelog layout: a preamble, then one `## ` section
//! per release, newest first. A release's section replaces the one with its heading,
//! so that writing the notes of a release twice leaves one section.

use crate::error::Failure;
use crate::store::write_atomic;
use std::path::Path;

/// What a new changelog starts with.
pub const PREAMBLE: &str = "# Changelog\n\n\
All notable changes to this project are documented in this file.\n\n\
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\n";

/// Writes `section` into the changelog `file` (relative to the work tree `root`),
/// creating it if missing, in one rename. The file is the repository's, and may be a
/// link laid there to copy a secret of this machine into the changelog or to write
/// over a file elsewhere: it must lie in the work tree with no link on the way.
pub fn prepend(root: &Path, file: &Path, section: &str) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::input(format!("{}: {e}", file.display()));
    let path = (file.to_str())
        .ok_or_else(|| std::io::Error::other("the path is not UTF-8"))
        .and_then(|rel| crate::untrusted::inside(root, rel))
        .map_err(|e| {
            failed(e).hint("give --prepend a file of the repository, relative to its root")
        })?;
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed(e)),
    };
    write_atomic(&path, with_section(existing.as_deref(), section).as_bytes()).map_err(failed)
}

/// `existing` (a new changelog when `None`) with `section`, whose first line is its
/// `## ` heading, in place: instead of the section of the same heading, else after
/// the preamble, above the first section.
pub fn with_section(existing: Option<&str>, section: &str) -> String {
    let text = existing.unwrap_or(PREAMBLE);
    let heading = section.lines().next().unwrap_or_default().trim_end();
    let starts = section_starts(text);
    let same = starts
        .iter()
        .position(|&at| text[at..].lines().next().unwrap_or_default().trim_end() == heading);
    let (start, end) = match same {
        Some(i) => (starts[i], starts.get(i + 1).copied().unwrap_or(text.len())),
        None => {
            let at = starts.first().copied().unwrap_or(text.len());
            (at, at)
        }
    };
    let before = &text[..start];
    let gap = if before.is_empty() || before.ends_with("\n\n") {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let after = &text[end..];
    let sep = if after.is_empty() { "" } else { "\n" };
    format!("{before}{gap}{}\n{sep}{after}", section.trim_end())
}

/// Where each line that opens a `## ` section starts.
fn section_starts(text: &str) -> Vec<usize> {
    let mut at = 0;
    let mut starts = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            starts.push(at);
        }
        at += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_changelog_has_the_preamble_then_the_section() {
        let text = with_section(None, "## [v1] - 2026-01-01\n\n- x\n");
        assert_eq!(text, format!("{PREAMBLE}## [v1] - 2026-01-01\n\n- x\n"));
        assert_eq!(
            with_section(Some(&text), "## [v1] - 2026-01-01\n\n- x\n"),
            text
        );
    }

    #[test]
    fn a_section_goes_above_older_ones_and_replaces_its_own() {
        let old = "# Log\n\nintro\n## [v1] - 2026-01-01\n\n- old\n";
        let added = with_section(Some(old), "## [v2] - 2026-02-01\n\n- new\n");
        assert_eq!(
            added,
            "# Log\n\nintro\n\n## [v2] - 2026-02-01\n\n- new\n\n## [v1] - 2026-01-01\n\n- old\n"
        );
        let replaced = with_section(Some(&added), "## [v1] - 2026-01-01\n\n- mended\n");
        assert!(replaced.ends_with("- new\n\n## [v1] - 2026-01-01\n\n- mended\n"));
        assert!(!replaced.contains("- old"));
    }
}
