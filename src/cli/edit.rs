//! `chg edit`: change a record in `$VISUAL`/`$EDITOR`, saved only if it stays valid.

use super::values;
use crate::context::Context;
use crate::error::{failure_of, Failure};
use crate::model::ChangeId;
use crate::store::{lock, parse, write_atomic, EditSession};
use crate::workflow::{self, edit::Rejection};
use anyhow::{Context as _, Result};

/// Edit a change record in $VISUAL or $EDITOR.
///
/// The edit is made on a copy under the git directory. If the result is not a valid
/// record, the record is left as it was and the copy is kept: the error says where,
/// and the next `chg edit` of the same ID continues from it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg edit CHG-2026-0001")]
pub struct Args {
    /// The change ID, e.g. CHG-2026-0007.
    #[arg(value_parser = super::args::keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let id = &args.id;
    let path = ctx.store.path_of(id);
    let shown = ctx.store.display_path(id);
    // The record need not parse: fixing a broken record is what edit is for.
    let original = ctx.store.read_text(id)?;
    let session = EditSession::open(&ctx.git.chg_dir().join("edits"), id, &shown, &original)?;
    let kept = session.kept.clone();
    if session.resumed {
        ctx.out.status(format_args!(
            "continuing the earlier edit kept at {}",
            kept.display()
        ));
    }
    super::editor::open(&kept, "the record was not changed")
        .map_err(|f| f.hint(format!("your edit is kept at {}", kept.display())))?;
    let edited = session.text()?;
    if edited == original {
        session.discard();
        ctx.out.status(format_args!("no changes to {id}"));
        return Ok(());
    }
    let invalid = |problem: String| -> anyhow::Error {
        Failure::input(format!(
            "the edited record is not valid, so {shown} was not changed:\n  {problem}"
        ))
        .hint(format!("your edit is kept at {}", kept.display()))
        .hint(format!(
            "`chg edit {id}` continues from it; delete it to start again from the record"
        ))
        .into()
    };
    let mut record =
        parse(&kept.display().to_string(), &edited).map_err(|u| invalid(u.to_string()))?;
    let before = parse(&shown, &original).ok();
    let actor = ctx.actor()?;
    let reconciled = workflow::edit::vet(id, before.as_ref(), &mut record, &ctx.policy, &actor)
        .map_err(|rejection| match rejection {
            Rejection::Invalid(problem) => invalid(problem),
            Rejection::Refused(problem) => {
                Failure::refused(format!("{problem}, so {shown} was not changed"))
                    .hint(format!("your edit is kept at {}", kept.display()))
                    .hint(format!("`chg edit {id}` continues from it"))
                    .into()
            }
        })?;
    let _lock = lock(&ctx.git.chg_dir().join("locks"), &id.to_string())?;
    if ctx.store.read_text(id)? != original {
        return Err(invalid(format!(
            "{shown} changed while you were editing it"
        )));
    }
    match reconciled {
        Some(note) => {
            // The status changes with the content, so the record is written anew. An
            // input failure here is the record, grown past what chg reads: the edit
            // is kept, as for any other record that cannot be saved.
            ctx.store.save(&record).map_err(|e| match failure_of(&e) {
                Some(failure) => invalid(failure.message.clone()),
                None => e,
            })?;
            ctx.out
                .status(format_args!("{id}: {note}; it is submitted again"));
        }
        // The user's text is saved as written, comments and layout included.
        None => write_atomic(&path, edited.as_bytes())
            .with_context(|| format!("cannot write {shown}"))?,
    }
    session.discard();
    ctx.out.status(format_args!("saved {shown}"));
    Ok(())
}
