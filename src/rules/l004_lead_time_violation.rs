//! L004 lead-time-violation.

use super::{Register, Report, Rule};
use crate::followup;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L004",
    name: "lead-time-violation",
    severity: Severity::Error,
    summary: "deployed sooner after submit than the class's lead time",
    doc: "`lead_time` gives people time to review and object: the pull-request preset asks 24 \
hours for a normal change and a week for a major one. The first deployment came sooner after submit. \
Plan the deployment later, or classify the change as an emergency if it truly is one. \
`chg deploy` refuses such a deployment; this catches one written by hand.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        let (Some((lead, earliest)), Some(deployed)) = (
            followup::earliest_deployment(r, reg.policy),
            r.deployments.first(),
        ) else {
            continue;
        };
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
