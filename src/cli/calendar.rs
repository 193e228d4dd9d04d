//! `chg calendar`: the forward schedule of change for the coming weeks.

use crate::context::Context;
use crate::error::Failure;
use crate::render;
use crate::schedule::{self, MAX_DAYS};
use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate};

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

/// A day of the years 1 to 9999, the ones every calendar app reads.
fn date(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| {
            Failure::input(format!("--{flag}: `{text}` is not a date"))
                .hint("write the day as YYYY-MM-DD, e.g. 2026-12-01")
        })
}

/// The days `[from, until)` the flags ask for.
fn days(args: &Args, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Failure> {
    let from = args.from.as_deref().map(|t| date("from", t)).transpose()?;
    let from = from.unwrap_or(today);
    let last = match args.until.as_deref() {
        Some(t) => date("until", t)?,
        None => from.checked_add_days(Days::new(27)).unwrap_or(from),
    };
    if last < from {
        return Err(
            Failure::input(format!("--until {last} is before --from {from}"))
                .hint("give the later day to --until"),
        );
    }
    match last.checked_add_days(Days::new(1)) {
        Some(until) if (until - from).num_days() <= MAX_DAYS as i64 => Ok((from, until)),
        _ => Err(Failure::input(format!(
            "--from {from} --until {last} is more than {MAX_DAYS} days"
        ))
        .hint("show a year or less at a time")),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let now = ctx.clock.now();
    let today = now
        .with_timezone(&ctx.policy.changes.timezone.0)
        .date_naive();
    let (from, until) = days(&args, today)?;
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
