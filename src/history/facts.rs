//! What one commit says on its own: its message, and what it changed against its
//! first parent, read under the policy in force for it (the one its first parent
//! holds). All of it is fixed by the commit id, so it can be cached.

use super::entries::Kind;
use super::intern::{self, Email};
use super::trees::Trees;
use crate::git::{Answer, Listed, ObjectId, RawCommit};
use crate::model::lifecycle::is_inactive;
use crate::model::reference::{self, References};
use crate::model::{ChangeId, Status};
use anyhow::Result;
use serde::{Deserialize, Deserializer, Serialize};

/// An entry naming a person that a commit added to a record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Added {
    pub change: ChangeId,
    pub kind: Kind,
    /// The digest of its content, which names it (see [`super::entries`]): a long
    /// history holds one of these per entry, so what a message needs besides is
    /// read from the record.
    pub hash: u64,
    /// The version of the record, in the commit's first parent, that it was added
    /// to: whoever wrote that version bounds when the entry can have been made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<ObjectId>,
    #[serde(deserialize_with = "intern::deserialize")]
    pub by: Email,
    /// When it says it was made, in seconds since the epoch.
    pub at: i64,
    /// For an approval: whether the approver was in the role as `.changes.toml`
    /// stood in the first parent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub member_at_parent: bool,
}

/// What a commit's signature proves, read where the policy asks for signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signed {
    /// Validly signed by a key the signers file lists for this person.
    By(String),
    /// Not: why.
    Not(String),
}

/// A version of a record a commit wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Written {
    pub version: ObjectId,
    /// The version in the first parent it was written over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ObjectId>,
    /// Whether it only adds approvals to the same content: such a version bounds
    /// later entries no more than the one it was written over, so that approvals
    /// given at the same time by several people (and rebased onto each other) do
    /// not bound one another.
    #[serde(default, skip_serializing_if = "is_false")]
    pub approvals_only: bool,
}

/// A version of a record a commit wrote that holds other duties written down than
/// the one in its first parent (see [`super::filled`]): what each holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Filled {
    pub change: ChangeId,
    pub now: u32,
    pub was: u32,
}

/// A record a commit removed, with the digests of the entries it held then: put
/// back later, or under another ID, it must hold them all.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Removed {
    pub change: ChangeId,
    pub entries: Vec<(Kind, u64)>,
    /// Its `created_at` and `author`: what tells the same change under another ID
    /// (renumbered after two changes took one ID) from a different change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
}

/// What names a change's record whatever its ID: when and by whom it was created,
/// as the record says.
pub fn origin(record: &crate::model::ChangeRecord) -> String {
    format!("{}|{}", record.created_at, record.author)
}

/// An entry a commit altered or dropped: entries are never rewritten once committed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rewritten {
    pub change: ChangeId,
    pub kind: Kind,
    pub key: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// The policy in force for it, as the cache numbers policies from 1; 0 when no
    /// policy stood in its first parent, and nothing about it is judged.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub judged_by: u32,
    /// When it was committed (seconds since the epoch), for commits that name a
    /// change (judged against freezes) or that may lack a reference.
    #[serde(skip_serializing_if = "is_zero")]
    pub committed: i64,
    /// Kept for commits that name a change, and those that may lack a reference.
    #[serde(
        skip_serializing_if = "is_blank",
        deserialize_with = "intern::deserialize"
    )]
    pub author_email: Email,
    #[serde(
        skip_serializing_if = "is_blank",
        deserialize_with = "intern::deserialize"
    )]
    pub committer_email: Email,
    #[serde(skip_serializing_if = "is_default")]
    pub refs: References,
    #[serde(skip_serializing_if = "is_false")]
    pub is_merge: bool,
    /// Paths changed against the first parent, where the policy's rules read them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<Box<[String]>>,
    /// Whether it changes anything besides the register: read while its trees are
    /// at hand where it names a change, else when a rule asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_work: Option<bool>,
    /// For a mainline commit, by change ID: what the record in its tree lacked for
    /// work on that change to land ("" when nothing): worked out as the commit is
    /// read where a policy judges it, else when asked.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    lacking: Vec<(ChangeId, String)>,
    /// What few commits say: held apart, so that the many that say none of it
    /// hold one empty pointer for all of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    rare: Option<Box<Rare>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Rare {
    /// Kept for commits that name no change only.
    #[serde(skip_serializing_if = "String::is_empty")]
    subject: String,
    /// Entries naming a person that it added to records.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    entries: Vec<Added>,
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    rewritten: Vec<Rewritten>,
    /// Records it created, with the version it created, and removed.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    created: Vec<(ChangeId, ObjectId)>,
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    removed: Vec<Removed>,
    /// The versions of records it wrote (those that differ from its first parent's).
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    written: Vec<Written>,
    /// Author time, for commits that change records: what entries added to the
    /// versions it wrote are bounded by.
    #[serde(skip_serializing_if = "is_zero")]
    authored: i64,
    /// Committer time, for the same commits: when what it wrote was committed.
    #[serde(skip_serializing_if = "is_zero")]
    landed: i64,
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    filled: Vec<Filled>,
    /// Whether it changes the policy or the signers file where a policy stood before.
    #[serde(skip_serializing_if = "is_false")]
    guarded: bool,
    /// Who signed it, for commits that add entries when the policy asks for signatures.
    #[serde(skip_serializing_if = "Option::is_none")]
    signed: Option<Signed>,
    /// Changes the message names that were already inactive in the first parent.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    inactive: Vec<(ChangeId, Status)>,
    /// Record files it wrote as something other than a regular file, with what.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    irregular: Vec<(ChangeId, String)>,
    /// For a merge whose first parent held no policy: the parent whose policy judges
    /// it, against which it is judged as work of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    judged_via: Option<ObjectId>,
}

impl Rare {
    fn is_empty(&self) -> bool {
        self.subject.is_empty()
            && self.entries.is_empty()
            && self.rewritten.is_empty()
            && self.written.is_empty()
            && self.removed.is_empty()
            && !self.guarded
            && self.inactive.is_empty()
            && self.irregular.is_empty()
            && self.judged_via.is_none()
    }
}

/// A list read at its exact size: a long history holds one per commit, and most
/// hold one entry.
fn exact<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let mut list = Vec::deserialize(d)?;
    list.shrink_to_fit();
    Ok(list)
}

fn is_blank(email: &Email) -> bool {
    email.is_empty()
}

fn is_default(refs: &References) -> bool {
    refs == &References::default()
}

fn is_false(b: &bool) -> bool {
    !b
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

/// The policy in force for a commit, as its facts are read under it.
pub struct Judge<'p> {
    /// Its number in the cache (see [`Facts::judged_by`]).
    pub number: u32,
    /// How its messages name changes.
    pub pattern: &'p reference::Pattern,
    /// Whether its rules read the paths a commit changed.
    pub paths: bool,
    /// Its blob.
    pub blob: ObjectId,
}

/// What git read of a commit beside the check, where it did: its root tree's bytes,
/// and the paths it found changed in the comparison asked for this commit.
pub struct Beside {
    pub root: Option<Vec<u8>>,
    pub paths: Option<Answer>,
}

impl Facts {
    /// Reads a commit's own facts under `judge`, the policy in force for it (held by
    /// `via` when that is not its first parent); with none, only what it did to the
    /// register is read: what its message says is judged by no rule.
    pub fn read(
        trees: &mut Trees,
        commit: &RawCommit,
        beside: Beside,
        listed: &Listed,
        judge: Option<&Judge>,
        via: Option<ObjectId>,
    ) -> Result<Facts> {
        trees.note(commit, beside.root);
        let refs = match judge {
            Some(judge) => judge.pattern.parse(&commit.message),
            None => References::default(),
        };
        let paths = judge.is_some_and(|j| j.paths);
        let is_merge = listed.is_merge();
        let parent = listed.first_parent;
        let parent_tree = parent.and_then(|p| trees.root(p));
        let mut facts = Facts {
            judged_by: judge.map_or(0, |j| j.number),
            is_merge,
            ..Facts::default()
        };
        let mut rare = Rare::default();
        let under = judge.map(|j| (j.number, j.blob));
        let changes = trees.record_changes(commit, &commit.parents, under)?;
        rare.guarded = trees.guard_changed(commit.id, &commit.parents);
        let touches = !changes.written.is_empty()
            || !changes.removed.is_empty()
            || !changes.rewritten.is_empty()
            || !changes.added.is_empty();
        if touches {
            rare.authored = commit.time;
            rare.landed = commit.committed;
            facts.author_email = intern::email(&commit.author_email);
            facts.committer_email = intern::email(&commit.committer_email);
        }
        if trees.asks_signatures() && !changes.added.is_empty() {
            rare.signed = Some(trees.signed(commit.id, commit.parents.first().copied())?);
        }
        // Held for every commit that changes a record: at their exact size.
        fn exactly<T>(mut list: Vec<T>) -> Vec<T> {
            list.shrink_to_fit();
            list
        }
        rare.irregular = exactly(changes.irregular);
        rare.judged_via = via;
        rare.entries = exactly(changes.added);
        rare.rewritten = exactly(changes.rewritten);
        rare.created = exactly(changes.created);
        rare.removed = exactly(changes.removed);
        rare.written = exactly(changes.written);
        rare.filled = exactly(changes.filled);
        if !is_merge && paths {
            let answered = (beside.paths)
                .and_then(|answer| answer.paths_of(commit.id, parent_tree, commit.tree));
            let paths = match answered {
                Some(paths) => paths,
                None => trees.changed_paths(parent_tree, commit.tree)?,
            };
            facts.paths = Some(paths.into());
        }
        // Whether it carries work, asked of commits that name a change (those that land
        // work lacking approval, or whose author approved it): answered now where both
        // root trees are at hand, else where it is asked.
        if !is_merge && !refs.ids.is_empty() {
            let paths = facts.paths.as_deref();
            facts.is_work =
                (listed.first_parent).and_then(|p| trees.work_beside(listed.id, p, paths));
        }
        if let Some(parent) = parent {
            for id in &refs.ids {
                if let Some(before) = trees.status(parent, id) {
                    if is_inactive(before) {
                        rare.inactive.reserve_exact(1);
                        rare.inactive.push((id.clone(), before));
                    }
                }
            }
        }
        // A commit that only records moves of a finished change (a rejected change
        // cancelled or revised by someone else) is the register's business, not work
        // under it.
        if !rare.inactive.is_empty() {
            if !is_merge && facts.is_work.is_none() {
                let work = trees.touches_work(parent_tree, commit.tree, &mut facts.paths)?;
                facts.is_work = Some(work);
            }
            if is_merge || facts.is_work == Some(false) {
                rare.inactive = Vec::new();
            }
        }
        // Kept only where a rule reads them: who wrote a commit that names a change
        // (self-approval), and the subject of one that names none (a missing reference).
        if !refs.ids.is_empty() {
            facts.committed = commit.committed;
            facts.author_email = intern::email(&commit.author_email);
            facts.committer_email = intern::email(&commit.committer_email);
        }
        let unreferenced = refs.ids.is_empty() && facts.paths.is_some();
        facts.refs = refs;
        facts.rare = (!rare.is_empty()).then(|| Box::new(rare));
        if unreferenced {
            facts.may_lack_reference(commit);
        }
        Ok(facts)
    }

    /// Keeps what a missing reference is reported with: its subject (a malformed
    /// `Change:` trailer names nothing either), and when and by whom it was made, as
    /// the audit lists such commits.
    pub fn may_lack_reference(&mut self, commit: &RawCommit) {
        self.committed = commit.committed;
        self.author_email = intern::email(&commit.author_email);
        let subject = commit.message.lines().next().unwrap_or("").to_string();
        self.rare.get_or_insert_with(Default::default).subject = subject;
    }

    /// Forgets what the commit seemed to change: at a shallow clone's boundary its
    /// parent is missing, so it looks as if it added the whole tree — every approval
    /// and file — which would be false evidence. What its message says stays.
    pub fn cut_off(&mut self) {
        self.rare = None;
        self.paths = None;
        self.is_work = Some(false);
    }

    /// What the record of `change` lacked here, where that was worked out.
    pub fn lacked(&self, change: &ChangeId) -> Option<&str> {
        (self.lacking.iter()).find_map(|(c, missing)| (c == change).then_some(missing.as_str()))
    }

    /// Keeps what the record of `change` lacked here.
    pub fn lack(&mut self, change: &ChangeId, missing: String) {
        // Kept for every mainline commit that brings work in, mostly one entry each:
        // a first push would reserve room for four.
        self.lacking.reserve_exact(1);
        self.lacking.push((change.clone(), missing));
    }

    /// Its subject, kept for commits that name no change only.
    pub fn subject(&self) -> &str {
        self.rare.as_ref().map_or("", |r| &r.subject)
    }

    /// The entries naming a person that it added to records.
    pub fn entries(&self) -> &[Added] {
        self.rare.as_ref().map_or(&[], |r| &r.entries)
    }

    /// The committed entries it altered or dropped.
    pub fn rewritten(&self) -> &[Rewritten] {
        self.rare.as_ref().map_or(&[], |r| &r.rewritten)
    }

    /// Records it created, with the version it created.
    pub fn created(&self) -> &[(ChangeId, ObjectId)] {
        self.rare.as_ref().map_or(&[], |r| &r.created)
    }

    /// Records it removed.
    pub fn removed(&self) -> &[Removed] {
        self.rare.as_ref().map_or(&[], |r| &r.removed)
    }

    /// The versions of records it wrote.
    pub fn written(&self) -> &[Written] {
        self.rare.as_ref().map_or(&[], |r| &r.written)
    }

    /// Its author time, kept for commits that change records.
    pub fn authored(&self) -> i64 {
        self.rare.as_ref().map_or(0, |r| r.authored)
    }

    /// The versions it wrote that hold other duties written down than before.
    pub fn filled(&self) -> &[Filled] {
        self.rare.as_ref().map_or(&[], |r| &r.filled)
    }

    /// Its committer time, kept for commits that change records.
    pub fn landed(&self) -> i64 {
        self.rare.as_ref().map_or(0, |r| r.landed)
    }

    /// Who signed it, where signatures were read.
    pub fn signed(&self) -> Option<&Signed> {
        self.rare.as_ref().and_then(|r| r.signed.as_ref())
    }

    /// Whether it changes the policy or the signers file.
    pub fn guarded(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.guarded)
    }

    /// The parent whose policy judges it, where that is not its first parent.
    pub fn judged_via(&self) -> Option<ObjectId> {
        self.rare.as_ref().and_then(|r| r.judged_via)
    }

    /// Record files it wrote as something other than a regular file, with what.
    pub fn irregular(&self) -> &[(ChangeId, String)] {
        self.rare.as_ref().map_or(&[], |r| &r.irregular)
    }

    /// Changes its message names that were already inactive in the first parent.
    pub fn inactive(&self) -> &[(ChangeId, Status)] {
        self.rare.as_ref().map_or(&[], |r| &r.inactive)
    }

    /// Whether any rule could ask about this commit.
    pub fn is_relevant(&self) -> bool {
        !self.refs.names_nothing() || self.paths.is_some()
    }

    /// Nothing worth keeping: a commit no rule asks about.
    pub fn is_empty(&self) -> bool {
        !self.is_relevant() && self.rare.is_none() && self.lacking.is_empty()
    }
}
