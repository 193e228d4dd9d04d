//! `chg layout`: where the register keeps its records, and moving it.

use crate::context::Context;
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
        return crate::render::print(ctx.store.layout()?.name());
    };
    let identity = (!args.no_commit).then(|| ctx.identity()).transpose()?;
    let moved = ctx.store.move_to(&ctx.git, to, identity.as_ref())?;
    let status = match (moved, &identity) {
        (0, _) => format!("the register is already {}; nothing was moved", to.name()),
        (n, Some(_)) => format!(
            "moved {n} record file(s) to the {} layout: committed",
            to.name()
        ),
        (n, None) => format!(
            "moved {n} record file(s) to the {} layout: staged; commit them",
            to.name()
        ),
    };
    ctx.out.status(status);
    Ok(())
}
