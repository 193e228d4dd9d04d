//! Writing files so that a reader never sees half of one, and a new file never
//! replaces an existing one.
//!
//! A write goes to a temporary file, is flushed to disk and renamed over its target.
//! The temporary file lives under the git directory (`chg/tmp`), never in the
//! working tree: a chg killed mid-write leaves it where `git add -A` cannot pick it
//! up. A rename only works within one filesystem, so when the git directory is on
//! another one than the target (a worktree or a git dir placed elsewhere) the write
//! is staged in `.chg-tmp/` at the top of the working tree instead, a directory whose
//! own `.gitignore` hides it and everything in it from git.

use std::fs::Permissions;
use std::io::{self, ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::NamedTempFile;

/// How the temporary file of a write under way is named: `<PREFIX>…<SUFFIX>`.
const PREFIX: &str = ".chg-";
const SUFFIX: &str = ".tmp";

/// Where writes are staged when the git directory is on another filesystem.
const IGNORED_DIR: &str = ".chg-tmp";

/// Temporary files older than this were left by a chg that died: removed on the
/// next write staged beside them. No write takes this long.
const STALE: Duration = Duration::from_secs(3600);

/// Whether `name` is the temporary file of a write under way (older chg versions
/// staged writes in the records directory).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// The working tree's top and git directory of the repository holding `dir`: the
/// nearest `.git`, a directory or a file naming one (worktrees, submodules).
fn repository_of(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    dir.ancestors().find_map(|top| {
        let dot_git = top.join(".git");
        let meta = std::fs::metadata(&dot_git).ok()?;
        if meta.is_dir() {
            return Some((top.to_path_buf(), dot_git));
        }
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let named = text.strip_prefix("gitdir:")?.trim();
        Some((top.to_path_buf(), top.join(named)))
    })
}

fn same_filesystem(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

/// `.chg-tmp/` under `top`, made with a `.gitignore` of `*`: git ignores the
/// directory and all it holds, that file included.
fn ignored_dir(top: &Path) -> io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = top.join(IGNORED_DIR);
    // Never through a link a pull request committed under that name.
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{IGNORED_DIR} is not a directory"),
            ))
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir(&dir)?,
    }
    let ignore = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join(".gitignore"));
    match ignore {
        Ok(mut file) => io::Write::write_all(&mut file, b"*\n")?,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    Ok(dir)
}

/// Where to stage a write to a file in `target_dir`: the git directory's `chg/tmp`
/// when it is on the same filesystem, else [`ignored_dir`]; outside any repository,
/// beside the target (no `git add` will see it there).
fn staging_dir(target_dir: &Path) -> io::Result<PathBuf> {
    let Some((top, git_dir)) = repository_of(target_dir) else {
        return Ok(target_dir.to_path_buf());
    };
    let dir = git_dir.join("chg").join("tmp");
    if std::fs::create_dir_all(&dir).is_ok() && same_filesystem(&dir, target_dir) {
        return Ok(dir);
    }
    ignored_dir(&top)
}

/// Removes temporary files in `dir` left by a chg that died mid-write.
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE));
        if stale && is_temporary(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A temporary file in `dir`, for `path`, holding what `write` writes, flushed to
/// disk. It gets `mode`, else the mode of the file it replaces, else what a new file
/// gets under the umask: tempfile's own 0600 would hide records from the rest of a
/// shared checkout.
fn staged(
    dir: &Path,
    path: &Path,
    mode: Option<u32>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(PREFIX)
        .suffix(SUFFIX)
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    match (mode, std::fs::metadata(path)) {
        (Some(mode), _) => tmp
            .as_file()
            .set_permissions(Permissions::from_mode(mode))?,
        (None, Ok(existing)) => tmp.as_file().set_permissions(existing.permissions())?,
        (None, Err(_)) => {}
    }
    let mut out = io::BufWriter::new(&mut tmp);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// How a finished temporary file takes its target's place.
#[derive(Clone, Copy)]
enum Landing {
    Replace,
    NoClobber,
}

fn land(tmp: NamedTempFile, path: &Path, how: Landing) -> Result<(), tempfile::PersistError> {
    match how {
        Landing::Replace => tmp.persist(path).map(drop),
        Landing::NoClobber => tmp.persist_noclobber(path).map(drop),
    }
}

/// Stages what `write` writes and puts it at `path`. Should the rename still cross
/// filesystems (two mounts of one), the staged bytes are copied to [`ignored_dir`]
/// and renamed from there.
fn write_file(
    path: &Path,
    mode: Option<u32>,
    how: Landing,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target_dir = path.parent().unwrap_or(Path::new("."));
    let dir = staging_dir(target_dir)?;
    sweep(&dir);
    let tmp = staged(&dir, path, mode, write)?;
    match land(tmp, path, how) {
        Err(e) if e.error.kind() == ErrorKind::CrossesDevices => {
            let top = repository_of(target_dir).map_or(target_dir.to_path_buf(), |(top, _)| top);
            let mut staged_bytes = e.file.reopen()?;
            let again = staged(&ignored_dir(&top)?, path, mode, |out| {
                io::copy(&mut staged_bytes, out).map(drop)
            })?;
            land(again, path, how).map_err(|e| e.error)
        }
        other => other.map_err(|e| e.error),
    }
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
    write_file(path, None, Landing::Replace, write)
}

/// Replaces `path` with `bytes` in one rename, the new file having `mode` from the
/// start: a script is never found there but not yet executable.
pub fn replace_with_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    write_file(path, Some(mode), Landing::Replace, |out| {
        out.write_all(bytes)
    })
}

/// Creates `path` holding `bytes`; fails with `AlreadyExists` rather than touch an
/// existing file. The content appears whole (link of a finished temporary file).
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file(path, None, Landing::NoClobber, |out| out.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_in_a_repository_stage_under_its_git_directory() {
        let top = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(top.path().join(".git")).unwrap();
        let records = top.path().join(".changes");
        std::fs::create_dir_all(&records).unwrap();
        assert_eq!(
            staging_dir(&records).unwrap(),
            top.path().join(".git/chg/tmp")
        );
        create_new(&records.join("A.yaml"), b"a\n").unwrap();
        replace(&records.join("A.yaml"), b"b\n").unwrap();
        let names: Vec<_> = std::fs::read_dir(&records).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only the record: {names:?}");
        assert_eq!(std::fs::read(records.join("A.yaml")).unwrap(), b"b\n");
        let err = create_new(&records.join("A.yaml"), b"c\n").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    }

    #[test]
    fn a_git_file_names_the_git_directory() {
        let top = tempfile::tempdir().unwrap();
        let elsewhere = top.path().join("gitdirs/wt");
        std::fs::create_dir_all(&elsewhere).unwrap();
        let tree = top.path().join("wt");
        std::fs::create_dir_all(tree.join("sub")).unwrap();
        std::fs::write(
            tree.join(".git"),
            format!("gitdir: {}\n", elsewhere.display()),
        )
        .unwrap();
        assert_eq!(
            repository_of(&tree.join("sub")),
            Some((tree.clone(), elsewhere))
        );
    }

    #[test]
    fn the_fallback_directory_ignores_itself() {
        let top = tempfile::tempdir().unwrap();
        let dir = ignored_dir(top.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
            "*\n"
        );
    }
}
