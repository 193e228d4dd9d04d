//! `chg show`: one record, with what the policy says about it.

use super::values;
use crate::calendar::Calendar;
use crate::context::Context;
use crate::model::{yaml, ChangeId};
use crate::render;
use crate::view;
use crate::workflow;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// The record as a person reads it, with its risk, approvals and next moves.
    Table,
    /// The record as stored.
    Yaml,
    /// The record's fields plus `derived`: its risk standing, what it lacks, where its
    /// approvals stand, its gates, deadlines and next moves.
    Json,
}

/// Show one change: its fields, derived risk and what it still needs.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg show CHG-2026-0001\n  chg show CHG-2026-0001 --format json"
)]
pub struct Args {
    /// The change ID, e.g. CHG-2026-0007.
    #[arg(value_parser = super::args::keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// How to print the change.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let record = ctx.store.load(&args.id)?;
    match args.format {
        Format::Table => {
            let freezes = ctx.store.freezes()?;
            let calendar = Calendar::new(&ctx.policy, &freezes);
            // Without an identity nobody can be asked about; show still shows the record.
            let offers = (ctx.actor().ok())
                .map(|actor| workflow::offers(&record, &ctx.policy, &calendar, &actor));
            let detail =
                render::record::detail(&record, &ctx.policy, offers.as_deref(), ctx.out.color);
            render::print(&detail)
        }
        // The record as it is: no move is judged, so no freeze is read.
        Format::Yaml => render::print(&yaml::to_string(&record)),
        Format::Json => render::print_json(&view::all(ctx, std::slice::from_ref(&record))?[0]),
    }
}
