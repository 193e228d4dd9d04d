//! R008 record-removed.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R008",
    name: "record-removed",
    severity: Severity::Error,
    summary: "a committed record was removed or renamed away, and the register no longer holds it",
    doc: "The register is append-only: a change that was proposed stays on file, whatever \
became of it, so an audit of any period finds it. A commit removed a record's file (or \
renamed it to something that is not a record, such as `.yml`, `.bak` or another \
directory), and no record with that ID is in the register now. Restore the file with \
`git checkout <commit>~1 -- <path>`; to withdraw a change, `chg cancel` it instead.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let held = |id: &crate::model::ChangeId| {
        reg.records.iter().any(|s| &s.record.id == id)
            || (reg.unreadable.iter()).any(|u| u.path.ends_with(&id.file_name()))
    };
    let mut seen = std::collections::HashSet::new();
    for (commit, id) in &history.removed {
        if !held(id) && seen.insert(id) {
            report.commit(
                commit,
                Some(id),
                format!("{} removed the record of {id}", commit.short()),
            );
        }
    }
}
