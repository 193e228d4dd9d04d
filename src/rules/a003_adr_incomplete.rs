//! A003 adr-incomplete.

use super::{Register, Report, Rule};
use crate::adr::{self, locate};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A003",
    name: "adr-incomplete",
    severity: Severity::Error,
    summary: "a linked ADR lacks a required section",
    doc: "The policy's `[adr] sections` (default Context, Decision, Consequences, \
Alternatives) must each be present and filled in.

A heading names a section when one of its words begins with a key word, tried in this \
order: Status (status); Alternatives (option, alternative, position: \"Considered \
Options\", \"Pros and Cons of the Options\", \"Implementation Options\", \"Positions\"); \
Consequences (consequence, implication); Context (context, problem, driver, background, \
issue, motivation: \"Context and Problem Statement\", \"Decision Drivers\", \
\"Background\", \"Issue\"); Decision (decision: \"Decision Outcome\"). Other \
headings match a required name word for word. The document's first heading, at level 1, \
is its title. Headings inside code fences do not count.

A section spans its sub-sections (`### Positive` under `## Consequences`, one `###` per \
option, a decision in `####` parts), except a sub-section that is itself another of the \
sections above (MADR's `### Consequences` under `## Decision Outcome`).

A section is filled when words remain once these are taken out: `<!-- -->` comments; \
`{...}` placeholders, nested or wrapped over lines; `[...]` that is not a link (an inline \
`[text](url)`, `[text][ref]`, or a `[label]` defined as `[label]: url`); link \
definitions; and the templates' own words: \"Chosen option\", \"because\", \"Good, \
because\", \"Bad, because\", \"Neutral, because\", \"Status\", \"Date\", \"Deciders\", \
\"Decision-makers\", \"Consulted\", \"Informed\", \"Technical Story\", TBD, TBC, TODO, \
n/a, and adr-tools' guidance sentences. Bullets and punctuation are not words, so an \
empty bullet or a section of empty sub-headings is empty.

A required Status is met by YAML front matter `status:`, a `Status:` line or bullet, or a \
`## Status` section, unless it holds only a placeholder such as `STATUS`.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for path in &stored.record.adrs {
            let Some((found, text)) = locate::load(reg.tree, &reg.policy.adr, path) else {
                continue;
            };
            let missing = adr::parse(&text).missing(&reg.policy.adr.sections);
            if !missing.is_empty() {
                report.at(
                    Some(stored.record.id.to_string()),
                    Some(found.clone()),
                    None,
                    format!(
                        "ADR {found} lacks {} (or holds only template text there)",
                        missing.join(", ")
                    ),
                );
            }
        }
    }
}
