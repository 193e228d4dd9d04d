//! What every command that works on a register needs: the repository, its policy,
//! the store, the clock and how to talk to the user. Built once, passed down.

use crate::clock::Clock;
use crate::git::Git;
use crate::model::Identity;
use crate::policy::Policy;
use crate::progress::Progress;
use crate::store::Store;
use crate::workflow::Actor;
use anyhow::Result;
use std::fmt::Display;
use std::path::Path;
use std::time::Duration;

/// How chg talks on stderr: status lines unless `-q`, details with `-v`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
    /// Whether what goes to stdout (tables, findings) is coloured.
    pub color: bool,
    /// Whether what goes to stderr (errors, hook reports, prompts) is coloured.
    pub stderr_color: bool,
    /// Whether a long read may show its progress: stderr is a terminal, and no `-q`.
    pub meter: bool,
}

impl Output {
    /// A line for the person at the terminal (stderr), silenced by `-q`.
    pub fn status(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{}", shown(message));
        }
    }

    /// A warning: the command went on, but something looks wrong. Shown even with `-q`.
    pub fn warn(&self, message: impl Display) {
        eprintln!("warning: {}", shown(message));
    }

    /// A detail shown with `-v`.
    pub fn detail(&self, message: impl Display) {
        if self.verbose {
            eprintln!("{}", shown(message));
        }
    }
}

/// Messages quote titles, reasons and commit subjects: they reach the terminal
/// escaped like any other text from a record.
fn shown(message: impl Display) -> String {
    crate::render::escape(&message.to_string()).into_owned()
}

pub struct Context {
    pub git: Git,
    pub policy: Policy,
    pub store: Store,
    pub clock: Clock,
    pub out: Output,
    /// How long a read goes on before its progress is shown; `None`: never.
    meter_after: Option<Duration>,
}

impl Context {
    /// Opens the repository containing `start` and loads its policy.
    pub fn open(start: &Path, out: Output) -> Result<Context> {
        let git = Git::discover(start)?;
        let policy = Policy::load(git.root())?;
        crate::rules::check_overrides(&policy).map_err(|e| {
            crate::error::Failure::input(format!("{}: {e}", crate::policy::FILE_NAME))
        })?;
        out.detail(format_args!(
            "repository: {}; policy: {}",
            git.root().display(),
            if git.root().join(crate::policy::FILE_NAME).exists() {
                crate::policy::FILE_NAME
            } else {
                "(defaults)"
            }
        ));
        let store = Store::new(git.root(), &policy);
        // The policy refused a linked records directory; freezes are read and written
        // in a directory of their own below it.
        crate::untrusted::require_inside(git.root(), &store.freezes_dir())?;
        let clock = Clock::from_env()?;
        // Read even when no meter is shown, so that a bad value is refused everywhere.
        let delay = crate::progress::delay()?;
        Ok(Context {
            git,
            policy,
            store,
            clock,
            out,
            meter_after: out.meter.then_some(delay),
        })
    }

    /// A meter of `total` steps of `what`, shown on stderr if the steps take long.
    pub fn progress(&self, what: &'static str, total: usize) -> Progress {
        Progress::new(what, total, self.meter_after)
    }

    /// Who acts now (SPEC §4).
    pub fn identity(&self) -> Result<Identity> {
        self.git.identity()
    }

    /// Who acts, and when: what every move records.
    pub fn actor(&self) -> Result<Actor> {
        Ok(Actor {
            who: self.identity()?,
            at: self.clock.timestamp(),
        })
    }
}
