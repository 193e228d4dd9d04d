//! The stretch of time a report covers, from `--since` and `--until` as typed.

use crate::clock::parse_user_time;
use crate::error::Failure;
use crate::policy::duration::start_of_day;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// `[since, until)`; an open end is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Window {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Window {
    /// Reads the two flags in the policy's time zone. A bare date for `--until` means
    /// the whole of that day, as people mean "until June 30".
    pub fn parse(since: Option<&str>, until: Option<&str>, zone: Tz) -> Result<Window, Failure> {
        // A bare date is a whole day on the policy's clock, from its first instant.
        let read = |flag: &str, text: &str, days_after: i64| {
            match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
                Ok(day) => {
                    Ok(start_of_day(day + Duration::days(days_after), &zone).with_timezone(&Utc))
                }
                Err(_) => parse_user_time(text, zone).map(|t| t.utc()),
            }
            .map_err(|e| Failure::input(format!("--{flag}: {e}")))
        };
        let window = Window {
            since: since.map(|t| read("since", t, 0)).transpose()?,
            // Until a date means through the end of that day.
            until: until.map(|t| read("until", t, 1)).transpose()?,
        };
        if let (Some(s), Some(u)) = (window.since, window.until) {
            if s >= u {
                return Err(Failure::input(format!(
                    "--since {} is not before --until {}",
                    since.unwrap_or_default().trim(),
                    until.unwrap_or_default().trim()
                ))
                .hint("give the earlier time to --since"));
            }
        }
        Ok(window)
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_until_date_covers_that_whole_day_on_the_policy_clock() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let w = Window::parse(Some("2026-03-29"), Some("2026-03-29"), berlin).unwrap();
        // The day clocks go forward is 23 hours long.
        assert_eq!(w.until.unwrap() - w.since.unwrap(), Duration::hours(23));
        assert!(w.contains("2026-03-29T21:59:59Z".parse().unwrap()));
        assert!(!w.contains("2026-03-29T22:00:00Z".parse().unwrap()));
    }

    #[test]
    fn a_day_whose_midnight_clocks_skip_starts_after_the_gap() {
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let w = Window::parse(Some("2026-09-06"), None, santiago).unwrap();
        assert_eq!(w.since.unwrap().to_rfc3339(), "2026-09-06T04:00:00+00:00");
    }

    #[test]
    fn since_must_come_before_until() {
        let utc: Tz = "UTC".parse().unwrap();
        let e = Window::parse(Some("2026-07-01"), Some("2026-06-30"), utc).unwrap_err();
        assert!(
            e.to_string()
                .contains("--since 2026-07-01 is not before --until 2026-06-30"),
            "{e}"
        );
        assert!(Window::parse(Some("soon"), None, utc)
            .unwrap_err()
            .to_string()
            .contains("--since: `soon` is not a time"));
    }
}
