//! The stretch of time a report covers, from `--since` and `--until` as typed.

use crate::clock::parse_user_time;
use crate::error::Failure;
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
        let read = |flag: &str, text: &str| {
            parse_user_time(text, zone)
                .map(|t| t.utc())
                .map_err(|e| Failure::input(format!("--{flag}: {e}")))
        };
        let since = since.map(|t| read("since", t)).transpose()?;
        let until = until
            .map(|text| {
                let start = read("until", text)?;
                let whole_day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").is_ok();
                Ok::<_, Failure>(if whole_day {
                    next_midnight(start, zone)
                } else {
                    start
                })
            })
            .transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            if s >= u {
                return Err(Failure::input(format!(
                    "--since ({}) is not before --until ({})",
                    s.to_rfc3339(),
                    u.to_rfc3339()
                ))
                .hint("give the earlier time to --since"));
            }
        }
        Ok(Window { since, until })
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u)
    }
}

/// The midnight after the local midnight `start` (a day is 23 or 25 hours on the days
/// clocks change).
fn next_midnight(start: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let day = start.with_timezone(&zone).date_naive() + Duration::days(1);
    let text = day.format("%Y-%m-%d").to_string();
    parse_user_time(&text, zone).map_or(start + Duration::days(1), |t| t.utc())
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
    fn since_must_come_before_until() {
        let utc: Tz = "UTC".parse().unwrap();
        let e = Window::parse(Some("2026-07-01"), Some("2026-06-30"), utc).unwrap_err();
        assert!(e.to_string().contains("is not before --until"), "{e}");
        assert!(Window::parse(Some("soon"), None, utc)
            .unwrap_err()
            .to_string()
            .contains("--since: `soon` is not a time"));
    }
}
