//! R002 duplicate-id.

use super::{Register, Report, Rule};
use crate::policy::Severity;
use std::collections::{hash_map::Entry, HashMap};

pub const RULE: Rule = Rule {
    code: "R002",
    name: "duplicate-id",
    severity: Severity::Error,
    summary: "two records carry the same ID, or two commits created one ID's record",
    doc: "Two record files say they are the same change. chg never hands out an ID twice \
in one repository, but two branches created offline can pick the same one, and the \
clash shows when they meet. A pull request's check (`chg check --range base..HEAD`) \
reports a record it creates under an ID the base already holds: renumber it there, \
before anyone approves it — `chg new` allocates a free ID; move the content over and \
remove the duplicate in the same branch. After a merge that kept one side's file, the \
register shows one record yet two commits in history created it, and the other \
change's commits would count for the survivor: record the collision as a change of \
its own, have it approved, and under it move `[changes] baseline` past the merge.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    // A register can hold tens of thousands of records: one pass, not one per pair.
    let mut first = HashMap::with_capacity(reg.records.len());
    for stored in reg.records {
        match first.entry(&stored.record.id) {
            Entry::Vacant(slot) => {
                slot.insert(stored);
            }
            Entry::Occupied(first) => report.on(
                stored,
                format!(
                    "{} is also the ID of {}",
                    stored.record.id,
                    first.get().path
                ),
            ),
        }
    }
    let Some(history) = reg.history else { return };
    // A record removed and put back (a revert) was created once: each removal in
    // scope allows one more creation.
    let mut removals: HashMap<_, usize> = HashMap::new();
    for (_, removed) in &history.removed {
        *removals.entry(removed.change.key()).or_default() += 1;
    }
    for stored in first.into_values() {
        let Some(created) = history.created.get(&stored.record.id.key()) else {
            continue;
        };
        let removed = removals.get(&stored.record.id.key()).copied().unwrap_or(0);
        if created.len() <= removed + 1 {
            continue;
        }
        // The scope's base holding another record under the ID is listed with no
        // author: it was created before the checked history.
        let (base, here): (Vec<_>, Vec<_>) =
            created.iter().partition(|c| c.author_email.is_empty());
        let message = match (base.first(), here.as_slice()) {
            (Some(base), [.., c]) => format!(
                "{} was created in {} by {}, but {}, where the checked history starts, already \
                 holds another record with this ID: give this one a new ID before it merges",
                stored.record.id,
                c.commit.short(),
                c.author_email,
                base.commit.short()
            ),
            (_, [later, .., earlier]) => format!(
                "{} was created twice: in {} by {} and in {} by {}",
                stored.record.id,
                earlier.commit.short(),
                earlier.author_email,
                later.commit.short(),
                later.author_email
            ),
            _ => continue,
        };
        report.on(stored, message);
    }
}
