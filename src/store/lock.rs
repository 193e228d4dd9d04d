//! One writer per record at a time: two approvers deciding at once must both land.
//! The lock is the operating system's advisory lock on a file under the git
//! directory's `chg/locks`: it goes with the process that holds it, so a chg killed
//! mid-write leaves nothing for the next one to wait on.

use crate::error::Failure;
use anyhow::Result;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Held while a record is read, changed and written; released on drop, or by the
/// system when the process ends however it ends.
pub struct RecordLock {
    _file: File,
}

/// How long to wait for another chg working on the same record.
const PATIENCE: Duration = Duration::from_secs(10);

/// Takes the lock for `name` under `dir` (the git directory's `chg/locks`), waiting
/// for another holder up to [`PATIENCE`]. The lock file stays when released: removing
/// it would let a waiter hold a lock on a file no longer there while a newcomer
/// locks a new one.
pub fn lock(dir: &Path, name: &str) -> Result<RecordLock> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{name}.lock"));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Failure::input(format!("cannot open {}: {e}", path.display())))?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(RecordLock { _file: file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < PATIENCE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(Failure::input(format!(
                    "another chg has been changing {name} for {}s",
                    PATIENCE.as_secs()
                ))
                .hint("wait for it to finish, then run the command again")
                .into())
            }
            Err(TryLockError::Error(e)) => {
                return Err(Failure::input(format!("cannot lock {}: {e}", path.display())).into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_lock_is_taken_again_at_once() {
        let dir = tempfile::tempdir().unwrap();
        drop(lock(dir.path(), "CHG-2026-0001").unwrap());
        let _held = lock(dir.path(), "CHG-2026-0001").unwrap();
        assert!(dir.path().join("CHG-2026-0001.lock").exists());
    }
}
