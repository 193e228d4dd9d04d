//! `chg notes`: release notes from the register.

use crate::context::Context;
use crate::notes::{self, changelog, Notes};
use crate::render;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A keep-a-changelog section, for people and CHANGELOG.md.
    Markdown,
    /// The same changes as data, for scripts.
    Json,
}

/// Release notes: the changes whose work landed between two refs, from git history.
///
/// A change is in a release when a commit in the range that changes more than the
/// register names it, whenever its record was created. Each is shown as its record
/// stands in the tree of <to> (title, ID, risk, approvers, links; emergency and
/// rolled-back changes marked), grouped by class or by `[notes] group_by`.
///
/// Examples:
///   chg notes                              # since the last tag, up to HEAD
///   chg notes v1.3.0..v1.4.0               # between two tags
///   chg notes v1.3.0..v1.4.0 --prepend CHANGELOG.md
///   chg notes --deployed production --ref v1.4.0
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// <from>..<to>: tags, branches or commits. <to> defaults to HEAD, <from> to the
    /// newest tag before <to> (all history when there is none).
    #[arg(value_name = "FROM..TO", conflicts_with = "deployed")]
    range: Option<String>,
    /// How to print the notes.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Write the section into FILE (relative to the repository's top), a changelog in
    /// the keep-a-changelog layout: after its preamble, or instead of the section with
    /// the same heading, so running it twice changes nothing. Creates FILE if missing.
    #[arg(long, value_name = "FILE", conflicts_with = "format")]
    prepend: Option<PathBuf>,
    /// The changes whose records say they were deployed to ENV at --ref, instead of a
    /// range of history.
    #[arg(long, value_name = "ENV", requires = "reference", add = super::values::environments())]
    deployed: Option<String>,
    /// With --deployed: the ref the deployment names.
    #[arg(long = "ref", value_name = "REF", requires = "deployed")]
    reference: Option<String>,
    /// Read all history from git, ignoring the cache of earlier checks.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let notes = match (&args.deployed, &args.reference) {
        (Some(env), Some(reference)) => notes::deployed(ctx, env, reference)?,
        _ => notes::landed(ctx, args.range.as_deref().unwrap_or(".."), !args.no_cache)?,
    };
    warn_unrecorded(ctx, &notes);
    let Some(file) = &args.prepend else {
        return match args.format {
            Format::Markdown => render::print(&render::notes::markdown(&notes)),
            Format::Json => render::print_json(&notes),
        };
    };
    changelog::prepend(ctx.git.root(), file, &render::notes::markdown(&notes))?;
    ctx.out.status(format_args!(
        "{}: the section {} is written",
        file.display(),
        notes.heading
    ));
    Ok(())
}

fn warn_unrecorded(ctx: &Context, notes: &Notes) {
    for what in &notes.unrecorded {
        ctx.out.warn(format_args!(
            "{what}: no readable record at {}, left out of the notes",
            notes.to
        ));
    }
}
