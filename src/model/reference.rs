//! How commits name changes: the policy's pattern anywhere in the message, and
//! `Change: <ID>` trailers; `Co-authored-by:` trailers name more authors. Trailers
//! are read from the trailer block only, as git reads them (see [`super::trailer`]).
//!
//! An ID-shaped word whose number has another count of digits than the register's
//! IDs (`CHG-2026-1` or `CHG-2026-00001` where IDs are `CHG-2026-0001`) names no
//! change: read as one, a typo would pass for a reference to a change it may not mean. The policy's pattern
//! carries what the register's IDs look like, in a group named [`MISSHAPEN`], so that
//! the commit-msg hook and `chg check` read every message alike.

use super::ChangeId;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;

/// What a commit message says about changes and authors. Fixed once read, and held
/// for every commit of a long history: boxed slices, sized exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    /// Change IDs named, each once, in the order first named.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub ids: Box<[ChangeId]>,
    /// `Change:` trailer values that hold something other than change IDs, each
    /// whole, one a trailer.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub malformed: Box<[String]>,
    /// ID-shaped words, named by the pattern or a `Change:` trailer, that are not IDs
    /// of this register: their numbers have another count of digits. Each once.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub misshapen: Box<[ChangeId]>,
    /// Emails from `Co-authored-by:` trailers.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub co_authors: Box<[String]>,
}

impl References {
    /// Whether the message names no change, well-formed or not.
    pub fn names_nothing(&self) -> bool {
        self.ids.is_empty() && self.malformed.is_empty() && self.misshapen.is_empty()
    }
}

/// The name of the pattern's group that matches ID-shaped words that are not IDs of
/// the register.
pub const MISSHAPEN: &str = "misshapen";

/// The pattern a policy reads references with, for IDs of `prefix` whose numbers have
/// `digits` digits: `custom` if the policy sets one, else such an ID as a whole word;
/// either way, any word of the prefix with another count of digits is [`MISSHAPEN`].
pub fn pattern(prefix: &str, digits: usize, custom: Option<&str>) -> String {
    let prefix = regex::escape(prefix);
    // Too few digits, or zeros padding past the width. A number too big for the
    // width is written whole (`CR-2025-1000` when IDs have 3 digits): an ID.
    let mut other = Vec::new();
    if digits > 1 {
        other.push(format!(r"\d{{1,{}}}", digits - 1));
    }
    if digits < 9 {
        other.push(format!(r"0\d{{{digits},8}}"));
    }
    let named = custom.map_or_else(
        || format!(r"\b{prefix}-\d{{4}}-\d{{{digits},9}}\b"),
        str::to_string,
    );
    // First, so that a custom pattern that allows any count of digits still finds
    // such a word misshapen.
    format!(
        r"(?P<{MISSHAPEN}>\b{prefix}-\d{{4}}-(?:{})\b)|(?:{named})",
        other.join("|")
    )
}

/// What the register's IDs look like, for a message about `id`, which is not one.
pub fn misshapen_note(id: &ChangeId, digits: usize) -> String {
    let like = ChangeId::new(id.prefix(), id.year(), 1, digits);
    format!("{id}, which is not an ID of this register: its IDs look like {like}")
}

/// Reads the references of `message`. The pattern's matches may carry decoration
/// (seed 002 writes `[CR-2025-001]`): the ID is taken from inside each match.
pub fn parse(message: &str, pattern: &Regex) -> References {
    read(message, pattern, |id| is_misshapen(pattern, id))
}

/// A policy's pattern kept for many messages, with what it found of each ID-shaped
/// word it was asked about: a long history names the same changes thousands of
/// times, and asking the pattern again is most of reading a message.
pub struct Pattern {
    regex: Regex,
    misshapen: RefCell<HashMap<ChangeId, bool>>,
}

impl Pattern {
    pub fn new(regex: Regex) -> Pattern {
        Pattern {
            regex,
            misshapen: RefCell::default(),
        }
    }

    /// [`parse`] of `message`.
    pub fn parse(&self, message: &str) -> References {
        read(message, &self.regex, |id| {
            let mut known = self.misshapen.borrow_mut();
            if let Some(&misshapen) = known.get(id) {
                return misshapen;
            }
            let misshapen = is_misshapen(&self.regex, id);
            known.insert(id.clone(), misshapen);
            misshapen
        })
    }
}

/// [`parse`], told whether an ID-shaped word is [`MISSHAPEN`] by `misshapen`.
fn read(message: &str, pattern: &Regex, misshapen: impl Fn(&ChangeId) -> bool) -> References {
    let (mut ids, mut malformed, mut co_authors) = (Vec::new(), Vec::new(), Vec::new());
    let mut misshapen_ids = Vec::new();
    let mut add = |id: ChangeId, ids: &mut Vec<ChangeId>| {
        let list = if misshapen(&id) {
            &mut misshapen_ids
        } else {
            ids
        };
        if !list.iter().any(|known: &ChangeId| known.same_change(&id)) {
            list.push(id);
        }
    };
    for m in pattern.find_iter(message) {
        if let Some(id) = id_within(m.as_str()) {
            add(id, &mut ids);
        }
    }
    for t in super::trailer::trailers(message) {
        if t.token.eq_ignore_ascii_case("Change") {
            // The IDs it holds count; anything else makes the trailer wrong, once.
            let mut wrong = false;
            let parts = t.value.split(|c: char| c == ',' || c.is_whitespace());
            for part in parts.filter(|p| !p.is_empty()) {
                match part.parse::<ChangeId>() {
                    Ok(id) => add(id, &mut ids),
                    Err(_) => wrong = true,
                }
            }
            if wrong {
                malformed.push(t.value.into_owned());
            }
        } else if t.token.eq_ignore_ascii_case("Co-authored-by") {
            co_authors.push(super::record::email_of(&t.value).to_string());
        }
    }
    References {
        ids: ids.into(),
        malformed: malformed.into(),
        misshapen: misshapen_ids.into(),
        co_authors: co_authors.into(),
    }
}

/// Whether the pattern finds `id`, as written, to be no ID of the register.
fn is_misshapen(pattern: &Regex, id: &ChangeId) -> bool {
    let word = id.to_string();
    let found = pattern.captures(&word);
    found
        .and_then(|c| c.name(MISSHAPEN))
        .is_some_and(|m| m.as_str() == word)
}

/// What an `Emergency:` trailer of `message` says: the commit is an emergency fix
/// made before its change could be recorded (the record follows, within the time
/// the policy gives).
pub fn emergency(message: &str) -> Option<String> {
    let trailers = super::trailer::trailers(message);
    let declared = trailers
        .into_iter()
        .find(|t| t.token.eq_ignore_ascii_case("Emergency"));
    declared.map(|t| t.value.into_owned())
}

/// The first ID-shaped word inside `text`.
fn id_within(text: &str) -> Option<ChangeId> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find_map(|word| word.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `message` names, read once by [`parse`] and twice by a kept [`Pattern`]:
    /// the second time from what it remembers, and all three alike.
    fn refs(message: &str) -> References {
        let regex = Regex::new(&pattern("CHG", 4, None)).unwrap();
        let read = parse(message, &regex);
        let kept = Pattern::new(regex);
        assert_eq!(kept.parse(message), read);
        assert_eq!(
            kept.parse(message),
            read,
            "read again from what it remembers"
        );
        read
    }

    #[test]
    fn subjects_bodies_and_trailers_name_changes_once_each() {
        let r = refs("CHG-2026-0001: add column\n\nAlso touches CHG-2026-0002.\n\nChange: CHG-2026-0001, CHG-2026-0003\nCo-authored-by: Lee <lee@example.com>\n");
        let ids: Vec<String> = r.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["CHG-2026-0001", "CHG-2026-0002", "CHG-2026-0003"]);
        assert_eq!(&*r.co_authors, ["lee@example.com"]);
        assert!(r.malformed.is_empty());
    }

    #[test]
    fn wrong_shapes_are_not_references_but_bad_trailers_are_reported() {
        let r = refs("fix CHG-26-1 and XCHG-2026-0001x\n\nChange: banana\n");
        assert!(r.ids.is_empty(), "{r:?}");
        assert_eq!(&*r.malformed, ["banana"]);
    }

    #[test]
    fn a_bad_trailer_is_reported_once_whole_and_its_ids_still_count() {
        let r = refs("Fix\n\nChange: CHG-26-1 banana, CHG-2026-0004\n");
        assert_eq!(&*r.malformed, ["CHG-26-1 banana, CHG-2026-0004"]);
        assert_eq!(r.ids[0].to_string(), "CHG-2026-0004");
    }

    #[test]
    fn trailer_shaped_lines_outside_the_trailer_block_name_nothing() {
        let r = refs("Change: bump the default timeout\n\nThe old\nchange: the format\nCo-authored-by: Lee <lee@example.com>\nis prose.\n\n    Change: banana\n");
        assert_eq!(r, References::default());
    }

    #[test]
    fn an_id_with_another_count_of_digits_is_misshapen_not_a_reference() {
        let r = refs("fix (CHG-2026-1), CHG-2026-00001, CHG-2026-0002 and CHG-2026-10000\n\nChange: CHG-2026-003\n");
        let ids: Vec<String> = r.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["CHG-2026-0002", "CHG-2026-10000"]);
        let misshapen: Vec<String> = r.misshapen.iter().map(ToString::to_string).collect();
        assert_eq!(misshapen, ["CHG-2026-1", "CHG-2026-003"]);
        assert!(r.malformed.is_empty());
        assert_eq!(
            misshapen_note(&r.misshapen[0], 4),
            "CHG-2026-1, which is not an ID of this register: its IDs look like CHG-2026-0001"
        );
    }

    #[test]
    fn a_custom_pattern_admitting_any_digits_still_finds_misshapen_ids() {
        let pattern = Regex::new(&pattern("CR", 3, Some(r"\[CR-\d{4}-\d+\]"))).unwrap();
        let r = parse("[CR-2025-01] and [CR-2025-002], CR-2025-0003", &pattern);
        assert_eq!(r.ids[0].to_string(), "CR-2025-002");
        let misshapen: Vec<String> = r.misshapen.iter().map(ToString::to_string).collect();
        assert_eq!(misshapen, ["CR-2025-01", "CR-2025-0003"]);
    }

    #[test]
    fn one_and_nine_digit_registers_have_patterns() {
        for digits in [1, 9] {
            let pattern = Regex::new(&pattern("CHG", digits, None)).unwrap();
            let r = parse("CHG-2026-1 CHG-2026-000000002", &pattern);
            assert_eq!((r.ids.len(), r.misshapen.len()), (1, 1), "{digits}: {r:?}");
        }
    }

    #[test]
    fn a_decorated_pattern_yields_the_id_inside() {
        let pattern = Regex::new(r"\[CR-\d{4}-\d{3}\]").unwrap();
        let r = parse("[CR-2025-001] Add asset_owner field", &pattern);
        assert_eq!(r.ids[0].to_string(), "CR-2025-001");
    }
}
