//! `chg check`: run the rules of SPEC §5 over the change register.

use crate::context::Context;
use crate::error::Failure;
use crate::model::ChangeId;
use crate::render::{self, findings::Summary};
use crate::rules::{self, Register};
use crate::store::WorkTree;
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Check that the change register tells the truth.
///
/// Runs the rules of `chg check --explain <CODE>` over every record, the files they
/// link (ADRs, rollback artifacts) and the policy. Exit 0 when nothing is at error
/// severity, 1 when something is, 2 when the check itself could not run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only findings about this change.
    #[arg(long, value_parser = super::args::keyword::<ChangeId>, value_name = "ID")]
    record: Option<ChangeId>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print the documentation of a rule (e.g. R004) and exit.
    #[arg(long, value_name = "CODE", exclusive = true)]
    explain: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (mut stored, mut unreadable) = ctx.store.load_all()?;
    if let Some(id) = &args.record {
        ctx.store.read_text(id)?;
        stored.retain(|s| &s.record.id == id);
        unreadable.retain(|u| u.path == ctx.store.display_path(id));
    }
    let tree = WorkTree::new(ctx.git.root());
    let register = Register {
        policy: &ctx.policy,
        records: &stored,
        unreadable: &unreadable,
        tree: &tree,
        now: ctx.clock.now(),
    };
    let findings = rules::run(&register);
    let summary = Summary::of(&findings, stored.len() + unreadable.len());
    let text = match args.format {
        Format::Human => render::findings::human(&findings, summary, ctx.out.color),
        Format::Json => render::findings::json(&findings, summary),
    };
    render::print(&text)?;
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
