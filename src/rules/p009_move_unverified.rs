//! P009 move-unverified.

use super::{Register, Report, Rule};
use crate::history::entries::{self, Entry};
use crate::model::record::same_email;
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P009",
    name: "move-unverified",
    severity: Severity::Error,
    summary: "the commit that recorded a move or deployment does not prove who made it",
    doc: "A transition or deployment names who made it (`by:`), and rules such as \
move-not-permitted (P007) judge that name. Typing someone else's name is easy, so the \
commit that added the entry must prove it, as `[approvals] verify` asks of approvals: \
authored by that person (`commit-author`, the default), also committed by them \
(`author-and-committer`, and under `signature`, which asks signatures of approvals \
only), or not checked (`none`). A merge commit that adds an entry none of its parents held added it \
itself. Commit each move as the person who made it (the chg command that makes the move \
uses your git identity); entries not yet committed are not judged until they are.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let verify = reg.policy.approvals.verify.for_moves();
    for stored in reg.records {
        let record = &stored.record;
        let mut judge = |entry: Entry, what: String, by: &str| {
            let Some(added) = history.entry(&record.id, &entry) else {
                return;
            };
            if let Err(why) = added.vouches_for(verify, by) {
                report.on(stored, format!("{what} by {by} was {why}"));
            }
        };
        for d in &record.deployments {
            let what = format!("the deployment to {} at {}", d.environment, d.at);
            judge(entries::deployment(d), what, &d.by);
        }
        for t in &record.transitions {
            // `chg deploy` writes a deployment and its transition together: the
            // deployment, judged above, stands for both.
            let with_deployment = t.to == Status::Deployed
                && (record.deployments.iter()).any(|d| d.at == t.at && same_email(&d.by, &t.by));
            if !with_deployment {
                let what = format!("the move {} → {} at {}", t.from, t.to, t.at);
                judge(entries::transition(t), what, &t.by);
            }
        }
    }
}
