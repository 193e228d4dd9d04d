//! chg's git hooks: where git runs them, installing and removing chg's own, and the
//! checks each runs. The commit hooks judge the commit being made from the index
//! and its message, reading only the records it changes or names; pre-push runs the
//! engine of `chg check --range` over what a push sends. None reads the whole history.

pub mod commit_msg;
mod install;
pub mod message;
pub mod pre_commit;
pub mod pre_push;
pub mod staged;

pub use install::{install, installed, this, uninstall, Installed, Slot};

use crate::model::ChangeId;
use crate::policy::{Policy, Severity};
use crate::rules::{self, Finding};

/// What a hook found, and how many records it read to find it.
#[derive(Debug, Default)]
pub struct Verdict {
    pub findings: Vec<Finding>,
    pub records: usize,
    /// What the person committing or pushing should know about what was checked.
    pub notes: Vec<String>,
}

/// Findings of `chg check`'s rules about the commit being made, at the policy's
/// severities: a rule turned off finds nothing, so hooks and CI agree.
pub struct Findings<'p> {
    policy: &'p Policy,
    found: Vec<Finding>,
}

impl<'p> Findings<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        Findings {
            policy,
            found: Vec::new(),
        }
    }

    /// A finding of rule `code` (a code of the registry), about a change or a path.
    pub fn add(
        &mut self,
        code: &str,
        record: Option<&ChangeId>,
        path: Option<&str>,
        message: impl Into<String>,
    ) {
        let rule = rules::find(code).expect("hooks report only registered rules");
        let severity = rules::severity(self.policy, rule);
        if severity == Severity::Off {
            return;
        }
        self.found.push(Finding {
            rule: rule.code,
            name: rule.name,
            severity,
            record: record.map(ToString::to_string),
            commit: None,
            path: path.map(str::to_string),
            line: None,
            message: message.into(),
        });
    }

    /// Findings the rule engine already reported at the policy's severities.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.found.extend(findings);
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.found
    }
}
