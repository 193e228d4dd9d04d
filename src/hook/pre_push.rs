//! The pre-push hook: the engine of `chg check --range` over what a push sends, one
//! pushed ref at a time, as git lists them on the hook's stdin.

use super::Verdict;
use crate::check::Loaded;
use crate::context::Context;
use crate::error::Failure;
use crate::history::{Reading, Scope};
use crate::store::WorkTree;
use anyhow::Result;

/// One line of the hook's stdin: `<local ref> <local sha> <remote ref> <remote sha>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub local_ref: String,
    pub local: String,
    pub remote_ref: String,
    pub remote: String,
}

/// What git writes for a ref that does not exist on one side.
fn is_zero(sha: &str) -> bool {
    sha.bytes().all(|b| b == b'0')
}

/// Reads git's lines; a line of another shape is an input error.
pub fn updates(stdin: &str) -> Result<Vec<Update>> {
    stdin
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(
            |line| match line.split_whitespace().collect::<Vec<_>>()[..] {
                [local_ref, local, remote_ref, remote] => Ok(Update {
                    local_ref: local_ref.into(),
                    local: local.into(),
                    remote_ref: remote_ref.into(),
                    remote: remote.into(),
                }),
                _ => Err(Failure::input(format!(
                    "pre-push: `{line}` is not `<local ref> <local sha> <remote ref> <remote sha>`"
                ))
                .into()),
            },
        )
        .collect()
}

/// Whether a push to `remote_ref` lands on the mainline: the branch the remote's HEAD
/// names, or `main` or `master` when this clone does not know it.
fn lands_on_mainline(ctx: &Context, remote: Option<&str>, remote_ref: &str) -> bool {
    let Some(branch) = remote_ref.strip_prefix("refs/heads/") else {
        return false;
    };
    match remote.and_then(|r| ctx.git.remote_default_branch(r)) {
        Some(default) => branch == default,
        None => branch == "main" || branch == "master",
    }
}

/// The commits an update sends: `remote..local`; for a new branch (or a remote
/// commit this clone has not fetched), those on no remote-tracking branch; for a
/// deletion, none. History before the policy's baseline stays out, as in `chg check`.
/// A push to another branch than the mainline lands nothing: work on a feature
/// branch may come before its approval, which the check of the merge judges.
fn scope(ctx: &Context, remote: Option<&str>, update: &Update) -> Result<Option<Scope>> {
    if is_zero(&update.local) {
        return Ok(None);
    }
    // A tag that names no commit sends no history.
    let Ok(tip) = ctx.git.resolve(&update.local) else {
        return Ok(None);
    };
    let mut scope = Scope::resolve(&ctx.git, &ctx.policy, None)?;
    scope.tip = Some(tip);
    scope.branch_only = !lands_on_mainline(ctx, remote, &update.remote_ref);
    match ctx.git.resolve(&update.remote) {
        Ok(remote) if !is_zero(&update.remote) => scope.hidden.push(remote),
        _ => scope.hidden.extend(ctx.git.remote_tips()?),
    }
    Ok(Some(scope))
}

/// Runs the rules over the register and what each update sends to `remote`; a
/// finding two updates share is reported once.
pub fn check(ctx: &Context, remote: Option<&str>, updates: &[Update]) -> Result<Verdict> {
    let scopes: Vec<Scope> = updates
        .iter()
        .map(|u| scope(ctx, remote, u))
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;
    let mut verdict = Verdict::default();
    if scopes.is_empty() {
        return Ok(verdict);
    }
    let tree = WorkTree::new(ctx.git.root());
    let reading = Reading {
        cached: true,
        work: false,
        complete: true,
        ..Reading::default()
    };
    // Files read, once each however many pushed refs reach them.
    let mut files = std::collections::BTreeSet::new();
    for scope in scopes {
        // What is pushed, and the records it has to do with.
        let (loaded, history) = Loaded::scoped(ctx, &scope, reading)?;
        files.extend(loaded.records.iter().map(|s| s.path.clone()));
        files.extend(loaded.unreadable.iter().map(|u| u.path.clone()));
        let found = loaded.findings(&ctx.policy, &tree, ctx.clock.now(), Some(&history));
        for finding in found {
            if !verdict.findings.contains(&finding) {
                verdict.findings.push(finding);
            }
        }
        for note in scope.notes {
            if !verdict.notes.contains(&note) {
                verdict.notes.push(note);
            }
        }
    }
    verdict.records = files.len();
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_lines_are_read_and_other_shapes_refused() {
        let zero = "0".repeat(40);
        let a = "a".repeat(40);
        let read = updates(&format!("refs/heads/main {a} refs/heads/main {zero}\n\n")).unwrap();
        assert_eq!(read.len(), 1);
        assert!(is_zero(&read[0].remote) && !is_zero(&read[0].local));
        assert!(updates("refs/heads/main only-three fields").is_err());
    }
}
