//! R010 undeclared-link-or-field.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R010",
    name: "undeclared-link-or-field",
    severity: Severity::Error,
    summary: "a record links to a kind the policy does not declare, or carries a field it does not declare or of the wrong type",
    doc: "A record's `links` name references in other systems by kind (`jira: OPS-123`), and \
its `fields` hold what the team added to the format (`cost_center: CC-12`). The policy \
declares both: `[links]` turns each kind into a URL, `[fields.<name>]` gives each field its \
type. A kind or a field the policy does not declare is most often a typo (`jria`), and a \
requirement such as `links.jira` would then never be met by it, so it is reported rather \
than ignored; so is a value that is not of its field's type (text in a number field, a \
word not in the field's list). `chg new`, `chg set` and `chg edit` refuse these; this \
catches a record written by hand, or a policy that dropped a kind or a field records still \
use. Fix the record, or declare the kind or field in the policy.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for problem in reg.policy.undeclared(&stored.record) {
            report.on(stored, problem);
        }
    }
}
