//! The commit being made, as the index holds it: the paths it changes against HEAD
//! and which record files it holds. Reads the index and HEAD's tree; no record is
//! parsed until a check asks for it by name.

use crate::git::{Git, IndexTree};
use crate::model::{ChangeId, ChangeKey};
use crate::policy::Policy;
use crate::rules::Tree;
use crate::store::{change_of_place, is_record_place, record_places, Store, Stored, Unreadable};
use anyhow::Result;
use std::cell::OnceCell;
use std::collections::HashMap;

pub struct Staged<'g> {
    git: &'g Git,
    pub index: IndexTree<'g>,
    /// Paths whose staged content differs from HEAD's.
    pub paths: Vec<String>,
    /// The commit concludes a merge: like `chg check`, the hooks ask no reference of
    /// it (H002, H003), since the commits it brings in carry theirs.
    pub merging: bool,
    /// The records directory, relative to the root.
    dir: String,
    /// Record files in the index (paths under the records directory) by the change
    /// their name says, so that an ID written with another width still finds its record.
    names: OnceCell<HashMap<ChangeKey, String>>,
}

impl<'g> Staged<'g> {
    pub fn read(git: &'g Git, policy: &Policy) -> Result<Staged<'g>> {
        let index = git.index_tree()?;
        let paths = index.changed_since_head()?;
        Ok(Staged {
            git,
            index,
            paths,
            merging: git.is_merging(),
            dir: policy.changes.dir.trim_end_matches('/').to_string(),
            names: OnceCell::new(),
        })
    }

    /// Record files in the index by the change their name says, read at the first
    /// question: most commits never ask, and a register holds tens of thousands.
    fn names(&self) -> &HashMap<ChangeKey, String> {
        self.names.get_or_init(|| {
            let mut names = HashMap::new();
            for name in self.index.names_below(&self.dir, is_record_place) {
                if let Some(id) = change_of_place(&name) {
                    names.entry(id.key()).or_insert(name);
                }
            }
            names
        })
    }

    /// The path under the records directory of `path` (relative to the root), where
    /// it lies there.
    pub fn in_register<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(&self.dir)?.strip_prefix('/')
    }

    /// Whether the index holds `<dir>/<name>`.
    pub fn holds(&self, name: &str) -> bool {
        self.index.exists(&format!("{}/{name}", self.dir))
    }

    /// The file of change `id`'s record in the index, if it has one: `<id>.yaml` at
    /// one of its places, else a file naming the same change with another width.
    pub fn record_name(&self, id: &ChangeId) -> Option<String> {
        let exact = record_places(id).into_iter().find(|rel| self.holds(rel));
        exact.or_else(|| self.names().get(&id.key()).cloned())
    }

    /// Record files (paths under the records directory) the commit adds or modifies.
    pub fn changed_records(&self) -> Vec<&str> {
        self.paths
            .iter()
            .filter_map(|p| self.in_register(p))
            .filter(|rel| is_record_place(rel) && self.holds(rel))
            .collect()
    }

    /// Every record file name in the index, the newest change last.
    pub fn records_oldest_first(&self) -> Vec<&str> {
        let mut all: Vec<(&ChangeKey, &String)> = self.names().iter().collect();
        all.sort();
        all.into_iter().map(|(_, name)| name.as_str()).collect()
    }

    /// The record `<dir>/<name>` as HEAD holds it: the record before this commit,
    /// at that place or, for a commit that moves it between layouts, at the other
    /// place of its change.
    pub fn at_head(&self, name: &str) -> Option<String> {
        let git = self.git;
        let tree = git.tree_of(git.head()?.parse().ok()?)?;
        let moved = change_of_place(name).map(|id| record_places(&id));
        let blob = std::iter::once(name.to_string())
            .chain(moved.into_iter().flatten())
            .find_map(|rel| git.entry_in(tree, &format!("{}/{rel}", self.dir)))?;
        Some(String::from_utf8_lossy(&git.blob(blob)?).into_owned())
    }

    /// Whether the commit changes `<dir>/<name>`.
    pub fn changes(&self, name: &str) -> bool {
        let path = format!("{}/{name}", self.dir);
        self.paths.contains(&path)
    }

    /// The named record files as staged, parsed.
    pub fn load(&self, store: &Store, names: &[&str]) -> (Vec<Stored>, Vec<Unreadable>) {
        store.load_staged_named(&self.index, names)
    }
}
