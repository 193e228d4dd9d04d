//! What a post-implementation review must say: a class's `review_requires` names the
//! review's fields (seed 000 §10, seed 004 §5.6).

use super::Policy;
use crate::model::record::Review;
use crate::model::{ChangeRecord, Status};

/// The review fields a policy may require; `outcome` is always present.
pub const FIELDS: &[&str] = &[
    "outcome",
    "side_effects",
    "monitoring_findings",
    "lessons",
    "playbook_updates",
    "incidents",
    "regression",
    "steps",
    "duration",
    "impact",
    "root_cause",
    "preventive_measures",
];

/// Checks a `review_requires` entry's spelling; the error lists what is allowed.
pub fn validate(name: &str) -> Result<(), String> {
    if FIELDS.contains(&name) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a review field; one of: {}",
            FIELDS.join(", ")
        ))
    }
}

/// The fields a review of `record` must fill: its class's `review_requires`, and
/// once it was rolled back, its `review_requires_on_rollback` too.
pub fn required(record: &ChangeRecord, policy: &Policy) -> Vec<String> {
    let rules = policy.class(record.class);
    let mut required = rules.review_requires.clone();
    if was_rolled_back(record) {
        let more = rules.review_requires_on_rollback.iter();
        required.extend(more.filter(|f| !rules.review_requires.contains(f)).cloned());
    }
    required
}

/// Whether the change was ever rolled back.
pub fn was_rolled_back(record: &ChangeRecord) -> bool {
    record
        .transitions
        .iter()
        .any(|t| t.to == Status::RolledBack)
}

/// The required fields `review` leaves empty.
pub fn missing(review: &Review, required: &[String]) -> Vec<String> {
    let filled = super::requirement::written;
    required
        .iter()
        .filter(|name| !match name.as_str() {
            "outcome" => true,
            "side_effects" => filled(&review.side_effects),
            "monitoring_findings" => filled(&review.monitoring_findings),
            "lessons" => filled(&review.lessons),
            "playbook_updates" => filled(&review.playbook_updates),
            "incidents" => filled(&review.incidents),
            "regression" => review.regression.is_some(),
            "steps" => filled(&review.steps),
            "duration" => filled(&review.duration),
            "impact" => filled(&review.impact),
            "root_cause" => filled(&review.root_cause),
            "preventive_measures" => filled(&review.preventive_measures),
            _ => false,
        })
        .cloned()
        .collect()
}

/// The `chg review` flag that fills `field`.
pub fn flag(field: &str) -> String {
    match field {
        "regression" => "--regression yes|no".into(),
        _ => format!("--{}", field.replace('_', "-")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ReviewOutcome;

    #[test]
    fn a_review_lacks_the_required_fields_it_leaves_blank() {
        let review = Review {
            at: "2026-11-21T10:00:00Z".parse().unwrap(),
            by: "ada@x".into(),
            outcome: ReviewOutcome::Achieved,
            side_effects: Some("none".into()),
            monitoring_findings: None,
            lessons: Some("  ".into()),
            playbook_updates: None,
            incidents: None,
            regression: None,
            steps: Some("reverted".into()),
            duration: None,
            impact: None,
            root_cause: None,
            preventive_measures: None,
        };
        let required: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            missing(&review, &required),
            [
                "monitoring_findings",
                "lessons",
                "playbook_updates",
                "incidents",
                "regression",
                "duration",
                "impact",
                "root_cause",
                "preventive_measures"
            ]
        );
        assert!(validate("lesson").unwrap_err().contains("playbook_updates"));
        assert_eq!(flag("monitoring_findings"), "--monitoring-findings");
        assert_eq!(flag("root_cause"), "--root-cause");
    }
}
