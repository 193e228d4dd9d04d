//! Who may authorise an emergency change: `[classes.emergency] authorizers`. Unset or
//! empty, anyone named in `emergency.authorized_by` is taken at their word.

use super::Policy;
use crate::model::record::same_email;
use crate::model::{ChangeRecord, Class};

impl Policy {
    /// Why some of `named` (a `class` change's `emergency.authorized_by`) may not
    /// authorise it: those who are in none of the class's authoriser roles, leaving
    /// out anyone in `already` (named before, and judged then). `None` when all may,
    /// or when the class names no roles.
    pub fn refused_authorisers(
        &self,
        class: Class,
        named: &[String],
        already: &[String],
    ) -> Option<String> {
        let roles = &self.class(class).authorizers;
        let outsiders: Vec<&str> = named
            .iter()
            .filter(|who| !roles.iter().any(|role| self.is_member(role, who)))
            .filter(|who| !already.iter().any(|e| same_email(e, who)))
            .map(String::as_str)
            .collect();
        if roles.is_empty() || outsiders.is_empty() {
            return None;
        }
        let members: Vec<String> = (roles.iter())
            .map(|r| format!("{r} ({})", self.members_of(r)))
            .collect();
        Some(format!(
            "{} cannot authorise an emergency change: only members of {} may",
            outsiders.join(", "),
            members.join("; ")
        ))
    }
}

/// The people a record says authorised it.
pub fn authorized_by(record: &ChangeRecord) -> &[String] {
    record
        .emergency
        .as_ref()
        .map_or(&[], |e| e.authorized_by.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_of_the_authoriser_roles_may_authorise() {
        let policy = Policy::from_toml(
            "[roles]\nincident-commander = [\"ic@x\"]\n[classes.emergency]\nauthorizers = [\"incident-commander\"]\n",
        )
        .unwrap();
        let mut r = crate::model::record::sample(Class::Emergency);
        r.emergency
            .get_or_insert_with(Default::default)
            .authorized_by = vec!["IC@x".into(), "intern@x".into()];
        let problem = policy
            .refused_authorisers(r.class, authorized_by(&r), &[])
            .unwrap();
        assert!(
            problem.starts_with("intern@x cannot authorise")
                && problem.contains("only members of incident-commander (ic@x)"),
            "{problem}"
        );
        let named_before = ["intern@x".to_string()];
        assert!(policy
            .refused_authorisers(r.class, authorized_by(&r), &named_before)
            .is_none());
        assert!(Policy::default()
            .refused_authorisers(r.class, authorized_by(&r), &[])
            .is_none());
    }
}
