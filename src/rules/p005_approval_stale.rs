//! P005 approval-stale.

use super::{Register, Report, Rule};
use crate::model::lifecycle::is_approved;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P005",
    name: "approval-stale",
    severity: Severity::Error,
    summary: "the record changed after approval (digest mismatch)",
    doc: "Each approval stores a digest of the record's content when it was given. The \
record has changed since, so the approval is for something else. `chg edit` moves such a \
change back to submitted; a hand edit does not. Ask the approver to approve again: a \
stale approval whose role has approved the current content is no longer reported.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let approved = (reg.records.iter().enumerate()).filter(|(_, s)| is_approved(s.record.status));
    for (at, stored) in approved {
        let state = reg.approval_state(at);
        // An approval the same role has since given again is history, not a problem.
        let renewed = |role: &str| state.current.iter().any(|c| c.role == role);
        for a in state.stale.iter().filter(|a| !renewed(&a.role)) {
            report.on(
                stored,
                format!(
                    "the approval by {} as {} ({}) was given to different content",
                    a.by, a.role, a.at
                ),
            );
        }
    }
}
