//! Impact areas: what a change declares it affects (`impact_areas`), and the duties
//! the policy attaches to each — approvers (`[approvals.by_impact]`) and a
//! post-implementation review (`[post_review] by_impact`).

use super::quorum::Quorum;
use super::Policy;
use crate::model::ChangeRecord;

/// Refuses an area name that is not a lower-case word (`security`, `data-privacy`).
pub(super) fn validate_name(key: &str, area: &str) -> Result<(), String> {
    if super::is_name(area) {
        Ok(())
    } else {
        Err(format!(
            "{key}: `{area}` is not an impact area name: lower-case letters, digits, - and _"
        ))
    }
}

impl Policy {
    /// Every impact area the policy attaches a duty to, in order.
    pub fn impact_areas(&self) -> Vec<&str> {
        let mut areas: Vec<&str> = (self.approvals.by_impact.keys())
            .chain(&self.post_review.by_impact)
            .map(String::as_str)
            .collect();
        areas.sort_unstable();
        areas.dedup();
        areas
    }

    /// An error naming the policy's areas when `area` is not one of them.
    pub fn check_impact_area(&self, area: &str) -> Result<(), String> {
        let known = self.impact_areas();
        if known.contains(&area) {
            return Ok(());
        }
        Err(if known.is_empty() {
            format!("`{area}` is not an impact area: the policy names none ([approvals.by_impact], [post_review] by_impact)")
        } else {
            format!(
                "`{area}` is not an impact area of the policy; its areas: {}",
                known.join(", ")
            )
        })
    }

    /// `given` once each, in order, or an error naming the first the policy lacks.
    pub fn declared_areas(&self, given: &[String]) -> Result<Vec<String>, String> {
        let mut areas: Vec<String> = Vec::new();
        for area in given {
            self.check_impact_area(area)?;
            if !areas.contains(area) {
                areas.push(area.clone());
            }
        }
        Ok(areas)
    }

    /// The approvals the record's declared impact areas call for.
    pub fn roles_by_impact(&self, record: &ChangeRecord) -> Vec<Quorum> {
        (record.impact_areas.iter())
            .filter_map(|area| self.approvals.by_impact.get(area))
            .flatten()
            .cloned()
            .collect()
    }

    /// The declared impact areas that make the record owe a post-implementation review.
    pub fn review_by_impact<'r>(&self, record: &'r ChangeRecord) -> Vec<&'r str> {
        (record.impact_areas.iter())
            .filter(|area| self.post_review.by_impact.contains(area))
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Class;

    const POLICY: &str = r#"
        [roles]
        security-lead = ["sam@x"]
        dba = ["dee@x"]
        [approvals.by_impact]
        security = ["security-lead"]
        database = ["dba"]
        [post_review]
        by_impact = ["security", "privacy"]
    "#;

    #[test]
    fn declared_areas_call_for_their_roles_and_reviews() {
        let policy = Policy::from_toml(POLICY).unwrap();
        assert_eq!(policy.impact_areas(), ["database", "privacy", "security"]);
        let mut r = crate::model::record::sample(Class::Normal);
        assert!(policy.roles_by_impact(&r).is_empty());
        assert!(policy.review_by_impact(&r).is_empty());
        r.impact_areas = vec!["database".into()];
        assert_eq!(policy.roles_by_impact(&r), [Quorum::one("dba")]);
        assert!(policy.review_by_impact(&r).is_empty());
        r.impact_areas.push("privacy".into());
        assert_eq!(policy.review_by_impact(&r), ["privacy"]);
        let e = policy.check_impact_area("privcy").unwrap_err();
        assert!(e.contains("its areas: database, privacy, security"), "{e}");
    }

    #[test]
    fn an_area_name_is_a_lower_case_word() {
        assert!(validate_name("k", "data-privacy").is_ok());
        for bad in ["", "Security", "9lives", "a b"] {
            assert!(validate_name("k", bad).is_err(), "{bad}");
        }
    }
}
