//! P010 risk-not-accepted.

use super::{approvals_lacking, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P010",
    name: "risk-not-accepted",
    severity: Severity::Error,
    summary: "the declared risk level is below the derived one and no risk authority accepted it",
    doc: "A requester may declare a risk level other than the one the policy derives from \
the assessment, with a justification (R006). Declaring it higher counts at once; declaring \
it lower counts only once a member of a `[risk] authority` role, other than the author, has \
approved the record as it stands in that role. Until then the change is held to the derived \
level: its auto-approval or pre-approval lapses if that level does not allow it, and the \
approvers `[approvals.by_risk]` names for that level are owed. This fires on a record past \
approval (a closed one for emergency changes) whose lower declared level was not accepted \
and that lacks approvals owed at the derived level; P001 lists them. Fix it by having the \
risk authority approve (`chg approve ID --role <authority role>`), or by getting the \
approvals the derived level asks for. With no risk authority named, a lower declared level \
never counts.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for (stored, state) in approvals_lacking(reg) {
        let Some((declared, derived)) = state.unaccepted else {
            continue;
        };
        let authority = match reg.policy.risk.authority.as_slice() {
            [] => "the policy names no risk authority".to_string(),
            roles => format!("no risk authority ({}) accepted it", roles.join(", ")),
        };
        report.on(
            stored,
            format!(
                "risk.level says {declared} but the policy derives {derived}, and {authority}: \
                 the approvals owed at {derived} risk are missing ({})",
                state.missing().join(", ")
            ),
        );
    }
}
