//! `chg set`: write record fields by name, for scripts; vetted as `chg edit` vets.

use super::args::keyword;
use super::values;
use crate::context::Context;
use crate::error::Failure;
use crate::model::ChangeId;
use crate::policy::approval;
use crate::workflow::edit::{vet, Rejection};
use crate::workflow::set::{apply, help, Assignment};
use anyhow::Result;
use std::io::Read;

/// Set fields of a change record: `chg set CHG-2026-0007 impact.users="All EU
/// customers" rollback.tested=true stakeholders=ops,finance`.
///
/// The record is checked as `chg edit` checks a hand edit and saved only if it stays
/// valid; nothing is written when any assignment is refused. A field the approvals
/// cover makes them stale, and an approved or scheduled change is submitted again.
#[derive(Debug, clap::Args)]
#[command(after_help = help())]
pub struct Args {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// FIELD=VALUE or FIELD+=VALUE (lists); the fields are listed below.
    #[arg(value_name = "FIELD=VALUE", required = true, value_parser = keyword::<Assignment>)]
    assignments: Vec<Assignment>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let id = &args.id;
    let assignments = read_sources(args.assignments)?;
    let shown = ctx.store.display_path(id);
    let actor = ctx.actor()?;
    let _lock = crate::store::lock(&ctx.git.chg_dir().join("locks"), &id.to_string())?;
    let before = ctx.store.load(id)?;
    let mut after = apply(&before, &assignments, &ctx.policy)?;
    let reconciled =
        vet(id, Some(&before), &mut after, &ctx.policy, &actor).map_err(|r| match r {
            Rejection::Invalid(problem) => {
                Failure::input(format!("{problem}, so {shown} was not changed"))
            }
            Rejection::Refused(problem) => {
                Failure::refused(format!("{problem}, so {shown} was not changed"))
            }
        })?;
    if after == before {
        ctx.out.status(format_args!("no changes to {id}"));
        return Ok(());
    }
    ctx.store.save(&after)?;
    let stale: Vec<String> = approval::made_stale(&before, &after, &ctx.policy)
        .iter()
        .map(|a| format!("{} ({})", a.by, a.role))
        .collect();
    if !stale.is_empty() {
        ctx.out.status(format_args!(
            "{id}: approvals now stale (given to the content before this change): {}",
            stale.join(", ")
        ));
    }
    if let Some(note) = reconciled {
        ctx.out
            .status(format_args!("{id}: {note}; it is submitted again"));
    }
    ctx.out.status(format_args!("saved {shown}"));
    crate::render::print(&format!("{id} {}", after.status))
}

/// Reads each value written `@PATH` from that file, and `@-` from stdin (once).
fn read_sources(assignments: Vec<Assignment>) -> Result<Vec<Assignment>> {
    let mut stdin_taken = false;
    assignments
        .into_iter()
        .map(|mut a| {
            let Some(source) = a.value.strip_prefix('@') else {
                return Ok(a);
            };
            let cannot = |e: std::io::Error| {
                Failure::input(format!("{}: cannot read {source}: {e}", a.field))
            };
            a.value = if source == "-" {
                if std::mem::replace(&mut stdin_taken, true) {
                    return Err(Failure::input(format!(
                        "{}: stdin was read for an earlier field; give one value as @-",
                        a.field
                    ))
                    .into());
                }
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).map_err(cannot)?;
                text
            } else {
                std::fs::read_to_string(source).map_err(cannot)?
            };
            Ok(a)
        })
        .collect()
}
