//! Which chg runs: the one running now, the one a hook names, the one on PATH.

use super::Check;
use anyhow::Result;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

pub use crate::hook::this;

/// Whether `bin` is this chg: the same file, or a copy of the same build.
pub fn is_this(bin: &Path, this: &Path) -> bool {
    let same_file = match (bin.canonicalize(), this.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    same_file || same_bytes(bin, this)
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
    len(a).is_some() && len(a) == len(b) && std::fs::read(a).ok() == std::fs::read(b).ok()
}

/// Whether `path` is a file someone may run.
pub fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The `chg` a shell runs, and whether it is this one: Mercurial ships a program
/// called chg too.
pub fn on_path() -> Result<Check> {
    const NAME: &str = "path";
    let this = this()?;
    let path = std::env::var_os("PATH").unwrap_or_default();
    let first = std::env::split_paths(&path)
        .map(|dir| dir.join("chg"))
        .find(|bin| is_executable(bin));
    Ok(match first {
        None => Check::ok(
            NAME,
            "no chg on PATH: hooks run chg by its full path, so only typing `chg` needs one",
        ),
        Some(bin) if is_this(&bin, &this) => {
            Check::ok(NAME, format!("chg on PATH is this chg ({})", bin.display()))
        }
        Some(bin) => {
            let dir = this.parent().unwrap_or(&this);
            Check::warning(
                NAME,
                format!(
                    "`chg` on PATH is {}, not this chg ({}): typing `chg` runs that program (Mercurial ships one called chg)",
                    bin.display(),
                    this.display()
                ),
                format!("put {} ahead of {} on PATH", dir.display(), bin.parent().unwrap_or(&bin).display()),
            )
        }
    })
}
