//! The register as it stood in past trees. Trees are looked up by id and memoised,
//! so each tree and each version of a record is read about once per check.

use super::facts::Added;
use crate::git::{CommitId as ObjectId, Git, Listing, RawCommit};
use crate::model::record::Approval;
use crate::model::{ChangeId, Class, Status};
use crate::policy::{approval, Policy};
use crate::store::parse;
use anyhow::Result;
use std::collections::HashMap;

/// A record as it stood in some tree, reduced to what the rules ask of it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub class: Class,
    pub status: Status,
    /// Roles whose approval the policy requires and the record lacks.
    pub missing: Vec<String>,
}

pub struct Trees<'a> {
    git: &'a Git,
    policy: &'a Policy,
    dir: String,
    /// Commit → root tree, as 20-byte ids: one entry per commit of a long history.
    roots: HashMap<ObjectId, ObjectId>,
    /// Root tree → the records directory's tree in it.
    dirs: HashMap<ObjectId, Option<ObjectId>>,
    /// Record blob → the record it holds.
    snapshots: HashMap<String, Option<Snapshot>>,
    /// `.changes.toml` blob → the policy it holds.
    rosters: HashMap<String, Policy>,
    /// The records directories last looked into: consecutive commits mostly share one.
    listings: Vec<(String, Listing)>,
}

/// How many records directories [`Trees`] keeps listed.
const LISTINGS: usize = 4;

impl<'a> Trees<'a> {
    pub fn new(git: &'a Git, policy: &'a Policy) -> Trees<'a> {
        Trees {
            git,
            policy,
            dir: policy.changes.dir.clone(),
            roots: HashMap::new(),
            dirs: HashMap::new(),
            snapshots: HashMap::new(),
            rosters: HashMap::new(),
            listings: Vec::new(),
        }
    }

    /// Remembers a commit's root tree, read with the commit.
    pub fn note(&mut self, commit: &RawCommit) {
        if let (Ok(id), Ok(tree)) = (commit.id.parse(), commit.tree.parse()) {
            self.roots.insert(id, tree);
        }
    }

    pub fn root(&mut self, commit: &str) -> Option<String> {
        let id: ObjectId = commit.parse().ok()?;
        if let Some(tree) = self.roots.get(&id) {
            return Some(tree.to_string());
        }
        let tree = self.git.tree_of(commit)?;
        self.roots.insert(id, tree.parse().ok()?);
        Some(tree)
    }

    fn records_dir(&mut self, root: &str) -> Option<String> {
        let (git, dir) = (self.git, &self.dir);
        let dir = self
            .dirs
            .entry(root.parse().ok()?)
            .or_insert_with(|| git.entry_in(root, dir)?.parse().ok());
        dir.map(|d| d.to_string())
    }

    /// The record `id` as it stood in `commit`'s tree.
    pub fn snapshot(&mut self, commit: &str, id: &ChangeId) -> Option<Snapshot> {
        let root = self.root(commit)?;
        let dir = self.records_dir(&root)?;
        let blob = self.record_blob(&dir, &id.file_name())?;
        let (git, policy, path) = (self.git, self.policy, id.file_name());
        self.snapshots
            .entry(blob.clone())
            .or_insert_with(|| {
                let record = parse(&path, &String::from_utf8_lossy(&git.blob(&blob)?)).ok()?;
                let missing = approval::state(&record, policy).missing;
                Some(Snapshot {
                    class: record.class,
                    status: record.status,
                    missing,
                })
            })
            .clone()
    }

    /// The id of the file `name` in the records directory `dir`.
    fn record_blob(&mut self, dir: &str, name: &str) -> Option<String> {
        if !self.listings.iter().any(|(id, _)| id == dir) {
            let listing = self.git.listing(dir)?;
            if self.listings.len() == LISTINGS {
                self.listings.remove(0);
            }
            self.listings.push((dir.to_string(), listing));
        }
        let (_, listing) = self.listings.iter().find(|(id, _)| id == dir)?;
        listing.file(name)
    }

    /// The approvals `commit` added to records, against the tree of its parent.
    pub fn added_approvals(
        &mut self,
        commit: &RawCommit,
        parent_tree: Option<&str>,
    ) -> Result<Vec<Added>> {
        let before = parent_tree.and_then(|t| self.records_dir(t));
        let Some(now) = self
            .records_dir(&commit.tree)
            .filter(|now| Some(now) != before.as_ref())
        else {
            return Ok(Vec::new());
        };
        let mut added = Vec::new();
        for (name, old, new) in self.git.changed_files(before.as_deref(), &now)? {
            let Some(change) = ChangeId::from_file_name(&name) else {
                continue;
            };
            let approvals = |bytes: &Option<Vec<u8>>| -> Vec<Approval> {
                bytes
                    .as_ref()
                    .and_then(|b| parse(&name, &String::from_utf8_lossy(b)).ok())
                    .map(|r| r.approvals)
                    .unwrap_or_default()
            };
            let (old, new) = (approvals(&old), approvals(&new));
            for a in new.iter().filter(|a| !old.contains(a)) {
                added.push(Added {
                    change: change.clone(),
                    role: a.role.clone(),
                    by: a.by.clone(),
                    at: a.at.to_string(),
                    author_email: super::intern::email(&commit.author_email),
                    member_at_parent: self.roster(parent_tree).is_member(&a.role, &a.by),
                });
            }
        }
        Ok(added)
    }

    /// Paths that differ between two trees.
    pub fn changed_paths(&self, parent_tree: Option<&str>, tree: &str) -> Result<Vec<String>> {
        self.git.changed_paths(parent_tree, tree)
    }

    /// Whether a commit changes anything outside the register. The top level of the
    /// two trees usually settles it; only a register nested in a directory that
    /// also holds other files needs the full list of paths, read into `paths`.
    pub fn touches_work(
        &self,
        parent_tree: Option<&str>,
        tree: &str,
        paths: &mut Option<Box<[String]>>,
    ) -> Result<bool> {
        let register_top = self.dir.split('/').next().unwrap_or_default();
        let top = self.git.changed_top_level(parent_tree, tree)?;
        if top
            .iter()
            .any(|n| n != crate::policy::FILE_NAME && n != register_top)
        {
            return Ok(true);
        }
        if self.dir.contains('/') && top.iter().any(|n| n == register_top) {
            if paths.is_none() {
                *paths = Some(self.changed_paths(parent_tree, tree)?.into());
            }
            let changed = paths.as_deref().unwrap_or_default();
            return Ok(changed.iter().any(|p| !self.is_register_path(p)));
        }
        Ok(false)
    }

    fn is_register_path(&self, path: &str) -> bool {
        path == crate::policy::FILE_NAME
            || path
                .strip_prefix(&self.dir)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The policy as `.changes.toml` stood in a tree (the default policy where it
    /// was missing or unreadable).
    fn roster(&mut self, tree: Option<&str>) -> &Policy {
        let blob = tree.and_then(|t| self.git.entry_in(t, crate::policy::FILE_NAME));
        let git = self.git;
        self.rosters
            .entry(blob.clone().unwrap_or_default())
            .or_insert_with(|| {
                blob.and_then(|b| git.blob(&b))
                    .and_then(|bytes| Policy::from_toml(&String::from_utf8_lossy(&bytes)).ok())
                    .unwrap_or_else(|| Policy::from_toml("").expect("the empty policy is valid"))
            })
    }
}
