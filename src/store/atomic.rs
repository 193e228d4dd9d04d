//! Writing files so that a reader never sees half of one, and a new file never
//! replaces an existing one.

use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use tempfile::NamedTempFile;

/// How the temporary file of a write under way is named: `<PREFIX>…<SUFFIX>`.
const PREFIX: &str = ".chg-";
const SUFFIX: &str = ".tmp";

/// Whether `name` is the temporary file of a write under way (chg's own, in the
/// records directory for a moment).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// A temporary file beside `path` holding what `write` writes, flushed to disk. It
/// gets the mode of the file it replaces, or what a new file gets under the umask:
/// tempfile's own 0600 would hide records from the rest of a shared checkout.
fn staged(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(PREFIX)
        .suffix(SUFFIX)
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    if let Ok(existing) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(existing.permissions())?;
    }
    let mut out = io::BufWriter::new(&mut tmp);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Replaces `path` with `bytes` in one rename.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, |out| out.write_all(bytes))
}

/// Replaces `path` with what `write` writes, in one rename: a large file is written
/// as it is produced, never held whole in memory.
pub fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    staged(path, write)?
        .persist(path)
        .map(drop)
        .map_err(|e| e.error)
}

/// Creates `path` holding `bytes`; fails with `AlreadyExists` rather than touch an
/// existing file. The content appears whole (link of a finished temporary file).
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    staged(path, |out| out.write_all(bytes))?
        .persist_noclobber(path)
        .map(drop)
        .map_err(|e| e.error)
}
