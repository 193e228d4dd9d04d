//! The paths many commits change, from a `git diff-tree` process beside the check:
//! when the policy asks which paths every commit touches (a required reference, a
//! protected path), comparing each commit's trees with its parent's is most of a
//! first check, and git does it on the second core while chg reads the rest.

use super::fed::{Drained, Mapped};
use super::{CommitId, Git, ObjectId};
use std::io::BufRead;

/// What git is asked to compare: a commit against its parent, or, where chg knows
/// both root trees ahead, the two trees themselves. Given trees, git reads no commit:
/// a tenth of its time on a real history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Commit(CommitId),
    /// The first parent's root tree, then the commit's.
    Trees(ObjectId, ObjectId),
}

/// The paths git found changed, with what it compared.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub about: Asked,
    pub paths: Vec<String>,
}

/// The paths each of a list of comparisons changes, in that order.
pub struct ChangedPaths {
    /// What was asked, in order, and where the next answer is in it.
    asked: Vec<Asked>,
    at: usize,
    /// git's answers, a piece at a time.
    git: Drained<Vec<Answer>>,
    /// The answers of the piece being handed out, the next one last.
    piece: Vec<Answer>,
    /// Set once a piece is missing: git stopped answering.
    ended: bool,
}

/// How many commits git compares newest first, handed out oldest first: git stores
/// older trees as changes to newer ones, and compares a piece a fifth faster read
/// in that order. chg takes a piece once git has compared all of it, so a piece
/// is small enough that chg works on one while git compares the next: at 4,096, a
/// first check of a real history took 5 % longer.
const PIECE: usize = 1024;

/// git's answers as they are read.
struct Answers {
    /// The next answer's first line, read while looking for the last one's end.
    pending: Option<Vec<u8>>,
    /// How many comparisons git has yet to answer for.
    unanswered: usize,
}

impl Asked {
    /// Whether this is the comparison of `commit`'s root tree `tree` with its first
    /// parent's, `parent` (none for a root commit), as chg read them.
    fn is_of(&self, commit: CommitId, parent: Option<ObjectId>, tree: ObjectId) -> bool {
        match *self {
            Asked::Commit(id) => id == commit,
            Asked::Trees(old, new) => parent == Some(old) && new == tree,
        }
    }

    /// Writes the line git is given into `input`.
    fn write(&self, input: &mut Vec<u8>) {
        match self {
            Asked::Commit(id) => input.extend_from_slice(&id.hex()),
            Asked::Trees(old, new) => {
                input.extend_from_slice(&old.hex());
                input.push(b' ');
                input.extend_from_slice(&new.hex());
            }
        }
        input.push(b'\n');
    }

    /// What the first line of one of git's answers names: a commit's id ends in NUL
    /// (as every field does with `-z`), two trees' ids in a newline.
    fn named(line: &[u8]) -> Option<Asked> {
        let id = |hex: &[u8]| std::str::from_utf8(hex).ok()?.parse().ok();
        match (line.len(), line.last()) {
            (41, Some(0)) => Some(Asked::Commit(id(&line[..40])?)),
            (82, Some(b'\n')) if line[40] == b' ' => {
                Some(Asked::Trees(id(&line[..40])?, id(&line[41..81])?))
            }
            _ => None,
        }
    }
}

impl Git {
    /// The paths each of `asked` (no merge among them) changes, read by git in
    /// their order; `None` when git cannot be run.
    pub fn changed_paths_of(&self, asked: Vec<Asked>) -> Option<ChangedPaths> {
        // Every changed file by its own path (`-r`, no renames) after its one-letter
        // status (no modes or ids, which chg does not read), whole ids, a root
        // commit against nothing, and each comparison named even when it finds
        // nothing. `-z` leaves paths unquoted. Every submodule too: `ignore = all`
        // in a committed `.gitmodules` would hide one.
        let args = [
            "diff-tree",
            "--stdin",
            "-r",
            "--name-status",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--root",
            "--always",
            "--ignore-submodules=none",
        ];
        // One comparison more than asked, whose first line ends the last answer: an
        // answer that ends where git's output does was cut short.
        let mut input = Vec::with_capacity((asked.len() + 1) * 82);
        for asked in (asked.chunks(PIECE))
            .flat_map(|piece| piece.iter().rev())
            .chain(asked.first())
        {
            asked.write(&mut input);
        }
        let mut answers = Answers {
            pending: None,
            unanswered: asked.len(),
        };
        let git = Drained::spawn(
            self.repo.path(),
            Mapped::Wide,
            &args,
            input,
            move |output| answers.piece(output),
        )
        .ok()?;
        Some(ChangedPaths {
            asked,
            at: 0,
            git,
            piece: Vec::new(),
            ended: false,
        })
    }
}

impl ChangedPaths {
    /// git's answer to the next comparison asked; `None` once git stopped answering,
    /// or when its answer is about something else. git reads a line whose first id
    /// is a commit as that commit against the others, whatever chg meant by it: an
    /// answer is taken only for exactly what was asked. Whether that is what the
    /// commit holds is checked by [`Answer::paths_of`].
    pub fn next(&mut self) -> Option<Answer> {
        let asked = self.asked.get(self.at).copied();
        self.at += 1;
        if self.piece.is_empty() && !self.ended {
            match self.git.next() {
                Some(piece) => self.piece = piece,
                None => self.ended = true,
            }
        }
        self.piece
            .pop()
            .filter(|answer| Some(answer.about) == asked)
    }
}

impl Answer {
    /// The paths `commit` changes, whose root tree is `tree` and whose first
    /// parent's is `parent` (none for a root commit), as chg read them: `None`
    /// unless git compared exactly those, so that an answer out of step with the
    /// commits costs a comparison by chg, never a wrong path.
    pub fn paths_of(
        self,
        commit: CommitId,
        parent: Option<ObjectId>,
        tree: ObjectId,
    ) -> Option<Vec<String>> {
        self.about.is_of(commit, parent, tree).then_some(self.paths)
    }
}

impl Answers {
    /// The answers for the next piece of comparisons, in git's order; `None` after
    /// the last, or when git's answer ends inside one.
    fn piece(&mut self, output: &mut impl BufRead) -> Option<Vec<Answer>> {
        let size = self.unanswered.min(PIECE);
        self.unanswered -= size;
        (size > 0).then(|| (0..size).map(|_| self.answer(output)).collect())?
    }

    /// The next comparison git names, with the paths it found changed; `None` when
    /// the answer is not followed by the next one's first line.
    fn answer(&mut self, output: &mut impl BufRead) -> Option<Answer> {
        let line = match self.pending.take() {
            Some(line) => line,
            None => first_line(output, Vec::new())?,
        };
        let about = Asked::named(&line)?;
        // A one-letter status and its NUL, then the path, for each change; a field
        // that goes on past its second byte is the next answer's first line (its
        // second byte is a hex digit). A path is only ever read after a status, so
        // a file named like an id (or a status) is still a path.
        let mut paths = Vec::new();
        loop {
            let mut start = [0; 2];
            output.read_exact(&mut start).ok()?;
            if start[1] != 0 {
                self.pending = Some(first_line(output, start.to_vec())?);
                break;
            }
            paths.push(super::encoding::lossy_owned(field(output)?));
        }
        Some(Answer { about, paths })
    }
}

/// The first line of an answer, `line` the bytes of it read already: a commit's id
/// ends in NUL, two trees' ids in a newline.
fn first_line(output: &mut impl BufRead, mut line: Vec<u8>) -> Option<Vec<u8>> {
    if matches!(line.last(), Some(0 | b'\n')) {
        return Some(line);
    }
    loop {
        let read = output.fill_buf().ok()?;
        if read.is_empty() {
            return None;
        }
        match read.iter().position(|&b| b == 0 || b == b'\n') {
            Some(end) => {
                line.extend_from_slice(&read[..=end]);
                output.consume(end + 1);
                return Some(line);
            }
            None => {
                let all = read.len();
                line.extend_from_slice(read);
                output.consume(all);
            }
        }
    }
}

/// The next NUL-ended field of git's answer.
fn field(output: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut field = Vec::new();
    output.read_until(0, &mut field).ok()?;
    (field.pop() == Some(0)).then_some(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scratch::Scratch;

    /// A tree's bytes with each 100644 file written 100664, as no git writes it.
    fn with_odd_modes(mut tree: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(nul) = tree.iter().position(|&b| b == 0) {
            let head = &tree[..nul];
            match head.strip_prefix(b"100644 ") {
                Some(name) => out.extend_from_slice(&[b"100664 ", name].concat()),
                None => out.extend_from_slice(head),
            }
            out.extend_from_slice(&tree[nul..nul + 21]);
            tree = &tree[nul + 21..];
        }
        out
    }

    #[test]
    fn git_names_the_paths_chg_finds_each_commit_changes() {
        let repo = Scratch::init();
        repo.git(&["config", "core.filemode", "true"]);
        let commit = |message: &str| {
            repo.git(&["add", "-A"]);
            repo.git(&["commit", "-q", "--allow-empty", "-m", message]);
            repo.git(&["rev-parse", "HEAD"]).trim().to_string()
        };
        repo.write("src/a.rs", "a\n");
        repo.write("docs/b.md", "b\n");
        repo.write("odd name\twith tab\n.txt", "odd\n");
        commit("root");
        repo.write("src/a.rs", "a2\n");
        commit("edit");
        commit("empty");
        repo.git(&["update-index", "--chmod=+x", "src/a.rs"]);
        commit("mode");
        std::fs::remove_dir_all(repo.path().join("docs")).unwrap();
        repo.write("docs", "now a file\n");
        let next = commit("folder to file");
        // A file named like the commit asked for after it, or like a status, is
        // still a path.
        repo.write(&next, "named like a commit\n");
        repo.write("M", "named like a status\n");
        repo.write("deep/er/still/c.rs", "c\n");
        commit("named like a commit");
        // A submodule its `.gitmodules` tells git to ignore, added and moved.
        repo.stage("160000", &"1".repeat(40), "prot/sub");
        let ignored = "[submodule \"s\"]\n\tpath = prot/sub\n\turl = ./x\n\tignore = all\n";
        repo.write(".gitmodules", ignored);
        repo.git(&["add", ".gitmodules"]);
        repo.git(&["commit", "-q", "-m", "add a submodule to ignore"]);
        repo.stage("160000", &"2".repeat(40), "prot/sub");
        repo.git(&["commit", "-q", "-m", "move it"]);
        // The same files with a mode only a hand-made tree holds: no change to git.
        let git2_repo = repo.repo();
        let odb = git2_repo.odb().unwrap();
        let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
        let bytes = odb
            .read(tree.trim().parse().unwrap())
            .unwrap()
            .data()
            .to_vec();
        let odd = odb
            .write(git2::ObjectType::Tree, &with_odd_modes(&bytes))
            .unwrap();
        let made = repo.git(&["commit-tree", &odd.to_string(), "-p", "HEAD", "-m", "odd"]);
        repo.git(&["update-ref", "HEAD", made.trim()]);
        let ids: Vec<CommitId> = (repo.git(&["rev-list", "--reverse", "HEAD"]).lines())
            .map(|l| l.parse().unwrap())
            .collect();
        let git = Git::discover(repo.path()).unwrap();
        let tree = |c: &CommitId| git.tree_of(*c).unwrap();
        let changed = |old: Option<&CommitId>, new: &CommitId| {
            git.changed_paths(old.map(tree), tree(new)).unwrap()
        };
        // Each commit asked both ways: by its id, and by its parent's tree and its own.
        let parents: Vec<Option<&CommitId>> = (0..ids.len())
            .map(|n| n.checked_sub(1).map(|p| &ids[p]))
            .collect();
        let by_trees = |n: usize| parents[n].map(|p| (Asked::Trees(tree(p), tree(&ids[n])), n));
        let mut asked: Vec<(Asked, usize)> = (0..ids.len())
            .flat_map(|n| [Some((Asked::Commit(ids[n]), n)), by_trees(n)])
            .flatten()
            .collect();
        // The commit named like a file, again: git's answers follow the order asked.
        let at = ids.iter().position(|id| id.to_string() == next).unwrap();
        asked.push((Asked::Commit(ids[at]), at));
        let only: Vec<Asked> = asked.iter().map(|(asked, _)| *asked).collect();
        let mut stream = git.changed_paths_of(only).unwrap();
        for (asked, n) in asked {
            let answer = stream.next().unwrap();
            assert_eq!(answer.about, asked);
            let paths = answer.paths_of(ids[n], parents[n].map(tree), tree(&ids[n]));
            assert_eq!(paths, Some(changed(parents[n], &ids[n])), "{asked:?}");
        }
        assert_eq!(stream.next(), None);
    }

    #[test]
    fn a_commit_named_as_a_tree_is_no_answer() {
        let repo = Scratch::init();
        let commit = |file: &str| {
            repo.add(&[(file, file)]);
            repo.git(&["commit", "-q", "-m", file]);
            repo.git(&["rev-parse", "HEAD"]).trim().parse().unwrap()
        };
        let (first, second): (CommitId, CommitId) = (commit("a"), commit("b"));
        let git = Git::discover(repo.path()).unwrap();
        let tree = |c: CommitId| git.tree_of(c).unwrap();
        // Given "<commit> <commit>", git compares the first commit with the second as
        // its parent and names the commit: "second changes nothing". Asked for two
        // trees, that is no answer; the right trees after it are still answered.
        let asked = vec![
            Asked::Trees(second, second),
            Asked::Trees(tree(first), tree(second)),
        ];
        let mut stream = git.changed_paths_of(asked).unwrap();
        assert_eq!(stream.next(), None);
        let answer = stream.next().unwrap();
        let paths = answer.paths_of(second, Some(tree(first)), tree(second));
        assert_eq!(paths, Some(vec!["b".to_string()]));
    }

    #[test]
    fn an_answer_is_taken_only_for_what_it_compared() {
        let [a, b, c, d] = ["a", "b", "c", "d"].map(|x| x.repeat(40).parse().unwrap());
        let taken = |about: Asked, parent: Option<ObjectId>| {
            let paths = vec!["src/x.rs".to_string()];
            Answer { about, paths }.paths_of(a, parent, c).is_some()
        };
        assert!(taken(Asked::Commit(a), Some(b)));
        assert!(taken(Asked::Trees(b, c), Some(b)));
        // Another commit, another parent's tree, another tree of its own.
        assert!(!taken(Asked::Commit(d), Some(b)));
        assert!(!taken(Asked::Trees(d, c), Some(b)));
        assert!(!taken(Asked::Trees(b, d), Some(b)));
        // A root commit is asked by its id: two trees are never its answer.
        assert!(taken(Asked::Commit(a), None));
        assert!(!taken(Asked::Trees(b, c), None));
    }

    #[test]
    fn an_answer_cut_short_is_no_answer() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let read = |output: String, asked: usize| {
            let mut answers = Answers {
                pending: None,
                unanswered: asked,
            };
            answers.piece(&mut std::io::Cursor::new(output.into_bytes()))
        };
        let by_commit = |next: &str| format!("{a}\0M\0src/a.rs\0{next}");
        let whole = read(by_commit(&format!("{b}\0")), 1).unwrap();
        assert_eq!(whole[0].paths, vec!["src/a.rs".to_string()]);
        // By trees: the first line ends in a newline; one that finds nothing is
        // followed at once by the next.
        let by_trees = format!("{a} {b}\n{b} {a}\nD\0x\0{a}\0");
        let both = read(by_trees.clone(), 2).unwrap();
        let (a, b) = (a.parse().unwrap(), b.parse().unwrap());
        assert_eq!(
            both[0],
            Answer {
                about: Asked::Trees(a, b),
                paths: vec![]
            }
        );
        assert_eq!(both[1].about, Asked::Trees(b, a));
        assert_eq!(both[1].paths, vec!["x".to_string()]);
        // git stopped after a path, inside the next id, or inside a first line.
        assert!(read(by_commit(""), 1).is_none());
        assert!(read(by_commit("bbbb"), 1).is_none());
        assert!(read(by_trees[..50].to_string(), 1).is_none());
        assert!(read(by_trees[..90].to_string(), 2).is_none());
    }

    #[test]
    fn a_list_longer_than_a_piece_is_answered_in_its_order() {
        let repo = Scratch::init();
        let git2_repo = repo.repo();
        let sig = git2::Signature::new("Ada", "ada@example.com", &git2::Time::new(0, 0)).unwrap();
        let mut parent: Option<git2::Commit> = None;
        let mut ids = Vec::new();
        // Each commit holds one file, named after it: it drops its parent's.
        for n in 0..PIECE + 3 {
            let mut tree = git2_repo.treebuilder(None).unwrap();
            let blob = git2_repo.blob(n.to_string().as_bytes()).unwrap();
            tree.insert(format!("f{n}"), blob, 0o100644).unwrap();
            let tree = git2_repo.find_tree(tree.write().unwrap()).unwrap();
            let parents: Vec<&git2::Commit> = parent.iter().collect();
            let id = git2_repo
                .commit(None, &sig, &sig, "c", &tree, &parents)
                .unwrap();
            ids.push(CommitId::from(id));
            parent = Some(git2_repo.find_commit(id).unwrap());
        }
        let git = Git::discover(repo.path()).unwrap();
        // By id and by trees in turn, so that pieces hold both.
        let tree = |c: &CommitId| git.tree_of(*c).unwrap();
        let asked: Vec<Asked> = (ids.iter().enumerate())
            .map(|(n, id)| match n % 2 {
                0 => Asked::Commit(*id),
                _ => Asked::Trees(tree(&ids[n - 1]), tree(id)),
            })
            .collect();
        let mut stream = git.changed_paths_of(asked.clone()).unwrap();
        for (n, id) in ids.iter().enumerate() {
            let expected = match n {
                0 => vec!["f0".to_string()],
                _ => {
                    let mut both = vec![format!("f{}", n - 1), format!("f{n}")];
                    both.sort();
                    both
                }
            };
            let answer = stream.next().unwrap();
            assert_eq!(answer.about, asked[n]);
            assert_eq!(answer.paths, expected, "commit {n} ({id})");
        }
    }
}
