//! `chg audit`: the audit register for a window of time.

use super::args::WindowFlags;
use crate::audit::{self, Sources};
use crate::check::Snapshot;
use crate::context::Context;
use crate::history::Reading;
use crate::render;
use crate::store::WorkTree;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// The audit register: evidence for each change active in a window.
///
/// One entry per change created, moved, approved, deployed, reviewed or given evidence
/// in the window: class, risk, status, author, owner; each approval with how it is
/// proven (the commit that added it was authored by the approver, the approver was in
/// the role before that commit, the digest matches the content); the evidence, and for
/// that recorded with `chg evidence` who recorded it and whether git proves it; when
/// the work reached the mainline and its commits; deployments and outcomes; rollback
/// readiness; ADRs and their status; the
/// review; and what `chg check` still finds. Then the commits of the window that needed
/// a change reference and name none, and any record that could not be read. Reading
/// only: exit 0 whatever it finds, 2 when it cannot run. Definitions: docs/auditor.md.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg audit --since 2026-10-01 --until 2026-12-31 --format markdown > audit-q4.md\n  chg audit --format json"
)]
pub struct Args {
    #[command(flatten)]
    window: WindowFlags,
    /// How to write it: table for people, json for scripts, csv for a spreadsheet, markdown for a report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Read all history from git, ignoring the cache of earlier checks.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let window = args.window.window(&ctx.policy)?;
    let reading = Reading {
        cached: !args.no_cache,
        work: true,
        complete: false,
        ..Reading::default()
    };
    let snapshot = Snapshot::read(ctx, None, reading, true)?;
    let sources = Sources {
        policy: &ctx.policy,
        snapshot: &snapshot,
        tree: &WorkTree::new(ctx.git.root()),
        git: &ctx.git,
    };
    let audit = audit::build(&sources, window, ctx.clock.now());
    super::list::warn_strays(ctx, &snapshot.loaded.strays);
    let printed = match args.format {
        Format::Table => render::print(&render::audit::table(&audit, ctx.out.color)),
        Format::Json => render::print_json(&audit),
        Format::Csv => render::print(&render::audit::csv(&audit)?),
        Format::Markdown => render::print(&render::audit::markdown(&audit)),
    };
    super::left_to_exit((audit, snapshot));
    printed
}
