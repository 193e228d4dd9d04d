//! A record's append-only lists — approvals, transitions, deployments, evidence —
//! as entries with an identity, so that history can tell which commit added each
//! one and whether a later commit altered or dropped it.

use crate::model::record::{Approval, Deployment, Evidence, GateEvidence, Transition};
use crate::model::{ChangeRecord, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Which list of a record an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Approval,
    Transition,
    Deployment,
    Evidence,
    GateEvidence,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Kind::Approval => "approval",
            Kind::Transition => "transition",
            Kind::Deployment => "deployment",
            Kind::Evidence => "evidence",
            Kind::GateEvidence => "gate evidence",
        })
    }
}

/// One entry of a record's lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    /// What names it for a reader: who, when and what.
    pub key: String,
    /// A digest of its whole content: what it is compared and looked up by, so that
    /// an entry edited under the same name (another digest, decision or comment) is
    /// another entry, never the one its name was first given to.
    pub hash: u64,
    /// The person it says acted; empty for evidence, which names nobody.
    pub by: String,
    /// When it says it happened; none for evidence.
    pub at: Option<Timestamp>,
    /// The role it was given in: approvals only.
    pub role: String,
}

fn entry<T: Serialize>(
    kind: Kind,
    key: String,
    whole: &T,
    by: &str,
    at: Option<Timestamp>,
) -> Entry {
    // The record's own types serialise in a fixed field order; SHA-256 rather than
    // std's hasher, whose output may change between builds while the cache keeps it.
    let text = serde_json::to_string(whole).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    let hash = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    Entry {
        kind,
        key,
        hash,
        by: by.to_string(),
        at,
        role: String::new(),
    }
}

/// An approval as an entry.
pub fn approval(a: &Approval) -> Entry {
    let key = format!("{}|{}|{}", a.role, a.by.trim().to_lowercase(), a.at);
    Entry {
        role: a.role.clone(),
        ..entry(Kind::Approval, key, a, &a.by, Some(a.at))
    }
}

/// A transition as an entry.
pub fn transition(t: &Transition) -> Entry {
    let key = format!(
        "{}>{}|{}|{}",
        t.from,
        t.to,
        t.by.trim().to_lowercase(),
        t.at
    );
    entry(Kind::Transition, key, t, &t.by, Some(t.at))
}

/// A deployment as an entry.
pub fn deployment(d: &Deployment) -> Entry {
    let key = format!("{}|{}|{}", d.environment, d.by.trim().to_lowercase(), d.at);
    entry(Kind::Deployment, key, d, &d.by, Some(d.at))
}

fn gate(g: &GateEvidence) -> Entry {
    let key = format!("{}|{}|{}", g.kind, g.by.trim().to_lowercase(), g.at);
    entry(Kind::GateEvidence, key, g, &g.by, Some(g.at))
}

fn evidence(e: &Evidence) -> Entry {
    let key = format!("{}|{}", e.kind, e.reference);
    entry(Kind::Evidence, key, e, "", None)
}

/// Every entry of a record's append-only lists.
pub fn of(record: &ChangeRecord) -> Vec<Entry> {
    (record.approvals.iter().map(approval))
        .chain(record.transitions.iter().map(transition))
        .chain(record.deployments.iter().map(deployment))
        .chain(record.evidence.iter().map(evidence))
        .chain(record.gate_evidence.iter().map(gate))
        .collect()
}

/// What a commit did to one record's entries, against each of its parents' versions.
#[derive(Debug, Default)]
pub struct Diff {
    /// In the commit's version and in no parent's: added by the commit itself.
    pub added: Vec<Entry>,
    /// In some parent's version and not in the commit's: altered or dropped.
    pub dropped: Vec<Entry>,
}

/// Compares a record's entries in a commit (`new`) with those in its parents.
pub fn diff(new: &[Entry], parents: &[Vec<Entry>]) -> Diff {
    let in_parents = |e: &Entry| parents.iter().flatten().any(|p| p.hash == e.hash);
    let added = new.iter().filter(|e| !in_parents(e)).cloned().collect();
    let mut dropped: Vec<Entry> = Vec::new();
    for e in parents.iter().flatten() {
        if !new.iter().any(|n| n.hash == e.hash) && !dropped.iter().any(|d| d.hash == e.hash) {
            dropped.push(e.clone());
        }
    }
    Diff { added, dropped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(kind: Kind, key: &str, hash: u64) -> Entry {
        Entry {
            kind,
            key: key.into(),
            hash,
            by: String::new(),
            at: None,
            role: String::new(),
        }
    }

    #[test]
    fn an_entry_in_no_parent_is_added_and_one_missing_from_the_child_is_dropped() {
        let a = at(Kind::Approval, "a", 1);
        let b = at(Kind::Transition, "b", 2);
        let c = at(Kind::Transition, "b", 3);
        // b was altered into c: c is added, b dropped.
        let d = diff(&[a.clone(), c.clone()], &[vec![a.clone(), b.clone()]]);
        assert_eq!(d.added, vec![c]);
        assert_eq!(d.dropped, vec![b]);
    }

    #[test]
    fn a_merge_adds_only_what_every_parent_lacks_and_keeps_what_each_holds() {
        let a = at(Kind::Approval, "a", 1);
        let b = at(Kind::Approval, "b", 2);
        let d = diff(&[a.clone(), b.clone()], &[vec![a.clone()], vec![b.clone()]]);
        assert!(d.added.is_empty() && d.dropped.is_empty());
        // Taking one side of a merge drops the other side's entries.
        let d = diff(
            std::slice::from_ref(&a),
            &[vec![a.clone()], vec![b.clone()]],
        );
        assert_eq!(d.dropped, vec![b]);
    }

    #[test]
    fn an_entry_edited_under_its_name_is_another_entry() {
        let a: Approval = serde_yaml::from_str(
            "{role: lead, by: lee@example.com, at: 2026-11-21T10:00:00Z, decision: approved}",
        )
        .unwrap();
        let rejected = Approval {
            decision: crate::model::Decision::Rejected,
            ..a.clone()
        };
        assert_eq!(approval(&a).key, approval(&rejected).key);
        assert_ne!(approval(&a).hash, approval(&rejected).hash);
    }
}
