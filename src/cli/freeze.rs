//! `chg freeze`: the release manager declares, ends and lists change freezes.

use super::args::{keyword, text};
use super::values;
use crate::calendar::{Calendar, Frozen, Hold};
use crate::clock::parse_user_time;
use crate::context::Context;
use crate::error::Failure;
use crate::model::freeze::Phase;
use crate::model::{ChangeId, Class, Timestamp};
use crate::render;
use crate::workflow::freeze::{self, Request};
use anyhow::Result;
use chrono::Datelike;

/// Declare, end and list change freezes.
///
/// A freeze is a file under .changes/freezes/. While one is in force, `chg schedule`
/// and `chg deploy` refuse changes of classes it does not allow, the commit-msg hook
/// refuses commits for them, and `chg check` reports them (F001-F003). Only members of
/// the policy's release-manager role ([freeze] role) may declare or end one.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg freeze start --reason \"Year-end release\" --from 2026-12-22 --until \"2027-01-04 09:00\"\n  chg freeze status"
)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Start(StartArgs),
    End(EndArgs),
    /// Show what is frozen now and what will be: each freeze in force or upcoming,
    /// with the time left, and the current or next occurrence of each recurring freeze.
    #[command(after_help = "Examples:\n  chg freeze status\n  chg freeze status --format json")]
    Status(ShowArgs),
    /// Show every freeze ever declared, over, in force or upcoming (ended ones with
    /// the time they ended), and the current or next occurrence of each recurring
    /// freeze.
    #[command(after_help = "Examples:\n  chg freeze list\n  chg freeze list --format json")]
    List(ShowArgs),
}

/// Declare a freeze. Every freeze is time-bound (--until, at most [freeze] max_duration)
/// and says why (--reason). Times: RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` in the
/// policy's time zone.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg freeze start --reason \"Incident 812\" --until \"2026-11-24 18:00\"\n  chg freeze start --reason \"Year-end\" --from 2026-12-22 --until 2027-01-04 --env production"
)]
struct StartArgs {
    /// Why: the release, the event, the incident.
    #[arg(long, value_parser = text)]
    reason: String,
    /// When it ends (required: no freeze is open-ended).
    #[arg(long, value_name = "TIME")]
    until: String,
    /// When it starts (default: now).
    #[arg(long, value_name = "TIME")]
    from: Option<String>,
    /// A class still allowed during it (repeatable; default: [freeze] allow, emergency).
    #[arg(long, value_parser = keyword::<Class>,
        add = values::spellings(Class::SPELLINGS), value_name = "CLASS")]
    allow: Vec<Class>,
    /// An environment it applies to (repeatable; default: all).
    #[arg(long = "env", value_name = "ENV", add = values::environments())]
    environments: Vec<String>,
}

/// End a freeze now: the one named, or the only one in force. An upcoming freeze
/// ended this way is called off.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg freeze end\n  chg freeze end FRZ-2026-0003")]
struct EndArgs {
    #[arg(value_parser = keyword::<ChangeId>, add = values::freeze_ids())]
    id: Option<ChangeId>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

/// What `status` and `list` print.
#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// table: aligned columns for people; json: every field, for scripts.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    match args.command {
        Command::Start(args) => start(ctx, args),
        Command::End(args) => end(ctx, args),
        Command::Status(args) => show(ctx, args, true),
        Command::List(args) => show(ctx, args, false),
    }
}

fn start(ctx: &Context, args: StartArgs) -> Result<()> {
    let zone = ctx.policy.changes.timezone.0;
    let time = |flag: &str, t: &str| -> Result<Timestamp> {
        parse_user_time(t, zone).map_err(|e| Failure::input(format!("--{flag}: {e}")).into())
    };
    let request = Request {
        reason: args.reason,
        from: args.from.as_deref().map(|t| time("from", t)).transpose()?,
        until: time("until", &args.until)?,
        allow: (!args.allow.is_empty()).then_some(args.allow),
        environments: args.environments,
    };
    let actor = ctx.actor()?;
    let planned = freeze::declare(&ctx.policy, &actor, request)?;
    let year = planned.starts.0.year() as u16;
    let created = ctx.store.create_freeze(&ctx.git, year, |id| {
        let mut f = planned.clone();
        f.id = id;
        f
    })?;
    println!("{}", created.id);
    let calendar = Calendar::new(&ctx.policy, [&created]);
    ctx.out
        .status(calendar.explain(&Hold::Freeze(Frozen::Declared(&created))));
    Ok(())
}

fn end(ctx: &Context, args: EndArgs) -> Result<()> {
    let freezes: Vec<_> = ctx.store.freezes()?;
    let actor = ctx.actor()?;
    let ended = freeze::end(&ctx.policy, &actor, &freezes, args.id.as_ref())?;
    ctx.store.save_freeze(&ended)?;
    ctx.out
        .status(format_args!("{} ended at {}", ended.id, actor.at));
    Ok(())
}

fn show(ctx: &Context, args: ShowArgs, current_only: bool) -> Result<()> {
    let freezes = ctx.store.freezes()?;
    let now = ctx.clock.now();
    let shown: Vec<_> = freezes
        .iter()
        .filter(|f| !current_only || f.phase(now) != Phase::Over)
        .collect();
    let zone = ctx.policy.changes.timezone.0;
    let recurring = Calendar::new(&ctx.policy, []).recurring_now(now);
    let allow = &ctx.policy.freeze.allow;
    let text = match args.format {
        Format::Table => render::freeze::table(&shown, &recurring, allow, now, zone),
        Format::Json => render::freeze::json(&shown, &recurring, allow, now),
    };
    render::print(&text)
}
