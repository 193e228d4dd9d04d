//! H007 entry-backdated.

use super::{Register, Report, Rule};
use crate::history::entries;
use crate::policy::Severity;
use chrono::SecondsFormat;

pub const RULE: Rule = Rule {
    code: "H007",
    name: "entry-backdated",
    severity: Severity::Error,
    summary: "a new approval or move is dated before the version of the record it was added to was written",
    doc: "An approval or a lifecycle move is dated by whoever writes it. The commit it \
builds on bounds that claim: an approval or move added to a version of a record cannot \
have been made before that version was written (the author time of the commit that \
first wrote it, less ten minutes for clocks that disagree). One dated earlier was \
back-dated — to shorten a lead time or meet an SLA on paper. Deployments and gate \
evidence are not judged here: they are often written down after they happened (an \
emergency documented within its deadline, a pipeline recording its runs), and so is the \
move a deployment records; nor is an entry put back as it was (a revert). Author times \
survive a rebase, so rebasing a branch does not trip this — unless the commits it is \
replayed onto changed the same record after the entry was made: merge such a branch \
instead. Commit dates are set by whoever commits, so they only bound a claim; where that \
matters, require signed commits. Record the entry again with the real time (the chg \
command does) and drop the back-dated one before it is committed.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let secs = |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    for b in &history.backdated {
        // Named as the record names it, where it still holds the entry.
        let named = (reg.records.iter())
            .filter(|s| s.record.id == b.change)
            .flat_map(|s| entries::of(&s.record))
            .find(|e| e.hash == b.hash)
            .map_or_else(|| format!("by {}", b.by), |e| format!("`{}`", e.key));
        report.commit(
            &b.commit,
            Some(&b.change),
            format!(
                "{} added the {} {named} of {}, dated {}, to a version of the record written at {} \
                 (back-dated, or rebased onto a later change of the record: merge such \
                 branches instead)",
                b.commit.short(),
                b.kind,
                b.change,
                secs(&b.at),
                secs(&b.floor)
            ),
        );
    }
}
