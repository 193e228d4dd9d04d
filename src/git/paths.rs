//! The paths many commits change, from a `git diff-tree` process beside the check:
//! when the policy asks which paths every commit touches (a required reference, a
//! protected path), comparing each commit's trees with its parent's is most of a
//! first check, and git does it on the second core while chg reads the rest.

use super::fed::Drained;
use super::{CommitId, Git};
use std::io::BufRead;

/// The paths each of a list of commits changes against its parent, in that order.
pub struct ChangedPaths {
    /// git's answers, a piece at a time: the commit each names, with its paths.
    git: Drained<Vec<(Vec<u8>, Vec<String>)>>,
    /// The answers of the piece being handed out, the next one last.
    piece: Vec<(Vec<u8>, Vec<String>)>,
    /// Set once an answer is missing or not about the commit asked for: git's
    /// answers are then no longer trusted to line up with the commits.
    astray: bool,
}

/// How many commits git compares newest first, handed out oldest first: git stores
/// older trees as changes to newer ones, and compares a piece a fifth faster read
/// in that order. chg takes a piece once git has compared all of it, so a piece
/// is small enough that chg works on one while git compares the next: at 4,096, a
/// first check of a real history took 5 % longer.
const PIECE: usize = 1024;

/// git's answers as they are read, a field at a time.
struct Answers {
    /// The id git named last, whose paths have not been read yet.
    pending: Option<Vec<u8>>,
    /// How many commits git has yet to answer for.
    unanswered: usize,
}

impl Git {
    /// The paths each of `commits` (none of them a merge) changes, read by git in
    /// their order; `None` when git cannot be run.
    pub fn changed_paths_of(&self, commits: &[CommitId]) -> Option<ChangedPaths> {
        // Every changed file by its own path (`-r`, no renames) after its one-letter
        // status (no modes or ids, which chg does not read), whole commit ids, a
        // root commit against nothing, and each commit named even when it changes
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
        // One commit more than asked, whose id ends the last answer: an answer that
        // ends where git's output does was cut short.
        let mut input = Vec::with_capacity((commits.len() + 1) * 41);
        let asked = (commits.chunks(PIECE))
            .flat_map(|piece| piece.iter().rev())
            .chain(commits.first());
        for id in asked {
            input.extend_from_slice(&id.hex());
            input.push(b'\n');
        }
        let mut answers = Answers {
            pending: None,
            unanswered: commits.len(),
        };
        let git = Drained::spawn(self.repo.path(), &args, input, move |output| {
            answers.piece(output)
        })
        .ok()?;
        Some(ChangedPaths {
            git,
            piece: Vec::new(),
            astray: false,
        })
    }
}

impl ChangedPaths {
    /// The paths `commit`, the next commit asked for, changes; `None` when git's
    /// answer is not about it, which is then left to chg to compare.
    pub fn next(&mut self, commit: &CommitId) -> Option<Vec<String>> {
        if self.piece.is_empty() && !self.astray {
            match self.git.next() {
                Some(piece) => self.piece = piece,
                None => self.astray = true,
            }
        }
        if self.astray {
            return None;
        }
        let (named, paths) = self.piece.pop()?;
        if named != commit.to_string().as_bytes() {
            self.astray = true;
            return None;
        }
        Some(paths)
    }
}

impl Answers {
    /// The answers for the next piece of commits, in git's order; `None` after the
    /// last, or when git's answer ends inside one.
    fn piece(&mut self, output: &mut impl BufRead) -> Option<Vec<(Vec<u8>, Vec<String>)>> {
        let size = self.unanswered.min(PIECE);
        self.unanswered -= size;
        (size > 0).then(|| (0..size).map(|_| self.answer(output)).collect())?
    }

    /// The next commit git names, with the paths it changes; `None` when the answer
    /// is not followed by the next commit's id.
    fn answer(&mut self, output: &mut impl BufRead) -> Option<(Vec<u8>, Vec<String>)> {
        let named = match self.pending.take() {
            Some(named) => named,
            None => token(output)?,
        };
        // A one-letter status then the path, for each change; the next commit's id
        // is longer. A path is only ever read after a status, so a file named like
        // a commit id (or a status) is still a path.
        let mut paths = Vec::new();
        while let Some(field) = token(output) {
            if field.len() != 1 {
                self.pending = Some(field);
                break;
            }
            paths.push(super::encoding::lossy_owned(token(output)?));
        }
        self.pending.as_ref()?;
        Some((named, paths))
    }
}

/// The next NUL-ended field of git's answer.
fn token(output: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut token = Vec::new();
    output.read_until(0, &mut token).ok()?;
    (token.pop() == Some(0)).then_some(token)
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
        let changed = |old: Option<&CommitId>, new: &CommitId| {
            let tree = |c: &CommitId| git.tree_of(*c).unwrap();
            git.changed_paths(old.map(tree), tree(new)).unwrap()
        };
        let mut asked = ids.clone();
        asked.push(next.parse().unwrap());
        let mut stream = git.changed_paths_of(&asked).unwrap();
        for (n, id) in ids.iter().enumerate() {
            let parent = n.checked_sub(1).map(|p| &ids[p]);
            assert_eq!(stream.next(id), Some(changed(parent, id)), "{id}");
        }
        let at = ids.iter().position(|id| id.to_string() == next).unwrap();
        let (before, next) = (&ids[at - 1], &ids[at]);
        assert_eq!(stream.next(next), Some(changed(Some(before), next)));
        // Asked out of order, it answers nothing rather than another commit's paths.
        let mut stream = git.changed_paths_of(&ids).unwrap();
        assert_eq!(stream.next(&ids[1]), None);
        assert_eq!(stream.next(&ids[0]), None);
    }

    #[test]
    fn an_answer_cut_short_is_no_answer() {
        let answer = |next: &str| format!("{}\0M\0src/a.rs\0{next}", "a".repeat(40));
        let read = |output: String| {
            let mut answers = Answers {
                pending: None,
                unanswered: 1,
            };
            answers.piece(&mut std::io::Cursor::new(output.into_bytes()))
        };
        let whole = read(answer(&format!("{}\0", "b".repeat(40)))).unwrap();
        assert_eq!(whole[0].1, vec!["src/a.rs".to_string()]);
        // git stopped after a path, or inside the next id.
        assert!(read(answer("")).is_none());
        assert!(read(answer("bbbb")).is_none());
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
        let mut stream = git.changed_paths_of(&ids).unwrap();
        for (n, id) in ids.iter().enumerate() {
            let expected = match n {
                0 => vec!["f0".to_string()],
                _ => {
                    let mut both = vec![format!("f{}", n - 1), format!("f{n}")];
                    both.sort();
                    both
                }
            };
            assert_eq!(stream.next(id), Some(expected), "commit {n}");
        }
    }
}
