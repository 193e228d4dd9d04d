//! `chg doctor`: what in this setup would make chg fail or mislead, with the fixes.

use crate::context::Context;
use crate::error::Failure;
use crate::render;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Say what in this setup would make chg fail or mislead you, and how to fix each.
///
/// Checks who git says you are and your roles in the policy, that the policy reads,
/// chg's hooks (installed, chg's, running this chg), the records' schema for editors,
/// the baseline, a shallow clone, the cache of history, stray or unreadable files in
/// the records directory, the register's layout, and which `chg` your shell finds
/// first. Each line is ok,
/// warning or problem, with the command that fixes it. Nothing is written.
/// Exit 0 when nothing is a problem, 1 when something is, 2 when it cannot run.
///
/// Examples:
///   chg doctor
///   chg doctor --format json   # {"checks":[{"name","status","detail","fix"}]}
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// How to write it: human: one line a check; json: {"checks":[{"name","status","detail","fix"}]}.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let checks = crate::doctor::run(ctx)?;
    match args.format {
        Format::Human => render::print(&render::doctor::text(&checks, ctx.out.color))?,
        Format::Json => render::print_json(&render::doctor::Report { checks: &checks })?,
    }
    if checks
        .iter()
        .any(|c| c.status == crate::doctor::Status::Problem)
    {
        return Err(Failure::findings().into());
    }
    Ok(())
}
