//! L006 record-late.

use super::{Register, Report, Rule};
use crate::followup;
use crate::git::CommitId;
use crate::history::filled;
use crate::model::{ChangeKey, ChangeRecord, Class, Timestamp};
use crate::policy::Severity;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "L006",
    name: "record-late",
    severity: Severity::Error,
    summary:
        "a record was created more than its class's `record_within` after work on the change began",
    doc: "`record_within` is how soon after work on a change began its record must exist: an \
emergency may be fixed first and documented after (every modelled preset gives an emergency \
24 hours to be documented). Work began at the earlier of the first \
commit that names the change (by its committer's clock, among the commits the check reads) \
and the change's first deployment in the record. Write the record sooner; a finding on a past \
emergency stays as the audit trail of a late one. \
The record exists from the later of its `created_at` (which a hand edit can move) and the \
committer time of the first mainline (first-parent) commit that held it: a record written \
on a branch exists for the register once a merge brings it in. A record not yet committed \
at all, or one already there where the history read begins, is judged by its `created_at`. \
Work landing on the mainline before its record existed at all is proven from the tree \
instead, by H004.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    if !Class::ALL
        .iter()
        .any(|c| reg.policy.class(*c).record_within.is_some())
    {
        return;
    }
    let first_commits = first_commits(reg);
    let zone = reg.policy.changes.timezone.0;
    for stored in reg.records {
        let r = &stored.record;
        let Some((began, how)) = work_began(r, first_commits.get(&r.id.key())) else {
            continue;
        };
        let Some(duty) = followup::record(r, reg.policy, began) else {
            continue;
        };
        if let Some(at) = (duty.as_committed(reg.history, &r.id, filled::RECORD, reg.now)).late() {
            let (within, due) = duty.shown(zone);
            let when = Timestamp::from(at);
            let created = if when.utc() > r.created_at.utc() {
                format!("committed {when} (it says created {})", r.created_at)
            } else {
                format!("created {when}")
            };
            report.on(
                stored,
                format!(
                    "the record was {created}, more than {within} after work on the change \
                     began ({how}); it was due {due}"
                ),
            );
        }
    }
}

/// The earliest commit naming each change, with its committer's time.
fn first_commits(reg: &Register) -> HashMap<ChangeKey, (Timestamp, CommitId)> {
    let mut first: HashMap<ChangeKey, (Timestamp, CommitId)> = HashMap::new();
    let commits = reg.history.into_iter().flat_map(|h| &h.commits);
    for c in commits {
        let Some(at) = c.committed() else { continue };
        for id in &c.refs().ids {
            let earlier = (Timestamp::from(at), c.id);
            first
                .entry(id.key())
                .and_modify(|known| *known = (*known).min(earlier))
                .or_insert(earlier);
        }
    }
    first
}

/// When work on the change began, and what shows it: its first commit or deployment.
fn work_began(
    r: &ChangeRecord,
    first_commit: Option<&(Timestamp, CommitId)>,
) -> Option<(Timestamp, String)> {
    let commit = first_commit.map(|(at, id)| {
        (
            *at,
            format!("commit {} names it, committed {at}", id.short()),
        )
    });
    let deployment = r.deployments.iter().min_by_key(|d| d.at.utc()).map(|d| {
        (
            d.at,
            format!("its first deployment, to {} at {}", d.environment, d.at),
        )
    });
    commit
        .into_iter()
        .chain(deployment)
        .min_by_key(|(at, _)| at.utc())
}
