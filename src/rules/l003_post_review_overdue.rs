//! L003 post-review-overdue.

use super::{Register, Report, Rule};
use crate::followup;
use crate::model::Status;
use crate::policy::{PostReview, Severity};

pub const RULE: Rule = Rule {
    code: "L003",
    name: "post-review-overdue",
    severity: Severity::Error,
    summary: "a required post-implementation review is overdue",
    doc: "Classes with `post_review = \"required\"` (major and emergency by default) owe a \
review of outcome, side effects, monitoring findings and lessons after deployment, within \
`post_review_within` when set (the itil-four-class preset: 48 hours for an emergency); with `post_review = \
\"on-rollback\"`, only a rolled-back change owes one, from the rollback. \
A review that leaves out a field the class's `review_requires` names does not \
count. Record it with `chg review`. A closed change without one is reported \
even where no deadline is set.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let zone = reg.policy.changes.timezone.0;
    for stored in reg.records {
        let r = &stored.record;
        let Some(duty) = followup::post_review(r, reg.policy) else {
            continue;
        };
        // A review on file that lacks required fields is named as such.
        let lacks = followup::review_lacks(r, reg.policy);
        let lacking = if lacks.is_empty() {
            String::new()
        } else {
            format!(" (the review on file lacks {})", lacks.join(", "))
        };
        let due = duty.due.map(|d| d.with_timezone(&zone));
        let from = match reg.policy.class(r.class).post_review {
            PostReview::OnRollback => "the rollback",
            _ => "deployment",
        };
        match (duty.within, due) {
            (Some(within), Some(due)) if duty.is_overdue(reg.now) => report.on(
                stored,
                format!("the post-implementation review was due within {within} of {from} ({due}){lacking}"),
            ),
            (Some(within), Some(due)) if duty.late().is_some() => report.on(
                stored,
                format!("the post-implementation review came after the {within} deadline ({due})"),
            ),
            (None, _) if duty.done.is_none() && r.status == Status::Closed => report.on(
                stored,
                format!("closed without the required post-implementation review{lacking}"),
            ),
            _ => {}
        }
    }
}
