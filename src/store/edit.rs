//! An edit in progress: the copy a person edits, kept under the git directory until it
//! is saved, and the record as it was when the edit began.

use crate::error::Failure;
use crate::model::ChangeId;
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};

pub struct EditSession {
    /// The copy the editor opens; kept when an edit cannot be saved.
    pub kept: PathBuf,
    /// The record's text when the kept edit began: saving over a record that has moved
    /// on since (an approval, a transition) would lose that.
    base: PathBuf,
    /// Whether this continues an edit kept from an earlier `chg edit`.
    pub resumed: bool,
}

impl EditSession {
    /// Starts an edit of the record `id` whose text is now `original`, or resumes the
    /// kept one under `dir`; refuses to resume over a record that has changed since.
    pub fn open(dir: &Path, id: &ChangeId, shown: &str, original: &str) -> Result<EditSession> {
        let kept = dir.join(format!("{id}.yaml"));
        let base = dir.join(format!("{id}.base.yaml"));
        let resumed = kept.exists();
        if resumed {
            if std::fs::read_to_string(&base).ok().as_deref() != Some(original) {
                return Err(Failure::input(format!(
                    "{shown} has changed since the edit kept at {} began",
                    kept.display()
                ))
                .hint("copy what you need from the kept edit, delete it, and run `chg edit` again")
                .into());
            }
        } else {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            std::fs::write(&base, original)
                .with_context(|| format!("cannot write {}", base.display()))?;
            std::fs::write(&kept, original)
                .with_context(|| format!("cannot write {}", kept.display()))?;
        }
        Ok(EditSession {
            kept,
            base,
            resumed,
        })
    }

    /// The edited text.
    pub fn text(&self) -> Result<String> {
        std::fs::read_to_string(&self.kept)
            .with_context(|| format!("cannot read {}", self.kept.display()))
    }

    /// Ends the session: the edit was saved, or there was nothing to save.
    pub fn discard(self) {
        std::fs::remove_file(&self.kept).ok();
        std::fs::remove_file(&self.base).ok();
    }
}
