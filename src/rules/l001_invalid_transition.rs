//! L001 invalid-transition.

use super::{Register, Report, Rule};
use crate::model::lifecycle::check_history;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L001",
    name: "invalid-transition",
    severity: Severity::Error,
    summary: "the transitions list contains an illegal move",
    doc: "A record's `transitions` must be a legal path through the lifecycle from draft, \
ending in its `status`. chg only appends legal moves, so a break means the record \
was edited by hand — typically a status set forward to skip approval. Restore the status \
the transitions end in, then make the move with the chg command.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        if let Err(problem) = check_history(&stored.record) {
            report.on(stored, problem);
        }
    }
}
