//! A record's append-only lists — approvals, transitions, deployments, evidence —
//! as entries with an identity, so that history can tell which commit added each
//! one and whether a later commit altered or dropped it.

use crate::model::record::{Approval, Deployment, GateEvidence, Transition};
use crate::model::ChangeRecord;
use serde::{Deserialize, Serialize};
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
    /// What names it among its kind: who, when and what, as [`key`] spells it.
    pub key: String,
    /// Its whole content: two entries with one key and different text are one entry
    /// that was altered.
    pub text: String,
    /// The person it says acted; empty for evidence, which names nobody.
    pub by: String,
    /// When it says it happened; empty for evidence.
    pub at: String,
    /// The role it was given in: approvals only.
    pub role: String,
}

/// How an approval is named among a record's entries.
pub fn approval_key(a: &Approval) -> String {
    format!("{}|{}|{}", a.role, a.by.trim().to_lowercase(), a.at)
}

/// How a transition is named among a record's entries.
pub fn transition_key(t: &Transition) -> String {
    format!(
        "{}>{}|{}|{}",
        t.from,
        t.to,
        t.by.trim().to_lowercase(),
        t.at
    )
}

/// How a deployment is named among a record's entries.
pub fn deployment_key(d: &Deployment) -> String {
    format!("{}|{}|{}", d.environment, d.by.trim().to_lowercase(), d.at)
}

fn gate_key(g: &GateEvidence) -> String {
    format!("{}|{}|{}", g.kind, g.by.trim().to_lowercase(), g.at)
}

fn entry<T: Serialize>(
    kind: Kind,
    key: String,
    whole: &T,
    by: &str,
    at: &dyn fmt::Display,
) -> Entry {
    Entry {
        kind,
        key,
        // The record's own types serialise in a fixed field order.
        text: serde_json::to_string(whole).unwrap_or_default(),
        by: by.to_string(),
        at: at.to_string(),
        role: String::new(),
    }
}

/// Every entry of a record's append-only lists.
pub fn of(record: &ChangeRecord) -> Vec<Entry> {
    let mut all = Vec::new();
    for a in &record.approvals {
        let mut e = entry(Kind::Approval, approval_key(a), a, &a.by, &a.at);
        e.role = a.role.clone();
        all.push(e);
    }
    for t in &record.transitions {
        all.push(entry(Kind::Transition, transition_key(t), t, &t.by, &t.at));
    }
    for d in &record.deployments {
        all.push(entry(Kind::Deployment, deployment_key(d), d, &d.by, &d.at));
    }
    for e in &record.evidence {
        let key = format!("{}|{}", e.kind, e.reference);
        all.push(entry(Kind::Evidence, key, e, "", &""));
    }
    for g in &record.gate_evidence {
        all.push(entry(Kind::GateEvidence, gate_key(g), g, &g.by, &g.at));
    }
    all
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
    let in_parents = |e: &Entry| parents.iter().flatten().any(|p| p.text == e.text);
    let added = new.iter().filter(|e| !in_parents(e)).cloned().collect();
    let mut dropped: Vec<Entry> = Vec::new();
    for e in parents.iter().flatten() {
        if !new.iter().any(|n| n.text == e.text) && !dropped.iter().any(|d| d.text == e.text) {
            dropped.push(e.clone());
        }
    }
    Diff { added, dropped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(kind: Kind, key: &str, text: &str) -> Entry {
        Entry {
            kind,
            key: key.into(),
            text: text.into(),
            by: String::new(),
            at: String::new(),
            role: String::new(),
        }
    }

    #[test]
    fn an_entry_in_no_parent_is_added_and_one_missing_from_the_child_is_dropped() {
        let a = at(Kind::Approval, "a", "1");
        let b = at(Kind::Transition, "b", "2");
        let c = at(Kind::Transition, "b", "2'");
        // b was altered into c: c is added, b dropped.
        let d = diff(&[a.clone(), c.clone()], &[vec![a.clone(), b.clone()]]);
        assert_eq!(d.added, vec![c]);
        assert_eq!(d.dropped, vec![b]);
    }

    #[test]
    fn a_merge_adds_only_what_every_parent_lacks_and_keeps_what_each_holds() {
        let a = at(Kind::Approval, "a", "1");
        let b = at(Kind::Approval, "b", "2");
        let d = diff(&[a.clone(), b.clone()], &[vec![a.clone()], vec![b.clone()]]);
        assert!(d.added.is_empty() && d.dropped.is_empty());
        // Taking one side of a merge drops the other side's entries.
        let d = diff(
            std::slice::from_ref(&a),
            &[vec![a.clone()], vec![b.clone()]],
        );
        assert_eq!(d.dropped, vec![b]);
    }
}
