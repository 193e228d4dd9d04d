//! Reading architecture decision records in the common formats: Nygard / adr-tools
//! (`## Status` section), MADR 2 (`* Status:` bullets), MADR 3/4 (YAML front matter,
//! `## Context and Problem Statement`, `## Considered Options`, `## Decision Outcome`,
//! `### Consequences`) and log4brains (`- Status:` bullets). Pure: text in, facts out.

/// What an ADR says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adr {
    pub status: Option<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The canonical name (see [`canonical`]), lower case.
    pub name: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Whether the section holds more than template placeholders.
    pub filled: bool,
}

/// The canonical name of a section heading, so that synonyms match: "Context and
/// Problem Statement" is "context", "Decision Outcome" is "decision", "Considered
/// Options" is "alternatives".
pub fn canonical(heading: &str) -> String {
    let h = heading.trim().trim_end_matches(':').to_lowercase();
    let h = h.split("<!--").next().unwrap_or("").trim().to_string();
    match h.as_str() {
        "context and problem statement" | "problem statement" | "context" => "context",
        "decision outcome" | "decision" => "decision",
        "considered options"
        | "options considered"
        | "alternatives considered"
        | "alternatives"
        | "options" => "alternatives",
        "consequences" | "positive consequences" | "negative consequences" => "consequences",
        other => return other.to_string(),
    }
    .to_string()
}

/// Template text from adr-tools and MADR that says nothing about a real decision.
const TEMPLATE_SENTENCES: &[&str] = &[
    "the issue motivating this decision, and any context that influences or constrains the decision.",
    "the change that we're proposing or have agreed to implement.",
    "what becomes easier or more difficult to do and any risks introduced by the change that will need to be mitigated.",
];

/// Whether a line is a template placeholder: `[describe ...]`, `{...}`, TBD, TODO, `...`.
fn is_placeholder(line: &str) -> bool {
    let l = line.trim().trim_start_matches(['*', '-', '>']).trim();
    let lower = l.to_lowercase();
    l.is_empty()
        || (l.starts_with('[') && l.ends_with(']'))
        || (l.starts_with('{') && l.ends_with('}'))
        || matches!(lower.as_str(), "tbd" | "todo" | "..." | "…" | "n/a" | "tbc")
        || TEMPLATE_SENTENCES.contains(&lower.as_str())
}

/// Removes `<!-- ... -->` comments, which templates use for guidance.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// A YAML front matter block at the top: its text and the number of lines it spans.
fn front_matter(text: &str) -> Option<(&str, usize)> {
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

fn status_in_front_matter(yaml: &str) -> Option<String> {
    // Read from pull requests like records: an alias bomb must not be built.
    crate::model::yaml::vet(yaml).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    let map = value.as_mapping()?;
    map.iter().find_map(|(k, v)| {
        let key = k.as_str()?;
        key.eq_ignore_ascii_case("status")
            .then(|| v.as_str().map(str::to_string))
            .flatten()
    })
}

/// `* Status: accepted` / `- Status: accepted` (MADR 2, log4brains).
fn status_in_bullet(line: &str) -> Option<String> {
    let l = line.trim().strip_prefix(['*', '-'])?.trim();
    let (key, value) = l.split_once(':')?;
    let key = key.trim().trim_matches('*').trim();
    key.eq_ignore_ascii_case("status")
        .then(|| value.trim().trim_matches('*').trim().to_string())
}

pub fn parse(text: &str) -> Adr {
    let (mut status, skip) = match front_matter(text) {
        Some((yaml, lines)) => (status_in_front_matter(yaml), lines),
        None => (None, 0),
    };
    let mut sections: Vec<(Section, Vec<&str>)> = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in text.lines().enumerate().skip(skip) {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            if let Some((_, body)) = sections.last_mut() {
                body.push(line);
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            if let Some((_, body)) = sections.last_mut() {
                body.push(line);
            }
            continue;
        }
        if status.is_none() {
            status = status_in_bullet(line);
        }
        let level = trimmed.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&level) && trimmed[level..].starts_with(' ') {
            let name = canonical(&trimmed[level..]);
            sections.push((
                Section {
                    name,
                    line: n + 1,
                    filled: false,
                },
                Vec::new(),
            ));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        }
    }
    let sections = sections
        .into_iter()
        .map(|(mut section, body)| {
            let text = strip_comments(&body.join("\n"));
            section.filled = text.lines().any(|l| !is_placeholder(l));
            if section.name == "status" && status.is_none() {
                status = text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_string);
            }
            section
        })
        .collect();
    Adr { status, sections }
}

impl Adr {
    /// Required sections (by canonical name) that are absent or hold only placeholders.
    pub fn missing<'a>(&self, required: &'a [String]) -> Vec<&'a str> {
        required
            .iter()
            .filter(|r| {
                let want = canonical(r);
                !self.sections.iter().any(|s| s.name == want && s.filled)
            })
            .map(String::as_str)
            .collect()
    }

    /// Whether the status is one of `accepted` (case-insensitive, first word).
    pub fn is_accepted(&self, accepted: &[String]) -> bool {
        let Some(status) = &self.status else {
            return false;
        };
        let word = status
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric());
        accepted.iter().any(|a| a.eq_ignore_ascii_case(word))
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
        let all = vec!["Status", "Context", "Decision", "Consequences", "Alternatives"];
        let required: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        for format in ["nygard", "madr2", "madr3", "log4brains"] {
            for pattern in ["subsections", "headings", "status", "reflinks", "bom"] {
                let file = format!("{format}-{pattern}-complete.md");
                let adr = parse(&fixture(&file));
                assert_eq!(adr.missing(&required), Vec::<&str>::new(), "{file}: {adr:?}");
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
