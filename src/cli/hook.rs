//! `chg hook`: install, remove and run chg's git hooks.

use crate::context::Context;
use crate::error::Failure;
use crate::hook::{self, commit_msg, message::Message, pre_commit, pre_push, staged::Staged};
use crate::render::{self, findings::Summary};
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

/// Install, remove or run chg's git hooks.
///
/// pre-commit checks the records a commit changes (R001–R007), that it adds no file
/// chg would not read to the records directory (R009), and that each protected
/// path it touches has a change to name; commit-msg checks the changes the message
/// names (H001, H005) and that it names the ones its paths need (H002, H003);
/// pre-push runs the checks of `chg check --range` over what is pushed. Hooks go
/// where git runs them: core.hooksPath, the shared git directory of linked
/// worktrees, the git directory of a submodule. The project also ships
/// .pre-commit-hooks.yaml for the pre-commit framework.
///
/// A hook is silent when all is well; otherwise it prints the report of `chg check`
/// on stderr and exits 1 (git then refuses the commit or push), or 2 when it could
/// not run.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg hook install\n  chg hook uninstall")]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Install chg's pre-commit, commit-msg and pre-push hooks.
    ///
    /// A hook that chg did not write is never replaced unless --force is given: chg
    /// names it and changes nothing (exit 1). Installing again over chg's own hooks
    /// updates them; one you added lines to is kept as <name>.chg-backup first.
    #[command(after_help = "Examples:\n  chg hook install\n  chg hook install --force")]
    Install {
        /// Replace hooks chg did not write, keeping each as <name>.chg-backup (numbered
        /// when that name is taken).
        #[arg(long)]
        force: bool,
    },
    /// Remove chg's hooks, putting back the latest hook install kept aside.
    ///
    /// Hooks chg did not write, and chg's hooks with lines added, are left alone.
    #[command(after_help = "Examples:\n  chg hook uninstall")]
    Uninstall,
    /// Run one hook, as git does through the installed scripts.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  chg hook run pre-commit\n  chg hook run commit-msg .git/COMMIT_EDITMSG"
    )]
    Run(Run),
}

#[derive(Debug, Subcommand)]
enum Run {
    /// Check the records the commit adds or changes, and that each protected path it
    /// touches has an open change of the class the policy asks for.
    #[command(after_help = "Examples:\n  chg hook run pre-commit")]
    PreCommit,
    /// Check the commit message against what is staged: the changes it names exist
    /// and are open, and it names the changes its paths need.
    #[command(after_help = "Examples:\n  chg hook run commit-msg .git/COMMIT_EDITMSG")]
    CommitMsg {
        /// The file holding the message (git passes .git/COMMIT_EDITMSG).
        file: PathBuf,
    },
    /// Check what a push sends, read from stdin as git writes it, as
    /// `chg check --range <remote>..<local>` would.
    #[command(
        after_help = "Examples:\n  chg hook run pre-push origin git@example.com:team/app.git   # refs on stdin, as git passes them"
    )]
    PrePush {
        /// The remote's name (git passes it; what is pushed comes on stdin).
        remote: Option<String>,
        /// The remote's URL.
        url: Option<String>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    match args.action {
        Action::Install { force } => say(ctx, hook::install(&ctx.git, force)?),
        Action::Uninstall => say(ctx, hook::uninstall(&ctx.git)?),
        Action::Run(Run::PreCommit) => {
            let staged = Staged::read(&ctx.git, &ctx.policy)?;
            let now = ctx.clock.now();
            report(
                ctx,
                pre_commit::check(&ctx.policy, &ctx.store, &staged, now),
            )
        }
        Action::Run(Run::CommitMsg { file }) => {
            let pattern = ctx.policy.reference_pattern();
            let (comment, encoding) = (ctx.git.comment_prefix(), ctx.git.commit_encoding());
            let message = Message::read(&file, &comment, encoding.as_deref(), &pattern)?;
            let staged = Staged::read(&ctx.git, &ctx.policy)?;
            report(
                ctx,
                commit_msg::check(&ctx.policy, &ctx.store, &message, &staged, ctx.clock.now()),
            )
        }
        Action::Run(Run::PrePush { remote, url }) => {
            ctx.out.detail(format_args!(
                "pushing to {} ({})",
                remote.as_deref().unwrap_or("?"),
                url.as_deref().unwrap_or("?")
            ));
            let updates = pre_push::updates(&std::io::read_to_string(std::io::stdin())?)?;
            report(ctx, pre_push::check(ctx, remote.as_deref(), &updates)?)
        }
    }
}

fn say(ctx: &Context, lines: Vec<String>) -> Result<()> {
    for line in lines {
        ctx.out.status(line);
    }
    Ok(())
}

/// Quiet when all is well, as hooks are; otherwise the report of `chg check`, on
/// stderr like everything a git hook says (git shows commit hooks' stdout there too).
fn report(ctx: &Context, verdict: hook::Verdict) -> Result<()> {
    for note in &verdict.notes {
        ctx.out.status(note);
    }
    if verdict.findings.is_empty() {
        return Ok(());
    }
    let summary = Summary::of(&verdict.findings, verdict.records);
    eprint!(
        "{}",
        render::findings::human(&verdict.findings, summary, ctx.out.stderr_color, false)
    );
    if summary.errors > 0 {
        return Err(Failure::findings().into());
    }
    Ok(())
}
