//! P007 move-not-permitted.

use super::{Register, Report, Rule};
use crate::model::lifecycle::command_for;
use crate::model::record::same_email;
use crate::model::{ChangeRecord, Move, Status, Timestamp};
use crate::policy::moves::Act;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P007",
    name: "move-not-permitted",
    severity: Severity::Error,
    summary: "a move was made by someone `[moves]` does not give it to",
    doc: "`[moves]` (and `[classes.<class>.moves]`) name the roles that may make a lifecycle \
move: seed 002 §9.3 gives Johan \"Execute Production deployments\", seed 004 §5.6 \"reviewed by the \
change owner and approved by the CTO/CISO for closure\". `\"owner\"` stands for the change's \
`owner` (else its author). A move was made by someone in none of its roles. The command \
making the move refuses that; this catches a record edited by hand. \
Each move is judged where the record keeps who made it: a deployment by its entry in \
`deployments` (which names the environment, for `deploy:<environment>` keys), the review by \
`review.by`, every other move by its transition in `transitions` (`chg approve` is not a \
move here: approvals have their own rules, P001 to P004). \
Roles are judged as `.changes.toml` stands now, and the owner as the record says now, not \
as they stood when the move was made (P002 reads the roster of the time from history; P007 \
does not yet): when someone leaves a role, the moves they made in it become findings.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let record = &stored.record;
        for (act, by, at) in moves(record) {
            if let Err(who) = reg.policy.may_make(record, act, by) {
                report.on(
                    stored,
                    format!(
                        "{by} made the move {}{} at {at}, which the policy leaves to {who}",
                        act.verb,
                        act.destination()
                    ),
                );
            }
        }
    }
}

/// Every move the record says was made: what, by whom, when.
fn moves(record: &ChangeRecord) -> Vec<(Act<'_>, &str, Timestamp)> {
    // `chg deploy` writes the first deployment and its transition together, with one
    // person and time: the deployment, which names the environment, stands for both.
    let deployed_with = |by: &str, at: Timestamp| {
        record
            .deployments
            .iter()
            .any(|d| d.at == at && same_email(&d.by, by))
    };
    let transitions = record.transitions.iter().filter_map(|t| {
        let verb = command_for(t.from, t.to)?;
        let duplicate = t.to == Status::Deployed && deployed_with(&t.by, t.at);
        (!duplicate).then_some((Act::of(verb), t.by.as_str(), t.at))
    });
    let deployments = record
        .deployments
        .iter()
        .map(|d| (Act::deploy(&d.environment), d.by.as_str(), d.at));
    let review = record
        .review
        .iter()
        .map(|r| (Act::of(Move::Review), r.by.as_str(), r.at));
    transitions.chain(deployments).chain(review).collect()
}
