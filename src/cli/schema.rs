//! `chg schema`: the JSON Schema of the change record, for editors and other tools.

use crate::context::Context;
use crate::{render, schema};
use anyhow::Result;

/// Print the JSON Schema (draft 2020-12) of a change record.
///
/// Every record chg creates starts with a modeline naming `schema.json` next to it, so
/// an editor with the YAML language server (VS Code's YAML extension, Neovim, Helix ...)
/// validates and completes records once that file exists; `chg init` writes it. Without
/// --write, the schema goes to stdout and no repository is needed.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg schema > record.schema.json\n  chg schema --write")]
pub struct Args {
    /// Write it to schema.json in the records directory instead (e.g. after upgrading
    /// chg), and print that path.
    #[arg(long)]
    write: bool,
}

impl Args {
    /// Whether the schema is to be written into a repository, which must then exist.
    pub fn writes(&self) -> bool {
        self.write
    }
}

/// `chg schema`, which needs no repository: outside one it prints the schema for the
/// default policy, inside one the schema for its policy.
pub fn print(start: &std::path::Path) -> Result<()> {
    let policy = match crate::git::Git::discover(start) {
        Ok(git) => crate::policy::Policy::load(git.root())?,
        Err(_) => crate::policy::Policy::default(),
    };
    render::print(&schema::of(&policy))
}

/// `chg schema --write`.
pub fn write(ctx: &Context) -> Result<()> {
    let path = schema::write(ctx.git.root(), &ctx.policy)?;
    render::print(&path)
}
