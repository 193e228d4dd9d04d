//! `chg calendar`: the forward schedule of change for the coming weeks.

use crate::context::Context;
use crate::render;
use crate::schedule;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    /// An iCalendar file for a calendar app to subscribe to.
    Ics,
    /// One self-contained web page.
    Html,
}

/// The change schedule: planned changes, freezes and deployment windows, day by day.
///
/// Shows the changes scheduled or implementing with a planned start, declared freezes
/// and the policy's recurring freezes, and each day's deployment windows, on the
/// policy's clock ([changes] timezone). As a table, an iCalendar file (one event per
/// change and per freeze; each keeps its UID from run to run, so a calendar that
/// imports the file again updates its events) or a web page with no external assets.
///
/// Examples:
///   chg calendar
///   chg calendar --from 2026-12-01 --until 2026-12-31
///   chg calendar --format ics > changes.ics
///   chg calendar --format html > schedule.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The first day (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// The last day, included (YYYY-MM-DD; default: four weeks from --from).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let now = ctx.clock.now();
    let today = now
        .with_timezone(&ctx.policy.changes.timezone.0)
        .date_naive();
    let (from, until) = schedule::days(args.from.as_deref(), args.until.as_deref(), today)?;
    let (stored, unreadable) = ctx.store.load_all()?;
    let records: Vec<_> = stored.into_iter().map(|s| s.record).collect();
    let freezes = ctx.store.freezes()?;
    let plan = schedule::build(&ctx.policy, &records, &freezes, from, until);
    let text = match args.format {
        Format::Table => render::schedule::table(&plan),
        Format::Ics => render::schedule::ics::render(&plan, now),
        Format::Html => render::schedule::html::render(&plan, now),
    };
    render::print(&text)?;
    super::list::unreadable_error(&unreadable).map_or(Ok(()), Err)
}
