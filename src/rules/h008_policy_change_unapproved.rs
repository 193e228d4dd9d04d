//! H008 policy-change-unapproved.

use super::{Register, Report, Rule};
use crate::policy::Severity;

pub const RULE: Rule = Rule {
    code: "H008",
    name: "policy-change-unapproved",
    severity: Severity::Error,
    summary: "a commit changed the policy or the signers file without an approved change behind it",
    doc: "The policy (`.changes.toml`) decides who may approve, what each class needs and \
which history is checked (`[changes] baseline`); the signers file decides whose signature \
counts. Changing either is a change like any other, and the most sensitive one: a commit \
that edits them must name a change of a class `[changes] policy_classes` lists (default \
normal and major) whose record is approved in the tree of the mainline commit that brings \
the edit in. Adding the policy for the first time (adopting chg) is not a change of it. \
Propose the policy change with `chg new`, have it approved, and name it in the commit.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    for g in history.guarded.iter().filter(|g| !g.lacking.is_empty()) {
        report.commit(
            &g.commit,
            None,
            format!(
                "{} changes the policy or the signers file, but {}",
                g.commit.short(),
                g.lacking
            ),
        );
    }
}
