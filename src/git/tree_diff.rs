//! The paths two trees differ in, read from their stored bytes as git does: subtrees
//! with equal ids are skipped without reading below them, and nothing is parsed into
//! libgit2's entries. A commit changes a few paths out of thousands, so a diff reads
//! the few trees on the way to them.

use super::raw_tree::{self, Entry};
use anyhow::{anyhow, Result};
use git2::{ObjectType, Odb, Oid};

/// What is left to do, in the order the paths come out.
enum Step {
    /// A path that differs.
    Path(Vec<u8>),
    /// Two versions of the tree at a path (`prefix` ends with `/` below the root),
    /// either missing: everything in the other differs.
    Trees(Vec<u8>, Option<Oid>, Option<Oid>),
}

/// Paths that differ between two trees (everything in `new` when `old` is none),
/// `/`-joined from the root, in git's order. A symbolic link or a submodule is a
/// path like a file; a tree replaced by a file, or the reverse, is the file and
/// every path below the tree.
pub fn changed_paths(odb: &Odb, old: Option<Oid>, new: Oid) -> Result<Vec<String>> {
    changed_paths_below(odb, Vec::new(), old, new)
}

/// [`changed_paths`] of two trees that stand at `prefix` (ending with `/`), the
/// paths given from the root.
pub fn changed_paths_below(
    odb: &Odb,
    prefix: Vec<u8>,
    old: Option<Oid>,
    new: Oid,
) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    // A stack, not recursion: a tree from a pull request may nest as deep as it likes.
    let mut todo = vec![Step::Trees(prefix, old, Some(new))];
    while let Some(step) = todo.pop() {
        match step {
            Step::Path(path) => paths.push(String::from_utf8_lossy(&path).into_owned()),
            Step::Trees(prefix, old, new) => {
                let (old, new) = (read(odb, old)?, read(odb, new)?);
                let next = steps(&prefix, &old, &new);
                todo.extend(next.into_iter().rev());
            }
        }
    }
    Ok(paths)
}

/// A tree's bytes; none for no tree.
pub(super) fn read(odb: &Odb, id: Option<Oid>) -> Result<Vec<u8>> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let object = odb
        .read(id)
        .map_err(|e| anyhow!("cannot read tree {id}: {}", e.message()))?;
    if object.kind() != ObjectType::Tree {
        anyhow::bail!("{id} is not a tree");
    }
    Ok(object.data().to_vec())
}

/// What differs between two versions of the tree at `prefix`, one level down.
fn steps(prefix: &[u8], old: &[u8], new: &[u8]) -> Vec<Step> {
    // Unlike a record's content, a path changes with its mode: an executable bit is
    // a change a commit makes. Modes are compared as git compares them.
    let same = |o: &Entry, n: &Entry| {
        (o.id, raw_tree::canonical(o.mode)) == (n.id, raw_tree::canonical(n.mode))
    };
    let changes = raw_tree::diff_by(old, new, same);
    let mut steps = Vec::with_capacity(changes.len());
    for (o, n) in changes {
        let Some(name) = o.or(n).map(|e| e.name) else {
            continue;
        };
        let path = [prefix, name].concat();
        let tree = |e: Option<Entry>| e.filter(|e| e.is_tree).map(|e| e.id.into());
        let (old_tree, new_tree) = (tree(o), tree(n));
        if o.is_some_and(|e| !e.is_tree) || n.is_some_and(|e| !e.is_tree) {
            steps.push(Step::Path(path.clone()));
        }
        if old_tree.is_some() || new_tree.is_some() {
            steps.push(Step::Trees([&path[..], b"/"].concat(), old_tree, new_tree));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Repository, TreeBuilder};
    use std::collections::BTreeSet;

    /// A tree built from `(path, mode, content)`; a path with `/` lands in subtrees.
    fn build(repo: &Repository, files: &[(&str, i32, &str)]) -> Oid {
        fn insert(repo: &Repository, builder: &mut TreeBuilder, path: &str, mode: i32, id: Oid) {
            match path.split_once('/') {
                None => {
                    builder.insert(path, id, mode).unwrap();
                }
                Some((dir, rest)) => {
                    let below = builder.get(dir).unwrap().map(|e| e.id());
                    let tree = below.map(|id| repo.find_tree(id).unwrap());
                    let mut sub = repo.treebuilder(tree.as_ref()).unwrap();
                    insert(repo, &mut sub, rest, mode, id);
                    builder.insert(dir, sub.write().unwrap(), 0o040000).unwrap();
                }
            }
        }
        let mut root = repo.treebuilder(None).unwrap();
        for (path, mode, content) in files {
            let id = match mode {
                // A submodule's entry names a commit that is not in this repository.
                0o160000 => Oid::hash_object(ObjectType::Commit, content.as_bytes()).unwrap(),
                _ => repo.blob(content.as_bytes()).unwrap(),
            };
            insert(repo, &mut root, path, *mode, id);
        }
        root.write().unwrap()
    }

    /// The paths libgit2's diff finds, as a set: it lists a type change twice.
    fn libgit2(repo: &Repository, old: Option<Oid>, new: Oid) -> BTreeSet<String> {
        let old = old.map(|id| repo.find_tree(id).unwrap());
        let new = repo.find_tree(new).unwrap();
        let diff = repo
            .diff_tree_to_tree(old.as_ref(), Some(&new), None)
            .unwrap();
        diff.deltas()
            .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    const FILE: i32 = 0o100644;

    #[test]
    fn finds_the_paths_libgit2_finds_in_git_order() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let versions: Vec<Vec<(&str, i32, &str)>> = vec![
            vec![],
            vec![("a", FILE, "1"), ("a.b", FILE, "2"), ("b/c/d/e", FILE, "3")],
            // `a` becomes a directory; `a.b` sorts before `a/` but after `a`.
            vec![
                ("a/x", FILE, "1"),
                ("a.b", FILE, "2"),
                ("b/c/d/e", FILE, "3"),
            ],
            vec![
                ("a/x", FILE, "1"),
                ("a.b", 0o100755, "2"),
                ("b/c/d/e", FILE, "4"),
            ],
            vec![
                ("a", 0o120000, "target"),
                ("b", FILE, "was a tree"),
                ("m", 0o160000, "x"),
            ],
            vec![
                ("a", FILE, "target"),
                ("b/c/f", FILE, "5"),
                ("m", 0o160000, "y"),
            ],
            vec![
                ("a", FILE, "target"),
                ("b/c/f", FILE, "5"),
                ("b/c/d/e", FILE, "3"),
            ],
        ];
        let trees: Vec<Oid> = versions.iter().map(|v| build(&repo, v)).collect();
        let odb = repo.odb().unwrap();
        for &old in &trees {
            for &new in &trees {
                let paths = changed_paths(&odb, Some(old), new).unwrap();
                let set: BTreeSet<_> = paths.iter().cloned().collect();
                assert_eq!(set, libgit2(&repo, Some(old), new), "{old} -> {new}");
                assert_eq!(set.len(), paths.len(), "each path once");
            }
            let all = changed_paths(&odb, None, old).unwrap();
            let set: BTreeSet<_> = all.iter().cloned().collect();
            assert_eq!(set, libgit2(&repo, None, old));
        }
        let order = changed_paths(&odb, Some(trees[0]), trees[2]).unwrap();
        assert_eq!(order, ["a.b", "a/x", "b/c/d/e"], "git's order");
    }

    #[test]
    fn a_deep_tree_is_walked_without_recursion() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut leaf = repo.treebuilder(None).unwrap();
        leaf.insert("f", repo.blob(b"deep").unwrap(), FILE).unwrap();
        let mut id = leaf.write().unwrap();
        for _ in 0..50_000 {
            let mut up = repo.treebuilder(None).unwrap();
            up.insert("d", id, 0o040000).unwrap();
            id = up.write().unwrap();
        }
        let paths = changed_paths(&repo.odb().unwrap(), None, id).unwrap();
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].len(), "d/".len() * 50_000 + 1);
    }

    #[test]
    fn malformed_or_missing_trees_are_errors_or_cut_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let blob = repo.blob(b"x").unwrap();
        let missing = Oid::from_bytes(&[7; 20]).unwrap();
        assert!(changed_paths(&odb, None, missing).is_err());
        assert!(
            changed_paths(&odb, None, blob).is_err(),
            "a blob is no tree"
        );
        // A zero-padded mode is still a directory, and a cut entry ends the tree.
        let sub = build(&repo, &[("f", FILE, "1")]);
        let mut bytes = b"040000 src\0".to_vec();
        bytes.extend_from_slice(sub.as_bytes());
        bytes.extend_from_slice(b"100644 cut\0abc");
        let tree = odb.write(ObjectType::Tree, &bytes).unwrap();
        assert_eq!(changed_paths(&odb, None, tree).unwrap(), ["src/f"]);
    }
}
