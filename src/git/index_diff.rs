//! The paths the index changes against HEAD's tree, found through the tree each
//! folder of the index makes: a folder whose tree is HEAD's is passed over whole, so
//! a commit that changes two files reads the few trees of HEAD on the way to them,
//! not every tree of HEAD as a full comparison does.

use super::index_file::{Child, IndexFile};
use super::raw_tree::{self, Entry as TreeEntry};
use super::tree_diff;
use super::written_tree::WrittenTrees;
use anyhow::Result;
use git2::{Odb, Oid};
use std::cmp::Ordering;
use std::ops::Range;

/// What is left to do, in the order the paths come out.
enum Step {
    /// A path that differs.
    Path(Vec<u8>),
    /// Every path below a folder of HEAD's that the index no longer has.
    Gone(Vec<u8>, Oid),
    /// A folder both hold: `prefix` ends with `/` below the root; the entries below
    /// it in the index; its tree in HEAD; its cached tree in the index, if any.
    Folder(Vec<u8>, Range<usize>, Option<Oid>, Option<usize>),
}

/// Paths whose staged content or mode differs from `head` (every path when HEAD has
/// no commit yet), a path with unresolved conflicts among them: what libgit2's
/// comparison of a tree with the index finds, each path once, in git's order.
pub fn changed_paths(odb: &Odb, head: Option<Oid>, index: &IndexFile) -> Result<Vec<String>> {
    let root = (!index.trees.is_empty()).then_some(0);
    let everything = 0..index.entries.len();
    // A stack, not recursion: a path may nest as deep as it likes.
    let mut todo = vec![Step::Folder(Vec::new(), everything, head, root)];
    let mut paths = Vec::new();
    let mut written = WrittenTrees::new(index);
    while let Some(step) = todo.pop() {
        match step {
            Step::Path(path) => paths.push(String::from_utf8_lossy(&path).into_owned()),
            Step::Gone(prefix, tree) => {
                paths.extend(tree_diff::changed_paths_below(odb, prefix, None, tree)?);
            }
            Step::Folder(prefix, range, head, cached) => {
                if head.is_some() && written.id(&prefix, range.clone(), cached) == head {
                    continue;
                }
                let head = tree_diff::read(odb, head)?;
                let folder = Folder {
                    index,
                    prefix,
                    cached,
                };
                todo.extend(folder.steps(&head, range).into_iter().rev());
            }
        }
    }
    Ok(paths)
}

/// Where `child` sorts among a tree's entries: a folder as a tree would.
fn order(child: &Child, entry: &TreeEntry) -> Ordering {
    TreeEntry::probe(child.name, child.is_folder).order(entry)
}

/// A folder of the index being compared with HEAD's tree there.
struct Folder<'a> {
    index: &'a IndexFile,
    prefix: Vec<u8>,
    cached: Option<usize>,
}

impl<'a> Folder<'a> {
    fn path(&self, name: &[u8]) -> Vec<u8> {
        [&self.prefix[..], name].concat()
    }

    /// The prefix of the folder `name` here, with its `/`.
    fn folder(&self, name: &[u8]) -> Vec<u8> {
        [&self.prefix[..], name, b"/"].concat()
    }

    /// What differs one level down, between HEAD's tree `head` here and the index
    /// entries in `range`.
    fn steps(&self, head: &[u8], range: Range<usize>) -> Vec<Step> {
        let mut tree = raw_tree::entries(head).peekable();
        let mut at = range.start;
        let mut steps = Vec::new();
        loop {
            let child =
                (at < range.end).then(|| self.index.child(self.prefix.len(), at, range.end));
            let side = match (&child, tree.peek()) {
                (None, None) => return steps,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(child), Some(entry)) => order(child, entry),
            };
            let old = match side {
                Ordering::Less => None,
                _ => tree.next(),
            };
            let new = match side {
                Ordering::Greater => None,
                _ => child,
            };
            if let Some(new) = &new {
                at = new.range.end;
            }
            steps.extend(self.compare(old, new));
        }
    }

    /// What differs at one name, in HEAD (`old`) and in the index (`new`).
    fn compare(&self, old: Option<TreeEntry>, new: Option<Child>) -> Option<Step> {
        let index = self.index;
        match (old, new) {
            (Some(old), Some(new)) if new.is_folder => Some(Step::Folder(
                self.folder(new.name),
                new.range,
                Some(old.id.into()),
                index.cached_below(self.cached, new.name),
            )),
            (Some(old), Some(new)) => {
                let staged = &index.entries[new.range.start];
                let same = new.range.len() == 1
                    && staged.stage == 0
                    && (staged.id, staged.mode) == (old.id.into(), raw_tree::canonical(old.mode));
                (!same).then(|| Step::Path(self.path(new.name)))
            }
            (Some(old), None) if old.is_tree => {
                Some(Step::Gone(self.folder(old.name), old.id.into()))
            }
            (Some(old), None) => Some(Step::Path(self.path(old.name))),
            (None, Some(new)) if new.is_folder => {
                Some(Step::Folder(self.folder(new.name), new.range, None, None))
            }
            (None, Some(new)) => Some(Step::Path(self.path(new.name))),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scratch::Scratch;
    use std::collections::BTreeSet;

    /// The tree HEAD points at, if any.
    fn head(repo: &git2::Repository) -> Option<Oid> {
        Some(repo.head().ok()?.peel_to_commit().unwrap().tree_id())
    }

    /// The paths libgit2's comparison of HEAD with the index finds, as a set: it
    /// lists a type change twice.
    fn libgit2(repo: &Scratch) -> BTreeSet<String> {
        let git = repo.repo();
        let tree = head(&git).map(|id| git.find_tree(id).unwrap());
        let index = git2::Index::open(&repo.index_file()).unwrap();
        let diff = git.diff_tree_to_index(tree.as_ref(), Some(&index), None);
        let diff = diff.unwrap();
        diff.deltas()
            .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    /// The index as it stands, written in each version git writes, is found to
    /// change what libgit2 finds, each path once, with its cached trees and without.
    fn agrees_with_libgit2(repo: &Scratch) -> BTreeSet<String> {
        let expected = libgit2(repo);
        let git = repo.repo();
        for version in ["4", "3", "2"] {
            repo.git(&["update-index", "--index-version", version]);
            let mut index = IndexFile::parse(&repo.index_bytes()).unwrap();
            for cached in [true, false] {
                if !cached {
                    index.trees.clear();
                }
                let paths = changed_paths(&git.odb().unwrap(), head(&git), &index).unwrap();
                let set: BTreeSet<String> = paths.iter().cloned().collect();
                let case = format!("version {version}, cached trees: {cached}");
                assert_eq!(set, expected, "{case}");
                assert_eq!(set.len(), paths.len(), "each path once: {case}");
            }
        }
        expected
    }

    fn blob(repo: &Scratch, content: &str) -> String {
        repo.write("blob.tmp", content);
        let id = repo.git(&["hash-object", "-w", "blob.tmp"]);
        std::fs::remove_file(repo.path().join("blob.tmp")).unwrap();
        id.trim().to_string()
    }

    fn commit(repo: &Scratch, message: &str) {
        repo.git(&["commit", "--quiet", "--no-verify", "-m", message]);
    }

    #[test]
    fn finds_what_libgit2_finds_as_git_changes_the_index() {
        let repo = Scratch::init();
        repo.add(&[
            ("a.b", "1"),
            ("a/x", "2"),
            ("a-b", "3"),
            ("a0", "4"),
            ("src/deep/er/f.rs", "5"),
            ("src/g.rs", "6"),
            ("run.sh", "7"),
        ]);
        assert_eq!(agrees_with_libgit2(&repo).len(), 7, "no commit yet: all");
        commit(&repo, "first");
        assert!(agrees_with_libgit2(&repo).is_empty());

        // Modified, executable, removed, added in a new folder.
        repo.write("src/deep/er/f.rs", "changed");
        repo.write("new/dir/g", "8");
        repo.git(&["add", "src", "new"]);
        repo.git(&["update-index", "--chmod=+x", "run.sh"]);
        repo.git(&["rm", "--quiet", "--cached", "a-b"]);
        let found = agrees_with_libgit2(&repo);
        assert_eq!(found.len(), 4, "{found:?}");
        commit(&repo, "second");

        // A file becomes a folder and a folder a file; a link and a submodule.
        repo.git(&["rm", "--quiet", "-r", "a0", "src/deep"]);
        repo.write("a0/inside", "9");
        repo.write("src/deep", "a file now");
        repo.git(&["add", "a0", "src/deep"]);
        let target = blob(&repo, "run.sh");
        repo.stage("120000", &target, "link");
        repo.stage("120000", &target, "a.b");
        let submodule = repo.git(&["rev-parse", "HEAD~1"]);
        repo.stage("160000", submodule.trim(), "sub");
        agrees_with_libgit2(&repo);
        commit(&repo, "third");
        let other = repo.git(&["rev-parse", "HEAD"]);
        repo.stage("160000", other.trim(), "sub");
        repo.stage("100644", &target, "link");
        assert_eq!(agrees_with_libgit2(&repo).len(), 2);

        // The index read from an older tree, then a file added with intent.
        repo.git(&["read-tree", "HEAD~2"]);
        agrees_with_libgit2(&repo);
        repo.git(&["read-tree", "HEAD"]);
        repo.write("later.txt", "10");
        repo.git(&["add", "--intent-to-add", "later.txt"]);
        agrees_with_libgit2(&repo);
        repo.git(&["rm", "--quiet", "--cached", "later.txt"]);
        repo.git(&["reset", "--quiet", "--hard"]);

        // A merge that stops on conflicts: a path at three stages, one at two.
        repo.git(&["checkout", "--quiet", "-b", "other"]);
        repo.add(&[("a/x", "theirs"), ("new/dir/g", "theirs")]);
        commit(&repo, "theirs");
        repo.git(&["checkout", "--quiet", "main"]);
        repo.git(&["rm", "--quiet", "new/dir/g"]);
        repo.add(&[("a/x", "ours"), ("src/g.rs", "ours, merged cleanly")]);
        commit(&repo, "ours");
        assert!(!repo.run(&["merge", "--quiet", "other"]).status.success());
        let found = agrees_with_libgit2(&repo);
        assert!(
            found.contains("a/x") && found.contains("new/dir/g"),
            "{found:?}"
        );
    }

    #[test]
    fn folders_whose_tree_is_heads_are_not_read() {
        let repo = Scratch::init();
        repo.add(&[("docs/a.md", "1"), ("src/f.rs", "2")]);
        commit(&repo, "first");
        repo.write("src/f.rs", "changed");
        repo.git(&["add", "src"]);
        // Without the tree of docs/, only the index can say it is HEAD's.
        let docs = repo.git(&["rev-parse", "HEAD:docs"]);
        let (dir, file) = docs.trim().split_at(2);
        std::fs::remove_file(repo.path().join(".git/objects").join(dir).join(file)).unwrap();
        let git = repo.repo();
        let mut index = IndexFile::parse(&repo.index_bytes()).unwrap();
        let paths = changed_paths(&git.odb().unwrap(), head(&git), &index).unwrap();
        assert_eq!(paths, ["src/f.rs"]);
        index.trees.clear();
        let hashed = changed_paths(&git.odb().unwrap(), head(&git), &index).unwrap();
        assert_eq!(
            hashed,
            ["src/f.rs"],
            "hashed from the entries, the same tree"
        );
        repo.write("docs/a.md", "changed");
        repo.git(&["add", "docs"]);
        let index = IndexFile::parse(&repo.index_bytes()).unwrap();
        let read = changed_paths(&git.odb().unwrap(), head(&git), &index);
        assert!(read.is_err(), "a folder that differs is read");
    }
}
