//! Whether commits reach others, by walks over the commit objects alone. git is
//! told to leave aside its commit-graph file and any grafts file: local files that
//! give commits parents their objects do not name, which a walk that used them may
//! have followed.

use super::{succeeded, CommitId, Git};
use anyhow::{Context as _, Result};
use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

impl Git {
    /// One of `commits` that none of `from` reaches; `None` when `from` reaches
    /// every one of them.
    pub fn unreached(&self, commits: &[CommitId], from: &[String]) -> Result<Option<CommitId>> {
        let listed = self.listed(commits, from)?;
        // git leaves a commit out only where a start's parents lead to it, but its
        // walk of `A --not B` stops by commit dates: where clocks were skewed it may
        // list one that B does reach. Those are asked again, exactly.
        for commit in commits.iter().filter(|c| listed.contains(c)) {
            if !self.any_reaches(from, commit)? {
                return Ok(Some(*commit));
            }
        }
        Ok(None)
    }

    /// The commits git lists that `commits` reach and none of `from` does.
    fn listed(&self, commits: &[CommitId], from: &[String]) -> Result<HashSet<CommitId>> {
        // Asked on its input: a push may start from every remote branch.
        let mut asked = String::new();
        commits
            .iter()
            .for_each(|c| asked.push_str(&format!("{c}\n")));
        from.iter().for_each(|f| asked.push_str(&format!("^{f}\n")));
        let mut child = self
            .by_objects()
            .args(["rev-list", "--stdin"])
            .stdin(Stdio::piped())
            .spawn()
            .context("cannot run git, which chg needs to read history")?;
        if let Some(mut input) = child.stdin.take() {
            // git reads it all before it answers. A git that stopped early says why
            // when it ends, which is what is judged.
            let _ = input.write_all(asked.as_bytes());
        }
        let out = child
            .wait_with_output()
            .context("cannot run git rev-list")?;
        succeeded("rev-list", &out)?;
        let listed = String::from_utf8_lossy(&out.stdout);
        (listed.lines())
            .map(|line| {
                line.parse()
                    .map_err(|e| anyhow::anyhow!("git rev-list listed `{line}`: {e}"))
            })
            .collect()
    }

    /// Whether one of `from` reaches `commit` (or is it): then `commit` is the one
    /// best common ancestor of itself and a merge of all of `from`, which git works
    /// out exactly, whatever the dates.
    fn any_reaches(&self, from: &[String], commit: &CommitId) -> Result<bool> {
        let commit = commit.to_string();
        let out = self
            .by_objects()
            .args(["merge-base", "--all", &commit])
            .args(from)
            .stdin(Stdio::null())
            .output()
            .context("cannot run git merge-base")?;
        // 1: no common ancestor at all.
        if out.status.code() != Some(1) {
            succeeded("merge-base", &out)?;
        }
        let bases = String::from_utf8_lossy(&out.stdout);
        Ok(bases.lines().eq([commit.as_str()]))
    }

    /// git reading objects for chg, without its commit-graph file or grafts.
    fn by_objects(&self) -> Command {
        let mut git = super::fed::reader(self.repo.path(), super::fed::Mapped::Narrow);
        git.args(["-c", "core.commitGraph=false"])
            .env("GIT_GRAFT_FILE", "/dev/null")
            .stderr(Stdio::piped());
        git
    }
}
