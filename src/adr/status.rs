//! An ADR's status, in each way the formats give it: YAML front matter (`status:`,
//! MADR 3/4), a `Status:` line or bullet (`* Status: accepted`, MADR 2, log4brains;
//! `Status: Accepted`), or the first line of a `## Status` section (Nygard,
//! adr-tools). Front matter wins; otherwise the first in the document. A template's
//! placeholder (`STATUS`, `{proposed | accepted | …}`) is no status.

use super::placeholder;
use std::collections::HashSet;

/// A YAML front matter block at the top: its text and the number of lines it spans.
pub fn front_matter(text: &str) -> Option<(&str, usize)> {
    let body = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (n, line) in body.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            return Some((&body[..offset], n + 2));
        }
        offset += line.len();
    }
    None
}

pub fn in_front_matter(yaml: &str) -> Option<String> {
    // Read from pull requests as records are: an alias bomb must not be built.
    let map: serde_yaml::Mapping = crate::model::yaml::from_str(yaml).ok()?;
    let status = map.iter().find_map(|(k, v)| {
        let key = k.as_str()?;
        key.eq_ignore_ascii_case("status")
            .then(|| v.as_str().map(str::to_string))
            .flatten()
    })?;
    stated(&status)
}

/// `Status: accepted`, `* Status: accepted`, `- **Status:** accepted`.
pub fn in_line(line: &str) -> Option<String> {
    let l = line.trim();
    let l = l.strip_prefix(['*', '-', '+']).unwrap_or(l).trim();
    let (key, value) = l.split_once(':')?;
    key.trim_matches(|c: char| c == '*' || c.is_whitespace())
        .eq_ignore_ascii_case("status")
        .then(|| stated(value.trim_start_matches('*')))?
}

/// The first line of a `## Status` section's text.
pub fn in_section(body: &str) -> Option<String> {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    stated(first.trim_start_matches(['*', '-']))
}

/// `value` as a status, unless it is a placeholder.
fn stated(value: &str) -> Option<String> {
    let value = value.trim().trim_matches('*').trim();
    placeholder::is_filled(value, &HashSet::new()).then(|| value.to_string())
}
