//! The risk level a change is held to. A requester may declare a level above the
//! derived one, but not below it on their own: a lower declared level counts only once
//! someone in a `[risk] authority` role has approved the record as it stands.

use super::Policy;
use crate::model::record::same_email;
use crate::model::{digest, ChangeRecord, Decision, RiskLevel};
use serde::Serialize;

/// A record's risk level under the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The level approvals, waivers, gates, windows and SLAs are held to.
    pub level: Option<RiskLevel>,
    /// A declared level below the derived one that no risk authority has accepted:
    /// `(declared, derived)`. While it is, the derived level counts.
    pub unaccepted: Option<(RiskLevel, RiskLevel)>,
}

/// Why the level that counts is the one it is: how the declared and derived levels
/// compare, and whether a lower declared one was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Neither declared nor derivable: no level counts.
    NotAssessed,
    /// Only derived: the derived level counts.
    Derived,
    /// Declared, and the same as derived.
    Matches,
    /// Declared above the derived level: the declared one counts.
    DeclaredAbove,
    /// Declared below the derived level and accepted by the risk authority: the
    /// declared one counts.
    Accepted,
    /// Declared below the derived level and not accepted: the derived one counts.
    Unaccepted,
    /// Declared, with too little assessed to derive: the declared one counts.
    Underivable,
}

impl Policy {
    /// How `record`'s level that counts came about (see [`Policy::risk_standing`]).
    pub fn risk_basis(&self, record: &ChangeRecord) -> Basis {
        match (record.risk.level, self.risk.derive(&record.risk)) {
            (None, None) => Basis::NotAssessed,
            (None, Some(_)) => Basis::Derived,
            (Some(_), None) => Basis::Underivable,
            (Some(l), Some(d)) if l == d => Basis::Matches,
            (Some(l), Some(d)) if l > d => Basis::DeclaredAbove,
            // Declared below the derived level: it counts once the authority accepted it.
            _ if self.risk_accepted(record) => Basis::Accepted,
            _ => Basis::Unaccepted,
        }
    }

    /// Where `record`'s risk level stands: the higher of the declared and derived
    /// levels, unless the risk authority accepted the lower declared one.
    pub fn risk_standing(&self, record: &ChangeRecord) -> Standing {
        let claimed = self.risk.effective(&record.risk);
        let lowered = record
            .risk
            .level
            .zip(self.risk.derive(&record.risk))
            .filter(|(declared, derived)| declared < derived);
        match lowered {
            Some((_, derived)) if !self.risk_accepted(record) => Standing {
                level: Some(derived),
                unaccepted: lowered,
            },
            _ => Standing {
                level: claimed,
                unaccepted: None,
            },
        }
    }

    /// The level that counts for `record` (see [`Policy::risk_standing`]).
    pub fn risk_level(&self, record: &ChangeRecord) -> Option<RiskLevel> {
        self.risk_standing(record).level
    }

    /// Whether someone other than the author, in a risk authority role, approved the
    /// record's current content in that role.
    fn risk_accepted(&self, record: &ChangeRecord) -> bool {
        if self.risk.authority.is_empty() {
            return false;
        }
        let digest = digest::of(record);
        record.approvals.iter().any(|a| {
            a.decision == Decision::Approved
                && a.digest.as_deref() == Some(digest.as_str())
                && self.risk.authority.contains(&a.role)
                && self.is_member(&a.role, &a.by)
                && !same_email(&a.by, record.author_email())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::approve;
    use crate::model::{Class, Impact, Likelihood};

    const POLICY: &str = r#"
        [roles]
        cab = ["cat@x"]
        [risk]
        authority = ["cab"]
    "#;

    /// Derived critical, declared low with a justification.
    fn lowered() -> ChangeRecord {
        let mut r = crate::model::record::sample(Class::Normal);
        r.risk.likelihood = Some(Likelihood::AlmostCertain);
        r.risk.impact = Some(Impact::Catastrophic);
        r.risk.level = Some(RiskLevel::Low);
        r.risk.justification = Some("behind a flag".into());
        r
    }

    #[test]
    fn a_lower_declared_level_counts_only_once_the_authority_accepts_it() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = lowered();
        let pending = policy.risk_standing(&r);
        assert_eq!(pending.level, Some(RiskLevel::Critical));
        assert_eq!(
            pending.unaccepted,
            Some((RiskLevel::Low, RiskLevel::Critical))
        );
        approve(&mut r, "cab", "cat@x", None);
        assert_eq!(
            policy.risk_standing(&r),
            Standing {
                level: Some(RiskLevel::Low),
                unaccepted: None
            }
        );
        // An edit after the acceptance makes it stale: the higher level is back.
        r.description = Some("now also drops a table".into());
        assert_eq!(policy.risk_level(&r), Some(RiskLevel::Critical));
    }

    #[test]
    fn the_basis_says_which_level_counts_and_why() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = lowered();
        assert_eq!(policy.risk_basis(&r), Basis::Unaccepted);
        approve(&mut r, "cab", "cat@x", None);
        assert_eq!(policy.risk_basis(&r), Basis::Accepted);
        r.risk.level = Some(RiskLevel::Critical);
        assert_eq!(policy.risk_basis(&r), Basis::Matches);
        r.risk.likelihood = Some(Likelihood::Rare);
        assert_eq!(policy.risk_basis(&r), Basis::DeclaredAbove);
        r.risk.likelihood = None;
        assert_eq!(policy.risk_basis(&r), Basis::Underivable);
        r.risk.level = None;
        assert_eq!(policy.risk_basis(&r), Basis::NotAssessed);
        r.risk.likelihood = Some(Likelihood::Rare);
        assert_eq!(policy.risk_basis(&r), Basis::Derived);
    }

    #[test]
    fn no_one_else_accepts_risk() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = lowered();
        approve(&mut r, "approver", "ann@x", None); // not an authority role
        approve(&mut r, "cab", "mallory@x", None); // not a member of it
        assert_eq!(policy.risk_level(&r), Some(RiskLevel::Critical));
        let mut own = lowered();
        own.author = "Cat <cat@x>".into();
        approve(&mut own, "cab", "cat@x", None); // the requester themselves
        assert_eq!(policy.risk_level(&own), Some(RiskLevel::Critical));
        // With no authority named, nobody can lower the level.
        let mut r = lowered();
        approve(&mut r, "cab", "cat@x", None);
        let none = Policy::from_toml(&POLICY.replace("authority = [\"cab\"]", "")).unwrap();
        assert_eq!(none.risk_level(&r), Some(RiskLevel::Critical));
    }

    #[test]
    fn a_level_declared_higher_counts_as_declared() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = lowered();
        r.risk.likelihood = Some(Likelihood::Rare);
        r.risk.impact = Some(Impact::Minor);
        r.risk.level = Some(RiskLevel::High);
        assert_eq!(
            policy.risk_standing(&r),
            Standing {
                level: Some(RiskLevel::High),
                unaccepted: None
            }
        );
    }
}
