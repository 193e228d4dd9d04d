//! `chg evidence`: record evidence the policy's stage gates or a class's `requires` ask for.

use super::args::{keyword, text};
use super::lifecycle::apply_quietly;
use super::values;
use crate::context::Context;
use crate::model::ChangeId;
use crate::policy::gates;
use crate::workflow::{self, EvidenceInput};
use anyhow::Result;

/// Record evidence a gate or requirement asks for, e.g. tests passed or a backup taken.
///
/// It is kept in `gate_evidence` with who recorded it and when, outside what approvals
/// cover, so it can follow approval without making the approvals stale.
///
/// `chg submit` refuses while the class's `requires` ([classes.<class>] in .changes.toml)
/// lists `evidence:<kind>` not yet recorded; `chg start`, `deploy`, `verify`, `review`
/// and `close` refuse while the class's gates ([classes.<class>.gates]) ask for evidence
/// not recorded by then. `chg audit` and `chg log` list what was recorded.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg evidence CHG-2026-0001 --kind tests-passed --ref https://ci.example.com/runs/812"
)]
pub struct Args {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// What the evidence shows, as gates and `requires` name it: `--kind tests-passed`
    /// meets `evidence:tests-passed`.
    #[arg(long, value_parser = kind)]
    kind: String,
    /// Where the evidence is, e.g. a CI run's URL.
    #[arg(long = "ref", value_name = "REF")]
    reference: Option<String>,
    /// What was seen (or @FILE); needed when there is no --ref.
    #[arg(long, value_parser = text)]
    note: Option<String>,
}

/// A kind: one word, as it is written after `evidence:` in a gate.
fn kind(s: &str) -> Result<String, String> {
    gates::check_kind(s).map(|()| s.to_string())
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let kind = args.kind.clone();
    let input = EvidenceInput {
        kind: args.kind,
        reference: args.reference,
        note: args.note,
    };
    let (record, _) = apply_quietly(ctx, &args.id, |r, a| workflow::record_evidence(r, a, input))?;
    ctx.out
        .status(format_args!("{}: evidence {kind} recorded", record.id));
    if !ctx.policy.asks_for_evidence(&record, &kind) {
        ctx.out.warn(format_args!(
            "neither the requires nor a gate of a {} change{} asks for evidence:{kind}; \
             check the kind for a typo ([classes.{}] in .changes.toml)",
            record.class,
            ctx.policy
                .risk_level(&record)
                .map_or(String::new(), |l| format!(" at {l} risk")),
            record.class
        ));
    }
    crate::render::print(&format!("{} {}", record.id, record.status))
}
