//! A change freeze (SPEC §2.2): a declared, documented, time-bound period in which
//! only some classes of change may be committed or deployed (seed 000 §12).

use super::id::ChangeId;
use super::timestamp::Timestamp;
use super::Class;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The prefix of freeze IDs: `FRZ-2026-0001`.
pub const PREFIX: &str = "FRZ";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freeze {
    pub id: ChangeId,
    pub reason: String,
    pub starts: Timestamp,
    /// Required; optional here only so that a hand-edited open-ended freeze is read and
    /// reported (F004) rather than refused as unreadable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Timestamp>,
    /// `Name <email>` of the release manager who declared it.
    pub declared_by: String,
    /// Classes still allowed during the freeze.
    pub allow: Vec<Class>,
    /// Environments it applies to; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_early: Option<EndedEarly>,
}

/// `chg freeze end` before the freeze's own end: when, and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndedEarly {
    pub at: Timestamp,
    pub by: String,
}

/// Where a freeze stands at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Active,
    Over,
}

/// Whether a freeze applies to `environment` when it names `environments` (every
/// environment when it names none, or when none is asked about).
pub fn covers(environments: &[String], environment: Option<&str>) -> bool {
    match environment {
        Some(env) if !environments.is_empty() => environments.iter().any(|e| e == env),
        _ => true,
    }
}

/// Whether a freeze in force from `starts` until `until` (`None`: no end) is in force
/// at some instant of `[from, to)`; `from == to` asks about that one instant.
pub fn in_force(
    starts: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> bool {
    let first = from.max(starts);
    let before_end = until.is_none_or(|until| first < until);
    if from == to {
        starts <= from && before_end
    } else {
        first < to && before_end
    }
}

impl Freeze {
    /// When it stops applying: its end, or when it was ended early. `None` for a
    /// freeze with no end, which applies from its start on.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        let early = self.ended_early.as_ref().map(|e| e.at.utc());
        match (self.ends.map(|t| t.utc()), early) {
            (Some(end), Some(early)) => Some(end.min(early)),
            (end, early) => end.or(early),
        }
    }

    /// Where it stands at `at`. One ended before it began is over from then on.
    pub fn phase(&self, at: DateTime<Utc>) -> Phase {
        if self.until().is_some_and(|until| at >= until) {
            Phase::Over
        } else if at < self.starts.utc() {
            Phase::Upcoming
        } else {
            Phase::Active
        }
    }

    /// Whether it applies to `environment` (every environment when none is named).
    pub fn covers(&self, environment: Option<&str>) -> bool {
        covers(&self.environments, environment)
    }

    /// Whether it holds back a change of `class` in `environment` at `at`.
    pub fn blocks(&self, class: Class, environment: Option<&str>, at: DateTime<Utc>) -> bool {
        self.overlaps(class, environment, at, at)
    }

    /// Whether some of `[from, to)` falls inside it for a change of `class` (`from ==
    /// to`: whether `from` does).
    pub fn overlaps(
        &self,
        class: Class,
        environment: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> bool {
        in_force(self.starts.utc(), self.until(), from, to)
            && self.covers(environment)
            && !self.allow.contains(&class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn freeze(ends: Option<&str>) -> Freeze {
        Freeze {
            id: "FRZ-2026-0001".parse().unwrap(),
            reason: "year-end".into(),
            starts: "2026-12-20T00:00:00Z".parse().unwrap(),
            ends: ends.map(|e| e.parse().unwrap()),
            declared_by: "Rita <rita@example.com>".into(),
            allow: vec![Class::Emergency],
            environments: vec!["production".into()],
            ended_early: None,
        }
    }

    fn at(t: &str) -> DateTime<Utc> {
        t.parse::<Timestamp>().unwrap().utc()
    }

    #[test]
    fn a_freeze_applies_from_its_start_until_its_end_or_early_end() {
        let mut f = freeze(Some("2027-01-03T00:00:00Z"));
        assert_eq!(f.phase(at("2026-12-19T23:59:59Z")), Phase::Upcoming);
        assert_eq!(f.phase(at("2026-12-20T00:00:00Z")), Phase::Active);
        assert_eq!(f.phase(at("2027-01-03T00:00:00Z")), Phase::Over);
        f.ended_early = Some(EndedEarly {
            at: "2026-12-28T12:00:00Z".parse().unwrap(),
            by: "Rita <rita@example.com>".into(),
        });
        assert_eq!(f.phase(at("2026-12-28T12:00:00Z")), Phase::Over);
        assert_eq!(
            freeze(None).phase(at("2030-01-01T00:00:00Z")),
            Phase::Active
        );
    }

    #[test]
    fn it_blocks_classes_not_allowed_in_the_environments_it_names() {
        let f = freeze(Some("2027-01-03T00:00:00Z"));
        let t = at("2026-12-24T10:00:00Z");
        assert!(f.blocks(Class::Normal, Some("production"), t));
        assert!(f.blocks(Class::Normal, None, t));
        assert!(!f.blocks(Class::Emergency, Some("production"), t));
        assert!(!f.blocks(Class::Normal, Some("staging"), t));
        assert!(f.overlaps(
            Class::Normal,
            None,
            at("2026-12-19T00:00:00Z"),
            at("2026-12-21T00:00:00Z")
        ));
        assert!(!f.overlaps(
            Class::Normal,
            None,
            at("2026-12-18T00:00:00Z"),
            at("2026-12-20T00:00:00Z")
        ));
    }

    #[test]
    fn one_span_rule_serves_declared_and_recurring_freezes() {
        let (starts, ends) = (at("2026-12-20T00:00:00Z"), at("2026-12-22T00:00:00Z"));
        let force = |from: &str, to: &str| in_force(starts, Some(ends), at(from), at(to));
        assert!(force("2026-12-20T00:00:00Z", "2026-12-20T00:00:00Z"));
        assert!(!force("2026-12-22T00:00:00Z", "2026-12-22T00:00:00Z"));
        assert!(force("2026-12-19T00:00:00Z", "2026-12-20T00:00:01Z"));
        assert!(!force("2026-12-19T00:00:00Z", "2026-12-20T00:00:00Z"));
        // Ended before it began: never in force, over any span.
        let early = Some(at("2026-12-19T00:00:00Z"));
        assert!(!in_force(starts, early, at("2026-12-18T00:00:00Z"), ends));
        assert!(in_force(
            starts,
            None,
            at("2030-01-01T00:00:00Z"),
            at("2030-01-01T00:00:00Z")
        ));
        let named = ["production".to_string()];
        assert!(covers(&named, None) && covers(&[], Some("staging")));
        assert!(!covers(&named, Some("staging")));
    }
}
