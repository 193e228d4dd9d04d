//! Writing files so that a reader never sees half of one, and a new file never
//! replaces an existing one.

use std::io::{self, Write};
use std::path::Path;
use tempfile::NamedTempFile;

/// A temporary file beside `path` holding `bytes`, flushed to disk.
fn staged(path: &Path, bytes: &[u8]) -> io::Result<NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".chg-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Replaces `path` with `bytes` in one rename.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    staged(path, bytes)?
        .persist(path)
        .map(drop)
        .map_err(|e| e.error)
}

/// Creates `path` holding `bytes`; fails with `AlreadyExists` rather than touch an
/// existing file. The content appears whole (link of a finished temporary file).
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    staged(path, bytes)?
        .persist_noclobber(path)
        .map(drop)
        .map_err(|e| e.error)
}
