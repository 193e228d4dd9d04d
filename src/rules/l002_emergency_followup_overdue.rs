//! L002 emergency-followup-overdue.

use super::{first_move_to, Register, Report, Rule};
use crate::model::{Class, Status};
use crate::policy::{approval, requirement, Severity};

pub const RULE: Rule = Rule {
    code: "L002",
    name: "emergency-followup-overdue",
    severity: Severity::Error,
    summary: "approval or retrospective of an emergency change is overdue",
    doc: "An emergency change may be implemented before approval, but its approval \
(`approval_within`) and its retrospective — root cause and preventive action \
(`retrospective_within`) — are due within the policy's deadlines from the moment work \
started (seed 001 §6.4: within 24 hours). Late is reported as well as missing.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg
        .records
        .iter()
        .filter(|s| s.record.class == Class::Emergency)
    {
        let r = &stored.record;
        let Some(started) = first_move_to(r, Status::Implementing) else {
            continue;
        };
        let rules = reg.policy.class(Class::Emergency);
        let zone = reg.policy.changes.timezone.0;
        if let Some(within) = rules.approval_within {
            let due = within.after(started.utc().with_timezone(&zone));
            let state = approval::state(r, reg.policy);
            let done = state
                .is_complete()
                .then(|| state.current.iter().map(|a| a.at.utc()).max())
                .flatten();
            match done {
                Some(at) if at > due => report.on(
                    stored,
                    format!("approved {at}, after the {within} deadline ({due})"),
                ),
                None if !state.is_complete() && reg.now > due => report.on(
                    stored,
                    format!(
                        "approval by {} was due within {within} of starting ({due})",
                        state.missing.join(", ")
                    ),
                ),
                _ => {}
            }
        }
        if let Some(within) = rules.retrospective_within {
            let due = within.after(started.utc().with_timezone(&zone));
            let risk = &reg.policy.risk;
            let done = ["emergency.root_cause", "emergency.preventive_action"]
                .iter()
                .all(|n| requirement::is_met(r, n, risk));
            let at = r
                .emergency
                .as_ref()
                .and_then(|e| e.retrospective_at)
                .map(|t| t.utc());
            if !done && reg.now > due {
                report.on(stored, format!("root cause and preventive action were due within {within} of starting ({due})"));
            } else if at.is_some_and(|at| at > due) {
                report.on(
                    stored,
                    format!("the retrospective was held after the {within} deadline ({due})"),
                );
            }
        }
    }
}
