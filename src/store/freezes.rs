//! Freezes on disk: `<records dir>/freezes/FRZ-YYYY-NNNN.yaml` (SPEC §2.2).

use super::{atomic, parse_files, staged_files, Files, Store, Unreadable};
use crate::error::Failure;
use crate::git::{Git, IndexTree};
use crate::model::freeze::{Freeze, PREFIX};
use crate::model::ChangeId;
use anyhow::{Context as _, Result};

/// A freeze read from the register, with the file it came from.
#[derive(Debug, Clone)]
pub struct StoredFreeze {
    /// Path relative to the repository root.
    pub path: String,
    pub freeze: Freeze,
}

impl Store {
    /// The freezes directory, relative to the root.
    pub fn freezes_dir(&self) -> String {
        format!("{}/{}", self.dir, super::layout::FREEZES)
    }

    /// Every freeze in the working tree; those that cannot be read are reported.
    pub fn load_freezes(&self) -> Result<(Vec<StoredFreeze>, Vec<Unreadable>)> {
        let dir = self.freezes_dir();
        Ok(collect(&dir, self.read_files(&dir)?))
    }

    /// Every freeze in the working tree, for a move that must respect them: one that
    /// cannot be read could be hiding a freeze in force, so it stops the move.
    pub fn freezes(&self) -> Result<Vec<Freeze>> {
        let (freezes, unreadable) = self.load_freezes()?;
        if let Some(u) = unreadable.first() {
            return Err(Failure::input(format!("cannot read a freeze: {u}"))
                .hint("fix the file, or run `chg check` to see every problem")
                .into());
        }
        Ok(freezes.into_iter().map(|s| s.freeze).collect())
    }

    /// Every freeze as staged in the index.
    pub fn load_staged_freezes(&self, index: &IndexTree) -> (Vec<StoredFreeze>, Vec<Unreadable>) {
        let dir = self.freezes_dir();
        collect(&dir, staged_files(index, &dir, |rel| !rel.contains('/')))
    }

    /// Declares a freeze under the next free `FRZ-<year>-NNNN`.
    pub fn create_freeze(
        &self,
        git: &Git,
        year: u16,
        make: impl Fn(ChangeId) -> Freeze,
    ) -> Result<Freeze> {
        let first = ChangeId::new(PREFIX, year, 1, self.digits);
        self.create_in(git, &self.freezes_dir(), first, make)
    }

    /// Writes an existing freeze back, atomically.
    pub fn save_freeze(&self, freeze: &Freeze) -> Result<()> {
        let path = format!("{}/{}", self.freezes_dir(), freeze.id.file_name());
        let text = super::file_text("", freeze, &path)?;
        atomic::replace(&self.root.join(&path), text.as_bytes())
            .with_context(|| format!("cannot write {path}"))
    }
}

fn collect(dir: &str, files: Files) -> (Vec<StoredFreeze>, Vec<Unreadable>) {
    let (mut freezes, mut unreadable) = (Vec::new(), Vec::new());
    for (name, path, parsed) in parse_files::<Freeze>(dir, files) {
        match parsed {
            // The file name is how a freeze is found and ended: it must be its ID.
            Ok(freeze) if name != freeze.id.file_name() => unreadable.push(Unreadable {
                path,
                at: None,
                message: format!("holds {}, but the file is named {name}", freeze.id),
            }),
            Ok(freeze) => freezes.push(StoredFreeze { path, freeze }),
            Err(u) => unreadable.push(u),
        }
    }
    freezes.sort_by(|a, b| a.freeze.id.cmp(&b.freeze.id));
    unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    (freezes, unreadable)
}
