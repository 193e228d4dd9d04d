//! `chg show`: one record, with what the policy says about it.

use super::values;
use crate::calendar::Calendar;
use crate::context::Context;
use crate::model::{yaml, ChangeId};
use crate::render;
use crate::workflow;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Yaml,
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
    /// How to write it: table: the fields and what is missing, for people; yaml: the record as stored; json: the record, for scripts.
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
            let offers = ctx
                .actor()
                .ok()
                .map(|actor| workflow::offers(&record, &ctx.policy, &calendar, &actor));
            let detail =
                render::record::detail(&record, &ctx.policy, offers.as_deref(), ctx.out.color);
            render::print(&detail)
        }
        Format::Yaml => render::print(&yaml::to_string(&record)),
        Format::Json => render::print_json(&record),
    }
}
