//! What `chg check` will find of history: where it starts, whether the clone holds
//! it, and what earlier checks kept of it.

use super::{count, Check};
use crate::context::Context;

const UNSHALLOW: &str = "git fetch --unshallow";

pub fn baseline(ctx: &Context) -> Check {
    const NAME: &str = "baseline";
    let Some(baseline) = &ctx.policy.changes.baseline else {
        return Check::ok(NAME, "not set: chg check reads all history");
    };
    let set_it = "set `[changes] baseline` in .changes.toml to a commit of this repository \
                  (`git rev-parse <commit>` prints its full id), or remove it";
    if !crate::git::is_full_id(baseline) {
        return Check::problem(
            NAME,
            format!("`{baseline}` is not a full commit id: chg check refuses it"),
            set_it,
        );
    }
    match ctx.git.resolve(baseline) {
        Ok(_) => Check::ok(
            NAME,
            format!(
                "{}: chg check reads the history after it",
                crate::git::short(baseline)
            ),
        ),
        Err(_) if ctx.git.is_shallow() => Check::problem(
            NAME,
            format!("{baseline} is beyond this shallow clone's history"),
            UNSHALLOW,
        ),
        Err(_) => Check::problem(
            NAME,
            format!("{baseline} is not a commit of this clone: chg check refuses to run"),
            format!("`git fetch` if it is on a branch not fetched yet; else {set_it}"),
        ),
    }
}

pub fn shallow(ctx: &Context) -> Check {
    const NAME: &str = "shallow";
    if ctx.git.is_shallow() {
        Check::problem(
            NAME,
            "this is a shallow clone: chg check refuses history it cannot see the start of",
            UNSHALLOW,
        )
    } else {
        Check::ok(NAME, "not a shallow clone: the whole history is here")
    }
}

/// A grafts file gives git's walks other parents than the commits name; chg checks
/// history as committed, and stops where the two differ.
pub fn grafts(ctx: &Context) -> Check {
    const NAME: &str = "grafts";
    if ctx.git.is_grafted() {
        Check::problem(
            NAME,
            "a grafts file (.git/info/grafts) gives commits other parents than they name: \
             chg check stops where git's walk follows one",
            "git replace --convert-graft-file (chg leaves replacements aside and checks \
             history as committed)",
        )
    } else {
        Check::ok(NAME, "no grafts file: git walks history as committed")
    }
}

pub fn cache(ctx: &Context) -> Check {
    const NAME: &str = "cache";
    let kept = crate::history::kept_caches(&ctx.git, &ctx.policy);
    if let Some(ours) = kept.iter().find(|k| k.commits.is_some()) {
        return Check::ok(
            NAME,
            format!(
                "{}: {}, {}",
                ctx.git.shown(&ours.path),
                count(ours.commits.unwrap_or_default(), "commit", "commits"),
                size(ours.bytes)
            ),
        );
    }
    match kept.first() {
        None => Check::ok(
            NAME,
            "none yet: the next chg check reads all history once and keeps what it learns",
        ),
        Some(other) => Check::warning(
            NAME,
            format!(
                "{} was kept for other settings or another chg version, or does not read: \
                 the next chg check reads all history again",
                ctx.git.shown(&other.path)
            ),
            "chg check (it keeps a cache for this policy and removes the old one)",
        ),
    }
}

/// A file size as people read it.
fn size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} bytes")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}
