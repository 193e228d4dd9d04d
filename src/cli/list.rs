//! `chg list`: the register as a table, JSON or CSV.

use super::args::keyword;
use super::values;
use crate::context::Context;
use crate::error::Failure;
use crate::model::record::same_email;
use crate::model::{Class, RiskLevel, Status};
use crate::render;
use crate::view;
use crate::workflow;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One line per change, for people.
    Table,
    /// Each record's fields plus `derived`, as `chg show --format json` gives them.
    Json,
    /// The table's columns, for spreadsheets.
    Csv,
}

/// List the changes in the register.
///
/// Records that cannot be read are reported on stderr after the list, and the exit
/// code is then 2: a register with an unreadable record is never shown as complete.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg list\n  chg list --status submitted --class normal\n  chg list --waiting-for-me\n  chg list --format csv > register.csv"
)]
pub struct Args {
    /// Only changes in this status (repeatable).
    #[arg(long, value_parser = keyword::<Status>,
        add = values::spellings(Status::SPELLINGS))]
    status: Vec<Status>,
    /// Only changes of this class (repeatable).
    #[arg(long, value_parser = keyword::<Class>,
        add = values::spellings(Class::SPELLINGS))]
    class: Vec<Class>,
    /// Only changes at this risk level, declared or derived (repeatable).
    #[arg(long, value_parser = keyword::<RiskLevel>,
        add = values::spellings(RiskLevel::SPELLINGS))]
    risk: Vec<RiskLevel>,
    /// Only changes you created or own.
    #[arg(long)]
    mine: bool,
    /// Only changes waiting for an approval you could give now: in a role you hold and
    /// have not yet filled, on a change separation of duties lets you decide on.
    #[arg(long)]
    waiting_for_me: bool,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let me = if args.mine {
        Some(ctx.identity()?.email)
    } else {
        None
    };
    let approver = if args.waiting_for_me {
        Some(ctx.actor()?)
    } else {
        None
    };
    let (stored, unreadable) = ctx.store.load_all()?;
    let mut records: Vec<_> = stored.into_iter().map(|s| s.record).collect();
    records.retain(|r| {
        let risk = ctx.policy.risk_level(r);
        (args.status.is_empty() || args.status.contains(&r.status))
            && (args.class.is_empty() || args.class.contains(&r.class))
            && (args.risk.is_empty() || risk.is_some_and(|l| args.risk.contains(&l)))
            && me.as_deref().is_none_or(|me| {
                same_email(r.author_email(), me)
                    || r.owner.as_deref().is_some_and(|o| same_email(o, me))
            })
            && approver
                .as_ref()
                .is_none_or(|a| workflow::awaits_approval_from(r, &ctx.policy, a))
    });
    match args.format {
        Format::Table => {
            render::print(&render::record::table(&records, &ctx.policy, ctx.out.color))?
        }
        Format::Json => render::print_json(&view::all(ctx, &records)?)?,
        Format::Csv => render::print(&render::record::csv(&records, &ctx.policy)?)?,
    }
    warn_strays(ctx, &ctx.store.strays()?);
    unreadable_error(&unreadable).map_or(Ok(()), Err)
}

/// A warning for each entry of the records directory that chg did not read: a record
/// renamed, moved, or replaced by a link or a FIFO must not drop out of a report unsaid.
pub fn warn_strays(ctx: &Context, strays: &[crate::store::Stray]) {
    for stray in strays {
        ctx.out.warn(format_args!(
            "{}: {}; `chg check` reports it",
            stray.path, stray.expected
        ));
    }
}

/// One error naming every record that could not be read, if any.
pub fn unreadable_error(unreadable: &[crate::store::Unreadable]) -> Option<anyhow::Error> {
    if unreadable.is_empty() {
        return None;
    }
    let lines: Vec<String> = unreadable.iter().map(|u| format!("  {u}")).collect();
    Some(
        Failure::input(format!(
            "{} record(s) could not be read and are not listed:\n{}",
            unreadable.len(),
            lines.join("\n")
        ))
        .hint("fix them by hand or with `chg edit <ID>`")
        .into(),
    )
}
