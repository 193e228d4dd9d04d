//! L005 verified-too-soon.

use super::{Register, Report, Rule};
use crate::followup;
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L005",
    name: "verified-too-soon",
    severity: Severity::Error,
    summary: "verified before its deployment, or sooner after it than the class's monitoring period",
    doc: "`verify_after` is how long a deployed change is watched before anyone may call it \
verified (the risk-score preset: 30 minutes at least; the \
pull-request preset: 30 minutes to 24 hours by class). The change moved to verified sooner after its last deployment. \
A change verified at a time before a deployment it records is reported in every class, \
whatever its monitoring period: the verification cannot have looked at what was deployed. \
`chg verify` refuses both; this catches a record edited by hand. Watching the dashboards \
is still people's work: the rule proves only that the time was given.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        for verified in r.transitions.iter().filter(|t| t.to == Status::Verified) {
            if let Some(later) = followup::deployed_after(r, verified.at) {
                report.on(
                    stored,
                    format!(
                        "verified {}, before the deployment it verifies ({} at {})",
                        verified.at, later.environment, later.at
                    ),
                );
                continue;
            }
            let Some(deployed) = r
                .deployments
                .iter()
                .filter(|d| d.at.utc() <= verified.at.utc())
                .max_by_key(|d| d.at.utc())
            else {
                continue;
            };
            let Some((after, earliest)) =
                followup::earliest_verification(r, reg.policy, deployed.at)
            else {
                continue;
            };
            if verified.at.utc() < earliest {
                report.on(
                    stored,
                    format!(
                        "verified {} but a {} change is monitored {after} after deployment ({} at {})",
                        verified.at, r.class, deployed.environment, deployed.at
                    ),
                );
            }
        }
    }
}
