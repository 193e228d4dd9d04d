//! Who may authorise an emergency change: `[classes.emergency] authorizers`. Unset or
//! empty, anyone named in `emergency.authorized_by` is taken at their word.

use super::Policy;
use crate::model::{ChangeRecord, Class};

impl Policy {
    /// Those of `named` (a `class` change's `emergency.authorized_by`) who are not
    /// members of any of the class's authoriser roles; none when it names no roles.
    pub fn unauthorised<'a>(&self, class: Class, named: &'a [String]) -> Vec<&'a str> {
        let roles = self.class(class).authorizers;
        if roles.is_empty() {
            return Vec::new();
        }
        named
            .iter()
            .filter(|who| !roles.iter().any(|role| self.is_member(role, who)))
            .map(String::as_str)
            .collect()
    }

    /// Why `outsiders` may not authorise a `class` change, if there are any.
    pub fn authorizer_problem(&self, class: Class, outsiders: &[&str]) -> Option<String> {
        if outsiders.is_empty() {
            return None;
        }
        let members: Vec<String> = self
            .class(class)
            .authorizers
            .iter()
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
        let outsiders = policy.unauthorised(r.class, authorized_by(&r));
        assert_eq!(outsiders, ["intern@x"]);
        let problem = policy.authorizer_problem(r.class, &outsiders).unwrap();
        assert!(
            problem.contains("only members of incident-commander (ic@x)"),
            "{problem}"
        );
        assert!(Policy::default()
            .unauthorised(r.class, authorized_by(&r))
            .is_empty());
    }
}
