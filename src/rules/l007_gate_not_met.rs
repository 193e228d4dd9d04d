//! L007 gate-not-met.

use super::{moves_made, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "L007",
    name: "gate-not-met",
    severity: Severity::Error,
    summary: "a move was made without what the class's gate asks for at that move",
    doc: "`[classes.<class>.gates]` (and `gates_by_risk.<level>` for a risk level) name what \
must be on the record when a move after approval is made: e.g. no deployment to production before regression tests passed, the \
change ran in a test environment and its rollback was tested; a backup taken before \
deployment; no change closed before its documentation is updated. A move \
was made while its gate lacked something. The command making the move refuses that; this \
catches a record edited by hand. \
Each move is judged at its own time: a deployment by its entry in `deployments` (`deploy` and \
`deploy:<environment>` gates), the review by `review.at`, other moves by their transition. \
`evidence:<kind>` counts evidence given with the proposal (`evidence`) or recorded by then \
(`gate_evidence`, `chg evidence`); `deployed:<env>` a successful deployment there by then; a \
field (`rollback.tested`, `schedule`, `emergency.root_cause`) counts as the record stands now. \
The times are the record's own, which a hand edit can move: history is not read here. \
Moves made before the class's `gates_since` day are not judged; without it, moves made \
before the gates were written are judged against them too. \
The finding cannot be cleared by later work, and it should not be: it is the audit trail \
of that move. Evidence recorded now with `chg evidence` is stamped now, after the move, \
and a closed change takes none; record it anyway while the change is under way, so the \
record is complete. If the policy's gates were added after the move, set `gates_since` in \
`[classes.<class>]` to the day they were adopted. If moves without their gate are \
accepted, lower the rule's severity (`[rules] L007 = \"warning\"`).",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records {
        let record = &stored.record;
        for (act, _, at) in moves_made(record) {
            let unmet = reg.policy.gate_unmet(record, act, at);
            if !unmet.is_empty() {
                report.on(
                    stored,
                    format!(
                        "the move {}{} at {at} lacked what its gate asks for: {}",
                        act.verb,
                        act.destination(),
                        unmet.join(", ")
                    ),
                );
            }
        }
    }
}
