//! The user's editor, found as git finds it: `$VISUAL`, else `$EDITOR`, else `vi`.

use crate::error::Failure;
use std::path::Path;
use std::process::Command;

/// Runs the editor on `file`, through the shell so that an editor with arguments
/// (`code --wait`) works as it does for git. `unchanged` ends the error of an editor
/// that cannot start or fails: what was left as it was.
pub fn open(file: &Path, unchanged: &str) -> Result<(), Failure> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("chg-edit")
        .arg(file)
        .status()
        .map_err(|e| {
            Failure::input(format!(
                "cannot start the editor `{editor}`: {e}; {unchanged}"
            ))
        })?;
    if !status.success() {
        return Err(Failure::input(format!(
            "the editor `{editor}` failed ({status}); {unchanged}"
        )));
    }
    Ok(())
}
