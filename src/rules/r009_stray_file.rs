//! R009 stray-file.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "R009",
    name: "stray-file",
    severity: Severity::Error,
    summary: "a file or directory in the records directory is not one chg reads",
    doc: "chg reads records from files named `<ID>.yaml` directly in the records directory \
(`[changes] dir`, default `.changes`) or, fanned out, in the folder their ID gives \
(`<YYYY>/<NN>xx/<ID>.yaml`: CHG-2026-0123 in `2026/01xx/`), freezes from \
`freezes/<ID>.yaml`, and writes `schema.json` beside them. Anything else there is not \
read at all: a record renamed to `.yml` or `.bak`, moved into another folder, or replaced \
by a symbolic link would drop out \
of `chg check`, `chg list` and `chg audit` without a word, so it is reported instead. A \
symbolic link, FIFO, socket or device is never opened, even when named like a record: a \
link could point at a secret of the machine running chg, and a FIFO would block it. \
Rename or move the file back to one of its places; keep notes and other documents outside it.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stray in reg.strays {
        report.at(None, Some(stray.path.clone()), None, stray.expected);
    }
}
