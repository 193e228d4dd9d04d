//! `chg layout`: where the register keeps its records, and moving it.

use crate::context::Context;
use crate::error::Failure;
use crate::store::Layout;
use anyhow::Result;

/// Show where the register keeps its records, or move them to another layout
///
/// Flat keeps every record at .changes/<ID>.yaml. Fanned out keeps it at
/// .changes/<YYYY>/<NN>xx/<ID>.yaml (CHG-2026-0123 at .changes/2026/01xx/), so that
/// no folder of a large register holds more than a hundred records: git, chg and a
/// web view of the repository each read a few small folders instead of one huge one.
/// New registers are fanned out; a flat one stays flat until it is moved.
///
/// Moving renames every record file, its bytes untouched, and commits the moves
/// alone, as you, in one commit. `chg check` reads each record across that commit
/// as the same change: a record is its ID, wherever its file lies.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[command(
    after_help = "Examples:\n  chg layout\n  chg layout fanned\n  chg layout flat --no-commit"
)]
pub struct Args {
    /// The layout to move the register to; without it, the layout is printed.
    #[arg(value_enum, value_name = "LAYOUT")]
    to: Option<Layout>,
    /// Move and stage the files, but leave the commit to you.
    #[arg(long, requires = "to")]
    no_commit: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let Some(to) = args.to else {
        println!("{}", ctx.store.layout()?.name());
        return Ok(());
    };
    let dir = &ctx.policy.changes.dir;
    let dirty = ctx.git.uncommitted_below(dir)?;
    if let Some(first) = dirty.first() {
        return Err(Failure::input(format!(
            "{dir}/ has changes not committed ({first}{}); nothing was moved",
            if dirty.len() > 1 { ", …" } else { "" }
        ))
        .hint("commit or stash them first: the move is a commit of its own")
        .into());
    }
    let identity = (!args.no_commit).then(|| ctx.identity()).transpose()?;
    let moves = ctx.store.relayout(to)?;
    if moves.is_empty() {
        ctx.out.status(format_args!(
            "the register is already {}; nothing was moved",
            to.name()
        ));
        return Ok(());
    }
    let message = format!(
        "Move the change register to the {} layout\n\n`chg layout {}` moved {} record file(s); their contents are unchanged.",
        to.name(),
        to.name(),
        moves.len()
    );
    let done = match &identity {
        Some(identity) => ctx.git.commit_file(dir, &message, identity),
        None => ctx.git.stage(dir),
    };
    if let Err(e) = done {
        ctx.store.undo(&moves);
        let _ = ctx.git.unstage(dir);
        return Err(e.context("nothing was moved"));
    }
    let how = if identity.is_some() {
        "committed"
    } else {
        "staged; commit them"
    };
    ctx.out.status(format_args!(
        "moved {} record file(s) to the {} layout: {how}",
        moves.len(),
        to.name()
    ));
    Ok(())
}
