//! `approve` and `reject`: who may decide, in which role, and what it does to the record.

use super::moves::{advance_if_approved, reconcile};
use super::{ensure_consistent, ensure_may, transition, Actor};
use crate::error::Failure;
use crate::git::{Git, Uncommitted};
use crate::model::record::same_email;
use crate::model::record::Approval;
use crate::model::{digest, ChangeId, ChangeRecord, Class, Decision, Identity, Move, Status};
use crate::policy::moves::Act;
use crate::policy::{approval, Need, Policy};
use crate::store::Store;

/// Refuses `chg approve --commit` or `chg reject --commit` (as `decision` says) when
/// the record at `path` holds edits HEAD does not (`uncommitted`): the commit would
/// carry them under the decider's name, though someone else made them.
pub fn commit_only_the_decision(
    decision: Decision,
    uncommitted: Option<Uncommitted>,
    path: &str,
    id: &ChangeId,
) -> Result<(), Failure> {
    let (how, what) = match uncommitted {
        None => return Ok(()),
        Some(Uncommitted::New) => ("has never been committed", "the whole record"),
        Some(Uncommitted::Edited) => (
            "has edits in the working tree that are not committed",
            "those edits",
        ),
        Some(Uncommitted::Staged) => ("has staged edits that are not committed", "those edits"),
    };
    let command = decision.command();
    Err(Failure::refused(format!(
        "{path} {how}: `chg {command} --commit` would commit {what} under your name, so {id} was not {decision}"
    ))
    .hint(format!("ask whoever made those edits to commit them first, then {command} again"))
    .hint(format!(
        "or, if you mean to sign for them, commit them yourself (`git commit {path}`) and {command} again"
    )))
}

/// Commits `record`'s file in `store` alone, holding the decision just recorded on it
/// in `role`, authored by `who`. When the commit fails the record's `original` text
/// is put back: without its commit, the decision is not kept.
pub fn commit_decision(
    git: &Git,
    store: &Store,
    original: &str,
    record: &ChangeRecord,
    decision: Decision,
    role: &str,
    who: &Identity,
) -> anyhow::Result<()> {
    let verb = decision.command();
    let verb = format!("{}{}", verb[..1].to_uppercase(), &verb[1..]);
    let message = format!(
        "{verb} {} as {role}\n\n{}\n\nChange: {}\n",
        record.id, record.title, record.id
    );
    if let Err(e) = git.commit_file(&store.display_path(&record.id), &message, who) {
        crate::store::write_atomic(&store.path_of(&record.id), original.as_bytes())?;
        return Err(e.context(Failure::input(format!(
            "the decision on {} was not committed, so it was not kept",
            record.id
        ))));
    }
    Ok(())
}

/// States in which a decision may be recorded: after submit and before approval, and
/// for an emergency change also after it went ahead without one.
fn open_for_decision(record: &ChangeRecord) -> Result<(), Failure> {
    let emergency_after_the_fact = record.class == Class::Emergency
        && matches!(
            record.status,
            Status::Implementing | Status::Deployed | Status::Verified | Status::RolledBack
        );
    match record.status {
        Status::Submitted | Status::Assessed => Ok(()),
        _ if emergency_after_the_fact => Ok(()),
        Status::Draft => Err(Failure::refused(format!(
            "{} is a draft: it can be decided on once submitted",
            record.id
        ))
        .hint(format!("`chg submit {}` submits it", record.id))),
        status => Err(Failure::refused(format!(
            "{} is {status}: decisions are recorded while it is submitted or assessed",
            record.id
        ))),
    }
}

fn check_role_defined(policy: &Policy, role: &str) -> Result<(), Failure> {
    policy.check_role("--role", role).map_err(Failure::input)
}

/// The roles an approval by `me` may still be given in: those of the requirements
/// not yet met that `me` does not already count towards, and, while a lower declared
/// risk level awaits acceptance, the risk authority's.
fn open_roles(state: &approval::ApprovalState, policy: &Policy, me: &str) -> Vec<String> {
    let authority = state
        .unaccepted
        .map(|_| policy.risk.authority.as_slice())
        .unwrap_or_default();
    let unmet = (state.standings.iter()).filter(|s| !s.is_met() && !s.counts(me));
    let unmet_roles = unmet.flat_map(|s| s.need.roles.iter());
    let given = |role: &String| state.current.iter().any(|a| &a.role == role);
    approval::each_once(
        unmet_roles
            .chain(authority.iter().filter(|r| !given(r)))
            .cloned(),
    )
}

/// The refusal of a second approval by `me` towards a quorum they already count in.
fn counted_once(state: &approval::ApprovalState, me: &str, id: &ChangeId) -> Option<Failure> {
    let s = (state.standings.iter()).find(|s| !s.is_met() && s.counts(me))?;
    let more = s.need.count - s.by.len();
    Some(
        Failure::refused(format!(
            "you ({me}) already approved {id} towards `{}`, which counts each person once",
            s.need
        ))
        .hint(format!(
            "it needs {more} more approval{} from someone else in {}",
            if more == 1 { "" } else { "s" },
            s.need.roles.join(" or ")
        )),
    )
}

/// Records `actor`'s approval in `role` (or the one open role they can fill) and
/// returns the role. The record becomes `approved` when every required role has a
/// current approval.
pub fn approve(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    role: Option<&str>,
    comment: Option<String>,
) -> Result<String, Failure> {
    ensure_consistent(record)?;
    if let Some(role) = role {
        check_role_defined(policy, role)?;
    }
    reconcile(record, policy, actor);
    open_for_decision(record)?;
    if policy.approvals.comment == Need::Required
        && comment.as_deref().is_none_or(|c| c.trim().is_empty())
    {
        return Err(
            Failure::refused("the policy asks every approval to give its rationale")
                .hint("say why with --comment \"...\""),
        );
    }
    let me = actor.who.email.as_str();
    if policy.approvals.separation_of_duties && same_email(record.author_email(), me) {
        return Err(Failure::refused(format!(
            "you ({me}) wrote {}: under separation of duties someone else must approve it",
            record.id
        )));
    }
    let state = approval::state(record, policy);
    let open = open_roles(&state, policy, me);
    let required: Vec<_> = state.standings.iter().map(|s| &s.need).collect();
    let role = match role {
        Some(role) => {
            if !required.iter().any(|n| n.admits(role)) && !open.iter().any(|r| r == role) {
                let needs: Vec<String> = required.iter().map(|n| n.to_string()).collect();
                return Err(Failure::refused(format!(
                    "{} does not need approval from {role}; it needs: {}",
                    record.id,
                    if needs.is_empty() {
                        "nobody".to_string()
                    } else {
                        needs.join(", ")
                    }
                )));
            }
            if !open.iter().any(|r| r == role) {
                if let Some(refusal) = counted_once(&state, me, &record.id) {
                    return Err(refusal);
                }
                // Filled through this role or another it is an alternative to; a
                // risk authority's role is filled outside any requirement.
                let filled = (state.standings.iter()).find(|s| s.need.admits(role) && s.is_met());
                let given = filled.map_or(state.current.clone(), |s| s.by.clone());
                let by: Vec<&str> = (given.iter())
                    .filter(|a| filled.is_some() || a.role == role)
                    .map(|a| a.by.as_str())
                    .collect();
                let what = filled.map_or(role.to_string(), |s| s.need.to_string());
                return Err(Failure::refused(format!(
                    "{} is already approved as {what} (by {})",
                    record.id,
                    by.join(", ")
                )));
            }
            if !policy.is_member(role, me) {
                return Err(Failure::refused(format!(
                    "you ({me}) are not a member of {role}; its members: {}",
                    policy.members_of(role)
                )));
            }
            role.to_string()
        }
        None => {
            let mine: Vec<&String> = open.iter().filter(|r| policy.is_member(r, me)).collect();
            match mine.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    if let Some(refusal) = counted_once(&state, me, &record.id) {
                        return Err(refusal);
                    }
                    if open.is_empty() {
                        return Err(Failure::refused(format!(
                            "{} has every approval it needs",
                            record.id
                        )));
                    }
                    let needed: Vec<String> = open
                        .iter()
                        .map(|r| format!("{r} ({})", policy.members_of(r)))
                        .collect();
                    return Err(Failure::refused(format!(
                        "you ({me}) are not a member of any role {} still needs: {}",
                        record.id,
                        needed.join("; ")
                    )));
                }
                several => {
                    let names: Vec<&str> = several.iter().map(|r| r.as_str()).collect();
                    return Err(Failure::input(format!(
                        "you could approve {} as {}: say which with --role",
                        record.id,
                        names.join(" or ")
                    )));
                }
            }
        }
    };
    if policy.approvals.distinct_approvers {
        let counted = (state.standings.iter()).flat_map(|s| &s.by);
        if let Some(other) = counted.into_iter().find(|a| same_email(&a.by, me)) {
            return Err(Failure::refused(format!(
                "you already approved {} as {}; the policy asks for a different person in each role",
                record.id, other.role
            )));
        }
    }
    record.approvals.push(Approval {
        role: role.clone(),
        by: me.to_string(),
        at: actor.at,
        decision: Decision::Approved,
        comment,
        digest: Some(digest::of(record)),
    });
    advance_if_approved(record, policy, actor)?;
    Ok(role)
}

/// Records `actor`'s rejection and moves the change to `rejected`.
pub fn reject(
    record: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
    role: Option<&str>,
    reason: String,
) -> Result<String, Failure> {
    ensure_may(record, policy, actor, Act::of(Move::Reject))?;
    if let Some(role) = role {
        check_role_defined(policy, role)?;
    }
    open_for_decision(record)?;
    let me = actor.who.email.as_str();
    if same_email(record.author_email(), me) {
        return Err(Failure::refused(format!(
            "you ({me}) wrote {}: withdraw it with `chg cancel` instead",
            record.id
        )));
    }
    let (_, required) = approval::requirement(record, policy);
    // Any role a requirement admits decides on the change.
    let required = approval::each_once(required.iter().flat_map(|n| &n.roles).cloned());
    let role = match role {
        Some(role) if !required.iter().any(|r| r == role) => {
            return Err(Failure::refused(format!(
                "{role} does not decide on {}; its deciding roles: {}",
                record.id,
                if required.is_empty() {
                    "none".to_string()
                } else {
                    required.join(", ")
                }
            )))
        }
        Some(role) if policy.is_member(role, me) => role.to_string(),
        Some(role) => {
            return Err(Failure::refused(format!(
                "you ({me}) are not a member of {role}; its members: {}",
                policy.members_of(role)
            )))
        }
        None => required
            .iter()
            .find(|r| policy.is_member(r, me))
            .cloned()
            .ok_or_else(|| {
                Failure::refused(format!(
                    "you ({me}) are not a member of any role that decides on {}: {}",
                    record.id,
                    required.join(", ")
                ))
            })?,
    };
    record.approvals.push(Approval {
        role: role.clone(),
        by: me.to_string(),
        at: actor.at,
        decision: Decision::Rejected,
        comment: Some(reason.clone()),
        digest: Some(digest::of(record)),
    });
    transition(record, Status::Rejected, actor, Some(reason))?;
    Ok(role)
}
