//! R008 record-removed.

use super::{Register, Report, Rule};
use crate::history::entries;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R008",
    name: "record-removed",
    severity: Severity::Error,
    summary: "a committed record was removed or renamed away, and the register no longer holds it as it was",
    doc: "The register is append-only: a change that was proposed stays on file, whatever \
became of it, so an audit of any period finds it. A commit removed a record's file (or \
renamed it to something that is not a record, such as `.yml`, `.bak` or another \
directory), and no record with that ID is in the register now — or one is, without \
approvals, moves, deployments or evidence the removed file held. Restore the file with \
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
        let unreadable = (reg.unreadable.iter()).any(|u| u.path.ends_with(&id.file_name()));
        let Some(now) = reg.records.iter().find(|s| &s.record.id == id) else {
            if !unreadable {
                let what = format!("{} removed the record of {id}", commit.short());
                report.commit(commit, Some(id), what);
            }
            continue;
        };
        // Put back (a revert, a checkout of the old file): it must hold what it held.
        let held: Vec<u64> = entries::of(&now.record).iter().map(|e| e.hash).collect();
        let lost = removed.entries.iter().filter(|h| !held.contains(h)).count();
        if lost > 0 {
            report.on(
                now,
                format!(
                    "{} removed the record of {id}, and it was put back without {lost} of the \
                     entries it held",
                    commit.short()
                ),
            );
        }
    }
}
