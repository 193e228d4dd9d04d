//! The `chg` binary: parse, run, and turn an error into a message and an exit code.

use chg::cli::{run, Cli, COMPLETE_VAR};
use chg::error::{exit_code_of, failure_of, is_broken_pipe, Kind};
use chg::render::Shown;
use clap::{CommandFactory, Parser};

fn main() {
    // Answers the shell's completion request (COMPLETE set) and exits; otherwise a no-op.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .complete();
    let cli = Cli::parse();
    let color = cli.global.output().stderr_color;
    let code = match run(cli) {
        Ok(()) => 0,
        Err(err) if is_broken_pipe(&err) => 0,
        Err(err) if failure_of(&err).is_some_and(|f| f.kind == Kind::Findings) => 1,
        Err(err) => {
            report(&err, color);
            exit_code_of(&err)
        }
    };
    std::process::exit(code);
}

/// `error: <message>`, then each cause, then hints — as cargo and jj print them.
fn report(err: &anyhow::Error, color: bool) {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    // Errors quote what they could not read: printed escaped, as all record text is.
    eprintln!("{} {}", paint("1;31", "error:"), Shown(&err.to_string()));
    let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
    if !causes.is_empty() {
        eprintln!("\nCaused by:");
        for cause in causes {
            eprintln!("  {}", Shown(&cause));
        }
    }
    if let Some(failure) = failure_of(err) {
        for hint in &failure.hints {
            eprintln!("{} {}", paint("1;36", "hint:"), Shown(hint));
        }
    }
}
