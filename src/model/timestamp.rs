//! Points in time as records store them: RFC 3339 with the offset they were made in.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use std::fmt;
use std::str::FromStr;

/// An instant with its original UTC offset; written as RFC 3339, `Z` for UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl Timestamp {
    pub fn utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp(t.fixed_offset())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl FromStr for Timestamp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(Timestamp)
            .map_err(|e| format!("`{s}` is not an RFC 3339 time like 2026-11-21T10:30:00Z ({e})"))
    }
}

crate::serde_via_str!(Timestamp);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_offset_and_writes_z_for_utc() {
        let t: Timestamp = "2026-11-24T06:00:00-05:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-11-24T06:00:00-05:00");
        let z: Timestamp = "2026-11-21T10:30:00+00:00".parse().unwrap();
        assert_eq!(z.to_string(), "2026-11-21T10:30:00Z");
    }
}
