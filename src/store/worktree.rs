//! The working tree as the rules see it: files under the repository root only.

use crate::rules::Tree;
use std::path::{Component, Path, PathBuf};

pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    pub fn new(root: &Path) -> WorkTree {
        WorkTree {
            root: root.to_path_buf(),
        }
    }

    /// The file for a repository-relative path; `None` for paths that would leave the root.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let rel = Path::new(path);
        let inside = rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        (inside && !path.is_empty()).then(|| self.root.join(rel))
    }
}

impl Tree for WorkTree {
    fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some_and(|p| p.is_file())
    }

    fn read(&self, path: &str) -> Option<String> {
        // A file a record names is read only as a regular file inside the tree:
        // a link to a secret elsewhere would be printed (an ADR's status line).
        self.resolve(path)?;
        crate::untrusted::read_inside(&self.root, path).ok()
    }

    fn shared(&self) -> Option<&(dyn Tree + Sync)> {
        Some(self)
    }
}
