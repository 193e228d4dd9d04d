//! P007 move-not-permitted.

use super::{moves_made, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "P007",
    name: "move-not-permitted",
    severity: Severity::Error,
    summary: "a move was made by someone `[moves]` does not give it to",
    doc: "`[moves]` (and `[classes.<class>.moves]`) name the roles that may make a lifecycle \
move: e.g. only one role deploys to production, or the change owner reviews \
the change and the CTO/CISO closes it. `\"owner\"` stands for the change's \
`owner` (else its author). A move was made by someone in none of its roles. The command \
making the move refuses that; this catches a record edited by hand. \
Each move is judged where the record keeps who made it: a deployment by its entry in \
`deployments` (which names the environment, for `deploy:<environment>` keys), the review by \
`review.by`, every other move by its transition in `transitions` (`chg approve` is not a \
move here: approvals have their own rules, P001 to P004). \
Roles are judged as `.changes.toml` stands now, and the owner as the record says now, not \
as they stood when the move was made (P002 reads the roster of the time from history; P007 \
does not yet): when someone leaves a role, the moves they made in it become findings.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let record = &stored.record;
        for (act, by, at) in moves_made(record) {
            if let Err(who) = reg.policy.may_make(record, act, by) {
                report.on(
                    stored,
                    format!(
                        "{by} made the move {}{} at {at}, which the policy leaves to {who}",
                        act.verb,
                        act.destination()
                    ),
                );
            }
        }
    }
}
