//! F001 commit-during-freeze.

use super::{by_change, Register, Report, Rule};
use crate::calendar::Calendar;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "F001",
    name: "commit-during-freeze",
    severity: Severity::Error,
    summary: "a commit made during a freeze names a change of a class the freeze does not allow",
    doc: "While a freeze is in force only the classes it allows (emergency, unless it says \
otherwise) may be worked on. A commit made inside a freeze's span that names a change of \
another class is reported. The commit's time is its committer's clock, which whoever \
commits can set: the commit-msg hook enforces this at commit time, and this rule reports \
what reached history anyway. Wait for the freeze to end, or ask the release manager to \
end it early (`chg freeze end`). Freezes the policy repeats (`[[freeze.recurring]]`, \
month or quarter ends) count like declared ones, from their `since` day: without `since`, \
commits made before the entry was written are judged against it too.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    // Recurring freezes are the policy's: each commit meets those in force for it.
    let calendars: Vec<_> = (history.policies.iter())
        .map(|p| Calendar::new(p, reg.freezes.iter().map(|s| &s.freeze)))
        .collect();
    let records = by_change(reg);
    for c in &history.commits {
        let Some(at) = c.committed() else { continue };
        let Some(calendar) = c.under(&calendars) else {
            continue;
        };
        for id in &c.refs().ids {
            let Some(stored) = records.get(&id.key()) else {
                continue;
            };
            let class = stored.record.class;
            if let Some(f) = calendar.frozen(class, None, at, at) {
                report.commit(
                    &c.id,
                    Some(id),
                    format!(
                        "{} was committed during {} for {id}, a {class} change, which it does not allow",
                        c.id.short(),
                        f.described()
                    ),
                );
            }
        }
    }
}
