//! Small statistics the metrics need: median, 90th percentile, business time.

use crate::policy::duration::business_time;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// How long something took across several changes, in one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub median: Option<f64>,
    /// Nearest rank: the smallest value at least 90 % of the values do not exceed.
    pub p90: Option<f64>,
}

impl Spread {
    pub fn of(values: Vec<f64>) -> Spread {
        Spread::with_median(values).0
    }

    /// The spread, and its median before rounding: targets are judged on that.
    pub fn with_median(mut values: Vec<f64>) -> (Spread, Option<f64>) {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        if n == 0 {
            return (Spread::default(), None);
        }
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        let rank = (n * 9).div_ceil(10);
        let spread = Spread {
            count: n,
            median: Some(round(median)),
            p90: Some(round(values[rank - 1])),
        };
        (spread, Some(median))
    }
}

/// Two decimals: figures for people, stable for tests.
pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

/// Business days from `from` to `to` in `zone` (see [`business_time`]).
pub fn business_days(from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> f64 {
    let time = business_time(from.with_timezone(&zone), to.with_timezone(&zone));
    time.num_seconds() as f64 / 86_400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_by_nearest_rank() {
        let s = Spread::of(vec![5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
        assert_eq!((s.count, s.median, s.p90), (10, Some(5.5), Some(9.0)));
        let s = Spread::of(vec![4.0, 1.0, 2.0]);
        assert_eq!((s.median, s.p90), (Some(2.0), Some(4.0)));
        assert_eq!(Spread::of(vec![]).median, None);
    }

    #[test]
    fn business_days_skip_the_weekend_on_the_policy_clock() {
        let utc: Tz = "UTC".parse().unwrap();
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // Friday 16:00 to Monday 16:00 is one business day.
        let d = business_days(t("2026-03-06T16:00:00Z"), t("2026-03-09T16:00:00Z"), utc);
        assert!((d - 1.0).abs() < 1e-9, "{d}");
        // Saturday to Sunday is none.
        assert_eq!(
            business_days(t("2026-03-07T09:00:00Z"), t("2026-03-08T17:00:00Z"), utc),
            0.0
        );
        // In Tokyo, Friday 23:00 UTC is already Saturday.
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        assert_eq!(
            business_days(t("2026-03-06T16:00:00Z"), t("2026-03-06T23:00:00Z"), tokyo),
            0.0
        );
    }
}
