//! What the git hooks need from git beyond the index: where hooks go, whether a
//! merge is being concluded, how commit messages mark comments and are encoded,
//! and what the remotes
//! already have.

use super::Git;
use anyhow::{Context as _, Result};
use git2::{BranchType, RepositoryState};
use std::path::PathBuf;
use std::process::Command;

impl Git {
    /// The directory git runs this repository's hooks from. Asked of git itself, which
    /// knows `core.hooksPath` (relative to the working tree), linked worktrees (the
    /// common directory's `hooks/`) and submodules whose `.git` is a file.
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let out = Command::new("git")
            .current_dir(&self.root)
            .args(["rev-parse", "--git-path", "hooks"])
            .output()
            .context("cannot run git, which chg asks where hooks go")?;
        super::succeeded("rev-parse --git-path hooks", &out)?;
        let path = String::from_utf8_lossy(&out.stdout);
        // Relative to where git ran: the working tree's top.
        Ok(self.root.join(path.trim_end_matches(['\n', '\r'])))
    }

    /// Whether the commit being made concludes a merge.
    pub fn is_merging(&self) -> bool {
        self.repo.state() == RepositoryState::Merge
    }

    /// What starts a comment line in a commit message: `core.commentString` or
    /// `core.commentChar`, `#` by default and for `auto` (which git settles only
    /// while it writes the message).
    pub fn comment_prefix(&self) -> String {
        let config = self.repo.config().ok();
        ["core.commentString", "core.commentChar"]
            .iter()
            .find_map(|key| config.as_ref()?.get_string(key).ok())
            .filter(|v| !v.is_empty() && v != "auto")
            .unwrap_or_else(|| "#".into())
    }

    /// The encoding git writes commit messages in (`i18n.commitEncoding`), the one
    /// the commit-msg hook's file is in; `None` for UTF-8, git's default.
    pub fn commit_encoding(&self) -> Option<String> {
        let config = self.repo.config().ok()?;
        config.get_string("i18n.commitEncoding").ok()
    }

    /// The branch a remote's HEAD names (`refs/remotes/<remote>/HEAD`, set by clone
    /// or `git remote set-head`): its mainline.
    pub fn remote_default_branch(&self, remote: &str) -> Option<String> {
        let head = self
            .repo
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()?;
        let target = head.symbolic_target().ok().flatten()?;
        target
            .strip_prefix(&format!("refs/remotes/{remote}/"))
            .map(str::to_string)
    }

    /// The commits remote-tracking branches point at: what the remotes already have.
    pub fn remote_tips(&self) -> Result<Vec<String>> {
        let mut tips = Vec::new();
        for branch in self
            .repo
            .branches(Some(BranchType::Remote))
            .context("cannot list remote-tracking branches")?
        {
            let (branch, _) = branch.context("cannot read a remote-tracking branch")?;
            // A symbolic `origin/HEAD` points at a branch listed anyway.
            if let Ok(commit) = branch.get().peel_to_commit() {
                tips.push(commit.id().to_string());
            }
        }
        Ok(tips)
    }
}
