//! P006 approval-sla-breached.

use super::{Register, Report, Rule};
use crate::followup;
use crate::policy::Severity;

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
        let Some(duty) = followup::approval_sla(r, reg.policy) else {
            continue;
        };
        let what = if duty.late().is_some() {
            "was approved after"
        } else if followup::awaits_approval_past_sla(r, reg.policy, reg.now) {
            "is still waiting past"
        } else {
            continue;
        };
        let (Some(sla), Some(due), Some(level)) =
            (duty.within, duty.due, reg.policy.risk.effective(&r.risk))
        else {
            continue;
        };
        report.on(
            stored,
            format!(
                "{what} its {level}-risk SLA of {sla} (due {})",
                due.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z")
            ),
        );
    }
}
