//! Objects read through `git cat-file --batch`. A register of thousands of records
//! is a tree of megabytes, and git stores each of its versions as a delta on
//! another: git keeps the bases it has unpacked for the next read, while libgit2
//! keeps none over 1 MiB, so it inflates the whole chain at every version. The
//! commits of a long walk are read the same way ([`super::commits`]), many at once.

use super::ObjectId;
use anyhow::{bail, Context as _, Result};
use std::io::{BufRead, BufReader, Write};
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
    let mut bytes = Vec::new();
    let answered = answer_into(output, asked, &mut bytes)?;
    Ok(answered.map(|(id, kind)| Object { id, kind, bytes }))
}

/// [`answer`] with the object's bytes read into `bytes` (emptied first), room a
/// reader of many objects keeps from one to the next; their id and kind.
pub fn answer_into(
    output: &mut impl BufRead,
    asked: impl std::fmt::Display,
    bytes: &mut Vec<u8>,
) -> Result<Option<(ObjectId, Kind)>> {
    bytes.clear();
    let Some((id, kind, size)) = header(output, &asked)? else {
        return Ok(None);
    };
    // The object, then a newline, copied out of the reader's buffer as it fills:
    // into room not zeroed first (megabytes a version, tens of thousands of
    // versions), and without `read_to_end`'s general loop, which cost more than the
    // copy itself for commits of a few hundred bytes.
    bytes.reserve(size + 1);
    let mut left = size + 1;
    while left > 0 {
        let buffered = output.fill_buf().context(UNREAD)?;
        if buffered.is_empty() {
            break;
        }
        let taken = buffered.len().min(left);
        bytes.extend_from_slice(&buffered[..taken]);
        output.consume(taken);
        left -= taken;
    }
    if bytes.pop() != Some(b'\n') || bytes.len() != size {
        bail!("git cat-file ended inside object {asked}");
    }
    Ok(Some((id, kind)))
}

/// The header of git's next answer, `<id> <kind> <size>`; `None` for `<what was
/// asked> missing`. Parsed where it lies in `output`'s buffer, as it almost always
/// does whole: a line an object, and hundreds of thousands of objects.
fn header(
    output: &mut impl BufRead,
    asked: &impl std::fmt::Display,
) -> Result<Option<(ObjectId, Kind, usize)>> {
    let buffered = output.fill_buf().context(UNREAD)?;
    let Some(end) = memchr::memchr(b'\n', buffered) else {
        let mut line = Vec::new();
        output.read_until(b'\n', &mut line).context(UNREAD)?;
        return parse_header(&line, asked);
    };
    let parsed = parse_header(&buffered[..=end], asked);
    output.consume(end + 1);
    parsed
}

const UNREAD: &str = "cannot read the output of git cat-file";

/// A header line of `git cat-file --batch`, with its newline (see [`header`]).
fn parse_header(
    line: &[u8],
    asked: &impl std::fmt::Display,
) -> Result<Option<(ObjectId, Kind, usize)>> {
    let header = super::encoding::lossy(line);
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
    Ok(Some((id, kind, size)))
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

#[cfg(test)]
mod tests {
    use super::{answer, answer_into, Kind};
    use std::io::{BufReader, Cursor};

    const ID: &str = "0123456789abcdef0123456789abcdef01234567";

    /// `text` behind a buffer of `capacity` bytes, as git's output is read.
    fn output(text: impl AsRef<[u8]>, capacity: usize) -> BufReader<Cursor<Vec<u8>>> {
        BufReader::with_capacity(capacity, Cursor::new(text.as_ref().to_vec()))
    }

    #[test]
    fn an_answer_reads_the_same_whether_its_header_is_buffered_whole_or_not() {
        let text = format!("{ID} commit 5\nhello\n{ID} tree 2\nhi\n{ID} blob 0\n\n");
        // Buffers too small for the header, one that cuts it, and one that holds all.
        for capacity in [1, 7, 50, 4096] {
            let mut git = output(&text, capacity);
            let first = answer(&mut git, "first").unwrap().expect("an object");
            assert_eq!(
                (first.id.to_string(), first.kind),
                (ID.to_string(), Kind::Commit)
            );
            assert_eq!(first.bytes, b"hello", "capacity {capacity}");
            // Read into room kept from the answer before, emptied first.
            let mut room = first.bytes;
            let second = answer_into(&mut git, "second", &mut room).unwrap();
            assert_eq!(second.map(|(_, kind)| kind), Some(Kind::Tree));
            assert_eq!(room, b"hi", "capacity {capacity}");
            let third = answer_into(&mut git, "third", &mut room).unwrap();
            assert_eq!(third.map(|(_, kind)| kind), Some(Kind::Other));
            assert!(room.is_empty(), "capacity {capacity}");
        }
    }

    #[test]
    fn a_missing_object_is_none_and_anything_else_unexpected_an_error() {
        // A buffer that cuts every header, and one that holds the whole answer.
        for capacity in [8, 4096] {
            let mut room = b"the object read before".to_vec();
            let mut git = output("HEAD^{tree} missing\n", capacity);
            assert!(answer_into(&mut git, "HEAD^{tree}", &mut room)
                .unwrap()
                .is_none());
            assert!(room.is_empty(), "capacity {capacity}");
            let said = |text: &[u8]| match answer(&mut output(text, capacity), "asked") {
                Err(e) => format!("{e:#}"),
                Ok(o) => panic!("{text:?} was read as {:?}", o.map(|o| o.bytes)),
            };
            let answered = "git cat-file answered";
            assert_eq!(
                said(b"nonsense\n"),
                format!("{answered} `nonsense` for asked")
            );
            assert_eq!(said(b""), format!("{answered} `` for asked"));
            // Bytes that are not text are shown replaced, not refused as unreadable.
            let said_of_bytes = said(b"\xff\xfe x y\n");
            assert!(
                said_of_bytes
                    .starts_with(&format!("{answered} `\u{fffd}\u{fffd} x y` for asked: ")),
                "{said_of_bytes}"
            );
            let cut = "git cat-file ended inside object asked";
            assert_eq!(said(format!("{ID} blob 9\nshort\n").as_bytes()), cut);
            assert_eq!(said(format!("{ID} blob 2\nab!").as_bytes()), cut);
        }
    }
}
