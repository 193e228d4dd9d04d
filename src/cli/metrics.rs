//! `chg metrics`: figures for a change board.

use super::args::WindowFlags;
use crate::check::Snapshot;
use crate::context::Context;
use crate::history::Reading;
use crate::metrics::{self, Period, Sources};
use crate::render;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Change metrics: volume, rates and times against targets, DORA.
///
/// Volume by class and risk counts changes created in the window. Success, emergency
/// and rollback rates (default targets: > 95 %, < 5 %, < 3 %) are over the
/// changes first deployed in it; lead time runs from submit to first deployment,
/// deployment time from approved to first deployment; approval time from submit to
/// approved, in business days, against the policy's SLA. DORA's figures count
/// deployments to one environment. Time targets in [metrics] are judged on the median. Then the follow-ups overdue
/// now. An open window starts at the oldest record and ends now. Reading only: exit
/// 0, or 2 when it cannot run. Definitions: docs/auditor.md.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg metrics --since 2026-01-01 --by quarter\n  chg metrics --env staging --format json"
)]
pub struct Args {
    #[command(flatten)]
    window: WindowFlags,
    /// Also break the figures down by calendar month or quarter.
    #[arg(long, value_enum, value_name = "PERIOD")]
    by: Option<Period>,
    /// The environment DORA's figures count.
    #[arg(long, value_name = "ENV", default_value = "production")]
    env: String,
    /// How to write it: table: one column a period, for people; json: every figure, for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let window = args.window.window(&ctx.policy)?;
    let reading = Reading {
        cached: true,
        work: true,
        complete: false,
        ..Reading::default()
    };
    let snapshot = Snapshot::read(ctx, None, reading, false)?;
    for note in &snapshot.notes {
        ctx.out.status(note);
    }
    let sources = Sources {
        policy: &ctx.policy,
        records: snapshot.loaded.records.iter().map(|s| &s.record).collect(),
        history: snapshot.history.as_ref(),
        environment: &args.env,
    };
    let figures = metrics::build(&sources, window, args.by, ctx.clock.now());
    match args.format {
        Format::Table => render::print(&render::metrics::table(&figures, ctx.out.color))?,
        Format::Json => render::print_json(&figures)?,
    }
    super::list::warn_strays(ctx, &snapshot.loaded.strays);
    let unreadable = super::list::unreadable_error(&snapshot.loaded.unreadable);
    super::left_to_exit((figures, snapshot));
    unreadable.map_or(Ok(()), Err)
}
