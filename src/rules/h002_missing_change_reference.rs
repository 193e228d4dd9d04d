//! H002 missing-change-reference.

use super::{short, Register, Report, Rule};
use crate::policy::{ReferenceRule, Severity};

pub const RULE: Rule = Rule {
    code: "H002",
    name: "missing-change-reference",
    severity: Severity::Error,
    summary: "a commit that needs a reference has none",
    doc: "With `[commits] reference = \"required\"`, every commit must name the change it \
implements — in the subject or body by the policy's pattern, or with a `Change: <ID>` \
trailer — unless every path it touches matches `[commits] exempt`. Merge commits need \
none: the commits they bring in carry the references. Amend the message, or reword the \
commits of the branch before it is merged.",
    check,
};

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    if reg.policy.commits.reference != ReferenceRule::Required {
        return;
    }
    let exempt = super::globs(&reg.policy.commits.exempt);
    for c in history
        .commits
        .iter()
        .filter(|c| !c.is_merge && c.refs.ids.is_empty())
    {
        let paths = c.paths.as_deref().unwrap_or_default();
        if paths.is_empty() || !paths.iter().all(|p| exempt.is_match(p)) {
            report.commit(
                &c.id,
                None,
                format!("{} \"{}\" names no change", short(&c.id), c.subject),
            );
        }
    }
}
