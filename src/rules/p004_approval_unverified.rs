//! P004 approval-unverified.

use super::{approvals_given, Register, Report, Rule};
use crate::model::record::same_email;
use crate::policy::{Severity, Verify};

pub const RULE: Rule = Rule {
    code: "P004",
    name: "approval-unverified",
    severity: Severity::Error,
    summary: "the commit that introduced the approval was not authored by the approver",
    doc: "With `[approvals] verify = \"commit-author\"` an approval counts only if the \
commit that added it to the record was authored by the approver — anyone can type \
someone else's name into YAML. `chg approve --commit` makes such a commit. Approvals not \
yet committed are not judged until they are.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    if reg.policy.approvals.verify != Verify::CommitAuthor {
        return;
    }
    for (stored, a) in approvals_given(reg.records) {
        let Some(at) = history.attribution(&stored.record.id, a) else {
            continue;
        };
        if !same_email(&at.author_email, &a.by) {
            report.on(
                stored,
                format!(
                    "the approval by {} as {} was added by {} in {}",
                    a.by,
                    a.role,
                    at.author_email,
                    at.commit.short()
                ),
            );
        }
    }
}
