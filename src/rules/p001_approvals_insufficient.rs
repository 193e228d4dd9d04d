//! P001 approvals-insufficient.

use super::{approvals_lacking, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P001",
    name: "approvals-insufficient",
    severity: Severity::Error,
    summary: "a role required by class or risk has not approved, yet the record is past approval",
    doc: "The record's status says it was approved, but a requirement of the class's \
`approvals` or the risk level's `[approvals.by_risk]` lacks current approvals: a role \
(`cab`), any one of several (`cto or ciso`), or a number of different people \
(`2 of cab`: the message says how many it has, e.g. `2 of cab: 1 of 2 (lee@example.com)`; \
one person counts once). The risk \
level is the higher of the declared and derived ones unless the risk authority accepted the \
lower (see P010), and a class above its `max_risk` owes approvals despite being \
pre-approved. Usually the \
status was edited by hand, or the risk went up after approval. Emergency changes may run \
ahead of approval; for them this fires once they are closed (until then, L002 watches the \
deadline). An approval does not count when `[approvals] comment = \"required\"` and it \
gives no rationale (the risk-matrix preset asks one of every approval), or, under `distinct_approvers`, when its approver \
already fills another required role (the risk-score preset: two reviewers are two people).",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for (stored, state) in approvals_lacking(reg) {
        let why: String = state
            .discounted
            .iter()
            .map(|(a, why)| format!("; {}'s approval as {} does not count: {why}", a.by, a.role))
            .collect();
        let held = state
            .unaccepted
            .map(|(declared, derived)| {
                format!(
                    " (owed at {derived} risk: the declared {declared} was not accepted, see P010)"
                )
            })
            .unwrap_or_default();
        report.on(
            stored,
            format!(
                "{} but not approved by {}{held}{why}",
                stored.record.status,
                state.missing().join(", ")
            ),
        );
    }
}
