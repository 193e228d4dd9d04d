//! Reading architecture decision records as people write them, in the common formats:
//! Nygard / adr-tools (`## Status` section), MADR 2 (`* Status:` bullets), MADR 3/4
//! (YAML front matter, `## Context and Problem Statement`, `## Considered Options`,
//! `## Decision Outcome`, `### Consequences`) and log4brains (`- Status:` bullets).
//! Pure: text in, facts out; [`locate`] finds the file a record names.

pub mod locate;
mod placeholder;
pub mod sections;
mod status;

use sections::{canonical, Heading};
use std::collections::HashSet;

/// What an ADR says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adr {
    pub status: Option<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The canonical name (see [`sections::canonical`]), lower case.
    pub name: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Whether the section, with its sub-sections, holds more than template text.
    pub filled: bool,
}

/// Statuses of an ADR still being decided: a change may rest on one until it is
/// approved.
const PENDING: &[&str] = &["proposed", "draft", "pending"];

pub fn parse(text: &str) -> Adr {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, skip) = match status::front_matter(text) {
        Some((yaml, lines)) => (status::in_front_matter(yaml), lines),
        None => (None, 0),
    };
    let mut headings: Vec<Heading> = Vec::new();
    // Status lines outside code, with their line, to weigh against a Status section.
    let mut stated: Vec<(usize, String)> = Vec::new();
    let mut references = HashSet::new();
    let mut fence: Option<&str> = None;
    for (n, line) in text.lines().enumerate().skip(skip) {
        let trimmed = line.trim_start();
        let in_code = fence.is_some();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        }
        let heading = (!in_code && fence.is_none())
            .then(|| sections::heading(line))
            .flatten();
        match heading {
            Some((level, title)) => headings.push(Heading {
                level,
                name: canonical(title),
                line: n + 1,
                body: Vec::new(),
            }),
            None => {
                if !in_code && fence.is_none() {
                    stated.extend(status::in_line(line).map(|s| (n + 1, s)));
                    references.extend(placeholder::definition(line));
                }
                if let Some(h) = headings.last_mut() {
                    h.body.push(line);
                }
            }
        }
    }
    // The document's first heading, at level 1, is its title, not a section.
    let title = usize::from(headings.first().is_some_and(|h| h.level == 1));
    let sections = (title..headings.len())
        .map(|i| {
            let h = &headings[i];
            let text = sections::span(&headings, i);
            if h.name == "status" {
                stated.extend(status::in_section(&text).map(|s| (h.line, s)));
            }
            Section {
                name: h.name.clone(),
                line: h.line,
                filled: placeholder::is_filled(&text, &references),
            }
        })
        .collect();
    stated.sort_by_key(|(line, _)| *line);
    let status = front.or_else(|| stated.into_iter().next().map(|(_, s)| s));
    Adr { status, sections }
}

impl Adr {
    /// Required sections that are absent or hold only template text. A required
    /// Status is met by a status given any way the formats give one.
    pub fn missing<'a>(&self, required: &'a [String]) -> Vec<&'a str> {
        required
            .iter()
            .filter(|r| {
                let want = canonical(r);
                let stated = want == "status" && self.status.is_some();
                !stated && !self.sections.iter().any(|s| s.name == want && s.filled)
            })
            .map(String::as_str)
            .collect()
    }

    /// The status's first word, lower case: "superseded" for "Superseded by ADR 7".
    fn status_word(&self) -> Option<String> {
        let status = self.status.as_deref()?;
        let word = status
            .split_whitespace()
            .next()?
            .trim_matches(|c: char| !c.is_alphanumeric());
        Some(word.to_lowercase())
    }

    /// Whether the status is one of `accepted` (case-insensitive, first word).
    pub fn is_accepted(&self, accepted: &[String]) -> bool {
        self.status_word()
            .is_some_and(|w| accepted.iter().any(|a| a.eq_ignore_ascii_case(&w)))
    }

    /// Whether the status says the decision is still being made (see [`PENDING`]).
    pub fn is_pending(&self) -> bool {
        self.status_word()
            .is_some_and(|w| PENDING.contains(&w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required() -> Vec<String> {
        ["Context", "Decision", "Consequences", "Alternatives"]
            .map(String::from)
            .to_vec()
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/fixtures/adr/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn each_format_complete_has_every_section_and_its_status() {
        for (file, status) in [
            ("nygard-complete.md", "Accepted"),
            ("madr2-complete.md", "accepted"),
            ("madr3-complete.md", "accepted"),
            ("log4brains-complete.md", "accepted"),
        ] {
            let adr = parse(&fixture(file));
            assert_eq!(
                adr.missing(&required()),
                Vec::<&str>::new(),
                "{file}: {adr:?}"
            );
            assert_eq!(adr.status.as_deref(), Some(status), "{file}");
            assert!(adr.is_accepted(&["accepted".into()]), "{file}");
        }
    }

    #[test]
    fn each_format_incomplete_names_what_is_missing() {
        for (file, missing) in [
            ("nygard-incomplete.md", vec!["Consequences", "Alternatives"]),
            ("madr2-incomplete.md", vec!["Consequences"]),
            ("madr3-incomplete.md", vec!["Context", "Alternatives"]),
            ("log4brains-incomplete.md", vec!["Decision"]),
        ] {
            assert_eq!(
                parse(&fixture(file)).missing(&required()),
                missing,
                "{file}"
            );
        }
    }

    /// Every pattern of every format, written out complete and as the template left
    /// unfilled: (file, sections a policy requiring all five would find lacking).
    #[test]
    fn each_format_and_pattern_is_judged_right() {
        let all = vec![
            "Status",
            "Context",
            "Decision",
            "Consequences",
            "Alternatives",
        ];
        let required: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        for format in ["nygard", "madr2", "madr3", "log4brains"] {
            for pattern in ["subsections", "headings", "status", "reflinks", "bom"] {
                let file = format!("{format}-{pattern}-complete.md");
                let adr = parse(&fixture(&file));
                assert_eq!(
                    adr.missing(&required),
                    Vec::<&str>::new(),
                    "{file}: {adr:?}"
                );
                assert!(adr.is_accepted(&["accepted".into()]), "{file}: {adr:?}");

                let file = format!("{format}-{pattern}-template.md");
                let adr = parse(&fixture(&file));
                let expected = match file.as_str() {
                    // Context and Options written, the outcome left as the template.
                    "madr3-headings-template.md" => vec!["Decision", "Consequences"],
                    _ => all.clone(),
                };
                assert_eq!(adr.missing(&required), expected, "{file}: {adr:?}");
            }
        }
    }

    #[test]
    fn headings_inside_code_fences_do_not_count() {
        let adr = parse("# T\n\n## Context\n\nReal.\n\n```md\n## Decision\nfake\n```\n");
        assert_eq!(adr.missing(&["Decision".into()]), ["Decision"]);
    }

    #[test]
    fn front_matter_that_is_not_plain_data_gives_no_status() {
        let adr = parse("---\nstatus: &s accepted\nalso: *s\n---\n# T\n");
        assert_eq!(adr.status, None);
        let adr = parse("---\nstatus: accepted\n---\n# T\n");
        assert_eq!(adr.status.as_deref(), Some("accepted"));
    }

    #[test]
    fn a_status_section_is_read_when_there_is_no_front_matter() {
        let adr = parse("# 1. Use X\n\n## Status\n\nSuperseded by [2. Use Y](0002-use-y.md)\n");
        assert_eq!(
            adr.status.as_deref(),
            Some("Superseded by [2. Use Y](0002-use-y.md)")
        );
        assert!(!adr.is_accepted(&["accepted".into()]));
    }
}
