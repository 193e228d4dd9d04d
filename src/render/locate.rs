//! Where a finding is, for reports that need a file that exists for every finding
//! (SARIF for code scanning, GitLab's Code Quality), and what tells findings apart.

use crate::git::CommitId;
use crate::history::History;
use crate::policy::Policy;
use crate::rules::{Finding, Tree};
use std::collections::{HashMap, HashSet};

/// Where results are: code scanning needs a file that exists for every one.
pub struct Locator<'a> {
    policy: &'a Policy,
    tree: &'a dyn Tree,
    /// For the commits of the results, the first path each changed that still exists.
    changed: HashMap<CommitId, &'a str>,
}

impl<'a> Locator<'a> {
    pub fn new(
        shown: &[&Finding],
        policy: &'a Policy,
        tree: &'a dyn Tree,
        history: Option<&'a History>,
    ) -> Locator<'a> {
        let wanted: HashSet<CommitId> = shown
            .iter()
            .filter_map(|f| f.commit.as_deref()?.parse().ok())
            .collect();
        let changed = history
            .map(|h| {
                h.commits
                    .iter()
                    .filter(|c| wanted.contains(&c.id))
                    .filter_map(|c| {
                        let path = c.paths().iter().find(|p| tree.exists(p))?;
                        Some((c.id, path.as_str()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Locator {
            policy,
            tree,
            changed,
        }
    }

    /// The finding's own file; for a commit, the first file it changed, else its
    /// record's file where it exists (at either of its places); else the policy.
    pub fn uri(&self, f: &Finding) -> String {
        // The record's file at whichever of its places the tree holds.
        let id = (f.record.as_ref()).and_then(|id| id.parse::<crate::model::ChangeId>().ok());
        let record = id.and_then(|id| {
            (crate::store::record_places(&id).iter())
                .map(|rel| format!("{}/{rel}", self.policy.changes.dir))
                .find(|path| self.tree.exists(path))
        });
        let changed = f
            .commit
            .as_deref()
            .and_then(|c| c.parse::<CommitId>().ok())
            .and_then(|id| self.changed.get(&id));
        match (&f.path, changed, record) {
            (Some(path), _, _) => path.clone(),
            (None, Some(path), _) => path.to_string(),
            // A record that no longer exists (removed, or never written) cannot be shown.
            (None, None, Some(record)) => record,
            _ => crate::policy::FILE_NAME.to_string(),
        }
    }
}

/// What tells one finding from another, whatever line it points at: two findings of
/// a rule on one line stay two alerts, and a finding keeps its alert while the file
/// around it changes.
pub fn fingerprint(f: &Finding) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [
        f.rule,
        f.record.as_deref().unwrap_or(""),
        f.commit.as_deref().unwrap_or(""),
        f.path.as_deref().unwrap_or(""),
        &f.message,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    format!("{:x}", hash.finalize())
}
