//! L008 closed-before-monitoring.

use super::{Register, Report, Rule};
use crate::followup;
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L008",
    name: "closed-before-monitoring",
    severity: Severity::Error,
    summary: "a rolled-back change was closed sooner after its rollback than the class's monitoring period",
    doc: "`monitor_after_rollback` is how long a rolled-back change is watched — that the \
system is back to where it was, and stays there — before it may be closed (the \
risk-matrix preset: 24 hours). The change moved to closed sooner after its last \
rollback. `chg close` refuses this; the rule catches a record edited by hand. As with \
`verify_after`, the rule proves only that the time was given, not that anyone watched.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        for closed in r.transitions.iter().filter(|t| t.to == Status::Closed) {
            let Some(rolled_back) = followup::rolled_back_before(r, closed.at) else {
                continue;
            };
            let Some((after, earliest)) = followup::earliest_close(r, reg.policy, rolled_back)
            else {
                continue;
            };
            if closed.at.utc() < earliest {
                report.on(
                    stored,
                    format!(
                        "closed {} but a {} change is monitored {after} after its rollback ({rolled_back})",
                        closed.at, r.class
                    ),
                );
            }
        }
    }
}
