//! `chg check`: run the rules of SPEC §5 over the register and its history.

use crate::context::Context;
use crate::error::Failure;
use crate::history::{Approvers, History, Reader};
use crate::model::ChangeId;
use crate::render::{self, findings::Summary};
use crate::rules::{self, Register, Tree};
use crate::store::{parse, Stored, Unreadable, WorkTree};
use anyhow::Result;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

/// Check that the change register tells the truth.
///
/// Runs the rules of SPEC §5 (`chg check --explain <CODE>` documents each) over every
/// record, the files they link, and the history since the policy's baseline. Exit 0
/// when nothing is at error severity, 1 when something is, 2 when the check itself
/// could not run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check only the commits in A..B, as CI does for a pull request.
    #[arg(long, value_name = "A..B", conflicts_with = "staged")]
    range: Option<String>,
    /// Check the records as staged in the index (for a pre-commit hook); no history.
    #[arg(long)]
    staged: bool,
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
    let work_tree = WorkTree::new(ctx.git.root());
    let index_tree;
    let (tree, (mut stored, mut unreadable)): (&dyn Tree, _) = if args.staged {
        index_tree = ctx.git.index_tree()?;
        let files = index_tree.files_under(&ctx.policy.changes.dir);
        (&index_tree, staged_records(&ctx.policy.changes.dir, files))
    } else {
        (&work_tree, ctx.store.load_all()?)
    };
    let history = if args.staged {
        None
    } else {
        read_history(
            ctx,
            args.range.as_deref(),
            &crate::history::approvers(&stored),
        )?
    };
    if let Some(id) = &args.record {
        if !stored.iter().any(|s| &s.record.id == id)
            && !unreadable
                .iter()
                .any(|u| u.path == ctx.store.display_path(id))
        {
            ctx.store.read_text(id)?;
        }
        stored.retain(|s| &s.record.id == id);
        unreadable.retain(|u| u.path == ctx.store.display_path(id));
    }
    let register = Register {
        policy: &ctx.policy,
        records: &stored,
        unreadable: &unreadable,
        tree,
        now: ctx.clock.now(),
        history: history.as_ref(),
    };
    let mut findings = rules::run(&register);
    if let Some(id) = &args.record {
        findings.retain(|f| f.record.as_deref() == Some(id.to_string().as_str()));
    }
    let summary = Summary::of(&findings, stored.len() + unreadable.len());
    let text = match args.format {
        Format::Human => render::findings::human(&findings, summary, ctx.out.color),
        Format::Json => render::findings::json(&findings, summary),
        Format::Sarif => render::sarif::sarif(&findings, &ctx.policy),
    };
    render::print(&text)?;
    if summary.errors > 0 {
        return Err(Failure::findings().into());
    }
    Ok(())
}

/// Records as staged: parsed from the index's blobs.
fn staged_records(dir: &str, files: Vec<(String, Vec<u8>)>) -> (Vec<Stored>, Vec<Unreadable>) {
    let (mut stored, mut unreadable) = (Vec::new(), Vec::new());
    for (name, bytes) in files.into_iter().filter(|(n, _)| n.ends_with(".yaml")) {
        let path = format!("{dir}/{name}");
        match parse(&path, &String::from_utf8_lossy(&bytes)) {
            Ok(record) => stored.push(Stored { path, record }),
            Err(u) => unreadable.push(u),
        }
    }
    (stored, unreadable)
}

/// History in scope: `A..B` for a range, else HEAD since the policy's baseline.
fn read_history(
    ctx: &Context,
    range: Option<&str>,
    approvers: &Approvers,
) -> Result<Option<History>> {
    let git = &ctx.git;
    let mut hidden = Vec::new();
    if let Some(baseline) = &ctx.policy.changes.baseline {
        match git.resolve(baseline) {
            Ok(commit) => hidden.push(commit),
            // A shallow clone may not reach back to the baseline; what it has is checked.
            Err(_) if git.is_shallow() => ctx.out.status(format_args!(
                "the baseline {baseline} is beyond this shallow clone's history"
            )),
            Err(e) => return Err(Failure::input(format!(
                "changes.baseline in .changes.toml: {e}"
            ))
            .hint("set it to a commit of this repository, or remove it to check all history")
            .into()),
        }
    }
    let tip = match range {
        Some(range) => {
            let (from, to) = range
                .split_once("..")
                .filter(|(from, _)| !from.is_empty())
                .ok_or_else(|| {
                    Failure::input(format!("--range `{range}` is not of the form A..B"))
                })?;
            hidden.push(git.resolve(from)?);
            git.resolve(if to.is_empty() { "HEAD" } else { to })?
        }
        None => match git.head() {
            Some(head) => head,
            None => {
                ctx.out
                    .status("no commits yet: only the records are checked");
                return Ok(None);
            }
        },
    };
    if git.is_shallow() {
        ctx.out
            .status("this is a shallow clone: the history before its boundary is not checked");
    }
    Reader::new(git, &ctx.policy)
        .read(&tip, &hidden, approvers)
        .map(Some)
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
