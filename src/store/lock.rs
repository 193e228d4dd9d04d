//! One writer per record at a time: two approvers deciding at once must both land.

use crate::error::Failure;
use anyhow::Result;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held while a record is read, changed and written; released on drop.
pub struct RecordLock {
    path: PathBuf,
}

/// How long to wait for another chg working on the same record.
const PATIENCE: Duration = Duration::from_secs(10);

/// Takes the lock for `name` under `dir` (the git directory's `chg/locks`), waiting
/// for another holder up to [`PATIENCE`].
pub fn lock(dir: &Path, name: &str) -> Result<RecordLock> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{name}.lock"));
    let started = Instant::now();
    loop {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => return Ok(RecordLock { path }),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && started.elapsed() < PATIENCE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                return Err(Failure::input(format!(
                    "another chg has been changing {name} for {}s",
                    PATIENCE.as_secs()
                ))
                .hint(format!("if no chg is running, delete {}", path.display()))
                .into())
            }
            Err(e) => {
                return Err(Failure::input(format!("cannot create {}: {e}", path.display())).into())
            }
        }
    }
}

impl Drop for RecordLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
