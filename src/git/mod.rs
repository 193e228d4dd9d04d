//! The only module that touches git2: finding the repository, the acting identity,
//! what other branches and the index hold under `.changes/`, and who signed commits.

use crate::error::Failure;
use crate::model::Identity;
use anyhow::{Context as _, Result};
use git2::{BranchType, ObjectType, Repository};
use std::path::{Path, PathBuf};
use std::process::Command;

mod batch;
mod commit_graph;
mod commit_id;
mod commits;
mod encoding;
mod fed;
mod history;
mod hooks;
mod id_groups;
mod index_diff;
mod index_file;
mod index_tree;
mod paths;
mod polled;
mod positions;
mod raw_tree;
mod reach;
#[cfg(test)]
pub(crate) mod scratch;
mod signature;
mod tags;
mod tree_diff;
mod written_tree;

/// Trees and blobs are named by ids of the same kind as commits.
pub use commit_id::CommitId as ObjectId;
pub use commit_id::{CommitId, IdMap};
pub use commits::ReadCommit;
pub use encoding::{decode as decode_message, lossy};
pub use fed::STREAMED_FROM;
pub use history::{top_level_changes, Dag, Listed, RawCommit, TreePath};
pub use index_tree::IndexTree;
pub use paths::{Answer, Asked};
pub use positions::Positions;
pub use raw_tree::{Entry as TreeEntry, Listing};
pub use signature::Signature;

/// libgit2's process-wide settings, set once before the first repository opens.
/// Measured: it re-hashes every object it reads (git does not), and its cache grows to
/// 256 MiB on commits read once. chg keeps what it reads again itself: the
/// register's folders (see `history::listings`), the records parsed from them, and
/// the ids that the paths it looks up in every root tree lead to (see [`TreePath`]).
/// So libgit2 caches no object. It cached trees of up to 8 KiB, in 4 MiB, which a
/// first check stored by the ten thousand and almost never asked for again: storing
/// them, and putting others out to make room, was a thirtieth of chg's work there.
/// The trees read twice now (a commit's, then its child's parent's, where chg
/// compares the two itself for a short range) are a few, each a small read.
///
/// libgit2 also maps whole packs, and every page a check reads stays in its memory:
/// windows of a few MiB, a few of them at a time, keep that to what is being read.
fn tune_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
        // SAFETY: these write libgit2 globals; the Once runs them a single time,
        // before chg opens any repository.
        unsafe {
            let _ = git2::opts::set_mwindow_size(4 << 20);
            let _ = git2::opts::set_mwindow_mapped_limit(32 << 20);
        }
    });
}

/// The first ten hex digits of a commit id, as people quote them.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// Whether `text` is a commit's own full id (SHA-1 or SHA-256), not a name that moves.
pub fn is_full_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// How a file differs from HEAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uncommitted {
    /// HEAD does not hold it.
    New,
    /// The working tree differs from the index.
    Edited,
    /// The index differs from HEAD; the working tree holds what is staged.
    Staged,
}

pub struct Git {
    repo: Repository,
    root: PathBuf,
    /// Started at the first read of a records directory's version, if ever.
    batch: std::cell::RefCell<Option<batch::Batch>>,
    /// Whether the last version of a records directory read was over 1 MiB.
    big_trees: std::cell::Cell<bool>,
}

impl Git {
    /// Finds the repository containing `start` and its work tree, as git itself finds
    /// them: through a `.git` file (a separate git directory, a linked worktree, a
    /// submodule), `core.worktree`, `GIT_DIR` and `GIT_WORK_TREE`. Records are written
    /// under the work tree's top, which is not always the git directory's parent.
    pub fn discover(start: &Path) -> Result<Git> {
        tune_libgit2();
        let found = locate(start)?;
        let open = |e: git2::Error| {
            Failure::input(format!(
                "cannot open the git repository at {}: {}",
                found.git_dir.display(),
                e.message()
            ))
        };
        let repo = Repository::open(&found.git_dir).map_err(open)?;
        // libgit2 takes a separate git directory's parent for its work tree.
        repo.set_workdir(&found.root, false).map_err(open)?;
        Ok(Git {
            repo,
            root: found.root,
            batch: Default::default(),
            big_trees: Default::default(),
        })
    }

    /// The working tree's top directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` as a user would type it: relative to the work tree when inside it.
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The repository's own git directory (`.git`, or the worktree's).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Where chg keeps its own working files: locks, edits in progress.
    pub fn chg_dir(&self) -> PathBuf {
        self.repo.path().join("chg")
    }

    /// `GIT_AUTHOR_NAME`/`GIT_AUTHOR_EMAIL`, else `user.name`/`user.email` (repository
    /// config over global), as git would sign a commit made now.
    pub fn identity(&self) -> Result<Identity> {
        let config = self.repo.config().context("cannot read git config")?;
        let get = |env: &str, key: &str| {
            std::env::var(env)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .or_else(|| config.get_string(key).ok().filter(|v| !v.trim().is_empty()))
        };
        let name = get("GIT_AUTHOR_NAME", "user.name");
        let email = get("GIT_AUTHOR_EMAIL", "user.email");
        match (name, email) {
            (Some(name), Some(email)) => Ok(Identity { name, email }),
            (name, email) => {
                let mut failure = Failure::input(
                    "no git identity: chg records who acts, as git does for commits",
                );
                if email.is_none() {
                    failure = failure.hint("git config user.email \"you@example.com\"");
                }
                if name.is_none() {
                    failure = failure.hint("git config user.name \"Your Name\"");
                }
                Err(failure.into())
            }
        }
    }

    /// Paths of the files under `dir` (relative to it, at any depth) in the index and
    /// in the tree of every local and remote-tracking branch. Used to allocate IDs that
    /// no branch has used yet, whichever layout it keeps its records in.
    pub fn names_on_branches_and_index(&self, dir: &str) -> Result<Vec<String>> {
        let dir = dir.trim_end_matches('/');
        let mut names = Vec::new();
        let index = self.repo.index().context("cannot read the git index")?;
        let prefix = format!("{dir}/");
        for entry in index.iter() {
            let path = String::from_utf8_lossy(&entry.path);
            if let Some(rest) = path.strip_prefix(&prefix) {
                names.push(rest.to_string());
            }
        }
        for branch in self.repo.branches(None).context("cannot list branches")? {
            let (branch, kind) = branch.context("cannot read a branch")?;
            let Ok(commit) = branch.get().peel_to_commit() else {
                // A symbolic remote HEAD or a ref to a non-commit holds no records.
                continue;
            };
            let tree = commit.tree().with_context(|| {
                let what = if kind == BranchType::Remote {
                    "remote-tracking branch"
                } else {
                    "branch"
                };
                format!(
                    "cannot read the tree of {what} {}",
                    branch.name().ok().flatten().unwrap_or("?")
                )
            })?;
            let Ok(entry) = tree.get_path(Path::new(dir)) else {
                continue;
            };
            if entry.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let subtree = self
                .repo
                .find_tree(entry.id())
                .context("cannot read a .changes tree")?;
            subtree
                .walk(git2::TreeWalkMode::PreOrder, |folder, e| {
                    if e.kind() != Some(ObjectType::Tree) {
                        if let Ok(name) = e.name() {
                            names.push(format!("{folder}{name}"));
                        }
                    }
                    git2::TreeWalkResult::Ok
                })
                .context("cannot read a .changes tree")?;
        }
        Ok(names)
    }

    /// The paths under `dir` (relative to the root) whose working tree or index
    /// differs from HEAD, untracked ones included.
    pub fn uncommitted_below(&self, dir: &str) -> Result<Vec<String>> {
        let mut options = git2::StatusOptions::new();
        options
            .pathspec(dir)
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = (self.repo.statuses(Some(&mut options)))
            .with_context(|| format!("cannot compare {dir}/ with HEAD"))?;
        Ok(statuses
            .iter()
            .filter_map(|s| s.path().ok().map(str::to_string))
            .collect())
    }

    /// How the file `rel` (relative to the root) stands against HEAD: `None` when the
    /// index and the working tree both hold what HEAD holds.
    pub fn uncommitted(&self, rel: &str) -> Result<Option<Uncommitted>> {
        use git2::Status;
        let status = self
            .repo
            .status_file(Path::new(rel))
            .with_context(|| format!("cannot compare {rel} with HEAD"))?;
        let edited = Status::WT_MODIFIED | Status::WT_DELETED | Status::WT_TYPECHANGE;
        let staged = Status::INDEX_MODIFIED | Status::INDEX_DELETED | Status::INDEX_TYPECHANGE;
        Ok(
            if status.intersects(Status::WT_NEW | Status::INDEX_NEW | Status::IGNORED) {
                Some(Uncommitted::New)
            } else if status.intersects(edited) {
                Some(Uncommitted::Edited)
            } else if status.intersects(staged) {
                Some(Uncommitted::Staged)
            } else {
                None
            },
        )
    }

    /// Commits just `rel` (a file or a folder; other staged changes stay staged),
    /// authored and committed by `author`. Uses the git program so the user's hooks
    /// and signing apply.
    pub fn commit_file(&self, rel: &str, message: &str, author: &Identity) -> Result<()> {
        self.stage(rel)?;
        let commit = ["commit", "--quiet", "--only", "-m", message, "--", rel];
        self.run_git(&commit, Some(author)).inspect_err(|_| {
            // Leave the index as it was for this path.
            let _ = self.unstage(rel);
        })
    }

    /// Stages `rel` as the working tree holds it, removals included.
    pub fn stage(&self, rel: &str) -> Result<()> {
        self.run_git(&["add", "--", rel], None)
    }

    /// Puts the index back to HEAD for `rel`.
    pub fn unstage(&self, rel: &str) -> Result<()> {
        self.run_git(&["reset", "--quiet", "--", rel], None)
    }

    /// Runs the git program in the work tree, as `author` where one is given.
    fn run_git(&self, args: &[&str], author: Option<&Identity>) -> Result<()> {
        let mut command = Command::new("git");
        command.arg("-C").arg(&self.root).args(args);
        if let Some(author) = author {
            command
                .env("GIT_AUTHOR_NAME", &author.name)
                .env("GIT_AUTHOR_EMAIL", &author.email)
                // The person acting commits it too: where the committer must be the
                // approver, an approval committed in their name proves nothing.
                .env("GIT_COMMITTER_NAME", &author.name)
                .env("GIT_COMMITTER_EMAIL", &author.email);
        }
        let out = command.output().context("cannot run git")?;
        succeeded(args[0], &out)
    }
}

/// An error unless git `command` ended well, with what git said on its way out.
fn succeeded(command: &str, out: &std::process::Output) -> Result<()> {
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        anyhow::bail!("git {command} failed: {}", stderr.trim());
    }
    Ok(())
}

/// Where git finds the repository and its work tree from a directory.
struct Found {
    git_dir: PathBuf,
    root: PathBuf,
}

/// Asks git where the repository containing `start` and its work tree are.
fn locate(start: &Path) -> Result<Found> {
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new("git")
        .arg("-C")
        .arg(start)
        .args([
            "rev-parse",
            "--absolute-git-dir",
            "--is-inside-work-tree",
            "--show-toplevel",
        ])
        .output()
        .context("cannot run git, which chg asks where the repository is")?;
    let lines: Vec<&[u8]> = out.stdout.split(|b| *b == b'\n').collect();
    let path = |line: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(line));
    match lines.as_slice() {
        // From outside the work tree that GIT_WORK_TREE names, git still knows its top.
        [git_dir, _, root, ..] if out.status.success() && !root.is_empty() => Ok(Found {
            git_dir: path(git_dir),
            root: path(root),
        }),
        // git prints the first answers before it refuses the last, with no work tree.
        [git_dir, b"false", ..] => Err(Failure::input(format!(
            "no working tree at {}: chg needs one (the repository at {} is bare, or this is \
             inside its git directory)",
            start.display(),
            path(git_dir).display()
        ))
        .hint("run chg in a clone or a `git worktree add` of the repository")
        .into()),
        _ => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let failure = if stderr.contains("not a git repository") {
                Failure::input(format!(
                    "not a git repository (or any parent up to the root): {}",
                    start.display()
                ))
                .hint("chg keeps its register in a git repository: run `git init` first, or pass -C <path>")
            } else {
                Failure::input(format!(
                    "cannot open the git repository at {}: {}",
                    start.display(),
                    stderr.trim().trim_start_matches("fatal: ")
                ))
            };
            Err(failure.into())
        }
    }
}
