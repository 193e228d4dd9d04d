//! The change register on disk: reading, validating and writing its records (see
//! [`layout`] for where they lie).
//!
//! Reads report every unreadable record (never skip one quietly); writes are atomic;
//! new records are created with create-new semantics under a fresh ID.

mod atomic;
mod edit;
mod freezes;
mod layout;
mod lock;
mod relayout;
mod worktree;

pub use atomic::replace as write_atomic;
pub use atomic::replace_with as write_atomic_with;
pub use atomic::replace_with_mode as write_atomic_with_mode;
pub use edit::EditSession;
pub use freezes::StoredFreeze;
pub use layout::{
    change_of_place, is_read_folder, is_record_place, places as record_places, Layout, Stray,
};
pub use lock::{lock, RecordLock};
pub use worktree::WorkTree;

use crate::error::Failure;
use crate::git::{Git, IndexTree};
use crate::model::{yaml, ChangeId, ChangeRecord};
use crate::policy::Policy;
use crate::untrusted;
use anyhow::{Context as _, Result};
use serde::de::DeserializeOwned;
use std::fs::FileType;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// A record read from the register, with the file it came from.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Path relative to the repository root.
    pub path: String,
    pub record: ChangeRecord,
}

/// A record file that could not be read, with the reason, located.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Path relative to the repository root.
    pub path: String,
    /// 1-based line and column, when known.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl Unreadable {
    /// The change its file name says it holds, where it names one.
    pub fn change(&self) -> Option<ChangeId> {
        change_of_place(&self.path)
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

pub struct Store {
    root: PathBuf,
    /// The records directory relative to the root, as the policy names it.
    dir: String,
    prefix: String,
    digits: usize,
}

impl Store {
    pub fn new(root: &Path, policy: &Policy) -> Store {
        Store {
            root: root.to_path_buf(),
            dir: policy.changes.dir.trim_end_matches('/').to_string(),
            prefix: policy.changes.id_prefix.clone(),
            digits: policy.changes.id_digits,
        }
    }

    /// The records directory, absolute.
    pub fn dir(&self) -> PathBuf {
        self.root.join(&self.dir)
    }

    /// Where the record for `id` lives, relative to the root, as users see it.
    pub fn display_path(&self, id: &ChangeId) -> String {
        format!("{}/{}", self.dir, self.place_of(id))
    }

    pub fn path_of(&self, id: &ChangeId) -> PathBuf {
        self.dir().join(self.place_of(id))
    }

    /// Where the record for `id` lies under the records directory: the first of its
    /// places that holds anything, else where the register's layout puts it.
    fn place_of(&self, id: &ChangeId) -> String {
        let dir = self.dir();
        let held = layout::places(id)
            .into_iter()
            .find(|rel| std::fs::symlink_metadata(dir.join(rel)).is_ok());
        held.unwrap_or_else(|| self.layout().unwrap_or(Layout::Flat).place(id))
    }

    /// Reads one record; an ID without a file is an input error.
    /// A file whose `id` is not its name is refused: saving it would write the other file.
    pub fn load(&self, id: &ChangeId) -> Result<ChangeRecord> {
        let text = self.read_text(id)?;
        let shown = self.display_path(id);
        let record = parse(&shown, &text).map_err(|u| Failure::input(u.to_string()))?;
        if &record.id != id {
            return Err(
                Failure::input(format!("{shown} says it is {}, not {id}", record.id))
                    .hint("rename the file or correct its id; `chg check` reports this as R003")
                    .into(),
            );
        }
        Ok(record)
    }

    /// The text of one record file, parsed or not.
    pub fn read_text(&self, id: &ChangeId) -> Result<String> {
        let shown = self.display_path(id);
        untrusted::read_regular(&self.path_of(id)).map_err(|e| match e.kind() {
            ErrorKind::NotFound => {
                Failure::input(format!("no change {id}: {shown} does not exist"))
                    .hint("`chg list` shows the changes in this repository")
                    .into()
            }
            ErrorKind::InvalidInput => Failure::input(format!("cannot read {shown}: {e}"))
                .hint("records are regular files; `chg check` reports this one as R009")
                .into(),
            _ => Failure::input(format!("cannot read {shown}: {e}")).into(),
        })
    }

    /// Every record under the directory, and every file there that failed to parse.
    /// Files that are not `*.yaml` (a README, `.gitkeep`) are not records: see
    /// [`Self::strays`].
    pub fn load_all(&self) -> Result<(Vec<Stored>, Vec<Unreadable>)> {
        let dir = self.root.join(&self.dir);
        let files = (self.record_files()?.into_iter())
            .map(|rel| {
                let text = read_listed(&dir.join(&rel));
                (rel, text)
            })
            .collect();
        Ok(self.collect(files))
    }

    /// The records of `ids` (at either of their places), and those of their files
    /// that failed to parse: what a check of a range reads instead of every record.
    pub fn load_named<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i ChangeId>,
    ) -> (Vec<Stored>, Vec<Unreadable>) {
        let dir = self.dir();
        let files = (ids.into_iter())
            .flat_map(layout::places)
            .filter(|rel| std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file()))
            .map(|rel| {
                let text = read_listed(&dir.join(&rel));
                (rel, text)
            })
            .collect();
        self.collect(files)
    }

    /// Every record as staged in the index, for `chg check --staged`.
    pub fn load_staged(&self, index: &IndexTree) -> (Vec<Stored>, Vec<Unreadable>) {
        self.collect(staged_files(index, &self.dir, layout::is_record_place))
    }

    /// The named record files (paths under the records directory) as staged in the index:
    /// the hooks read only those a commit changes or names, never the whole register.
    pub fn load_staged_named(
        &self,
        index: &IndexTree,
        names: &[&str],
    ) -> (Vec<Stored>, Vec<Unreadable>) {
        use crate::rules::Tree;
        let files = names
            .iter()
            .filter_map(|name| {
                let text = index.read(&format!("{}/{name}", self.dir))?;
                Some((name.to_string(), Ok(text)))
            })
            .collect();
        self.collect(files)
    }

    /// Parses the record files read, wherever from.
    fn collect(&self, files: Files) -> (Vec<Stored>, Vec<Unreadable>) {
        // Sized once: a register of thousands is held for the whole command.
        let (mut records, mut unreadable) = (Vec::with_capacity(files.len()), Vec::new());
        for (_, path, parsed) in parse_files(&self.dir, files) {
            match parsed {
                Ok(record) => records.push(Stored { path, record }),
                Err(u) => unreadable.push(u),
            }
        }
        records.sort_by(|a, b| (&a.record.id, &a.path).cmp(&(&b.record.id, &b.path)));
        unreadable.sort_by(|a, b| a.path.cmp(&b.path));
        (records, unreadable)
    }

    /// The regular files directly in `dir` (relative to the root) that chg reads, with
    /// their text or why it could not be read: the freezes. Others — links, FIFOs,
    /// directories, names chg does not read — are never opened: see [`Self::strays`].
    fn read_files(&self, dir: &str) -> Result<Files> {
        let path = self.root.join(dir);
        Ok(entries(&path, dir)?
            .into_iter()
            .filter(|(name, kind)| kind.is_file() && layout::is_read(name))
            .map(|(name, _)| {
                let text = read_listed(&path.join(&name));
                (name, text)
            })
            .collect())
    }

    /// Writes an existing record back, atomically, under the comment lines its file
    /// starts with (the schema modeline, a note), which serialising would drop.
    pub fn save(&self, record: &ChangeRecord) -> Result<()> {
        let path = self.path_of(&record.id);
        // A file that cannot be read has no header to keep; the write says what is wrong.
        let old = untrusted::read_regular(&path).unwrap_or_default();
        let header = crate::schema::mend_modeline(yaml::header(&old), &self.place_of(&record.id));
        let shown = self.display_path(&record.id);
        let text = file_text(&header, record, &shown)?;
        write_atomic(&path, text.as_bytes()).with_context(|| format!("cannot write {shown}"))
    }

    /// Creates a record under the next free ID for `year` and returns it. `make` builds
    /// the record for a candidate ID; if another process takes that ID first, the next
    /// one is tried, so concurrent callers never share an ID. `header` (comment lines,
    /// given the record's path under the records directory) goes above the record.
    pub fn create(
        &self,
        git: &Git,
        year: u16,
        header: fn(&str) -> String,
        make: impl Fn(ChangeId) -> ChangeRecord,
    ) -> Result<ChangeRecord> {
        let id = ChangeId::new(&self.prefix, year, 1, self.digits);
        self.create_under(git, &self.dir, self.layout()?, id, header, make)
    }

    /// [`Self::create_under`] with no header, as freezes are written.
    fn create_in<T: serde::Serialize>(
        &self,
        git: &Git,
        dir: &str,
        first: ChangeId,
        make: impl Fn(ChangeId) -> T,
    ) -> Result<T> {
        self.create_under(git, dir, Layout::Flat, first, |_| String::new(), make)
    }

    /// Creates a file `<ID>.yaml` where `layout` puts it in `dir` (relative to the
    /// root) under the first ID after `first`'s prefix and year that no file in the
    /// working tree, the index or any branch uses, in either layout, and returns what
    /// `make` built for it, written under `header`.
    #[allow(clippy::too_many_arguments)]
    fn create_under<T: serde::Serialize>(
        &self,
        git: &Git,
        dir: &str,
        layout: Layout,
        first: ChangeId,
        header: fn(&str) -> String,
        make: impl Fn(ChangeId) -> T,
    ) -> Result<T> {
        let path = self.root.join(dir);
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {dir}/"))?;
        let mut names = file_names(&path, dir)?;
        if layout == Layout::Fanned {
            // Its folders as the layout reads them: a stray file there takes no number.
            names.extend(self.record_files()?);
        }
        names.extend(git.names_on_branches_and_index(dir)?);
        let (prefix, year) = (first.prefix(), first.year());
        let highest = names
            .iter()
            .filter_map(|n| change_of_place(n))
            .filter(|id| id.prefix() == prefix && id.year() == year)
            .map(|id| id.seq())
            .max()
            .unwrap_or(0);
        // Sequences have at most 9 digits (see ChangeId), so this cannot overflow.
        for seq in highest + 1..=999_999_999 {
            let id = ChangeId::new(prefix, year, seq, self.digits);
            let place = layout.place(&id);
            let file = format!("{dir}/{place}");
            let value = make(id);
            let text = file_text(&header(&place), &value, &file)?;
            let at = self.root.join(&file);
            if let Some(folder) = at.parent() {
                std::fs::create_dir_all(folder)
                    .with_context(|| format!("cannot create the folder of {file}"))?;
            }
            match atomic::create_new(&at, text.as_bytes()) {
                Ok(()) => return Ok(value),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot create {file}")),
            }
        }
        Err(Failure::input(format!("no free ID left for {prefix}-{year}")).into())
    }
}

/// The text of the file `shown` holding `value` below `header`, or why it cannot be
/// written: chg would not read it back.
fn file_text<T: serde::Serialize>(header: &str, value: &T, shown: &str) -> Result<String> {
    yaml::file_text(header, value)
        .map_err(|e| Failure::input(format!("cannot write {shown}: {e}")).into())
}

/// The names of the entries in `path`, shown as `shown`, of whatever kind: a name
/// taken by a link or a directory is no free ID either.
fn file_names(path: &Path, shown: &str) -> Result<Vec<String>> {
    Ok(entries(path, shown)?
        .into_iter()
        .map(|(name, _)| name)
        .collect())
}

/// The entries directly in `path`, shown as `shown`, each with its own type: a link
/// is not followed.
fn entries(path: &Path, shown: &str) -> Result<Vec<(String, FileType)>> {
    let read = match std::fs::read_dir(path) {
        Ok(read) => read,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}/")),
    };
    let mut entries = Vec::new();
    for entry in read {
        let entry = entry.with_context(|| format!("cannot read {shown}/"))?;
        let file_type = entry
            .file_type()
            .with_context(|| format!("cannot read {shown}/"))?;
        entries.push((entry.file_name().to_string_lossy().into_owned(), file_type));
    }
    Ok(entries)
}

/// Parses a record's text; `shown` is the path used in the error.
pub fn parse(shown: &str, text: &str) -> Result<ChangeRecord, Unreadable> {
    parse_as(shown, text)
}

/// Parses a register file (a record, a freeze); `shown` is the path in the error.
pub fn parse_as<T: DeserializeOwned>(shown: &str, text: &str) -> Result<T, Unreadable> {
    yaml::from_str(text).map_err(|e| Unreadable {
        path: shown.to_string(),
        at: e.line.zip(e.column),
        message: e.message,
    })
}

/// File names with their text, or why it could not be read.
type Files = Vec<(String, Result<String, String>)>;

/// The files under `dir` in the index at the places `keep` accepts (paths under
/// `dir`), with their text.
fn staged_files(index: &IndexTree, dir: &str, keep: fn(&str) -> bool) -> Files {
    index
        .files_below(dir, keep)
        .into_iter()
        .map(|(name, bytes)| (name, Ok(String::from_utf8_lossy(&bytes).into_owned())))
        .collect()
}

/// Parses each `*.yaml` file of `dir` as a `T`: `(name, path, parsed)`. A file that
/// could not be read is reported like one that did not parse, never skipped.
fn parse_files<T: DeserializeOwned>(
    dir: &str,
    files: Files,
) -> impl Iterator<Item = (String, String, Result<T, Unreadable>)> + '_ {
    files
        .into_iter()
        .filter(|(name, _)| layout::is_read(name))
        .map(move |(name, text)| {
            let path = format!("{dir}/{name}");
            let parsed = match text {
                Ok(text) => parse_as(&path, &text),
                Err(message) => Err(Unreadable {
                    path: path.clone(),
                    at: None,
                    message,
                }),
            };
            (name, path, parsed)
        })
}

/// A file a listing gave as regular, read as [`untrusted::read_listed`] reads it;
/// what stops it, as the text reported for it.
fn read_listed(path: &Path) -> Result<String, String> {
    untrusted::read_listed(path).map_err(|e| e.to_string())
}
