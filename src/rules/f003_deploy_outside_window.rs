//! F003 deploy-outside-window.

use super::{Register, Report, Rule};
use crate::calendar::Calendar;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "F003",
    name: "deploy-outside-window",
    severity: Severity::Error,
    summary: "a deployment recorded outside the policy's windows for the change's risk",
    doc: "`[windows]` lists, per weekday and in the policy's time zone, when changes may be \
deployed and up to which risk (the risk-score preset: Monday and Thursday up to medium, \
Tuesday and Wednesday any, Friday and the weekend emergency only). A deployment recorded outside \
the windows open to its change's risk is reported, unless the change's class is one \
`[windows] allow` lets go any time or its environment is not one `[windows] \
environments` names (the risk-score preset holds only production to them: staging has \
its own process). Deploy in a window, or raise the question with the \
change board: the windows are policy.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let calendar = Calendar::new(reg.policy, []);
    for stored in reg.records {
        for d in &stored.record.deployments {
            if let Some(hold) =
                calendar.outside_windows(&stored.record, Some(&d.environment), d.at.utc())
            {
                report.on(
                    stored,
                    format!("deployed to {}: {}", d.environment, calendar.explain(&hold)),
                );
            }
        }
    }
}
