//! P003 self-approval.

use super::{approvals_given, Register, Report, Rule};
use crate::model::record::same_email;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P003",
    name: "self-approval",
    severity: Severity::Error,
    summary: "the record's author, or an author, committer or Co-authored-by of the change's commits, approved it",
    doc: "Under `[approvals] separation_of_duties` nobody approves their own work: not the \
record's author — as the record says, and as git proves it: the author or committer of \
the commit that created the record file, whatever `author:` says now — and not whoever authored, committed or co-authored (`Co-authored-by:`) \
a commit that names the change and carries work (not one that only proposes or approves). Ask someone else in the role to approve.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    if !reg.policy.approvals.separation_of_duties {
        return;
    }
    // Who worked on each change: commits carrying work, by the changes they name.
    let mut workers: std::collections::HashMap<
        crate::model::ChangeKey,
        Vec<&crate::history::CommitFacts>,
    > = Default::default();
    for c in reg
        .history
        .into_iter()
        .flat_map(|h| &h.commits)
        .filter(|c| c.is_work)
    {
        for id in &c.refs().ids {
            workers.entry(id.key()).or_default().push(c);
        }
    }
    for (stored, a) in approvals_given(reg.records) {
        let r = &stored.record;
        if same_email(r.author_email(), &a.by) {
            report.on(stored, format!("{} approved a change they wrote", a.by));
            continue;
        }
        let creator = reg.history.and_then(|h| h.creator(&r.id));
        if let Some(c) = creator.filter(|c| c.by(&a.by)) {
            report.on(
                stored,
                format!(
                    "{} approved a change they created (commit {})",
                    a.by,
                    c.commit.short()
                ),
            );
            continue;
        }
        let worked_on = workers
            .get(&r.id.key())
            .into_iter()
            .flatten()
            .find(|c| c.involves(&a.by));
        if let Some(c) = worked_on {
            report.on(
                stored,
                format!(
                    "{} approved a change they worked on (commit {})",
                    a.by,
                    c.id.short()
                ),
            );
        }
    }
}
