//! P011 emergency-authorizer-not-in-role.

use super::{Register, Report, Rule};
use crate::policy::emergency::authorized_by;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P011",
    name: "emergency-authorizer-not-in-role",
    severity: Severity::Error,
    summary: "an emergency change names an authoriser who is not in a role allowed to authorise",
    doc: "An emergency change may go ahead before its approvals, on the word of whoever \
authorised it (`emergency.authorized_by`, `chg new --authorized-by`). When the policy names \
the roles that may authorise one (`[classes.emergency] authorizers`), everyone in \
`authorized_by` must be a member of one of them. `chg new` refuses anyone else; this catches \
a record edited by hand, or a policy that has since removed the member. Name an authoriser \
from those roles. With `authorizers` unset or empty, anyone may authorise and this rule \
finds nothing. Membership is judged against the current policy.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        if let Some(problem) = (reg.policy).refused_authorisers(r.class, authorized_by(r), &[]) {
            report.on(stored, format!("emergency.authorized_by: {problem}"));
        }
    }
}
