//! H003 protected-path-class.

use super::{by_change, Register, Report, Rule};
use crate::model::{ChangeRecord, Class};
use crate::policy::{approval, requirement, Policy, Protected, Severity};
use globset::GlobSet;

pub const RULE: Rule = Rule {
    code: "H003",
    name: "protected-path-class",
    severity: Severity::Error,
    summary: "a commit touching a protected path references no change of the required class",
    doc: "`[commits.protected]` maps globs to what a commit touching them must reference: \
a change of at least `min_class` (standard < normal < major; an emergency counts as \
major) whose record has the fields in `requires` — e.g. `migrations/**` needs a major \
change with rollback artifacts — and, with `approvals`, one those roles must approve \
(e.g. database changes reviewed by a DBA). A change comes to need a role by its \
class, its risk, or an impact area it declares (`[approvals.by_impact]`), so the approval stays bound to the record's content. Reference such a change, raise \
its class, or declare its impact area (`chg assess <ID> --impact-area AREA`).",
    check,
};

fn rank(class: Class) -> u8 {
    match class {
        Class::Standard => 0,
        Class::Normal => 1,
        Class::Major | Class::Emergency => 2,
    }
}

/// One `[commits.protected]` entry, its glob compiled once. The git hooks judge the
/// commit being made by it too, so it is reached through the policy.
pub(crate) struct Protection<'a> {
    pub glob: &'a str,
    rule: &'a Protected,
    matcher: GlobSet,
    policy: &'a Policy,
}

impl Policy {
    /// The protected paths of H003, in the policy's order.
    pub(crate) fn protections(&self) -> Vec<Protection<'_>> {
        self.commits
            .protected
            .iter()
            .map(|(glob, rule)| Protection {
                glob,
                rule,
                matcher: super::globs(std::slice::from_ref(glob)),
                policy: self,
            })
            .collect()
    }
}

impl Protection<'_> {
    /// The first of `paths` under this protection.
    pub(crate) fn touched<'p>(&self, paths: &'p [String]) -> Option<&'p str> {
        paths
            .iter()
            .find(|p| self.matcher.is_match(p))
            .map(String::as_str)
    }

    /// Whether a commit naming this change may touch the protected paths: its class,
    /// its fields, and the roles that must approve it (content-bound, like every
    /// approval: a change comes to need them by its class, risk or impact areas).
    pub(crate) fn admits(&self, record: &ChangeRecord) -> bool {
        let approvers = if self.rule.approvals.is_empty() {
            Vec::new()
        } else {
            approval::requirement(record, self.policy).1
        };
        self.rule
            .min_class
            .is_none_or(|min| rank(record.class) >= rank(min))
            && self
                .rule
                .requires
                .iter()
                .all(|n| requirement::is_met(record, n, &self.policy.risk))
            && (self.rule.approvals.iter()).all(|want| approvers.iter().any(|n| n.implies(want)))
    }

    /// What it asks for: "change", "major or higher change with rollback.artifacts",
    /// "change that dba approves".
    pub(crate) fn wants(&self) -> String {
        let min = self
            .rule
            .min_class
            .map(|c| format!("{c} or higher "))
            .unwrap_or_default();
        let needs = if self.rule.requires.is_empty() {
            String::new()
        } else {
            format!(" with {}", self.rule.requires.join(", "))
        };
        let approved = match self.rule.approvals.as_slice() {
            [] => String::new(),
            needs => {
                let needs: Vec<String> = needs.iter().map(|n| n.to_string()).collect();
                format!(" that {} must approve", needs.join(" and "))
            }
        };
        format!("{min}change{needs}{approved}")
    }

    /// To follow a message: the impact areas that call for the approvers it wants
    /// (empty when none does).
    pub(crate) fn remedy(&self) -> String {
        let areas: Vec<&str> = (self.policy.approvals.by_impact.iter())
            .filter(|(_, needs)| {
                (needs.iter()).any(|n| self.rule.approvals.iter().any(|want| n.implies(want)))
            })
            .map(|(area, _)| area.as_str())
            .collect();
        if areas.is_empty() {
            return String::new();
        }
        format!(
            "; a change declaring impact area {} (`chg assess <ID> --impact-area`) needs them",
            areas.join(" or ")
        )
    }
}

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    let records = by_change(reg);
    let protections: Vec<_> = history.policies.iter().map(Policy::protections).collect();
    for c in history.commits.iter().filter(|c| c.stands_alone()) {
        for protection in c.under(&protections).into_iter().flatten() {
            let Some(path) = protection.touched(c.paths()) else {
                continue;
            };
            let satisfied = c
                .refs()
                .ids
                .iter()
                .filter_map(|id| records.get(&id.key()))
                .any(|s| protection.admits(&s.record));
            if !satisfied {
                report.commit(
                    &c.id,
                    None,
                    format!(
                        "{} touches {path} (protected by {}) but names no {}{}",
                        c.id.short(),
                        protection.glob,
                        protection.wants(),
                        protection.remedy()
                    ),
                );
            }
        }
    }
}
