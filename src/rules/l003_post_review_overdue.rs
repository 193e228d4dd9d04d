//! L003 post-review-overdue.

use super::{first_move_to, Register, Report, Rule};
use crate::model::Status;
use crate::policy::{PostReview, Severity};

pub const RULE: Rule = Rule {
    code: "L003",
    name: "post-review-overdue",
    severity: Severity::Error,
    summary: "a required post-implementation review is overdue",
    doc: "Classes with `post_review = \"required\"` (major and emergency by default) owe a \
review of outcome, side effects, monitoring findings and lessons after deployment, within \
`post_review_within` when set (seed 000 §2.4: 48 hours). Record it with `chg review`. A \
closed change without one is reported even where no deadline is set.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let r = &stored.record;
        let rules = reg.policy.class(r.class);
        if rules.post_review != PostReview::Required {
            continue;
        }
        let Some(deployed) = first_move_to(r, Status::Deployed) else {
            continue;
        };
        let due = rules.post_review_within.map(|within| {
            (
                within,
                within.after(deployed.utc().with_timezone(&reg.policy.changes.timezone.0)),
            )
        });
        match (&r.review, due) {
            (None, Some((within, due))) if reg.now > due => report.on(
                stored,
                format!(
                    "the post-implementation review was due within {within} of deployment ({due})"
                ),
            ),
            (None, None) if r.status == Status::Closed => report.on(
                stored,
                "closed without the required post-implementation review",
            ),
            (Some(review), Some((within, due))) if review.at.utc() > due => report.on(
                stored,
                format!("the post-implementation review came after the {within} deadline ({due})"),
            ),
            _ => {}
        }
    }
}
