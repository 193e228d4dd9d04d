//! A001 adr-missing.

use super::{is_proposed, Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "A001",
    name: "adr-missing",
    severity: Severity::Error,
    summary: "the class requires an ADR and none is linked",
    doc: "The policy lists `adrs` in the class's `requires`: changes of this class alter \
architecture, schema, security controls or boundaries and must create or update an \
architecture decision record. Write the ADR and link it under `adrs`.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    for stored in reg.records.iter().filter(|s| is_proposed(&s.record)) {
        let r = &stored.record;
        if r.adrs.is_empty()
            && reg
                .policy
                .class(r.class)
                .requires
                .iter()
                .any(|n| n == "adrs")
        {
            report.on(stored, format!("a {} change must link an ADR", r.class));
        }
    }
}
