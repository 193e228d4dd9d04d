//! `[moves]` and `[classes.<class>.moves]`: who may make each lifecycle move (seed 002
//! §9.3 "Execute Production deployments", seed 004 §5.6 "reviewed by the change
//! owner"). A move that no table names is open to anyone.
//!
//! Keys are the commands that make the moves (`deploy`, `close` ...). A deployment may
//! also be keyed by its environment, `"deploy:production"`, which comes before plain
//! `deploy`: the seeds restrict production deployments, not test ones. A class's entry
//! replaces the global entry of the same key.

use super::Policy;
use crate::model::record::same_email;
use crate::model::{ChangeRecord, Class, Move};
use std::collections::BTreeMap;

/// The entry that stands for the change's owner (its `owner`, else its author).
pub const OWNER: &str = "owner";

/// Move key → the roles allowed to make that move.
pub type MoveRoles = BTreeMap<String, Vec<String>>;

/// A move as the policy judges it: the command, and for a deployment where to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Act<'a> {
    pub verb: Move,
    pub environment: Option<&'a str>,
}

impl<'a> Act<'a> {
    pub fn of(verb: Move) -> Act<'a> {
        Act {
            verb,
            environment: None,
        }
    }

    pub fn deploy(environment: &'a str) -> Act<'a> {
        Act {
            verb: Move::Deploy,
            environment: Some(environment),
        }
    }

    /// ` to <environment>` for a deployment, else nothing: what follows the change in
    /// "deploy CHG-2026-0001 to production".
    pub fn destination(&self) -> String {
        self.environment
            .map(|env| format!(" to {env}"))
            .unwrap_or_default()
    }

    /// The keys that may hold this move, the most specific first.
    pub(super) fn keys(&self) -> impl Iterator<Item = String> {
        let scoped = self.environment.map(|env| format!("{}:{env}", self.verb));
        scoped.into_iter().chain([self.verb.to_string()])
    }
}

impl Policy {
    /// The roles that may make `act` on a change of `class`; `None` when anyone may.
    pub fn movers(&self, class: Class, act: Act) -> Option<&[String]> {
        let tables = [&self.written(class).moves, &self.moves];
        act.keys()
            .find_map(|key| tables.iter().find_map(|table| table.get(&key)))
            .map(Vec::as_slice)
    }

    /// Whether `email` may make `act` on `record`; if not, who may, for the message.
    pub fn may_make(&self, record: &ChangeRecord, act: Act, email: &str) -> Result<(), String> {
        let Some(roles) = self.movers(record.class, act) else {
            return Ok(());
        };
        let fills = |role: &String| match role.as_str() {
            OWNER => same_email(record.owner_email(), email),
            role => self.is_member(role, email),
        };
        if roles.iter().any(fills) {
            return Ok(());
        }
        let who: Vec<String> = roles
            .iter()
            .map(|role| match role.as_str() {
                OWNER => format!("its owner ({})", record.owner_email()),
                role => format!("{role} ({})", self.members_of(role)),
            })
            .collect();
        Err(who.join(" or "))
    }
}

/// Checks the moves table at `key`: known moves, each given to defined roles.
pub(super) fn validate(policy: &Policy, key: &str, table: &MoveRoles) -> Result<(), String> {
    for (name, roles) in table {
        check_name(name).map_err(|e| format!("{key}: {e}"))?;
        let key = format!("{key}.{name}");
        if roles.is_empty() {
            return Err(format!(
                "{key}: names nobody; leave the move out to let anyone make it"
            ));
        }
        for role in roles {
            if role != OWNER {
                policy.check_role(&key, role)?;
            } else if policy.roles.contains_key(OWNER) {
                // Otherwise one word would mean two things and one would silently win.
                return Err(format!(
                    "{key}: `owner` here means the change's owner, but [roles] also defines a role `owner`; rename that role"
                ));
            }
        }
    }
    Ok(())
}

/// Checks a key of a moves table: a move, or `deploy:<environment>`.
fn check_name(name: &str) -> Result<(), String> {
    match split_key(name)? {
        (Move::Approve, _) => Err(
            "`approve` is not given here: who approves is each class's `approvals` and [approvals.by_risk]".into(),
        ),
        _ => Ok(()),
    }
}

/// Reads a key naming a move, `deploy:<environment>` for one environment (as
/// `[moves]` and the gates write them): the move and the environment if any.
pub(super) fn split_key(name: &str) -> Result<(Move, Option<&str>), String> {
    let (verb, environment) = match name.split_once(':') {
        Some((verb, env)) => (verb, Some(env)),
        None => (name, None),
    };
    match (verb.parse::<Move>(), environment) {
        (Ok(Move::Deploy), Some(env)) if env.trim().is_empty() => Err(format!(
            "`{name}` names no environment, as in `deploy:production`"
        )),
        (Ok(verb), None) => Ok((verb, None)),
        (Ok(Move::Deploy), Some(env)) => Ok((Move::Deploy, Some(env))),
        (Ok(_), Some(_)) => Err(format!(
            "`{name}`: only deployments are given per environment, as in `deploy:production`"
        )),
        (Err(_), _) => {
            let moves: Vec<&str> = Move::ALL
                .iter()
                .filter(|m| **m != Move::Approve)
                .map(|m| m.as_str())
                .collect();
            Err(format!(
                "`{name}` is not a move; the moves are {}",
                moves.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::sample;

    const POLICY: &str = r#"
[roles]
change-manager = ["change-manager@x"]
devops = ["dev@x"]
[moves]
deploy = ["devops"]
"deploy:production" = ["change-manager"]
review = ["owner"]
[classes.emergency.moves]
deploy = ["change-manager", "devops"]
"#;

    #[test]
    fn the_environment_s_entry_comes_first_and_the_class_s_entry_replaces_the_global_one() {
        let p = Policy::from_toml(POLICY).unwrap();
        let roles = |class, act| p.movers(class, act).map(<[String]>::to_vec);
        let of = |r: &[&str]| Some(r.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(roles(Class::Normal, Act::deploy("test")), of(&["devops"]));
        assert_eq!(
            roles(Class::Normal, Act::deploy("production")),
            of(&["change-manager"])
        );
        // Key by key: the class's `deploy` does not replace the global production entry.
        assert_eq!(
            roles(Class::Emergency, Act::deploy("production")),
            of(&["change-manager"])
        );
        assert_eq!(
            roles(Class::Emergency, Act::deploy("test")),
            of(&["change-manager", "devops"])
        );
        assert_eq!(roles(Class::Normal, Act::of(Move::Close)), None);
    }

    #[test]
    fn the_owner_is_the_owner_field_else_the_author() {
        let p = Policy::from_toml(POLICY).unwrap();
        let mut record = sample(Class::Normal);
        let review = Act::of(Move::Review);
        assert!(p.may_make(&record, review, "A@X").is_ok());
        record.owner = Some("Olive <olive@x>".into());
        assert!(p.may_make(&record, review, "olive@x").is_ok());
        let who = p.may_make(&record, review, "a@x").unwrap_err();
        assert_eq!(who, "its owner (olive@x)");
        let who = p
            .may_make(&record, Act::deploy("production"), "dev@x")
            .unwrap_err();
        assert_eq!(who, "change-manager (change-manager@x)");
    }
}
