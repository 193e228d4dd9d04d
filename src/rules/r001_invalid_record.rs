//! R001 invalid-record.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R001",
    name: "invalid-record",
    severity: Severity::Error,
    summary: "a record file is not valid YAML or does not follow the record format",
    doc: "A file under the records directory could not be read as a change record: the \
YAML is malformed, a key is unknown (often a typo), or a value is not one the format \
allows (a class, status or risk word), or it is not plain data (YAML anchors, aliases, \
tags, deep nesting, over the size limit). A record chg cannot read is a change nobody \
can check, so it is never skipped quietly. Fix the file at the line and column given, or \
open it with `chg edit <ID>`, which refuses to save an invalid record. A commit that \
wrote a record as a symbolic link or a submodule is reported too, whatever came after: \
its target is never read, and a record is a regular file.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for u in reg.unreadable {
        let record = u.change().map(|id| id.to_string());
        report.at(
            record,
            Some(u.path.clone()),
            u.at.map(|(line, _)| line),
            u.message.clone(),
        );
    }
    let Some(history) = reg.history else { return };
    let dir = &reg.policy.changes.dir;
    for (commit, change, what) in &history.irregular {
        report.commit(
            commit,
            Some(change),
            format!(
                "{} committed {dir}/{} as {what}: a record is a regular file, and this one was not read",
                commit.short(),
                change.file_name()
            ),
        );
    }
}
