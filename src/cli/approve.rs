//! `chg approve` and `chg reject`: the acting identity decides on a change.

use super::args::{keyword, text};
use super::lifecycle::{apply_quietly, report};
use super::values;
use crate::context::Context;
use crate::error::Failure;
use crate::model::{ChangeId, ChangeRecord, Decision};
use crate::workflow::{self, Actor};
use anyhow::Result;

/// Approve a submitted change as yourself (your git identity).
///
/// Refused (exit 1) when you are not a member of the role, when you wrote the change
/// and the policy separates duties, or when you already approved it in another role
/// and the policy asks for distinct people. --role may be left out when exactly one
/// open role fits you. The approval is bound to the record's content: editing the
/// record afterwards makes it stale.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg approve CHG-2026-0001 --comment \"Rollback tested on staging\" --commit\n  chg approve CHG-2026-0001 --role security --commit"
)]
pub struct ApproveArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// The role you approve in.
    #[arg(long)]
    role: Option<String>,
    /// A comment kept with the approval; `@path` reads a file.
    #[arg(long, value_parser = text)]
    comment: Option<String>,
    /// Commit just this record, authored by you, so history proves who approved.
    /// Refused when the record holds edits not committed yet: they would be
    /// committed under your name.
    #[arg(long)]
    commit: bool,
}

pub fn approve(ctx: &Context, args: ApproveArgs) -> Result<()> {
    decide(ctx, &args.id, Decision::Approved, args.commit, |r, a| {
        workflow::approve(r, &ctx.policy, a, args.role.as_deref(), args.comment)
    })
}

/// Records a decision on `id` made by `make` (which returns the role it was made
/// in); with `commit`, commits the record alone, authored by the decider, and keeps
/// the decision only if that commit is made.
fn decide(
    ctx: &Context,
    id: &ChangeId,
    decision: Decision,
    commit: bool,
    make: impl FnOnce(&mut ChangeRecord, &Actor) -> Result<String, Failure>,
) -> Result<()> {
    let original = ctx.store.read_text(id)?;
    let path = ctx.store.display_path(id);
    if commit {
        workflow::commit_only_the_decision(decision, ctx.git.uncommitted(&path)?, &path, id)?;
    }
    let mut role = String::new();
    let (record, before) = apply_quietly(ctx, id, |r, a| {
        role = make(r, a)?;
        Ok(())
    })?;
    if commit {
        let who = ctx.identity()?;
        workflow::commit_decision(
            &ctx.git, &ctx.store, &original, &record, decision, &role, &who,
        )?;
    }
    ctx.out
        .status(format_args!("{}: {decision} as {role}", record.id));
    report(ctx, &record, before)
}

/// Reject a submitted change, with the reason; the author may revise and resubmit.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg reject CHG-2026-0001 --reason \"Needs a staged rollout\" --commit"
)]
pub struct RejectArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// Why it is rejected, for the author to act on; `@path` reads a file.
    #[arg(long, value_parser = text)]
    reason: String,
    /// The role you reject in (as for approve).
    #[arg(long)]
    role: Option<String>,
    /// Commit just this record, authored by you, so history proves who rejected.
    /// Refused when the record holds edits not committed yet: they would be
    /// committed under your name.
    #[arg(long)]
    commit: bool,
}

pub fn reject(ctx: &Context, args: RejectArgs) -> Result<()> {
    decide(ctx, &args.id, Decision::Rejected, args.commit, |r, a| {
        workflow::reject(r, &ctx.policy, a, args.role.as_deref(), args.reason)
    })
}
