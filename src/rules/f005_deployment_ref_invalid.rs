//! F005 deployment-ref-invalid.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "F005",
    name: "deployment-ref-invalid",
    severity: Severity::Error,
    summary: "a deployment names no release, or one not of the policy's form",
    doc: "`[deployments] ref_pattern` is the form of what a deployment must name: a release \
tag or build ID (e.g. a semantic version, or any unique tag or build \
ID), so that what went out can be found again and rolled back. A deployment has no \
`ref`, or one the pattern does not match. `chg deploy --ref` refuses that; this catches a \
record edited by hand.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(pattern) = reg.policy.deployment_ref_pattern() else {
        return;
    };
    for stored in reg.records {
        for d in &stored.record.deployments {
            match d.reference.as_deref() {
                Some(r) if pattern.is_match(r) => {}
                Some(r) => report.on(
                    stored,
                    format!(
                        "deployed to {} at {} as `{r}`, which does not match `{}`",
                        d.environment,
                        d.at,
                        pattern.as_str()
                    ),
                ),
                None => report.on(
                    stored,
                    format!(
                        "deployed to {} at {} without a ref; the policy asks for one matching `{}`",
                        d.environment,
                        d.at,
                        pattern.as_str()
                    ),
                ),
            }
        }
    }
}
