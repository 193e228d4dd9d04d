//! Installing and removing chg's hook scripts where git runs them. A marker line
//! tells chg's scripts from anyone else's: a foreign hook is never replaced without
//! `--force`, and then it is kept beside chg's as `<name>.chg-backup`.

use crate::error::Failure;
use crate::git::Git;
use anyhow::{Context as _, Result};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The hooks chg installs.
const HOOKS: [&str; 3] = ["pre-commit", "commit-msg", "pre-push"];

/// The line that marks a hook script as chg's own.
const MARKER: &str = "# chg-hook: written by `chg hook install`; `chg hook uninstall` removes it";

/// The script for `hook`: it runs `chg hook run <hook>` with git's arguments and
/// stdin, and refuses the commit or push when chg cannot be found, so that nothing
/// goes through unchecked.
fn script(hook: &str) -> String {
    format!(
        r#"#!/bin/sh
{MARKER}
if command -v chg >/dev/null 2>&1; then
    exec chg hook run {hook} "$@"
fi
echo "chg: the {hook} hook needs chg, which is not on PATH." >&2
echo "chg: install it with \`cargo install --path <chg checkout>\`, or put chg on PATH;" >&2
echo "chg: \`--no-verify\` skips the hook once; \`chg hook uninstall\` removes chg's hooks." >&2
exit 1
"#
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Free,
    Ours,
    Foreign,
}

fn slot(path: &Path) -> Result<Slot> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Slot::Free),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        // A directory, a link to nowhere, anything unreadable: not ours.
        Ok(_) => Ok(match std::fs::read(path) {
            Ok(bytes) if contains(&bytes, MARKER.as_bytes()) => Slot::Ours,
            _ => Slot::Foreign,
        }),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn backup_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".chg-backup");
    path.with_file_name(name)
}

/// A path as the user would type it: relative to the working tree when inside it.
fn shown(git: &Git, path: &Path) -> String {
    path.strip_prefix(git.root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Writes an executable script (0755) in one rename: git never runs half of one, nor
/// finds it there but not yet executable.
fn write_executable(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".chg-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o755))?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Installs chg's hooks and returns what it did, a line each. Every hook is looked
/// at before any is written: with a foreign one present and no `force`, nothing
/// changes.
pub fn install(git: &Git, force: bool) -> Result<Vec<String>> {
    let dir = git.hooks_dir()?;
    let mut plan = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        plan.push((slot(&path)?, path));
    }
    let foreign: Vec<&PathBuf> = plan
        .iter()
        .filter(|(slot, _)| *slot == Slot::Foreign)
        .map(|(_, path)| path)
        .collect();
    if !foreign.is_empty() && !force {
        let names: Vec<String> = foreign.iter().map(|p| shown(git, p)).collect();
        let (is, them) = if names.len() == 1 {
            ("is not chg's hook", "it")
        } else {
            ("are not chg's hooks", "them")
        };
        return Err(Failure::refused(format!(
            "{} {is}: chg leaves {them} alone",
            names.join(", ")
        ))
        .hint("`chg hook install --force` installs chg's and keeps each as <name>.chg-backup")
        .into());
    }
    if let Some(taken) = foreign.iter().map(|p| backup_of(p)).find(|b| exists(b)) {
        return Err(Failure::refused(format!(
            "{} already exists: --force would have to overwrite it to keep the hook there now",
            shown(git, &taken)
        ))
        .hint("move it away, then run `chg hook install --force` again")
        .into());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut done = Vec::new();
    for (slot, path) in &plan {
        if *slot == Slot::Foreign {
            let backup = backup_of(path);
            std::fs::rename(path, &backup)
                .with_context(|| format!("cannot move {} aside", path.display()))?;
            done.push(format!(
                "kept the existing {} as {}",
                shown(git, path),
                shown(git, &backup)
            ));
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        write_executable(path, &script(&name))?;
        done.push(format!("installed {}", shown(git, path)));
    }
    Ok(done)
}

/// Removes chg's hooks, puts back any hook `install --force` kept aside, and leaves
/// every other hook alone. Returns what it did, a line each.
pub fn uninstall(git: &Git) -> Result<Vec<String>> {
    let dir = git.hooks_dir()?;
    let mut done = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        let backup = backup_of(&path);
        match slot(&path)? {
            Slot::Foreign => {
                done.push(format!("left {} alone: it is not chg's", shown(git, &path)));
                continue;
            }
            Slot::Ours => {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                done.push(format!("removed {}", shown(git, &path)));
            }
            Slot::Free => {}
        }
        if exists(&backup) {
            std::fs::rename(&backup, &path)
                .with_context(|| format!("cannot restore {}", backup.display()))?;
            done.push(format!(
                "restored {} from {}",
                shown(git, &path),
                shown(git, &backup)
            ));
        }
    }
    if done.is_empty() {
        done.push(format!("no chg hooks in {}", shown(git, &dir)));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_carry_the_marker_and_run_their_own_hook() {
        for hook in HOOKS {
            let text = script(hook);
            assert!(text.starts_with("#!/bin/sh\n"));
            assert!(contains(text.as_bytes(), MARKER.as_bytes()));
            assert!(text.contains(&format!("exec chg hook run {hook} \"$@\"")));
        }
    }
}
