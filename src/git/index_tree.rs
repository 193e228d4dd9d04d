//! The index as a tree of files, for `chg check --staged` and the hooks: which files
//! it holds, their content, and what it changes against HEAD. Read by
//! [`IndexFile`] when it knows the file, else by libgit2.

use super::index_diff;
use super::index_file::IndexFile;
use super::Git;
use anyhow::{Context as _, Result};
use git2::Oid;
use std::path::{Path, PathBuf};

/// The entries of the index, as whichever reader read them.
enum Entries {
    File(IndexFile),
    /// A split or sparse index, or anything [`IndexFile`] does not read in full.
    Libgit2(git2::Index),
}

/// The index as a tree of files.
pub struct IndexTree<'a> {
    git: &'a Git,
    entries: Entries,
}

impl Git {
    /// Files as they stand in the index: the one `GIT_INDEX_FILE` names when set, as
    /// for every git command — git points its hooks at a temporary one for
    /// `git commit -a` or `git commit <paths>`.
    pub fn index_tree(&self) -> Result<IndexTree<'_>> {
        let named = std::env::var_os("GIT_INDEX_FILE").map(PathBuf::from);
        let path = named
            .clone()
            .unwrap_or_else(|| self.repo.path().join("index"));
        let read = std::fs::read(&path).ok();
        let entries = match read.as_deref().and_then(IndexFile::parse) {
            Some(file) => Entries::File(file),
            // libgit2 reads what is left, a missing index (an empty one) included.
            None => Entries::Libgit2(
                match named {
                    Some(file) => git2::Index::open(&file),
                    None => self.repo.index(),
                }
                .context("cannot read the git index")?,
            ),
        };
        Ok(IndexTree { git: self, entries })
    }
}

impl IndexTree<'_> {
    /// Files under `dir` whose path under it `keep` accepts, with their bytes.
    pub fn files_below(&self, dir: &str, keep: fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        self.each_below(dir, "", |name, _, id| {
            if keep(&name) {
                if let Ok(blob) = self.git.repo.find_blob(id) {
                    files.push((name, blob.content().to_vec()));
                }
            }
        });
        files
    }

    /// The paths under `dir` of its files that `keep` accepts, none of them read.
    pub fn names_below(&self, dir: &str, keep: fn(&str) -> bool) -> Vec<String> {
        let mut names = Vec::new();
        self.each_below(dir, "", |name, _, _| {
            if keep(&name) {
                names.push(name);
            }
        });
        names
    }

    /// Every entry at any depth below `dir` whose path under it starts with `start`,
    /// as that path and its git mode, none of them read.
    pub fn modes_below(&self, dir: &str, start: &str) -> Vec<(String, u32)> {
        let mut modes = Vec::new();
        self.each_below(dir, start, |name, mode, _| modes.push((name, mode)));
        modes
    }

    /// `visit` of each entry below `dir` whose path under it starts with `start`
    /// (every stage of a conflict), as that path, its mode and its id, in the
    /// index's order.
    fn each_below(&self, dir: &str, start: &str, mut visit: impl FnMut(String, u32, Oid)) {
        let dir = format!("{}/", dir.trim_end_matches('/'));
        let prefix = format!("{dir}{start}");
        let under = |path: &[u8]| {
            let path = String::from_utf8_lossy(path);
            let name = path.strip_prefix(&dir)?;
            name.starts_with(start).then(|| name.to_string())
        };
        match &self.entries {
            Entries::File(index) => {
                for entry in &index.entries[index.below(prefix.as_bytes())] {
                    if let Some(name) = under(index.path(entry)) {
                        visit(name, entry.mode, entry.id);
                    }
                }
            }
            Entries::Libgit2(index) => {
                for entry in index.iter() {
                    if let Some(name) = under(&entry.path) {
                        visit(name, entry.mode, entry.id);
                    }
                }
            }
        }
    }

    /// The id of the file at `path` (relative to the root), unless it is in conflict.
    fn find(&self, path: &str) -> Option<Oid> {
        match &self.entries {
            Entries::File(index) => index.find(path.as_bytes(), 0).map(|e| e.id),
            Entries::Libgit2(index) => index.get_path(Path::new(path), 0).map(|e| e.id),
        }
    }

    /// Paths whose staged content differs from HEAD's (every path before the first
    /// commit): what the commit being made changes.
    pub fn changed_since_head(&self) -> Result<Vec<String>> {
        let repo = &self.git.repo;
        let head = match repo.head() {
            Ok(head) => Some(head.peel_to_commit().context("cannot read HEAD")?.tree_id()),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) => return Err(e).context("cannot read HEAD"),
        };
        let index = match &self.entries {
            Entries::File(index) => {
                let odb = repo.odb().context("cannot read the object database")?;
                return index_diff::changed_paths(&odb, head, index);
            }
            Entries::Libgit2(index) => index,
        };
        let head = head.map(|id| repo.find_tree(id)).transpose();
        let head = head.context("cannot read HEAD's tree")?;
        let diff = repo
            .diff_tree_to_index(head.as_ref(), Some(index), None)
            .context("cannot compare the index with HEAD")?;
        Ok(diff
            .deltas()
            .filter_map(|d| {
                let path = d.new_file().path().or_else(|| d.old_file().path())?;
                Some(path.to_string_lossy().into_owned())
            })
            .collect())
    }
}

impl crate::rules::Tree for IndexTree<'_> {
    fn exists(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    fn read(&self, path: &str) -> Option<String> {
        let blob = self.git.repo.find_blob(self.find(path)?).ok()?;
        Some(String::from_utf8_lossy(blob.content()).into_owned())
    }
}
