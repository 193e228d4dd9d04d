//! Many commits read by a `git cat-file` process beside the check: a writer thread
//! feeds it their ids while chg parses what came back before, so that inflating
//! commits and their root trees takes the second core. Each commit is parsed as
//! libgit2 parses it; one whose header is anything but the usual shape is read
//! through libgit2 itself, so that both readings always give the same authors,
//! times and messages.

use super::batch::{answer, answer_into, Kind};
use super::fed::{Fed, STREAMED_FROM};
use super::history::RawCommit;
use super::{encoding, CommitId, Git, ObjectId};
use anyhow::{bail, Result};

/// A commit, with the bytes of its root tree when git read them beside it.
pub struct ReadCommit {
    pub commit: RawCommit,
    pub root: Option<Vec<u8>>,
}

/// Commits in the order asked, each read once.
pub struct Commits<'g, I> {
    git: &'g Git,
    /// Each commit with the root tree found for it ahead, where one was; taken a
    /// piece at a time, so that a long history's ids are not held twice.
    ids: I,
    /// The piece of `ids` being read.
    piece_ids: Vec<Wanted>,
    /// Where the next commit is in `piece_ids`.
    at: usize,
    /// The git process reading `piece_ids`, while it works.
    stream: Option<Stream>,
    /// Whether git reads them at all: not for a few, nor after it failed once.
    streaming: bool,
    /// How many commits each git reads.
    piece: usize,
}

/// How many commits one `git cat-file` reads at least before the next takes over:
/// a long history is read in pieces, so that what git caches is given back.
const PIECE: usize = 16_384;

/// How many pieces a history is read in at most. Each git maps the pack's index
/// afresh, and that index grows with the history (128 MB at a million commits), so a
/// longer history is read in longer pieces, not in more of them.
const PIECES: usize = 16;

/// A `git cat-file` reading a piece, and the bytes of the commit it read last, in
/// room kept from one commit to the next.
struct Stream {
    git: Fed,
    commit: Vec<u8>,
}

/// A tree as git read it: its id and bytes.
type Tree = (ObjectId, Vec<u8>);

/// A commit to read, with the root tree found for it ahead, where one was.
type Wanted = (CommitId, Option<CommitId>);

impl Git {
    /// The `count` commits `ids` names, each with the root tree found for it ahead
    /// where one was, read in that order. A root that is not the tree its commit
    /// names is not taken.
    pub fn commits<I>(&self, ids: I, count: usize) -> Commits<'_, I>
    where
        I: Iterator<Item = Wanted>,
    {
        Commits {
            git: self,
            streaming: count >= STREAMED_FROM,
            piece: piece_for(count),
            ids,
            piece_ids: Vec::new(),
            at: 0,
            stream: None,
        }
    }
}

/// How many commits each git reads of a walk of `commits`.
fn piece_for(commits: usize) -> usize {
    commits.div_ceil(PIECES).max(PIECE)
}

impl<I: Iterator<Item = Wanted>> Commits<'_, I> {
    /// The next commit to read and the stream reading it, where git reads it: at the
    /// end of a piece, the next is taken from `ids` and its git started once the
    /// last one's has ended.
    fn next_id(&mut self) -> Option<(Wanted, Option<&mut Stream>)> {
        if self.at == self.piece_ids.len() {
            self.piece_ids.clear();
            self.piece_ids.extend(self.ids.by_ref().take(self.piece));
            self.at = 0;
            self.stream = None;
            if self.streaming && !self.piece_ids.is_empty() {
                self.stream = Stream::spawn(self.git.repo.path(), &self.piece_ids).ok();
                self.streaming = self.stream.is_some();
            }
        }
        let next = *self.piece_ids.get(self.at)?;
        self.at += 1;
        Some((next, self.stream.as_mut()))
    }
}

impl<I: Iterator<Item = Wanted>> Iterator for Commits<'_, I> {
    type Item = Result<ReadCommit>;

    fn next(&mut self) -> Option<Result<ReadCommit>> {
        let ((id, root), stream) = self.next_id()?;
        let (streamed, root) = match stream.map(|s| s.next(id, AskedRoot(id, root))) {
            Some(Ok((commit, root))) => (parse(id, commit), root),
            // Whatever went wrong, libgit2 reads this commit and the rest, and says
            // so if it cannot.
            Some(Err(_)) => {
                (self.stream, self.streaming) = (None, false);
                (None, None)
            }
            None => (None, None),
        };
        let commit = match streamed {
            Some(commit) => commit,
            None => match self.git.commit(id) {
                Ok(commit) => commit,
                Err(e) => return Some(Err(e)),
            },
        };
        // The tree the commit names, and no other.
        let root = root
            .filter(|(id, _)| *id == commit.tree)
            .map(|(_, bytes)| bytes);
        Some(Ok(ReadCommit { commit, root }))
    }
}

impl Stream {
    fn spawn(git_dir: &std::path::Path, ids: &[Wanted]) -> Result<Stream> {
        let mut input = Vec::with_capacity(ids.len() * 89);
        for &(id, root) in ids {
            input.extend_from_slice(&id.hex());
            input.push(b'\n');
            AskedRoot(id, root).write(&mut input);
        }
        let args = ["cat-file", "--batch", "--buffer"];
        Ok(Stream {
            git: Fed::spawn(git_dir, &args, input)?,
            commit: Vec::new(),
        })
    }

    /// The bytes of the next commit, which must be `id`, and the id and bytes of
    /// the tree `root` when git has it.
    fn next(&mut self, id: CommitId, root: AskedRoot) -> Result<(&[u8], Option<Tree>)> {
        match answer_into(&mut self.git.output, id, &mut self.commit)? {
            Some((read, Kind::Commit)) if read == id => {}
            _ => bail!("cannot read commit {id}: git cat-file read something else"),
        }
        let root = match answer(&mut self.git.output, root)? {
            Some(o) if o.kind == Kind::Tree => Some((o.id, o.bytes)),
            _ => None,
        };
        Ok((&self.commit, root))
    }
}

/// How git is asked for the root tree of a commit: by its id where it was found
/// ahead, as peeling the commit to its tree has git read the commit twice and look
/// its name up as a ref. Formatted into git's input, and into an error message when
/// git's answer is wrong; not once more for every commit read.
#[derive(Clone, Copy)]
struct AskedRoot(CommitId, Option<CommitId>);

impl AskedRoot {
    /// Its line of git's input.
    fn write(self, input: &mut Vec<u8>) {
        match self.1 {
            Some(root) => input.extend_from_slice(&root.hex()),
            None => {
                input.extend_from_slice(&self.0.hex());
                input.extend_from_slice(b"^{tree}");
            }
        }
        input.push(b'\n');
    }
}

/// As written to git, for an error message.
impl std::fmt::Display for AskedRoot {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let mut line = Vec::new();
        self.write(&mut line);
        line.pop();
        f.write_str(&String::from_utf8_lossy(&line))
    }
}

/// A commit's bytes in the shape git writes them, as libgit2 reads them; `None`
/// for anything else, which libgit2 is then asked to read.
fn parse(id: CommitId, data: &[u8]) -> Option<RawCommit> {
    let (head, message) = split_at_blank_line(data)?;
    // libgit2 cuts a header's value at a NUL, and the message too (a C string).
    if data.contains(&0) {
        return None;
    }
    let mut lines = head.split(|&b| b == b'\n');
    let tree = object_id(lines.next()?.strip_prefix(b"tree ")?)?;
    let mut parents = Vec::new();
    let mut line = lines.next()?;
    while let Some(parent) = line.strip_prefix(b"parent ") {
        parents.push(object_id(parent)?);
        line = lines.next()?;
    }
    let author = signature(line.strip_prefix(b"author ")?)?;
    let committer = signature(lines.next()?.strip_prefix(b"committer ")?)?;
    let mut encoding = None;
    for line in lines {
        // A second author libgit2 skips but still parses; rare enough to leave to it.
        if line.starts_with(b"author ") {
            return None;
        }
        if let Some(label) = line.strip_prefix(b"encoding ") {
            encoding = Some(std::str::from_utf8(label).ok()?);
        }
    }
    // libgit2 gives the message without the empty lines it starts with.
    let start = message
        .iter()
        .position(|&b| b != b'\n')
        .unwrap_or(message.len());
    let text = |bytes: &[u8]| encoding::decode(bytes, encoding);
    Some(RawCommit {
        id,
        parents,
        author_name: text(author.name),
        author_email: text(author.email),
        committer_email: text(committer.email),
        tree,
        time: author.time,
        committed: committer.time,
        message: text(&message[start..]),
    })
}

/// The header (without its last newline) and the message after the empty line
/// between them.
fn split_at_blank_line(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = memchr::memmem::find(data, b"\n\n")?;
    Some((&data[..at], &data[at + 2..]))
}

/// A 40-digit id, in either case.
fn object_id(hex: &[u8]) -> Option<CommitId> {
    std::str::from_utf8(hex).ok()?.parse().ok()
}

struct Signature<'a> {
    name: &'a [u8],
    email: &'a [u8],
    time: i64,
}

/// `Name <email> <seconds> <+|-><hhmm>`. Name and email are found as libgit2 finds
/// them (the last `<` and `>`, trimmed of what it trims); the time must be plain.
fn signature(line: &[u8]) -> Option<Signature<'_>> {
    let open = memchr::memrchr(b'<', line)?;
    let close = memchr::memrchr(b'>', line)?;
    if close <= open {
        return None;
    }
    let rest = line[close + 1..].strip_prefix(b" ")?;
    let (seconds, zone) = rest.split_at(rest.iter().position(|&b| b == b' ')?);
    let plain = |digits: &[u8], most: usize| {
        !digits.is_empty() && digits.len() <= most && digits.iter().all(u8::is_ascii_digit)
    };
    let zone = zone.strip_prefix(b" ")?;
    if !plain(seconds, 15) || zone.len() != 5 || !matches!(zone[0], b'+' | b'-') {
        return None;
    }
    if !plain(&zone[1..], 4) {
        return None;
    }
    Some(Signature {
        name: trimmed(&line[..open]),
        email: trimmed(&line[open + 1..close]),
        time: std::str::from_utf8(seconds).ok()?.parse().ok()?,
    })
}

/// Without what libgit2 trims from either end of a name or an email.
fn trimmed(mut bytes: &[u8]) -> &[u8] {
    let crud = |b: &u8| *b <= 32 || b",:;<>\"\\'".contains(b);
    while let [first, rest @ ..] = bytes {
        if !crud(first) {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., last] = bytes {
        if !crud(last) {
            break;
        }
        bytes = rest;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_is_asked_for_by_its_id_where_listed_else_through_its_commit() {
        let commit: CommitId = "0123456789abcdef0123456789abcdef01234567".parse().unwrap();
        let root: CommitId = "fedcba9876543210fedcba9876543210fedcba98".parse().unwrap();
        let line = |asked: AskedRoot| {
            let mut input = Vec::new();
            asked.write(&mut input);
            (String::from_utf8(input).unwrap(), asked.to_string())
        };
        assert_eq!(
            line(AskedRoot(commit, Some(root))),
            (format!("{root}\n"), root.to_string())
        );
        assert_eq!(
            line(AskedRoot(commit, None)),
            (format!("{commit}^{{tree}}\n"), format!("{commit}^{{tree}}"))
        );
    }

    /// Commits of every shape chg has met or a forger might write.
    fn shapes(tree: &str, parent: &str) -> Vec<String> {
        let sig = "Ada Lovelace <ada@example.com> 1700000000 +0100";
        let mut shapes = vec![
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\n\nroot commit\n"),
            format!("tree {tree}\nparent {parent}\nauthor {sig}\ncommitter Lee <lee@example.com> 1700000500 -0700\n\nSubject\n\nBody\nChange: X\n"),
            format!("tree {tree}\nparent {parent}\nparent {parent}\nauthor {sig}\ncommitter {sig}\n\nMerge\n"),
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\nencoding ISO-8859-1\n\ncaf\u{e9}\n"),
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ\n -----END PGP SIGNATURE-----\n\nsigned\n"),
            format!("tree {tree}\nauthor {sig}\nauthor Eve <eve@example.com> 1 +0000\ncommitter {sig}\n\ntwo authors\n"),
            format!("tree {tree}\nauthor Eve <eve@example.com> <ada@example.com> 1 +0000\ncommitter {sig}\n\ntwo emails\n"),
            format!("tree {tree}\nauthor  \"Eve\" , <  eve@example.com ;> 1 +0000\ncommitter {sig}\n\ncrud\n"),
            format!("tree {tree}\nauthor Eve <eve@example.com> 99999999999999999999 +0000\ncommitter {sig}\n\noverflow\n"),
            format!("tree {tree}\nauthor Eve <eve@example.com>\ncommitter {sig}\n\nno time\n"),
            format!("tree {tree}\nauthor Eve <eve@example.com> 12 +00\ncommitter {sig}\n\nshort zone\n"),
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\n\n\n\nleading empty lines\n"),
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\n\nbefore\0after\n"),
            format!("tree {tree}\nauthor {sig}\ncommitter {sig}\n"),
            format!("tree {}\nauthor {sig}\ncommitter {sig}\n\nupper-case tree id\n", tree.to_uppercase()),
        ];
        shapes.push(format!(
            "tree {tree}\nauthor {sig}\ncommitter {sig}\n\n{}",
            "long ".repeat(5000)
        ));
        shapes
    }

    #[test]
    fn commits_read_through_git_are_the_commits_libgit2_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut builder = repo.treebuilder(None).unwrap();
        let blob = repo.blob(b"policy\n").unwrap();
        builder.insert(".changes.toml", blob, 0o100644).unwrap();
        let root = builder.write().unwrap();
        let tree = root.to_string();
        let odb = repo.odb().unwrap();
        let parent = odb
            .write(git2::ObjectType::Commit, shapes(&tree, &tree)[0].as_bytes())
            .unwrap()
            .to_string();
        let mut ids = Vec::new();
        // Enough of them to be streamed, each shape many times with a different time.
        for n in 0..STREAMED_FROM / 10 {
            for shape in shapes(&tree, &parent) {
                let shape = shape.replace("1700000000", &(1700000000 + n).to_string());
                let mut bytes = shape.into_bytes();
                if let Some(at) = bytes.windows(5).position(|w| w == "caf\u{e9}".as_bytes()) {
                    // The message in the encoding its header names.
                    bytes.splice(at + 3..at + 5, [0xe9]);
                }
                ids.push(odb.write(git2::ObjectType::Commit, &bytes).unwrap());
            }
        }
        let git = Git::discover(dir.path()).unwrap();
        let read: Vec<Result<ReadCommit>> = git
            .commits(ids.iter().map(|&id| (id.into(), None)), ids.len())
            .collect();
        assert_eq!(read.len(), ids.len());
        // Each with its root tree's bytes, as git stores them.
        let root = odb.read(root).unwrap().data().to_vec();
        assert!(!root.is_empty());
        for read in read.iter().flatten() {
            assert_eq!(read.root.as_deref(), Some(&root[..]));
        }
        let read: Vec<Result<RawCommit>> = read.into_iter().map(|r| r.map(|r| r.commit)).collect();
        let shown = |r: &Result<RawCommit>| format!("{:?}", r.as_ref().map_err(|e| e.to_string()));
        for (id, commit) in ids.iter().zip(&read) {
            assert_eq!(shown(commit), shown(&git.commit((*id).into())));
        }
        // libgit2 refuses a time past what it can hold, and so does the stream.
        assert!(read[8].is_err());
        let read: Vec<RawCommit> = read.into_iter().filter_map(Result::ok).collect();
        // The ordinary shapes are parsed here, not handed to libgit2.
        let bytes = |n: usize| odb.read(ids[n]).unwrap().data().to_vec();
        for n in [0, 1, 2, 3, 4, 6, 7, 11, 14, 15] {
            assert!(parse(ids[n].into(), &bytes(n)).is_some(), "shape {n}");
        }
        assert_eq!(read[3].message, "caf\u{e9}\n");
        assert_eq!(read[6].author_email, "ada@example.com");
        assert_eq!(read[7].author_name, "Eve");
        assert_eq!(read[7].author_email, "eve@example.com");
        assert_eq!(read[10].message, "leading empty lines\n");
    }

    #[test]
    fn a_long_list_is_read_by_one_git_after_another_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let odb = repo.odb().unwrap();
        let sig = "Ada <ada@example.com>";
        let ids: Vec<git2::Oid> = (0..PIECE + 3)
            .map(|n| {
                let text = format!(
                    "tree {tree}\nauthor {sig} {n} +0000\ncommitter {sig} {n} +0000\n\n{n}\n"
                );
                odb.write(git2::ObjectType::Commit, text.as_bytes())
                    .unwrap()
            })
            .collect();
        let git = Git::discover(dir.path()).unwrap();
        let read: Vec<ReadCommit> = (git.commits(
            ids.iter().map(|&id| (id.into(), Some(tree.into()))),
            ids.len(),
        ))
        .collect::<Result<_>>()
        .unwrap();
        assert_eq!(read.len(), ids.len());
        for (n, (id, read)) in ids.iter().zip(&read).enumerate() {
            assert_eq!(read.commit.id, (*id).into());
            assert_eq!(read.commit.message, format!("{n}\n"));
            assert!(read.root.is_some(), "commit {n} read without its tree");
        }
    }

    #[test]
    fn a_longer_history_is_read_in_longer_pieces_not_more() {
        assert_eq!(piece_for(100), PIECE);
        assert_eq!(piece_for(PIECE * PIECES), PIECE);
        assert_eq!(piece_for(PIECE * PIECES + 1), PIECE + 1);
        assert_eq!(piece_for(1_000_000), 62_500);
    }

    #[test]
    fn a_root_listed_wrong_is_not_taken_for_the_commits_tree() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let mut other = repo.treebuilder(None).unwrap();
        other
            .insert("x", repo.blob(b"x").unwrap(), 0o100644)
            .unwrap();
        let other = other.write().unwrap();
        let sig = "Ada <ada@example.com>";
        let ids: Vec<Wanted> = (0..STREAMED_FROM)
            .map(|n| {
                let text = format!(
                    "tree {tree}\nauthor {sig} {n} +0000\ncommitter {sig} {n} +0000\n\n{n}\n"
                );
                let id = odb
                    .write(git2::ObjectType::Commit, text.as_bytes())
                    .unwrap();
                // Every other commit listed with a tree it does not name.
                (
                    id.into(),
                    Some(if n % 2 == 0 { tree } else { other }.into()),
                )
            })
            .collect();
        let git = Git::discover(dir.path()).unwrap();
        let read: Vec<ReadCommit> = (git.commits(ids.iter().copied(), ids.len()))
            .collect::<Result<_>>()
            .unwrap();
        for (n, read) in read.iter().enumerate() {
            assert_eq!(read.commit.tree, tree.into());
            assert_eq!(read.root.is_some(), n % 2 == 0, "commit {n}");
        }
    }

    #[test]
    fn a_commit_git_does_not_have_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let git = Git::discover(dir.path()).unwrap();
        let missing: CommitId = "0123456789012345678901234567890123456789".parse().unwrap();
        let read: Vec<Result<ReadCommit>> = git
            .commits(
                std::iter::repeat_n((missing, Some(missing)), STREAMED_FROM),
                STREAMED_FROM,
            )
            .collect();
        assert!(read[0].is_err());
    }
}
