//! Headings and the sections they open: which section a heading names, and the text
//! a section spans.

/// The sections chg knows, each with the key words that name it, tried in this order:
/// a heading naming a section when one of its words begins with a key word. "Decision
/// Drivers" is Context (the forces of the problem), so Context is tried before
/// Decision; "Pros and Cons of the Options" is Alternatives. Decision logs that write
/// an issue, the positions taken on it and their implications (a common
/// summary-and-details layout) name Context, Alternatives and Consequences so.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    ("status", &["status"]),
    ("alternatives", &["option", "alternative", "position"]),
    ("consequences", &["consequence", "implication"]),
    (
        "context",
        &[
            "context",
            "problem",
            "driver",
            "background",
            "issue",
            "motivation",
        ],
    ),
    ("decision", &["decision"]),
];

/// The canonical name of a section heading (or of a section a policy requires), lower
/// case: a known section's name (see [`SYNONYMS`]), else the heading's own words.
pub fn canonical(heading: &str) -> String {
    let h = heading.split("<!--").next().unwrap_or("");
    let h = h
        .trim()
        .trim_end_matches('#')
        .trim()
        .trim_end_matches(':')
        .to_lowercase();
    let words: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).collect();
    SYNONYMS
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| words.iter().any(|w| w.starts_with(k))))
        .map_or(h.clone(), |(name, _)| name.to_string())
}

fn is_known(name: &str) -> bool {
    SYNONYMS.iter().any(|(known, _)| *known == name)
}

/// A heading and the lines under it up to the next heading.
pub struct Heading<'a> {
    pub level: usize,
    pub name: String,
    /// 1-based.
    pub line: usize,
    pub body: Vec<&'a str>,
}

/// The level and text of an ATX heading line (`## Context`, or an empty `####`).
pub fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let level = trimmed.bytes().take_while(|b| *b == b'#').count();
    let rest = &trimmed[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some((level, rest))
}

/// The text a section spans: its own lines and those of its sub-sections, except a
/// sub-section that is another known section (MADR's `### Consequences` under
/// `## Decision Outcome` is Consequences, not part of the decision).
pub fn span(headings: &[Heading], i: usize) -> String {
    let own = &headings[i];
    let mut lines = own.body.clone();
    let mut skip_below: Option<usize> = None;
    for sub in headings[i + 1..].iter().take_while(|h| h.level > own.level) {
        if skip_below.is_some_and(|level| sub.level > level) {
            continue;
        }
        skip_below = None;
        if is_known(&sub.name) && sub.name != own.name {
            skip_below = Some(sub.level);
            continue;
        }
        lines.extend(&sub.body);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_by_their_key_words() {
        for (heading, name) in [
            ("Considered Alternatives", "alternatives"),
            ("CI Platform Considered Options", "alternatives"),
            ("Implementation Options", "alternatives"),
            (
                "Pros and Cons of the Options <!-- optional -->",
                "alternatives",
            ),
            ("Context and Problem Statement", "context"),
            ("Decision Drivers", "context"),
            ("Decision Outcome", "decision"),
            ("Implications", "consequences"),
            ("Issue", "context"),
            ("Background", "context"),
            ("Positions", "alternatives"),
            ("1. **Context**", "context"),
            ("Positive Consequences", "consequences"),
            ("Status:", "status"),
            ("Rollout plan", "rollout plan"),
        ] {
            assert_eq!(canonical(heading), name, "{heading}");
        }
    }

    #[test]
    fn the_rule_documents_every_key_word() {
        let doc = crate::rules::find("A003").unwrap().doc;
        for (name, keys) in SYNONYMS {
            for key in *keys {
                assert!(doc.contains(key), "A003's doc lacks {key} ({name})");
            }
        }
    }
}
