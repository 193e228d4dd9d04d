//! `chg check`: run the rules over the register and its history.

use super::values;
use crate::check::{Loaded, Snapshot};
use crate::context::Context;
use crate::error::Failure;
use crate::history::Reading;
use crate::model::ChangeId;
use crate::render::{self, findings::Summary};
use crate::rules::{self, Tree};
use crate::store::WorkTree;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Findings grouped by record, for people.
    Human,
    /// Every finding, with a summary, for scripts.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitLab's Code Quality report.
    Codequality,
}

/// Check that the change register tells the truth.
///
/// Runs the rules of `chg check` (`chg check --explain <CODE>` documents each) over every
/// record, the files they link, and the history since the policy's baseline. Exit 0
/// when nothing is at error severity, 1 when something is, 2 when the check itself
/// could not run.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg check\n  chg check --range origin/main..HEAD --format sarif > chg.sarif\n  chg check --staged\n  chg check --explain H004"
)]
pub struct Args {
    /// Check only the commits in A..B, the records they name, touch, create or remove,
    /// and the stray files they add, as CI does for a pull request; the rest of the
    /// register is a whole check's business.
    #[arg(long, value_name = "A..B", conflicts_with = "staged")]
    range: Option<String>,
    /// Check the records as staged in the index (for a pre-commit hook); no history.
    #[arg(long)]
    staged: bool,
    /// Only findings about this change.
    #[arg(long, value_parser = super::args::keyword::<ChangeId>, add = values::change_ids(), value_name = "ID")]
    record: Option<ChangeId>,
    /// How to write the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// List every finding. By default the human report lists the first 10 findings of
    /// each rule and counts the rest (`--format json` always keeps every finding;
    /// `--format sarif` keeps what GitHub code scanning accepts).
    #[arg(long)]
    all: bool,
    /// Read all history from git, ignoring and not writing the cache of what earlier
    /// checks read (in .git/chg/cache): for an auditor who trusts git objects only.
    #[arg(long)]
    no_cache: bool,
    /// Print the documentation of a rule (e.g. R004) and exit.
    #[arg(long, value_name = "CODE", exclusive = true, add = values::rule_codes())]
    explain: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let work_tree = WorkTree::new(ctx.git.root());
    let index_tree;
    let (tree, mut loaded, history): (&dyn Tree, _, _) = if args.staged {
        index_tree = ctx.git.index_tree()?;
        let loaded = Loaded::staged(&ctx.store, &index_tree);
        (&index_tree, loaded, None)
    } else {
        let reading = Reading {
            cached: !args.no_cache,
            work: false,
            complete: true,
            ..Reading::default()
        };
        let snapshot = match (&args.record, &args.range) {
            (Some(id), None) => Snapshot::of_record(ctx, id, reading)?,
            _ => Snapshot::read(ctx, args.range.as_deref(), reading, true)?,
        };
        for note in &snapshot.notes {
            ctx.out.status(note);
        }
        (&work_tree, snapshot.loaded, snapshot.history)
    };
    if let Some(id) = &args.record {
        loaded.only(&ctx.store, id)?;
    }
    let mut findings = loaded.findings(&ctx.policy, tree, ctx.clock.now(), history.as_ref());
    if let Some(id) = &args.record {
        findings.retain(|f| f.record.as_deref() == Some(id.to_string().as_str()));
    }
    let summary = Summary::of(&findings, loaded.files());
    match args.format {
        Format::Human => render::print(&render::findings::human(
            &findings,
            summary,
            ctx.out.color,
            args.all,
        ))?,
        Format::Json => render::findings::print_json(&findings, summary)?,
        Format::Sarif => render::sarif::print(&findings, &ctx.policy, tree, history.as_ref())?,
        Format::Codequality => {
            render::codequality::print(&findings, &ctx.policy, tree, history.as_ref())?
        }
    }
    super::left_to_exit((loaded, history, findings));
    if summary.errors > 0 {
        return Err(Failure::findings().into());
    }
    Ok(())
}

/// `chg check --explain CODE`, which needs no repository.
pub fn explain(code: &str) -> Result<()> {
    let rule = rules::find(code).ok_or_else(|| {
        let codes: Vec<&str> = rules::REGISTRY.iter().map(|r| r.code).collect();
        Failure::input(format!("no rule {code}")).hint(format!("rules: {}", codes.join(" ")))
    })?;
    render::print(&render::findings::explain(rule))
}

impl Args {
    /// The rule code when only its documentation is asked for.
    pub fn explain_code(&self) -> Option<&str> {
        self.explain.as_deref()
    }
}
