//! Policy durations: `30m`, `24h`, `7d`, `2w`, and business days `2bd`.

use chrono::{DateTime, Datelike, Duration, TimeZone, Weekday};
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
    /// The instant this long after `start`; business days skip weekends.
    pub fn after<Tz: TimeZone>(&self, start: DateTime<Tz>) -> DateTime<Tz> {
        match *self {
            PolicyDuration::Elapsed(d) => start + d,
            PolicyDuration::BusinessDays(n) => {
                let mut t = start;
                let mut left = n;
                while left > 0 {
                    t += Duration::days(1);
                    if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
                        left -= 1;
                    }
                }
                t
            }
        }
    }
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
    fn business_days_skip_the_weekend() {
        // Friday 2026-11-20 10:00 + 2 business days = Tuesday 2026-11-24 10:00.
        let friday = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        let due = PolicyDuration::BusinessDays(2).after(friday);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    }
}
