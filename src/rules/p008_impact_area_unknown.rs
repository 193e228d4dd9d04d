//! P008 impact-area-unknown.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P008",
    name: "impact-area-unknown",
    severity: Severity::Error,
    summary: "a record declares an impact area the policy attaches no duty to",
    doc: "A change's `impact_areas` say what it affects, and the policy attaches duties to \
each area: approvers (`[approvals.by_impact]`: e.g. the Security Lead for a \
security-related change, a compliance officer where there is regulatory or privacy \
impact) and a post-implementation review (`[post_review] by_impact`). \
An area the policy does not name calls for nobody, so a misspelt `securty` would quietly \
skip the security review. `chg new` and `chg assess --impact-area` refuse such an area; this \
catches a record edited by hand, or a policy that dropped an area records still use. Use one \
of the policy's areas, or add the area to the policy.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for area in &stored.record.impact_areas {
            if let Err(why) = reg.policy.check_impact_area(area) {
                report.on(stored, format!("impact_areas: {why}"));
            }
        }
    }
}
