//! The paths many commits change, from a `git diff-tree` process beside the check:
//! when the policy asks which paths every commit touches (a required reference, a
//! protected path), comparing each commit's trees with its parent's is most of a
//! first check, and git does it on the second core while chg reads the rest.

use super::fed::Fed;
use super::{CommitId, Git};
use std::io::BufRead;

/// The paths each of a list of commits changes against its parent, in that order.
pub struct ChangedPaths {
    git: Fed,
    /// The id git named last, whose paths have not been read yet.
    pending: Option<Vec<u8>>,
    /// Set once an answer was not about the commit asked for: git's answers are
    /// then no longer trusted to line up with the commits.
    astray: bool,
}

impl Git {
    /// The paths each of `commits` (none of them a merge) changes, read by git in
    /// their order; `None` when git cannot be run.
    pub fn changed_paths_of(&self, commits: &[CommitId]) -> Option<ChangedPaths> {
        // Every changed file by its own path (`-r`, no renames), whole ids (no
        // search for short ones), a root commit against nothing, and each commit
        // named even when it changes nothing. `-z` leaves paths unquoted.
        let args = [
            "diff-tree",
            "--stdin",
            "-r",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--root",
            "--always",
        ];
        let input = (commits.iter())
            .flat_map(|id| format!("{id}\n").into_bytes())
            .collect();
        let git = Fed::spawn(self.repo.path(), &args, input).ok()?;
        Some(ChangedPaths {
            git,
            pending: None,
            astray: false,
        })
    }
}

impl ChangedPaths {
    /// The paths `commit`, the next commit asked for, changes; `None` when git's
    /// answer is not about it, which is then left to chg to compare.
    pub fn next(&mut self, commit: &CommitId) -> Option<Vec<String>> {
        if self.astray {
            return None;
        }
        let named = match self.pending.take() {
            Some(named) => named,
            None => self.token()?,
        };
        if named != commit.to_string().as_bytes() {
            self.astray = true;
            return None;
        }
        // `:<modes> <ids> <status>` then the path, for each change; the next commit's
        // id starts without a colon. A path is only ever read after a status, so a
        // file named like a commit id is still a path.
        let mut paths = Vec::new();
        while let Some(token) = self.token() {
            if !token.starts_with(b":") {
                self.pending = Some(token);
                break;
            }
            paths.push(String::from_utf8_lossy(&self.token()?).into_owned());
        }
        Some(paths)
    }

    /// The next NUL-ended field of git's answer.
    fn token(&mut self) -> Option<Vec<u8>> {
        let mut token = Vec::new();
        self.git.output.read_until(0, &mut token).ok()?;
        (token.pop() == Some(0)).then_some(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &std::path::Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=Ada", "-c", "user.email=ada@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn git_names_the_paths_chg_finds_each_commit_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        git(root, &["init", "-q"]);
        git(root, &["config", "core.filemode", "true"]);
        let commit = |message: &str| {
            git(root, &["add", "-A"]);
            git(root, &["commit", "-q", "--allow-empty", "-m", message]);
            git(root, &["rev-parse", "HEAD"]).trim().to_string()
        };
        write("src/a.rs", "a\n");
        write("docs/b.md", "b\n");
        write("odd name\twith tab\n.txt", "odd\n");
        commit("root");
        write("src/a.rs", "a2\n");
        commit("edit");
        commit("empty");
        git(root, &["update-index", "--chmod=+x", "src/a.rs"]);
        commit("mode");
        std::fs::remove_dir_all(root.join("docs")).unwrap();
        write("docs", "now a file\n");
        commit("folder to file");
        // A file named like the commit after it cannot pass for that commit's name.
        let next = git(root, &["rev-parse", "HEAD"]).trim().to_string();
        write(&next, "named like a commit\n");
        write("deep/er/still/c.rs", "c\n");
        commit("named like a commit");
        let ids: Vec<CommitId> = git(root, &["rev-list", "--reverse", "HEAD"])
            .lines()
            .map(|l| l.parse().unwrap())
            .collect();
        let repo = Git::discover(root).unwrap();
        // The commit named like a file is asked for right after it.
        let mut asked = ids.clone();
        asked.push(next.parse().unwrap());
        let mut stream = repo.changed_paths_of(&asked).unwrap();
        let mut parent_tree = None;
        for id in &ids {
            let tree = repo.tree_of(&id.to_string()).unwrap();
            let expected = repo.changed_paths(parent_tree.as_deref(), &tree).unwrap();
            assert_eq!(stream.next(id), Some(expected), "{id}");
            parent_tree = Some(tree);
        }
        let last = repo.tree_of(&next).unwrap();
        let before = repo.tree_of(&ids[ids.len() - 3].to_string());
        let expected = repo.changed_paths(before.as_deref(), &last).unwrap();
        assert_eq!(stream.next(&next.parse().unwrap()), Some(expected));
        // Asked out of order, it answers nothing rather than another commit's paths.
        let mut stream = repo.changed_paths_of(&ids).unwrap();
        assert_eq!(stream.next(&ids[1]), None);
        assert_eq!(stream.next(&ids[1]), None);
    }
}
