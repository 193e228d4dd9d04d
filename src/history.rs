//! What git history says about the register: the facts the history rules judge.
//!
//! One walk over the commits in scope (since `baseline`, or a `--range`) gathers
//! them: which changes each commit names, which mainline (first-parent) commit
//! brought each commit in, which commit added each approval and who wrote it, and
//! records as they stood in given trees. Order is proven from ancestry and trees,
//! never from commit dates, which anyone can set.

use crate::git::{Git, RawCommit};
use crate::model::lifecycle::is_inactive;
use crate::model::record::Approval;
use crate::model::reference::{self, References};
use crate::model::{ChangeId, Class, Status};
use crate::policy::{approval, Policy, ReferenceRule};
use crate::store::parse;
use anyhow::Result;
use std::collections::HashMap;

/// What the rules need of one commit.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    pub id: String,
    pub subject: String,
    pub author_email: String,
    pub committer_email: String,
    pub refs: References,
    pub is_merge: bool,
    /// Paths changed against the first parent, read only where a rule needs them.
    pub paths: Option<Vec<String>>,
    /// Whether it changes anything besides the register (records, the policy): a
    /// commit that proposes or approves a change is not work on it.
    pub is_work: bool,
}

/// The commit that added an approval entry to a record.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub commit: String,
    pub author_email: String,
    /// Whether the approver was in the role as `.changes.toml` stood in the parent.
    pub member_at_parent: bool,
}

/// Work for a change that reached the mainline while the record there lacked approvals.
#[derive(Debug, Clone)]
pub struct Landed {
    pub mainline: String,
    pub commit: String,
    pub change: ChangeId,
    pub missing: String,
}

/// A commit that names a change which was already inactive before it.
#[derive(Debug, Clone)]
pub struct InactiveReference {
    pub commit: String,
    pub change: ChangeId,
    pub status: Status,
}

#[derive(Debug, Default)]
pub struct History {
    pub commits: Vec<CommitFacts>,
    /// Keyed by record ID and the approval's role, approver and time.
    pub approvals: HashMap<(String, String, String, String), Attribution>,
    pub landed: Vec<Landed>,
    pub inactive: Vec<InactiveReference>,
    /// Set when the clone is shallow: history before its boundary is not there.
    pub shallow: bool,
}

impl History {
    pub fn attribution(&self, id: &ChangeId, a: &Approval) -> Option<&Attribution> {
        self.approvals.get(&approval_key(id, a))
    }
}

fn approval_key(id: &ChangeId, a: &Approval) -> (String, String, String, String) {
    (
        id.to_string(),
        a.role.clone(),
        a.by.to_lowercase(),
        a.at.to_string(),
    )
}

/// A record as it stood in some tree, reduced to what the rules ask of it.
#[derive(Debug, Clone)]
struct Snapshot {
    class: Class,
    status: Status,
    missing: Vec<String>,
}

/// Reads history from `tip`, leaving out everything reachable from `hidden`.
pub struct Reader<'a> {
    git: &'a Git,
    policy: &'a Policy,
    dir: String,
    snapshots: HashMap<String, Option<Snapshot>>,
    rosters: HashMap<String, Policy>,
}

impl<'a> Reader<'a> {
    pub fn new(git: &'a Git, policy: &'a Policy) -> Reader<'a> {
        Reader {
            git,
            policy,
            dir: policy.changes.dir.clone(),
            snapshots: HashMap::new(),
            rosters: HashMap::new(),
        }
    }

    pub fn read(mut self, tip: &str, hidden: &[String]) -> Result<History> {
        let pattern = self.policy.reference_pattern();
        let mut raw: Vec<(RawCommit, References)> = Vec::new();
        self.git.walk(tip, hidden, |c| {
            let refs = reference::parse(&c.message, &pattern);
            raw.push((c, refs));
            Ok(())
        })?;
        let index: HashMap<&str, usize> = raw
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (c.id.as_str(), i))
            .collect();
        let mut history = History {
            shallow: self.git.is_shallow(),
            ..History::default()
        };

        // The mainline, newest first, and for each commit the mainline commit that
        // brought it in (itself, for mainline commits).
        let mut mainline = Vec::new();
        let mut at = index.get(tip).copied();
        while let Some(i) = at {
            mainline.push(i);
            at = raw[i]
                .0
                .parents
                .first()
                .and_then(|p| index.get(p.as_str()).copied());
        }
        let mut brought_by: Vec<Option<usize>> = vec![None; raw.len()];
        for &m in &mainline {
            brought_by[m] = Some(m);
        }
        for &m in mainline.iter().rev() {
            let mut stack: Vec<usize> = raw[m]
                .0
                .parents
                .iter()
                .skip(1)
                .filter_map(|p| index.get(p.as_str()).copied())
                .collect();
            while let Some(i) = stack.pop() {
                if brought_by[i].is_some() {
                    continue;
                }
                brought_by[i] = Some(m);
                stack.extend(
                    raw[i]
                        .0
                        .parents
                        .iter()
                        .filter_map(|p| index.get(p.as_str()).copied()),
                );
            }
        }

        for (i, (commit, refs)) in raw.iter().enumerate() {
            let is_merge = commit.parents.len() > 1;
            let parent = commit.parents.first().map(String::as_str);
            if !is_merge {
                self.attribute_approvals(commit, parent, &mut history)?;
            }
            let needs_paths = !is_merge
                && ((refs.ids.is_empty()
                    && self.policy.commits.reference == ReferenceRule::Required)
                    || !self.policy.commits.protected.is_empty()
                    || !refs.ids.is_empty());
            let paths = if needs_paths {
                Some(self.git.changed_paths(&commit.id)?)
            } else {
                None
            };
            let is_work = paths
                .as_ref()
                .is_some_and(|p| p.iter().any(|p| !self.is_register_path(p)));
            for id in &refs.ids {
                if let Some(parent) = parent {
                    if let Some(before) = self.snapshot(parent, id) {
                        if is_inactive(before.status) {
                            history.inactive.push(InactiveReference {
                                commit: commit.id.clone(),
                                change: id.clone(),
                                status: before.status,
                            });
                        }
                    }
                }
                if !is_work {
                    continue;
                }
                let Some(m) = brought_by[i] else { continue };
                let landed_on = &raw[m].0.id;
                match self.snapshot(landed_on, id) {
                    Some(s) if s.class == Class::Emergency || s.missing.is_empty() => {}
                    Some(s) => history.landed.push(Landed {
                        mainline: landed_on.clone(),
                        commit: commit.id.clone(),
                        change: id.clone(),
                        missing: format!("approval from {}", s.missing.join(", ")),
                    }),
                    None => history.landed.push(Landed {
                        mainline: landed_on.clone(),
                        commit: commit.id.clone(),
                        change: id.clone(),
                        missing: "a record".into(),
                    }),
                }
            }
            history.commits.push(CommitFacts {
                id: commit.id.clone(),
                subject: commit.message.lines().next().unwrap_or("").to_string(),
                author_email: commit.author_email.clone(),
                committer_email: commit.committer_email.clone(),
                refs: refs.clone(),
                is_merge,
                paths,
                is_work,
            });
        }
        Ok(history)
    }

    fn is_register_path(&self, path: &str) -> bool {
        path == crate::policy::FILE_NAME
            || path
                .strip_prefix(&self.dir)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The record `id` as it stood in `commit`'s tree.
    fn snapshot(&mut self, commit: &str, id: &ChangeId) -> Option<Snapshot> {
        let path = format!("{}/{}", self.dir, id.file_name());
        let (blob, bytes) = self.git.blob_at(commit, &path)?;
        let policy = self.policy;
        self.snapshots
            .entry(blob)
            .or_insert_with(|| {
                let record = parse(&path, &String::from_utf8_lossy(&bytes)).ok()?;
                let missing = approval::state(&record, policy).missing;
                Some(Snapshot {
                    class: record.class,
                    status: record.status,
                    missing,
                })
            })
            .clone()
    }

    /// Finds the approvals `commit` added to records, and who it was authored by.
    fn attribute_approvals(
        &mut self,
        commit: &RawCommit,
        parent: Option<&str>,
        history: &mut History,
    ) -> Result<()> {
        let now = self.git.entry_id(&commit.id, &self.dir);
        let before = parent.and_then(|p| self.git.entry_id(p, &self.dir));
        if now.is_none() || now == before {
            return Ok(());
        }
        for (name, old, new) in self.git.changed_files_under(&commit.id, &self.dir)? {
            let Some(id) = ChangeId::from_file_name(&name) else {
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
                let member_at_parent = self.roster(parent).is_member(&a.role, &a.by);
                history
                    .approvals
                    .entry(approval_key(&id, a))
                    .or_insert(Attribution {
                        commit: commit.id.clone(),
                        author_email: commit.author_email.clone(),
                        member_at_parent,
                    });
            }
        }
        Ok(())
    }

    /// The policy as `.changes.toml` stood in `commit` (the default policy where it
    /// was missing or unreadable).
    fn roster(&mut self, commit: Option<&str>) -> &Policy {
        let blob = commit.and_then(|c| self.git.blob_at(c, crate::policy::FILE_NAME));
        let key = blob.as_ref().map(|(id, _)| id.clone()).unwrap_or_default();
        self.rosters.entry(key).or_insert_with(|| {
            blob.and_then(|(_, bytes)| Policy::from_toml(&String::from_utf8_lossy(&bytes)).ok())
                .unwrap_or_else(|| Policy::from_toml("").expect("the empty policy is valid"))
        })
    }
}
