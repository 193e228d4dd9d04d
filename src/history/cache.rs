//! Facts about commits kept between checks, under `.git/chg/cache/`.
//!
//! What a commit says depends only on the commit and its parents (both fixed by its
//! id), and so does the policy that judges it: the one its first parent holds. So
//! facts are kept per commit id, each with the policy it was read under, in a file
//! named by chg's version and the few settings that decide where the register lives;
//! editing the policy judges new commits by the new text and keeps the old facts, and
//! a later check reads from git only the commits it has not seen. Reading every version of a records directory of thousands
//! of files costs more than reading every commit message; this is what keeps a check
//! of a long history close to `git log`. `chg check --no-cache` trusts no such file.

use super::facts::Facts;
use crate::git::{CommitId, IdMap};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Bumped whenever [`Facts`] changes shape or meaning.
const FORMAT: u32 = 8;

#[derive(Deserialize)]
struct File {
    format: u32,
    key: String,
    /// The commits that say nothing the rules ask about, their ids run together:
    /// most commits are such, and one string of them reads fastest. One string per
    /// policy that judged them, by its number (the first: commits none judged).
    quiet: Vec<String>,
    /// The policies (`.changes.toml` blobs) that judged commits: [`Facts`] name them
    /// by position, from 1.
    #[serde(default)]
    policies: Vec<CommitId>,
    commits: IdMap<CommitId, Box<Facts>>,
}

/// [`File`] as written, borrowing what it writes.
#[derive(Serialize)]
struct Written<'a> {
    format: u32,
    key: &'a str,
    quiet: Vec<RunTogether<'a>>,
    policies: &'a [CommitId],
    commits: &'a IdMap<CommitId, Box<Facts>>,
}

/// Commit ids written as one string of hex digits, streamed: at a million commits
/// the string itself would be tens of megabytes.
struct RunTogether<'a>(&'a [CommitId]);

impl fmt::Display for RunTogether<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.iter().try_for_each(|id| write!(f, "{id}"))
    }
}

impl Serialize for RunTogether<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

pub struct Cache {
    /// Where it is kept; `None` when it is not.
    path: Option<PathBuf>,
    key: String,
    /// Quiet commits by the number of the policy that judged them (0: none did),
    /// each group sorted for a binary search: a set would take twice the room.
    quiet: Vec<Vec<CommitId>>,
    /// Quiet commits read from git in this run, by number likewise, until
    /// [`Self::settle`] sorts them in: a walk reads a commit once, so they are not
    /// looked up while it reads.
    fresh: Vec<Vec<CommitId>>,
    /// The policy blobs that judged commits, named from 1 by [`Facts::judged_by`].
    policies: Vec<CommitId>,
    /// Numbers of policies whose commits' facts are not kept (see [`Self::keep_not`]).
    unkept: Vec<u32>,
    commits: IdMap<CommitId, Box<Facts>>,
    changed: bool,
}

/// Commit ids run together into one string, read back; `None` when malformed.
fn ids_of(run: &str) -> Option<Vec<CommitId>> {
    let mut ids = (0..run.len() / 40)
        .map(|i| run.get(i * 40..i * 40 + 40).and_then(|h| h.parse().ok()))
        .collect::<Option<Vec<CommitId>>>()?;
    ids.sort_unstable();
    Some(ids)
}

impl Cache {
    /// A cache that starts empty and is never written.
    pub fn unkept() -> Cache {
        Cache {
            path: None,
            key: String::new(),
            quiet: Vec::new(),
            fresh: Vec::new(),
            policies: Vec::new(),
            unkept: Vec::new(),
            commits: IdMap::default(),
            changed: false,
        }
    }

    /// The cache in `dir` for these `settings` (what decides where the register and
    /// its signers are read); empty when there is none yet, or when it is unreadable
    /// or was written for other settings or another version.
    pub fn open(dir: PathBuf, settings: &[&str]) -> Cache {
        let key = key_of(settings);
        let path = path_of(&dir, &key);
        let mut cache = Cache {
            path: Some(path.clone()),
            ..Cache::unkept()
        };
        if let Some(file) = read(&path, &key) {
            let quiet: Option<Vec<_>> = file.quiet.iter().map(|run| ids_of(run)).collect();
            // Every policy a commit names is listed.
            let named = |n: u32| n as usize <= file.policies.len();
            let whole = file.quiet.len() <= file.policies.len() + 1
                && file.commits.values().all(|f| named(f.judged_by));
            if let Some(quiet) = quiet.filter(|_| whole) {
                cache.quiet = quiet;
                cache.policies = file.policies;
                cache.commits = file.commits;
            }
        }
        cache.key = key;
        cache
    }

    /// Whether the facts of `commit` were known before this run read it.
    pub fn knows(&self, commit: &CommitId) -> bool {
        self.quiet_under(commit).is_some() || self.commits.contains_key(commit)
    }

    /// The number of the policy that judged a quiet commit, where it is one.
    fn quiet_under(&self, commit: &CommitId) -> Option<u32> {
        let at = (self.quiet.iter()).position(|group| group.binary_search(commit).is_ok())?;
        Some(at as u32)
    }

    /// Sorts the quiet commits read in this run in with the others, so that they
    /// can be looked up: once the walk has read every commit.
    pub fn settle(&mut self) {
        for (number, fresh) in std::mem::take(&mut self.fresh).into_iter().enumerate() {
            if fresh.is_empty() {
                continue;
            }
            let group = self.group(number as u32);
            group.extend(fresh);
            group.sort_unstable();
        }
    }

    /// The quiet commits judged by the policy numbered `number`.
    fn group(&mut self, number: u32) -> &mut Vec<CommitId> {
        let at = number as usize;
        if self.quiet.len() <= at {
            self.quiet.resize_with(at + 1, Vec::new);
        }
        &mut self.quiet[at]
    }

    /// The number of the policy that judged `commit` (0: none did), once settled;
    /// `None` for a commit not read.
    pub fn judged_by(&self, commit: &CommitId) -> Option<u32> {
        match self.commits.get(commit) {
            Some(facts) => Some(facts.judged_by),
            None => self.quiet_under(commit),
        }
    }

    /// The name [`Facts::judged_by`] gives the policy held in `blob`.
    pub fn policy_number(&mut self, blob: CommitId) -> u32 {
        let at = match self.policies.iter().position(|p| *p == blob) {
            Some(at) => at,
            None => {
                self.policies.push(blob);
                self.changed = true;
                self.policies.len() - 1
            }
        };
        at as u32 + 1
    }

    /// Keeps nothing of the commits the policy numbered `number` judged: read again
    /// by every check.
    pub fn keep_not(&mut self, number: u32) {
        if !self.unkept.contains(&number) {
            self.unkept.push(number);
        }
    }

    /// The policy blobs that judged commits, as [`Facts::judged_by`] numbers them from 1.
    pub fn policies(&self) -> &[CommitId] {
        &self.policies
    }

    /// The facts of `commit`; `None` for one that says nothing the rules ask about.
    pub fn get(&self, commit: &CommitId) -> Option<&Facts> {
        self.commits.get(commit).map(Box::as_ref)
    }

    pub fn insert(&mut self, commit: CommitId, facts: Facts) {
        if facts.is_empty() {
            let at = facts.judged_by as usize;
            if self.fresh.len() <= at {
                self.fresh.resize_with(at + 1, Vec::new);
            }
            self.fresh[at].push(commit);
        } else {
            self.commits.insert(commit, Box::new(facts));
        }
        self.changed = true;
    }

    /// The facts of a known commit, to add what was read later (once settled);
    /// `judged_by` is the policy in force for it, for one not read at all.
    pub fn get_mut(&mut self, commit: CommitId, judged_by: u32) -> &mut Facts {
        self.changed = true;
        // A quiet commit stays listed as such until the cache is written: facts come
        // first wherever both are looked up, and taking it out of its sorted group
        // would move the whole group each time.
        let judged_by = self.quiet_under(&commit).unwrap_or(judged_by);
        self.commits.entry(commit).or_insert_with(|| {
            let mut facts = Box::<Facts>::default();
            facts.judged_by = judged_by;
            facts
        })
    }

    /// Writes what was learnt, when `keep`, and hands back the facts. Commits outside
    /// the scope just read (other branches, rewritten history) are dropped once they
    /// outnumber those in it. A cache that cannot be written costs speed only, so
    /// failing to write is not an error.
    pub fn finish(
        mut self,
        keep: bool,
        scope: impl ExactSizeIterator<Item = CommitId>,
    ) -> IdMap<CommitId, Box<Facts>> {
        let Some(path) = self.path.take().filter(|_| keep && self.changed) else {
            return self.commits;
        };
        self.settle();
        let held: usize = self.quiet.iter().map(Vec::len).sum::<usize>() + self.commits.len();
        if held > 2 * scope.len() {
            let mut scope: Vec<CommitId> = scope.collect();
            scope.sort_unstable();
            let in_scope = |id: &CommitId| scope.binary_search(id).is_ok();
            for group in &mut self.quiet {
                group.retain(in_scope);
            }
            self.commits.retain(|id, _| in_scope(id));
        }
        // A quiet commit that was asked more later has facts now.
        let commits = &self.commits;
        for group in &mut self.quiet {
            group.retain(|id| !commits.contains_key(id));
        }
        for &number in &self.unkept {
            if let Some(group) = self.quiet.get_mut(number as usize) {
                group.clear();
            }
        }
        // Held back while the file is written, and handed back with the rest.
        let unkept = self.unkept.clone();
        let held_back: Vec<_> = (self.commits)
            .extract_if(|_, facts| unkept.contains(&facts.judged_by))
            .collect();
        let file = Written {
            format: FORMAT,
            key: &self.key,
            quiet: self.quiet.iter().map(|group| RunTogether(group)).collect(),
            policies: &self.policies,
            commits: &self.commits,
        };
        if let Some(dir) = path.parent() {
            if std::fs::create_dir_all(dir).is_ok() {
                remove_others(dir, &path);
                let _ = crate::store::write_atomic_with(&path, |out| {
                    serde_json::to_writer(out, &file).map_err(std::io::Error::from)
                });
            }
        }
        self.commits.extend(held_back);
        self.commits
    }
}

/// What names the cache for `settings`: chg's version, the file's format, the settings.
fn key_of(settings: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    hash.update(FORMAT.to_le_bytes());
    for setting in settings {
        hash.update((setting.len() as u64).to_le_bytes());
        hash.update(setting);
    }
    crate::model::digest::hex(&hash.finalize())
}

fn path_of(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("history-{}.json", &key[..16]))
}

/// How large the cache file of `settings` in `dir` is: 0 where there is none.
pub fn size(dir: &Path, settings: &[&str]) -> u64 {
    let path = path_of(dir, &key_of(settings));
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The file at `path`, when it reads and was written under `key`.
fn read(path: &Path, key: &str) -> Option<File> {
    // Read as a stream: the file is about as large as what it holds.
    std::fs::File::open(path)
        .ok()
        .and_then(|f| serde_json::from_reader::<_, File>(BufReader::new(f)).ok())
        .filter(|file| file.format == FORMAT && file.key == key)
}

/// A cache file found in the cache directory, for `chg doctor`.
#[derive(Debug)]
pub struct Kept {
    pub path: PathBuf,
    pub bytes: u64,
    /// How many commits it holds facts about, for the file of the settings asked
    /// about that reads; `None` for any other.
    pub commits: Option<usize>,
}

/// The cache files in `dir`; the one for `settings` is read to count its commits.
/// Nothing is written.
pub fn kept(dir: &Path, settings: &[&str]) -> Vec<Kept> {
    let key = key_of(settings);
    let ours = path_of(dir, &key);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut kept: Vec<Kept> = (entries.flatten())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("history-"))
        .map(|entry| {
            let path = entry.path();
            let commits = (path == ours)
                .then(|| read(&path, &key))
                .flatten()
                .map(|file| {
                    let quiet: usize = file.quiet.iter().map(|run| run.len() / 40).sum();
                    quiet + file.commits.len()
                });
            Kept {
                bytes: entry.metadata().map_or(0, |m| m.len()),
                path,
                commits,
            }
        })
        .collect();
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    kept
}

/// One cache file is kept, for the policy of the day: older ones would only grow.
fn remove_others(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_cache = entry.file_name().to_string_lossy().starts_with("history-");
        if is_cache && entry.path() != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
