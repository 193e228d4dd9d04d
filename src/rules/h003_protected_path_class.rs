//! H003 protected-path-class.

use super::{by_change, short, Register, Report, Rule};
use crate::history::change_key;
use crate::model::Class;
use crate::policy::{requirement, Severity};

pub const RULE: Rule = Rule {
    code: "H003",
    name: "protected-path-class",
    severity: Severity::Error,
    summary: "a commit touching a protected path references no change of the required class",
    doc: "`[commits.protected]` maps globs to what a commit touching them must reference: \
a change of at least `min_class` (standard < normal < major; an emergency counts as \
major) whose record has the fields in `requires` — e.g. `migrations/**` needs a major \
change with rollback artifacts. Reference such a change, or raise the change's class.",
    check,
};

fn rank(class: Class) -> u8 {
    match class {
        Class::Standard => 0,
        Class::Normal => 1,
        Class::Major | Class::Emergency => 2,
    }
}

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let records = by_change(reg);
    for (glob, rule) in &reg.policy.commits.protected {
        let matcher = super::globs(std::slice::from_ref(glob));
        for c in history.commits.iter().filter(|c| !c.is_merge) {
            let Some(path) = c.paths.iter().flatten().find(|p| matcher.is_match(p)) else {
                continue;
            };
            let satisfied = c
                .refs
                .ids
                .iter()
                .filter_map(|id| records.get(&change_key(id)))
                .any(|s| {
                    rule.min_class
                        .is_none_or(|min| rank(s.record.class) >= rank(min))
                        && rule
                            .requires
                            .iter()
                            .all(|n| requirement::is_met(&s.record, n, &reg.policy.risk))
                });
            if !satisfied {
                let min = rule
                    .min_class
                    .map(|c| format!(" {c} or higher"))
                    .unwrap_or_default();
                let needs = if rule.requires.is_empty() {
                    String::new()
                } else {
                    format!(" with {}", rule.requires.join(", "))
                };
                report.commit(
                    &c.id,
                    None,
                    format!(
                        "{} touches {path} (protected by {glob}) but names no{min} change{needs}",
                        short(&c.id)
                    ),
                );
            }
        }
    }
}
