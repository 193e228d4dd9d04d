//! L004 lead-time-violation.

use super::{first_move_to, Register, Report, Rule};
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L004",
    name: "lead-time-violation",
    severity: Severity::Error,
    summary: "deployed sooner after submit than the class's lead time",
    doc: "`lead_time` gives people time to review and object: seed 003 asks 24 hours for a \
normal change and a week for a major one. The first deployment came sooner after submit. \
Plan the deployment later, or classify the change as an emergency if it truly is one.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        let Some(lead) = reg.policy.class(r.class).lead_time else {
            continue;
        };
        let (Some(submitted), Some(deployed)) =
            (first_move_to(r, Status::Submitted), r.deployments.first())
        else {
            continue;
        };
        let earliest = lead.after(
            submitted
                .utc()
                .with_timezone(&reg.policy.changes.timezone.0),
        );
        if deployed.at.utc() < earliest {
            report.on(
                stored,
                format!(
                    "deployed {} but a {} change waits {lead} after submit (earliest {earliest})",
                    deployed.at, r.class
                ),
            );
        }
    }
}
