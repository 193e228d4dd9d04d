//! H004 landed-before-approval.

use super::{by_change, Register, Report, Rule};
use crate::model::Class;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "H004",
    name: "landed-before-approval",
    severity: Severity::Error,
    summary: "a mainline commit brings in work for a non-emergency change whose record there lacks approvals",
    doc: "For each commit on the mainline (the first-parent history of the branch checked), \
chg reads the record of every non-emergency change that the commits it brings in name — \
as the record stood in that same mainline commit's tree — and requires its approvals to be \
there. This proves order from ancestry, not from dates anyone can set: work merged before \
the approval commit is caught, the same work merged after it is not. Commits that touch \
only the register (proposing, approving) are not work. An emergency change may land \
its fix before it is recorded at all: whether its record came in time is L006's to say. \
Approve before merging.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let records = by_change(reg);
    for l in &history.landed {
        let class = records.get(&l.change.key()).map(|s| s.record.class);
        if l.had_no_record() && class == Some(Class::Emergency) {
            continue;
        }
        let via = if l.commit == l.mainline {
            String::new()
        } else {
            format!(" (from {})", l.commit.short())
        };
        let lacked = if l.had_no_record() {
            "while it had no record there".to_string()
        } else {
            format!("while its record there lacked {}", l.missing)
        };
        report.commit(
            &l.mainline,
            Some(&l.change),
            format!(
                "{}{via} landed work for {} {lacked}",
                l.mainline.short(),
                l.change,
            ),
        );
    }
}
