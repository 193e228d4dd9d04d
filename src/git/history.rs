//! Reading history: a streaming walk over commits, files as they stood in a commit,
//! and what a commit changed. Commit and tree ids leave this module as object ids
//! (20 bytes); they become text only where they are shown or given to git.

use super::batch::{Batch, Kind};
use super::commit_graph::CommitGraph;
use super::raw_tree::{self, Listing};
use super::tree_diff;
use super::{CommitId, Git, IdMap, ObjectId, Positions};
use crate::error::Failure;
use anyhow::{Context as _, Result};
use git2::{Commit, ObjectType};
use std::cell::RefCell;
use std::io::BufRead;
use std::process::Stdio;

/// Where git lists the commits a shallow clone cut off.
const SHALLOW: &str = "shallow";

/// A commit as `git rev-list --parents` lists it. Most commits have one parent, which
/// is held inline; the parents a merge brings in after it are held apart, in
/// [`Dag::merged`], so that a long history's worth of commits carries no pointer each.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: CommitId,
    pub first_parent: Option<CommitId>,
    /// For a merge, one more than where its other parents are in [`Dag`]; else 0.
    merged: u32,
}

impl Listed {
    pub fn is_merge(&self) -> bool {
        self.merged != 0
    }
}

/// The commits of a walk with their parents, newest first.
#[derive(Debug, Default)]
pub struct Dag {
    pub commits: Vec<Listed>,
    merged: Vec<Box<[CommitId]>>,
    /// The root tree of each commit, where the walk was to list them (see
    /// [`Git::rev_list`]); else empty. `None` for one that was not found.
    roots: Vec<Option<CommitId>>,
}

impl Dag {
    /// The root tree of the commit at `at`, where it was found before any commit
    /// was read.
    pub fn root(&self, at: usize) -> Option<CommitId> {
        self.roots.get(at).copied().flatten()
    }

    /// Forgets the root trees listed: each commit is read by now.
    pub fn forget_roots(&mut self) {
        self.roots = Vec::new();
    }

    /// The parents `commit` brings in after its first: none unless it is a merge.
    pub fn merged(&self, commit: &Listed) -> &[CommitId] {
        match commit.merged.checked_sub(1) {
            Some(at) => &self.merged[at as usize],
            None => &[],
        }
    }

    /// Whether git listed `commit` with `parents`, those its object names, in order.
    pub fn lists_parents(&self, commit: &Listed, parents: &[CommitId]) -> bool {
        (commit.first_parent.iter())
            .chain(self.merged(commit))
            .eq(parents)
    }
}

/// A commit as the rules need it.
#[derive(Debug, Clone)]
pub struct RawCommit {
    pub id: CommitId,
    pub parents: Vec<CommitId>,
    pub author_name: String,
    pub author_email: String,
    pub committer_email: String,
    /// The root tree.
    pub tree: ObjectId,
    /// Author time, seconds since the epoch: shown, never trusted for order.
    pub time: i64,
    /// Committer time, seconds since the epoch: when it was committed, as its
    /// committer's clock says (judged against freezes, never for order).
    pub committed: i64,
    /// Decoded from the encoding its header names; lossily, so that bytes that are
    /// not what it claims do not stop a check.
    pub message: String,
}

impl Git {
    /// The commit HEAD points at; `None` in a repository with no commit yet.
    pub fn head(&self) -> Option<String> {
        self.repo
            .head()
            .ok()?
            .peel_to_commit()
            .ok()
            .map(|c| c.id().to_string())
    }

    /// Whether this is a shallow clone, or a worktree of one.
    pub fn is_shallow(&self) -> bool {
        self.holds(SHALLOW)
    }

    /// Whether the repository has a grafts file, which gives commits other parents
    /// than they name in git's walks.
    pub fn is_grafted(&self) -> bool {
        self.holds("info/grafts")
    }

    /// Whether git's file `name` has anything in it. git keeps it once for the
    /// repository, beside the objects its linked worktrees share.
    fn holds(&self, name: &str) -> bool {
        let path = self.repo.commondir().join(name);
        std::fs::metadata(path).is_ok_and(|file| file.len() > 0)
    }

    /// The commits whose parents a shallow clone cut off (`.git/shallow`).
    pub fn shallow_boundary(&self) -> std::collections::HashSet<CommitId> {
        std::fs::read_to_string(self.repo.commondir().join(SHALLOW))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect()
    }

    /// The commit a revision names (`main`, `HEAD~3`, a tag, an id).
    pub fn resolve(&self, rev: &str) -> Result<String> {
        let object = self.repo.revparse_single(rev).map_err(|e| {
            Failure::input(format!("`{rev}` does not name a commit: {}", e.message()))
        })?;
        let commit = object
            .peel_to_commit()
            .map_err(|_| Failure::input(format!("`{rev}` does not name a commit")))?;
        Ok(commit.id().to_string())
    }

    /// Every commit reachable from `tip` and from none of `hidden`, each with its
    /// parents, newest first, and where each is in that list. Asks the git program,
    /// streaming: it lists a hundred thousand commits in a tenth of the time libgit2
    /// takes to parse them.
    /// With `roots`, the root tree of each too, where it can be found: for a walk
    /// that will read every commit. They are taken from git's commit-graph file
    /// where there is one, since git reads every commit to list them; else git lists
    /// them.
    pub fn rev_list(&self, tip: &str, hidden: &[String], roots: bool) -> Result<(Dag, Positions)> {
        let objects = self.repo.commondir().join("objects");
        let from_graph = roots && CommitGraph::is_in(&objects);
        let listed_roots = roots && !from_graph;
        // Started as every git that reads objects for chg, so that it lists the
        // commits as they were written.
        let mut child = super::fed::reader(self.repo.path(), super::fed::Mapped::Narrow)
            // Into a pipe git flushes after every commit unless told not to: a third
            // of rev-list's time at 100,000 commits.
            .env("GIT_FLUSH", "0")
            .args(["rev-list", "--parents"])
            .args(listed_roots.then_some("--format=%T"))
            .args([tip, "--not"])
            .args(hidden)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run git, which chg needs to read history")?;
        let stdout = child.stdout.take().context("git rev-list has no output")?;
        // Read while git starts listing. A file that does not read whole gives no
        // trees: each commit's is then read by peeling the commit.
        let graph = from_graph.then(|| CommitGraph::open(&objects)).flatten();
        let mut dag = Dag::default();
        let mut output = super::fed::streamed(stdout);
        // Each commit is a line `<id> <parents>`; with its root, `commit <id> <parents>`
        // and then a line of the root tree's id. Read into the same room each time: a
        // line a commit, a million lines in a long history.
        let (mut line, mut root) = (String::new(), String::new());
        while next_line(&mut output, &mut line)? {
            let unlisted = || anyhow::anyhow!("git rev-list listed `{line}`");
            let listed = if listed_roots {
                if !next_line(&mut output, &mut root)? {
                    return Err(unlisted());
                }
                dag.roots
                    .push(Some(root.parse().map_err(anyhow::Error::msg)?));
                line.strip_prefix("commit ").ok_or_else(unlisted)?
            } else {
                &line
            };
            let mut ids = listed.split(' ').map(str::parse::<CommitId>);
            let id = ids
                .next()
                .ok_or_else(unlisted)?
                .map_err(anyhow::Error::msg)?;
            let mut parents = ids.map(|p| p.map_err(anyhow::Error::msg));
            let first_parent = parents.next().transpose()?;
            let merged: Box<[CommitId]> = parents.collect::<Result<_>>()?;
            let merged = if merged.is_empty() {
                0
            } else {
                dag.merged.push(merged);
                dag.merged.len() as u32
            };
            dag.commits.push(Listed {
                id,
                first_parent,
                merged,
            });
        }
        // Held for the whole check: give back what doubling reserved.
        dag.commits.shrink_to_fit();
        dag.merged.shrink_to_fit();
        dag.roots.shrink_to_fit();
        let out = child
            .wait_with_output()
            .context("cannot run git rev-list")?;
        super::succeeded("rev-list", &out)?;
        let positions = Positions::of(dag.commits.iter().map(|c| c.id));
        if let Some(graph) = &graph {
            dag.roots = graph.trees(&positions);
        }
        Ok((dag, positions))
    }

    /// One commit, read in full.
    pub fn commit(&self, id: CommitId) -> Result<RawCommit> {
        let commit = self
            .repo
            .find_commit(id.into())
            .with_context(|| format!("cannot read commit {id}"))?;
        Ok(raw(&commit))
    }

    /// The root tree of a commit (for parents outside the walk).
    pub fn tree_of(&self, commit: CommitId) -> Option<ObjectId> {
        let commit = self.repo.find_commit(commit.into()).ok()?;
        Some(commit.tree_id().into())
    }

    /// `read` of a tree's bytes as stored, unparsed (see [`super::raw_tree`]).
    pub fn with_tree<R>(&self, id: ObjectId, read: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let odb = self.repo.odb().ok()?;
        let object = odb.read(id.into()).ok()?;
        (object.kind() == ObjectType::Tree).then(|| read(object.data()))
    }

    /// `read` of two trees' bytes, the first empty when it is `None`.
    fn with_trees<R>(
        &self,
        old: Option<ObjectId>,
        new: ObjectId,
        read: impl FnOnce(&[u8], &[u8]) -> R,
    ) -> Result<R> {
        let unreadable = |t: ObjectId| anyhow::anyhow!("cannot read tree {t}");
        match old {
            None => self.with_tree(new, |n| read(&[], n)),
            Some(old) => self
                .with_tree(old, |o| self.with_tree(new, |n| read(o, n)))
                .ok_or_else(|| unreadable(old))?,
        }
        .ok_or_else(|| unreadable(new))
    }

    /// The id of the entry at `path` inside `tree`.
    pub fn entry_in(&self, tree: ObjectId, path: &str) -> Option<ObjectId> {
        let path = TreePath::new(path);
        let [id] = self.with_tree(tree, |root| self.entries_below(tree, root, [&path]))?;
        id
    }

    /// The ids of the entries at `paths` inside tree `tree`, whose bytes are `bytes`:
    /// read once for them all, as a check does with every commit's root tree.
    pub fn entries_below<const N: usize>(
        &self,
        tree: CommitId,
        bytes: &[u8],
        paths: [&TreePath; N],
    ) -> [Option<CommitId>; N] {
        let firsts = paths.map(|path| path.names.first().map_or(&[][..], |n| n.as_bytes()));
        let mut at_top = raw_tree::find_each(bytes, firsts).into_iter();
        paths.map(|path| {
            let top = at_top.next().flatten();
            let Some((_, rest)) = path.names.split_first() else {
                return Some(tree);
            };
            let folder = top?.id;
            if rest.is_empty() {
                return Some(folder);
            }
            if let Some(&known) = path.below.borrow().get(&folder) {
                return known;
            }
            // Kept only when every folder on the way was read: a failed read may not
            // fail again.
            let mut read = true;
            let found = rest.iter().try_fold(folder, |id, name| {
                let entry =
                    self.with_tree(id, |t| raw_tree::find(t, name.as_bytes()).map(|e| e.id));
                read &= entry.is_some();
                entry.flatten()
            });
            if read {
                let mut below = path.below.borrow_mut();
                if below.len() == TreePath::BELOW {
                    below.clear();
                }
                below.insert(folder, found);
            }
            found
        })
    }

    /// A tree read once for many lookups of its files: a version of the records
    /// directory. After one over 1 MiB, the next is read through git's own reader
    /// (see [`super::batch`]) when git runs; smaller ones libgit2 reads faster,
    /// without the round trip through a pipe, since it keeps their delta bases. A tree's
    /// size is known only once read (asking libgit2 first costs a second read of a
    /// delta's start): the last one read says, as the versions of one directory are
    /// read one after another and grow slowly.
    ///
    /// `near` is a listing read before, found beside (see [`Listing::beside`]); what
    /// libgit2 reads is copied into `room`, the bytes of a listing no longer needed,
    /// so that a large tree read thousands of times is not allocated afresh each time.
    pub fn listing(&self, id: ObjectId, room: Vec<u8>, near: Option<&Listing>) -> Option<Listing> {
        let listing = match self.big_trees.get() {
            true => self.listing_by_git(id, room, near),
            false => self.listing_by_libgit2(id, room, near),
        }?;
        self.big_trees.set(listing.size() > 1 << 20);
        Some(listing)
    }

    fn listing_by_libgit2(
        &self,
        id: ObjectId,
        mut room: Vec<u8>,
        near: Option<&Listing>,
    ) -> Option<Listing> {
        self.with_tree(id, |t| {
            room.clear();
            room.extend_from_slice(t);
            Listing::beside(room, near)
        })
    }

    /// [`Self::listing`] through git's own reader.
    fn listing_by_git(
        &self,
        id: ObjectId,
        room: Vec<u8>,
        near: Option<&Listing>,
    ) -> Option<Listing> {
        let mut batch = self.batch.borrow_mut();
        if batch.is_none() {
            *batch = Batch::spawn(self.repo.path()).ok();
        }
        match batch.as_mut().map(|b| b.read(id)) {
            Some(Ok(Some(object))) => {
                (object.kind == Kind::Tree).then(|| Listing::beside(object.bytes, near))
            }
            Some(Ok(None)) => None,
            // Without git, or if it fails, libgit2 reads it: slower, same bytes.
            Some(Err(_)) | None => {
                *batch = None;
                self.listing_by_libgit2(id, room, near)
            }
        }
    }

    pub fn blob(&self, id: ObjectId) -> Option<Vec<u8>> {
        Some(self.repo.find_blob(id.into()).ok()?.content().to_vec())
    }

    /// Names of the entries at the top of two trees that differ (all of `new`'s when
    /// `old` is none). Reads the two root trees only, never what is below.
    pub fn changed_top_level(&self, old: Option<ObjectId>, new: ObjectId) -> Result<Vec<String>> {
        self.with_trees(old, new, top_level_changes)
    }

    /// Paths that differ between two trees (everything in `new` when `old` is none).
    pub fn changed_paths(&self, old: Option<ObjectId>, new: ObjectId) -> Result<Vec<String>> {
        tree_diff::changed_paths(&self.repo.odb()?, old.map(Into::into), new.into())
    }
}

/// A path inside a tree, split into its names once: every commit's root tree is
/// searched for the same few paths. For a path below a folder, what it leads to is
/// kept by the version of that first folder, which consecutive commits mostly
/// share: reading the folder again at every commit was most of finding the path.
pub struct TreePath {
    path: String,
    names: Vec<String>,
    below: RefCell<IdMap<ObjectId, Option<ObjectId>>>,
}

impl TreePath {
    /// How many versions of the first folder are kept before they are forgotten: a
    /// few hundred KiB.
    const BELOW: usize = 1 << 12;

    pub fn new(path: &str) -> TreePath {
        TreePath {
            path: path.to_string(),
            names: (path.split('/').filter(|n| !n.is_empty()))
                .map(str::to_string)
                .collect(),
            below: RefCell::default(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }
}

/// The next line of git rev-list's `output` into `line`, without its line break;
/// `false` after the last.
fn next_line(output: &mut impl BufRead, line: &mut String) -> Result<bool> {
    line.clear();
    let read = (output.read_line(line)).context("cannot read the output of git rev-list")?;
    // As `BufRead::lines` ends a line: one `\n`, and one `\r` before it.
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    Ok(read > 0)
}

/// The names of the entries that differ between two trees, given their bytes.
pub fn top_level_changes(old: &[u8], new: &[u8]) -> Vec<String> {
    raw_tree::diff(old, new)
        .into_iter()
        .filter_map(|(o, n)| o.or(n))
        .map(|e| String::from_utf8_lossy(e.name).into_owned())
        .collect()
}

fn raw(commit: &Commit) -> RawCommit {
    let author = commit.author();
    let committer = commit.committer();
    // git writes the names in the commit in its encoding too.
    let encoding = commit.message_encoding().ok().flatten();
    let text = |bytes: &[u8]| super::encoding::decode(bytes, encoding);
    RawCommit {
        id: commit.id().into(),
        parents: written_parents(commit),
        author_name: text(author.name_bytes()),
        author_email: text(author.email_bytes()),
        committer_email: text(committer.email_bytes()),
        tree: commit.tree_id().into(),
        time: author.when().seconds(),
        committed: committer.when().seconds(),
        message: text(commit.message_bytes()),
    }
}

/// The parents `commit` was written with. libgit2 gives those a grafts file or a
/// shallow clone's list puts in their place; a check compares the commit's own with
/// git's walk, and a shallow clone's boundary is known apart.
fn written_parents(commit: &Commit) -> Vec<CommitId> {
    // After the `tree` line, one `parent` line each, as libgit2 has checked.
    let header = commit.raw_header_bytes().split(|&b| b == b'\n').skip(1);
    header
        .map_while(|line| line.strip_prefix(b"parent "))
        .filter_map(|hex| std::str::from_utf8(hex).ok()?.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Git;
    use crate::git::scratch::Scratch;

    #[test]
    fn commits_are_listed_as_written_whatever_replaces_them() {
        let repo = Scratch::init();
        let commit = |message: &str| {
            repo.git(&["commit", "-q", "--allow-empty", "-m", message]);
            repo.git(&["rev-parse", "HEAD"]).trim().to_string()
        };
        let first = commit("first");
        let second = commit("second");
        // A stand-in for `second` without its parent, put in its place by a replace ref.
        let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
        let stand_in = repo.git(&["commit-tree", &tree, "-m", "stand-in"]);
        repo.git(&["replace", &second, stand_in.trim()]);
        let git = Git::discover(repo.path()).unwrap();
        // Roots not asked for, listed by git, then found in the commit-graph file.
        for (roots, graph) in [(false, false), (true, false), (true, true)] {
            if graph {
                repo.git(&["commit-graph", "write", "--reachable"]);
                let file = repo.path().join(".git/objects/info/commit-graph");
                assert!(file.exists());
            }
            let (dag, positions) = git.rev_list(&second, &[], roots).unwrap();
            assert_eq!(positions.get(&dag.commits[1].id), Some(1));
            let ids: Vec<String> = dag.commits.iter().map(|c| c.id.to_string()).collect();
            assert_eq!(
                ids,
                [second.clone(), first.clone()],
                "roots asked for: {roots}, from the commit-graph: {graph}"
            );
            let parent = dag.commits[0].first_parent.map(|p| p.to_string());
            assert_eq!(parent, Some(first.clone()));
            let listed = dag.root(0).map(|r| r.to_string());
            assert_eq!(listed, roots.then(|| tree.clone()));
        }
    }

    #[test]
    fn a_commit_read_names_the_parents_it_was_written_with_whatever_grafts_say() {
        let repo = Scratch::init();
        let commit = |message: &str| {
            repo.git(&["commit", "-q", "--allow-empty", "-m", message]);
            repo.git(&["rev-parse", "HEAD"]).trim().parse().unwrap()
        };
        let first: crate::git::CommitId = commit("first");
        let second = commit("second");
        let third = commit("third");
        // `third` grafted onto `first`, `second` onto nothing.
        let grafts = format!("{third} {first}\n{second}\n");
        std::fs::write(repo.path().join(".git/info/grafts"), grafts).unwrap();
        let git = Git::discover(repo.path()).unwrap();
        assert!(git.is_grafted());
        assert_eq!(git.commit(third).unwrap().parents, [second]);
        assert_eq!(git.commit(second).unwrap().parents, [first]);
        assert!(git.commit(first).unwrap().parents.is_empty());
    }

    #[test]
    fn a_path_below_a_folder_is_found_in_every_version_of_that_folder() {
        let repo = Scratch::init();
        let commit = |files: &[(&str, &str)]| {
            repo.add(files);
            repo.git(&["commit", "-q", "-m", "c"]);
            repo.git(&["rev-parse", "HEAD"]).trim().to_string()
        };
        let commits = [
            commit(&[("docs/changes/a.yaml", "1"), ("docs/README", "r")]),
            // The folder changes beside the path: a new version, the same entry.
            commit(&[("docs/README", "r2")]),
            commit(&[("docs/changes/a.yaml", "2")]),
            commit(&[("src/main.rs", "m")]),
        ];
        let git = Git::discover(repo.path()).unwrap();
        let (path, missing) = (
            super::TreePath::new("docs/changes"),
            super::TreePath::new("docs/x/y"),
        );
        // Twice over, the second time from what the path keeps.
        for _ in 0..2 {
            for c in &commits {
                let root: super::ObjectId = repo
                    .git(&["rev-parse", &format!("{c}^{{tree}}")])
                    .trim()
                    .parse()
                    .unwrap();
                let found = git.with_tree(root, |bytes| {
                    git.entries_below(root, bytes, [&path, &missing])
                });
                let want = repo
                    .git(&["rev-parse", &format!("{c}:docs/changes")])
                    .trim()
                    .parse()
                    .ok();
                assert_eq!(found, Some([want, None]), "{c}");
            }
        }
        // One for each version of `docs` (the last commit shares the third's).
        assert_eq!(path.below.borrow().len(), 3);
        // A root whose `docs` is a tree the repository lacks: no answer, none kept.
        let mut root = b"40000 docs\0".to_vec();
        root.extend_from_slice(&[0x11; 20]);
        let tree = super::ObjectId::NONE;
        assert_eq!(git.entries_below(tree, &root, [&path]), [None]);
        assert_eq!(path.below.borrow().len(), 3);
    }

    #[test]
    fn a_tree_after_one_over_a_mebibyte_is_listed_through_git_cat_file() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"id: CHG-2026-00001\n").unwrap();
        let other = repo.blob(b"id: CHG-2026-12345\n").unwrap();
        let mut builder = repo.treebuilder(None).unwrap();
        // 25,000 entries of 47 bytes: 1.17 MB, past libgit2's largest delta base.
        for n in 0..25_000 {
            let id = if n == 12_345 { other } else { blob };
            let name = format!("CHG-2026-{n:05}.yaml");
            builder.insert(name, id, 0o100644).unwrap();
        }
        let tree: super::ObjectId = builder.write().unwrap().to_string().parse().unwrap();
        let git = Git::discover(dir.path()).unwrap();
        let first = git.listing(tree, Vec::new(), None).unwrap();
        assert!(
            git.batch.borrow().is_none(),
            "its size unknown, read by libgit2"
        );
        let listing = git.listing(tree, Vec::new(), Some(&first)).unwrap();
        assert!(git.batch.borrow().is_some(), "read through git cat-file");
        assert_eq!(listing.size(), first.size());
        assert_eq!(listing.file("CHG-2026-12345.yaml"), Some(other.to_string()));
        assert_eq!(listing.file("CHG-2026-00007.yaml"), Some(blob.to_string()));
        assert_eq!(listing.file("CHG-2026-99999.yaml"), None);
        let missing = "0123456789012345678901234567890123456789";
        assert!(git
            .listing(missing.parse().unwrap(), Vec::new(), None)
            .is_none());
    }
}
