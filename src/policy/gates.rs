//! `[classes.<class>.gates]` and `[classes.<class>.gates_by_risk.<level>]`: what must
//! be on a change's record when a move after approval is made (seed 002 §8.1 "A change
//! MAY NOT be deployed to Production unless ALL gates pass"; seed 001 §8.1 testing by
//! risk level). ADR 10 says why gates live apart from `requires`.
//!
//! Keys name the move as `[moves]` does, `deploy:<env>` for deployments to one
//! environment. Unlike `[moves]`, gates add up: a deployment to production owes the
//! `deploy:production` gate and the `deploy` gate, and a change at a risk level owes
//! its class's gate and that level's. Items:
//! - `evidence:<kind>`: evidence of that kind, in `evidence` (given with the proposal)
//!   or `gate_evidence` (recorded with `chg evidence` by the time of the move);
//! - `deployed:<env>`: a successful deployment to that environment;
//! - a field a class can require (`rollback.tested`, `schedule`, `emergency.root_cause`).

use super::duration::start_of_day;
use super::moves::{split_key, Act};
use super::{requirement, Policy};
use crate::model::{ChangeRecord, DeployOutcome, Move, Timestamp};
use std::collections::BTreeMap;

/// Move key → the items its gate asks for.
pub type GateTable = BTreeMap<String, Vec<String>>;

/// The moves a gate can hold: those that carry approved work forward. `submit` is
/// held by `requires`; an approval, a rollback or a cancellation is never held back.
const GATED: [Move; 5] = [
    Move::Start,
    Move::Deploy,
    Move::Verify,
    Move::Review,
    Move::Close,
];

/// One item of a gate.
enum Item<'a> {
    Evidence(&'a str),
    Deployed(&'a str),
    Field(&'a str),
}

fn parse(item: &str) -> Result<Item<'_>, String> {
    let named = |what: &str, example: &str| {
        if what.trim().is_empty() {
            Err(format!("`{item}` names nothing, as in `{example}`"))
        } else {
            Ok(())
        }
    };
    if let Some(kind) = item.strip_prefix("evidence:") {
        named(kind, "evidence:tests-passed")?;
        return check_kind(kind)
            .map(|()| Item::Evidence(kind))
            .map_err(|e| format!("`{item}`: {e}"));
    }
    if let Some(env) = item.strip_prefix("deployed:") {
        return named(env, "deployed:staging").map(|()| Item::Deployed(env));
    }
    if requirement::FIELDS.contains(&item) {
        Ok(Item::Field(item))
    } else {
        Err(format!(
            "`{item}` is not a gate item; use evidence:<kind>, deployed:<environment> or a field: {}",
            requirement::FIELDS.join(", ")
        ))
    }
}

/// Checks an evidence kind, as written after `evidence:` in a gate and given to
/// `chg evidence --kind`: one word, without spaces or colons.
pub fn check_kind(kind: &str) -> Result<(), String> {
    if kind.is_empty() || kind.contains(char::is_whitespace) || kind.contains(':') {
        Err(format!(
            "`{kind}` is not an evidence kind: one word without spaces or colons, e.g. tests-passed"
        ))
    } else {
        Ok(())
    }
}

/// Checks a gates table at `key`: gateable moves, each asking for known items.
pub(super) fn validate(key: &str, table: &GateTable) -> Result<(), String> {
    for (name, items) in table {
        let (verb, _) = split_key(name).map_err(|e| format!("{key}: {e}"))?;
        if !GATED.contains(&verb) {
            let gated: Vec<&str> = GATED.iter().map(|m| m.as_str()).collect();
            return Err(format!(
                "{key}: `{name}` cannot be gated; gates hold {} (`submit` is held by `requires`; \
                 approvals, rollbacks and cancellations are never held back)",
                gated.join(", ")
            ));
        }
        for item in items {
            parse(item).map_err(|e| format!("{key}.\"{name}\": {e}"))?;
        }
    }
    Ok(())
}

impl Policy {
    /// The items the gates of `act` ask of `record`: its class's gate and, at its risk
    /// level, that level's; each item once, in the order written.
    pub fn gate(&self, record: &ChangeRecord, act: Act) -> Vec<&str> {
        let written = self.written(record.class);
        let level = self.risk_level(record);
        let by_risk = level.and_then(|l| written.gates_by_risk.get(&l));
        let mut items: Vec<&str> = Vec::new();
        for table in std::iter::once(&written.gates).chain(by_risk) {
            for key in act.keys() {
                for item in table.get(&key).into_iter().flatten() {
                    if !items.contains(&item.as_str()) {
                        items.push(item);
                    }
                }
            }
        }
        items
    }

    /// Whether the policy asks `record` for evidence of `kind`: its class's `requires`,
    /// or some gate of its class (at its risk level), at any move.
    pub fn asks_for_evidence(&self, record: &ChangeRecord, kind: &str) -> bool {
        let written = self.written(record.class);
        let level = self.risk_level(record);
        let by_risk = level.and_then(|l| written.gates_by_risk.get(&l));
        let required = self.class(record.class).requires;
        std::iter::once(&written.gates)
            .chain(by_risk)
            .flat_map(|table| table.values().flatten())
            .chain(&required)
            .any(|item| item.strip_prefix("evidence:") == Some(kind))
    }

    /// What the gates of `act` ask that `record` did not have at `at`; nothing for a
    /// move made before the class's `gates_since`.
    pub fn gate_unmet(&self, record: &ChangeRecord, act: Act, at: Timestamp) -> Vec<String> {
        let zone = self.changes.timezone.0;
        let adopted = self.written(record.class).gates_since;
        if adopted.is_some_and(|day| at.utc() < start_of_day(day, &zone)) {
            return Vec::new();
        }
        self.gate(record, act)
            .into_iter()
            .filter(|item| !self.gate_item_met(record, item, at))
            .map(String::from)
            .collect()
    }

    fn gate_item_met(&self, record: &ChangeRecord, item: &str, at: Timestamp) -> bool {
        match parse(item) {
            Ok(Item::Evidence(kind)) => requirement::has_evidence(record, kind, Some(at)),
            Ok(Item::Deployed(env)) => record.deployments.iter().any(|d| {
                d.environment == env
                    && d.outcome == DeployOutcome::Success
                    && d.at.utc() <= at.utc()
            }),
            Ok(Item::Field(name)) => requirement::is_met(record, name, &self.risk),
            // Items were validated when the policy was loaded.
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::{sample, Deployment, GateEvidence};
    use crate::model::{Class, RiskLevel};

    const POLICY: &str = r#"
[classes.normal.gates]
deploy = ["evidence:tests-passed"]
"deploy:production" = ["deployed:test", "evidence:tests-passed"]
close = ["rollback.tested"]
[classes.normal.gates_by_risk.high]
"deploy:production" = ["evidence:uat"]
"#;

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    #[test]
    fn gates_add_up_by_environment_and_risk_level() {
        let p = Policy::from_toml(POLICY).unwrap();
        let mut r = sample(Class::Normal);
        assert_eq!(p.gate(&r, Act::deploy("test")), ["evidence:tests-passed"]);
        assert_eq!(
            p.gate(&r, Act::deploy("production")),
            ["deployed:test", "evidence:tests-passed"]
        );
        r.risk.level = Some(RiskLevel::High);
        assert_eq!(
            p.gate(&r, Act::deploy("production")),
            ["deployed:test", "evidence:tests-passed", "evidence:uat"]
        );
        assert!(p.gate(&r, Act::of(Move::Verify)).is_empty());
        r.class = Class::Major;
        assert!(p.gate(&r, Act::deploy("production")).is_empty());
    }

    #[test]
    fn evidence_is_asked_for_by_a_gate_or_by_the_class_requires() {
        let p = Policy::from_toml(&format!(
            "{POLICY}[classes.major]\nrequires = [\"description\", \"evidence:staging-validation\"]\n"
        ))
        .unwrap();
        let mut r = sample(Class::Normal);
        assert!(p.asks_for_evidence(&r, "tests-passed"));
        assert!(!p.asks_for_evidence(&r, "uat"));
        assert!(!p.asks_for_evidence(&r, "staging-validation"));
        r.risk.level = Some(RiskLevel::High);
        assert!(p.asks_for_evidence(&r, "uat"));
        r.class = Class::Major;
        assert!(p.asks_for_evidence(&r, "staging-validation"));
        assert!(!p.asks_for_evidence(&r, "tests-passed"));
    }

    #[test]
    fn an_item_counts_only_if_it_was_there_at_the_time() {
        let p = Policy::from_toml(POLICY).unwrap();
        let mut r = sample(Class::Normal);
        let prod = Act::deploy("production");
        let noon = at("2026-11-22T12:00:00Z");
        r.deployments.push(Deployment {
            environment: "test".into(),
            at: at("2026-11-22T13:00:00Z"),
            by: "d@x".into(),
            reference: None,
            outcome: DeployOutcome::Success,
            note: None,
        });
        r.gate_evidence.push(GateEvidence {
            kind: "tests-passed".into(),
            at: at("2026-11-22T11:00:00Z"),
            by: "q@x".into(),
            reference: Some("https://ci/1".into()),
            note: None,
        });
        assert_eq!(p.gate_unmet(&r, prod, noon), ["deployed:test"]);
        assert!(p
            .gate_unmet(&r, prod, at("2026-11-22T14:00:00Z"))
            .is_empty());
        r.deployments[0].outcome = DeployOutcome::Failed;
        assert_eq!(
            p.gate_unmet(&r, prod, at("2026-11-22T14:00:00Z")),
            ["deployed:test"]
        );
        let close = Act::of(Move::Close);
        assert_eq!(p.gate_unmet(&r, close, noon), ["rollback.tested"]);
        r.rollback.tested = Some(true);
        assert!(p.gate_unmet(&r, close, noon).is_empty());
    }
}
