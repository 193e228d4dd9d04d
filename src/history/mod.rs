//! What git history says about the register: the facts the history rules judge.
//!
//! One walk over the commits in scope (since `baseline`, or a `--range`) gathers
//! them: which changes each commit names, which mainline (first-parent) commit
//! brought each commit in, which commit added each approval and who wrote it, and
//! records as they stood in given trees. Order is proven from ancestry and trees,
//! never from commit dates, which anyone can set.

use crate::error::Failure;
use crate::git::{Asked, CommitId, Dag, Git, Listed, ObjectId, Positions, STREAMED_FROM};
use crate::model::lifecycle::is_approved;
use crate::model::record::{same_email, Approval};
use crate::model::reference::{Pattern, References};
use crate::model::{ChangeId, ChangeKey, Status};
use crate::policy::{Policy, Verify};
use crate::progress::Progress;
use anyhow::Result;
use by_id::ById;
use cache::Cache;
use chrono::{DateTime, Utc};
use entries::Kind;
use facts::{Beside, Facts, Signed};
use std::collections::{BTreeSet, HashMap};
pub use trees::Trees;

mod approvers;
pub use approvers::Approvers;
mod by_id;
mod cache;
pub use cache::Kept;
pub mod entries;
mod facts;
pub mod filled;
mod intern;
pub use facts::origin;
pub use intern::Email;
mod listings;
mod trees;

/// What the rules need of one commit: its own facts, kept as the walk read them
/// (a long history holds hundreds of thousands), and where it stands in the walk.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    pub id: CommitId,
    /// The mainline (first-parent) commit that brought it in: itself when it is one.
    pub mainline: Option<CommitId>,
    /// Whether it changes anything besides the register (records, the policy): a
    /// commit that proposes or approves a change is not work on it. Answered only
    /// where a rule asks (work landing unapproved, an approver's own commits);
    /// `false` elsewhere.
    pub is_work: bool,
    /// A mainline merge that brings in commits no policy judged (made on a branch
    /// that began before the policy existed): it answers for them as if it were
    /// their work, so that starting a branch from old history is no way around the
    /// policy.
    pub answers: bool,
    facts: Box<Facts>,
}

/// The commit that added an entry (approval, transition, deployment) to a record.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub commit: CommitId,
    pub author_email: Email,
    pub committer_email: Email,
    /// For an approval: whether the approver was in the role as `.changes.toml`
    /// stood in the first parent.
    pub member_at_parent: bool,
    /// Who signed the commit, where the policy asks for signatures (boxed: a long
    /// history holds one attribution per entry, and most policies ask none).
    pub signed: Option<Box<Signed>>,
}

impl Attribution {
    /// Whether the commit vouches for `email` as the one who made the entry, as
    /// `verify` asks; else why not.
    pub fn vouches_for(&self, verify: Verify, email: &str) -> Result<(), String> {
        let short = self.commit.short();
        if verify == Verify::None {
            return Ok(());
        }
        if !same_email(&self.author_email, email) {
            return Err(format!(
                "added in {short}, authored by {}",
                self.author_email
            ));
        }
        if verify != Verify::CommitAuthor && !same_email(&self.committer_email, email) {
            return Err(format!(
                "added in {short}, committed by {}",
                self.committer_email
            ));
        }
        if verify == Verify::Signature {
            return match self.signed.as_deref() {
                Some(Signed::By(signer)) if same_email(signer, email) => Ok(()),
                Some(Signed::By(signer)) => Err(format!(
                    "added in {short}, signed with a key the signers file lists for {signer}"
                )),
                Some(Signed::Not(why)) => Err(format!("added in {short}, but {why}")),
                None => Err(format!("added in {short}, whose signature was not read")),
            };
        }
        Ok(())
    }
}

/// An entry that a commit altered or dropped after it was committed.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub commit: CommitId,
    pub change: ChangeId,
    pub kind: Kind,
    pub key: String,
}

/// An entry dated before the commit that wrote the version of its record it was added to.
#[derive(Debug, Clone)]
pub struct Backdated {
    pub commit: CommitId,
    pub change: ChangeId,
    pub kind: Kind,
    /// The digest of the entry (see [`entries`]), by which the record names it.
    pub hash: u64,
    pub by: Email,
    pub at: DateTime<Utc>,
    /// The author time of the commit that wrote the version it was added to.
    pub floor: DateTime<Utc>,
}

/// A commit that created a record.
#[derive(Debug, Clone)]
pub struct Creation {
    pub commit: CommitId,
    /// The version of the record it created.
    pub version: CommitId,
    pub author_email: Email,
    pub committer_email: Email,
}

impl Creation {
    /// Whether `email` authored or committed the record's creation.
    pub fn by(&self, email: &str) -> bool {
        same_email(&self.author_email, email) || same_email(&self.committer_email, email)
    }
}

/// A commit that changed the policy or the signers file, and what its change lacked.
#[derive(Debug, Clone)]
pub struct GuardChange {
    pub commit: CommitId,
    /// Why no change it names covers it; empty when one does.
    pub lacking: String,
}

/// What [`Landed::missing`] says when the change had no record at all where its work
/// landed (kept so in the cache, as the rest of what records lacked).
const NO_RECORD: &str = "a record";

/// Work for a change that reached the mainline while the record there lacked approvals.
#[derive(Debug, Clone)]
pub struct Landed {
    pub mainline: CommitId,
    pub commit: CommitId,
    pub change: ChangeId,
    pub missing: String,
}

impl Landed {
    /// Whether the change had no record at all where its work landed.
    pub fn had_no_record(&self) -> bool {
        self.missing == NO_RECORD
    }
}

/// A commit that names a change which was already inactive before it.
#[derive(Debug, Clone)]
pub struct InactiveReference {
    pub commit: CommitId,
    pub change: ChangeId,
    pub status: Status,
}

#[derive(Debug, Default)]
pub struct History {
    /// The commits a policy judged, each by the one in force for it.
    pub commits: Vec<CommitFacts>,
    /// The policies in force for commits, numbered from 1 by
    /// [`CommitFacts::judged_by`]: each commit is judged by the policy its first
    /// parent held, so tightening or adopting a policy leaves older commits' verdicts
    /// as they were.
    pub policies: Vec<Policy>,
    /// Who added each entry naming a person, keyed by record ID, kind and the
    /// digest of the entry's content (see [`entries`]).
    pub entries: HashMap<(ChangeKey, Kind, u64), Attribution>,
    pub rewritten: Vec<Rewrite>,
    pub backdated: Vec<Backdated>,
    /// The commits that created each record: more than one means two changes took
    /// one ID.
    pub created: HashMap<ChangeKey, Vec<Creation>>,
    /// Records removed, by the commit that removed them, with the digests of the
    /// entries they held then.
    pub removed: Vec<(CommitId, facts::Removed)>,
    /// Commits that changed the policy or the signers file.
    pub guarded: Vec<GuardChange>,
    pub landed: Vec<Landed>,
    pub inactive: Vec<InactiveReference>,
    /// Set when the clone is shallow: history before its boundary is not there.
    pub shallow: bool,
    /// Record files committed as something other than a regular file (a link, a
    /// submodule): by the commit, the change, and what it was. Never read.
    pub irregular: Vec<(CommitId, ChangeId, String)>,
    /// Where [`Reading::register`] asks: the non-merge commits that wrote, created
    /// or removed a record, newest first.
    pub register: Vec<CommitId>,
    /// By record, each mainline commit that wrote a version of it holding other
    /// duties written down than before, newest first: what it held (see [`filled`]),
    /// and when it was committed.
    pub holdings: HashMap<ChangeKey, Vec<Holding>>,
}

/// A version of a record a mainline commit wrote, reduced to what [`filled`] reads.
#[derive(Debug, Clone, Copy)]
pub struct Holding {
    pub committed: DateTime<Utc>,
    pub filled: u32,
    pub was: u32,
}

/// What the mainline history says of when a duty was first written down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Held {
    /// Since this mainline commit's committer time.
    Since(DateTime<Utc>),
    /// The newest committed version lacks it: what is on file is not committed yet.
    Uncommitted,
    /// History in scope does not say (the record was not written in it, or already
    /// held it where the history begins).
    Unknown,
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
        let f = &self.facts;
        involves(
            &f.author_email,
            &f.committer_email,
            &f.refs.co_authors,
            email,
        )
    }

    /// What its message says about changes and co-authors.
    pub fn refs(&self) -> &References {
        &self.facts.refs
    }

    /// Its subject: read for commits that name no change (where a missing
    /// reference is reported), empty for others.
    pub fn subject(&self) -> &str {
        self.facts.subject()
    }

    /// When it was committed, by its committer's clock; read for commits that name
    /// a change (judged against freezes) and those that name none.
    pub fn committed(&self) -> Option<DateTime<Utc>> {
        let at = self.facts.committed;
        DateTime::from_timestamp(at, 0).filter(|_| at != 0)
    }

    /// Its author: read for commits that name a change (where self-approval is
    /// judged) and those that name none (listed by the audit).
    pub fn author_email(&self) -> &str {
        &self.facts.author_email
    }

    /// Whether it is judged as work of its own: every commit but a merge, and a
    /// merge that answers for what it brings in.
    pub fn stands_alone(&self) -> bool {
        !self.facts.is_merge || self.answers
    }

    /// What `table` (built per policy in [`History::policies`]' order) holds for
    /// the policy in force for it.
    pub fn under<'t, T>(&self, table: &'t [T]) -> Option<&'t T> {
        let at = self.facts.judged_by.checked_sub(1)?;
        table.get(at as usize)
    }

    /// Paths changed against the first parent, read only where a rule needs them
    /// (H002 and H003 when the policy asks for them).
    pub fn paths(&self) -> &[String] {
        self.facts.paths.as_deref().unwrap_or_default()
    }
}

impl History {
    /// The commit that added approval `a` to the record of `id`.
    pub fn attribution(&self, id: &ChangeId, a: &Approval) -> Option<&Attribution> {
        self.entry(id, &entries::approval(a))
    }

    /// The commit that added `entry` to the record of `id`.
    pub fn entry(&self, id: &ChangeId, entry: &entries::Entry) -> Option<&Attribution> {
        self.entries.get(&(id.key(), entry.kind, entry.hash))
    }

    /// Since when the mainline has held the record of `id` with everything `need`
    /// names written down (see [`filled`]): the commit that last went from lacking
    /// some of it to holding all of it.
    pub fn held_since(&self, id: &ChangeId, need: u32) -> Held {
        let holds = |mask: u32| mask & need == need;
        let Some(versions) = self.holdings.get(&id.key()) else {
            return Held::Unknown;
        };
        if versions.first().is_some_and(|v| !holds(v.filled)) {
            return Held::Uncommitted;
        }
        versions
            .iter()
            .find(|v| holds(v.filled) && !holds(v.was))
            .map_or(Held::Unknown, |v| Held::Since(v.committed))
    }

    /// Who created the record of `id`, as the oldest commit in scope that added it says.
    pub fn creator(&self, id: &ChangeId) -> Option<&Creation> {
        self.created.get(&id.key())?.last()
    }
}

/// Which commits a check reads: from `tip`, hiding everything reachable from `hidden`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// `None` in a repository with no commit yet: only the records are checked.
    pub tip: Option<String>,
    pub hidden: Vec<String>,
    /// The tip is a branch other than the mainline (a push to a feature branch):
    /// nothing in scope lands, so work landing before its approval (H004) is left to
    /// the check of the merge.
    pub branch_only: bool,
    /// What the person running the check should know about the scope.
    pub notes: Vec<String>,
}

impl Scope {
    /// `A..B` for a range, else HEAD; history before the policy's baseline is left out.
    pub fn resolve(git: &Git, policy: &Policy, range: Option<&str>) -> Result<Scope> {
        let mut scope = Scope::default();
        if let Some(baseline) = &policy.changes.baseline {
            // A name that moves (`HEAD`, a branch, a tag) would hide the very commit
            // that set it, and every commit after: only a commit's own id is taken.
            if !crate::git::is_full_id(baseline) {
                return Err(Failure::input(format!(
                    "changes.baseline in .changes.toml is `{baseline}`, not a full commit id"
                ))
                .hint("set it to the full id of a commit (`git rev-parse <commit>` prints it); a branch, tag or HEAD moves")
                .into());
            }
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

/// Why a walk whose commit `commit` git listed with other parents than its own
/// cannot be used: the history git walked is not the one its commits make.
fn misled(commit: CommitId) -> anyhow::Error {
    walk_unproven(format!(
        "git listed commit {} with other parents than the commit names: \
         the history it walked is not the one its commits make, and cannot be proven",
        commit.short()
    ))
    .into()
}

/// Why a walk that left out `commit`, as history before where the check starts,
/// cannot be used: nothing there reaches it.
fn misled_start(commit: CommitId) -> anyhow::Error {
    walk_unproven(format!(
        "git left commit {} out of the check, taking it for history before where the \
         check starts, but nothing there reaches it: what git left out cannot be proven",
        commit.short()
    ))
    .into()
}

/// A walk of git's that its commits do not bear out, and where such walks come from.
fn walk_unproven(message: String) -> Failure {
    Failure::input(message)
        .hint("git's commit-graph file (under .git/objects/info) may be stale or altered: check it with `git commit-graph verify`, or remove it, and run again")
        .hint("a grafts file (.git/info/grafts, or the one GIT_GRAFT_FILE names) rewrites parents the same way")
}

/// git leaves out of a scope with a start point (a range's base, a push's remote
/// tip, the baseline) what it reaches from there, walking by parents it may take from
/// its commit-graph file (or a grafts file). The commits just outside the walk
/// (parents of listed ones that git did not list, or the tip itself) must be reached
/// from the start by the commits themselves: the listed ones' own parents are
/// compared as they are read, so nothing in scope is left out unseen.
fn prove_start(git: &Git, dag: &Dag, positions: &Positions, scope: &Scope) -> Result<()> {
    if scope.hidden.is_empty() {
        return Ok(());
    }
    let start: Vec<CommitId> = (scope.hidden.iter())
        .filter_map(|h| h.parse().ok())
        .collect();
    let tip: Option<CommitId> = scope.tip.as_deref().and_then(|t| t.parse().ok());
    let unlisted = |c: &CommitId| positions.get(c).is_none();
    let mut beyond: Vec<CommitId> = (dag.commits.iter().enumerate())
        .flat_map(|(at, c)| {
            let first = c
                .first_parent
                .filter(|_| first_parent_at(dag, positions, at).is_none());
            first
                .into_iter()
                .chain(dag.merged(c).iter().copied().filter(unlisted))
        })
        .chain(tip.filter(unlisted))
        .filter(|c| !start.contains(c))
        .collect();
    if beyond.is_empty() {
        return Ok(());
    }
    beyond.sort_unstable();
    beyond.dedup();
    match git.unreached(&beyond, &scope.hidden)? {
        Some(commit) => Err(misled_start(commit)),
        None => Ok(()),
    }
}

/// Where the first parent of the commit at `at` is in the walk, if it is in it. git
/// lists most commits just before their first parent: found there, it is not looked
/// up (each lookup misses the processor's caches, a million times in a long history).
fn first_parent_at(dag: &Dag, positions: &Positions, at: usize) -> Option<usize> {
    let parent = dag.commits[at].first_parent.as_ref()?;
    match dag.commits.get(at + 1) {
        Some(next) if next.id == *parent => Some(at + 1),
        _ => positions.get(parent).map(|i| i as usize),
    }
}

/// For each commit, the mainline (first-parent) commit that brought it in: itself
/// for mainline commits; for others, the oldest mainline merge that reaches them.
fn brought_by(dag: &Dag, positions: &Positions, tip: Option<CommitId>) -> Vec<Option<u32>> {
    let position = |p: &CommitId| positions.get(p).map(|i| i as usize);
    // Parents outside the scope (hidden, or beyond a shallow clone) are left out.
    let within =
        |ps: &[CommitId], stack: &mut Vec<usize>| stack.extend(ps.iter().filter_map(position));
    let first_parent = |i: usize| first_parent_at(dag, positions, i);
    let mut mainline = Vec::new();
    let mut at = tip.as_ref().and_then(position);
    while let Some(i) = at {
        mainline.push(i);
        at = first_parent(i);
    }
    let mut owner: Vec<Option<u32>> = vec![None; dag.commits.len()];
    for &m in &mainline {
        owner[m] = Some(m as u32);
    }
    let mut stack = Vec::new();
    for &m in mainline.iter().rev() {
        within(dag.merged(&dag.commits[m]), &mut stack);
        while let Some(i) = stack.pop() {
            if owner[i].is_some() {
                continue;
            }
            owner[i] = Some(m as u32);
            within(dag.merged(&dag.commits[i]), &mut stack);
            stack.extend(first_parent(i));
        }
    }
    owner
}

/// Where checks keep what they read of history.
fn cache_dir(git: &Git) -> std::path::PathBuf {
    git.chg_dir().join("cache")
}

/// What decides where records and signers are read, and whether signatures are:
/// the cache is kept per these (the policy that judges each commit is kept with its
/// facts).
fn cache_settings(p: &Policy) -> [&str; 3] {
    let signatures = p.approvals.verify == Verify::Signature;
    [
        &p.changes.dir,
        &p.approvals.signers,
        if signatures { "signatures" } else { "" },
    ]
}

/// The cache files a check under `policy` would find, the one it would read counted.
pub fn kept_caches(git: &Git, policy: &Policy) -> Vec<Kept> {
    cache::kept(&cache_dir(git), &cache_settings(policy))
}

/// Reads history from `tip`, leaving out everything reachable from `hidden`.
pub struct Reader<'a> {
    git: &'a Git,
    policy: &'a Policy,
    trees: Trees<'a>,
    cache: Cache,
    /// Whether to use and keep the cache, for a scope large enough to gain by it.
    keep: bool,
    /// Whether every commit naming a change is asked whether it carries work.
    work: bool,
    /// See [`Reading::complete`].
    complete: bool,
    /// See [`Reading::register`].
    register: bool,
}

/// How many bytes of the cache file are read (about 18 ns each) in the time it takes
/// to read one commit and its trees from git (about 0.6 ms): measured on the
/// benchmark's repositories of 100,000 and 1,000,000 commits.
const CACHE_BYTES_PER_COMMIT_READ: u64 = 32 * 1024;

/// What a progress meter of [`Walk::read`] says is going on.
pub const READING: &str = "reading history";

/// How a history is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    /// Use and keep the facts of earlier reads (see [`Reader::keeping`]).
    pub cached: bool,
    /// Tell, for every commit naming a change, whether it carries work: the audit
    /// dates implementation by the first that does.
    pub work: bool,
    /// Refuse a scope that a shallow clone cut: what is beyond its boundary cannot
    /// be proven, so a check must not pass on it.
    pub complete: bool,
    /// List the commits that changed records ([`History::register`]): a change's
    /// story is told from them and the commits that name it.
    pub register: bool,
}

impl<'a> Reader<'a> {
    /// A reader that takes everything from git and keeps nothing.
    pub fn new(git: &'a Git, policy: &'a Policy) -> Reader<'a> {
        Reader {
            git,
            policy,
            trees: Trees::new(git, policy),
            cache: Cache::unkept(),
            keep: false,
            work: false,
            complete: false,
            register: false,
        }
    }

    /// Reads as `reading` says.
    pub fn with(git: &'a Git, policy: &'a Policy, reading: Reading) -> Reader<'a> {
        let mut reader = Reader::new(git, policy);
        reader.work = reading.work;
        reader.complete = reading.complete;
        reader.register = reading.register;
        // Keeps what it reads under `.git/chg/cache/`, and reads from git only the
        // commits an earlier check has not seen.
        reader.keep = reading.cached;
        reader
    }

    /// Lists the commits in `scope` and reads them: [`Self::list`], then [`Walk::read`].
    pub fn read(self, scope: &Scope, approvers: &Approvers) -> Result<History> {
        self.list(scope)?.read(approvers, &mut Progress::hidden())
    }

    /// Lists the commits in `scope`; nothing is read of them yet, so the caller can
    /// see how much [`Walk::read`] will take from git.
    pub fn list(mut self, scope: &Scope) -> Result<Walk<'a>> {
        // Root trees are found ahead for a first reading of a whole history (from
        // git's commit-graph file, else listed by git, which then reads every
        // commit). A walk that stops at `hidden` commits has git hold every commit it
        // lists until the end.
        let (dir, settings) = (cache_dir(self.git), cache_settings(self.policy));
        let cached = match self.keep {
            true => cache::size(&dir, &settings),
            false => 0,
        };
        let roots = scope.hidden.is_empty() && cached == 0;
        let (dag, positions) = match scope.tip.as_deref() {
            Some(tip) => self.git.rev_list(tip, &scope.hidden, roots)?,
            None => (Dag::default(), Positions::of(std::iter::empty())),
        };
        if self.complete && self.git.is_shallow() {
            let boundary = self.git.shallow_boundary();
            if let Some(cut) = dag.commits.iter().find(|c| boundary.contains(&c.id)) {
                let baseline = scope.notes.iter().filter(|n| n.contains("baseline"));
                let also: String = baseline.map(|n| format!(" ({n})")).collect();
                return Err(Failure::input(format!(
                    "this shallow clone's history stops at {} inside the checked history{also}: \
                     what lies beyond it cannot be proven",
                    cut.id.short()
                ))
                .hint("fetch the whole history with `git fetch --unshallow` (in CI, clone with full depth, e.g. `fetch-depth: 0`)")
                .hint("or check only what is here, with `chg check --range A..B` inside it")
                .into());
            }
        }
        if self.keep {
            // The cache is read whole: a scope that git reads faster (a push, a
            // short range) is read from git, and what it reads is not kept.
            if (dag.commits.len() as u64).saturating_mul(CACHE_BYTES_PER_COMMIT_READ) >= cached {
                self.cache = Cache::open(dir, &settings);
            }
        }
        prove_start(self.git, &dag, &positions, scope)?;
        let brought_by = brought_by(
            &dag,
            &positions,
            scope.tip.as_deref().and_then(|t| t.parse().ok()),
        );
        let unread: Vec<bool> = (dag.commits.iter())
            .map(|c| !self.cache.knows(&c.id))
            .collect();
        Ok(Walk {
            reader: self,
            dag,
            brought_by,
            unread,
            branch_only: scope.branch_only,
            hidden: scope.hidden.clone(),
        })
    }
}

/// The commits of a scope, listed and not yet read.
pub struct Walk<'a> {
    reader: Reader<'a>,
    /// Newest first.
    dag: Dag,
    brought_by: Vec<Option<u32>>,
    /// By walk position: whether no earlier check read the commit.
    unread: Vec<bool>,
    branch_only: bool,
    /// Where the scope starts (the baseline, a range's base).
    hidden: Vec<String>,
}

impl<'a> Walk<'a> {
    /// How many of the commits no earlier check has read: each costs a read of its
    /// trees from git.
    pub fn unread(&self) -> usize {
        self.unread.iter().filter(|&&u| u).count()
    }

    /// How many commits are in scope.
    pub fn in_scope(&self) -> usize {
        self.dag.commits.len()
    }

    /// How much of the scope is read from git, for `-v`.
    pub fn described(&self) -> String {
        format!(
            "history: {} commits in scope, {} of them read from git",
            self.in_scope(),
            self.unread()
        )
    }

    /// `approvers` names, per change, who approved it in the register: only their
    /// commits need the (costly) question of whether they carried work. `progress`
    /// counts the commits read from git, [`Self::unread`] of them.
    pub fn read(mut self, approvers: &Approvers, progress: &mut Progress) -> Result<History> {
        self.read_facts(progress)?;
        self.assemble(approvers)
    }

    /// Reads from git the facts of the commits no earlier check has read.
    pub fn read_facts(&mut self, progress: &mut Progress) -> Result<()> {
        let count = self.unread();
        let this = &mut self.reader;
        let dag = &self.dag;
        // How each policy in force names changes and whether its rules read paths,
        // by its number.
        let mut judges: HashMap<u32, (Pattern, bool)> = HashMap::new();
        // Oldest first, so that a parent's tree is known when its child is read.
        let boundary = this.git.shallow_boundary();
        // Walked again rather than listed: at a million commits, a list of them
        // is tens of MB held through the whole reading.
        let unread = || {
            (dag.commits.iter().enumerate().zip(&self.unread))
                .filter_map(|(c, u)| u.then_some(c))
                .rev()
        };
        let commits = (this.git).commits(unread().map(|(at, c)| (c.id, dag.root(at))), count);
        // The paths each commit changes, compared by git beside the check when the
        // policy reads them; a merge's are compared by chg, against its base.
        let mut changed = (this.policy.reads_paths())
            .then(|| comparisons(dag, unread()))
            .filter(|asked| asked.len() >= STREAMED_FROM)
            .and_then(|asked| this.git.changed_paths_of(asked));
        // By the walk position of the mainline commit that brings them in: the
        // changes named by the commits it brings, read before it.
        let mut brought: HashMap<u32, Vec<ChangeId>> = HashMap::new();
        for ((at, listed), commit) in unread().zip(commits) {
            let crate::git::ReadCommit { commit, root } = commit?;
            // git walks by parents it may take from its commit-graph file, a local
            // cache it does not check: the walk stands only if each commit's own
            // parents are those git followed (a shallow clone's boundary has none).
            if !dag.lists_parents(listed, &commit.parents) && !boundary.contains(&listed.id) {
                return Err(misled(listed.id));
            }
            let paths = (changed.as_mut())
                .filter(|_| !listed.is_merge())
                .and_then(|c| c.next());
            let (number, via) = this.in_force(listed, dag.merged(listed));
            if number != 0 && !judges.contains_key(&number) {
                let policy = this.numbered(number);
                let pattern = Pattern::new(policy.reference_pattern());
                judges.insert(number, (pattern, policy.reads_paths()));
            }
            let blob =
                (number.checked_sub(1)).and_then(|at| this.cache.policies().get(at as usize));
            let judge = judges
                .get(&number)
                .zip(blob)
                .map(|((pattern, paths), blob)| facts::Judge {
                    number,
                    pattern,
                    paths: *paths,
                    blob: *blob,
                });
            let mut facts = Facts::read(
                &mut this.trees,
                &commit,
                Beside { root, paths },
                listed,
                judge.as_ref(),
                via,
            )?;
            if boundary.contains(&listed.id) {
                facts.cut_off();
            }
            // What each change it names lacked here, asked later if work it brings
            // lands on the mainline here: answered now, while its trees are the ones
            // last read. The same for the changes that the commits a merge brings in
            // name, asked of the merge: those commits are read before it.
            let mainline = self.brought_by[at] == Some(at as u32);
            let mut owed = match judge.is_some() && mainline && !listed.is_merge() {
                true => facts.refs.ids.to_vec(),
                false => Vec::new(),
            };
            if mainline {
                owed.extend(brought.remove(&(at as u32)).unwrap_or_default());
            } else if let Some(m) = self.brought_by[at].filter(|_| !self.branch_only) {
                brought
                    .entry(m)
                    .or_default()
                    .extend_from_slice(&facts.refs.ids);
            }
            // Written into its facts before they go to the cache, which then need not
            // be asked for them again.
            let under = judge.as_ref().map(|j| (j.number, j.blob));
            for change in &owed {
                if facts.lacked(change).is_none() {
                    facts.lack(change, this.trees.lacking(listed.id, change, under));
                }
            }
            this.cache.insert(listed.id, facts);
            progress.step();
        }
        this.cache.settle();
        self.unread.iter_mut().for_each(|u| *u = false);
        // Each commit is read now: its root's id is not asked again.
        self.dag.forget_roots();
        Ok(())
    }

    /// The changes the scope has to do with, once its facts are read: those its
    /// commits name, whose entries they add or alter, that they create or remove,
    /// and whose record differs between where the scope starts and its tip; with the
    /// entries of the records directory that differ there (paths under it, git modes).
    pub fn changes(&mut self) -> Result<(BTreeSet<ChangeId>, trees::Entries)> {
        let mut entries = Vec::new();
        let mut changes = BTreeSet::new();
        for listed in &self.dag.commits {
            let Some(facts) = self.reader.cache.get(&listed.id) else {
                continue;
            };
            changes.extend(facts.refs.ids.iter().cloned());
            changes.extend(facts.entries().iter().map(|e| e.change.clone()));
            changes.extend(facts.rewritten().iter().map(|r| r.change.clone()));
            changes.extend(facts.created().iter().map(|(c, _)| c.clone()));
            changes.extend(facts.removed().iter().map(|r| r.change.clone()));
            changes.extend(facts.filled().iter().map(|f| f.change.clone()));
        }
        if let Some(tip) = self.dag.commits.first() {
            let tip = tip.id;
            // A base that is no commit id holds no register, as one without a
            // records directory.
            let bases: Vec<Option<CommitId>> = match self.hidden.as_slice() {
                [] => vec![None],
                hidden => hidden.iter().map(|h| h.parse().ok()).collect(),
            };
            for base in bases {
                let (ids, differing) = self.reader.trees.register_differing(base, tip)?;
                changes.extend(ids);
                entries.extend(differing);
            }
        }
        Ok((changes, entries))
    }

    /// The history of the scope, its facts read ([`Self::read_facts`]).
    pub fn assemble(self, approvers: &Approvers) -> Result<History> {
        let Walk {
            reader: mut this,
            dag,
            brought_by,
            unread: _,
            branch_only,
            hidden,
        } = self;

        let mut history = History {
            shallow: this.git.is_shallow(),
            ..History::default()
        };
        let rules: Vec<String> = std::iter::once(String::new())
            .chain(
                (1..=this.cache.policies().len() as u32).map(|n| commit_rules(&this.numbered(n))),
            )
            .collect();
        // Each commit's facts by walk position, looked up once for the passes that
        // only read them, not once in each: a long history's facts are spread over
        // memory, and each lookup is a few misses of the processor's cache.
        let read: Vec<Option<&Facts>> = (dag.commits.iter())
            .map(|c| this.cache.get(&c.id))
            .collect();
        let answers = answering(&dag, &brought_by, &read, &this.cache, &rules);
        // By walk position, for the commits a rule may ask about: whether each
        // carries work (where a rule asked).
        let mut work: Vec<Option<bool>> = vec![None; dag.commits.len()];
        history.backdated = backdated(&dag, &read);
        // By walk position, commits that changed the policy, with the changes they name.
        let mut guards = Vec::new();
        // Each record created in scope, once.
        let mut created_here: Vec<ChangeId> = Vec::new();
        // What each commit wrote into the register. Asking a merge for its paths (below)
        // changes none of it.
        let mut asked = Vec::new();
        for (i, (listed, facts)) in dag.commits.iter().zip(&read).enumerate() {
            let commit = &listed.id;
            if answers[i] || facts.is_some_and(Facts::is_relevant) {
                asked.push(i);
            }
            let Some(facts) = facts else {
                continue;
            };
            let wrote = !facts.written().is_empty()
                || !facts.created().is_empty()
                || !facts.removed().is_empty();
            if this.register && wrote && !facts.is_merge {
                history.register.push(*commit);
            }
            (history.irregular).extend(
                facts
                    .irregular()
                    .iter()
                    .map(|(c, what)| (*commit, c.clone(), what.clone())),
            );
            // Newest first: the oldest commit that added an entry is the one kept.
            for a in facts.entries() {
                let key = (a.change.key(), a.kind, a.hash);
                history.entries.insert(
                    key,
                    Attribution {
                        commit: *commit,
                        author_email: facts.author_email.clone(),
                        committer_email: facts.committer_email.clone(),
                        member_at_parent: a.member_at_parent,
                        signed: facts.signed().cloned().map(Box::new),
                    },
                );
            }
            history
                .rewritten
                .extend(facts.rewritten().iter().map(|r| Rewrite {
                    commit: *commit,
                    change: r.change.clone(),
                    kind: r.kind,
                    key: r.key.clone(),
                }));
            for (change, version) in facts.created() {
                if !history.created.contains_key(&change.key()) {
                    created_here.push(change.clone());
                }
                let creation = Creation {
                    commit: *commit,
                    version: *version,
                    author_email: facts.author_email.clone(),
                    committer_email: facts.committer_email.clone(),
                };
                let all = history.created.entry(change.key()).or_default();
                // The same version created twice is one creation copied (a
                // cherry-pick onto a release branch): the older commit stands.
                match all.iter_mut().find(|c| c.version == *version) {
                    Some(copy) => *copy = creation,
                    None => all.push(creation),
                }
            }
            (history.removed).extend(facts.removed().iter().map(|r| (*commit, r.clone())));
            if brought_by[i] == Some(i as u32) {
                let committed = DateTime::from_timestamp(facts.landed(), 0).unwrap_or_default();
                for f in facts.filled() {
                    history
                        .holdings
                        .entry(f.change.key())
                        .or_default()
                        .push(Holding {
                            committed,
                            filled: f.now,
                            was: f.was,
                        });
                }
            }
            if facts.guarded() {
                guards.push((i, facts.refs.ids.clone()));
            }
            history
                .inactive
                .extend(
                    facts
                        .inactive()
                        .iter()
                        .map(|(change, status)| InactiveReference {
                            commit: *commit,
                            change: change.clone(),
                            status: *status,
                        }),
                );
        }
        drop(read);
        // Whether the commits a rule may ask about carry work, and what the changes
        // they name lacked where their work landed. A merge asked for its paths has
        // facts from then on.
        let mut numbering = approvers.numbering();
        for i in asked {
            let listed = &dag.commits[i];
            let commit = &listed.id;
            if answers[i] {
                this.answering_merge(listed)?;
            }
            let Some(facts) = this.cache.get(commit) else {
                continue;
            };
            let involves_approver = numbering.approved_any(
                [&facts.author_email, &facts.committer_email],
                &facts.refs.co_authors,
                &facts.refs.ids,
            );
            let changes = facts.refs.ids.clone();
            let asked = this.work && !changes.is_empty();
            let mainline = brought_by[i].map(|m| dag.commits[m as usize].id);
            let mut lacking = Vec::new();
            if let Some(m) = mainline.filter(|_| !branch_only) {
                for change in changes {
                    let missing = this.lacking(m, &change);
                    if !missing.is_empty() {
                        lacking.push((m, change, missing));
                    }
                }
            }
            let is_work = if asked || !lacking.is_empty() || involves_approver {
                this.is_work(listed, answers[i])?
            } else {
                false
            };
            if is_work {
                history
                    .landed
                    .extend(
                        lacking
                            .into_iter()
                            .map(|(mainline, change, missing)| Landed {
                                mainline,
                                commit: *commit,
                                change,
                                missing,
                            }),
                    );
            }
            work[i] = Some(is_work);
        }
        for (i, names) in guards {
            let mainline = brought_by[i].map(|m| dag.commits[m as usize].id);
            let parent = dag.commits[i].first_parent;
            let lacking = match mainline.filter(|_| !branch_only) {
                Some(m) => this.guard_lacking(m, parent, &names, &history),
                None => String::new(),
            };
            history.guarded.push(GuardChange {
                commit: dag.commits[i].id,
                lacking,
            });
        }
        for id in created_here {
            for base in hidden.iter().filter_map(|h| h.parse().ok()) {
                if let Some(held) = this.held_as_another(base, &id, &history) {
                    history.created.entry(id.key()).or_default().push(held);
                }
            }
        }
        // A shallow clone's boundary commits look like root commits: what they seem to
        // add would be wrong once the clone is deepened, so nothing is kept.
        let keep = !history.shallow;
        history.policies = (1..=this.cache.policies().len() as u32)
            .map(|n| this.numbered(n))
            .collect();
        let mut known = this.cache.finish(keep, dag.commits.iter().map(|c| c.id));
        // What only the walk needed goes before the facts are handed over.
        drop(this.trees);
        let relevant = work.iter().filter(|w| w.is_some()).count();
        history.commits.reserve_exact(relevant);
        for (i, listed) in dag.commits.iter().enumerate() {
            let Some(is_work) = work[i] else { continue };
            let Some(facts) = known.remove(&listed.id) else {
                continue;
            };
            history.commits.push(CommitFacts {
                id: listed.id,
                mainline: brought_by[i].map(|m| dag.commits[m as usize].id),
                is_work,
                answers: answers[i],
                facts,
            });
        }
        Ok(history)
    }
}

/// What git is asked to compare for each of `unread` (by walk position, oldest
/// first) that is not a merge: its first parent's root tree and its own, where both
/// were found ahead, else the commit itself (a root commit too: `--root`).
fn comparisons<'d>(dag: &Dag, unread: impl Iterator<Item = (usize, &'d Listed)>) -> Vec<Asked> {
    // Root trees found ahead, by commit, held as the walk holds commits' trees: a
    // parent is usually listed before its children here, and most often just before.
    let mut roots = ById::new(trees::FIRST_SLOTS, trees::SLOTS);
    let mut asked = Vec::new();
    for (at, commit) in unread {
        let root = dag.root(at);
        if let Some(root) = root {
            roots.put(commit.id, root);
        }
        if commit.is_merge() {
            continue;
        }
        let parent = (commit.first_parent).and_then(|p| roots.get(&p).copied());
        asked.push(match parent.zip(root) {
            Some((old, new)) => Asked::Trees(old, new),
            None => Asked::Commit(commit.id),
        });
    }
    asked
}

/// What of a policy judges a commit on its own: two policies that agree on it judge
/// every commit alike (a roster or a comment may differ).
fn commit_rules(policy: &Policy) -> String {
    let rules = (
        &policy.commits,
        &policy.changes.id_prefix,
        &policy.freeze.recurring,
    );
    serde_json::to_string(&rules).unwrap_or_default()
}

/// By walk position, the mainline merges that answer for what they bring in: those a
/// policy judged that bring in commits judged otherwise — by no policy (a branch begun
/// before adoption), or by a policy whose rules for commits differ from the merge's (a
/// branch begun before a rule was tightened, or one that loosened it): what lands
/// meets the rules in force where it lands. `read` holds each commit's facts by walk
/// position, `rules` [`commit_rules`] by policy number ("" for none).
fn answering(
    dag: &Dag,
    brought_by: &[Option<u32>],
    read: &[Option<&Facts>],
    cache: &Cache,
    rules: &[String],
) -> Vec<bool> {
    // A commit with facts is judged by the policy they name; a quiet one, by the
    // group the cache lists it in.
    let rules_of = |at: usize| {
        let number = match read[at] {
            Some(facts) => facts.judged_by,
            None => cache.judged_by(&dag.commits[at].id)?,
        };
        Some((number, rules.get(number as usize)?))
    };
    // A merge judged through a parent other than its first answers for its first
    // parent's side, which no policy judged.
    let mut answers: Vec<bool> = (read.iter())
        .map(|facts| facts.and_then(Facts::judged_via).is_some())
        .collect();
    for (i, by) in brought_by.iter().enumerate() {
        let Some(m) = by.map(|m| m as usize).filter(|&m| m != i) else {
            continue;
        };
        if answers[m] {
            continue;
        }
        if let (Some((_, own)), Some((landing, theirs))) = (rules_of(i), rules_of(m)) {
            answers[m] = landing != 0 && own != theirs;
        }
    }
    answers
}

/// How far an entry's time may precede the commit it builds on before it counts as
/// back-dated: clocks of different machines disagree by minutes.
const CLOCK_SKEW: i64 = 10 * 60;

/// Approvals and moves dated before the author time of the commit that first wrote
/// the version of their record they were added to: the commit an entry's commit
/// builds on bounds when the entry was made. Author times survive a rebase, so
/// rebasing a branch does not make its entries look back-dated. Deployments and
/// gate evidence are facts of the world, often written down after they happened (an
/// emergency documented within its deadline, a pipeline that records its own runs),
/// and so is a move recorded with a deployment of the same person and time: none of
/// them is judged. Read oldest first, from `read`, each commit's facts by walk
/// position.
fn backdated(dag: &Dag, read: &[Option<&Facts>]) -> Vec<Backdated> {
    // Each version of a record, by the author time of the commit that first wrote it
    // (or, for one that only added approvals, of the version it was written over).
    let mut written: HashMap<CommitId, i64> = HashMap::new();
    // Entries already added by an older commit: one put back (a revert, a mended
    // record) was bounded when it was first added.
    let mut added: std::collections::HashSet<(ChangeKey, u64)> = Default::default();
    let mut found = Vec::new();
    for (listed, facts) in dag.commits.iter().zip(read).rev() {
        let Some(facts) = facts else {
            continue;
        };
        let deployed = |a: &facts::Added| {
            (facts.entries().iter())
                .any(|d| d.kind == Kind::Deployment && d.by == a.by && d.at == a.at)
        };
        let judged = |a: &&facts::Added| match a.kind {
            Kind::Approval => true,
            Kind::Transition => !deployed(a),
            Kind::Deployment | Kind::Evidence | Kind::GateEvidence => false,
        };
        for a in facts.entries().iter().filter(judged) {
            if !added.insert((a.change.key(), a.hash)) {
                continue;
            }
            let Some(&floor) = a.after.and_then(|v| written.get(&v)) else {
                continue;
            };
            if a.at + CLOCK_SKEW < floor {
                found.push(Backdated {
                    commit: listed.id,
                    change: a.change.clone(),
                    kind: a.kind,
                    hash: a.hash,
                    by: a.by.clone(),
                    at: DateTime::from_timestamp(a.at, 0).unwrap_or_default(),
                    floor: DateTime::from_timestamp(floor, 0).unwrap_or_default(),
                });
            }
        }
        for w in facts.written() {
            let inherited = w.from.filter(|_| w.approvals_only);
            let floor = match inherited.and_then(|from| written.get(&from)) {
                Some(&floor) => floor,
                None => facts.authored(),
            };
            written.entry(w.version).or_insert(floor);
        }
    }
    found
}

impl Reader<'_> {
    /// The record of `id` that the scope's `base` holds, when it is another change
    /// than the one the scope created under that ID: two changes took one ID, which a
    /// pull request's check should say before the merge makes one of them vanish.
    /// Listed as a creation with no author, since it was created before the scope.
    fn held_as_another(
        &mut self,
        base: CommitId,
        id: &ChangeId,
        history: &History,
    ) -> Option<Creation> {
        let file = id.file_name();
        let held = self.trees.record_version(base, id)?;
        // The same change, whatever its version (its proposal cherry-picked onto the
        // base and edited there), is no second change.
        let origin_of = |v: &CommitId| self.trees.record_of_version(&file, v).map(|r| origin(&r));
        let base_origin = origin_of(&held);
        let same = (history.created.get(&id.key()).into_iter().flatten()).any(|c| {
            c.version == held || (base_origin.is_some() && origin_of(&c.version) == base_origin)
        });
        (!same).then(|| Creation {
            commit: base,
            version: held,
            author_email: Email::default(),
            committer_email: Email::default(),
        })
    }

    /// Why none of the changes `names` covers a change of the policy (whose first
    /// parent is `parent`) brought in by `mainline`; empty when one does. The change
    /// must be of a class `[changes] policy_classes` names and approved in that
    /// commit's tree — judged by the policy as it stood before the change (so nobody
    /// approves the edit that makes them an approver), counting only approvals whose
    /// commits prove who gave them (so none is forged in the same commit).
    fn guard_lacking(
        &mut self,
        mainline: CommitId,
        parent: Option<CommitId>,
        names: &[ChangeId],
        history: &History,
    ) -> String {
        if names.is_empty() {
            return "it names no change".into();
        }
        let before = self.trees.roster(parent).clone();
        let mut why = Vec::new();
        for id in names {
            let Some(mut record) = self.trees.record_at(mainline, id) else {
                why.push(format!("{id} has no record there"));
                continue;
            };
            if !before.changes.policy_classes.contains(&record.class) {
                why.push(format!("{id} is a {} change", record.class));
                continue;
            }
            if !is_approved(record.status) {
                why.push(format!("{id} is {}", record.status));
                continue;
            }
            // An approval no commit in scope added was committed before the scope
            // (the baseline, or a range's base), where its own check judged it.
            let earlier = parent
                .and_then(|p| self.trees.record_at(p, id))
                .map(|r| r.approvals)
                .unwrap_or_default();
            let verify = before.approvals.verify;
            record
                .approvals
                .retain(|a| match history.attribution(id, a) {
                    Some(at) => at.vouches_for(verify, &a.by).is_ok(),
                    None => earlier.contains(a),
                });
            let missing = crate::policy::approval::state(&record, &before).missing();
            if missing.is_empty() {
                return String::new();
            }
            why.push(format!(
                "{id} lacks a proven approval from {} under the policy before it",
                missing.join(", ")
            ));
        }
        why.join("; ")
    }

    /// What the record of `change` lacked in `mainline`'s tree for work on it to
    /// land there; empty when nothing (an emergency change needs nothing first).
    fn lacking(&mut self, mainline: CommitId, change: &ChangeId) -> String {
        let known = self.cache.get(&mainline).and_then(|f| f.lacked(change));
        if let Some(known) = known {
            return known.to_string();
        }
        // Judged by the policy in force for the mainline commit.
        let number = self.cache.judged_by(&mainline).unwrap_or(0);
        let under = (number.checked_sub(1))
            .and_then(|at| self.cache.policies().get(at as usize))
            .map(|blob| (number, *blob));
        let missing = self.trees.lacking(mainline, change, under);
        (self.cache.get_mut(mainline, number)).lack(change, missing.clone());
        missing
    }

    /// Whether a commit changes anything outside the register (merges count only
    /// when they answer for what they bring in: else the commits they bring in are
    /// judged themselves).
    fn is_work(&mut self, listed: &Listed, answers: bool) -> Result<bool> {
        let id = listed.id;
        let Some(facts) = self.cache.get(&id) else {
            return Ok(false);
        };
        if facts.is_merge && !answers {
            return Ok(false);
        }
        if let Some(known) = facts.is_work {
            return Ok(known);
        }
        let mut paths = facts.paths.clone();
        let number = facts.judged_by;
        let (tree, parent_tree) = self.against_base(listed)?;
        let is_work = self.trees.touches_work(parent_tree, tree, &mut paths)?;
        self.cache.get_mut(id, number).is_work = Some(is_work);
        Ok(is_work)
    }

    /// The number of the policy in force for a commit being read (0 where none
    /// stood): the one its first parent holds — or, for a merge whose first parent
    /// holds none, the one the first of its `other` parents that holds one does,
    /// named as the second value. Which history was the main one, git cannot tell: a
    /// merge of a history without the policy into one with it is judged like one the
    /// other way round.
    fn in_force(&mut self, listed: &Listed, other: &[CommitId]) -> (u32, Option<CommitId>) {
        let first = (listed.first_parent).and_then(|p| Some((self.trees.policy_blob(p)?, None)));
        let judging = first
            .or_else(|| (other.iter()).find_map(|p| Some((self.trees.policy_blob(*p)?, Some(*p)))));
        let Some((blob, via)) = judging else {
            return (0, None);
        };
        let number = self.cache.policy_number(blob);
        // Judged by today's policy in its place, a policy that does not parse would
        // judge alike only while today's stands: what is read under it is not kept.
        if !self.trees.parses(blob) {
            self.cache.keep_not(number);
        }
        (number, via)
    }

    /// The root trees of a commit and of the parent it is judged against as work of
    /// its own: the one whose policy judges it (see [`Self::in_force`]), else its first.
    fn against_base(&mut self, listed: &Listed) -> Result<(ObjectId, Option<ObjectId>)> {
        let id = listed.id;
        let tree = (self.trees.root(id))
            .ok_or_else(|| anyhow::anyhow!("cannot read the tree of commit {id}"))?;
        let via = self.cache.get(&id).and_then(Facts::judged_via);
        let base = via.or(listed.first_parent);
        Ok((tree, base.and_then(|p| self.trees.root(p))))
    }

    /// The policy the cache numbers `number` (from 1).
    fn numbered(&mut self, number: u32) -> Policy {
        let blob = self.cache.policies()[number as usize - 1];
        self.trees.judging(blob)
    }

    /// Makes the facts of a merge that answers for what it brings in hold what its
    /// policy's rules read of work: the paths it changes against its first parent.
    fn answering_merge(&mut self, listed: &Listed) -> Result<()> {
        if self
            .cache
            .get(&listed.id)
            .is_some_and(|f| f.paths.is_some())
        {
            return Ok(());
        }
        let number = self.cache.judged_by(&listed.id).unwrap_or(0);
        if !self.numbered(number).reads_paths() {
            // Nothing reads its paths; it is still judged as work (H004).
            self.cache.get_mut(listed.id, number);
            return Ok(());
        }
        let (tree, parent_tree) = self.against_base(listed)?;
        let paths = self.trees.changed_paths(parent_tree, tree)?;
        let commit = self.git.commit(listed.id)?;
        let facts = self.cache.get_mut(listed.id, number);
        facts.paths = Some(paths.into());
        if facts.refs.ids.is_empty() {
            facts.may_lack_reference(&commit);
        }
        Ok(())
    }
}
