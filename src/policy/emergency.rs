//! Who may authorise an emergency change: `[classes.emergency] authorizers`. Unset or
//! empty, anyone named in `emergency.authorized_by` is taken at their word.

use super::Policy;
use crate::model::ChangeRecord;

impl Policy {
    /// The people in `record`'s `emergency.authorized_by` who are not members of any
    /// of its class's authoriser roles; none when the policy names no such roles.
    pub fn unauthorised_authorizers<'a>(&self, record: &'a ChangeRecord) -> Vec<&'a str> {
        let roles = self.class(record.class).authorizers;
        if roles.is_empty() {
            return Vec::new();
        }
        record
            .emergency
            .iter()
            .flat_map(|e| &e.authorized_by)
            .filter(|who| !roles.iter().any(|role| self.is_member(role, who)))
            .map(String::as_str)
            .collect()
    }

    /// Why `record` may not be saved as it names its authorisers, if it may not.
    pub fn authorizer_problem(&self, record: &ChangeRecord) -> Option<String> {
        let outsiders = self.unauthorised_authorizers(record);
        if outsiders.is_empty() {
            return None;
        }
        let roles = self.class(record.class).authorizers;
        let members: Vec<String> = roles
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Class;

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
        assert_eq!(policy.unauthorised_authorizers(&r), ["intern@x"]);
        let problem = policy.authorizer_problem(&r).unwrap();
        assert!(
            problem.contains("only members of incident-commander (ic@x)"),
            "{problem}"
        );
        assert!(Policy::default().authorizer_problem(&r).is_none());
    }
}
