//! How commits name changes: the policy's pattern anywhere in the message, and
//! `Change: <ID>` trailers; `Co-authored-by:` trailers name more authors. Trailers
//! are read from the trailer block only, as git reads them (see [`super::trailer`]).

use super::ChangeId;
use regex::Regex;
use serde::{Deserialize, Serialize};

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
    /// Emails from `Co-authored-by:` trailers.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub co_authors: Box<[String]>,
}

impl References {
    /// Whether the message names no change, well-formed or not.
    pub fn names_nothing(&self) -> bool {
        self.ids.is_empty() && self.malformed.is_empty()
    }
}

/// The default pattern for a prefix: `CHG-2026-0007` as a whole word.
pub fn default_pattern(prefix: &str) -> String {
    format!(r"\b{}-\d{{4}}-\d{{1,9}}\b", regex::escape(prefix))
}

/// Reads the references of `message`. The pattern's matches may carry decoration
/// (seed 002 writes `[CR-2025-001]`): the ID is taken from inside each match.
pub fn parse(message: &str, pattern: &Regex) -> References {
    let (mut ids, mut malformed, mut co_authors) = (Vec::new(), Vec::new(), Vec::new());
    let add = |id: ChangeId, ids: &mut Vec<ChangeId>| {
        if !ids.iter().any(|known| known.same_change(&id)) {
            ids.push(id);
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
        co_authors: co_authors.into(),
    }
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

    fn refs(message: &str) -> References {
        parse(message, &Regex::new(&default_pattern("CHG")).unwrap())
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
    fn a_decorated_pattern_yields_the_id_inside() {
        let pattern = Regex::new(r"\[CR-\d{4}-\d{3}\]").unwrap();
        let r = parse("[CR-2025-001] Add asset_owner field", &pattern);
        assert_eq!(r.ids[0].to_string(), "CR-2025-001");
    }
}
