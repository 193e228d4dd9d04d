//! `chg new`: propose a change as a draft record under the next free ID.

use super::args::RecordFlags;
use super::prompt;
use crate::context::Context;
use crate::error::Failure;
use crate::model::ChangeRecord;
use crate::schema;
use anyhow::Result;
use chrono::Datelike;
use std::io::IsTerminal;

/// Propose a change: write a draft record under the next free ID.
///
/// In a terminal, chg asks for whatever the flags did not give (title, class,
/// description, rollback plan, risk). With --no-input, or when stdin is not a
/// terminal, it never asks: a missing title or class is an error (exit 2) that
/// lists them. Prints the new ID and the record's path.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    record: RecordFlags,
    /// Never prompt; fail listing what is missing instead.
    #[arg(long)]
    no_input: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let who = ctx.identity()?;
    let mut flags = args.record;
    if !args.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        prompt::fill(&mut flags, &ctx.policy, ctx.out.color)?;
    }
    let (Some(title), Some(class)) = (flags.title.clone(), flags.class) else {
        return Err(missing(&flags).into());
    };
    // Checked before an ID is taken: a refused area leaves no file behind.
    let impact_areas = flags.impact_areas.checked(&ctx.policy)?;
    if let Some(problem) = (ctx.policy).refused_authorisers(class, &flags.authorized_by, &[]) {
        return Err(
            Failure::refused(format!("--authorized-by: {problem}; nothing was written"))
                .hint("name who authorised it from those roles")
                .into(),
        );
    }
    let created_at = ctx.clock.timestamp();
    let year = created_at
        .utc()
        .with_timezone(&ctx.policy.changes.timezone.0)
        .year();
    let year = u16::try_from(year)
        .map_err(|_| Failure::input(format!("the year {year} cannot be part of an ID")))?;
    // The modeline lets an editor validate the record against .changes/schema.json.
    let header = schema::modeline();
    let record = ctx.store.create(&ctx.git, year, &header, |id| {
        let mut record = ChangeRecord::draft(id, title.clone(), class, created_at, who.to_string());
        record.owner = Some(who.email.clone());
        flags.apply_to(&mut record);
        record.impact_areas.clone_from(&impact_areas);
        record
    })?;
    crate::render::print(&format!(
        "{} {}",
        record.id,
        ctx.store.display_path(&record.id)
    ))?;
    ctx.out.status(format_args!(
        "created draft {} ({})",
        record.id, record.class
    ));
    let missing = crate::policy::requirement::missing(&record, &ctx.policy);
    if !missing.is_empty() {
        ctx.out.status(format_args!(
            "still needed before it can be submitted: {}; `chg set {id} FIELD=VALUE` or `chg edit {id}` fills them in",
            missing.join(", "),
            id = record.id
        ));
    }
    Ok(())
}

/// The error for a `chg new` that cannot ask: which of title and class are missing.
fn missing(flags: &RecordFlags) -> Failure {
    let absent: Vec<&str> = [
        ("--title", flags.title.is_none()),
        ("--class", flags.class.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, absent)| absent.then_some(flag))
    .collect();
    Failure::input(format!(
        "missing {}: nothing was written",
        absent.join(", ")
    ))
    .hint("give them as flags, e.g. chg new --title \"Add index on orders\" --class normal")
    .hint("or run chg new in a terminal, without --no-input, to be asked")
}
