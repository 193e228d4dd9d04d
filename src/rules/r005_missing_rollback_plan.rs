//! R005 missing-rollback-plan.

use super::{is_proposed, Register, Report, Rule};
use crate::policy::{requirement, Severity};

pub const RULE: Rule = Rule {
    code: "R005",
    name: "missing-rollback-plan",
    severity: Severity::Error,
    summary: "a change past draft that needs a rollback plan has none",
    doc: "Every change but a standard one must say how it is undone (changes \
without rollback plans are rejected). Write the plan under `rollback.plan` \
and list the files it needs (a down migration) under `rollback.artifacts`. A standard \
change needs one too when its class's `requires` lists it (the risk-matrix preset: \
every change).",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records.iter().filter(|s| {
        is_proposed(&s.record) && requirement::needs_rollback_plan(reg.policy, s.record.class)
    }) {
        if !requirement::is_met(&stored.record, "rollback.plan", &reg.policy.risk) {
            report.on(
                stored,
                format!("a {} change needs a rollback plan", stored.record.class),
            );
        }
    }
}
