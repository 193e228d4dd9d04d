//! P001 approvals-insufficient.

use super::{is_past_approval, Register, Report, Rule};
use crate::model::{Class, Status};
use crate::policy::{approval, Severity};

pub const RULE: Rule = Rule {
    code: "P001",
    name: "approvals-insufficient",
    severity: Severity::Error,
    summary: "a role required by class or risk has not approved, yet the record is past approval",
    doc: "The record's status says it was approved, but a role that the class's `approvals` \
or the risk level's `[approvals.by_risk]` requires has no current approval. Usually the \
status was edited by hand, or the risk went up after approval. Emergency changes may run \
ahead of approval; for them this fires once they are closed (until then, L002 watches the \
deadline). An approval does not count when `[approvals] comment = \"required\"` and it \
gives no rationale (seed 002 Gate 3), or, under `distinct_approvers`, when its approver \
already fills another required role (seed 001 §4.3: two reviewers are two people).",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        let applies = match r.class {
            Class::Emergency => r.status == Status::Closed,
            _ => is_past_approval(r.status),
        };
        if !applies {
            continue;
        }
        let state = approval::state(r, reg.policy);
        if !state.is_complete() {
            let why: String = state
                .discounted
                .iter()
                .map(|(a, why)| {
                    format!("; {}'s approval as {} does not count: {why}", a.by, a.role)
                })
                .collect();
            report.on(
                stored,
                format!(
                    "{} but not approved by {}{why}",
                    r.status,
                    state.missing.join(", ")
                ),
            );
        }
    }
}
