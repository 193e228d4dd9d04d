//! What git history says about the register: the facts the history rules judge.
//!
//! One walk over the commits in scope (since `baseline`, or a `--range`) gathers
//! them: which changes each commit names, which mainline (first-parent) commit
//! brought each commit in, which commit added each approval and who wrote it, and
//! records as they stood in given trees. Order is proven from ancestry and trees,
//! never from commit dates, which anyone can set.

use crate::error::Failure;
use crate::git::{Git, RawCommit};
use crate::model::lifecycle::is_inactive;
use crate::model::record::{same_email, Approval};
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
    /// Paths changed against the first parent, read only where a rule needs them
    /// (H002 and H003 when the policy asks for them).
    pub paths: Option<Vec<String>>,
    /// Whether it changes anything besides the register (records, the policy): a
    /// commit that proposes or approves a change is not work on it. Answered only
    /// where a rule asks (work landing unapproved, an approver's own commits);
    /// `false` elsewhere.
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

/// Whether `email` wrote, committed or co-wrote a commit.
fn involves(author: &str, committer: &str, co_authors: &[String], email: &str) -> bool {
    same_email(author, email)
        || same_email(committer, email)
        || co_authors.iter().any(|c| same_email(c, email))
}

impl CommitFacts {
    /// Whether `email` wrote, committed or co-wrote this commit.
    pub fn involves(&self, email: &str) -> bool {
        involves(
            &self.author_email,
            &self.committer_email,
            &self.refs.co_authors,
            email,
        )
    }
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

/// Which commits a check reads: from `tip`, hiding everything reachable from `hidden`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// `None` in a repository with no commit yet: only the records are checked.
    pub tip: Option<String>,
    pub hidden: Vec<String>,
    /// What the person running the check should know about the scope.
    pub notes: Vec<String>,
}

impl Scope {
    /// `A..B` for a range, else HEAD; history before the policy's baseline is left out.
    pub fn resolve(git: &Git, policy: &Policy, range: Option<&str>) -> Result<Scope> {
        let mut scope = Scope::default();
        if let Some(baseline) = &policy.changes.baseline {
            match git.resolve(baseline) {
                Ok(commit) => scope.hidden.push(commit),
                // A shallow clone may not reach back to the baseline; what it has is checked.
                Err(_) if git.is_shallow() => scope.notes.push(format!(
                    "the baseline {baseline} is beyond this shallow clone's history"
                )),
                Err(e) => return Err(Failure::input(format!(
                    "changes.baseline in .changes.toml: {e}"
                ))
                .hint("set it to a commit of this repository, or remove it to check all history")
                .into()),
            }
        }
        scope.tip = match range {
            Some(range) => {
                let (from, to) = range
                    .split_once("..")
                    .filter(|(from, _)| !from.is_empty())
                    .ok_or_else(|| {
                        Failure::input(format!("--range `{range}` is not of the form A..B"))
                    })?;
                scope.hidden.push(git.resolve(from)?);
                Some(git.resolve(if to.is_empty() { "HEAD" } else { to })?)
            }
            None => git.head(),
        };
        if scope.tip.is_none() {
            scope
                .notes
                .push("no commits yet: only the records are checked".into());
        } else if git.is_shallow() {
            scope.notes.push(
                "this is a shallow clone: the history before its boundary is not checked".into(),
            );
        }
        Ok(scope)
    }
}

/// Who approved each change in the register, by [`change_key`].
pub type Approvers = HashMap<(String, u16, u32), Vec<String>>;

/// The approvers of every record, for [`Reader::read`].
pub fn approvers(records: &[crate::store::Stored]) -> Approvers {
    let mut map = Approvers::new();
    for s in records {
        let emails = s.record.approvals.iter().map(|a| a.by.clone());
        map.entry(change_key(&s.record.id))
            .or_default()
            .extend(emails);
    }
    map
}

/// IDs written with different widths name one change.
pub fn change_key(id: &ChangeId) -> (String, u16, u32) {
    (id.prefix().to_string(), id.year(), id.seq())
}

/// For each commit, the mainline (first-parent) commit that brought it in: itself
/// for mainline commits; for others, the oldest mainline merge that reaches them.
fn brought_by(
    raw: &[(RawCommit, References)],
    index: &HashMap<&str, usize>,
    tip: &str,
) -> Vec<Option<usize>> {
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
    let mut owner: Vec<Option<usize>> = vec![None; raw.len()];
    for &m in &mainline {
        owner[m] = Some(m);
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
            if owner[i].is_some() {
                continue;
            }
            owner[i] = Some(m);
            stack.extend(
                raw[i]
                    .0
                    .parents
                    .iter()
                    .filter_map(|p| index.get(p.as_str()).copied()),
            );
        }
    }
    owner
}

/// A record as it stood in some tree, reduced to what the rules ask of it.
#[derive(Debug, Clone)]
struct Snapshot {
    class: Class,
    status: Status,
    missing: Vec<String>,
}

/// Reads history from `tip`, leaving out everything reachable from `hidden`.
/// Trees are looked up by id and memoised, so each is read about once.
pub struct Reader<'a> {
    git: &'a Git,
    policy: &'a Policy,
    dir: String,
    /// Commit → root tree, from the walk (and for parents outside it, on demand).
    trees: HashMap<String, String>,
    /// Root tree → the records directory's tree in it.
    dir_trees: HashMap<String, Option<String>>,
    snapshots: HashMap<String, Option<Snapshot>>,
    rosters: HashMap<String, Policy>,
}

impl<'a> Reader<'a> {
    pub fn new(git: &'a Git, policy: &'a Policy) -> Reader<'a> {
        Reader {
            git,
            policy,
            dir: policy.changes.dir.clone(),
            trees: HashMap::new(),
            dir_trees: HashMap::new(),
            snapshots: HashMap::new(),
            rosters: HashMap::new(),
        }
    }

    /// `approvers` names, per change, who approved it in the register: only their
    /// commits need the (costly) question of whether they carried work.
    pub fn read(mut self, tip: &str, hidden: &[String], approvers: &Approvers) -> Result<History> {
        let pattern = self.policy.reference_pattern();
        let mut raw: Vec<(RawCommit, References)> = Vec::new();
        self.git.walk(tip, hidden, |mut c| {
            let refs = reference::parse(&c.message, &pattern);
            // Only the subject is shown again; a hundred thousand bodies are not kept.
            let subject = c.message.lines().next().unwrap_or("").len();
            c.message.truncate(subject);
            raw.push((c, refs));
            Ok(())
        })?;
        for (c, _) in &raw {
            self.trees.insert(c.id.clone(), c.tree.clone());
        }
        let index: HashMap<&str, usize> = raw
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (c.id.as_str(), i))
            .collect();
        let brought_by = brought_by(&raw, &index, tip);
        let mut history = History {
            shallow: self.git.is_shallow(),
            ..History::default()
        };
        let wants_paths = self.policy.commits.reference == ReferenceRule::Required
            || !self.policy.commits.protected.is_empty();

        for (i, (commit, refs)) in raw.iter().enumerate() {
            let is_merge = commit.parents.len() > 1;
            let parent = commit.parents.first().map(String::as_str);
            let parent_tree = parent.and_then(|p| self.root_tree(p));
            if !is_merge {
                self.attribute_approvals(commit, parent_tree.as_deref(), &mut history)?;
            }
            // Paths are read only when a rule needs them: every commit's for H002 and
            // H003, and otherwise only to tell work from register-only commits.
            let mut paths: Option<Vec<String>> = None;
            let mut read_paths = |reader: &Self| -> Result<Vec<String>> {
                if paths.is_none() {
                    paths = Some(
                        reader
                            .git
                            .changed_paths(parent_tree.as_deref(), &commit.tree)?,
                    );
                }
                Ok(paths.clone().unwrap_or_default())
            };
            if wants_paths && !is_merge {
                read_paths(&self)?;
            }
            let mut is_work: Option<bool> = None;
            let mut work = |reader: &Self| -> Result<bool> {
                if is_merge {
                    return Ok(false);
                }
                if is_work.is_none() {
                    is_work = Some(reader.touches_work(
                        parent_tree.as_deref(),
                        &commit.tree,
                        &mut read_paths,
                    )?);
                }
                Ok(is_work.unwrap_or(false))
            };
            for id in &refs.ids {
                if let Some(before) = parent.and_then(|p| self.snapshot(p, id)) {
                    if is_inactive(before.status) {
                        history.inactive.push(InactiveReference {
                            commit: commit.id.clone(),
                            change: id.clone(),
                            status: before.status,
                        });
                    }
                }
                let Some(m) = brought_by[i] else { continue };
                let landed_on = &raw[m].0.id;
                let missing = match self.snapshot(landed_on, id) {
                    Some(s) if s.class == Class::Emergency || s.missing.is_empty() => continue,
                    Some(s) => format!("approval from {}", s.missing.join(", ")),
                    None => "a record".into(),
                };
                if work(&self)? {
                    history.landed.push(Landed {
                        mainline: landed_on.clone(),
                        commit: commit.id.clone(),
                        change: id.clone(),
                        missing,
                    });
                }
            }
            let by_an_approver = refs.ids.iter().any(|id| {
                approvers.get(&change_key(id)).is_some_and(|emails| {
                    emails.iter().any(|e| {
                        involves(
                            &commit.author_email,
                            &commit.committer_email,
                            &refs.co_authors,
                            e,
                        )
                    })
                })
            });
            let is_work = if by_an_approver {
                work(&self)?
            } else {
                is_work.unwrap_or(false)
            };
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

    /// Whether a commit changes anything outside the register. The top level of the
    /// two trees usually settles it; only a register nested in a directory that
    /// also holds other files needs the full list of paths.
    fn touches_work(
        &self,
        parent_tree: Option<&str>,
        tree: &str,
        read_paths: &mut impl FnMut(&Self) -> Result<Vec<String>>,
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
            return Ok(read_paths(self)?.iter().any(|p| !self.is_register_path(p)));
        }
        Ok(false)
    }

    fn is_register_path(&self, path: &str) -> bool {
        path == crate::policy::FILE_NAME
            || path
                .strip_prefix(&self.dir)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    fn root_tree(&mut self, commit: &str) -> Option<String> {
        if let Some(tree) = self.trees.get(commit) {
            return Some(tree.clone());
        }
        let tree = self.git.tree_of(commit)?;
        self.trees.insert(commit.to_string(), tree.clone());
        Some(tree)
    }

    fn dir_tree(&mut self, root: &str) -> Option<String> {
        let (git, dir) = (self.git, &self.dir);
        self.dir_trees
            .entry(root.to_string())
            .or_insert_with(|| git.entry_in(root, dir))
            .clone()
    }

    /// The blob of record `id` in `commit`'s tree.
    fn record_blob(&mut self, commit: &str, id: &ChangeId) -> Option<String> {
        let root = self.root_tree(commit)?;
        let dir = self.dir_tree(&root)?;
        self.git.entry_in(&dir, &id.file_name())
    }

    /// The record `id` as it stood in `commit`'s tree.
    fn snapshot(&mut self, commit: &str, id: &ChangeId) -> Option<Snapshot> {
        let blob = self.record_blob(commit, id)?;
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

    /// Finds the approvals `commit` added to records, and who it was authored by.
    fn attribute_approvals(
        &mut self,
        commit: &RawCommit,
        parent_tree: Option<&str>,
        history: &mut History,
    ) -> Result<()> {
        let now = self.dir_tree(&commit.tree);
        let before = parent_tree.and_then(|t| self.dir_tree(t));
        if now.is_none() || now == before {
            return Ok(());
        }
        for (name, old, new) in self.git.changed_files(before.as_deref(), now.as_deref())? {
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
                let member_at_parent = self.roster(parent_tree).is_member(&a.role, &a.by);
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
