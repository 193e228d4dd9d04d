//! Change IDs: `<PREFIX>-<YYYY>-<NNNN>` (SPEC §2.1).
//!
//! An ID typed by a user becomes a file name, so it is validated here, before it can
//! touch the file system: `../../etc/passwd` never gets near a path.

use std::fmt;
use std::str::FromStr;

/// The longest prefix [`is_valid_prefix`] accepts.
const PREFIX_MAX: usize = 16;

/// A validated change (or freeze) ID. Held inline, without an allocation: a check
/// holds one for every reference in a long history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChangeId {
    /// ASCII, padded with zero bytes; which sort before any character, so IDs order
    /// as their text does.
    prefix: [u8; PREFIX_MAX],
    year: u16,
    seq: u32,
    /// How many digits the sequence was written with, so `CR-2025-001` stays as typed.
    width: u8,
}

/// What names one change however its ID is written: prefix, year and number.
pub type ChangeKey = ([u8; PREFIX_MAX], u16, u32);

impl ChangeId {
    /// `prefix` must be valid ([`is_valid_prefix`]), as the policy's and chg's own are.
    pub fn new(prefix: &str, year: u16, seq: u32, digits: usize) -> Self {
        debug_assert!(is_valid_prefix(prefix), "invalid prefix {prefix}");
        let mut inline = [0; PREFIX_MAX];
        let len = prefix.len().min(PREFIX_MAX);
        inline[..len].copy_from_slice(&prefix.as_bytes()[..len]);
        ChangeId {
            prefix: inline,
            year,
            seq,
            width: digits.min(9) as u8,
        }
    }

    pub fn prefix(&self) -> &str {
        let len = self
            .prefix
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(PREFIX_MAX);
        // Built from validated ASCII only.
        std::str::from_utf8(&self.prefix[..len]).unwrap_or_default()
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Whether two IDs name one change, however many digits each was written with.
    pub fn same_change(&self, other: &ChangeId) -> bool {
        self.key() == other.key()
    }

    /// The change this ID names, whatever its width (for maps of changes).
    pub fn key(&self) -> ChangeKey {
        (self.prefix, self.year, self.seq)
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
            self.prefix(),
            self.year,
            self.seq,
            w = usize::from(self.width)
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
        Ok(ChangeId::new(
            prefix,
            year.parse().map_err(|_| bad())?,
            seq.parse().map_err(|_| bad())?,
            seq.len(),
        ))
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
