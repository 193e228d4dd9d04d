//! Which history release notes cover: `<from>..<to>` resolved to commits, either side
//! optional, and the keep-a-changelog heading of the release it ends at.

use crate::error::Failure;
use crate::git::Git;
use crate::history::Scope;
use crate::policy::Policy;
use anyhow::Result;
use chrono::{TimeZone, Utc};

/// The history between two refs, read as `chg check --range` reads it.
pub struct Span {
    /// The commits of the range (and the policy's baseline left out).
    pub scope: Scope,
    /// The commit the release ends at: its tree holds the records it carried.
    pub to: String,
    /// What `from` resolved to by name (given, or the last tag), if anything.
    pub from_name: Option<String>,
    pub heading: String,
}

impl Span {
    /// `spec` is `<from>..<to>`: `<to>` defaults to HEAD, `<from>` to the newest tag
    /// before `<to>` (all history when there is none).
    pub fn resolve(git: &Git, policy: &Policy, spec: &str) -> Result<Span> {
        let (from, to) = spec.split_once("..").ok_or_else(|| {
            Failure::input(format!("`{spec}` is not of the form <from>..<to>"))
                .hint("give a range such as `v1.3.0..v1.4.0`, `v1.3.0..` or `..v1.4.0`")
        })?;
        let to_name = if to.is_empty() { "HEAD" } else { to };
        let to = git.resolve(to_name)?;
        let from_name = match from {
            "" => git.last_tag_before(&to),
            given => Some(given.to_string()),
        };
        let range = from_name.as_ref().map(|from| format!("{from}..{to}"));
        let mut scope = Scope::resolve(git, policy, range.as_deref())?;
        scope.tip = Some(to.clone());
        let heading = heading(git, policy, to_name, &to);
        Ok(Span {
            scope,
            to,
            from_name,
            heading,
        })
    }
}

/// `[<tag>] - <date>` for a release `name` (a tag, else one on `commit`), by the
/// date `commit` was committed in the policy's time zone; `[Unreleased]` for a
/// commit no tag names.
fn heading(git: &Git, policy: &Policy, name: &str, commit: &str) -> String {
    let tag = if git.is_tag(name) {
        Some(name.to_string())
    } else {
        git.tags_at(commit).pop()
    };
    match tag {
        Some(tag) => dated(git, policy, &tag, commit),
        None => "[Unreleased]".into(),
    }
}

/// `[<name>] - <date commit was committed>`, or `[<name>]` when `commit` cannot be read.
pub fn dated(git: &Git, policy: &Policy, name: &str, commit: &str) -> String {
    let committed = (commit.parse().ok())
        .and_then(|commit| git.commit(commit).ok())
        .and_then(|c| Utc.timestamp_opt(c.committed, 0).single());
    match committed {
        Some(at) => format!(
            "[{name}] - {}",
            at.with_timezone(&policy.changes.timezone.0).date_naive()
        ),
        None => format!("[{name}]"),
    }
}
