//! Objects read through `git cat-file --batch`. A register of thousands of records
//! is a tree of megabytes, and git stores each of its versions as a delta on
//! another: git keeps the bases it has unpacked for the next read, while libgit2
//! keeps none over 1 MiB, so it inflates the whole chain at every version. The
//! commits of a long walk are read the same way ([`super::commits`]), many at once.

use super::ObjectId;
use anyhow::{bail, Context as _, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout};

/// An object as `git cat-file --batch` gives it.
pub struct Object {
    pub id: ObjectId,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// The kinds of object chg asks git for by name; any other is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Commit,
    Tree,
    Other,
}

/// The next answer of `git cat-file --batch` in `output`, to the question `asked`;
/// `None` when git says the repository lacks it.
pub fn answer(output: &mut impl BufRead, asked: impl std::fmt::Display) -> Result<Option<Object>> {
    let mut header = String::new();
    output
        .read_line(&mut header)
        .context("cannot read the output of git cat-file")?;
    // `<id> <kind> <size>`, or `<what was asked> missing`.
    let mut fields = header.split_whitespace();
    let [Some(id), Some(kind), Some(size), None] = std::array::from_fn(|_| fields.next()) else {
        if header.ends_with(" missing\n") {
            return Ok(None);
        }
        bail!("git cat-file answered `{}` for {asked}", header.trim_end());
    };
    let id: ObjectId = (id.parse().map_err(anyhow::Error::msg))
        .with_context(|| format!("git cat-file answered `{}` for {asked}", header.trim_end()))?;
    let kind = match kind {
        "commit" => Kind::Commit,
        "tree" => Kind::Tree,
        _ => Kind::Other,
    };
    let size: usize = size.parse().context("git cat-file gave no size")?;
    // The object, then a newline. Read into room not zeroed first: megabytes a
    // version, tens of thousands of versions.
    let mut bytes = Vec::with_capacity(size + 1);
    output.take(size as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.pop() != Some(b'\n') || bytes.len() != size {
        bail!("git cat-file ended inside object {asked}");
    }
    Ok(Some(Object { id, kind, bytes }))
}

/// One `git cat-file --batch`, asked one object at a time.
pub struct Batch {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl Batch {
    pub fn spawn(git_dir: &Path) -> Result<Batch> {
        let mut child = super::fed::reader(git_dir, super::fed::Mapped::Narrow)
            .args(["cat-file", "--batch"])
            .spawn()
            .context("cannot run git cat-file")?;
        let input = child.stdin.take();
        let output = BufReader::new(child.stdout.take().context("git cat-file has no output")?);
        Ok(Batch {
            child,
            input,
            output,
        })
    }

    /// Object `id`; `None` when the repository lacks it.
    pub fn read(&mut self, id: ObjectId) -> Result<Option<Object>> {
        let input = self.input.as_mut().context("git cat-file was closed")?;
        writeln!(input, "{id}")?;
        input.flush()?;
        answer(&mut self.output, id)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends git cat-file; waiting leaves no zombie behind.
        drop(self.input.take());
        let _ = self.child.wait();
    }
}
