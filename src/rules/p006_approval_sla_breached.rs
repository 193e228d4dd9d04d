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
(the risk-score preset: 1 to 5 business days); a class's `approval_sla` sets it for every change \
of that class whatever its risk (the pull-request preset: reviews within 24 hours). Business days \
skip weekends in the policy's time zone. This fires for changes approved late and for \
changes still waiting past the SLA.",
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
        let (Some(sla), Some(due)) = (duty.within, duty.due) else {
            continue;
        };
        let whose = match reg.policy.class(r.class).approval_sla {
            Some(_) => format!("{} changes'", r.class),
            None => match reg.policy.risk_level(r) {
                Some(level) => format!("its {level}-risk"),
                None => continue,
            },
        };
        report.on(
            stored,
            format!(
                "{what} {whose} SLA of {sla} (due {})",
                due.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z")
            ),
        );
    }
}
