//! H005 reference-to-inactive-change.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "H005",
    name: "reference-to-inactive-change",
    severity: Severity::Error,
    summary: "a commit references a rejected, cancelled or closed change",
    doc: "A commit names a change that was already rejected, cancelled or closed — as its \
record stood just before the commit (in the parent's tree), so the commits made while it \
was open stay clean, and so does a commit that only records the change's own moves (a \
rejected change cancelled or revised): it changes nothing but the register. Work under a \
finished change is work nobody approved: open a new change for it.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    for r in &history.inactive {
        report.commit(
            &r.commit,
            Some(&r.change),
            format!(
                "{} names {}, which was already {}",
                r.commit.short(),
                r.change,
                r.status
            ),
        );
    }
}
