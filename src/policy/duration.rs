//! Policy durations: `30m`, `24h`, `7d`, `2w`, and business days `2bd`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Weekday};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyDuration {
    /// Wall-clock time.
    Elapsed(Duration),
    /// Whole business days (Monday to Friday), counted in the policy's time zone.
    BusinessDays(u32),
}

impl PolicyDuration {
    /// The instant this long after `start`. `n` business days are `n` times 24 hours
    /// of time on Monday to Friday in `start`'s zone (see [`business_time`]), so a
    /// deadline and the time measured against it can never disagree.
    pub fn after<Tz: TimeZone>(&self, start: DateTime<Tz>) -> DateTime<Tz> {
        match *self {
            PolicyDuration::Elapsed(d) => start + d,
            PolicyDuration::BusinessDays(n) => {
                let mut left = Duration::hours(24 * i64::from(n));
                let mut t = start;
                loop {
                    let next = next_day(&t);
                    if is_business_day(&t) {
                        if next.clone() - t.clone() >= left {
                            return t + left;
                        }
                        left -= next.clone() - t;
                    }
                    t = next;
                }
            }
        }
    }
}

fn is_business_day<Tz: TimeZone>(t: &DateTime<Tz>) -> bool {
    !matches!(t.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first instant of the local day after `t`'s.
fn next_day<Tz: TimeZone>(t: &DateTime<Tz>) -> DateTime<Tz> {
    let day = t.date_naive() + Duration::days(1);
    start_of_day(day, &t.timezone())
}

/// The first instant of local `day` in `zone`: midnight, or the end of the gap where
/// clocks skip midnight for daylight saving time (Santiago, Beirut).
pub fn start_of_day<Tz: TimeZone>(day: NaiveDate, zone: &Tz) -> DateTime<Tz> {
    (0..=24 * 60)
        .step_by(15)
        .find_map(|m| {
            let local = day.and_hms_opt(0, 0, 0)? + Duration::minutes(m);
            zone.from_local_datetime(&local).earliest()
        })
        .unwrap_or_else(|| zone.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

/// Time from `from` to `to` that falls on Monday to Friday in `zone`, in days of 24
/// hours: how long something took in business days.
pub fn business_time<Tz: TimeZone>(from: DateTime<Tz>, to: DateTime<Tz>) -> Duration {
    let mut total = Duration::zero();
    let mut t = from;
    while t < to {
        let next = next_day(&t);
        let end = if next < to { next.clone() } else { to.clone() };
        if is_business_day(&t) {
            total += end - t;
        }
        t = next;
    }
    total
}

impl FromStr for PolicyDuration {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not a duration; write e.g. 30m, 24h, 7d, 2w or 2bd (business days)")
        };
        let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (number, unit) = s.split_at(split);
        let n: u32 = number.parse().map_err(|_| bad())?;
        // Ten years in any unit is plenty for a policy, and keeps date arithmetic safe.
        let limit = match unit {
            "m" => 5_256_000,
            "h" => 87_600,
            "d" => 3_650,
            "w" => 522,
            _ => 2_610,
        };
        if n > limit {
            return Err(format!("`{s}` is longer than ten years"));
        }
        let n64 = i64::from(n);
        Ok(match unit {
            "m" => PolicyDuration::Elapsed(Duration::minutes(n64)),
            "h" => PolicyDuration::Elapsed(Duration::hours(n64)),
            "d" => PolicyDuration::Elapsed(Duration::days(n64)),
            "w" => PolicyDuration::Elapsed(Duration::weeks(n64)),
            "bd" => PolicyDuration::BusinessDays(n),
            _ => return Err(bad()),
        })
    }
}

impl fmt::Display for PolicyDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PolicyDuration::BusinessDays(n) => write!(f, "{n}bd"),
            PolicyDuration::Elapsed(d) => {
                let m = d.num_minutes();
                match m {
                    _ if m % (7 * 24 * 60) == 0 && m > 0 => write!(f, "{}w", m / (7 * 24 * 60)),
                    _ if m % (24 * 60) == 0 && m > 0 => write!(f, "{}d", m / (24 * 60)),
                    _ if m % 60 == 0 && m > 0 => write!(f, "{}h", m / 60),
                    _ => write!(f, "{m}m"),
                }
            }
        }
    }
}

crate::serde_via_str!(PolicyDuration);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn parses_each_unit() {
        assert_eq!(
            "24h".parse::<PolicyDuration>().unwrap(),
            PolicyDuration::Elapsed(Duration::hours(24))
        );
        assert_eq!("7d".parse::<PolicyDuration>().unwrap().to_string(), "1w");
        assert_eq!(
            "2bd".parse::<PolicyDuration>().unwrap(),
            PolicyDuration::BusinessDays(2)
        );
        assert_eq!("90m".parse::<PolicyDuration>().unwrap().to_string(), "90m");
        for bad in [
            "",
            "h",
            "24",
            "1.5h",
            "-1d",
            "2 d",
            "3y",
            "4294967295w",
            "9999bd",
        ] {
            assert!(bad.parse::<PolicyDuration>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_deadline_in_business_days_is_the_business_time_it_allows() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // Submitted on a Sunday: one business day is all of Monday.
        let sunday = t("2026-03-08T12:00:00Z");
        let due = PolicyDuration::BusinessDays(1).after(sunday);
        assert_eq!(due, t("2026-03-10T00:00:00Z"));
        assert_eq!(business_time(sunday, due), Duration::hours(24));
        // In Berlin, across the night clocks go forward, a business day is still 24
        // hours of weekday time.
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let friday = t("2026-03-27T15:00:00Z").with_timezone(&berlin);
        let due = PolicyDuration::BusinessDays(1).after(friday);
        assert_eq!(due.to_rfc3339(), "2026-03-30T16:00:00+02:00");
        assert_eq!(business_time(friday, due), Duration::hours(24));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_after_the_gap() {
        let santiago: chrono_tz::Tz = "America/Santiago".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(
            start_of_day(day, &santiago).to_rfc3339(),
            "2026-09-06T01:00:00-03:00"
        );
    }

    #[test]
    fn business_days_skip_the_weekend() {
        // Friday 2026-11-20 10:00 + 2 business days = Tuesday 2026-11-24 10:00.
        let friday = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        let due = PolicyDuration::BusinessDays(2).after(friday);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    }
}
