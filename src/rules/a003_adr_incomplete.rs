//! A003 adr-incomplete.

use super::{Register, Report, Rule};
use crate::adr;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A003",
    name: "adr-incomplete",
    severity: Severity::Error,
    summary: "a linked ADR lacks a required section",
    doc: "The policy's `[adr] sections` (default Context, Decision, Consequences, \
Alternatives) must each be present and hold more than template text. Names match with \
synonyms: \"Context and Problem Statement\" is Context, \"Decision Outcome\" is Decision, \
\"Considered Options\" is Alternatives. Headings inside code fences do not count.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for path in &stored.record.adrs {
            let Some(text) = reg.tree.read(path) else {
                continue;
            };
            let missing = adr::parse(&text).missing(&reg.policy.adr.sections);
            if !missing.is_empty() {
                report.at(
                    Some(stored.record.id.to_string()),
                    Some(path.clone()),
                    None,
                    format!(
                        "ADR {path} lacks {} (or holds only template text there)",
                        missing.join(", ")
                    ),
                );
            }
        }
    }
}
