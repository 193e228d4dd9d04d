//! `chg man`: manual pages, generated from the same definitions as `--help`.

use crate::context::Output;
use crate::error::Failure;
use anyhow::{Context as _, Result};
use clap::CommandFactory;
use std::path::{Path, PathBuf};

/// Write manual pages for chg and each of its commands into a directory
///
/// One page per command: chg.1, chg-check.1, chg-freeze-start.1 and so on, the
/// text of `--help` in man's format. For example, to read them with `man chg`:
///
///   chg man --out ~/.local/share/man/man1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[command(after_help = "Examples:\n  chg man --out ~/.local/share/man/man1")]
pub struct Args {
    /// The directory to write the pages into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(out: Output, args: Args) -> Result<()> {
    if args.out.exists() && !args.out.is_dir() {
        return Err(Failure::input(format!(
            "--out {}: not a directory; nothing was written",
            args.out.display()
        ))
        .into());
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut written = 0;
    write_pages(&super::Cli::command(), "chg", &args.out, &mut written)?;
    out.status(format_args!(
        "wrote {written} manual pages to {}",
        args.out.display()
    ));
    Ok(())
}

/// Writes the page of `cmd`, named `name`, and those of its subcommands.
fn write_pages(cmd: &clap::Command, name: &str, dir: &Path, written: &mut usize) -> Result<()> {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    let path = dir.join(format!("{name}.1"));
    crate::store::write_atomic(&path, &page)
        .with_context(|| format!("cannot write {}", path.display()))?;
    *written += 1;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
