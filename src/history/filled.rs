//! Which of a record's after-the-fact duties a version of it holds written down: the
//! record itself, the review and each of its fields, an emergency's root cause and
//! preventive action.
//! Kept as a mask per version a mainline commit wrote, so that the commit that first
//! held a duty done is known without reading the record again (see
//! [`super::History::held_since`]).

use crate::model::ChangeRecord;
use crate::policy::review;

/// The bit of the review itself (its `outcome` is always there once it is).
const REVIEW: u32 = 1;
/// The record itself: every version that parses holds it.
pub const RECORD: u32 = 1 << 29;
const ROOT_CAUSE: u32 = 1 << 30;
const PREVENTIVE_ACTION: u32 = 1 << 31;

/// What an emergency's retrospective must have written down.
pub const RETROSPECTIVE: u32 = ROOT_CAUSE | PREVENTIVE_ACTION;

/// The bit of a review field: its place in [`review::FIELDS`], `outcome` (the review
/// itself) first.
fn review_bit(field: &str) -> u32 {
    let at = review::FIELDS.iter().position(|f| *f == field);
    at.map_or(REVIEW, |i| 1 << i)
}

/// The bits of a review holding the fields `required` names.
pub fn review(required: &[String]) -> u32 {
    required.iter().fold(REVIEW, |mask, f| mask | review_bit(f))
}

/// What `record` holds written down.
pub fn of(record: &ChangeRecord) -> u32 {
    let text = crate::policy::requirement::written;
    let mut mask = RECORD;
    if let Some(r) = &record.review {
        let all: Vec<String> = review::FIELDS.iter().map(|f| f.to_string()).collect();
        let lacks = review::missing(r, &all);
        mask |= (review::FIELDS.iter())
            .filter(|f| !lacks.iter().any(|l| l == *f))
            .fold(REVIEW, |m, f| m | review_bit(f));
    }
    if let Some(e) = &record.emergency {
        if text(&e.root_cause) {
            mask |= ROOT_CAUSE;
        }
        if text(&e.preventive_action) {
            mask |= PREVENTIVE_ACTION;
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_review_field_has_its_own_bit_clear_of_the_retrospective() {
        assert!(review::FIELDS.len() < 29);
        let all: Vec<String> = review::FIELDS.iter().map(|f| f.to_string()).collect();
        assert_eq!(review(&all).count_ones() as usize, review::FIELDS.len());
        assert_eq!(review(&all) & (RETROSPECTIVE | RECORD), 0);
    }
}
