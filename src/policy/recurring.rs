//! `[[freeze.recurring]]`: freezes that come back at every month or quarter end (seed
//! 001 §9.2 "End of month/quarter (billing)"), written once in the policy instead of
//! declared with `chg freeze start` each time.

use super::duration::{start_of_day, PolicyDuration};
use crate::model::{freeze, Class};
use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The most days one occurrence may span: every month has at least 28, so two
/// occurrences of one entry never run into each other.
const MAX_DAYS: u32 = 28;

/// Which period ends bring the freeze back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Every {
    MonthEnd,
    QuarterEnd,
}

impl Every {
    fn months(self) -> u32 {
        match self {
            Every::MonthEnd => 1,
            Every::QuarterEnd => 3,
        }
    }
}

impl std::fmt::Display for Every {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Every::MonthEnd => "month-end",
            Every::QuarterEnd => "quarter-end",
        })
    }
}

/// One entry: the last `last_days` days of each period and the first `first_days` of
/// the next, whole days on the policy's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringFreeze {
    pub every: Every,
    #[serde(default)]
    pub last_days: u32,
    #[serde(default)]
    pub first_days: u32,
    pub reason: String,
    /// Classes still allowed; default: `[freeze] allow`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<Class>>,
    /// Environments it applies to; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// The day (on the policy's clock) it was adopted: no occurrence begins before it,
    /// so work done before it is not judged against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

/// One occurrence of a recurring freeze: `[starts, ends)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occurrence<'a> {
    pub rule: &'a RecurringFreeze,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
}

impl RecurringFreeze {
    /// The occurrence in force at `at`, else the next one to begin; none begins before
    /// `since`.
    pub fn next(&self, at: DateTime<Utc>, zone: Tz) -> Occurrence<'_> {
        let step = self.every.months();
        let local = at.with_timezone(&zone).date_naive();
        // The first day of the period `at` falls in; its own start is a boundary too.
        let month0 = local.month0() / step * step;
        let mut boundary = NaiveDate::from_ymd_opt(local.year(), month0 + 1, 1).unwrap_or(local);
        let since = self
            .since
            .map(|d| start_of_day(d, &zone).with_timezone(&Utc));
        loop {
            let occurrence = self.around(boundary, zone);
            if occurrence.ends > at && since.is_none_or(|s| occurrence.starts >= s) {
                return occurrence;
            }
            boundary = boundary + Months::new(step);
        }
    }

    /// The occurrence around the period boundary `first`, the first day of a period.
    /// Its days are at most [`MAX_DAYS`] each (validated), so the dates can run out
    /// only at the ends of the calendar, where they stop.
    fn around(&self, first: NaiveDate, zone: Tz) -> Occurrence<'_> {
        let day = |d: NaiveDate| start_of_day(d, &zone).with_timezone(&Utc);
        let days = |n: u32| Days::new(u64::from(n));
        Occurrence {
            rule: self,
            starts: day(first
                .checked_sub_days(days(self.last_days))
                .unwrap_or(NaiveDate::MIN)),
            ends: day(first
                .checked_add_days(days(self.first_days))
                .unwrap_or(NaiveDate::MAX)),
        }
    }

    /// What messages call it: its period and, to tell two of one period apart, its
    /// reason.
    pub fn name(&self) -> String {
        format!("the recurring {} freeze ({})", self.every, self.reason)
    }

    /// The classes it allows, given the policy's default.
    pub fn allowed<'p>(&'p self, default: &'p [Class]) -> &'p [Class] {
        self.allow.as_deref().unwrap_or(default)
    }

    /// Whether it applies to `environment` (every one when none is named).
    pub fn covers(&self, environment: Option<&str>) -> bool {
        freeze::covers(&self.environments, environment)
    }

    /// Refuses an entry that spans no day, more than a month, or longer than the
    /// policy lets any freeze last.
    pub(super) fn validate(&self, key: &str, max: PolicyDuration) -> Result<(), String> {
        // Each alone first: their sum could overflow.
        for (name, n) in [
            ("last_days", self.last_days),
            ("first_days", self.first_days),
        ] {
            if n > MAX_DAYS {
                return Err(format!(
                    "{key}: {name} is {n}; a {} freeze spans 1 to {MAX_DAYS} days",
                    self.every
                ));
            }
        }
        let days = self.last_days + self.first_days;
        if days == 0 || days > MAX_DAYS {
            return Err(format!(
                "{key}: last_days + first_days is {days}; a {} freeze spans 1 to {MAX_DAYS} days",
                self.every
            ));
        }
        // Judged from a Monday, where business days and calendar days start alike.
        let monday = start_of_day(
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            &Utc,
        );
        if max.after(monday) < monday + Duration::days(i64::from(days)) {
            return Err(format!(
                "{key}: {days} days is longer than a freeze may last ([freeze] max_duration = \"{max}\")"
            ));
        }
        if self.reason.trim().is_empty() {
            return Err(format!("{key}: `reason` is empty; a freeze must say why"));
        }
        Ok(())
    }
}

impl Occurrence<'_> {
    /// Whether it holds back a change of `class` (allowed by default: `default`) in
    /// `environment` at some instant of `[from, to)`; `from == to` asks about one instant.
    pub fn holds(
        &self,
        class: Class,
        default: &[Class],
        environment: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> bool {
        freeze::in_force(self.starts, Some(self.ends), from, to)
            && self.rule.covers(environment)
            && !self.rule.allowed(default).contains(&class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(every: &str, last: u32, first: u32) -> RecurringFreeze {
        toml::from_str(&format!(
            "every = \"{every}\"\nlast_days = {last}\nfirst_days = {first}\nreason = \"billing\""
        ))
        .unwrap()
    }

    fn utc(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    #[test]
    fn a_month_end_freeze_covers_the_last_days_on_the_policy_clock() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let r = rule("month-end", 3, 1);
        // November 2026 ends on the 30th: frozen from the 28th to the end of Dec 1st.
        let o = r.next(utc("2026-11-21T12:00:00Z"), ny);
        assert_eq!(o.starts, utc("2026-11-28T05:00:00Z"));
        assert_eq!(o.ends, utc("2026-12-02T05:00:00Z"));
        assert_eq!(r.next(utc("2026-12-01T12:00:00Z"), ny), o);
        // Past it, the next is December's end.
        let next = r.next(utc("2026-12-02T05:00:00Z"), ny);
        assert_eq!(next.starts, utc("2026-12-29T05:00:00Z"));
    }

    #[test]
    fn a_quarter_end_freeze_skips_the_other_month_ends() {
        let utc_zone: Tz = "UTC".parse().unwrap();
        let r = rule("quarter-end", 2, 0);
        let o = r.next(utc("2026-11-21T12:00:00Z"), utc_zone);
        assert_eq!(o.starts, utc("2026-12-30T00:00:00Z"));
        assert_eq!(o.ends, utc("2027-01-01T00:00:00Z"));
        let early = r.next(utc("2026-01-05T00:00:00Z"), utc_zone);
        assert_eq!(early.starts, utc("2026-03-30T00:00:00Z"));
    }

    #[test]
    fn it_holds_classes_it_does_not_allow_where_it_applies() {
        let utc_zone: Tz = "UTC".parse().unwrap();
        let mut r = rule("month-end", 1, 0);
        r.environments = vec!["production".into()];
        let o = r.next(utc("2026-11-30T10:00:00Z"), utc_zone);
        let at = utc("2026-11-30T10:00:00Z");
        let allow = [Class::Emergency];
        assert!(o.holds(Class::Normal, &allow, Some("production"), at, at));
        assert!(!o.holds(Class::Emergency, &allow, Some("production"), at, at));
        assert!(!o.holds(Class::Normal, &allow, Some("staging"), at, at));
        let before = utc("2026-11-29T10:00:00Z");
        assert!(o.holds(Class::Normal, &allow, None, before, at));
        assert!(!o.holds(Class::Normal, &allow, None, before, o.starts));
    }

    #[test]
    fn no_occurrence_begins_before_its_since_day() {
        let utc_zone: Tz = "UTC".parse().unwrap();
        let mut r = rule("month-end", 3, 1);
        r.since = NaiveDate::from_ymd_opt(2026, 11, 29);
        // November's occurrence would begin on the 28th: the first is December's.
        let o = r.next(utc("2026-11-30T12:00:00Z"), utc_zone);
        assert_eq!(o.starts, utc("2026-12-29T00:00:00Z"));
        r.since = NaiveDate::from_ymd_opt(2026, 11, 28);
        let o = r.next(utc("2026-11-30T12:00:00Z"), utc_zone);
        assert_eq!(o.starts, utc("2026-11-28T00:00:00Z"));
    }

    #[test]
    fn days_too_many_to_add_are_refused_not_wrapped() {
        let month: PolicyDuration = "30d".parse().unwrap();
        let e = rule("month-end", u32::MAX, 1).validate("k", month);
        assert!(e.unwrap_err().contains("last_days is 4294967295"));
        let e = rule("month-end", 1, u32::MAX).validate("k", month);
        assert!(e.unwrap_err().contains("first_days is 4294967295"));
    }

    #[test]
    fn a_span_of_no_days_or_more_than_a_month_is_refused() {
        let month: PolicyDuration = "30d".parse().unwrap();
        for (last, first) in [(0, 0), (20, 9)] {
            let e = rule("month-end", last, first).validate("freeze.recurring[0]", month);
            assert!(e.unwrap_err().contains("spans 1 to 28 days"));
        }
        let week: PolicyDuration = "5bd".parse().unwrap();
        let e = rule("month-end", 5, 3).validate("freeze.recurring[0]", week);
        assert!(e.unwrap_err().contains("longer than a freeze may last"));
        assert!(rule("month-end", 3, 2).validate("k", week).is_ok());
    }
}
