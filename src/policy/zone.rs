//! The policy's time zone (IANA names) and times of day for deployment windows.

use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// An IANA time zone such as `America/New_York`; daylight saving comes from the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(Tz::UTC)
    }
}

impl FromStr for Zone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse::<Tz>().map(Zone).map_err(|_| {
            format!(
                "`{s}` is not an IANA time zone name (e.g. UTC, Europe/Berlin, America/New_York)"
            )
        })
    }
}

impl Zone {
    /// `t` on this clock, as people read it: `Mon 2026-11-23 06:00 America/New_York`.
    pub fn local(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        format!(
            "{} {}",
            t.with_timezone(&self.0).format("%a %Y-%m-%d %H:%M"),
            self.0.name()
        )
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// A time of day `HH:MM`, from `00:00` to `24:00` (the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    minutes: u16,
}

impl TimeOfDay {
    pub fn minutes(self) -> u16 {
        self.minutes
    }
}

impl FromStr for TimeOfDay {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a time of day; write HH:MM, 00:00 to 24:00");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(TimeOfDay {
            minutes: h * 60 + m,
        })
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

crate::serde_via_str!(Zone, TimeOfDay);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_times_parse() {
        assert_eq!(
            "America/New_York".parse::<Zone>().unwrap().to_string(),
            "America/New_York"
        );
        assert!("Mars/Olympus".parse::<Zone>().is_err());
        assert_eq!("06:30".parse::<TimeOfDay>().unwrap().minutes(), 390);
        assert_eq!("24:00".parse::<TimeOfDay>().unwrap().minutes(), 1440);
        for bad in ["6:30", "24:01", "12:60", "noon", "12"] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad}");
        }
    }
}
