//! The layout of the records directory, and the one place that knows it. Records are
//! regular files `<ID>.yaml`, either directly in it (flat) or fanned out as
//! `<YYYY>/<NN>xx/<ID>.yaml` (the ID's year, then its number with the last two digits
//! as `xx`), so that no tree of a large register holds more than a hundred records
//! and git reads a few small trees for each commit that changes one. Every reader
//! accepts both places, so a register reads the same before and after it moves;
//! where both hold a file, the fanned-out one is read. Freezes are
//! `freezes/<ID>.yaml`, and `schema.json` (with the temporary file of a write under
//! way) is chg's own. Anything else is a stray: chg would not read it, so a record
//! renamed `.yml` or put in another folder would vanish from every command. Strays
//! are listed here without following or opening them, and R009 reports them.

use super::{atomic, Store};
use crate::git::IndexTree;
use crate::model::ChangeId;
use anyhow::{Context as _, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::FileType;
use std::io::ErrorKind;

/// The subdirectory of the records directory that holds freezes.
pub const FREEZES: &str = "freezes";

/// Whether a file of the records directory or of `freezes/` is read as a record or
/// a freeze; what it holds is then judged by the rules on records (R001, R003).
pub fn is_read(name: &str) -> bool {
    name.ends_with(".yaml")
}

/// Where a register keeps its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `<ID>.yaml` directly in the records directory.
    Flat,
    /// `<YYYY>/<NN>xx/<ID>.yaml`: small trees however large the register grows.
    Fanned,
}

impl Layout {
    /// Where the record of `id` lies under the records directory in this layout.
    pub fn place(self, id: &ChangeId) -> String {
        match self {
            Layout::Flat => id.file_name(),
            Layout::Fanned => format!("{}/{}", fanned_folder(id), id.file_name()),
        }
    }

    /// The layout whose place `rel` (a record's path under the records directory) is.
    pub fn of_place(rel: &str) -> Layout {
        if rel.contains('/') {
            Layout::Fanned
        } else {
            Layout::Flat
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::Flat => "flat",
            Layout::Fanned => "fanned",
        }
    }
}

/// The places the record of `id` may lie under the records directory, in the order
/// they are read: the first that holds a file is the record.
pub fn places(id: &ChangeId) -> [String; 2] {
    [Layout::Fanned.place(id), Layout::Flat.place(id)]
}

/// The folder of the fanned-out layout that holds `id`'s record: `2026/01xx` for
/// CHG-2026-0123, `2026/xx` for a number of two digits.
fn fanned_folder(id: &ChangeId) -> String {
    let text = id.to_string();
    let number = text.rsplit('-').next().unwrap_or_default();
    let head = &number[..number.len().saturating_sub(2)];
    format!("{:04}/{head}xx", id.year())
}

/// Whether `path` is the stray `stray`, or lies in it when it is a folder.
fn is_at_or_in(path: &str, stray: &str) -> bool {
    path == stray || (stray.ends_with('/') && path.starts_with(stray))
}

/// The change a record file's name says, wherever under the records directory it
/// lies (`rel`, or any path ending in the file's name).
pub fn change_of_place(rel: &str) -> Option<ChangeId> {
    ChangeId::from_file_name(rel.rsplit('/').next().unwrap_or(rel))
}

/// Whether `rel` (a path under the records directory) is a place chg reads a record
/// from: a `*.yaml` file directly in it (whatever its name: R003 judges a name that is
/// not its ID), or a record's file in the folder of the fanned-out layout its ID gives.
pub fn is_record_place(rel: &str) -> bool {
    match rel.rsplit_once('/') {
        None => is_read(rel),
        Some((folder, name)) => {
            ChangeId::from_file_name(name).is_some_and(|id| fanned_folder(&id) == folder)
        }
    }
}

/// Whether `name`, directly in the records directory, is a year's folder.
fn is_year(name: &str) -> bool {
    name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `name`, in a year's folder, is a folder of a hundred numbers (`01xx`).
fn is_hundreds(name: &str) -> bool {
    name.strip_suffix("xx")
        .is_some_and(|head| head.len() <= 7 && head.bytes().all(|b| b.is_ascii_digit()))
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
(besides them, chg reads only freezes/, schema.json and the year folders of a fanned-out \
register here)";
const FREEZE_NAMES: &str =
    "chg does not read this file: freezes are files named <ID>.yaml, e.g. FRZ-2026-0001.yaml";
const NO_DIRECTORIES: &str = "chg does not read this directory: records are files named \
<ID>.yaml, directly in the records directory or at <YYYY>/<NN>xx/<ID>.yaml, and freezes/ \
is the only other directory chg reads";
const FANNED_PLACES: &str = "chg does not read this: in a year folder, records are files \
<YYYY>/<NN>xx/<ID>.yaml, in the folder their ID gives (CHG-2026-0123 in 2026/01xx/)";
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
        Kind::Dir if name == FREEZES || is_year(name) => None,
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
        Some((year, inner)) if is_year(year) => fanned(year, inner, kind),
        Some((first, _)) => Some((format!("{first}/"), NO_DIRECTORIES)),
    }
}

/// Why `inner`, a path in the year folder `year`, is not one chg reads or wrote.
fn fanned(year: &str, inner: &str, kind: Kind) -> Option<(String, &'static str)> {
    let slash = if kind == Kind::Dir { "/" } else { "" };
    let stray = |at: String| Some((at, FANNED_PLACES));
    match inner.split_once('/') {
        None if kind == Kind::Dir && is_hundreds(inner) => None,
        None => stray(format!("{year}/{inner}{slash}")),
        Some((hundreds, name)) if is_hundreds(hundreds) && !name.contains('/') => {
            let rel = format!("{year}/{inner}");
            let read = kind == Kind::File && (is_record_place(&rel) || atomic::is_temporary(name));
            match kind {
                _ if read => None,
                Kind::Link => Some((rel, NO_LINKS)),
                Kind::Other => Some((rel, NO_SPECIAL)),
                _ => stray(format!("{rel}{slash}")),
            }
        }
        Some((first, _)) if is_hundreds(first) => {
            let sub = inner[first.len() + 1..]
                .split('/')
                .next()
                .unwrap_or_default();
            stray(format!("{year}/{first}/{sub}/"))
        }
        Some((first, _)) => stray(format!("{year}/{first}/")),
    }
}

/// Whether chg looks into the directory `rel` (under the records directory).
pub fn is_read_folder(rel: &str) -> bool {
    match rel.split_once('/') {
        None => rel == FREEZES || is_year(rel),
        Some((year, hundreds)) => is_year(year) && is_hundreds(hundreds),
    }
}

impl Store {
    /// Every entry of the records directory in the working tree that chg does not
    /// read, in path order.
    pub fn strays(&self) -> Result<Vec<Stray>> {
        Ok(self.collect_strays(self.walk()?))
    }

    /// The record files in the working tree, as paths under the records directory:
    /// regular files at the places records are read from, none of them opened.
    pub fn record_files(&self) -> Result<Vec<String>> {
        Ok(self
            .walk()?
            .into_iter()
            .filter(|(rel, kind)| *kind == Kind::File && is_record_place(rel))
            .map(|(rel, _)| rel)
            .collect())
    }

    /// The layout new records are written in: flat while the register keeps its
    /// records flat (it holds some directly and has no year folder), else fanned out,
    /// as a new register is.
    pub fn layout(&self) -> Result<Layout> {
        let top = self.entries("")?;
        let fanned = top
            .iter()
            .any(|(rel, kind)| *kind == Kind::Dir && is_year(rel));
        let flat = top
            .iter()
            .any(|(rel, kind)| *kind == Kind::File && is_read(rel));
        Ok(if flat && !fanned {
            Layout::Flat
        } else {
            Layout::Fanned
        })
    }

    /// Every entry of the records directory and of the folders in it chg reads, as
    /// paths under it: links are listed, never followed.
    fn walk(&self) -> Result<Vec<(String, Kind)>> {
        let mut entries = self.entries("")?;
        let mut next = 0;
        while next < entries.len() {
            let (rel, kind) = &entries[next];
            if *kind == Kind::Dir && is_read_folder(rel) {
                let rel = rel.clone();
                entries.extend(self.entries(&rel)?);
            }
            next += 1;
        }
        Ok(entries)
    }

    /// Every entry of the records directory in the index that chg does not read.
    pub fn staged_strays(&self, index: &IndexTree) -> Vec<Stray> {
        self.strays_among(index.modes_below(&self.dir, ""))
    }

    /// The strays of the records directory in the index that any of `paths`
    /// (relative to the root) is, or lies in when the stray is a folder. Only the
    /// entries that could make those strays are judged, not the register.
    pub fn staged_strays_touched(&self, index: &IndexTree, paths: &[String]) -> Vec<Stray> {
        let prefix = format!("{}/", self.dir);
        // The stray a path is or lies in depends on its kind only when it is the
        // entry itself; a folder chg does not read is the stray of all below it.
        let places: BTreeSet<String> = (paths.iter())
            .filter_map(|p| p.strip_prefix(&prefix))
            .flat_map(|rel| {
                [Kind::File, Kind::Link, Kind::Other].map(|kind| Some(judge(rel, kind)?.0))
            })
            .flatten()
            .collect();
        let entries = (places.iter())
            .flat_map(|place| index.modes_below(&self.dir, place))
            .collect();
        let mut strays = self.strays_among(entries);
        // Entries beside a place that make strays of their own are not touched.
        strays.retain(|s| paths.iter().any(|p| is_at_or_in(p, &s.path)));
        strays
    }

    /// The strays among entries of the records directory given as their paths under
    /// it and their git modes (of the index, or of a tree).
    pub fn strays_among(&self, entries: Vec<(String, u32)>) -> Vec<Stray> {
        let entries = entries
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
