//! The pipes between chg and a git process that streams much, used without waiting
//! inside them. git reads and writes a pipe a few KiB at a time, and chg, blocked in
//! `read` or `write` on its other end, is woken for every one of them: waking chg
//! took a quarter of `git cat-file`'s time in a first check. So the pipe is made
//! large, chg reads what it holds (or writes what fits) without blocking, and naps
//! briefly when there is nothing to do: git then works through the pipe and wakes
//! no one.

use std::io::{ErrorKind, Read, Result, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

/// How long chg waits before trying an empty (or full) pipe again: git works through
/// a pipe of [`PIPE_SIZE`] in several milliseconds, so it rarely waits on chg.
const NAP: Duration = Duration::from_micros(500);

/// What the pipe is asked to hold: the most Linux allows a process without
/// privileges by default (`fs.pipe-max-size`).
const PIPE_SIZE: libc::c_int = 1 << 20;

/// chg's end of a pipe to or from git.
pub struct Polled<P> {
    pipe: P,
    /// Whether reads and writes return at once (else they block, as any pipe's do).
    unblocked: bool,
}

/// Whether the pipe `fd` now holds [`PIPE_SIZE`]: a smaller one git would fill
/// between two of chg's naps, and then wait on chg.
#[cfg(target_os = "linux")]
fn enlarged(fd: std::os::fd::RawFd) -> bool {
    // SAFETY: fcntl on a descriptor the caller owns, with integer arguments only.
    unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_SIZE) >= PIPE_SIZE }
}

#[cfg(not(target_os = "linux"))]
fn enlarged(_: std::os::fd::RawFd) -> bool {
    false
}

impl<P: AsRawFd> Polled<P> {
    pub fn new(pipe: P) -> Polled<P> {
        let fd = pipe.as_raw_fd();
        // Each call may fail (a user over their pipes' share of memory, another
        // system); the pipe then stays as it was, and blocks.
        let unblocked = enlarged(fd) && {
            // SAFETY: fcntl on a descriptor this value owns, with integer arguments.
            unsafe {
                let flags = libc::fcntl(fd, libc::F_GETFL);
                flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0
            }
        };
        Polled { pipe, unblocked }
    }
}

impl<P> Polled<P> {
    /// `io` on the pipe, again after a nap for as long as the pipe is not ready.
    fn when_ready<T>(&mut self, mut io: impl FnMut(&mut P) -> Result<T>) -> Result<T> {
        loop {
            match io(&mut self.pipe) {
                Err(e) if e.kind() == ErrorKind::WouldBlock && self.unblocked => {
                    std::thread::sleep(NAP)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                done => return done,
            }
        }
    }
}

impl<P: Read> Read for Polled<P> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.when_ready(|pipe| pipe.read(buf))
    }
}

impl<P: Write> Write for Polled<P> {
    fn write(&mut self, buf: &[u8]) -> Result<usize> {
        self.when_ready(|pipe| pipe.write(buf))
    }

    fn flush(&mut self) -> Result<()> {
        self.when_ready(Write::flush)
    }
}

#[cfg(test)]
mod tests {
    use super::Polled;
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};

    #[test]
    fn everything_written_is_read_in_order_however_slowly_it_comes() {
        // A writer that pauses between pieces, so that the pipe is often empty.
        let mut child = Command::new("sh")
            .args([
                "-c",
                "for n in 1 2 3 4 5; do printf 'piece %s\\n' $n; sleep 0.01; done",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut polled = Polled::new(child.stdout.take().unwrap());
        assert!(polled.unblocked);
        let mut text = String::new();
        polled.read_to_string(&mut text).unwrap();
        let want: String = (1..=5).map(|n| format!("piece {n}\n")).collect();
        assert_eq!(text, want);
        assert!(child.wait().unwrap().success());
    }

    #[test]
    fn more_than_a_pipe_holds_goes_through_whole() {
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = Polled::new(child.stdin.take().unwrap());
        assert!(input.unblocked);
        let bytes: Vec<u8> = (0..3_000_000u32).map(|n| (n % 251) as u8).collect();
        let sent = bytes.clone();
        // Written and read through pipes that fill up, in pieces of what fits.
        let writer = std::thread::spawn(move || input.write_all(&sent));
        let mut polled = Polled::new(child.stdout.take().unwrap());
        let mut read = Vec::new();
        polled.read_to_end(&mut read).unwrap();
        writer.join().unwrap().unwrap();
        assert!(
            read == bytes,
            "{} bytes read of {}",
            read.len(),
            bytes.len()
        );
        assert!(child.wait().unwrap().success());
    }
}
