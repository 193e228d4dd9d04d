//! chg's hooks: installed or not, chg's or someone else's, and which chg they run.

use super::{binary, Check};
use crate::context::Context;
use crate::hook::{Installed, Slot};
use anyhow::Result;

const INSTALL: &str = "chg hook install";

pub fn check(ctx: &Context) -> Result<Vec<Check>> {
    let this = binary::this()?;
    Ok(crate::hook::installed(&ctx.git)?
        .iter()
        .map(|hook| one(hook, &this))
        .collect())
}

fn one(hook: &Installed, this: &std::path::Path) -> Check {
    let name = format!("hook {}", hook.hook);
    let shown = &hook.shown;
    let runnable = binary::is_executable(&hook.path);
    match (hook.slot, &hook.runs) {
        (Slot::Free, _) => Check::warning(
            name,
            format!("not installed ({shown}): git runs no chg check at this step"),
            INSTALL,
        ),
        (Slot::Foreign, _) => Check::warning(
            name,
            format!("{shown} is not chg's: chg's checks do not run there"),
            format!("{INSTALL} --force (keeps it as {shown}.chg-backup)"),
        ),
        (Slot::Ours | Slot::Modified, _) if !runnable => Check::problem(
            name,
            format!("{shown} is not executable: git skips it"),
            INSTALL,
        ),
        (Slot::Modified, _) | (Slot::Ours, None) => Check::warning(
            name,
            format!("{shown} is chg's with lines added or changed"),
            format!("{INSTALL} (keeps the changed one as {shown}.chg-backup)"),
        ),
        (Slot::Ours, Some(bin)) if !binary::is_executable(bin) => Check::problem(
            name,
            format!(
                "runs {}, which {}: the hook refuses every commit unless a chg on PATH stands in",
                bin.display(),
                if bin.exists() { "cannot be run" } else { "no longer exists" }
            ),
            INSTALL,
        ),
        (Slot::Ours, Some(bin)) if !binary::is_this(bin, this) => Check::problem(
            name,
            format!(
                "runs {}, another chg than this one ({}): the hook and the chg you run may judge differently",
                bin.display(),
                this.display()
            ),
            INSTALL,
        ),
        (Slot::Ours, Some(bin)) => Check::ok(
            name,
            format!("chg's ({shown}); runs {}, this chg", bin.display()),
        ),
    }
}
