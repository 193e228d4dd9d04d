//! P002 approver-not-in-role.

use super::{approvals_given, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P002",
    name: "approver-not-in-role",
    severity: Severity::Error,
    summary:
        "the approver is not a member of the role (as the policy stood before the approving commit)",
    doc: "Role membership is read from `.changes.toml` as it stood in the parent of the \
commit that added the approval, so nobody can grant themselves a role and approve in one \
commit. Approvals not yet committed are judged against the current policy.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for (stored, a) in approvals_given(reg.records) {
        match reg
            .history
            .and_then(|h| h.attribution(&stored.record.id, a))
        {
            Some(at) if !at.member_at_parent => report.on(
                stored,
                format!(
                    "{} approved as {} in {}, but was not in that role before that commit",
                    a.by,
                    a.role,
                    at.commit.short()
                ),
            ),
            None if !reg.policy.is_member(&a.role, &a.by) => report.on(
                stored,
                format!(
                    "{} approved as {} but is not a member of that role",
                    a.by, a.role
                ),
            ),
            _ => {}
        }
    }
}
