//! How each approval of a change is proven: by the commit that added it, by the
//! roster in the policy before that commit, and by the digest of the content.

use crate::history::entries::{self, Entry, Kind};
use crate::history::History;
use crate::model::record::Approval;
use crate::model::{digest, ChangeId, ChangeRecord, Decision};
use crate::policy::{Policy, Verify};
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
    /// That commit proves the approver made it, as `[approvals] verify` asks.
    pub commit_author: Proof,
    pub roster: Proof,
    pub digest: Proof,
}

/// Proves that the commit which added an entry of `kind` named `key` to the record
/// of `id` was made by `by`, as `[approvals] verify` asks: the commit, and the proof.
pub fn made_by(
    history: Option<&History>,
    policy: &Policy,
    id: &ChangeId,
    entry: &Entry,
    by: &str,
) -> (Option<String>, Proof) {
    let Some(added) = history.and_then(|h| h.entry(id, entry)) else {
        let why = match history {
            Some(h) if h.shallow => "no commit in the checked history adds it (not committed, before the baseline, or beyond this shallow clone's boundary)",
            Some(_) => "no commit in the checked history adds it (not committed, or before the baseline)",
            None => "no history was read",
        };
        return (None, proof(Verdict::Unproven, why));
    };
    let short = added.commit.short();
    let verify = match entry.kind {
        Kind::Approval => policy.approvals.verify,
        _ => policy.approvals.verify.for_moves(),
    };
    let proof = match added.vouches_for(verify, by) {
        Ok(()) if verify == Verify::None => proof(
            Verdict::Unproven,
            format!("added in {short}; the policy does not ask who made it"),
        ),
        Ok(()) => proof(Verdict::Proven, format!("added in {short}, made by {by}")),
        Err(why) => proof(Verdict::Failed, why),
    };
    (Some(added.commit.to_string()), proof)
}

/// Proves each approval of `id` from what history and the record's content say.
pub fn approvals(
    record: &ChangeRecord,
    policy: &Policy,
    history: Option<&History>,
) -> Vec<ApprovalProof> {
    let (id, content) = (&record.id, digest::of(record));
    record
        .approvals
        .iter()
        .map(|a| {
            let added = history.and_then(|h| h.attribution(id, a));
            let (commit, commit_author) =
                made_by(history, policy, id, &entries::approval(a), &a.by);
            let roster = match added {
                Some(at) => {
                    let short = at.commit.short();
                    if at.member_at_parent {
                        proof(
                            Verdict::Proven,
                            format!("in role {} before {short}", a.role),
                        )
                    } else {
                        proof(
                            Verdict::Failed,
                            format!("not in role {} before {short}", a.role),
                        )
                    }
                }
                None if policy.is_member(&a.role, &a.by) => proof(
                    Verdict::Unproven,
                    format!("in role {} in the current policy only", a.role),
                ),
                None => proof(
                    Verdict::Failed,
                    format!("not in role {} in the current policy", a.role),
                ),
            };
            let digest = digest_proof(a, &content);
            ApprovalProof {
                role: a.role.clone(),
                by: a.by.clone(),
                at: a.at.to_string(),
                decision: a.decision,
                commit,
                commit_author,
                roster,
                digest,
            }
        })
        .collect()
}

/// Whether the decision was given to the content the record holds: an approval
/// counts only then; a rejection given to earlier content says nothing of this one.
fn digest_proof(a: &Approval, content: &str) -> Proof {
    let given_to_this = a.digest.as_deref() == Some(content);
    match a.decision {
        _ if a.digest.is_none() => proof(Verdict::Failed, "has no digest"),
        Decision::Approved if given_to_this => {
            proof(Verdict::Proven, "matches the record's content")
        }
        Decision::Approved => proof(Verdict::Failed, "given to different content (stale)"),
        Decision::Rejected if given_to_this => {
            proof(Verdict::Proven, "rejects the record's content")
        }
        Decision::Rejected => proof(
            Verdict::Unproven,
            "given to earlier content: the record changed since",
        ),
    }
}

impl ApprovalProof {
    /// The weakest of its three proofs: proven only when all three are.
    pub fn verdict(&self) -> Verdict {
        [&self.commit_author, &self.roster, &self.digest]
            .iter()
            .map(|p| p.verdict)
            .max_by_key(|v| match v {
                Verdict::Proven => 0,
                Verdict::Unproven => 1,
                Verdict::Failed => 2,
            })
            .unwrap_or(Verdict::Proven)
    }
}
