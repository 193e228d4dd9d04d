//! The layout of the records directory, and the one place that knows it: records are
//! regular files `<ID>.yaml` directly in it, freezes are `freezes/<ID>.yaml`, and
//! `schema.json` (with the temporary file of a write under way) is chg's own.
//! Anything else is a stray: chg would not read it, so a record renamed `.yml` or
//! moved into a subdirectory would vanish from every command. Strays are listed here
//! without following or opening them, and R009 reports them.

use super::{atomic, Store};
use crate::git::IndexTree;
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use std::fs::FileType;
use std::io::ErrorKind;

/// The subdirectory of the records directory that holds freezes.
pub const FREEZES: &str = "freezes";

/// Whether a file of the records directory or of `freezes/` is read as a record or
/// a freeze; what it holds is then judged by the rules on records (R001, R003).
pub fn is_read(name: &str) -> bool {
    name.ends_with(".yaml")
}

/// An entry of the records directory that chg does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    /// Path relative to the repository root; a directory's ends in `/`.
    pub path: String,
    /// What chg reads there instead.
    pub expected: &'static str,
}

/// What an entry is, as listed: never followed or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Link,
    /// A FIFO, socket or device in the working tree, a submodule in the index.
    Other,
}

impl Kind {
    fn of(file_type: FileType) -> Kind {
        if file_type.is_symlink() {
            Kind::Link
        } else if file_type.is_dir() {
            Kind::Dir
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    /// The kind of an index entry, from its git mode.
    fn of_mode(mode: u32) -> Kind {
        match mode & 0o170000 {
            0o100000 => Kind::File,
            0o120000 => Kind::Link,
            0o040000 => Kind::Dir,
            _ => Kind::Other,
        }
    }
}

const RECORD_NAMES: &str = "chg does not read this file: records are files named <ID>.yaml \
(besides them, chg reads only freezes/ and schema.json here)";
const FREEZE_NAMES: &str =
    "chg does not read this file: freezes are files named <ID>.yaml, e.g. FRZ-2026-0001.yaml";
const NO_DIRECTORIES: &str = "chg does not read this directory: records are files named \
<ID>.yaml directly in the records directory, and freezes/ is the only directory chg reads";
const NO_DIRECTORIES_IN_FREEZES: &str =
    "chg does not read this directory: freezes are files named <ID>.yaml directly in freezes/";
const NO_LINKS: &str = "a symbolic link is not read as a record or freeze: they are regular files";
const NO_SPECIAL: &str = "not a regular file, so not read as a record or freeze: they are \
regular files";

/// Why an entry directly in the records directory is not one chg reads or wrote.
fn top(name: &str, kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::File
            if is_read(name) || name == crate::schema::FILE_NAME || atomic::is_temporary(name) =>
        {
            None
        }
        Kind::Dir if name == FREEZES => None,
        Kind::File => Some(RECORD_NAMES),
        Kind::Dir => Some(NO_DIRECTORIES),
        Kind::Link => Some(NO_LINKS),
        Kind::Other => Some(NO_SPECIAL),
    }
}

/// Why an entry directly in `freezes/` is not one chg reads or wrote.
fn in_freezes(name: &str, kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::File if is_read(name) || atomic::is_temporary(name) => None,
        Kind::File => Some(FREEZE_NAMES),
        Kind::Dir => Some(NO_DIRECTORIES_IN_FREEZES),
        Kind::Link => Some(NO_LINKS),
        Kind::Other => Some(NO_SPECIAL),
    }
}

/// The stray that `rel` (a path under the records directory, of `kind`) is or lies
/// in — the topmost entry chg does not read — as `(path under the directory, why)`.
fn judge(rel: &str, kind: Kind) -> Option<(String, &'static str)> {
    let slash = if kind == Kind::Dir { "/" } else { "" };
    match rel.split_once('/') {
        None => Some((format!("{rel}{slash}"), top(rel, kind)?)),
        Some((FREEZES, inner)) => match inner.split_once('/') {
            None => Some((format!("{rel}{slash}"), in_freezes(inner, kind)?)),
            Some((sub, _)) => Some((format!("{FREEZES}/{sub}/"), NO_DIRECTORIES_IN_FREEZES)),
        },
        Some((first, _)) => Some((format!("{first}/"), NO_DIRECTORIES)),
    }
}

impl Store {
    /// Every entry of the records directory in the working tree that chg does not
    /// read, in path order.
    pub fn strays(&self) -> Result<Vec<Stray>> {
        let mut entries = self.entries("")?;
        if entries
            .iter()
            .any(|(rel, kind)| rel == FREEZES && *kind == Kind::Dir)
        {
            entries.extend(self.entries(FREEZES)?);
        }
        Ok(self.collect_strays(entries))
    }

    /// Every entry of the records directory in the index that chg does not read.
    pub fn staged_strays(&self, index: &IndexTree) -> Vec<Stray> {
        let entries = index
            .modes_below(&self.dir)
            .into_iter()
            .map(|(rel, mode)| (rel, Kind::of_mode(mode)));
        self.collect_strays(entries)
    }

    fn collect_strays(&self, entries: impl IntoIterator<Item = (String, Kind)>) -> Vec<Stray> {
        // Keyed by path: the index lists each file of a stray directory.
        let strays: BTreeMap<String, &'static str> = entries
            .into_iter()
            .filter_map(|(rel, kind)| judge(&rel, kind))
            .collect();
        strays
            .into_iter()
            .map(|(rel, expected)| Stray {
                path: format!("{}/{rel}", self.dir),
                expected,
            })
            .collect()
    }

    /// The entries of `sub` (a directory under the records directory, `""` for
    /// itself) in the working tree, as paths under the records directory.
    fn entries(&self, sub: &str) -> Result<Vec<(String, Kind)>> {
        let shown = [self.dir.as_str(), sub].join("/");
        let path = self.root.join(&self.dir).join(sub);
        let read = match std::fs::read_dir(&path) {
            Ok(read) => read,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
        };
        let mut entries = Vec::new();
        for entry in read {
            let entry = entry.with_context(|| format!("cannot read {shown}"))?;
            // The entry's own type: a link is not followed.
            let kind = Kind::of(
                entry
                    .file_type()
                    .with_context(|| format!("cannot read {shown}"))?,
            );
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if sub.is_empty() {
                name
            } else {
                format!("{sub}/{name}")
            };
            entries.push((rel, kind));
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_freezes_and_chgs_own_files_are_not_strays() {
        for (rel, kind) in [
            ("CHG-2026-0001.yaml", Kind::File),
            ("schema.json", Kind::File),
            (".chg-a1b2c3.tmp", Kind::File),
            ("freezes", Kind::Dir),
            ("freezes/FRZ-2026-0001.yaml", Kind::File),
        ] {
            assert_eq!(judge(rel, kind), None, "{rel}");
        }
    }

    #[test]
    fn anything_else_is_a_stray_at_its_topmost_unread_entry() {
        let cases = [
            (
                "CHG-2026-0001.yml",
                Kind::File,
                "CHG-2026-0001.yml",
                RECORD_NAMES,
            ),
            (
                "CHG-2026-0001.yaml",
                Kind::Dir,
                "CHG-2026-0001.yaml/",
                NO_DIRECTORIES,
            ),
            ("old/CHG-2026-0001.yaml", Kind::File, "old/", NO_DIRECTORIES),
            (
                "CHG-2026-0001.yaml",
                Kind::Link,
                "CHG-2026-0001.yaml",
                NO_LINKS,
            ),
            (
                "CHG-2026-0001.yaml",
                Kind::Other,
                "CHG-2026-0001.yaml",
                NO_SPECIAL,
            ),
            ("freezes", Kind::File, "freezes", RECORD_NAMES),
            ("schema.json", Kind::Dir, "schema.json/", NO_DIRECTORIES),
            (
                "freezes/FRZ-2026-0001.bak",
                Kind::File,
                "freezes/FRZ-2026-0001.bak",
                FREEZE_NAMES,
            ),
            (
                "freezes/old/x.yaml",
                Kind::File,
                "freezes/old/",
                NO_DIRECTORIES_IN_FREEZES,
            ),
        ];
        for (rel, kind, at, why) in cases {
            assert_eq!(judge(rel, kind), Some((at.to_string(), why)), "{rel}");
        }
    }

    #[test]
    fn index_modes_map_to_kinds() {
        assert_eq!(Kind::of_mode(0o100644), Kind::File);
        assert_eq!(Kind::of_mode(0o100755), Kind::File);
        assert_eq!(Kind::of_mode(0o120000), Kind::Link);
        assert_eq!(Kind::of_mode(0o160000), Kind::Other);
    }
}
