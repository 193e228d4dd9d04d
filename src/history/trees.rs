//! The register as it stood in past trees. Trees are looked up by id and memoised,
//! so each tree and each version of a record is read about once per check.

use super::by_id::ById;
use super::entries::{self, Entry, Kind};
use super::facts::{Added, Filled, Removed, Rewritten, Signed, Written};
use super::filled;
use super::listings::Listings;
use crate::git::{Git, IdMap, Listing, ObjectId, RawCommit, Signature, TreePath};
use crate::model::{digest, ChangeId, ChangeRecord, Class, Status};
use crate::policy::{approval, Policy};
use crate::store::parse;
use crate::store::{is_read_folder, is_record_place, record_places};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::rc::Rc;

/// What one commit did to the records, against each of its parents.
#[derive(Debug, Default)]
pub struct RecordChanges {
    /// Record files written as something other than a regular file, with what.
    pub irregular: Vec<(ChangeId, String)>,
    /// Entries naming a person that no parent held.
    pub added: Vec<Added>,
    /// Entries a parent held that the commit altered or dropped.
    pub rewritten: Vec<Rewritten>,
    /// Records no parent held, with the version created.
    pub created: Vec<(ChangeId, ObjectId)>,
    /// Records a parent held that the commit has not.
    pub removed: Vec<Removed>,
    /// The versions of records written that differ from the first parent's.
    pub written: Vec<Written>,
    /// Those of them that hold other duties written down than the first parent's.
    pub filled: Vec<Filled>,
}

/// A version of a record file, with its bytes where they were read: a version
/// parsed already (most often the one an earlier commit wrote) is not read again.
#[derive(Clone)]
struct File {
    id: ObjectId,
    /// What the entry is when it is not a regular file, whose bytes are never read.
    irregular: Option<&'static str>,
    bytes: Option<Vec<u8>>,
}

/// One record file as a commit has it and as each parent had it.
struct Versions {
    new: Option<File>,
    parents: Vec<Version>,
}

/// A parent's version of a record file.
#[derive(Clone)]
enum Version {
    /// The same as the commit's.
    Same,
    /// Different: this content, or no file.
    Was(Option<File>),
}

/// A version of a record as parsed, with the digest its approvals are bound to:
/// asked of each version up to four times. The digest is worked out when first
/// asked: a version read only for its status never needs it.
struct Parsed {
    record: ChangeRecord,
    digest: std::cell::OnceCell<String>,
}

impl Parsed {
    fn new(record: ChangeRecord) -> Parsed {
        Parsed {
            record,
            digest: std::cell::OnceCell::new(),
        }
    }

    fn digest(&self) -> &str {
        self.digest.get_or_init(|| digest::of(&self.record))
    }
}

/// A record as it stood in some tree, reduced to what the rules ask of it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub class: Class,
    pub status: Status,
    /// Roles whose approval the policy requires and the record lacks.
    pub missing: Vec<String>,
}

/// What is known of one commit's tree.
struct Slot {
    root: ObjectId,
    /// The records directory in it: `None` until asked, then `Some(None)` when absent.
    dir: Option<Option<ObjectId>>,
    /// The policy and signers files in it, as [`Guard`]: `None` until asked.
    guard: Option<Guard>,
}

/// The blobs of the policy and the signers file in a tree, where present.
type Guard = [Option<ObjectId>; 2];

impl Slot {
    fn new(root: ObjectId) -> Slot {
        Slot {
            root,
            dir: None,
            guard: None,
        }
    }

    /// Reads the records directory and the guard from the root tree's `bytes`.
    fn fill(&mut self, git: &Git, bytes: &[u8], paths: &[TreePath; 3]) {
        let [dir, policy, signers] = git.entries_below(self.root, bytes, paths.each_ref());
        self.dir = Some(dir);
        self.guard = Some([policy, signers]);
    }
}

/// How many commits' trees [`Trees`] holds at most (see [`ById`]): a mainline's
/// worth of recent history, so that the parents of most merges are still there.
pub(super) const SLOTS: usize = 1 << 16;

/// How many commits' trees [`Trees`] has room for at first.
pub(super) const FIRST_SLOTS: usize = 1 << 10;

pub struct Trees<'a> {
    git: &'a Git,
    policy: &'a Policy,
    /// The records directory, the policy and the signers file: what every commit's
    /// root tree is read for.
    paths: Rc<[TreePath; 3]>,
    /// The trees of recently read commits. The walk reads a commit's trees right
    /// after its parents', so few are read twice.
    slots: ById<Slot>,
    /// Record blob and the number of the policy it was judged by → the record.
    snapshots: IdMap<(ObjectId, u32), Option<Snapshot>>,
    /// `.changes.toml` blob → the policy it holds, `None` when it does not parse.
    policies: IdMap<ObjectId, Option<Policy>>,
    /// The policy of a tree that holds none, or none that parses: it names nobody.
    empty: Policy,
    /// The register's folders listed so far (see [`Listings`]).
    listings: Listings,
    /// Records parsed from their blobs, the oldest read first out: a version is read
    /// as the new one of the commit that writes it, as the old one of the next commit
    /// that changes it, and in the trees of commits that name its change.
    parsed: IdMap<ObjectId, Option<Rc<Parsed>>>,
    parsed_order: VecDeque<ObjectId>,
    /// The places of the records looked up, by change.
    places: HashMap<ChangeId, Rc<[String; 2]>>,
    /// The root trees' bytes of the commits last noted with them: a commit's parent
    /// is most often one of them.
    roots: VecDeque<(ObjectId, Vec<u8>)>,
}

/// How many commits' root trees [`Trees`] keeps at hand for their children.
const RECENT_ROOTS: usize = 4;

/// How many parsed versions [`Trees`] keeps: a few megabytes.
const PARSED: usize = 4096;

fn unreadable(tree: ObjectId) -> anyhow::Error {
    anyhow::anyhow!("cannot read tree {tree}")
}

/// A file of a listed tree, held past the listing.
#[derive(Clone, Copy, PartialEq)]
struct Held {
    id: ObjectId,
    irregular: Option<&'static str>,
}

/// An entry that differs between two listed trees, held past the listings: its
/// name, and whether it is a tree on the side that has it.
type Differing = (String, Option<(ObjectId, u32)>, Option<(ObjectId, u32)>);

/// Whether a git mode is a tree's.
fn is_tree(mode: u32) -> bool {
    mode & 0o170000 == 0o040000
}

/// What differs between two versions of the records directory, read through the
/// folders chg reads: the names of record files that may differ, and each entry of
/// the newer side that differs, as its path under the directory and its git mode.
#[derive(Default)]
struct RegisterDiff {
    names: BTreeSet<String>,
    entries: Entries,
}

/// Entries of the records directory: paths under it, with their git modes.
pub type Entries = Vec<(String, u32)>;

impl<'a> Trees<'a> {
    pub fn new(git: &'a Git, policy: &'a Policy) -> Trees<'a> {
        Trees {
            git,
            policy,
            paths: Rc::new([
                TreePath::new(&policy.changes.dir),
                TreePath::new(crate::policy::FILE_NAME),
                TreePath::new(&policy.approvals.signers),
            ]),
            slots: ById::new(FIRST_SLOTS, SLOTS),
            snapshots: IdMap::default(),
            policies: IdMap::default(),
            empty: Policy::from_toml("").expect("the empty policy is valid"),
            listings: Listings::default(),
            parsed: IdMap::default(),
            parsed_order: VecDeque::new(),
            places: HashMap::new(),
            roots: VecDeque::with_capacity(RECENT_ROOTS),
        }
    }

    /// The records directory, relative to the root.
    fn dir(&self) -> &str {
        self.paths[0].as_str()
    }

    /// Remembers a commit's root tree, read with the commit, and what it holds when
    /// its bytes were read too: those are kept for the next few commits' questions
    /// (see [`Self::work_beside`]).
    pub fn note(&mut self, commit: &RawCommit, bytes: Option<Vec<u8>>) {
        let id = commit.id;
        let mut slot = Slot::new(commit.tree);
        if let Some(bytes) = bytes {
            slot.fill(self.git, &bytes, &self.paths);
            if self.roots.len() == RECENT_ROOTS {
                self.roots.pop_front();
            }
            self.roots.push_back((id, bytes));
        }
        self.slots.put(id, slot);
    }

    /// [`Self::touches_work`] of `commit` against `parent`, where both root trees'
    /// bytes are among the last noted and they (with the `paths` it changes, where
    /// read) settle it.
    pub fn work_beside(
        &self,
        commit: ObjectId,
        parent: ObjectId,
        paths: Option<&[String]>,
    ) -> Option<bool> {
        let bytes = |id: ObjectId| (self.roots.iter().find(|(held, _)| *held == id)).map(|r| &r.1);
        let top = crate::git::top_level_changes(bytes(parent)?, bytes(commit)?);
        self.work_at_top(&top, paths)
    }

    /// What is known of `commit`'s tree, reading its root from git when nothing is.
    fn slot(&mut self, commit: ObjectId) -> Option<&mut Slot> {
        if self.slots.get(&commit).is_none() {
            let root = self.git.tree_of(commit)?;
            return Some(self.slots.put(commit, Slot::new(root)).0);
        }
        self.slots.get(&commit)
    }

    /// The root tree of `commit`.
    pub fn root(&mut self, commit: ObjectId) -> Option<ObjectId> {
        self.slot(commit).map(|s| s.root)
    }

    /// The records directory's tree in `commit`'s tree.
    fn records_dir(&mut self, commit: ObjectId) -> Option<ObjectId> {
        self.read_slot(commit)?.dir.flatten()
    }

    /// The policy and signers files in `commit`'s tree: asked of every commit's
    /// parent.
    fn guard(&mut self, commit: ObjectId) -> Option<Guard> {
        self.read_slot(commit)?.guard
    }

    /// [`Self::slot`] with its records directory and guard read, from one reading
    /// of its root tree.
    fn read_slot(&mut self, id: ObjectId) -> Option<&Slot> {
        let (git, paths) = (self.git, Rc::clone(&self.paths));
        let slot = self.slot(id)?;
        if slot.dir.is_none() {
            let root = slot.root;
            if git.with_tree(root, |b| slot.fill(git, b, &paths)).is_none() {
                // Unreadable, it holds nothing chg can prove.
                slot.dir = Some(None);
                slot.guard = Some([None, None]);
            }
        }
        Some(slot)
    }

    /// Whether the policy proves entries by signatures, which are then read.
    pub fn asks_signatures(&self) -> bool {
        self.policy.approvals.verify == crate::policy::Verify::Signature
    }

    /// Who validly signed `commit`, as git verifies it against the signers file as
    /// it stood in `parent` (none there: no signature can be good).
    pub fn signed(&mut self, commit: ObjectId, parent: Option<ObjectId>) -> Result<Signed> {
        let signers = parent.and_then(|p| self.guard(p)).and_then(|g| g[1]);
        let bytes = signers
            .and_then(|blob| self.git.blob(blob))
            .unwrap_or_default();
        let commit = commit.to_string();
        let verdict = self.git.signatures(std::slice::from_ref(&commit), &bytes)?;
        Ok(match verdict.get(&commit) {
            Some(Signature::Good { signer }) => Signed::By(signer.clone()),
            Some(Signature::Bad) => Signed::Not("its signature does not match it".into()),
            Some(Signature::Untrusted { why }) => Signed::Not((*why).into()),
            Some(Signature::Unsigned) | None => Signed::Not("it is not signed".into()),
        })
    }

    /// Whether `commit` changes the policy or the signers file against each of its
    /// parents that held a policy: adopting chg is not a change of its policy, and a
    /// merge that only brings in a branch's change is not one either — but a merge
    /// with a history that holds none, which drops or alters the policy, is.
    pub fn guard_changed(&mut self, commit: ObjectId, parents: &[ObjectId]) -> bool {
        let Some(now) = self.guard(commit) else {
            return false;
        };
        // Changed when some parent holds a policy, and none holds these versions.
        let mut held = false;
        for &parent in parents {
            let Some(before) = self.guard(parent).filter(|g| g[0].is_some()) else {
                continue;
            };
            if before == now {
                return false;
            }
            held = true;
        }
        held
    }

    /// The whole record `id` as it stood in `commit`'s tree, read afresh: for the
    /// few commits that need more of it than a [`Snapshot`].
    pub fn record_at(&mut self, commit: ObjectId, id: &ChangeId) -> Option<ChangeRecord> {
        let version = self.record_version(commit, id)?;
        self.record_of_version(&id.file_name(), &version)
    }

    /// The record a version (blob) of the record file `file` holds, where it parses.
    pub fn record_of_version(&self, file: &str, version: &ObjectId) -> Option<ChangeRecord> {
        let bytes = self.git.blob(*version)?;
        parse(file, &crate::git::lossy(&bytes)).ok()
    }

    /// The version (blob) of the record of `id` in `commit`'s tree.
    pub fn record_version(&mut self, commit: ObjectId, id: &ChangeId) -> Option<ObjectId> {
        let dir = self.records_dir(commit)?;
        Some(self.record_file(dir, id)?.id)
    }

    /// What the record of `change` lacked in `commit`'s tree, judged by the policy
    /// `under` names, for work on it to land there; empty when nothing (an
    /// emergency change needs nothing first, and where no policy judges, nothing is
    /// owed).
    pub fn lacking(
        &mut self,
        commit: ObjectId,
        change: &ChangeId,
        under: Option<(u32, ObjectId)>,
    ) -> String {
        // Judged by no policy, nothing is owed.
        if under.is_none() {
            return String::new();
        }
        match self.snapshot(commit, change, under) {
            Some(s) if s.class == Class::Emergency || s.missing.is_empty() => String::new(),
            Some(s) => format!("approval from {}", s.missing.join(", ")),
            None => super::NO_RECORD.into(),
        }
    }

    /// The status of record `id` as it stood in `commit`'s tree.
    pub fn status(&mut self, commit: ObjectId, id: &ChangeId) -> Option<Status> {
        let version = self.record_version(commit, id)?;
        // A version the walk wrote was judged by today's policy as it was read, and
        // that is kept for the whole check; any other is read from its parsed record,
        // not judged: what approvals it lacks is not asked here.
        if let Some(known) = self.snapshots.get(&(version, 0)) {
            return known.as_ref().map(|s| s.status);
        }
        let parsed = self.parse_version(&id.file_name(), version, None)?;
        Some(parsed.record.status)
    }

    /// The record `id` as it stood in `commit`'s tree, judged by the policy `under`
    /// names (its number in the cache and its blob; today's when `None`).
    pub fn snapshot(
        &mut self,
        commit: ObjectId,
        id: &ChangeId,
        under: Option<(u32, ObjectId)>,
    ) -> Option<Snapshot> {
        let blob = self.record_version(commit, id)?;
        let number = under.map_or(0, |(n, _)| n);
        if let Some(known) = self.snapshots.get(&(blob, number)) {
            return known.clone();
        }
        match self.parse_version(&id.file_name(), blob, None) {
            Some(parsed) => self.judge_version(blob, &parsed, under),
            None => {
                self.snapshots.insert((blob, number), None);
                None
            }
        }
    }

    /// The record a version (blob) of the record file `name` holds, where it parses;
    /// its `bytes` when read already.
    fn parse_version(
        &mut self,
        name: &str,
        version: ObjectId,
        bytes: Option<&[u8]>,
    ) -> Option<Rc<Parsed>> {
        if let Some(known) = self.parsed.get(&version) {
            return known.clone();
        }
        let read;
        let bytes = match bytes {
            Some(bytes) => bytes,
            None => {
                read = self.git.blob(version)?;
                &read
            }
        };
        let record = parse(name, &crate::git::lossy(bytes))
            .ok()
            .map(|record| Rc::new(Parsed::new(record)));
        if self.parsed_order.len() == PARSED {
            if let Some(oldest) = self.parsed_order.pop_front() {
                self.parsed.remove(&oldest);
            }
        }
        self.parsed_order.push_back(version);
        self.parsed.insert(version, record.clone());
        record
    }

    /// The [`Snapshot`] of a parsed version, judged by the policy `under` names
    /// (today's when `None`), as [`Self::snapshot`] keeps it.
    fn judge_version(
        &mut self,
        version: ObjectId,
        parsed: &Parsed,
        under: Option<(u32, ObjectId)>,
    ) -> Option<Snapshot> {
        let number = under.map_or(0, |(n, _)| n);
        if let Some(known) = self.snapshots.get(&(version, number)) {
            return known.clone();
        }
        if let Some((_, policy)) = under {
            self.policy_in(policy);
        }
        let judged = under.and_then(|(_, b)| self.policies.get(&b)?.as_ref());
        let record = &parsed.record;
        let policy = judged.unwrap_or(self.policy);
        let snapshot = Snapshot {
            class: record.class,
            status: record.status,
            missing: approval::state_digested(record, || parsed.digest(), policy).missing(),
        };
        self.snapshots
            .insert((version, number), Some(snapshot.clone()));
        Some(snapshot)
    }

    /// [`Self::parse_version`] of a file read from a tree: an irregular entry (a
    /// link) holds no record, whatever its target's text.
    fn record_in(&mut self, name: &str, file: &File) -> Option<Rc<Parsed>> {
        match file.irregular {
            Some(_) => None,
            None => self.parse_version(name, file.id, file.bytes.as_deref()),
        }
    }

    /// The file of the record of `id` in the records directory `dir`: the first of
    /// its places that holds one, as every reader of the register takes it.
    fn record_file(&mut self, dir: ObjectId, id: &ChangeId) -> Option<Held> {
        // A change is looked up at many commits: its places are written out once.
        let places = Rc::clone(
            (self.places.entry(id.clone())).or_insert_with(|| Rc::new(record_places(id))),
        );
        places.iter().find_map(|rel| self.file_at(dir, rel))
    }

    /// The file at `rel` (a path under the tree `dir`), reading the folders on the way.
    fn file_at(&mut self, dir: ObjectId, rel: &str) -> Option<Held> {
        let (folders, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let mut tree = dir;
        for folder in folders.split('/').filter(|f| !f.is_empty()) {
            let at = self.listed(tree)?;
            tree = self.listings.get(at).find(folder, true)?.id;
        }
        let at = self.listed(tree)?;
        let entry = self.listings.get(at).find(name, false)?;
        Some(Held {
            id: entry.id,
            irregular: entry.irregular,
        })
    }

    /// Where the register's folder `dir` is in [`Self::listings`], listing it if it
    /// is not held.
    fn listed(&mut self, dir: ObjectId) -> Option<usize> {
        if let Some(at) = self.listings.find(dir) {
            return Some(at);
        }
        // The one used last is most often the version before of the same folder.
        let room = self.listings.room();
        let listing = self.git.listing(dir, room, self.listings.last())?;
        Some(self.listings.add(dir, listing))
    }

    /// What `commit` did to the records, judged against each of its `parents` (none
    /// for a root commit): an entry or record absent from every parent was added by
    /// the commit itself; one a parent holds and the commit lacks was altered or
    /// dropped by it, even when the commit is a merge that took the other side.
    ///
    /// Each version written is judged as [`Self::snapshot`] judges it, by today's
    /// policy and by `under` (the commit's), while it is parsed: commits that later
    /// name the change ask about it.
    pub fn record_changes(
        &mut self,
        commit: &RawCommit,
        parents: &[ObjectId],
        under: Option<(u32, ObjectId)>,
    ) -> Result<RecordChanges> {
        let now = self.records_dir(commit.id);
        // Most commits leave the register as every parent had it: nothing to compare
        // (a root commit is compared with no register at all, below).
        if !parents.is_empty() && parents.iter().all(|&p| self.records_dir(p) == now) {
            return Ok(RecordChanges::default());
        }
        let befores: Vec<Option<ObjectId>> = match parents {
            [] => vec![None],
            _ => parents.iter().map(|&p| self.records_dir(p)).collect(),
        };
        let mut files: BTreeMap<String, Versions> = BTreeMap::new();
        for (i, before) in befores.iter().enumerate() {
            if before == &now {
                continue;
            }
            for (name, old, new) in self.changed_records(*before, now)? {
                let versions = files.entry(name).or_insert_with(|| Versions {
                    new,
                    parents: vec![Version::Same; befores.len()],
                });
                versions.parents[i] = Version::Was(old);
            }
        }
        let mut changes = RecordChanges::default();
        for (name, versions) in files {
            let Some(change) = ChangeId::from_file_name(&name) else {
                continue;
            };
            let present = |v: &Version| match v {
                Version::Same => versions.new.is_some(),
                Version::Was(old) => old.is_some(),
            };
            // The version in the first parent, which an entry added here was added to.
            let after = match &versions.parents[0] {
                Version::Same => versions.new.as_ref().map(|b| b.id),
                Version::Was(old) => old.as_ref().map(|b| b.id),
            };
            let Some(new) = &versions.new else {
                if let Some(held) = versions.parents.iter().find(|v| present(v)) {
                    let old = match held {
                        Version::Was(Some(old)) => self.record_in(&name, old),
                        _ => None,
                    };
                    let old = old.as_deref().map(|old| &old.record);
                    let entries = old.map(entries::of).unwrap_or_default();
                    changes.removed.push(Removed {
                        change,
                        entries: entries.iter().map(|e| (e.kind, e.hash)).collect(),
                        origin: old.map(super::facts::origin).unwrap_or_default(),
                    });
                }
                continue;
            };
            if !versions.parents.iter().any(present) {
                changes.created.push((change.clone(), new.id));
            }
            let mut written = matches!(versions.parents[0], Version::Was(_)).then_some(Written {
                version: new.id,
                from: after,
                approvals_only: false,
            });
            if let Some(what) = new.irregular {
                changes.irregular.push((change.clone(), what.to_string()));
            }
            // A version that does not parse is reported as it stands (R001); the
            // one that mends it is compared with the last that parsed, so a broken
            // version in between cannot launder a removal.
            let Some(parsed) = self.record_in(&name, new) else {
                changes.written.extend(written);
                continue;
            };
            self.judge_version(new.id, &parsed, None);
            if under.is_some() {
                self.judge_version(new.id, &parsed, under);
            }
            let record = &parsed.record;
            let new = entries::of(record);
            let mut before = Vec::with_capacity(versions.parents.len());
            for (v, parent) in versions.parents.iter().zip(parents) {
                before.push(match v {
                    Version::Same => new.clone(),
                    Version::Was(None) => Vec::new(),
                    Version::Was(Some(old)) => match self.record_in(&name, old) {
                        Some(old) => entries::of(&old.record),
                        None => self.last_readable(*parent, &name).unwrap_or_default(),
                    },
                });
            }
            let diff = entries::diff(&new, &before);
            if let Some(w) = &mut written {
                // A version that only adds approvals to the same content: an approval
                // made at the same time elsewhere may land on top of it.
                let first = match &versions.parents[0] {
                    Version::Was(Some(old)) => self.record_in(&name, old),
                    _ => None,
                };
                let was = first.as_deref().map_or(0, |old| filled::of(&old.record));
                let now = filled::of(record);
                if now != was {
                    changes.filled.push(Filled {
                        change: change.clone(),
                        now,
                        was,
                    });
                }
                w.approvals_only = diff.dropped.is_empty()
                    && !diff.added.is_empty()
                    && diff.added.iter().all(|e| e.kind == Kind::Approval)
                    && first.is_some_and(|old| old.digest() == parsed.digest());
            }
            changes.written.extend(written);
            // Evidence names nobody and no time: only its rewriting is judged.
            for e in diff.added {
                let Some(at) = e.at.filter(|_| !e.by.is_empty()) else {
                    continue;
                };
                let first = parents.first().copied();
                let member_at_parent =
                    e.kind == Kind::Approval && self.roster(first).is_member(&e.role, &e.by);
                changes.added.push(Added {
                    change: change.clone(),
                    kind: e.kind,
                    hash: e.hash,
                    after,
                    by: super::intern::email(&e.by),
                    at: at.utc().timestamp(),
                    member_at_parent,
                });
            }
            for e in diff.dropped {
                changes.rewritten.push(Rewritten {
                    change: change.clone(),
                    kind: e.kind,
                    key: e.key,
                });
            }
        }
        Ok(changes)
    }

    /// The entries of the record file `name` as it stood in the newest commit before
    /// `broken` on its first-parent line whose version parses (none where the file
    /// is absent): what a version that does not parse stood in for, however many
    /// commits kept it broken. `None` past the history there is.
    fn last_readable(&mut self, broken: ObjectId, name: &str) -> Option<Vec<Entry>> {
        let id = ChangeId::from_file_name(name)?;
        let mut at = broken;
        let mut unreadable = None;
        loop {
            at = *self.git.commit(at).ok()?.parents.first()?;
            // A shallow clone's boundary names a parent the clone lacks.
            self.git.tree_of(at)?;
            let Some(version) = self.record_version(at, &id) else {
                return Some(Vec::new());
            };
            // Commits that leave the broken version as it is are passed unread.
            if unreadable != Some(version) {
                if let Some(record) = self.record_of_version(name, &version) {
                    return Some(entries::of(&record));
                }
                unreadable = Some(version);
            }
        }
    }

    /// The record files that differ between two versions of the records directory,
    /// either of which may be missing: `(name, old version, new version)`. A record moved
    /// between the flat and the fanned-out place, the same bytes, has not changed.
    #[allow(clippy::type_complexity)]
    fn changed_records(
        &mut self,
        before: Option<ObjectId>,
        now: Option<ObjectId>,
    ) -> Result<Vec<(String, Option<File>, Option<File>)>> {
        let names = self.register_diff(before, now)?.names;
        let changed = self.records_changed_among(before, now, names);
        Ok((changed.into_iter())
            .map(|(name, old, new)| (name, self.file(old), self.file(new)))
            .collect())
    }

    /// A record file held in a tree with its bytes, unless its version was parsed
    /// already; `None` for no file, or one that cannot be read.
    fn file(&self, held: Option<Held>) -> Option<File> {
        let Held { id, irregular } = held?;
        let known = irregular.is_some() || self.parsed.contains_key(&id);
        let bytes = match known {
            true => None,
            false => Some(self.git.blob(id)?),
        };
        Some(File {
            id,
            irregular,
            bytes,
        })
    }

    /// Which of the record files `names` differ between two versions of the records
    /// directory, each found at its place in either: `(name, old file, new file)`.
    fn records_changed_among(
        &mut self,
        before: Option<ObjectId>,
        now: Option<ObjectId>,
        names: BTreeSet<String>,
    ) -> Vec<(String, Option<Held>, Option<Held>)> {
        let mut changed = Vec::new();
        for name in names {
            let Some(id) = ChangeId::from_file_name(&name) else {
                continue;
            };
            let old = before.and_then(|dir| self.record_file(dir, &id));
            let new = now.and_then(|dir| self.record_file(dir, &id));
            if old != new {
                changed.push((name, old, new));
            }
        }
        changed
    }

    /// [`RegisterDiff`] of two versions of the records directory, either of which may
    /// be missing: folders the two share are not read.
    fn register_diff(
        &mut self,
        before: Option<ObjectId>,
        now: Option<ObjectId>,
    ) -> Result<RegisterDiff> {
        let mut diff = RegisterDiff::default();
        let mut folders = vec![(String::new(), before, now)];
        while let Some((folder, old, new)) = folders.pop() {
            for (name, o, n) in self.differing(old, new)? {
                let rel = format!("{folder}{name}");
                if let Some((_, mode)) = n {
                    diff.entries.push((rel.clone(), mode));
                }
                let tree = |side: Option<(ObjectId, u32)>| {
                    side.filter(|(_, mode)| is_tree(*mode)).map(|(id, _)| id)
                };
                let (old_tree, new_tree) = (tree(o), tree(n));
                let is_file =
                    |side: Option<(ObjectId, u32)>| side.is_some_and(|(_, m)| !is_tree(m));
                if (is_file(o) || is_file(n)) && is_record_place(&rel) {
                    diff.names.insert(name);
                }
                if (old_tree.is_some() || new_tree.is_some()) && is_read_folder(&rel) {
                    folders.push((format!("{rel}/"), old_tree, new_tree));
                }
            }
        }
        Ok(diff)
    }

    /// The changes whose record differs between the trees of two commits (`base`
    /// none: every record `tip` holds), and the entries of the records directory
    /// that differ (see [`RegisterDiff`]).
    pub fn register_differing(
        &mut self,
        base: Option<ObjectId>,
        tip: ObjectId,
    ) -> Result<(Vec<ChangeId>, Entries)> {
        let before = base.and_then(|b| self.records_dir(b));
        let now = self.records_dir(tip);
        if before == now {
            return Ok((Vec::new(), Vec::new()));
        }
        let diff = self.register_diff(before, now)?;
        let changed = self.records_changed_among(before, now, diff.names);
        let ids = (changed.into_iter())
            .filter_map(|(name, _, _)| ChangeId::from_file_name(&name))
            .collect();
        Ok((ids, diff.entries))
    }

    /// The entries that differ between two versions of a tree, either of which may
    /// be missing.
    fn differing(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<Differing>> {
        // Listed in this order, `new` is the last used and `old` the one before it.
        if let Some(tree) = old {
            self.listed(tree).ok_or_else(|| unreadable(tree))?;
        }
        let empty;
        let (old, new) = match new {
            Some(tree) => {
                let at = self.listed(tree).ok_or_else(|| unreadable(tree))?;
                let old = old.map(|_| self.listings.get(at - 1));
                (old, self.listings.get(at))
            }
            None => {
                empty = Listing::new(Vec::new());
                let old = old.and_then(|_| self.listings.last());
                (old, &empty)
            }
        };
        let held = |e: Option<crate::git::TreeEntry>| e.map(|e| (e.id, e.mode));
        Ok(Listing::diff(old, new)
            .into_iter()
            .filter_map(|(o, n)| {
                let name = String::from_utf8_lossy(o.or(n)?.name).into_owned();
                Some((name, held(o), held(n)))
            })
            .collect())
    }

    /// Paths that differ between two trees.
    pub fn changed_paths(
        &self,
        parent_tree: Option<ObjectId>,
        tree: ObjectId,
    ) -> Result<Vec<String>> {
        self.git.changed_paths(parent_tree, tree)
    }

    /// Whether a commit changes anything outside the register. The top level of the
    /// two trees usually settles it; only a register nested in a directory that
    /// also holds other files needs the full list of paths, read into `paths`.
    pub fn touches_work(
        &self,
        parent_tree: Option<ObjectId>,
        tree: ObjectId,
        paths: &mut Option<Box<[String]>>,
    ) -> Result<bool> {
        let top = self.git.changed_top_level(parent_tree, tree)?;
        if let Some(known) = self.work_at_top(&top, paths.as_deref()) {
            return Ok(known);
        }
        let changed = self.changed_paths(parent_tree, tree)?;
        let work = changed.iter().any(|p| !self.is_register_path(p));
        *paths = Some(changed.into());
        Ok(work)
    }

    /// [`Self::touches_work`] of a commit whose top-level entries named `top` differ
    /// from its parent's, given the paths it changes where they were read: `None`
    /// when it needs them and they were not.
    fn work_at_top(&self, top: &[String], paths: Option<&[String]>) -> Option<bool> {
        let register_top = self.dir().split('/').next().unwrap_or_default();
        if top
            .iter()
            .any(|n| n != crate::policy::FILE_NAME && n != register_top)
        {
            return Some(true);
        }
        if !(self.dir().contains('/') && top.iter().any(|n| n == register_top)) {
            return Some(false);
        }
        paths.map(|changed| changed.iter().any(|p| !self.is_register_path(p)))
    }

    fn is_register_path(&self, path: &str) -> bool {
        path == crate::policy::FILE_NAME
            || path
                .strip_prefix(self.dir())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The policy blob in a commit's tree, where there is one.
    pub fn policy_blob(&mut self, commit: ObjectId) -> Option<ObjectId> {
        self.guard(commit)?[0]
    }

    /// The policy a `.changes.toml` blob holds; `None` when it does not parse (a
    /// policy of an older chg, or a broken one).
    fn policy_in(&mut self, blob: ObjectId) -> Option<&Policy> {
        let git = self.git;
        self.policies
            .entry(blob)
            .or_insert_with(|| {
                let bytes = git.blob(blob)?;
                Policy::from_toml(&crate::git::lossy(&bytes)).ok()
            })
            .as_ref()
    }

    /// Whether the policy blob `blob` holds a policy that parses.
    pub fn parses(&mut self, blob: ObjectId) -> bool {
        self.policy_in(blob).is_some()
    }

    /// The policy that judges what was done under the policy blob `blob`: today's
    /// where that one does not parse, as nothing must pass for want of a readable
    /// policy.
    pub fn judging(&mut self, blob: ObjectId) -> Policy {
        let today = self.policy;
        self.policy_in(blob).unwrap_or(today).clone()
    }

    /// The policy as `.changes.toml` stood in a commit (the default policy where it
    /// was missing or unreadable): whom its roles named then.
    pub fn roster(&mut self, commit: Option<ObjectId>) -> &Policy {
        let blob = commit.and_then(|c| self.guard(c)?[0]);
        if let Some(blob) = blob {
            self.policy_in(blob);
        }
        let held = blob.and_then(|b| self.policies.get(&b)?.as_ref());
        held.unwrap_or(&self.empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scratch::Scratch;

    /// The file of a record titled `title`.
    fn record(title: &str) -> String {
        let mut record = crate::model::record::sample(Class::Normal);
        record.title = title.into();
        serde_yaml::to_string(&record).unwrap()
    }

    /// A version written by an earlier commit is known parsed and not read again when
    /// the next commit replaces it; let go of before it is used, it is read again.
    #[test]
    fn a_version_parsed_already_is_read_again_only_once_let_go() {
        let path = ".changes/2026/00xx/CHG-2026-0001.yaml";
        let repo = Scratch::init();
        repo.add(&[(path, &record("First"))]);
        repo.git(&["commit", "-q", "-m", "Propose"]);
        repo.add(&[(path, &record("Second"))]);
        repo.git(&["commit", "-q", "-m", "Retitle"]);
        let git = Git::discover(repo.path()).unwrap();
        let policy = Policy::from_toml("").unwrap();
        let mut trees = Trees::new(&git, &policy);
        let dir = |rev: &str| -> ObjectId {
            let id = repo.git(&["rev-parse", &format!("{rev}:.changes")]);
            id.trim().parse().unwrap()
        };
        let (before, now) = (dir("HEAD~1"), dir("HEAD"));
        let name = "CHG-2026-0001.yaml";
        let title = |parsed: Option<Rc<Parsed>>| parsed.unwrap().record.title.clone();

        let first = trees.changed_records(None, Some(before)).unwrap();
        let [(_, None, Some(created))] = &first[..] else {
            panic!("one record created")
        };
        assert!(created.bytes.is_some(), "never parsed, so read");
        assert_eq!(title(trees.record_in(name, created)), "First");

        let second = trees.changed_records(Some(before), Some(now)).unwrap();
        let [(_, Some(old), Some(new))] = &second[..] else {
            panic!("one record changed")
        };
        assert!(
            old.bytes.is_none(),
            "parsed when created, so not read again"
        );
        assert!(new.bytes.is_some());
        trees.parsed.clear();
        trees.parsed_order.clear();
        assert_eq!(title(trees.record_in(name, old)), "First");
        assert_eq!(title(trees.record_in(name, new)), "Second");
    }
}
