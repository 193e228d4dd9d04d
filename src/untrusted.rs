//! Files of the work tree arrive by pull request, so chg reads them as an attacker
//! may have laid them out. A record, a freeze, the policy or a file a record names is
//! read only if it is a regular file: never through a symbolic link (its target may be
//! a secret of the machine running chg, which chg would then print) and never from a
//! FIFO or a device (opening one can block forever or act). And the records directory
//! and the policy must be in the work tree itself: a link on the way there could send
//! reads and writes anywhere.

use crate::error::Failure;
use std::fs::FileType;
use std::io::{self, ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// What an entry that is not a regular file is, for messages.
pub fn describe(file_type: FileType) -> &'static str {
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "a regular file"
    }
}

fn not_regular(what: &str) -> io::Error {
    io::Error::new(
        ErrorKind::InvalidInput,
        format!("not a regular file: {what}"),
    )
}

/// The text of `path` if it is a regular file. Its own type is looked at first, so a
/// link, a FIFO or a device is never opened; then it is opened without following a
/// link or waiting for a FIFO's writer, and looked at again once open, so an entry
/// swapped in between is not read either.
pub fn read_regular(path: &Path) -> io::Result<String> {
    let entry = std::fs::symlink_metadata(path)?;
    if !entry.is_file() {
        return Err(not_regular(describe(entry.file_type())));
    }
    read_listed(path)
}

/// [`read_regular`] of a file that a directory listing (or a look at the entry
/// itself, a link not followed) just gave as a regular file: its type is not looked
/// up again before it is opened, which was a system call more for each of a register's
/// thousands of records. Once open it is looked at as [`read_regular`] does.
pub fn read_listed(path: &Path) -> io::Result<String> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => not_regular("a symbolic link"),
            _ => e,
        })?;
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(not_regular(describe(opened.file_type())));
    }
    // Never more than the largest file chg reads: a file that grows without end
    // (a device, a huge file) is not read whole. Room for what it holds, and a byte
    // more, so that it is read in one call and its end seen in the next.
    let room = (opened.len() as usize).min(crate::model::yaml::MAX_BYTES) + 1;
    let mut bytes = Vec::with_capacity(room);
    (&mut file)
        .take(crate::model::yaml::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > crate::model::yaml::MAX_BYTES {
        let why = crate::model::yaml::too_large().message;
        return Err(io::Error::new(ErrorKind::InvalidData, why));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}

/// The text of `rel` (a path relative to the work tree's `root`), read as
/// [`read_regular`] does, and only if no directory on the way is a link.
pub fn read_inside(root: &Path, rel: &str) -> io::Result<String> {
    read_regular(&inside(root, rel)?)
}

/// `root` joined with `rel`, once no part of `rel` is a symbolic link or a step out of
/// the work tree: a file chg may then read or replace (it need not exist).
pub fn inside(root: &Path, rel: &str) -> io::Result<PathBuf> {
    walk(root, rel).map_err(|e| match e {
        Walk::Link(shown) | Walk::Outside(shown) => io::Error::new(
            ErrorKind::InvalidInput,
            format!("{shown} is a symbolic link or leaves the work tree"),
        ),
        Walk::Io(e) => e,
    })
}

/// Refuses `rel` (the records directory or the policy, relative to the work tree's
/// `root`) when it or a directory on the way to it is a symbolic link, or when it
/// would leave the work tree. What does not exist yet is fine: chg creates it as a
/// directory or a file.
pub fn require_inside(root: &Path, rel: &str) -> Result<(), Failure> {
    match walk(root, rel) {
        Ok(_) => Ok(()),
        Err(Walk::Link(shown)) => Err(Failure::input(format!(
            "{shown} is a symbolic link: chg reads and writes the change register and its \
             policy only inside the work tree, never through a link"
        ))
        .hint(format!(
            "replace {shown} with the directory or file itself, and commit that"
        ))),
        Err(Walk::Outside(shown)) => Err(Failure::input(format!(
            "{shown} is outside the work tree: chg keeps the change register and its policy \
             inside it"
        ))),
        Err(Walk::Io(e)) => Err(Failure::input(format!("cannot read {rel}: {e}"))),
    }
}

/// Why a path of the work tree was not followed.
enum Walk {
    /// This part of the path is a symbolic link.
    Link(String),
    /// The path leaves the work tree here (`..`, an absolute path).
    Outside(String),
    Io(io::Error),
}

/// `root` joined with `rel`, once each part of `rel` up to the last that exists is
/// known to be no symbolic link and no step out of the work tree.
fn walk(root: &Path, rel: &str) -> Result<PathBuf, Walk> {
    let parts: Vec<&str> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if rel.starts_with('/') || parts.contains(&"..") {
        return Err(Walk::Outside(rel.to_string()));
    }
    let mut path = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Walk::Link(parts[..=i].join("/")))
            }
            Ok(_) => {}
            // Nothing further exists to be a link.
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(root.join(parts.join("/"))),
            Err(e) => return Err(Walk::Io(e)),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_and_refuses_links_fifos_and_directories() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        std::fs::write(root.join("secret"), "SECRET").unwrap();
        std::fs::write(root.join("a.yaml"), "id: x").unwrap();
        std::os::unix::fs::symlink(root.join("secret"), root.join("link.yaml")).unwrap();
        std::fs::create_dir(root.join("dir.yaml")).unwrap();
        let fifo = std::ffi::CString::new(root.join("fifo.yaml").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);

        // Read as listed too: what was swapped in since it was listed is refused
        // once open.
        for read in [read_regular, read_listed] {
            assert_eq!(read(&root.join("a.yaml")).unwrap(), "id: x");
            for (name, what) in [
                ("link.yaml", "a symbolic link"),
                ("dir.yaml", "a directory"),
                ("fifo.yaml", "a FIFO"),
            ] {
                let err = read(&root.join(name)).unwrap_err();
                assert_eq!(err.to_string(), format!("not a regular file: {what}"));
            }
        }
    }

    #[test]
    fn a_link_on_the_way_or_a_step_out_is_refused() {
        let dir = tempfile::TempDir::new().unwrap();
        let outside = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/adr")).unwrap();
        std::fs::write(root.join("docs/adr/1.md"), "ok").unwrap();
        std::fs::write(outside.path().join("1.md"), "SECRET").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();

        assert_eq!(read_inside(root, "docs/adr/1.md").unwrap(), "ok");
        assert!(read_inside(root, "linked/1.md").is_err());
        assert!(require_inside(root, "docs/adr").is_ok());
        assert!(require_inside(root, "not/yet/there").is_ok());
        let link = require_inside(root, "linked/records").unwrap_err();
        assert!(
            link.message.starts_with("linked is a symbolic link"),
            "{link}"
        );
        let out = require_inside(root, "docs/../..").unwrap_err();
        assert!(out.message.starts_with("docs/../.. is outside"), "{out}");
    }
}
