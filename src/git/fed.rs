//! git processes that read objects for chg: how each is started ([`reader`]), and
//! one fed a list from a thread of chg's while chg reads its answers ([`Fed`], or
//! [`Drained`] by a second thread): git answers while it is still being asked, and a
//! pipe filled both ways with nobody reading would stop both.

use super::polled::Polled;
use anyhow::{Context as _, Result};
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;

/// Fewer items than this are read by chg itself: starting git costs more.
pub const STREAMED_FROM: usize = 256;

/// How much of a pack a git reading for chg maps at once, so that what it read is
/// not all kept in memory for the rest of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    /// 16 MiB windows, 64 MiB in all: for git that reads objects about in the order
    /// the pack holds them (commits newest first, each with its root tree), or a few
    /// large ones now and then.
    Narrow,
    /// 64 MiB windows, 512 MiB in all: for git that reads trees from all over the
    /// pack, again and again. Comparing the trees of every commit of a real history
    /// (a 296 MiB pack), git spent a seventh of its time remapping narrow windows.
    Wide,
}

impl Mapped {
    /// The window size and the most mapped at once, as git's options.
    fn options(self) -> [&'static str; 4] {
        let (window, limit) = match self {
            Mapped::Narrow => ("core.packedGitWindowSize=16m", "core.packedGitLimit=64m"),
            Mapped::Wide => ("core.packedGitWindowSize=64m", "core.packedGitLimit=512m"),
        };
        ["-c", window, "-c", limit]
    }
}

/// git reading objects for chg in `git_dir`: the objects themselves, as libgit2
/// reads them (a replacement ref is a local rewrite of history, not what was
/// committed), with the pack mapped as `mapped` says.
pub fn reader(git_dir: &Path, mapped: Mapped) -> Command {
    let mut git = Command::new("git");
    git.arg("--git-dir")
        .arg(git_dir)
        .arg("--no-replace-objects")
        .args(mapped.options())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    git
}

/// The output of a git process that writes much, read as it comes (see [`Polled`]),
/// 64 KiB at a time: a MiB at a time, more than a core's cache holds beside what chg
/// makes of it, read a long history more slowly.
pub fn streamed(output: ChildStdout) -> BufReader<Polled<ChildStdout>> {
    BufReader::with_capacity(1 << 16, Polled::new(output))
}

/// A git process started with its input fed from a thread of chg's.
struct Started {
    child: Child,
    output: BufReader<Polled<ChildStdout>>,
    feeder: JoinHandle<()>,
}

/// Runs `git args` in `git_dir`, mapping the pack as `mapped` says, its input `input`.
fn start(git_dir: &Path, mapped: Mapped, args: &[&str], input: Vec<u8>) -> Result<Started> {
    let mut child = reader(git_dir, mapped)
        // Each piece of a long walk holds at most this much of git's unpacked bases.
        .args(["-c", "core.deltaBaseCacheLimit=16m"])
        .args(args)
        // The whole input is given at once, so nothing waits on an answer: git
        // need not write each one to the pipe as it is made (`--stdin` commands
        // otherwise do, a system call or more for every commit).
        .env("GIT_FLUSH", "0")
        .spawn()
        .with_context(|| format!("cannot run git {}", args[0]))?;
    let stdin = child.stdin.take().context("git has no input")?;
    let output = streamed(child.stdout.take().context("git has no output")?);
    let feeder = std::thread::spawn(move || {
        // A failed write ends the answers early; the reader then says so.
        let _ = Polled::new(stdin).write_all(&input);
    });
    Ok(Started {
        child,
        output,
        feeder,
    })
}

/// Stopped early (an error, a check that ends), git may still be answering: it is
/// killed rather than read to the end, and chg's threads end with it.
fn stop(child: &mut Child, threads: &mut Vec<JoinHandle<()>>) {
    let _ = child.kill();
    let _ = child.wait();
    for thread in threads.drain(..) {
        let _ = thread.join();
    }
}

/// A fed git whose answers chg reads as it needs them.
pub struct Fed {
    child: Child,
    pub output: BufReader<Polled<ChildStdout>>,
    threads: Vec<JoinHandle<()>>,
}

impl Fed {
    /// Runs `git args` in `git_dir`, the pack mapped in narrow windows, its input
    /// `input`.
    pub fn spawn(git_dir: &Path, args: &[&str], input: Vec<u8>) -> Result<Fed> {
        let started = start(git_dir, Mapped::Narrow, args, input)?;
        Ok(Fed {
            child: started.child,
            output: started.output,
            threads: vec![started.feeder],
        })
    }
}

impl Drop for Fed {
    fn drop(&mut self) {
        stop(&mut self.child, &mut self.threads);
    }
}

/// A fed git whose answers a second thread reads as git writes them, so that git
/// never waits for chg to read: for answers chg takes a piece at a time, each of
/// which it would otherwise wait for whole.
pub struct Drained<T> {
    child: Child,
    answers: Option<Receiver<T>>,
    threads: Vec<JoinHandle<()>>,
}

/// How many answers wait read ahead of chg.
const AHEAD: usize = 2;

impl<T: Send + 'static> Drained<T> {
    /// Runs `git args` in `git_dir`, mapping the pack as `mapped` says, its input
    /// `input`; `read` turns what git writes into answers, one a call, until it
    /// gives none.
    pub fn spawn(
        git_dir: &Path,
        mapped: Mapped,
        args: &[&str],
        input: Vec<u8>,
        mut read: impl FnMut(&mut BufReader<Polled<ChildStdout>>) -> Option<T> + Send + 'static,
    ) -> Result<Drained<T>> {
        let started = start(git_dir, mapped, args, input)?;
        let mut output = started.output;
        let (send, answers) = sync_channel(AHEAD);
        // Ends at the last answer, or once chg stopped listening.
        let reader = std::thread::spawn(move || {
            while let Some(answer) = read(&mut output) {
                if send.send(answer).is_err() {
                    break;
                }
            }
        });
        Ok(Drained {
            child: started.child,
            answers: Some(answers),
            threads: vec![started.feeder, reader],
        })
    }

    /// git's next answer; `None` after the last.
    pub fn next(&mut self) -> Option<T> {
        self.answers.as_ref()?.recv().ok()
    }
}

impl<T> Drop for Drained<T> {
    fn drop(&mut self) {
        // Nobody listens any more: a reader waiting to hand an answer over ends.
        self.answers = None;
        stop(&mut self.child, &mut self.threads);
    }
}

#[cfg(test)]
mod tests {
    use super::{reader, Drained, Fed, Mapped};
    use crate::git::scratch::Scratch;
    use std::io::BufRead;
    use std::sync::mpsc::channel;
    use std::time::Duration;

    /// `stop` run on its own thread: whether it ended within a few seconds.
    fn ends(stop: impl FnOnce() + Send + 'static) -> bool {
        let (done, ended) = channel();
        std::thread::spawn(move || {
            stop();
            let _ = done.send(());
        });
        ended.recv_timeout(Duration::from_secs(20)).is_ok()
    }

    #[test]
    fn a_reading_git_maps_the_pack_in_the_windows_it_is_given() {
        let repo = Scratch::init();
        let git_dir = repo.path().join(".git");
        // As git reads the setting: a size it does not take fails here.
        let bytes = |mapped, key| {
            let out = (reader(&git_dir, mapped).args(["config", "--type=int", key]))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "git does not take {key} for {mapped:?}"
            );
            String::from_utf8(out.stdout)
                .unwrap()
                .trim()
                .parse::<u64>()
                .unwrap()
        };
        let mib = |n: u64| n << 20;
        let (window, limit) = ("core.packedGitWindowSize", "core.packedGitLimit");
        assert_eq!(bytes(Mapped::Narrow, window), mib(16));
        assert_eq!(bytes(Mapped::Narrow, limit), mib(64));
        assert_eq!(bytes(Mapped::Wide, window), mib(64));
        assert_eq!(bytes(Mapped::Wide, limit), mib(512));
    }

    #[test]
    fn a_git_stopped_while_it_is_fed_and_answering_ends_with_its_threads() {
        let repo = Scratch::init();
        repo.git(&["commit", "-q", "--allow-empty", "-m", "one"]);
        let git_dir = repo.path().join(".git");
        // Far more asked than the pipes hold both ways: git waits to write, and
        // chg's feeder waits to write more.
        let input = "HEAD\n".repeat(400_000).into_bytes();
        let mut fed = Fed::spawn(&git_dir, &["cat-file", "--batch-check"], input.clone()).unwrap();
        let mut first = String::new();
        fed.output.read_line(&mut first).unwrap();
        assert!(first.contains(" commit "), "{first}");
        assert!(ends(move || drop(fed)), "a fed git did not stop");
        let args = ["cat-file", "--batch-check"];
        let drained = Drained::spawn(&git_dir, Mapped::Wide, &args, input, |out| {
            let mut line = String::new();
            (out.read_line(&mut line).ok()? > 0).then_some(line)
        });
        let mut drained = drained.unwrap();
        assert!(drained.next().is_some_and(|line| line.contains(" commit ")));
        assert!(ends(move || drop(drained)), "a drained git did not stop");
    }
}
