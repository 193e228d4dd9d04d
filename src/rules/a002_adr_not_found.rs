//! A002 adr-not-found.

use super::{Register, Report, Rule};
use crate::adr::locate;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A002",
    name: "adr-not-found",
    severity: Severity::Error,
    summary: "a linked ADR file does not exist",
    doc: "A path under `adrs` names no file chg can read in the repository. The decision \
record may have been renamed or not committed yet, or it is a symbolic link, which chg \
does not follow. A path with a directory part is relative to the repository root; a bare \
file name (`0001-use-x.md`) is looked for in the ADR directory (`[adr] dir`; without it \
the directory `.adr-dir` names, else doc/adr, docs/adr, docs/decisions), then at the \
root. Correct the path or add the file.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        for path in &stored.record.adrs {
            if locate::load(reg.tree, &reg.policy.adr, path).is_none() {
                let tried = locate::candidates(reg.tree, &reg.policy.adr, path);
                let looked = if tried.len() > 1 {
                    format!(" (looked at {})", tried.join(", "))
                } else {
                    String::new()
                };
                report.on(stored, format!("ADR {path} does not exist{looked}"));
            }
        }
    }
}
