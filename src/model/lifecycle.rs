//! The lifecycle state machine (SPEC §3): which moves are legal, for which class.
//!
//! ```text
//! draft → submitted → assessed → approved → scheduled → implementing → deployed → verified → closed
//!                          ↘ rejected → draft (revise)          deployed → rolled-back → closed
//! any state before deployed → cancelled
//! ```
//! Emergency changes may go to `implementing` before approval. An approved change
//! whose approvals went stale (its content changed) goes back to `submitted`.

use super::{Class, Move, Status};
use Status::*;

/// The states `from` may move to for a change of `class`, in lifecycle order.
pub fn next_states(from: Status, class: Class) -> Vec<Status> {
    let mut next: Vec<Status> = match from {
        Draft => vec![Submitted, Cancelled],
        // `submitted → approved` when nothing is left to approve (pre-approved,
        // auto-approved, or every approval already given).
        Submitted => vec![Assessed, Approved, Rejected, Cancelled],
        Assessed => vec![Approved, Rejected, Cancelled],
        Approved => vec![Submitted, Scheduled, Implementing, Cancelled],
        Scheduled => vec![Submitted, Implementing, Cancelled],
        Implementing => vec![Deployed, Cancelled],
        // A problem found after verification still calls for a rollback.
        Deployed => vec![Verified, RolledBack],
        Verified => vec![RolledBack, Closed],
        RolledBack => vec![Closed],
        Rejected => vec![Draft, Cancelled],
        Closed | Cancelled => vec![],
    };
    if class == Class::Emergency && matches!(from, Draft | Submitted | Assessed) {
        next.insert(next.len() - 1, Implementing);
    }
    next
}

/// The `chg` command that makes the move `from → to`; `None` for the move chg makes
/// by itself (an approved change whose approvals went stale returns to submitted).
pub fn command_for(from: Status, to: Status) -> Option<Move> {
    Some(match to {
        Submitted if matches!(from, Approved | Scheduled) => return None,
        Draft => Move::Revise,
        Submitted => Move::Submit,
        Assessed => Move::Assess,
        Approved => Move::Approve,
        Rejected => Move::Reject,
        Scheduled => Move::Schedule,
        Implementing => Move::Start,
        Deployed => Move::Deploy,
        Verified => Move::Verify,
        RolledBack => Move::Rollback,
        Closed => Move::Close,
        Cancelled => Move::Cancel,
    })
}

pub fn is_legal(from: Status, to: Status, class: Class) -> bool {
    next_states(from, class).contains(&to)
}

/// States in which work has reached an environment.
pub fn is_deployed(status: Status) -> bool {
    matches!(status, Deployed | Verified | RolledBack | Closed)
}

/// States a change reaches only once approved (or pre-approved).
pub fn is_approved(status: Status) -> bool {
    matches!(
        status,
        Approved | Scheduled | Implementing | Deployed | Verified | RolledBack | Closed
    )
}

/// States in which a change is still a proposal, before anyone decided on it.
pub fn is_proposal(status: Status) -> bool {
    matches!(status, Draft | Submitted | Assessed)
}

/// Rejected, cancelled and closed changes take no more work (rule H005).
pub fn is_inactive(status: Status) -> bool {
    matches!(status, Rejected | Cancelled | Closed)
}

/// Checks that `record.transitions` is a legal path from `draft` that ends in the
/// record's status: a record edited by hand into another state fails here.
pub fn check_history(record: &super::ChangeRecord) -> Result<(), String> {
    let mut at = Draft;
    for (n, t) in record.transitions.iter().enumerate() {
        if t.from != at {
            return Err(format!(
                "transition {} goes from {} but the change was {} at that point",
                n + 1,
                t.from,
                at
            ));
        }
        if !is_legal(t.from, t.to, record.class) {
            return Err(format!(
                "transition {} ({} → {}) is not a legal move for a {} change",
                n + 1,
                t.from,
                t.to,
                record.class
            ));
        }
        at = t.to;
    }
    if at != record.status {
        return Err(format!(
            "its status says {} but its transitions end in {}; the status was edited by hand",
            record.status, at
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_line_is_legal_for_every_class() {
        let line = [
            Draft,
            Submitted,
            Assessed,
            Approved,
            Scheduled,
            Implementing,
            Deployed,
            Verified,
            Closed,
        ];
        for class in Class::ALL {
            for pair in line.windows(2) {
                assert!(
                    is_legal(pair[0], pair[1], *class),
                    "{:?} → {:?} for {class}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn only_emergencies_start_before_approval() {
        assert!(is_legal(Submitted, Implementing, Class::Emergency));
        assert!(is_legal(Draft, Implementing, Class::Emergency));
        assert!(!is_legal(Submitted, Implementing, Class::Normal));
        assert!(!is_legal(Assessed, Deployed, Class::Emergency));
    }

    #[test]
    fn cancel_is_possible_up_to_implementing_and_not_after() {
        for s in [
            Draft,
            Submitted,
            Assessed,
            Approved,
            Scheduled,
            Implementing,
            Rejected,
        ] {
            assert!(is_legal(s, Cancelled, Class::Normal), "{s}");
        }
        for s in [Deployed, Verified, RolledBack, Closed, Cancelled] {
            assert!(!is_legal(s, Cancelled, Class::Normal), "{s}");
        }
    }

    #[test]
    fn closed_and_cancelled_are_final() {
        assert!(next_states(Closed, Class::Normal).is_empty());
        assert!(next_states(Cancelled, Class::Emergency).is_empty());
    }
}
