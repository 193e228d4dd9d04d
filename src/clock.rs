//! Now, and times typed by users. `CHG_NOW` pins the clock for reproducible audits
//! and tests; it is passed around in the context, never read from a global.

use crate::error::Failure;
use crate::model::Timestamp;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    /// The real time, or `CHG_NOW` (RFC 3339) when set.
    pub fn from_env() -> Result<Clock, Failure> {
        match std::env::var("CHG_NOW") {
            Ok(text) if !text.trim().is_empty() => {
                let t: Timestamp = text
                    .parse()
                    .map_err(|e| Failure::input(format!("CHG_NOW: {e}")))?;
                Ok(Clock { now: t.utc() })
            }
            _ => Ok(Clock { now: Utc::now() }),
        }
    }

    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Now, to the second, as records store it.
    pub fn timestamp(&self) -> Timestamp {
        use chrono::Timelike;
        Timestamp::from(self.now.with_nanosecond(0).unwrap_or(self.now))
    }
}

/// Parses a time typed on the command line: RFC 3339, or `YYYY-MM-DD HH:MM` or
/// `YYYY-MM-DD` (midnight) in the policy's time zone.
pub fn parse_user_time(text: &str, zone: Tz) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Timestamp(t));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
        .ok_or_else(|| {
            format!("`{text}` is not a time; write RFC 3339 (2026-11-24T06:00:00Z), `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`")
        })?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(Timestamp(t.fixed_offset())),
        // When clocks go back, an hour happens twice: take the first, as people mean.
        LocalResult::Ambiguous(first, _) => Ok(Timestamp(first.fixed_offset())),
        LocalResult::None => Err(format!(
            "`{text}` does not exist in {}: the clocks skip it for daylight saving time",
            zone.name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_take_the_zone_s_offset_including_dst() {
        let ny: Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            parse_user_time("2026-11-24 06:00", ny).unwrap().to_string(),
            "2026-11-24T06:00:00-05:00"
        );
        assert_eq!(
            parse_user_time("2026-07-01", ny).unwrap().to_string(),
            "2026-07-01T00:00:00-04:00"
        );
        assert!(parse_user_time("2026-03-08 02:30", ny)
            .unwrap_err()
            .contains("daylight saving"));
        assert_eq!(
            parse_user_time("2026-11-01 01:30", ny).unwrap().to_string(),
            "2026-11-01T01:30:00-04:00"
        );
        assert!(parse_user_time("next tuesday", ny).is_err());
    }
}
