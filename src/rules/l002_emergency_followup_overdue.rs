//! L002 emergency-followup-overdue.

use super::{Register, Report, Rule};
use crate::followup;
use crate::history::filled;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L002",
    name: "emergency-followup-overdue",
    severity: Severity::Error,
    summary: "approval or retrospective of an emergency change is overdue",
    doc: "An emergency change may be implemented before approval, but its approval \
(`approval_within`) and its retrospective — root cause and preventive action \
(`retrospective_within`) — are due within the policy's deadlines from the moment work \
started (the risk-score preset: within 24 hours). Late is reported as well as missing. \
The retrospective counts as held at the later of `emergency.retrospective_at` and the \
committer time of the first mainline (first-parent) commit whose record holds both the \
root cause and the preventive action — a time typed into the record is no proof, and \
committer time is when that commit was made (a rebase renews it). Text written on a \
branch counts from the merge that brings it into the mainline; text not yet committed \
counts at the check's clock. Without history (`--staged`, or outside git) the typed \
time is used.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let zone = reg.policy.changes.timezone.0;
    for (at, stored) in reg.records.iter().enumerate() {
        let r = &stored.record;
        if let Some(duty) = followup::emergency_approval(r, reg.policy) {
            let (within, due) = duty.shown(zone);
            if let Some(at) = duty.late() {
                report.on(
                    stored,
                    format!("approved {at}, after the {within} deadline ({due})"),
                );
            } else if duty.is_overdue(reg.now) {
                let missing = reg.approval_state(at).missing().join(", ");
                report.on(
                    stored,
                    format!("approval by {missing} was due within {within} of starting ({due})"),
                );
            }
        }
        if let Some(duty) = followup::retrospective(r, reg.policy) {
            let duty = duty.as_committed(reg.history, &r.id, filled::RETROSPECTIVE, reg.now);
            let (within, due) = duty.shown(zone);
            if duty.is_overdue(reg.now) {
                report.on(stored, format!("root cause and preventive action were due within {within} of starting ({due})"));
            } else if let Some(at) = duty.late() {
                report.on(
                    stored,
                    format!(
                        "the retrospective was held after the {within} deadline ({due}): it is on file since {}",
                        at.with_timezone(&zone)
                    ),
                );
            }
        }
    }
}
