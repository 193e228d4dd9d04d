//! H006 entry-rewritten.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "H006",
    name: "entry-rewritten",
    severity: Severity::Error,
    summary:
        "a commit altered or dropped a committed approval, transition, deployment or evidence entry",
    doc: "A record's approvals, transitions, deployments and evidence are its audit trail: \
once committed they are only ever appended to. A later commit that changes one — moves a \
`submitted` time a week back to satisfy a lead time, edits an approval's digest, drops a \
failed deployment — or that removes one is reported here, and so is a merge that keeps one \
side's version of a record and drops the entries the other side had added. To correct a \
mistake, append a new entry (a note says why); to undo a merge that lost entries, merge \
again keeping both sides' entries.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    for r in &history.rewritten {
        report.commit(
            &r.commit,
            Some(&r.change),
            format!(
                "{} altered or dropped the {} `{}` of {}, committed before it",
                r.commit.short(),
                r.kind,
                r.key,
                r.change
            ),
        );
    }
}
