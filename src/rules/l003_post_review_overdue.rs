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
A review that leaves out a field the class's `review_requires` names (or holds only a \
placeholder such as `TBD` or `-` in it) does not count; nor, for a change that was rolled back, one that leaves out a field of \
`review_requires_on_rollback` (the rollback's `steps`, `duration`, `impact`, `root_cause`, \
`preventive_measures`: the risk-score preset asks all five). Setting that key makes a \
rolled-back change owe a review even where the class's `post_review` is optional. Record it with `chg review`. A closed change without one is reported \
even where no deadline is set. \
The review counts as done when git first held it, not at the `review.at` its author \
typed: at the later of that time and the committer time of the first mainline \
(first-parent) commit whose record holds the review with every required field. \
Committer time, because it is when that commit was made — a rebase or cherry-pick \
renews it, where author time would carry an older claim along. A review written on a \
branch counts from the merge that brings it into the mainline; branches merged or \
rebased after the review landed do not move it. A review not yet committed counts at \
the check's clock. Without history (`--staged`, or outside git) the typed time is all \
there is, and it is used. Commit dates are set by whoever commits: where that \
matters, require signed commits.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let zone = reg.policy.changes.timezone.0;
    for stored in reg.records {
        let r = &stored.record;
        let Some(duty) = followup::post_review(r, reg.policy) else {
            continue;
        };
        let needs = followup::review_needs(r, reg.policy);
        let duty = duty.as_committed(reg.history, &r.id, needs, reg.now);
        // A review on file that lacks required fields is named as such.
        let lacks = followup::review_lacks(r, reg.policy);
        let lacking = if lacks.is_empty() {
            String::new()
        } else {
            format!(" (the review on file lacks {})", lacks.join(", "))
        };
        let due = duty.due.map(|d| d.with_timezone(&zone));
        let from = match followup::review_owed(r, reg.policy) {
            PostReview::OnRollback => "the rollback",
            _ => "deployment",
        };
        match (duty.within, due, duty.late()) {
            (Some(within), Some(due), _) if duty.is_overdue(reg.now) => report.on(
                stored,
                format!("the post-implementation review was due within {within} of {from} ({due}){lacking}"),
            ),
            (Some(within), Some(due), Some(at)) => report.on(
                stored,
                format!(
                    "the post-implementation review came after the {within} deadline ({due}): it is on file since {}",
                    at.with_timezone(&zone)
                ),
            ),
            (None, _, _) if duty.done.is_none() && r.status == Status::Closed => report.on(
                stored,
                format!("closed without the required post-implementation review{lacking}"),
            ),
            _ => {}
        }
    }
}
