//! The moves `chg show` offers next: each legal move from where a record stands, tried
//! on a copy by the same functions the move commands run, so that a move the workflow
//! would refuse is offered with the reason it would give.

use super::moves::{ensure_deployable, ensure_schedulable};
use super::{
    approve, assess, cancel, close, reject, revise, rollback, start, submit, verify, Actor,
};
use crate::calendar::Calendar;
use crate::error::{Failure, Kind};
use crate::model::lifecycle::{command_for, next_states};
use crate::model::{ChangeRecord, Move};
use crate::policy::moves::Act;
use crate::policy::Policy;

/// A move offered, as the command that makes it, and why it would be refused now.
#[derive(Debug, Clone)]
pub struct Offer {
    pub command: String,
    pub refusal: Option<String>,
}

/// Stands for what a person writes on the command line (a reason, a comment): an offer
/// asks whether the record and the policy allow a move, not what its flags will say.
const GIVEN: &str = "(given on the command line)";

/// Each move `actor` could ask for on `record` now, in the lifecycle's order, tried
/// against the policy and the calendar as the move's own command would try it.
pub fn offers(
    record: &ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: &Actor,
) -> Vec<Offer> {
    acts(record)
        .into_iter()
        .map(|act| {
            let mut copy = record.clone();
            let r = &mut copy;
            let tried = match act.verb {
                Move::Submit => submit(r, policy, actor),
                Move::Assess => assess(r, policy, actor, |_| {}, &[]),
                Move::Approve => approve(r, policy, actor, None, Some(GIVEN.into())).map(drop),
                Move::Reject => reject(r, policy, actor, None, GIVEN.into()).map(drop),
                Move::Schedule => ensure_schedulable(r, policy, actor),
                Move::Start => start(r, policy, actor),
                Move::Deploy => {
                    ensure_deployable(record, policy, calendar, actor, act.environment, actor.at)
                        .map(drop)
                }
                Move::Verify => verify(r, policy, actor, None),
                Move::Rollback => rollback(r, policy, actor, GIVEN.into()),
                Move::Close => close(r, policy, actor),
                Move::Cancel => cancel(r, policy, actor, GIVEN.into()),
                Move::Revise => revise(r, policy, actor),
                // `acts` never yields a review: it moves no state.
                Move::Review => Ok(()),
            };
            offer(command(&act), tried)
        })
        .collect()
}

/// Each legal move from where `record` stands, in the lifecycle's order; a deployment
/// once per environment the record names (once, to any, when it names none).
pub fn acts(record: &ChangeRecord) -> Vec<Act<'_>> {
    let environments: Vec<Option<&str>> = match record.environments.as_slice() {
        [] => vec![None],
        named => named.iter().map(|e| Some(e.as_str())).collect(),
    };
    let moves = next_states(record.status, record.class)
        .into_iter()
        .filter_map(|to| command_for(record.status, to));
    let mut acts = Vec::new();
    for verb in moves {
        match verb {
            Move::Deploy => acts.extend(
                environments
                    .iter()
                    .map(|&environment| Act { verb, environment }),
            ),
            // A review moves no state, so no state leads to it.
            Move::Review => {}
            _ => acts.push(Act::of(verb)),
        }
    }
    acts
}

/// The command line that makes `act`, after `chg`: `approve`, `deploy --env test`.
pub fn command(act: &Act) -> String {
    match (act.verb, act.environment) {
        (Move::Deploy, env) => format!("deploy --env {}", env.unwrap_or("<ENV>")),
        (verb, _) => verb.to_string(),
    }
}

/// Whether `record` waits for an approval `actor` could give now: in a role they hold
/// and have not yet filled, on a change separation of duties lets them decide on.
/// Asked of `chg approve` itself, on a copy.
pub fn awaits_approval_from(record: &ChangeRecord, policy: &Policy, actor: &Actor) -> bool {
    let tried = approve(&mut record.clone(), policy, actor, None, Some(GIVEN.into()));
    offer(Move::Approve.to_string(), tried.map(drop))
        .refusal
        .is_none()
}

/// A refusal makes the move unavailable; a usage error (a flag to choose between two
/// roles) only says what the command will ask for.
fn offer(command: String, tried: Result<(), Failure>) -> Offer {
    let refusal = tried
        .err()
        .filter(|f| f.kind != Kind::Input)
        .map(|f| f.message);
    Offer { command, refusal }
}
