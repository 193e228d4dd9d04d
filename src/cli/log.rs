//! `chg log`: a change's timeline from git.

use super::values;
use crate::context::Context;
use crate::model::ChangeId;
use crate::render;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Show a change's timeline: commits that wrote its record (creation, moves,
/// approvals), commits that name it, its deployments and the evidence recorded for it.
///
/// History is read as `chg check` reads it: up to the policy's baseline, if it sets
/// one, nothing is read.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg log CHG-2026-0001\n  chg log CHG-2026-0001 --format json")]
pub struct Args {
    #[arg(value_parser = super::args::keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// How to write it: table: one line an event, for people; json: every event, for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Read all history from git, ignoring the cache of earlier checks.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let record = ctx.store.load(&args.id)?;
    let events = crate::timeline::of(ctx, &args.id, &record, !args.no_cache)?;
    match args.format {
        Format::Table => render::print(&render::record::timeline(&events, ctx.out.color)),
        Format::Json => render::print_json(&events),
    }
}
