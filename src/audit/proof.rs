//! How each approval of a change is proven: by the commit that added it, by the
//! roster in the policy before that commit, and by the digest of the content.

use crate::history::History;
use crate::model::record::{same_email, Approval};
use crate::model::{ChangeId, Decision};
use crate::policy::approval::ApprovalState;
use crate::policy::Policy;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Git (or the content) proves it.
    Proven,
    /// Git (or the content) contradicts it.
    Failed,
    /// Nothing in the checked history says either way.
    Unproven,
}

impl Verdict {
    /// As JSON spells it.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Proven => "proven",
            Verdict::Failed => "failed",
            Verdict::Unproven => "unproven",
        }
    }

    /// One mark for tables: ✓, ✗ or ?.
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Proven => "✓",
            Verdict::Failed => "✗",
            Verdict::Unproven => "?",
        }
    }
}

/// One check of an approval and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    pub verdict: Verdict,
    pub how: String,
}

fn proof(verdict: Verdict, how: impl Into<String>) -> Proof {
    Proof {
        verdict,
        how: how.into(),
    }
}

/// An approval as the audit shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalProof {
    pub role: String,
    pub by: String,
    pub at: String,
    pub decision: Decision,
    /// The commit that added it to the record, when the checked history has one.
    pub commit: Option<String>,
    pub commit_author: Proof,
    pub roster: Proof,
    pub digest: Proof,
}

/// Proves each approval of `id` from what history and the record's content say.
pub fn approvals(
    id: &ChangeId,
    given: &[Approval],
    state: &ApprovalState,
    policy: &Policy,
    history: Option<&History>,
) -> Vec<ApprovalProof> {
    given
        .iter()
        .map(|a| {
            let added = history.and_then(|h| h.attribution(id, a));
            let (commit_author, roster) = match added {
                Some(at) => {
                    let short = at.commit.short();
                    let author = if same_email(&at.author_email, &a.by) {
                        proof(Verdict::Proven, format!("added in {short}, authored by the approver"))
                    } else {
                        proof(Verdict::Failed, format!("added in {short}, authored by {}", at.author_email))
                    };
                    let roster = if at.member_at_parent {
                        proof(Verdict::Proven, format!("in role {} before {short}", a.role))
                    } else {
                        proof(Verdict::Failed, format!("not in role {} before {short}", a.role))
                    };
                    (author, roster)
                }
                None => {
                    let why = match history {
                        Some(h) if h.shallow => "no commit in the checked history adds it (not committed, before the baseline, or beyond this shallow clone's boundary)",
                        Some(_) => "no commit in the checked history adds it (not committed, or before the baseline)",
                        None => "no history was read",
                    };
                    let roster = if policy.is_member(&a.role, &a.by) {
                        proof(Verdict::Unproven, format!("in role {} in the current policy only", a.role))
                    } else {
                        proof(Verdict::Failed, format!("not in role {} in the current policy", a.role))
                    };
                    (proof(Verdict::Unproven, why), roster)
                }
            };
            let digest = if state.current.iter().any(|c| std::ptr::eq(*c, a)) {
                proof(Verdict::Proven, "matches the record's content")
            } else if a.decision != Decision::Approved {
                proof(Verdict::Unproven, format!("not an approval ({})", a.decision))
            } else if a.digest.is_none() {
                proof(Verdict::Failed, "has no digest")
            } else {
                proof(Verdict::Failed, "given to different content (stale)")
            };
            ApprovalProof {
                role: a.role.clone(),
                by: a.by.clone(),
                at: a.at.to_string(),
                decision: a.decision,
                commit: added.map(|at| at.commit.to_string()),
                commit_author,
                roster,
                digest,
            }
        })
        .collect()
}
