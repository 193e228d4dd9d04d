//! F004 freeze-not-time-bound.

use super::{Register, Report, Rule};
use crate::model::Timestamp;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "F004",
    name: "freeze-not-time-bound",
    severity: Severity::Error,
    summary: "a freeze without an end, or longer than the policy allows",
    doc: "Every freeze is time-bound and documented. `chg freeze start` \
requires `--until` and keeps a freeze within `[freeze] max_duration`; a freeze file edited \
by hand into an open-ended or longer one is reported here. An open-ended freeze still \
holds back deployments (it is read as in force until ended): end it with `chg freeze end`, \
or give it an end.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let max = reg.policy.freeze.max_duration;
    let zone = reg.policy.changes.timezone.0;
    for stored in reg.freezes {
        let f = &stored.freeze;
        let Some(ends) = f.ends else {
            report.on_freeze(stored, format!("{} has no end", f.id));
            continue;
        };
        let latest = max.after(f.starts.utc().with_timezone(&zone));
        if ends.utc() > latest {
            report.on_freeze(
                stored,
                format!(
                    "{} runs from {} until {ends}: longer than {max} ([freeze] max_duration); it should end by {}",
                    f.id,
                    f.starts,
                    Timestamp(latest.fixed_offset())
                ),
            );
        }
    }
}
