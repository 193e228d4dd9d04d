//! A004 adr-not-accepted.

use super::{is_proposed, Register, Report, Rule};
use crate::adr::{self, locate};
use crate::model::lifecycle::is_approved;
use crate::model::Status;
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A004",
    name: "adr-not-accepted",
    severity: Severity::Error,
    summary: "a change rests on an ADR that is not accepted",
    doc: "A change past draft rests on the decisions its `adrs` link. While it is submitted \
or in review, its ADR may still be proposed (status proposed, draft or pending): the \
decision and the change are often approved together. An ADR whose status is anything else \
not in `[adr] accepted` (default: accepted) — rejected, superseded, deprecated — is a \
finding. From approval until the change is deployed (approved, scheduled, implementing, \
deployed), every ADR must be accepted. A verified, rolled back or closed change is not \
judged: a decision superseded after the work was done does not undo it. An ADR that \
states no status is not judged here; list Status in `[adr] sections` to require one \
(A003). Accept the ADR, or link the one that supersedes it.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let accepted = &reg.policy.adr.accepted;
    for stored in reg.records.iter().filter(|s| is_proposed(&s.record)) {
        let status = stored.record.status;
        if matches!(
            status,
            Status::Verified | Status::RolledBack | Status::Closed
        ) {
            continue;
        }
        let owes_accepted = is_approved(status);
        for path in &stored.record.adrs {
            let Some((found, text)) = locate::load(reg.tree, &reg.policy.adr, path) else {
                continue;
            };
            let adr = adr::parse(&text);
            let Some(said) = adr.status.as_deref() else {
                continue;
            };
            if adr.is_accepted(accepted) || (!owes_accepted && adr.is_pending()) {
                continue;
            }
            report.at(
                Some(stored.record.id.to_string()),
                Some(found.clone()),
                None,
                format!(
                    "ADR {found} is \"{said}\", not {}, yet the change is {status}",
                    accepted.join(" or ")
                ),
            );
        }
    }
}
