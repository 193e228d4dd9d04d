//! `chg new`: propose a change as a draft record under the next free ID.

use super::args::RecordFlags;
use super::prompt;
use crate::context::Context;
use crate::error::Failure;
use crate::model::{ChangeId, ChangeRecord};
use crate::schema;
use anyhow::Result;
use chrono::Datelike;
use std::io::IsTerminal;

/// Propose a change: write a draft record under the next free ID.
///
/// In a terminal, chg asks for whatever the flags did not give: title, class, risk,
/// and each field the class requires (long texts in $VISUAL or $EDITOR). With --no-input, or when stdin is not a
/// terminal, it never asks: a missing title or class is an error (exit 2) that
/// lists them. Prints the new ID and the record's path.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg new\n  chg new --no-input --title \"Rotate the TLS certificate\" --class standard --description \"Renew before it expires\""
)]
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
    let asking =
        !args.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if asking {
        prompt::fill(&mut flags, &ctx.policy, ctx.out.stderr_color)?;
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
    // Whole before an ID is taken: the questions are asked holding none. Its ID is a
    // stand-in until then.
    let stand_in = ChangeId::new(&ctx.policy.changes.id_prefix, year, 0, 1);
    let mut proposal = ChangeRecord::draft(stand_in, title, class, created_at, who.to_string());
    proposal.owner = Some(who.email.clone());
    flags.apply_to(&mut proposal);
    let declared: Vec<_> = flags.links.iter().chain(&flags.fields).cloned().collect();
    proposal = crate::workflow::set::apply(&proposal, &declared, &ctx.policy)?;
    proposal.impact_areas = impact_areas;
    if asking {
        proposal = prompt::complete(proposal, &ctx.policy, ctx.out.stderr_color)?;
    }
    // The modeline lets an editor validate the record against .changes/schema.json.
    let record = ctx
        .store
        .create(&ctx.git, year, schema::modeline, |id| ChangeRecord {
            id,
            ..proposal.clone()
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
