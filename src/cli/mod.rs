//! Command-line interface: clap definitions and one thin handler per subcommand.
//! Handlers parse, call the library, and hand results to `render`.

mod approve;
mod args;
mod audit;
mod calendar;
mod check;
mod completions;
mod doctor;
mod edit;
mod editor;
mod evidence;
mod freeze;
mod hook;
mod init;
mod layout;
mod lifecycle;
mod list;
mod log;
mod man;
mod metrics;
mod new;
mod notes;
mod prompt;
mod schema;
mod set;
mod show;
mod values;

use crate::context::{Context, Output};
use anyhow::Result;
use clap::{ColorChoice, Parser, Subcommand};
pub use completions::VAR as COMPLETE_VAR;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Git-native change management: the change register lives in your repository.
///
/// Records are YAML files under .changes/, the policy is .changes.toml. Exit codes:
/// 0 success; 1 policy findings at error severity or an action the policy refuses;
/// 2 usage, configuration or input error. On a terminal, a read of history that takes
/// more than two seconds shows its progress on stderr (CHG_PROGRESS_AFTER=<seconds>
/// sets the delay).
#[derive(Debug, Parser)]
#[command(name = "chg", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct Global {
    /// Run as if chg was started in PATH, like `git -C`.
    #[arg(short = 'C', global = true, value_name = "PATH")]
    pub directory: Option<PathBuf>,
    /// When to colour output: auto (only on a terminal), always (also in a pipe) or
    /// never. Without it, a non-empty NO_COLOR means never and CLICOLOR_FORCE (not 0)
    /// means always.
    #[arg(long, global = true, value_name = "WHEN", value_enum)]
    pub color: Option<ColorChoice>,
    /// The same as --color never.
    #[arg(long, global = true, conflicts_with = "color")]
    pub no_color: bool,
    /// Print only data and errors, no status lines.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what chg reads and decides.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    New(Box<new::Args>),
    List(list::Args),
    Show(show::Args),
    Edit(edit::Args),
    Set(set::Args),
    Submit(lifecycle::SubmitArgs),
    Assess(lifecycle::AssessArgs),
    Approve(approve::ApproveArgs),
    Reject(approve::RejectArgs),
    Revise(lifecycle::ReviseArgs),
    Schedule(lifecycle::ScheduleArgs),
    Start(lifecycle::StartArgs),
    Deploy(lifecycle::DeployArgs),
    Verify(lifecycle::VerifyArgs),
    Rollback(lifecycle::RollbackArgs),
    Review(lifecycle::ReviewArgs),
    Evidence(evidence::Args),
    Close(lifecycle::CloseArgs),
    Cancel(lifecycle::CancelArgs),
    Check(check::Args),
    Doctor(doctor::Args),
    Layout(layout::Args),
    Log(log::Args),
    Notes(notes::Args),
    Hook(hook::Args),
    Freeze(freeze::Args),
    Calendar(calendar::Args),
    Audit(audit::Args),
    Metrics(metrics::Args),
    Schema(schema::Args),
    Completions(completions::Args),
    Man(man::Args),
}

impl Global {
    fn start_dir(&self) -> Result<PathBuf> {
        let cwd = std::env::current_dir()?;
        Ok(match &self.directory {
            Some(dir) => cwd.join(dir),
            None => cwd,
        })
    }

    /// When to colour: the flag, else the environment's say, else on a terminal.
    fn color_choice(&self) -> ColorChoice {
        let set = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        match self.color {
            Some(choice) => choice,
            None if self.no_color || set("NO_COLOR").is_some() => ColorChoice::Never,
            None if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => ColorChoice::Always,
            None => ColorChoice::Auto,
        }
    }

    /// How to talk: quiet or verbose, and whether stdout and stderr get colours.
    pub fn output(&self) -> Output {
        let choice = self.color_choice();
        let color = |is_terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal,
        };
        let stderr_is_terminal = std::io::stderr().is_terminal();
        Output {
            quiet: self.quiet,
            verbose: self.verbose,
            color: color(std::io::stdout().is_terminal()),
            stderr_color: color(stderr_is_terminal),
            meter: stderr_is_terminal && !self.quiet,
        }
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    let start = cli.global.start_dir()?;
    if !start.is_dir() {
        return Err(crate::error::Failure::input(format!(
            "-C {}: no such directory",
            start.display()
        ))
        .into());
    }
    let out = cli.global.output();
    match cli.command {
        Command::Init(args) => init::run(&start, out, args),
        Command::Check(args) if args.explain_code().is_some() => {
            check::explain(args.explain_code().unwrap_or_default())
        }
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(out, args),
        Command::Schema(args) if !args.writes() => schema::print(&start),
        command => {
            let ctx = Context::open(&start, out)?;
            match command {
                Command::Init(_) | Command::Completions(_) | Command::Man(_) => {
                    unreachable!("handled above")
                }
                Command::Schema(_) => schema::write(&ctx),
                Command::Check(args) => check::run(&ctx, args),
                Command::Doctor(args) => doctor::run(&ctx, args),
                Command::Layout(args) => layout::run(&ctx, args),
                Command::Log(args) => log::run(&ctx, args),
                Command::Notes(args) => notes::run(&ctx, args),
                Command::Hook(args) => hook::run(&ctx, args),
                Command::Freeze(args) => freeze::run(&ctx, args),
                Command::Calendar(args) => calendar::run(&ctx, args),
                Command::Audit(args) => audit::run(&ctx, args),
                Command::Metrics(args) => metrics::run(&ctx, args),
                Command::New(args) => new::run(&ctx, *args),
                Command::List(args) => list::run(&ctx, args),
                Command::Show(args) => show::run(&ctx, args),
                Command::Edit(args) => edit::run(&ctx, args),
                Command::Set(args) => set::run(&ctx, args),
                Command::Submit(args) => lifecycle::submit(&ctx, args),
                Command::Assess(args) => lifecycle::assess(&ctx, args),
                Command::Approve(args) => approve::approve(&ctx, args),
                Command::Reject(args) => approve::reject(&ctx, args),
                Command::Revise(args) => lifecycle::revise(&ctx, args),
                Command::Schedule(args) => lifecycle::schedule(&ctx, args),
                Command::Start(args) => lifecycle::start(&ctx, args),
                Command::Deploy(args) => lifecycle::deploy(&ctx, args),
                Command::Verify(args) => lifecycle::verify(&ctx, args),
                Command::Rollback(args) => lifecycle::rollback(&ctx, args),
                Command::Review(args) => lifecycle::review(&ctx, args),
                Command::Evidence(args) => evidence::run(&ctx, args),
                Command::Close(args) => lifecycle::close(&ctx, args),
                Command::Cancel(args) => lifecycle::cancel(&ctx, args),
            }
        }
    }
}

/// Leaves what a command read to be taken back with the whole process, not freed
/// now: the facts of a long history are millions of small allocations, and freeing
/// them one at a time after the report was written took 0.2 s of a first check of a
/// million commits. Only for plain data of a command about to exit, nothing whose
/// drop does work (a child process, a file).
pub(crate) fn left_to_exit<T>(read: T) {
    std::mem::forget(read);
}
