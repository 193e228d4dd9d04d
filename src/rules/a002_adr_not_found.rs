//! A002 adr-not-found.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A002",
    name: "adr-not-found",
    severity: Severity::Error,
    summary: "a linked ADR file does not exist",
    doc: "A path under `adrs` does not exist in the tree. The decision record may have \
been renamed or not committed yet. Correct the path (relative to the repository root) or \
add the file.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for path in &stored.record.adrs {
            if !reg.tree.exists(path) {
                report.on(stored, format!("ADR {path} does not exist"));
            }
        }
    }
}
