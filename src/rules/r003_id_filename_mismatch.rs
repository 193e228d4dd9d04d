//! R003 id-filename-mismatch.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R003",
    name: "id-filename-mismatch",
    severity: Severity::Error,
    summary: "a record's file name is not its ID",
    doc: "Every record lives in `<ID>.yaml`. A file whose name differs from the `id` inside \
cannot be found by `chg show <ID>`, and commits that reference the ID point at the wrong \
file. Rename the file, or correct the `id`.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let expected = stored.record.id.file_name();
        if !stored.path.ends_with(&format!("/{expected}")) {
            report.on(stored, format!("the file should be named {expected}"));
        }
    }
}
