//! R007 missing-rollback-artifact.

use super::{Register, Report, Rule};
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R007",
    name: "missing-rollback-artifact",
    severity: Severity::Error,
    summary: "a rollback.artifacts path is not in the tree",
    doc: "A rollback plan that names a file (a down migration, a revert script) is only a \
plan if the file exists. Add the file, or correct the path under `rollback.artifacts`. \
Paths are relative to the repository root.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg
        .records
        .iter()
        .filter(|s| !matches!(s.record.status, Status::Cancelled | Status::Rejected))
    {
        for path in &stored.record.rollback.artifacts {
            if !reg.tree.exists(path) {
                report.on(stored, format!("rollback artifact {path} does not exist"));
            }
        }
    }
}
