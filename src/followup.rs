//! What a change owes once it went out, and by when: the post-implementation review,
//! an emergency change's late approval and retrospective, and a record written after
//! the work. Rules L002, L003 and L006 judge these duties; `chg metrics` counts the
//! ones overdue.

use crate::history::{filled, Held, History};
use crate::model::record::Deployment;
use crate::model::{ChangeId, ChangeRecord, Class, Status, Timestamp};
use crate::policy::duration::PolicyDuration;
use crate::policy::{approval, requirement, review, ClassRules, Policy, PostReview};
use chrono::{DateTime, Utc};

/// One duty of a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duty {
    /// The policy's deadline, when it sets one.
    pub within: Option<PolicyDuration>,
    pub due: Option<DateTime<Utc>>,
    /// `None` while owed; once done, when (unknown for a retrospective with no date).
    pub done: Option<Option<DateTime<Utc>>>,
}

impl Duty {
    /// Still owed, and past its deadline at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.done.is_none() && self.due.is_some_and(|due| now > due)
    }

    /// When it was done after its deadline: the time it was done.
    pub fn late(&self) -> Option<DateTime<Utc>> {
        match (self.done, self.due) {
            (Some(Some(at)), Some(due)) if at > due => Some(at),
            _ => None,
        }
    }

    /// Done no sooner than git shows it: at the later of the time typed into the
    /// record and the committer time of the mainline commit that first held the
    /// parts `need` names (`history::filled`) of change `id`'s record written down; at
    /// `now` while only the working tree holds them. Unchanged without history, or
    /// where history in scope does not say.
    pub fn as_committed(
        self,
        history: Option<&History>,
        id: &ChangeId,
        need: u32,
        now: DateTime<Utc>,
    ) -> Duty {
        let proven = match history.map(|h| h.held_since(id, need)) {
            Some(Held::Since(at)) => Some(at),
            Some(Held::Uncommitted) => Some(now),
            Some(Held::Unknown) | None => None,
        };
        let done = self.done.map(|typed| match (typed, proven) {
            (Some(typed), Some(proven)) => Some(typed.max(proven)),
            (typed, proven) => typed.or(proven),
        });
        Duty { done, ..self }
    }

    /// The deadline as messages print it: the policy's duration, and the time it falls
    /// due on the policy's clock.
    pub fn shown(&self, zone: chrono_tz::Tz) -> (String, String) {
        (
            self.within.map(|w| w.to_string()).unwrap_or_default(),
            self.due
                .map(|d| d.with_timezone(&zone).to_string())
                .unwrap_or_default(),
        )
    }
}

/// When the record first moved to `to`, from its transitions.
pub fn first_move_to(record: &ChangeRecord, to: Status) -> Option<Timestamp> {
    record.transitions.iter().find(|t| t.to == to).map(|t| t.at)
}

/// `within` after `start`, counted in the policy's time zone (business days skip its
/// weekends).
fn deadline(policy: &Policy, within: PolicyDuration, start: Timestamp) -> DateTime<Utc> {
    within
        .after(start.utc().with_timezone(&policy.changes.timezone.0))
        .with_timezone(&Utc)
}

/// Approval within the policy's SLA, from its first submission: the class's
/// `approval_sla` (seed 003 §9.1), else the SLA of the change's risk level (seed 001
/// §4.4).
pub fn approval_sla(record: &ChangeRecord, policy: &Policy) -> Option<Duty> {
    let within = match policy.class(record.class).approval_sla {
        Some(within) => within,
        None => *policy.approvals.sla.get(&policy.risk_level(record)?)?,
    };
    let submitted = first_move_to(record, Status::Submitted)?;
    Some(Duty {
        within: Some(within),
        due: Some(deadline(policy, within, submitted)),
        done: first_move_to(record, Status::Approved).map(|t| Some(t.utc())),
    })
}

/// Whether a change still waits for its approvers at `now`, past its SLA.
pub fn awaits_approval_past_sla(
    record: &ChangeRecord,
    policy: &Policy,
    now: DateTime<Utc>,
) -> bool {
    // The approval state last: it digests the record.
    matches!(record.status, Status::Submitted | Status::Assessed)
        && approval_sla(record, policy).is_some_and(|d| d.is_overdue(now))
        && !approval::state(record, policy).is_complete()
}

/// The post-implementation review, owed from the first deployment by classes that
/// require one and by changes declaring an impact area `[post_review] by_impact` names
/// (seed 000 §10), or from the rollback by classes that require one after a rollback
/// (seed 001 §10.4). A review that leaves out what the class's `review_requires`
/// names is not done.
pub fn post_review(record: &ChangeRecord, policy: &Policy) -> Option<Duty> {
    let rules = policy.class(record.class);
    let from = match review_owed(record, policy) {
        PostReview::Required => first_move_to(record, Status::Deployed)?,
        PostReview::OnRollback => first_move_to(record, Status::RolledBack)?,
        PostReview::Optional => return None,
    };
    Some(Duty {
        within: rules.post_review_within,
        due: rules
            .post_review_within
            .map(|within| deadline(policy, within, from)),
        done: record
            .review
            .as_ref()
            .filter(|_| review_lacks(record, policy).is_empty())
            .map(|r| Some(r.at.utc())),
    })
}

/// Which review a change owes: one after deployment where an impact area it declares
/// asks for it, one after a rollback where the class names what that review must
/// document, else what the class's `post_review` says.
pub fn review_owed(record: &ChangeRecord, policy: &Policy) -> PostReview {
    let rules = policy.class(record.class);
    if !policy.review_by_impact(record).is_empty() {
        PostReview::Required
    } else if rules.post_review == PostReview::Optional
        && !rules.review_requires_on_rollback.is_empty()
    {
        PostReview::OnRollback
    } else {
        rules.post_review
    }
}

/// What a review must hold written down to count, as [`filled`] masks it.
pub fn review_needs(record: &ChangeRecord, policy: &Policy) -> u32 {
    filled::review(&review::required(record, policy))
}

/// What the review on file leaves out of the class's `review_requires` (nothing when
/// there is no review).
pub fn review_lacks(record: &ChangeRecord, policy: &Policy) -> Vec<String> {
    record.review.as_ref().map_or_else(Vec::new, |r| {
        review::missing(r, &review::required(record, policy))
    })
}

/// The approval an emergency change owes from the moment work started (seed 001 §6.4).
pub fn emergency_approval(record: &ChangeRecord, policy: &Policy) -> Option<Duty> {
    let within = emergency_deadline(record, policy, |r| r.approval_within)?;
    let state = approval::state(record, policy);
    let done = state
        .is_complete()
        .then(|| state.current.iter().map(|a| a.at.utc()).max());
    Some(Duty { done, ..within })
}

/// The retrospective (root cause and preventive action) an emergency change owes.
pub fn retrospective(record: &ChangeRecord, policy: &Policy) -> Option<Duty> {
    let within = emergency_deadline(record, policy, |r| r.retrospective_within)?;
    let written = ["emergency.root_cause", "emergency.preventive_action"]
        .iter()
        .all(|n| requirement::is_met(record, n, &policy.risk));
    let held = record
        .emergency
        .as_ref()
        .and_then(|e| e.retrospective_at)
        .map(|t| t.utc());
    Some(Duty {
        done: written.then_some(held),
        ..within
    })
}

/// The record itself, owed within the class's `record_within` of `began`, when work on
/// the change began (seed 001 §6.4 "Within 24 hours: Document the emergency change").
/// It was done when the record was created.
pub fn record(record: &ChangeRecord, policy: &Policy, began: Timestamp) -> Option<Duty> {
    let within = policy.class(record.class).record_within?;
    Some(Duty {
        within: Some(within),
        due: Some(deadline(policy, within, began)),
        done: Some(Some(record.created_at.utc())),
    })
}

/// An emergency duty with its deadline from the start of work, not yet marked done.
fn emergency_deadline(
    record: &ChangeRecord,
    policy: &Policy,
    within: impl Fn(&ClassRules) -> Option<PolicyDuration>,
) -> Option<Duty> {
    if record.class != Class::Emergency {
        return None;
    }
    let started = first_move_to(record, Status::Implementing)?;
    let within = within(&policy.class(Class::Emergency))?;
    Some(Duty {
        within: Some(within),
        due: Some(deadline(policy, within, started)),
        done: None,
    })
}

/// The earliest a change may first be deployed: its class's `lead_time` after its
/// first submission (seed 003 §3.1: 24 hours for normal, a week for major changes).
pub fn earliest_deployment(
    record: &ChangeRecord,
    policy: &Policy,
) -> Option<(PolicyDuration, DateTime<Utc>)> {
    let lead = policy.class(record.class).lead_time?;
    let submitted = first_move_to(record, Status::Submitted)?;
    Some((lead, deadline(policy, lead, submitted)))
}

/// The latest deployment dated after `at`. A change is deployed once and verified
/// after every deployment it records, so a verification at `at` would be dated
/// before a deployment it verifies.
pub fn deployed_after(record: &ChangeRecord, at: Timestamp) -> Option<&Deployment> {
    (record.deployments.iter())
        .filter(|d| d.at.utc() > at.utc())
        .max_by_key(|d| d.at.utc())
}

/// The earliest a change deployed at `deployed` may be verified: its class's
/// `verify_after` of monitoring (seed 001 §9.3: 30 minutes at least).
pub fn earliest_verification(
    record: &ChangeRecord,
    policy: &Policy,
    deployed: Timestamp,
) -> Option<(PolicyDuration, DateTime<Utc>)> {
    monitored(policy, policy.class(record.class).verify_after, deployed)
}

/// The earliest a change rolled back at `rolled_back` may be closed: its class's
/// `monitor_after_rollback` of monitoring (seed 002 §15.2).
pub fn earliest_close(
    record: &ChangeRecord,
    policy: &Policy,
    rolled_back: Timestamp,
) -> Option<(PolicyDuration, DateTime<Utc>)> {
    monitored(
        policy,
        policy.class(record.class).monitor_after_rollback,
        rolled_back,
    )
}

/// The last rollback of a change dated at or before `at`: the one a move at `at`
/// follows.
pub fn rolled_back_before(record: &ChangeRecord, at: Timestamp) -> Option<Timestamp> {
    (record.transitions.iter())
        .filter(|t| t.to == Status::RolledBack && t.at.utc() <= at.utc())
        .map(|t| t.at)
        .max_by_key(|t| t.utc())
}

/// A monitoring period of `after` from `since`, when the policy sets one: how long,
/// and when it ends.
fn monitored(
    policy: &Policy,
    after: Option<PolicyDuration>,
    since: Timestamp,
) -> Option<(PolicyDuration, DateTime<Utc>)> {
    let after = after?;
    Some((after, deadline(policy, after, since)))
}
