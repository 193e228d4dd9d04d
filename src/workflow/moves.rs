//! The lifecycle verbs other than approval.

use super::gates::{ensure_gate, with_evidence_hint};
use super::{ensure_legal, ensure_may, illegal, transition, Actor};
use crate::calendar::{Calendar, Frozen, Hold};
use crate::error::Failure;
use crate::followup;
use crate::model::lifecycle::is_deployed;
use crate::model::record::{Deployment, Review, RiskAssessment, Schedule};
use crate::model::{ChangeRecord, Class, DeployOutcome, Move, ReviewOutcome, Status, Timestamp};
use crate::policy::approval::{self, Waiver};
use crate::policy::moves::Act;
use crate::policy::{requirement, review, Policy};

/// Moves a submitted or assessed change to `approved` once nothing is left to approve.
pub(super) fn advance_if_approved(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
) -> Result<(), Failure> {
    if !matches!(record.status, Status::Submitted | Status::Assessed) {
        return Ok(());
    }
    let state = approval::state(record, policy);
    if !state.is_complete() {
        return Ok(());
    }
    let note = match state.waiver {
        Some(Waiver::PreApproved) => "pre-approved: the class needs no approver",
        Some(Waiver::AutoApproved) => "auto-approved: the policy approves this risk level",
        None if state.standings.is_empty() => "no approver required by the policy",
        None => "every required role approved",
    };
    transition(record, Status::Approved, actor, Some(note.into()))
}

/// An approved or scheduled change whose approvals went stale goes back to
/// `submitted`; returns what happened, if anything.
pub fn reconcile(record: &mut ChangeRecord, policy: &Policy, actor: &Actor) -> Option<String> {
    if !matches!(record.status, Status::Approved | Status::Scheduled) {
        return None;
    }
    let state = approval::state(record, policy);
    if state.is_complete() {
        return None;
    }
    let missing = state.missing().join(", ");
    let note =
        format!("approvals went stale: the record changed after approval; needs {missing} again");
    transition(record, Status::Submitted, actor, Some(note.clone())).ok()?;
    Some(note)
}

/// Checks a record as edited by hand against the record before: its history must
/// still add up, and once work has started the approved content is fixed (an edit
/// would make the approvals that let it start stale, and nothing could close it).
/// An approved or scheduled change whose approvals go stale returns to submitted;
/// returns what happened, if anything.
pub fn accept_edit(
    before: Option<&ChangeRecord>,
    after: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
) -> Result<Option<String>, String> {
    crate::model::lifecycle::check_history(after)?;
    let started = matches!(
        after.status,
        Status::Implementing
            | Status::Deployed
            | Status::Verified
            | Status::RolledBack
            | Status::Closed
    );
    if let Some(before) = before.filter(|_| started) {
        let was = approval::state(before, policy).current.len();
        if approval::state(after, policy).current.len() < was {
            return Err(format!(
                "{} is {}: the content its approvals cover cannot change once work has started \
                 (notes after deployment belong in `chg review`)",
                after.id, after.status
            ));
        }
    }
    Ok(reconcile(after, policy, actor))
}

/// The missing-requirement entry for an unjustified declared risk level.
fn unjustified_level(record: &ChangeRecord, policy: &Policy) -> Option<String> {
    let (declared, derived) = policy.risk.unjustified(&record.risk)?;
    Some(format!(
        "risk.justification (risk.level says {declared}, the policy derives {derived})"
    ))
}

pub fn submit(record: &mut ChangeRecord, policy: &Policy, actor: &Actor) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Submit))?;
    if record.status != Status::Draft {
        return Err(illegal(record, Status::Submitted));
    }
    ensure_complete(record, policy, "submitted")?;
    transition(record, Status::Submitted, actor, None)?;
    advance_if_approved(record, policy, actor)
}

/// Refuses a record leaving draft while its class's requirements are unmet: by submit,
/// or by an emergency change started straight from draft.
fn ensure_complete(record: &ChangeRecord, policy: &Policy, verb: &str) -> Result<(), Failure> {
    let mut missing = requirement::missing(record, policy);
    missing.extend(unjustified_level(record, policy));
    if missing.is_empty() {
        return Ok(());
    }
    let mut failure = Failure::refused(format!(
        "{} cannot be {verb}; it lacks: {}",
        record.id,
        missing.join(", ")
    ));
    if record.class != Class::Standard && missing.iter().any(|m| m == "rollback.plan") {
        failure = failure.hint(
            "a change without a rollback plan is rejected: only standard changes go without one",
        );
    }
    failure = with_evidence_hint(failure, record, &missing);
    Err(failure.hint(format!(
        "fill them in with `chg set {id} FIELD=VALUE` or `chg edit {id}` (risk answers with `chg assess`)",
        id = record.id
    )))
}

/// Records a risk assessment (and impact areas) that `update` writes into the record.
/// A submitted change becomes `assessed`; a draft or assessed one stays where it is.
/// Assesses a change: `update` answers its risk questions, and `areas` (checked by
/// [`Policy::declared_areas`]) are added to the impact areas it declares.
pub fn assess(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    update: impl FnOnce(&mut RiskAssessment),
    areas: &[String],
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Assess))?;
    match record.status {
        Status::Draft | Status::Assessed => {}
        Status::Submitted => transition(record, Status::Assessed, actor, None)?,
        _ => {
            return Err(Failure::refused(format!(
                "{} is {}: risk is assessed before approval, while it is a draft, submitted or assessed",
                record.id, record.status
            )))
        }
    }
    update(&mut record.risk);
    for area in areas {
        if !record.impact_areas.contains(area) {
            record.impact_areas.push(area.clone());
        }
    }
    if let Some(problem) = unjustified_level(record, policy) {
        return Err(Failure::refused(format!("{} needs {problem}", record.id)));
    }
    advance_if_approved(record, policy, actor)
}

/// Refuses work on a non-emergency change whose approvals are not all current.
fn ensure_approved(record: &ChangeRecord, policy: &Policy, doing: &str) -> Result<(), Failure> {
    if record.class == Class::Emergency {
        return Ok(());
    }
    let state = approval::state(record, policy);
    let approved_states = [
        Status::Approved,
        Status::Scheduled,
        Status::Implementing,
        Status::Deployed,
    ];
    if approved_states.contains(&record.status) && state.is_complete() {
        return Ok(());
    }
    let why = if !state.stale.is_empty() && !state.missing().is_empty() {
        format!(
            "its approvals are stale (the record changed after approval); it needs {} again",
            state.missing().join(", ")
        )
    } else if !state.missing().is_empty() {
        format!(
            "it still needs approval from {}",
            state.missing().join(", ")
        )
    } else {
        format!("it is {}", record.status)
    };
    Err(Failure::refused(format!("{} cannot be {doing}: {why}", record.id))
        .hint(format!("only emergency changes may be {doing} before approval; `chg show {}` shows its approvals", record.id)))
}

pub fn schedule(
    record: &mut ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: &Actor,
    start: Timestamp,
    end: Option<Timestamp>,
) -> Result<(), Failure> {
    if end.is_some_and(|end| end <= start) {
        return Err(Failure::input(format!(
            "the schedule ends ({}) before it starts ({start})",
            end.unwrap_or(start)
        )));
    }
    ensure_schedulable(record, policy, actor)?;
    // A change that names no environment may go to any, so every freeze counts.
    let environments: Vec<Option<&str>> = match record.environments.as_slice() {
        [] => vec![None],
        named => named.iter().map(|e| Some(e.as_str())).collect(),
    };
    let (from, to) = (start.utc(), end.unwrap_or(start).utc());
    if let Some(hold) = environments
        .into_iter()
        .find_map(|env| calendar.hold_over(record, env, from, to))
    {
        return Err(held(record, calendar, &hold, "scheduled"));
    }
    match record.status {
        Status::Scheduled => {}
        _ => transition(record, Status::Scheduled, actor, None)?,
    }
    record.schedule = Some(Schedule { start, end });
    Ok(())
}

/// Refuses `actor` scheduling `record` at any time: what `schedule` checks before the
/// times it is given.
pub(super) fn ensure_schedulable(
    record: &ChangeRecord,
    policy: &Policy,
    actor: &Actor,
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Schedule))?;
    ensure_approved(record, policy, "scheduled")
}

/// The refusal of a move that a freeze or the deployment windows hold back.
fn held(record: &ChangeRecord, calendar: &Calendar, hold: &Hold, verb: &str) -> Failure {
    let failure = Failure::refused(format!(
        "{} cannot be {verb} then: {}",
        record.id,
        calendar.explain(hold)
    ));
    match hold {
        Hold::Freeze(Frozen::Declared(f)) => failure.hint(format!(
            "wait until it ends, or ask the release manager to end it early (`chg freeze end {}`)",
            f.id
        )),
        Hold::Freeze(Frozen::Recurring(_)) => failure
            .hint("wait until it ends: it comes back by [[freeze.recurring]] in .changes.toml"),
        Hold::Window { .. } => failure.hint(
            "pick a time in an open window; the windows are in .changes.toml under [windows]",
        ),
    }
}

pub fn start(record: &mut ChangeRecord, policy: &Policy, actor: &Actor) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Start))?;
    ensure_approved(record, policy, "started")?;
    if record.status == Status::Draft {
        ensure_complete(record, policy, "started")?;
    }
    ensure_legal(record, Status::Implementing)?;
    ensure_gate(record, policy, Act::of(Move::Start), actor, "started")?;
    transition(record, Status::Implementing, actor, None)
}

pub fn deploy(
    record: &mut ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: &Actor,
    deployment: Deployment,
) -> Result<(), Failure> {
    let first = ensure_deployable(
        record,
        policy,
        calendar,
        actor,
        Some(&deployment.environment),
        deployment.at,
    )?;
    if let Some(pattern) = policy.deployment_ref_pattern() {
        let ok = deployment
            .reference
            .as_deref()
            .is_some_and(|r| pattern.is_match(r));
        if !ok {
            return Err(Failure::refused(format!(
                "a deployment must name what went out with --ref matching `{}`",
                pattern.as_str()
            ))
            .hint("e.g. the release tag or build ID"));
        }
    }
    if first {
        transition(record, Status::Deployed, actor, None)?;
    }
    record.deployments.push(deployment);
    Ok(())
}

/// Refuses `actor` deploying `record` to `environment` (to any, when `None`) at `at`:
/// everything `deploy` checks but what went out. Returns whether it would be the
/// first deployment, which moves the change to deployed.
pub(super) fn ensure_deployable(
    record: &ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: &Actor,
    environment: Option<&str>,
    at: Timestamp,
) -> Result<bool, Failure> {
    let act = Act {
        verb: Move::Deploy,
        environment,
    };
    ensure_may(record, policy, actor, act)?;
    ensure_approved(record, policy, "deployed")?;
    if let Some(hold) = calendar.hold(record, environment, at.utc()) {
        return Err(held(record, calendar, &hold, "deployed"));
    }
    if let Some((lead, earliest)) = followup::earliest_deployment(record, policy)
        .filter(|(_, earliest)| record.deployments.is_empty() && at.utc() < *earliest)
    {
        return Err(Failure::refused(format!(
            "{} cannot be deployed before {}: a {} change waits {lead} after submit",
            record.id,
            policy.changes.timezone.local(earliest),
            record.class
        ))
        .hint("wait, or classify the change as an emergency if it truly is one"));
    }
    let first = match record.status {
        Status::Implementing => true,
        // Another environment, or another attempt after a failed one.
        Status::Deployed => false,
        Status::Approved | Status::Scheduled => {
            return Err(Failure::refused(format!(
                "{} is {}: start it first",
                record.id, record.status
            ))
            .hint(format!("`chg start {}` marks the work as begun", record.id)))
        }
        _ => return Err(illegal(record, Status::Deployed)),
    };
    ensure_gate(record, policy, act, actor, "deployed")?;
    Ok(first)
}

pub fn verify(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    note: Option<String>,
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Verify))?;
    ensure_legal(record, Status::Verified)?;
    if let Some(last) = record
        .deployments
        .last()
        .filter(|d| d.outcome == DeployOutcome::Failed)
    {
        return Err(Failure::refused(format!(
            "{}'s last deployment ({}) failed: roll it back or deploy again before verifying",
            record.id, last.environment
        )));
    }
    if let Some(later) = followup::deployed_after(record, actor.at) {
        return Err(Failure::refused(format!(
            "{} was deployed to {} at {}, after now ({}): a change is verified after its deployment, not before",
            record.id, later.environment, later.at, actor.at
        ))
        .hint(format!(
            "check this machine's clock against the one {} deployed from",
            later.by
        )));
    }
    if let Some((after, earliest)) = record
        .deployments
        .last()
        .and_then(|d| followup::earliest_verification(record, policy, d.at))
        .filter(|(_, earliest)| actor.at.utc() < *earliest)
    {
        return Err(Failure::refused(format!(
            "{} was deployed less than {after} ago: a {} change is monitored that long before it is verified",
            record.id, record.class
        ))
        .hint(format!(
            "verify from {}",
            policy.changes.timezone.local(earliest)
        )));
    }
    ensure_gate(record, policy, Act::of(Move::Verify), actor, "verified")?;
    transition(record, Status::Verified, actor, note)
}

pub fn rollback(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    reason: String,
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Rollback))?;
    transition(record, Status::RolledBack, actor, Some(reason))
}

/// Post-implementation review answers (seed 000 §10).
#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub outcome: ReviewOutcome,
    pub side_effects: Option<String>,
    pub monitoring_findings: Option<String>,
    pub lessons: Option<String>,
    pub playbook_updates: Option<String>,
    pub incidents: Option<String>,
    pub regression: Option<bool>,
    pub steps: Option<String>,
    pub duration: Option<String>,
    pub impact: Option<String>,
    pub root_cause: Option<String>,
    pub preventive_measures: Option<String>,
}

pub fn review(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    input: ReviewInput,
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Review))?;
    if !is_deployed(record.status) || record.status == Status::Closed {
        return Err(Failure::refused(format!(
            "{} is {}: a post-implementation review follows deployment",
            record.id, record.status
        )));
    }
    ensure_gate(record, policy, Act::of(Move::Review), actor, "reviewed")?;
    let review = Review {
        at: actor.at,
        by: actor.who.email.clone(),
        outcome: input.outcome,
        side_effects: input.side_effects,
        monitoring_findings: input.monitoring_findings,
        lessons: input.lessons,
        playbook_updates: input.playbook_updates,
        incidents: input.incidents,
        regression: input.regression,
        steps: input.steps,
        duration: input.duration,
        impact: input.impact,
        root_cause: input.root_cause,
        preventive_measures: input.preventive_measures,
    };
    let lacking = review::missing(&review, &review::required(record, policy));
    if !lacking.is_empty() {
        let flags: Vec<String> = lacking.iter().map(|f| review::flag(f)).collect();
        let rolled_back = if review::was_rolled_back(record) {
            "rolled-back "
        } else {
            ""
        };
        return Err(Failure::refused(format!(
            "a review of a {rolled_back}{} change must say {}",
            record.class,
            lacking.join(", ")
        ))
        .hint(format!("give {}", flags.join(", "))));
    }
    record.review = Some(Box::new(review));
    Ok(())
}

pub fn close(record: &mut ChangeRecord, policy: &Policy, actor: &Actor) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Close))?;
    if matches!(record.status, Status::Verified | Status::RolledBack) {
        if followup::post_review(record, policy).is_some_and(|duty| duty.done.is_none()) {
            let what = match &record.review {
                Some(_) => format!(
                    "its review must also say {}",
                    followup::review_lacks(record, policy).join(", ")
                ),
                None => match policy.review_by_impact(record).as_slice() {
                    [] => format!(
                        "{} changes need a post-implementation review first",
                        record.class
                    ),
                    areas => format!(
                        "changes declaring impact area {} need a post-implementation review first",
                        areas.join(", ")
                    ),
                },
            };
            return Err(
                Failure::refused(format!("{} cannot be closed: {what}", record.id)).hint(format!(
                    "`chg review {} --outcome achieved|partially|not-achieved` records it",
                    record.id
                )),
            );
        }
        let state = approval::state(record, policy);
        if !state.is_complete() {
            return Err(Failure::refused(format!(
                "{} cannot be closed: it still needs approval from {}",
                record.id,
                state.missing().join(", ")
            )));
        }
        if let Some((after, earliest)) = followup::rolled_back_before(record, actor.at)
            .and_then(|at| followup::earliest_close(record, policy, at))
            .filter(|(_, earliest)| actor.at.utc() < *earliest)
        {
            return Err(Failure::refused(format!(
                "{} was rolled back less than {after} ago: a {} change is monitored that long after a rollback before it is closed",
                record.id, record.class
            ))
            .hint(format!(
                "close from {}",
                policy.changes.timezone.local(earliest)
            )));
        }
        ensure_gate(record, policy, Act::of(Move::Close), actor, "closed")?;
    }
    transition(record, Status::Closed, actor, None)
}

pub fn cancel(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    reason: String,
) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Cancel))?;
    transition(record, Status::Cancelled, actor, Some(reason))
}

/// Takes a rejected change back to draft, to be revised and submitted again.
pub fn revise(record: &mut ChangeRecord, policy: &Policy, actor: &Actor) -> Result<(), Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Revise))?;
    transition(record, Status::Draft, actor, None)
}
