//! `chg init`: start a change register in this repository.

use super::values;
use crate::context::Output;
use crate::error::Failure;
use crate::git::Git;
use crate::policy::{preset, Policy, FILE_NAME};
use crate::schema;
use crate::store::write_atomic;
use anyhow::{Context as _, Result};
use std::path::Path;

/// Start a change register: write .changes.toml (commented) and .changes/schema.json.
///
/// Refuses to overwrite an existing .changes.toml unless --force is given; records
/// already under .changes/ are never touched. History from before adoption is not
/// held to the policy: each commit is judged by the policy its parent had.
/// The schema lets editors validate records (see `chg schema`).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg init\n  chg init --preset risk-score\n  chg init --example > policy-reference.toml"
)]
pub struct Args {
    /// The policy to start from: default, or one of the five presets modelled on
    /// change-management policies in use (itil-four-class, risk-score, risk-matrix,
    /// pull-request, rfc; see docs/policies.md).
    #[arg(long, default_value = "default", value_name = "NAME", add = values::presets())]
    preset: String,
    /// Overwrite an existing .changes.toml.
    #[arg(long)]
    force: bool,
    /// Print every policy key, documented with its default, and write nothing
    /// (`chg init --example > policy-reference.toml`).
    #[arg(long, conflicts_with_all = ["preset", "force"])]
    example: bool,
}

pub fn run(start: &Path, out: Output, args: Args) -> Result<()> {
    if args.example {
        return crate::render::print(crate::policy::EXAMPLE);
    }
    let git = Git::discover(start)?;
    let text = preset::text(&args.preset).ok_or_else(|| {
        Failure::input(format!("no preset named `{}`", args.preset))
            .hint(format!("presets:\n  {}", preset::list().join("\n  ")))
    })?;
    crate::untrusted::require_inside(git.root(), FILE_NAME)?;
    let policy_path = git.root().join(FILE_NAME);
    if policy_path.exists() && !args.force {
        return Err(Failure::input(format!(
            "already initialised: {FILE_NAME} exists; nothing was written"
        ))
        .hint(format!(
            "`chg init --force` overwrites {FILE_NAME} (records under .changes/ are kept)"
        ))
        .into());
    }
    let policy = Policy::from_toml(text)
        .map_err(|e| anyhow::anyhow!("preset {} is invalid: {e}", args.preset))?;
    crate::untrusted::require_inside(git.root(), &policy.changes.dir)?;
    // Editors validate records against the schema; it also keeps the records
    // directory in a fresh clone, as git does not track empty directories.
    let schema_path = schema::write(git.root(), &policy)?;
    write_atomic(&policy_path, text.as_bytes())
        .with_context(|| format!("cannot write {FILE_NAME}"))?;
    out.status(format_args!(
        "wrote {FILE_NAME} (preset {}) and {schema_path}; commit them, then `chg new` proposes a change",
        args.preset
    ));
    Ok(())
}
