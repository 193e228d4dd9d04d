//! Objects read through one `git cat-file --batch`. A register of thousands of
//! records is a tree of megabytes, and git stores each of its versions as a delta on
//! another: git keeps the bases it has unpacked for the next read, while libgit2
//! keeps none over 1 MiB, so it inflates the whole chain at every version.

use anyhow::{bail, Context as _, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct Batch {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl Batch {
    pub fn spawn(git_dir: &Path) -> Result<Batch> {
        let mut child = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            // A few windows of the pack at a time, as chg maps them itself: what was
            // read is not kept in memory for the rest of the check.
            .args(["-c", "core.packedGitWindowSize=16m"])
            .args(["-c", "core.packedGitLimit=64m"])
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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

    /// The kind and bytes of object `id`; `None` when the repository lacks it.
    pub fn read(&mut self, id: &str) -> Result<Option<(String, Vec<u8>)>> {
        let input = self.input.as_mut().context("git cat-file was closed")?;
        writeln!(input, "{id}")?;
        input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        // `<id> <kind> <size>`, or `<id> missing`.
        let mut fields = header.split_whitespace().skip(1);
        let (Some(kind), Some(size)) = (fields.next(), fields.next()) else {
            if header.trim_end().ends_with(" missing") {
                return Ok(None);
            }
            bail!("git cat-file answered `{}`", header.trim_end());
        };
        let size: usize = size.parse().context("git cat-file gave no size")?;
        // The object, then a newline. Read into room not zeroed first: megabytes a
        // version, tens of thousands of versions.
        let mut data = Vec::with_capacity(size + 1);
        (&mut self.output)
            .take(size as u64 + 1)
            .read_to_end(&mut data)?;
        if data.pop() != Some(b'\n') || data.len() != size {
            bail!("git cat-file ended inside object {id}");
        }
        Ok(Some((kind.to_string(), data)))
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends git cat-file; waiting leaves no zombie behind.
        drop(self.input.take());
        let _ = self.child.wait();
    }
}
