//! `[windows]`: when deployments may happen, per weekday, and up to which risk.

use super::zone::TimeOfDay;
use crate::model::{Class, RiskLevel};
use chrono::{
    DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// One open window on a weekday, in the policy's time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
    /// The highest risk level deployed in this window (default: any).
    #[serde(default = "highest_risk")]
    pub max_risk: RiskLevel,
}

fn highest_risk() -> RiskLevel {
    RiskLevel::Critical
}

fn emergency_only() -> Vec<Class> {
    vec![Class::Emergency]
}

/// With no weekday listed there are no windows: deployments may happen any time.
/// Once any weekday is listed, a weekday left out has no window at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Windows {
    /// Classes that may deploy outside every window (seed 001 §9.1: emergency only).
    #[serde(default = "emergency_only")]
    pub allow: Vec<Class>,
    /// Environments the windows guard; empty: every one (seed 001 §2.2 leaves
    /// development and staging to a separate process).
    #[serde(default)]
    pub environments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuesday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wednesday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thursday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunday: Option<Vec<Window>>,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            allow: emergency_only(),
            environments: Vec::new(),
            monday: None,
            tuesday: None,
            wednesday: None,
            thursday: None,
            friday: None,
            saturday: None,
            sunday: None,
        }
    }
}

impl Windows {
    /// Whether deployments to `environment` are held to the windows; one not named
    /// (a schedule for no environment yet) is.
    pub fn guards(&self, environment: Option<&str>) -> bool {
        self.environments.is_empty()
            || environment.is_none_or(|env| self.environments.iter().any(|e| e == env))
    }

    /// The weekdays in order Monday..Sunday with their windows, if listed.
    pub fn days(&self) -> [(&'static str, Option<&Vec<Window>>); 7] {
        [
            ("monday", self.monday.as_ref()),
            ("tuesday", self.tuesday.as_ref()),
            ("wednesday", self.wednesday.as_ref()),
            ("thursday", self.thursday.as_ref()),
            ("friday", self.friday.as_ref()),
            ("saturday", self.saturday.as_ref()),
            ("sunday", self.sunday.as_ref()),
        ]
    }

    /// Whether any weekday is listed.
    pub fn are_set(&self) -> bool {
        self.days().iter().any(|(_, windows)| windows.is_some())
    }

    fn on(&self, day: Weekday) -> &[Window] {
        let (_, windows) = self.days()[day.num_days_from_monday() as usize];
        windows.map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether a change of `risk` may be deployed at `at`, judged on the wall clock of
    /// `zone` (the tz database knows its daylight saving time).
    pub fn admit(&self, risk: RiskLevel, at: DateTime<Utc>, zone: Tz) -> bool {
        if !self.are_set() {
            return true;
        }
        let local = at.with_timezone(&zone);
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.on(local.weekday())
            .iter()
            .any(|w| risk <= w.max_risk && w.from.minutes() <= minute && minute < w.to.minutes())
    }

    /// The first instant at or after `at` when a change of `risk` may be deployed,
    /// looking two weeks ahead.
    pub fn next_open(&self, risk: RiskLevel, at: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        if self.admit(risk, at, zone) {
            return Some(at);
        }
        let today = at.with_timezone(&zone).date_naive();
        (0..=14)
            .filter_map(|n| today.checked_add_days(Days::new(n)))
            .flat_map(|date| {
                let mut opens: Vec<TimeOfDay> = self
                    .on(date.weekday())
                    .iter()
                    .filter(|w| risk <= w.max_risk)
                    .map(|w| w.from)
                    .collect();
                opens.sort();
                opens.into_iter().map(move |from| instant(zone, date, from))
            })
            .find(|&start| start > at)
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for (day, windows) in self.days() {
            for w in windows.into_iter().flatten() {
                if w.from >= w.to {
                    return Err(format!(
                        "windows.{day}: a window from {} to {} is empty; `from` must be before `to`",
                        w.from, w.to
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The instant a local date and time name in `zone`. A time that falls in a daylight
/// saving gap moves to the first instant after the gap; a repeated hour is taken the
/// first time round.
fn instant(zone: Tz, date: NaiveDate, time: TimeOfDay) -> DateTime<Utc> {
    let mut local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(time.minutes()));
    loop {
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        local += Duration::minutes(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 001 §9.1: Monday and Thursday up to medium risk, Tuesday and Wednesday
    /// any risk, Friday and the weekend emergency changes only.
    fn seed_001() -> Windows {
        toml::from_str(
            r#"
            monday = [{ from = "09:00", to = "17:00", max_risk = "medium" }]
            tuesday = [{ from = "09:00", to = "17:00" }]
            wednesday = [{ from = "09:00", to = "17:00" }]
            thursday = [{ from = "09:00", to = "17:00", max_risk = "medium" }]
            friday = []
            "#,
        )
        .unwrap()
    }

    fn utc(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    #[test]
    fn a_window_admits_risks_up_to_its_own_on_the_zone_s_clock() {
        let w = seed_001();
        let ny: Tz = "America/New_York".parse().unwrap();
        // Monday 2026-11-23 10:00 in New York is 15:00 UTC.
        assert!(w.admit(RiskLevel::Medium, utc("2026-11-23T15:00:00Z"), ny));
        assert!(!w.admit(RiskLevel::High, utc("2026-11-23T15:00:00Z"), ny));
        // 13:00 UTC is 08:00 there: before the window opens.
        assert!(!w.admit(RiskLevel::Low, utc("2026-11-23T13:00:00Z"), ny));
        assert!(w.admit(RiskLevel::Critical, utc("2026-11-24T15:00:00Z"), ny));
        assert!(!w.admit(RiskLevel::Low, utc("2026-11-27T15:00:00Z"), ny));
        assert!(Windows::default().admit(RiskLevel::Critical, utc("2026-11-27T15:00:00Z"), ny));
    }

    #[test]
    fn the_next_window_is_found_for_the_change_s_risk() {
        let w = seed_001();
        let ny: Tz = "America/New_York".parse().unwrap();
        // Friday 16:00 in New York: a high-risk change waits for Tuesday 09:00 (14:00 UTC).
        let friday = utc("2026-11-27T21:00:00Z");
        assert_eq!(
            w.next_open(RiskLevel::High, friday, ny),
            Some(utc("2026-12-01T14:00:00Z"))
        );
        assert_eq!(
            w.next_open(RiskLevel::Low, friday, ny),
            Some(utc("2026-11-30T14:00:00Z"))
        );
    }

    #[test]
    fn daylight_saving_moves_windows_with_the_local_clock() {
        let w: Windows = toml::from_str(
            r#"sunday = [{ from = "02:30", to = "04:00" }]
               monday = [{ from = "09:00", to = "17:00" }]"#,
        )
        .unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 2026-03-29 clocks skip 02:00-03:00: the window opens at 03:00 CEST (01:00 UTC).
        let saturday = utc("2026-03-28T12:00:00Z");
        assert_eq!(
            w.next_open(RiskLevel::Low, saturday, berlin),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        assert!(w.admit(RiskLevel::Low, utc("2026-03-29T01:30:00Z"), berlin));
        // Monday 09:00 is 07:00 UTC in summer time and 08:00 UTC in winter time.
        assert!(w.admit(RiskLevel::Low, utc("2026-03-30T07:00:00Z"), berlin));
        assert!(!w.admit(RiskLevel::Low, utc("2026-10-26T07:00:00Z"), berlin));
        assert!(w.admit(RiskLevel::Low, utc("2026-10-26T08:00:00Z"), berlin));
    }
}
