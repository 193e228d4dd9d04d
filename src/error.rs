//! Errors that carry their exit code and a hint for the user.
//!
//! Everything else in chg returns `anyhow::Result`; a [`Failure`] somewhere in the
//! error chain decides the exit code (SPEC §4): a policy refusal exits 1, everything
//! else (usage, configuration, input) exits 2.

use std::fmt;

/// Why a command could not do what it was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The policy refuses the action (self-approval, deploy in a freeze): exit 1.
    Refused,
    /// Bad usage, configuration or input (bad YAML, unknown ID): exit 2.
    Input,
    /// Findings at error severity, already reported on stdout: exit 1, no message.
    Findings,
}

/// An error a user can act on: what went wrong and, where we know, what to do.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Input,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Refused,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// The outcome of a check that found errors; the report itself says what.
    pub fn findings() -> Self {
        Failure {
            kind: Kind::Findings,
            message: "findings at error severity".into(),
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Refused | Kind::Findings => 1,
            Kind::Input => 2,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The failure that decides how an error ends the process, if any in the chain.
pub fn failure_of(err: &anyhow::Error) -> Option<&Failure> {
    err.chain().find_map(|e| e.downcast_ref::<Failure>())
}

/// The exit code for an error: a [`Failure`]'s own, 2 for anything unforeseen.
pub fn exit_code_of(err: &anyhow::Error) -> i32 {
    failure_of(err).map_or(2, Failure::exit_code)
}

/// A closed stdout (`chg list | head`) is not an error worth reporting.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
