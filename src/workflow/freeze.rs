//! Declaring and ending freezes: who may, and what makes a freeze acceptable
//! (seed 000 §12: declared by the release manager, documented, time-bound).

use super::Actor;
use crate::calendar::Calendar;
use crate::error::Failure;
use crate::model::freeze::{EndedEarly, Freeze, Phase, PREFIX};
use crate::model::{ChangeId, Class, Timestamp};
use crate::policy::Policy;
use chrono::{DateTime, Datelike, Utc};

/// What `chg freeze start` asks for.
#[derive(Debug, Clone)]
pub struct Request {
    pub reason: String,
    /// Default: now.
    pub from: Option<Timestamp>,
    pub until: Timestamp,
    /// Default: the policy's `[freeze] allow`.
    pub allow: Option<Vec<Class>>,
    pub environments: Vec<String>,
}

/// Refuses anyone outside the policy's freeze role.
fn ensure_release_manager(policy: &Policy, actor: &Actor, verb: &str) -> Result<(), Failure> {
    let role = &policy.freeze.role;
    if policy.is_member(role, &actor.who.email) {
        return Ok(());
    }
    Err(Failure::refused(format!(
        "only members of the {role} role may {verb} a freeze, and {} is not one",
        actor.who.email
    ))
    .hint(format!(
        "ask a {role}; the members are listed under [roles] in .changes.toml"
    )))
}

/// The freeze a request declares, numbered `FRZ-<year>-0000` until the store gives
/// it its ID; refused when it is not time-bound within the policy.
pub fn declare(policy: &Policy, actor: &Actor, request: Request) -> Result<Freeze, Failure> {
    ensure_release_manager(policy, actor, "declare")?;
    let reason = request.reason.trim().to_string();
    if reason.is_empty() {
        return Err(Failure::input(
            "--reason is empty: a freeze must say why it is declared",
        ));
    }
    let from = request.from.unwrap_or(actor.at);
    let until = request.until;
    if until <= from {
        return Err(Failure::input(format!(
            "--until ({until}) is not after --from ({from}): a freeze must end after it starts"
        )));
    }
    if until <= actor.at {
        return Err(Failure::input(format!(
            "--until ({until}) is already past: the freeze would never be in force"
        )));
    }
    let max = policy.freeze.max_duration;
    let zone = policy.changes.timezone.0;
    let latest = max.after(from.utc().with_timezone(&zone));
    if until.utc() > latest {
        return Err(Failure::refused(format!(
            "a freeze may last at most {max} ([freeze] max_duration), and this one would last from {from} until {until}"
        ))
        .hint(format!(
            "end it by {}, and declare another later if it must go on",
            Timestamp(latest.fixed_offset())
        )));
    }
    Ok(Freeze {
        id: ChangeId::new(PREFIX, from.0.year() as u16, 0, 4),
        reason,
        starts: from,
        ends: Some(until),
        declared_by: actor.who.to_string(),
        allow: request.allow.unwrap_or_else(|| policy.freeze.allow.clone()),
        environments: request.environments,
        ended_early: None,
    })
}

/// The refusal of `chg freeze end` with no declared freeze in force: a recurring one
/// in force is named, since it is ended in the policy and not here.
fn nothing_to_end(policy: &Policy, now: DateTime<Utc>) -> Failure {
    let recurring: Vec<String> = Calendar::new(policy, [])
        .recurring_now(now)
        .iter()
        .filter(|o| o.starts <= now)
        .map(|o| o.rule.name())
        .collect();
    if recurring.is_empty() {
        return Failure::input("no freeze is in force, so none can be ended")
            .hint("`chg freeze list` shows every freeze; name an upcoming one to call it off");
    }
    Failure::input(format!(
        "no declared freeze is in force; only {} {}, which `chg freeze end` does not end",
        recurring.join(" and "),
        if recurring.len() == 1 { "is" } else { "are" }
    ))
    .hint(format!(
        "a recurring freeze is changed in [[freeze.recurring]] in {}",
        crate::policy::FILE_NAME
    ))
}

/// Ends a freeze now: the one named, or else the only one in force.
pub fn end(
    policy: &Policy,
    actor: &Actor,
    freezes: &[Freeze],
    id: Option<&ChangeId>,
) -> Result<Freeze, Failure> {
    ensure_release_manager(policy, actor, "end")?;
    let now = actor.at.utc();
    let freeze = match id {
        Some(id) => freezes
            .iter()
            .find(|f| f.id.same_change(id))
            .ok_or_else(|| Failure::input(format!("there is no freeze {id}")))?,
        None => {
            let open: Vec<&Freeze> = freezes
                .iter()
                .filter(|f| f.phase(now) == Phase::Active)
                .collect();
            match open.as_slice() {
                [one] => *one,
                [] => return Err(nothing_to_end(policy, now)),
                several => {
                    let ids: Vec<String> = several.iter().map(|f| f.id.to_string()).collect();
                    return Err(Failure::input(format!(
                        "{} freezes are in force ({}): name the one to end",
                        ids.len(),
                        ids.join(", ")
                    )));
                }
            }
        }
    };
    if freeze.phase(now) == Phase::Over {
        return Err(Failure::input(format!("{} is already over", freeze.id)));
    }
    let mut ended = freeze.clone();
    ended.ended_early = Some(EndedEarly {
        at: actor.at,
        by: actor.who.to_string(),
    });
    Ok(ended)
}
