//! Stage gates at the moves they hold, and the evidence recorded for them after
//! approval (`chg evidence`). See ADR 10.

use super::{ensure_consistent, Actor};
use crate::error::Failure;
use crate::model::record::GateEvidence;
use crate::model::{ChangeRecord, Status};
use crate::policy::moves::Act;
use crate::policy::Policy;

/// Refuses `act` on `record` while its gates ask for something the record lacks;
/// `doing` is the move as a participle ("deployed").
pub(super) fn ensure_gate(
    record: &ChangeRecord,
    policy: &Policy,
    act: Act,
    actor: &Actor,
    doing: &str,
) -> Result<(), Failure> {
    let unmet = policy.gate_unmet(record, act, actor.at);
    if unmet.is_empty() {
        return Ok(());
    }
    let mut failure = Failure::refused(format!(
        "{} cannot be {doing}{} yet: its gate asks for {}",
        record.id,
        act.destination(),
        unmet.join(", ")
    ));
    failure = with_evidence_hint(failure, record, &unmet);
    if unmet.iter().any(|i| i == "schedule") {
        failure = failure.hint(format!(
            "`chg schedule {} --start <time>` sets the schedule",
            record.id
        ));
    }
    if unmet.iter().any(|i| i.starts_with("deployed:")) {
        failure =
            failure.hint("deployed:<env> is a successful `chg deploy --env <env>` made first");
    }
    Err(failure.hint(format!(
        "[classes.{}.gates] in .changes.toml says what each move needs",
        record.class
    )))
}

/// `failure` with a hint naming the `chg evidence` that records each `evidence:<kind>`
/// of `unmet`, if any (a gate's or a class's `requires`).
pub(super) fn with_evidence_hint(
    failure: Failure,
    record: &ChangeRecord,
    unmet: &[String],
) -> Failure {
    let kinds: Vec<&str> = unmet
        .iter()
        .filter_map(|i| i.strip_prefix("evidence:"))
        .collect();
    match kinds.as_slice() {
        [] => failure,
        [kind] => failure.hint(format!(
            "`chg evidence {} --kind {kind} --ref <url>` records it",
            record.id
        )),
        _ => failure.hint(format!(
            "`chg evidence {} --kind <kind> --ref <url>` records each of: {}",
            record.id,
            kinds.join(", ")
        )),
    }
}

/// What `chg evidence` records.
#[derive(Debug, Clone)]
pub struct EvidenceInput {
    pub kind: String,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Appends gate evidence by `actor` to a change still under way. Evidence given with
/// the proposal belongs in `evidence`, which approvals cover; this list is outside
/// them, so recording it after approval leaves the approvals current.
pub fn record_evidence(
    record: &mut ChangeRecord,
    actor: &Actor,
    input: EvidenceInput,
) -> Result<(), Failure> {
    ensure_consistent(record)?;
    if matches!(
        record.status,
        Status::Closed | Status::Cancelled | Status::Rejected
    ) {
        return Err(Failure::refused(format!(
            "{} is {}: evidence is recorded for a change still under way",
            record.id, record.status
        )));
    }
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&input.reference) && blank(&input.note) {
        return Err(Failure::input(
            "evidence needs --ref (where it is, e.g. a CI run's URL) or --note (what was seen)",
        ));
    }
    record.gate_evidence.push(GateEvidence {
        kind: input.kind,
        at: actor.at,
        by: actor.who.email.clone(),
        reference: input.reference,
        note: input.note,
    });
    Ok(())
}
