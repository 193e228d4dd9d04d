//! P004 approval-unverified.

use super::{Register, Report, Rule};
use crate::model::Decision;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P004",
    name: "approval-unverified",
    severity: Severity::Error,
    summary: "the commit that introduced the approval does not prove the approver gave it",
    doc: "Anyone can type someone else's name into YAML, so an approval counts only when the \
commit that added it to the record proves who gave it, as `[approvals] verify` asks: \
`commit-author` (the default) — the commit was authored by the approver; \
`author-and-committer` — authored and committed by the approver, so nobody commits it in \
their name or amends their commit; `signature` — also signed by a key the signers file \
(`[approvals] signers`) lists for the approver; `none` — not checked. A merge commit that \
adds an approval none of its parents held added it itself, and is judged the same way. \
`chg approve --commit` makes the right commit (sign it with `git commit -S` where \
signatures are asked). A rejection is a decision in a role too and is judged the same \
way (`chg reject --commit` makes its commit). Decisions not yet committed are not judged \
until they are.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let verify = reg.policy.approvals.verify;
    for stored in reg.records {
        for a in &stored.record.approvals {
            let Some(at) = history.attribution(&stored.record.id, a) else {
                continue;
            };
            let what = match a.decision {
                Decision::Approved => "approval",
                Decision::Rejected => "rejection",
            };
            if let Err(why) = at.vouches_for(verify, &a.by) {
                report.on(
                    stored,
                    format!("the {what} by {} as {} was {why}", a.by, a.role),
                );
            }
        }
    }
}
