//! Change IDs: `<PREFIX>-<YYYY>-<NNNN>` (SPEC §2.1).
//!
//! An ID typed by a user becomes a file name, so it is validated here, before it can
//! touch the file system: `../../etc/passwd` never gets near a path.

use std::fmt;
use std::str::FromStr;

/// A validated change (or freeze) ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChangeId {
    prefix: String,
    year: u16,
    seq: u32,
    /// How many digits the sequence was written with, so `CR-2025-001` stays as typed.
    width: usize,
}

impl ChangeId {
    pub fn new(prefix: &str, year: u16, seq: u32, digits: usize) -> Self {
        ChangeId {
            prefix: prefix.to_string(),
            year,
            seq,
            width: digits,
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Whether two IDs name one change, however many digits each was written with.
    pub fn same_change(&self, other: &ChangeId) -> bool {
        (&self.prefix, self.year, self.seq) == (&other.prefix, other.year, other.seq)
    }

    /// The record's file name: the ID plus `.yaml`.
    pub fn file_name(&self) -> String {
        format!("{self}.yaml")
    }

    /// The ID a file name stands for, if it is `<ID>.yaml` with an ID of the right shape.
    pub fn from_file_name(name: &str) -> Option<ChangeId> {
        name.strip_suffix(".yaml")?.parse().ok()
    }
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:04}-{:0w$}",
            self.prefix,
            self.year,
            self.seq,
            w = self.width
        )
    }
}

/// Whether `prefix` can start an ID: a short upper-case word, letters then digits.
pub fn is_valid_prefix(prefix: &str) -> bool {
    (1..=16).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Prefixes are short upper-case words (`CHG`, `CR`, `FRZ`, `AI-CR` is not one: the
/// hyphen separates fields). Sequences have 1 to 9 digits.
impl FromStr for ChangeId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not a change ID; IDs look like CHG-2026-0007 (PREFIX-YEAR-NUMBER)")
        };
        let mut parts = s.split('-');
        let (Some(prefix), Some(year), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits = |t: &str, min: usize, max: usize| {
            (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        if !is_valid_prefix(prefix) || !digits(year, 4, 4) || !digits(seq, 1, 9) {
            return Err(bad());
        }
        Ok(ChangeId {
            prefix: prefix.to_string(),
            year: year.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
            width: seq.len(),
        })
    }
}

crate::serde_via_str!(ChangeId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_as_typed() {
        for text in [
            "CHG-2026-0007",
            "CR-2025-001",
            "FRZ-2026-0001",
            "X1-2026-123456",
        ] {
            assert_eq!(text.parse::<ChangeId>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn refuses_anything_path_like_or_misshapen() {
        for text in [
            "../../etc/passwd",
            "CHG-2026-0007/../x",
            "CHG/2026/0007",
            "chg-2026-0007",
            "CHG-26-0007",
            "CHG-2026-",
            "CHG-2026-00a7",
            "CHG-2026-0007-1",
            "",
            "CHG-2026-0007.yaml",
        ] {
            assert!(text.parse::<ChangeId>().is_err(), "{text} accepted");
        }
    }

    #[test]
    fn file_names_map_back_to_ids() {
        let id = ChangeId::from_file_name("CHG-2026-0042.yaml").unwrap();
        assert_eq!(id.seq(), 42);
        assert!(ChangeId::from_file_name("CHG-2026-0042.yml").is_none());
        assert!(ChangeId::from_file_name("notes.yaml").is_none());
    }
}
