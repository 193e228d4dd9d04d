//! R006 risk-level-mismatch.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R006",
    name: "risk-level-mismatch",
    severity: Severity::Error,
    summary: "the declared risk level differs from the derived one without a justification",
    doc: "The policy derives a risk level from the assessment (likelihood × impact, or the \
factor score). A record may declare another level — a reviewer may know better — but then \
`risk.justification` must say why, so nobody lowers a level quietly to avoid approvers.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        if let Some((declared, derived)) = reg.policy.risk.unjustified(&stored.record.risk) {
            report.on(stored, format!("risk.level says {declared} but the policy derives {derived}, and no justification is given"));
        }
    }
}
