//! When a change may go out: the freezes in force and the policy's deployment windows,
//! judged in one place for `chg schedule`, `chg deploy`, the commit-msg hook and the
//! rules F001–F003.

use crate::model::freeze::Freeze;
use crate::model::{ChangeRecord, Class, RiskLevel};
use crate::policy::recurring::Occurrence;
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// A freeze in force: one declared with `chg freeze start`, or an occurrence of one
/// the policy repeats (`[[freeze.recurring]]`).
#[derive(Debug, Clone, Copy)]
pub enum Frozen<'a> {
    Declared(&'a Freeze),
    Recurring(Occurrence<'a>),
}

impl Frozen<'_> {
    /// What messages call it: its ID, or which recurring freeze, told apart from
    /// another of the same period by its reason.
    pub fn name(&self) -> String {
        match self {
            Frozen::Declared(f) => f.id.to_string(),
            Frozen::Recurring(o) => o.rule.name(),
        }
    }

    /// Its name and, where the name does not say it, its reason.
    pub fn described(&self) -> String {
        match self {
            Frozen::Declared(f) => format!("{} ({})", f.id, f.reason),
            Frozen::Recurring(o) => o.rule.name(),
        }
    }
}

/// Why a change may not go out at some time.
#[derive(Debug, Clone, Copy)]
pub enum Hold<'a> {
    /// A freeze in force that does not allow the change's class.
    Freeze(Frozen<'a>),
    /// Outside every window open to the change's risk; when the next one opens.
    Window {
        risk: RiskLevel,
        at: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
    },
}

pub struct Calendar<'a> {
    policy: &'a Policy,
    freezes: Vec<&'a Freeze>,
}

impl<'a> Calendar<'a> {
    pub fn new(policy: &'a Policy, freezes: impl IntoIterator<Item = &'a Freeze>) -> Calendar<'a> {
        Calendar {
            policy,
            freezes: freezes.into_iter().collect(),
        }
    }

    fn zone(&self) -> Tz {
        self.policy.changes.timezone.0
    }

    /// The current or next occurrence of each of the policy's recurring freezes at
    /// `now`: a recurring freeze is never over.
    pub fn recurring_now(&self, now: DateTime<Utc>) -> Vec<Occurrence<'a>> {
        let policy: &'a Policy = self.policy;
        (policy.freeze.recurring.iter())
            .map(|r| r.next(now, self.zone()))
            .collect()
    }

    /// What holds back `record` from going out to `environment` at `at`: a freeze
    /// first, then the windows for its risk.
    pub fn hold(
        &self,
        record: &ChangeRecord,
        environment: Option<&str>,
        at: DateTime<Utc>,
    ) -> Option<Hold<'a>> {
        self.hold_over(record, environment, at, at)
    }

    /// [`Calendar::hold`] for a span `[from, to)`: any freeze overlapping it holds the
    /// change back; windows are judged at its start.
    pub fn hold_over(
        &self,
        record: &ChangeRecord,
        environment: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<Hold<'a>> {
        match self.frozen(record.class, environment, from, to) {
            Some(freeze) => Some(Hold::Freeze(freeze)),
            None => self.outside_windows(record, environment, from),
        }
    }

    /// The freeze that holds back a change of `class` in `environment` at some instant
    /// of `[from, to)` (`from == to`: at that instant): a declared one first, then the
    /// policy's recurring ones.
    pub fn frozen(
        &self,
        class: Class,
        environment: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<Frozen<'a>> {
        let declared =
            (self.freezes.iter().copied()).find(|f| f.overlaps(class, environment, from, to));
        if let Some(f) = declared {
            return Some(Frozen::Declared(f));
        }
        let policy: &'a Policy = self.policy;
        let allow = &policy.freeze.allow;
        policy
            .freeze
            .recurring
            .iter()
            .map(|r| r.next(from, self.zone()))
            .find(|o| o.holds(class, allow, environment, from, to))
            .map(Frozen::Recurring)
    }

    /// Whether `at` is outside every window open to `record`'s risk (classes the
    /// windows allow go any time, and so do environments the windows do not guard; a
    /// change not yet assessed is held to the windows of the highest risk).
    pub fn outside_windows(
        &self,
        record: &ChangeRecord,
        environment: Option<&str>,
        at: DateTime<Utc>,
    ) -> Option<Hold<'a>> {
        let windows = &self.policy.windows;
        if windows.allow.contains(&record.class) || !windows.guards(environment) {
            return None;
        }
        let risk = self
            .policy
            .risk_level(record)
            .unwrap_or(RiskLevel::Critical);
        (!windows.admit(risk, at, self.zone())).then(|| Hold::Window {
            risk,
            at,
            next: windows.next_open(risk, at, self.zone()),
        })
    }

    /// A sentence saying what holds a change back, with times on the policy's clock.
    pub fn explain(&self, hold: &Hold) -> String {
        let local = |t: DateTime<Utc>| self.policy.changes.timezone.local(t);
        match hold {
            Hold::Freeze(f) => {
                let (until, allow) = match f {
                    Frozen::Declared(f) => (f.until(), f.allow.as_slice()),
                    Frozen::Recurring(o) => {
                        (Some(o.ends), o.rule.allowed(&self.policy.freeze.allow))
                    }
                };
                let until =
                    until.map_or("with no end".to_string(), |t| format!("until {}", local(t)));
                let allowed: Vec<String> = allow.iter().map(Class::to_string).collect();
                let reason = match f {
                    Frozen::Declared(d) => format!(" ({})", d.reason),
                    Frozen::Recurring(_) => String::new(),
                };
                format!(
                    "{} freezes changes {until}{reason}; only {} changes may go",
                    f.name(),
                    if allowed.is_empty() {
                        "no".to_string()
                    } else {
                        allowed.join(", ")
                    }
                )
            }
            Hold::Window { risk, at, next } => {
                let next = next.map_or("none opens in the next two weeks".to_string(), |t| {
                    format!("the next opens {}", local(t))
                });
                format!(
                    "{} is outside the deployment windows for {risk}-risk changes; {next}",
                    local(*at)
                )
            }
        }
    }
}
