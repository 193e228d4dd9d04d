//! P006 approval-sla-breached.

use super::{first_move_to, Register, Report, Rule};
use crate::model::Status;
use crate::policy::{approval, Severity};

pub const RULE: Rule = Rule {
    code: "P006",
    name: "approval-sla-breached",
    severity: Severity::Warning,
    summary: "approval took longer than the policy's SLA",
    doc: "`[approvals] sla` sets, per risk level, how long approval may take after submit \
(seed 001 §4.4: 1 to 5 business days). Business days skip weekends in the policy's time \
zone. This fires for changes approved late and for changes still waiting past the SLA.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let zone = reg.policy.changes.timezone.0;
    for stored in reg.records {
        let r = &stored.record;
        let Some(level) = reg.policy.risk.effective(&r.risk) else {
            continue;
        };
        let Some(sla) = reg.policy.approvals.sla.get(&level) else {
            continue;
        };
        let Some(submitted) = first_move_to(r, Status::Submitted) else {
            continue;
        };
        let due = sla.after(submitted.utc().with_timezone(&zone));
        let approved = first_move_to(r, Status::Approved).map(|t| t.utc());
        let waiting = r.status == Status::Submitted || r.status == Status::Assessed;
        let late = match approved {
            Some(at) => at > due,
            None => waiting && !approval::state(r, reg.policy).is_complete() && reg.now > due,
        };
        if late {
            let what = if approved.is_some() {
                "was approved after"
            } else {
                "is still waiting past"
            };
            report.on(
                stored,
                format!(
                    "{what} its {level}-risk SLA of {sla} (due {})",
                    due.format("%Y-%m-%d %H:%M %Z")
                ),
            );
        }
    }
}
