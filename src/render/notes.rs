//! Release notes as a Markdown section in the keep-a-changelog layout.
//!
//! Titles, IDs and links come from records anyone may write: each is made one line
//! of plain text, with every character Markdown would read as layout (a heading, a
//! link, emphasis, HTML) escaped.

use super::text::escape;
use crate::notes::{Entry, Notes};

/// `## <heading>`, then a `### ` subsection per group with a line per change.
pub fn markdown(notes: &Notes) -> String {
    // The heading is chg's own `[<ref>] - <date>`: only a ref given on the command
    // line could hold a line break, and a tag's name may hold `<` (`<img/src=x/…>` is
    // one), which would open HTML. Its brackets stay, as keep-a-changelog writes them.
    let heading = escape(&notes.heading)
        .replace('\n', " ")
        .replace('<', "\\<");
    let mut out = format!("## {heading}\n");
    if notes.groups.is_empty() {
        out.push_str("\nNo changes.\n");
    }
    for group in &notes.groups {
        out.push_str(&format!("\n### {}\n\n", inline(&group.title)));
        for entry in &group.changes {
            out.push_str(&item(entry));
        }
    }
    out
}

/// `- **Emergency:** <title> (<ID>) — risk: high; approved by: …; links: …`
fn item(e: &Entry) -> String {
    let mut marks = String::new();
    if e.emergency {
        marks.push_str("**Emergency:** ");
    }
    if e.rolled_back {
        marks.push_str("**Rolled back:** ");
    }
    let risk = e.risk.map_or("unassessed".to_string(), |r| r.to_string());
    let mut details = vec![format!("risk: {risk}")];
    if !e.approvers.is_empty() {
        details.push(format!("approved by: {}", list(&e.approvers)));
    }
    if !e.links.is_empty() {
        details.push(format!("links: {}", list(&e.links)));
    }
    format!(
        "- {marks}{} ({}){} — {}\n",
        inline(&e.title),
        inline(&e.id.to_string()),
        references(e),
        details.join("; ")
    )
}

/// ` [jira: OPS-1](https://…)` for each reference, in plain text without a URL.
fn references(e: &Entry) -> String {
    (e.references.iter())
        .map(|r| {
            let text = format!("{}: {}", inline(&r.kind), inline(&r.id));
            match &r.url {
                Some(url) => format!(" [{text}]({})", destination(url)),
                None => format!(" {text}"),
            }
        })
        .collect()
}

/// A URL as a link destination: the reference in it is already percent-encoded, and
/// the policy's template may still hold brackets, which would end the link early.
fn destination(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| inline(i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as one line of literal Markdown: controls spelled out, line breaks made
/// spaces, and the characters that start or end Markdown constructs escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape(text).chars() {
        match c {
            '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Status};
    use crate::notes::Group;

    fn notes(title: &str, emergency: bool, rolled_back: bool) -> Notes {
        Notes {
            heading: "[v1.0] - 2026-11-21".into(),
            from: None,
            to: "v1.0".into(),
            groups: vec![Group {
                title: "Emergency".into(),
                changes: vec![Entry {
                    id: "CHG-2026-0001".parse().unwrap(),
                    title: title.into(),
                    class: Class::Emergency,
                    status: Status::RolledBack,
                    risk: None,
                    approvers: vec!["ian@example.com".into()],
                    links: vec!["https://ci.example.com/runs/1".into()],
                    references: vec![],
                    emergency,
                    rolled_back,
                }],
            }],
            unrecorded: vec![],
        }
    }

    #[test]
    fn emergency_and_rolled_back_changes_are_marked() {
        let text = markdown(&notes("Patch the gateway", true, true));
        assert!(
            text.contains("- **Emergency:** **Rolled back:** Patch the gateway (CHG-2026-0001) — risk: unassessed; approved by: ian@example.com; links: https://ci.example.com/runs/1\n"),
            "{text}"
        );
        let plain = markdown(&notes("Patch the gateway", false, false));
        assert!(!plain.contains("**"), "{plain}");
    }

    #[test]
    fn a_hostile_title_stays_one_line_of_text() {
        let text = markdown(&notes(
            "x\n## [v9] - owned\n<img src=x>[a](b)\u{1b}[2J",
            false,
            false,
        ));
        assert_eq!(text.matches("\n## ").count(), 0, "{text}");
        assert!(
            text.contains("x \\#\\# \\[v9\\] - owned \\<img src=x\\>\\[a\\](b)\\\\e\\[2J"),
            "{text}"
        );
    }

    #[test]
    fn a_tag_named_like_html_is_text_in_the_heading() {
        let mut hostile = notes("Patch", false, false);
        hostile.heading = "[<img/src=x/onerror=alert(1)>] - 2026-11-21".into();
        let text = markdown(&hostile);
        assert!(
            text.starts_with("## [\\<img/src=x/onerror=alert(1)>] - 2026-11-21\n"),
            "{text}"
        );
    }
}
