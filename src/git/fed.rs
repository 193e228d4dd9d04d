//! git processes that read objects for chg: how each is started ([`reader`]), and
//! one fed a list from a thread of chg's while chg reads its answers ([`Fed`]): git
//! answers while it is still being asked, and a pipe filled both ways with nobody
//! reading would stop both.

use anyhow::{Context as _, Result};
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;

/// Fewer items than this are read by chg itself: starting git costs more.
pub const STREAMED_FROM: usize = 256;

/// git reading objects for chg in `git_dir`: the objects themselves, as libgit2
/// reads them (a replacement ref is a local rewrite of history, not what was
/// committed), and a few windows of the pack at a time, as chg maps them itself, so
/// that what was read is not kept in memory for the rest of the check.
pub fn reader(git_dir: &Path) -> Command {
    let mut git = Command::new("git");
    git.arg("--git-dir")
        .arg(git_dir)
        .arg("--no-replace-objects")
        .args(["-c", "core.packedGitWindowSize=16m"])
        .args(["-c", "core.packedGitLimit=64m"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    git
}

pub struct Fed {
    child: Child,
    pub output: BufReader<ChildStdout>,
    feeder: Option<JoinHandle<()>>,
}

impl Fed {
    /// Runs `git args` in `git_dir`, its input `input`.
    pub fn spawn(git_dir: &Path, args: &[&str], input: Vec<u8>) -> Result<Fed> {
        let mut child = reader(git_dir)
            // Each piece of a long walk holds at most this much of git's unpacked bases.
            .args(["-c", "core.deltaBaseCacheLimit=16m"])
            .args(args)
            .spawn()
            .with_context(|| format!("cannot run git {}", args[0]))?;
        let stdin = child.stdin.take().context("git has no input")?;
        let output =
            BufReader::with_capacity(1 << 16, child.stdout.take().context("git has no output")?);
        let feeder = std::thread::spawn(move || {
            let mut stdin = BufWriter::new(stdin);
            // A failed write ends the answers early; the reader then says so.
            let _ = stdin.write_all(&input).and_then(|()| stdin.flush());
        });
        Ok(Fed {
            child,
            output,
            feeder: Some(feeder),
        })
    }
}

impl Drop for Fed {
    fn drop(&mut self) {
        // Stopped early (an error, a check that ends), git may still be answering:
        // it is killed rather than read to the end, and the feeder ends with it.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
    }
}
