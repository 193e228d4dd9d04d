//! Which roles must approve a change, and where its approvals stand.

use super::Policy;
use crate::model::record::Approval;
use crate::model::{digest, ChangeRecord, Decision};

/// Why a change needs no approver at all, if it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiver {
    /// The class is pre-approved (standard changes).
    PreApproved,
    /// The risk level is one the policy auto-approves (seed 002: low risk).
    AutoApproved,
}

/// Where a record's approvals stand under the policy, against its current content.
#[derive(Debug, Clone)]
pub struct ApprovalState<'a> {
    pub waiver: Option<Waiver>,
    /// Roles that must approve: the class's, plus those its risk level adds.
    pub required: Vec<String>,
    /// Approvals given to the content as it is now.
    pub current: Vec<&'a Approval>,
    /// Approvals given to content that has since changed.
    pub stale: Vec<&'a Approval>,
    /// Required roles with no current approval.
    pub missing: Vec<String>,
}

impl ApprovalState<'_> {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Required roles for `record`, or why none are.
pub fn requirement(record: &ChangeRecord, policy: &Policy) -> (Option<Waiver>, Vec<String>) {
    let rules = policy.class(record.class);
    if rules.pre_approved {
        return (Some(Waiver::PreApproved), Vec::new());
    }
    let level = policy.risk.effective(&record.risk);
    if level.is_some_and(|l| policy.approvals.auto_approve.contains(&l)) {
        return (Some(Waiver::AutoApproved), Vec::new());
    }
    let mut roles = rules.approvals;
    for role in level
        .and_then(|l| policy.approvals.by_risk.get(&l))
        .into_iter()
        .flatten()
    {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    (None, roles)
}

pub fn state<'a>(record: &'a ChangeRecord, policy: &Policy) -> ApprovalState<'a> {
    let (waiver, required) = requirement(record, policy);
    let digest = digest::of(record);
    let (current, stale): (Vec<&Approval>, Vec<&Approval>) = record
        .approvals
        .iter()
        .filter(|a| a.decision == Decision::Approved)
        .partition(|a| a.digest.as_deref() == Some(digest.as_str()));
    let missing = required
        .iter()
        .filter(|role| !current.iter().any(|a| &a.role == *role))
        .cloned()
        .collect();
    ApprovalState {
        waiver,
        required,
        current,
        stale,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Impact, Likelihood};

    fn record(class: Class) -> ChangeRecord {
        let mut r = crate::model::record::sample(class);
        r.risk.likelihood = Some(Likelihood::Likely);
        r.risk.impact = Some(Impact::Major); // high
        r
    }

    const POLICY: &str = r#"
        [roles]
        lead = ["lee@x"]
        security = ["sam@x"]
        [classes.normal]
        approvals = ["lead"]
        [approvals]
        auto_approve = ["low"]
        [approvals.by_risk]
        high = ["security", "lead"]
    "#;

    #[test]
    fn required_roles_are_the_class_s_and_the_risk_level_s() {
        let policy = Policy::from_toml(POLICY).unwrap();
        assert_eq!(
            requirement(&record(Class::Normal), &policy),
            (None, vec!["lead".into(), "security".into()])
        );
        assert_eq!(
            requirement(&record(Class::Standard), &policy).0,
            Some(Waiver::PreApproved)
        );
        let mut low = record(Class::Normal);
        low.risk.likelihood = Some(Likelihood::Rare);
        low.risk.impact = Some(Impact::Minor);
        assert_eq!(
            requirement(&low, &policy),
            (Some(Waiver::AutoApproved), vec![])
        );
    }

    #[test]
    fn an_approval_goes_stale_when_the_content_changes() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = record(Class::Normal);
        for role in ["lead", "security"] {
            r.approvals.push(Approval {
                role: role.into(),
                by: "x@x".into(),
                at: "2026-11-21T11:00:00Z".parse().unwrap(),
                decision: Decision::Approved,
                comment: None,
                digest: Some(digest::of(&r)),
            });
        }
        assert!(state(&r, &policy).is_complete());
        r.description = Some("edited after approval".into());
        let s = state(&r, &policy);
        assert_eq!(s.stale.len(), 2);
        assert_eq!(s.missing, ["lead", "security"]);
    }
}
