//! H002 missing-change-reference.

use super::{Register, Report, Rule};
use crate::history::{CommitFacts, History};
use crate::policy::{Need, Policy, Severity};
use globset::GlobSet;

pub const RULE: Rule = Rule {
    code: "H002",
    name: "missing-change-reference",
    severity: Severity::Error,
    summary: "a commit that needs a reference has none",
    doc: "With `[commits] reference = \"required\"`, every commit must name the change it \
implements — in the subject or body by the policy's pattern, or with a `Change: <ID>` \
trailer — unless every path it touches matches `[commits] exempt` or lies in the \
records directory (records and freezes are the register's own business). Each commit is held \
to the policy as it stood in its parent, so commits from before the policy (or before \
references were required) need none. Merge commits need none either: the commits they \
bring in carry the references — except a merge that brings in commits judged otherwise \
(made where no policy stood yet, or under other rules for commits), which answers for \
them. Amend \
the message, or reword the commits of the branch before it is merged.",
    check,
};

/// The policy's demand for references, its exempt globs compiled once. The commit-msg
/// hook judges the commit being made by it too, so it is reached through the policy.
pub(crate) struct ReferenceDemand {
    exempt: GlobSet,
}

impl Policy {
    /// What H002 asks of a commit; `None` when references are optional. A commit
    /// that changes only records and freezes is the register's own business (a
    /// proposal, a freeze declared), never work that needs a change.
    pub(crate) fn reference_demand(&self) -> Option<ReferenceDemand> {
        (self.commits.reference == Need::Required).then(|| {
            let register = format!("{}/**", self.changes.dir.trim_end_matches('/'));
            let exempt: Vec<String> = (self.commits.exempt.iter().cloned())
                .chain([register])
                .collect();
            ReferenceDemand {
                exempt: super::globs(&exempt),
            }
        })
    }
}

impl ReferenceDemand {
    /// Whether a (non-merge) commit changing `paths` must name a change: unless every
    /// path is exempt. A commit that changes nothing is not exempt.
    pub(crate) fn applies_to(&self, paths: &[String]) -> bool {
        paths.is_empty() || !paths.iter().all(|p| self.exempt.is_match(p))
    }
}

/// The commits H002 reports: commits judged as work of their own that the policy in
/// force for them asks a reference of, and that name none.
pub(crate) fn unreferenced(history: &History) -> impl Iterator<Item = &CommitFacts> {
    let demands: Vec<_> = history
        .policies
        .iter()
        .map(Policy::reference_demand)
        .collect();
    history.commits.iter().filter(move |c| {
        let demand = c.under(&demands).and_then(Option::as_ref);
        c.stands_alone()
            && c.refs().ids.is_empty()
            && demand.is_some_and(|d| d.applies_to(c.paths()))
    })
}

fn check(reg: &Register, report: &mut Report) {
    let Some(history) = reg.history else { return };
    for c in unreferenced(history) {
        report.commit(
            &c.id,
            None,
            format!("{} \"{}\" names no change", c.id.short(), c.subject()),
        );
    }
}
