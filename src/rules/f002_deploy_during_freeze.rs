//! F002 deploy-during-freeze.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "F002",
    name: "deploy-during-freeze",
    severity: Severity::Error,
    summary: "a deployment recorded inside a freeze that does not allow the change's class",
    doc: "`chg deploy` refuses a deployment inside a freeze; a deployment recorded in a \
record anyway (by hand, or before the freeze file was merged) is reported here, with the \
freeze it broke. Deployments to environments a freeze does not name are not affected by \
it. Freezes the policy repeats (`[[freeze.recurring]]`) count like declared ones, from their \
`since` day: without `since`, deployments made before the entry was written are judged \
against it too. If the \
deployment was an emergency, the change should have been classed as one.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let calendar = reg.calendar();
    for stored in reg.records {
        let record = &stored.record;
        for d in &record.deployments {
            let at = d.at.utc();
            let env = Some(d.environment.as_str());
            if let Some(f) = calendar.frozen(record.class, env, at, at) {
                report.on(
                    stored,
                    format!(
                        "deployed to {} at {} during {}, which does not allow {} changes",
                        d.environment,
                        d.at,
                        f.described(),
                        record.class
                    ),
                );
            }
        }
    }
}
