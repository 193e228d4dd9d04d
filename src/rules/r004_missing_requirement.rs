//! R004 missing-requirement.

use super::{is_proposed, Register, Report, Rule};
use crate::policy::{requirement, Severity};

pub const RULE: Rule = Rule {
    code: "R004",
    name: "missing-requirement",
    severity: Severity::Error,
    summary: "a field or evidence the class requires is empty, once past draft",
    doc: "The policy's `[classes.<class>] requires` lists fields and `evidence:<kind>` a \
change must carry before it leaves draft. `chg submit` enforces this; the rule catches \
records submitted by hand or emptied afterwards. A field holding only a placeholder \
(`TBD`, `TBC`, `TBA`, `TODO`, `FIXME`, `XXX`, `WIP`) or punctuation (a lone `-`) is empty; \
the same holds for review and retrospective fields. A missing rollback plan is R005 and a \
missing ADR is A001. Fill the fields with `chg edit <ID>`.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records.iter().filter(|s| is_proposed(&s.record)) {
        let r = &stored.record;
        let missing: Vec<String> = reg
            .policy
            .class(r.class)
            .requires
            .into_iter()
            .filter(|n| n != "adrs" && !requirement::is_rollback_plan(n))
            .filter(|n| !requirement::is_met(r, n, &reg.policy.risk))
            .collect();
        if !missing.is_empty() {
            report.on(
                stored,
                format!("a {} change needs {}", r.class, missing.join(", ")),
            );
        }
    }
}
