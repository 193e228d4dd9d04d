//! Lifecycle moves on a record: what `chg submit`, `approve`, `deploy` ... do, as
//! functions that change a record in memory or refuse with a reason. No I/O here:
//! the command handlers load, call one of these, and save only on success, so a
//! refused move leaves the file byte for byte as it was.

mod approve;
pub mod edit;
pub mod freeze;
mod gates;
mod moves;
mod next;
pub mod set;

pub use approve::{approve, commit_decision, commit_only_the_decision, reject};
pub use gates::{record_evidence, EvidenceInput};
pub use moves::{
    accept_edit, assess, cancel, close, deploy, reconcile, review, revise, rollback, schedule,
    start, submit, verify, ReviewInput,
};
pub use next::{acts, awaits_approval_from, command, offers, Offer};

use crate::error::Failure;
use crate::model::lifecycle::{check_history, command_for, is_legal, next_states};
use crate::model::record::Transition;
use crate::model::{ChangeRecord, Identity, Move, Status, Timestamp};
use crate::policy::moves::Act;
use crate::policy::Policy;

/// Who makes a move, and when.
#[derive(Debug, Clone)]
pub struct Actor {
    pub who: Identity,
    pub at: Timestamp,
}

/// Refuses to act on a record whose recorded history does not add up.
fn ensure_consistent(record: &ChangeRecord) -> Result<(), Failure> {
    check_history(record).map_err(|e| {
        Failure::refused(format!("{} is in an illegal state: {e}", record.id))
            .hint("restore the status its transitions end in with `chg edit`; `chg check` reports this as L001")
    })
}

/// Refuses `actor` a move on an inconsistent record, or one the policy's `[moves]`
/// leaves to other people.
fn ensure_may(
    record: &ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    act: Act,
) -> Result<(), Failure> {
    ensure_consistent(record)?;
    let me = actor.who.email.as_str();
    policy.may_make(record, act, me).map_err(|who| {
        Failure::refused(format!(
            "you ({me}) may not {} {}{}: the policy leaves that to {who}",
            act.verb,
            record.id,
            act.destination()
        ))
        .hint(format!(
            "[moves] and [classes.{}.moves] in .changes.toml say who makes each move",
            record.class
        ))
    })
}

/// Moves `record` to `to`, appending the transition; refuses an illegal move with the
/// legal next states.
fn transition(
    record: &mut ChangeRecord,
    to: Status,
    actor: &Actor,
    note: Option<String>,
) -> Result<(), Failure> {
    let from = record.status;
    if !is_legal(from, to, record.class) {
        return Err(illegal(record, to));
    }
    record.transitions.push(Transition {
        from,
        to,
        at: actor.at,
        by: actor.who.email.clone(),
        note,
    });
    record.status = to;
    Ok(())
}

/// Refuses a move to `to` the lifecycle does not allow from here, before anything else
/// (a gate, a wait) is asked of it: what it asks would not make the move legal.
fn ensure_legal(record: &ChangeRecord, to: Status) -> Result<(), Failure> {
    if is_legal(record.status, to, record.class) {
        Ok(())
    } else {
        Err(illegal(record, to))
    }
}

/// The refusal for a move that the lifecycle does not allow from here: the states
/// the record can be moved to, each with its command, and when it was already at
/// `to` — someone submitting an approved change is a step behind, not wrong.
fn illegal(record: &ChangeRecord, to: Status) -> Failure {
    let (id, from) = (&record.id, record.status);
    // A move chg makes by itself (stale approvals send a change back to submitted)
    // is no move anyone can ask for.
    let moves: Vec<(Status, Move)> = next_states(from, record.class)
        .into_iter()
        .filter_map(|next| Some((next, command_for(from, next)?)))
        .collect();
    let legal = if moves.is_empty() {
        "none: it is final".to_string()
    } else {
        let states: Vec<String> = moves.iter().map(|(next, _)| next.to_string()).collect();
        states.join(", ")
    };
    let mut failure = Failure::refused(format!(
        "{id} cannot move from {from} to {to}; legal next states: {legal}"
    ));
    if let Some(t) = record.transitions.iter().rev().find(|t| t.to == to) {
        failure = failure.hint(format!(
            "{id} was already {to} at {}; it is {from} now",
            t.at
        ));
    }
    if !moves.is_empty() {
        let commands: Vec<String> = moves
            .iter()
            .map(|(next, verb)| format!("`chg {verb} {id}` ({next})"))
            .collect();
        failure = failure.hint(format!("from {from}: {}", commands.join(", ")));
    }
    failure
}
