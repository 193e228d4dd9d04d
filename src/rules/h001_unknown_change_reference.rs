//! H001 unknown-change-reference.

use super::{by_change, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "H001",
    name: "unknown-change-reference",
    severity: Severity::Error,
    summary: "a commit names an ID with no record",
    doc: "A commit message names a change (by the policy's pattern or a `Change:` trailer) \
that has no record in the register, a `Change:` trailer holds something that is not a \
change ID, or an ID's number has another count of digits than the register's IDs \
(`CHG-2026-1` or `CHG-2026-00001` where IDs look like `CHG-2026-0001`: such a word \
names no change). Either the ID is mistyped — the history then claims a change that never was — \
or the record was never committed. Add the record, or amend the message before pushing.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let records = by_change(reg);
    let digits = reg.policy.changes.id_digits;
    // A record that exists but cannot be read is R001's to report, once.
    let unreadable: Vec<_> = (reg.unreadable.iter())
        .filter_map(|u| u.change())
        .map(|id| id.key())
        .collect();
    for c in &history.commits {
        let unknown = c
            .refs()
            .ids
            .iter()
            .filter(|id| !records.contains_key(&id.key()) && !unreadable.contains(&id.key()));
        for id in unknown {
            report.commit(
                &c.id,
                Some(id),
                format!("{} names {id}, which has no record", c.id.short()),
            );
        }
        for bad in &c.refs().malformed {
            report.commit(
                &c.id,
                None,
                format!(
                    "{} has `Change: {bad}`, which is not a change ID",
                    c.id.short()
                ),
            );
        }
        for id in &c.refs().misshapen {
            let note = crate::model::reference::misshapen_note(id, digits);
            report.commit(&c.id, Some(id), format!("{} names {note}", c.id.short()));
        }
    }
}
