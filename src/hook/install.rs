//! Installing and removing chg's hook scripts where git runs them. A hook that is
//! not exactly chg's script — someone else's, or chg's with lines added — is never
//! lost: install keeps it as `<name>.chg-backup` (numbered when that is taken), and
//! uninstall removes only chg's exact script and puts the latest backup back.
//! [`installed`] says what sits in each hook's place, for `chg doctor`.

use crate::error::Failure;
use crate::git::Git;
use anyhow::{Context as _, Result};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The hooks chg installs.
const HOOKS: [&str; 3] = ["pre-commit", "commit-msg", "pre-push"];

/// The line that marks a hook script as chg's own.
const MARKER: &str = "# chg-hook: written by `chg hook install`; `chg hook uninstall` removes it";

/// The script for `hook`: it runs `chg hook run <hook>` with git's arguments and
/// stdin through `bin`, the chg that installed it (shell-quoted, and written only
/// there: inside a message's double quotes a `"`, `$(…)` or backquote in its path
/// would run). Another program may
/// be called `chg` on PATH (Mercurial ships one), so PATH is only a fallback for a
/// binary that has moved, and only when it says it is chg. Whatever cannot be run
/// refuses the commit or push, so that nothing goes through unchecked.
fn script(hook: &str, bin: &str) -> String {
    format!(
        r#"#!/bin/sh
{MARKER}
chg={bin}
installed=$chg
if [ ! -x "$chg" ]; then
    chg=$(command -v chg 2>/dev/null) || chg=
    case "$chg" in
    "") echo "chg: the {hook} hook needs chg, which is neither at $installed nor on PATH." >&2 ;;
    *)  case "$("$chg" --version 2>/dev/null)" in
        "chg "*) exec "$chg" hook run {hook} "$@" ;;
        esac
        echo "chg: the {hook} hook was installed by $installed, which is gone, and $chg on PATH is another program called chg (Mercurial ships one)." >&2 ;;
    esac
    echo "chg: run \`chg hook install\` again with the chg you use now;" >&2
    echo "chg: \`--no-verify\` skips the hook once; \`chg hook uninstall\` removes chg's hooks." >&2
    exit 1
fi
exec "$chg" hook run {hook} "$@"
"#
    )
}

/// `text` as one single-quoted shell word.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Where the chg running now is.
pub fn this() -> Result<std::path::PathBuf> {
    std::env::current_exe().context("cannot tell where this chg is")
}

/// The script for `hook` that runs the chg running now.
fn own_script(hook: &str) -> Result<String> {
    let exe = this()?;
    let exe = exe.to_str().with_context(|| {
        format!(
            "this chg's path is not UTF-8 and cannot go in a hook: {}",
            exe.display()
        )
    })?;
    Ok(script(hook, &shell_quoted(exe)))
}

/// What [`shell_quoted`] quoted, read back; a word it did not write is taken as is.
fn shell_unquoted(word: &str) -> String {
    match word.strip_prefix('\'').and_then(|w| w.strip_suffix('\'')) {
        Some(inner) => inner.replace(r"'\''", "'"),
        None => word.to_string(),
    }
}

/// The chg a script of chg's runs, as its `chg=` line names it (shell-quoted).
fn bin_of(text: &str) -> Option<&str> {
    text.lines().find_map(|line| line.strip_prefix("chg="))
}

/// Whether `bytes` is chg's script for `hook`, whichever chg installed it.
fn is_ours(bytes: &[u8], hook: &str) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    bin_of(text).is_some_and(|bin| text == script(hook, bin))
}

/// What sits where git runs a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Free,
    /// Exactly the script chg writes.
    Ours,
    /// chg's script with lines someone added or changed.
    Modified,
    Foreign,
}

fn slot(path: &Path, hook: &str) -> Result<Slot> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Slot::Free),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        // A directory, a link to nowhere, anything unreadable: not ours.
        Ok(_) => Ok(match std::fs::read(path) {
            Ok(bytes) if is_ours(&bytes, hook) => Slot::Ours,
            Ok(bytes) if contains(&bytes, MARKER.as_bytes()) => Slot::Modified,
            _ => Slot::Foreign,
        }),
    }
}

/// One of chg's hooks as found where git runs it.
#[derive(Debug)]
pub struct Installed {
    pub hook: &'static str,
    pub path: PathBuf,
    /// The path as the user would type it.
    pub shown: String,
    pub slot: Slot,
    /// The chg that chg's script runs, when the slot holds chg's script.
    pub runs: Option<PathBuf>,
}

/// What sits in the place of each of chg's hooks; nothing is written.
pub fn installed(git: &Git) -> Result<Vec<Installed>> {
    let dir = git.hooks_dir()?;
    let mut found = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        let slot = slot(&path, hook)?;
        let runs = (slot == Slot::Ours)
            .then(|| std::fs::read_to_string(&path).ok())
            .flatten()
            .and_then(|text| bin_of(&text).map(|bin| PathBuf::from(shell_unquoted(bin))));
        found.push(Installed {
            hook,
            shown: git.shown(&path),
            path,
            slot,
            runs,
        });
    }
    Ok(found)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// `<name>.chg-backup`, then `<name>.chg-backup.2`, `.3`, …: the `n`th backup of `path`.
fn backup_of(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".chg-backup");
    if n > 1 {
        name.push(format!(".{n}"));
    }
    path.with_file_name(name)
}

/// The backups of `path` in the order they were made.
fn backups(path: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    (1..).map(|n| backup_of(path, n)).take_while(|b| exists(b))
}

/// Installs chg's hooks and returns what it did, a line each. Every hook is looked
/// at before any is written: with a foreign one present and no `force`, nothing
/// changes. A hook that is not exactly chg's is kept under a backup name never used
/// before.
pub fn install(git: &Git, force: bool) -> Result<Vec<String>> {
    let dir = git.hooks_dir()?;
    let mut plan = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        plan.push((slot(&path, hook)?, path));
    }
    let foreign: Vec<String> = plan
        .iter()
        .filter(|(slot, _)| *slot == Slot::Foreign)
        .map(|(_, path)| git.shown(path))
        .collect();
    if !foreign.is_empty() && !force {
        let (is, them) = if foreign.len() == 1 {
            ("is not chg's hook", "it")
        } else {
            ("are not chg's hooks", "them")
        };
        return Err(Failure::refused(format!(
            "{} {is}: chg leaves {them} alone",
            foreign.join(", ")
        ))
        .hint("`chg hook install --force` installs chg's and keeps each as <name>.chg-backup")
        .into());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut done = Vec::new();
    for (slot, path) in &plan {
        if matches!(slot, Slot::Modified | Slot::Foreign) {
            let backup = backups(path).count() + 1;
            let backup = backup_of(path, backup);
            std::fs::rename(path, &backup)
                .with_context(|| format!("cannot move {} aside", path.display()))?;
            done.push(format!(
                "kept the existing {} as {}",
                git.shown(path),
                git.shown(&backup)
            ));
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Executable from the start: git never finds it there but not yet runnable.
        crate::store::write_atomic_with_mode(path, own_script(&name)?.as_bytes(), 0o755)
            .with_context(|| format!("cannot write {}", path.display()))?;
        done.push(format!("installed {}", git.shown(path)));
    }
    Ok(done)
}

/// Removes chg's hooks, puts back the latest hook install kept aside, and leaves
/// every other hook alone, chg's with added lines included. Returns what it did, a
/// line each.
pub fn uninstall(git: &Git) -> Result<Vec<String>> {
    let dir = git.hooks_dir()?;
    let mut done = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        match slot(&path, hook)? {
            Slot::Foreign => {
                done.push(format!("left {} alone: it is not chg's", git.shown(&path)));
                continue;
            }
            Slot::Modified => {
                done.push(format!(
                    "left {} in place: it holds lines chg did not write; remove it yourself if it is no longer wanted",
                    git.shown(&path)
                ));
                continue;
            }
            Slot::Ours => {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                done.push(format!("removed {}", git.shown(&path)));
            }
            Slot::Free => {}
        }
        if let Some(backup) = backups(&path).last() {
            std::fs::rename(&backup, &path)
                .with_context(|| format!("cannot restore {}", backup.display()))?;
            done.push(format!(
                "restored {} from {}",
                git.shown(&path),
                git.shown(&backup)
            ));
        }
    }
    if done.is_empty() {
        done.push(format!("no chg hooks in {}", git.shown(&dir)));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_numbered_after_the_first() {
        let hook = Path::new("/repo/.git/hooks/pre-commit");
        assert_eq!(
            backup_of(hook, 1),
            Path::new("/repo/.git/hooks/pre-commit.chg-backup")
        );
        assert_eq!(
            backup_of(hook, 3),
            Path::new("/repo/.git/hooks/pre-commit.chg-backup.3")
        );
    }

    #[test]
    fn scripts_carry_the_marker_and_run_their_own_hook() {
        for hook in HOOKS {
            let text = own_script(hook).unwrap();
            assert!(text.starts_with("#!/bin/sh\n"));
            assert!(contains(text.as_bytes(), MARKER.as_bytes()));
            assert!(text.contains(&format!("exec \"$chg\" hook run {hook} \"$@\"")));
            assert!(is_ours(text.as_bytes(), hook));
        }
    }

    #[test]
    fn a_path_with_quotes_stays_one_word_and_the_script_stays_ours() {
        let quoted = shell_quoted("/opt/it's here/chg");
        assert_eq!(quoted, r"'/opt/it'\''s here/chg'");
        assert_eq!(shell_unquoted(&quoted), "/opt/it's here/chg");
        let text = script("pre-commit", &quoted);
        assert!(is_ours(text.as_bytes(), "pre-commit"));
        assert!(!is_ours(text.as_bytes(), "pre-push"));
        assert!(!is_ours(
            format!("{text}echo more\n").as_bytes(),
            "pre-commit"
        ));
    }

    /// A chg installed at a path holding shell syntax: once that chg is gone, the
    /// hook's messages print the path and run none of it.
    #[test]
    fn a_path_with_shell_syntax_is_printed_never_run() {
        let dir = tempfile::TempDir::new().unwrap();
        let ran = dir.path().join("ran");
        let ran = ran.to_str().unwrap();
        let touch = format!("/usr/bin/touch {ran}");
        let bin = format!("/gone/$({touch})/`{touch}`/\"; {touch}; \"/chg");
        let out = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(script("pre-commit", &shell_quoted(&bin)))
            .env("PATH", dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("neither at {bin} nor")),
            "{stderr}"
        );
        assert!(!Path::new(ran).exists(), "the path ran: {stderr}");
    }
}
