//! The id of the tree each folder of the index makes, as `git write-tree` would
//! write it, without writing it: a folder whose cached tree is still valid has its
//! id already; any other is hashed from its entries. A fresh clone or a checkout
//! leaves many folders uncached, and hashing a few thousand entries is cheaper than
//! reading HEAD's trees to compare them one by one.

use super::index_file::IndexFile;
use git2::{ObjectType, Oid};
use std::collections::HashMap;
use std::io::Write as _;
use std::ops::Range;

/// Folders nested deeper than this below where hashing starts are not hashed: their
/// trees are compared by reading, and the stack stays shallow.
const DEPTH: usize = 64;

/// The trees of the index's folders, each hashed at most once.
pub struct WrittenTrees<'a> {
    index: &'a IndexFile,
    /// By the folder's path with its `/` (empty for the root).
    hashed: HashMap<Vec<u8>, Option<Oid>>,
}

impl<'a> WrittenTrees<'a> {
    pub fn new(index: &'a IndexFile) -> WrittenTrees<'a> {
        WrittenTrees {
            index,
            hashed: HashMap::new(),
        }
    }

    /// The id of the tree the entries in `range`, the folder `prefix` (with its `/`)
    /// cached at `cached`, make. None where they make none: a conflict, or folders
    /// nested too deep. An entry added with intent is written like any other, so
    /// the folder differs from HEAD's wherever comparing entries would find so.
    pub fn id(&mut self, prefix: &[u8], range: Range<usize>, cached: Option<usize>) -> Option<Oid> {
        self.id_at(prefix, range, cached, 0)
    }

    fn id_at(
        &mut self,
        prefix: &[u8],
        range: Range<usize>,
        cached: Option<usize>,
        depth: usize,
    ) -> Option<Oid> {
        if let Some(tree) = cached.map(|at| &self.index.trees[at]) {
            if tree.id.is_some() && tree.entries == range.len() {
                return tree.id;
            }
        }
        if let Some(&id) = self.hashed.get(prefix) {
            return id;
        }
        let id = self.hash(prefix, range, cached, depth);
        self.hashed.insert(prefix.to_vec(), id);
        id
    }

    /// The tree's bytes, `<mode> <name>\0<id>` for each name in git's order (the
    /// index's order), hashed.
    fn hash(
        &mut self,
        prefix: &[u8],
        range: Range<usize>,
        cached: Option<usize>,
        depth: usize,
    ) -> Option<Oid> {
        if depth > DEPTH {
            return None;
        }
        let index = self.index;
        let mut bytes = Vec::new();
        let mut at = range.start;
        while at < range.end {
            let child = index.child(prefix.len(), at, range.end);
            at = child.range.end;
            let (mode, id) = if child.is_folder {
                let below = [prefix, child.name, b"/"].concat();
                let cached = index.cached_below(cached, child.name);
                (0o40000, self.id_at(&below, child.range, cached, depth + 1)?)
            } else {
                let entry = &index.entries[child.range.start];
                if child.range.len() != 1 || entry.stage != 0 {
                    return None;
                }
                (entry.mode, entry.id)
            };
            write!(bytes, "{mode:o} ").ok()?;
            bytes.extend_from_slice(child.name);
            bytes.push(0);
            bytes.extend_from_slice(id.as_bytes());
        }
        Oid::hash_object(ObjectType::Tree, &bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scratch::Scratch;

    #[test]
    fn hashes_the_tree_git_writes_for_each_folder() {
        let repo = Scratch::init();
        repo.add(&[
            ("a.b", "1"),
            ("a/x", "2"),
            ("src/deep/f", "3"),
            ("src/g", "4"),
        ]);
        repo.git(&["update-index", "--chmod=+x", "src/g"]);
        repo.stage("160000", &"1".repeat(40), "sub");
        let index = IndexFile::parse(&repo.index_bytes()).unwrap();
        assert!(
            index.trees.is_empty(),
            "nothing cached before a tree is written"
        );
        let mut trees = WrittenTrees::new(&index);
        for prefix in ["", "src/", "src/deep/", "a/"] {
            let range = index.below(prefix.as_bytes());
            let ours = trees.id(prefix.as_bytes(), range, None).unwrap();
            let written = repo.git(&["write-tree", &format!("--prefix={prefix}")]);
            assert_eq!(ours.to_string(), written.trim(), "{prefix:?}");
        }
    }

    #[test]
    fn a_conflict_makes_no_tree() {
        let repo = Scratch::init();
        repo.add(&[("d/f", "1")]);
        let blob = repo.git(&["hash-object", "-w", "d/f"]);
        repo.git(&["update-index", "--force-remove", "d/f"]);
        let stage = format!("100644 {} 2\td/f\n", blob.trim());
        repo.git_fed(&["update-index", "--index-info"], &stage);
        let index = IndexFile::parse(&repo.index_bytes()).unwrap();
        assert_eq!(index.entries[0].stage, 2);
        let mut trees = WrittenTrees::new(&index);
        assert_eq!(trees.id(b"", 0..1, None), None);
    }
}
