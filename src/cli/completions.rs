//! `chg completions`: shell completion scripts, generated from the clap definitions.

use clap::CommandFactory;
use clap_complete::Shell;

/// Print a completion script for SHELL
///
/// Install it where your shell looks, then start a new shell:
///
///   bash        chg completions bash > ~/.local/share/bash-completion/completions/chg
///   zsh         chg completions zsh > ~/.zfunc/_chg
///               (with `fpath+=~/.zfunc; autoload -Uz compinit; compinit` in ~/.zshrc)
///   fish        chg completions fish > ~/.config/fish/completions/chg.fish
///   powershell  chg completions powershell >> $PROFILE
///   elvish      chg completions elvish >> ~/.config/elvish/rc.elv
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
    // Generated into memory: clap_complete panics on a write error, and printing
    // through `render` makes a closed pipe (`| head`) harmless as everywhere else.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "chg", &mut script);
    crate::render::print(&String::from_utf8_lossy(&script))
}
