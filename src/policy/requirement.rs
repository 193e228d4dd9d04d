//! What a class can require of a record before it leaves draft: field names,
//! `evidence:<kind>`, and the links and fields the policy declares (`links.<kind>`,
//! `fields.<name>`). One place knows what "filled" means for each name, and what
//! counts as evidence of a kind (for gates too).

use super::risk::RiskPolicy;
use super::Policy;
use crate::model::record::Emergency;
use crate::model::{ChangeRecord, Class, Timestamp};

/// The field names a policy may list in `requires` (and protected paths' `requires`).
pub const FIELDS: &[&str] = &[
    "title",
    "description",
    "rationale",
    "owner",
    "target_date",
    "components",
    "environments",
    "tenants",
    "stakeholders",
    "impact",
    "impact.security",
    "impact.data",
    "impact.ai_boundary",
    "impact.tenants",
    "impact.availability",
    "impact.performance",
    "impact.compliance",
    "impact.operational",
    "impact.systems",
    "impact.users",
    "risk",
    "risk.level",
    "risk.treatment",
    "risk.mitigation",
    "rollback",
    "rollback.plan",
    "rollback.artifacts",
    "rollback.tested",
    "rollback.complexity",
    "test_plan",
    "monitoring",
    "implementation_plan",
    "schedule",
    "adrs",
    "emergency.incident",
    "emergency.authorized_by",
    "emergency.root_cause",
    "emergency.preventive_action",
];

/// Checks a `requires` entry's spelling against `policy`; the error lists what is
/// allowed.
pub fn validate(name: &str, policy: &Policy) -> Result<(), String> {
    if let Some(kind) = name.strip_prefix("links.") {
        return if policy.links.contains_key(kind) {
            Ok(())
        } else {
            Err(format!(
                "`{name}`: the policy's [links] declares no kind `{kind}`"
            ))
        };
    }
    if let Some(field) = name.strip_prefix("fields.") {
        return policy.declared_field(field).map(|_| ());
    }
    if let Some(kind) = name.strip_prefix("evidence:") {
        return if kind.trim().is_empty() {
            Err("`evidence:` needs a kind, e.g. evidence:staging-validation".into())
        } else {
            Ok(())
        };
    }
    if FIELDS.contains(&name) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a field a policy can require; use evidence:<kind>, links.<kind>, fields.<name> or one of: {}",
            FIELDS.join(", ")
        ))
    }
}

/// Words that hold a place for text to come; a field of only these (and punctuation,
/// such as a lone `-`) says nothing. Committed early and filled in later, such a
/// placeholder would otherwise date a duty done from the placeholder's commit.
const PLACEHOLDERS: &[&str] = &["tbd", "tbc", "tba", "todo", "fixme", "xxx", "wip"];

/// Whether a text field says something: a word that is no placeholder.
pub fn written(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|s| {
        s.split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && !PLACEHOLDERS.contains(&w.to_lowercase().as_str()))
    })
}

/// Whether `record` holds evidence of `kind`: given with the proposal (with a
/// reference), or recorded with `chg evidence` (at or before `by`, when given — a gate
/// counts only what was there when its move was made).
pub fn has_evidence(record: &ChangeRecord, kind: &str, by: Option<Timestamp>) -> bool {
    let given = (record.evidence.iter()).any(|e| e.kind == kind && !e.reference.trim().is_empty());
    given
        || (record.gate_evidence.iter())
            .any(|e| e.kind == kind && by.is_none_or(|at| e.at.utc() <= at.utc()))
}

/// Whether `record` satisfies the requirement `name` (validated beforehand).
pub fn is_met(record: &ChangeRecord, name: &str, risk: &RiskPolicy) -> bool {
    if let Some(kind) = name.strip_prefix("evidence:") {
        return has_evidence(record, kind, None);
    }
    if let Some(kind) = name.strip_prefix("links.") {
        return record
            .links
            .get(kind)
            .is_some_and(|id| !id.trim().is_empty());
    }
    if let Some(field) = name.strip_prefix("fields.") {
        return record
            .fields
            .get(field)
            .is_some_and(|v| !v.to_string().trim().is_empty());
    }
    let r = record;
    let i = r.impact();
    let none = Emergency::default();
    let emergency = r.emergency.as_deref().unwrap_or(&none);
    match name {
        "title" => !r.title.trim().is_empty(),
        "description" => written(&r.description),
        "rationale" => written(&r.rationale),
        "owner" => written(&r.owner),
        "target_date" => r.target_date.is_some(),
        "components" => !r.components.is_empty(),
        "environments" => !r.environments.is_empty(),
        "tenants" => r.tenants.is_some(),
        "stakeholders" => !r.stakeholders.is_empty(),
        "impact" => !i.is_empty(),
        "impact.security" => written(&i.security),
        "impact.data" => written(&i.data),
        "impact.ai_boundary" => written(&i.ai_boundary),
        "impact.tenants" => written(&i.tenants),
        "impact.availability" => written(&i.availability),
        "impact.performance" => written(&i.performance),
        "impact.compliance" => written(&i.compliance),
        "impact.operational" => written(&i.operational),
        "impact.systems" => written(&i.systems),
        "impact.users" => written(&i.users),
        "risk" => risk.derive(&r.risk).is_some(),
        "risk.level" => risk.effective(&r.risk).is_some(),
        "risk.treatment" => r.risk.treatment.is_some(),
        "risk.mitigation" => written(&r.risk.mitigation),
        "rollback" | "rollback.plan" => written(&r.rollback.plan),
        "rollback.artifacts" => !r.rollback.artifacts.is_empty(),
        "rollback.tested" => r.rollback.tested == Some(true),
        "rollback.complexity" => r.rollback.complexity.is_some(),
        "test_plan" => written(&r.test_plan),
        "monitoring" => written(&r.monitoring),
        "implementation_plan" => written(&r.implementation_plan),
        "schedule" => r.schedule.is_some(),
        "adrs" => !r.adrs.is_empty(),
        "emergency.incident" => written(&emergency.incident),
        "emergency.authorized_by" => emergency.authorized_by.iter().any(|a| !a.trim().is_empty()),
        "emergency.root_cause" => written(&emergency.root_cause),
        "emergency.preventive_action" => written(&emergency.preventive_action),
        _ => false,
    }
}

/// Whether `name` asks for the rollback plan (`rollback` is its short form).
pub fn is_rollback_plan(name: &str) -> bool {
    name == "rollback" || name == "rollback.plan"
}

/// Whether changes of `class` must say how they are undone: every class but standard
/// (seed 000 §4), and standard too when its class requires it (seed 002 §2.1 P6).
pub fn needs_rollback_plan(policy: &Policy, class: Class) -> bool {
    class != Class::Standard
        || policy
            .class(class)
            .requires
            .iter()
            .any(|n| is_rollback_plan(n))
}

/// What `record` still lacks under `policy` before it may leave draft: the class's
/// `requires`, and always a rollback plan for a non-standard change (seed 000 §4:
/// "changes without rollback plans are automatically rejected").
pub fn missing(record: &ChangeRecord, policy: &Policy) -> Vec<String> {
    let mut names = policy.class(record.class).requires;
    if needs_rollback_plan(policy, record.class) && !names.iter().any(|n| is_rollback_plan(n)) {
        names.push("rollback.plan".into());
    }
    names.retain(|name| !is_met(record, name, &policy.risk));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ChangeRecord {
        crate::model::record::sample(Class::Normal)
    }

    #[test]
    fn a_bare_draft_meets_only_its_title() {
        let risk = RiskPolicy::default();
        let bare = record();
        for name in FIELDS {
            assert_eq!(is_met(&bare, name, &risk), *name == "title", "{name}");
        }
    }

    #[test]
    fn placeholders_and_punctuation_say_nothing() {
        for text in ["", "  ", "-", "...", "TBD", "tbd.", "TODO", "- TBC", "WIP"] {
            assert!(!written(&Some(text.into())), "{text:?}");
        }
        for text in ["n/a", "None", "Revert the merge", "TBD: the index goes"] {
            assert!(written(&Some(text.into())), "{text:?}");
        }
    }

    #[test]
    fn evidence_needs_its_kind_and_a_reference() {
        let mut r = record();
        let risk = RiskPolicy::default();
        assert!(!is_met(&r, "evidence:staging-validation", &risk));
        r.evidence.push(crate::model::record::Evidence {
            kind: "staging-validation".into(),
            reference: "https://ci/1".into(),
            note: None,
        });
        assert!(is_met(&r, "evidence:staging-validation", &risk));
        let policy = Policy::default();
        assert!(validate("evidence:", &policy).is_err());
        assert!(validate("rollback.plan", &policy).is_ok());
        assert!(validate("rollbak", &policy)
            .unwrap_err()
            .contains("not a field"));
    }

    #[test]
    fn evidence_recorded_with_chg_evidence_meets_a_requirement_and_counts_from_its_time() {
        let mut r = record();
        let risk = RiskPolicy::default();
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        r.gate_evidence.push(crate::model::record::GateEvidence {
            kind: "staging-validation".into(),
            at: at("2026-11-22T11:00:00Z"),
            by: "qa@x".into(),
            reference: None,
            note: Some("clicked through".into()),
        });
        assert!(is_met(&r, "evidence:staging-validation", &risk));
        assert!(!is_met(&r, "evidence:uat", &risk));
        let kind = "staging-validation";
        assert!(has_evidence(&r, kind, Some(at("2026-11-22T11:00:00Z"))));
        assert!(!has_evidence(&r, kind, Some(at("2026-11-22T10:59:59Z"))));
    }

    #[test]
    fn evidence_given_with_the_proposal_needs_a_reference() {
        let mut r = record();
        let risk = RiskPolicy::default();
        r.evidence.push(crate::model::record::Evidence {
            kind: "uat".into(),
            reference: " ".into(),
            note: None,
        });
        assert!(!is_met(&r, "evidence:uat", &risk));
    }
}

#[cfg(test)]
mod declared_tests {
    use super::*;

    #[test]
    fn a_declared_link_or_field_can_be_required_and_is_met_once_given() {
        let policy = Policy::from_toml(
            "[links]\njira = \"https://x/{id}\"\n[fields.cost_center]\ntype = \"string\"\n\
             [classes.standard]\nrequires = [\"links.jira\", \"fields.cost_center\"]\n",
        )
        .unwrap();
        let mut r = crate::model::record::sample(Class::Standard);
        assert_eq!(missing(&r, &policy), ["links.jira", "fields.cost_center"]);
        r.links.insert("jira".into(), "OPS-1".into());
        r.fields.insert(
            "cost_center".into(),
            crate::model::field_value::FieldValue::Text("CC-1".into()),
        );
        assert!(missing(&r, &policy).is_empty());
        let err = Policy::from_toml("[classes.normal]\nrequires = [\"links.jria\"]\n").unwrap_err();
        assert!(err.contains("no kind `jria`"), "{err}");
        let err = Policy::from_toml("[classes.normal]\nrequires = [\"fields.cc\"]\n").unwrap_err();
        assert!(err.contains("declares no fields"), "{err}");
    }
}

#[cfg(test)]
mod missing_tests {
    use super::*;

    #[test]
    fn a_rollback_plan_is_missing_for_every_non_standard_class_even_if_not_required() {
        let policy = Policy::from_toml("[classes.normal]\nrequires = []\n").unwrap();
        let mut r = crate::model::record::sample(Class::Normal);
        assert_eq!(missing(&r, &policy), ["rollback.plan"]);
        r.class = Class::Standard;
        assert_eq!(missing(&r, &policy), ["description"]);
        r.rollback.plan = Some("revert".into());
        r.class = Class::Normal;
        assert!(missing(&r, &policy).is_empty());
    }
}
