//! R008 record-removed.

use super::{Register, Report, Rule};
use crate::history::entries::{self, Kind};
use crate::history::origin;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R008",
    name: "record-removed",
    severity: Severity::Error,
    summary: "a committed record was removed or renamed away, and the register no longer holds it as it was",
    doc: "The register is append-only: a change that was proposed stays on file, whatever \
became of it, so an audit of any period finds it. A commit removed a record's file (or \
renamed it to something that is not a record, such as `.yml`, `.bak` or another \
directory), and the register holds that change neither under its ID nor renumbered (a \
record with the same `created_at` and `author` under another ID) — or holds it without \
approvals, moves, deployments or evidence the removed file held (a renumbered record's \
approvals, given to the old ID, are asked for again instead). Restore the file with \
`git checkout <commit>~1 -- <path>` (or revert the commit); to withdraw a change, \
`chg cancel` it instead.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let mut seen = std::collections::HashSet::new();
    for (commit, removed) in &history.removed {
        let id = &removed.change;
        if !seen.insert((id, commit)) {
            continue;
        }
        if (reg.unreadable.iter()).any(|u| u.path.ends_with(&id.file_name())) {
            continue;
        }
        let same_change = |s: &&crate::store::Stored| {
            removed.origin.is_empty() || origin(&s.record) == removed.origin
        };
        let put_back = (reg.records.iter()).find(|s| &s.record.id == id && same_change(s));
        // Renumbered after two changes took one ID: its approvals were given to the
        // old ID and must be given again (P005), but nothing else may be lost.
        let renumbered = (reg.records.iter())
            .find(|s| !removed.origin.is_empty() && &s.record.id != id && same_change(s));
        let (now, judged): (_, fn(&Kind) -> bool) = match (put_back, renumbered) {
            (Some(now), _) => (now, |_| true),
            (None, Some(now)) => (now, |k| *k != Kind::Approval),
            (None, None) => {
                let what = format!("{} removed the record of {id}", commit.short());
                report.commit(commit, Some(id), what);
                continue;
            }
        };
        let held: Vec<u64> = entries::of(&now.record).iter().map(|e| e.hash).collect();
        let lost = (removed.entries.iter())
            .filter(|(kind, hash)| judged(kind) && !held.contains(hash))
            .count();
        if lost > 0 {
            report.on(
                now,
                format!(
                    "{} removed the record of {id}, and it is back as {} without {lost} of \
                     the entries it held",
                    commit.short(),
                    now.record.id
                ),
            );
        }
    }
}
