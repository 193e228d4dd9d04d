//! `chg completions`: the script that hooks chg into a shell's completion.
//!
//! The script holds no words of its own: on Tab the shell runs chg again with
//! `COMPLETE=<shell>`, and [`clap_complete::CompleteEnv`] (see `main`) answers from
//! the clap definitions and from the register (change IDs, freeze IDs, ...), so the
//! answers follow the installed chg and the repository the shell is in.

use clap_complete::env::Shells;
use clap_complete::Shell;

/// The environment variable that makes chg answer a completion request.
pub const VAR: &str = "COMPLETE";

/// Print a completion script for SHELL
///
/// Completes subcommands, flags and their values: change and freeze IDs of the
/// repository you are in, classes, outcomes, risk words, environments the policy
/// names, rule codes for --explain, formats. Install it where your shell looks, then
/// start a new shell:
///
///   bash        chg completions bash > ~/.local/share/bash-completion/completions/chg
///   zsh         echo 'source <(chg completions zsh)' >> ~/.zshrc
///               (after `autoload -Uz compinit; compinit` there)
///   fish        chg completions fish > ~/.config/fish/completions/chg.fish
///   powershell  chg completions powershell >> $PROFILE
///   elvish      chg completions elvish >> ~/.config/elvish/rc.elv
///
/// Or load it afresh in each new shell, e.g. `source <(chg completions bash)` in
/// ~/.bashrc. The script calls chg back as found on your PATH, in the directory the
/// shell is in.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[command(
    after_help = "Examples:\n  chg completions bash > ~/.local/share/bash-completion/completions/chg"
)]
pub struct Args {
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let name = args.shell.to_string();
    let shells = Shells::builtins();
    let shell = shells
        .completer(&name)
        .ok_or_else(|| anyhow::anyhow!("no completion support for {name}"))?;
    let mut script = Vec::new();
    shell.write_registration(VAR, "chg", "chg", "chg", &mut script)?;
    crate::render::print(&String::from_utf8_lossy(&script))
}
