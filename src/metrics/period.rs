//! Calendar periods a report is broken into, on the policy's clock.

use crate::policy::duration::start_of_day;
use crate::window::Window;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    Month,
    Quarter,
}

impl Period {
    /// The first day of the period holding `day`, and its label (`2026-03`, `2026-Q1`).
    fn start_of(self, day: NaiveDate) -> (NaiveDate, String) {
        let (year, month) = (day.year(), day.month());
        match self {
            Period::Month => (
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(day),
                format!("{year}-{month:02}"),
            ),
            Period::Quarter => {
                let q = (month - 1) / 3;
                (
                    NaiveDate::from_ymd_opt(year, q * 3 + 1, 1).unwrap_or(day),
                    format!("{year}-Q{}", q + 1),
                )
            }
        }
    }

    fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
        }
    }

    /// The periods from `from` to `to`, each cut to that span.
    pub fn split(self, from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> Vec<(String, Window)> {
        let midnight = |d: NaiveDate| start_of_day(d, &zone).with_timezone(&Utc);
        let mut out = Vec::new();
        let (mut start, mut label) = self.start_of(from.with_timezone(&zone).date_naive());
        while midnight(start) < to {
            let next = start
                .checked_add_months(chrono::Months::new(self.months()))
                .unwrap_or(start);
            if next == start {
                break;
            }
            out.push((
                label,
                Window {
                    since: Some(midnight(start).max(from)),
                    until: Some(midnight(next).min(to)),
                },
            ));
            (start, label) = self.start_of(next);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_cover_the_span_and_are_cut_to_it() {
        let utc: Tz = "UTC".parse().unwrap();
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let parts =
            Period::Quarter.split(t("2026-02-10T00:00:00Z"), t("2026-07-01T00:00:00Z"), utc);
        let labels: Vec<&str> = parts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["2026-Q1", "2026-Q2"]);
        assert_eq!(parts[0].1.since, Some(t("2026-02-10T00:00:00Z")));
        assert_eq!(parts[1].1.until, Some(t("2026-07-01T00:00:00Z")));
        let months = Period::Month.split(t("2026-12-31T00:00:00Z"), t("2027-01-02T00:00:00Z"), utc);
        assert_eq!(months.len(), 2);
        assert_eq!(months[1].0, "2027-01");
    }
}
