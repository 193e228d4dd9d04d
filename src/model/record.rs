//! The change record: one YAML file per change under `.changes/` (SPEC §2.1).
//!
//! Every struct refuses unknown keys, so a typo in a hand-edited record is an error
//! with its line and column rather than a silently dropped field. Fields beyond the
//! SPEC's example carry what the seed policies ask for (noted on each).

use super::field_value::FieldValue;
use super::id::ChangeId;
use super::keyword::{
    Class, Complexity, Decision, DeployOutcome, Impact, Likelihood, ReviewOutcome, RiskLevel,
    Status, Treatment,
};
use super::timestamp::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRecord {
    pub id: ChangeId,
    pub title: String,
    pub class: Class,
    pub status: Status,
    pub created_at: Timestamp,
    /// `Name <email>`, the identity that created the record.
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Seed 004 §5.1: "assigned owner and target date".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenants: Option<Tenants>,
    /// Seed 002 §3.2: stakeholders identified on submit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stakeholders: Vec<String>,
    /// Held apart, as few records write any; `None` where none is written (see
    /// [`ChangeRecord::impact`]). Read, it is never `Some` of empty notes; put there
    /// by code, such notes are still written and digested as none.
    #[serde(
        default,
        skip_serializing_if = "ImpactNotes::absent",
        deserialize_with = "ImpactNotes::unless_empty"
    )]
    pub impact: Option<Box<ImpactNotes>>,
    /// Areas the change is declared to affect (`security`, `privacy` ...), from the
    /// policy's `[approvals.by_impact]` and `[post_review] by_impact`: each may call
    /// for approvers or a review (seed 000 §2.4, seed 004 §5.2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub impact_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "RiskAssessment::is_empty")]
    pub risk: RiskAssessment,
    #[serde(default, skip_serializing_if = "Rollback::is_empty")]
    pub rollback: Rollback,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation_plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adrs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Kind → reference in another system (`jira: OPS-123`); the policy's `[links]`
    /// declares the kinds and turns each into a URL. Outside the approval digest: a
    /// ticket is often opened after the change was approved.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, String>,
    /// Fields the team declares in the policy's `[fields]`, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Transition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<Deployment>,
    /// Evidence recorded after approval for the policy's stage gates (`chg evidence`);
    /// outside the approval digest, so recording it leaves approvals current (ADR 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate_evidence: Vec<GateEvidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Box<Review>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<Box<Emergency>>,
}

/// Tenants affected: free text (`all`) or a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Tenants {
    Text(String),
    List(Vec<String>),
}

/// Free-text impact assessments (seed 000 §4–5, seed 004 §5.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactNotes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_boundary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenants: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational: Option<String>,
    /// Seed 004 §5.1: impact on systems and users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systems: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<String>,
}

impl ImpactNotes {
    pub fn is_empty(&self) -> bool {
        self == &ImpactNotes::default()
    }

    /// Whether a record's notes are left out when it is written: none, or none
    /// filled in.
    fn absent(notes: &Option<Box<ImpactNotes>>) -> bool {
        notes.as_deref().is_none_or(ImpactNotes::is_empty)
    }

    /// The notes as written, `None` when none is filled in: `impact: {}` and no
    /// `impact` are the same record.
    fn unless_empty<'de, D: serde::Deserializer<'de>>(
        from: D,
    ) -> Result<Option<Box<ImpactNotes>>, D::Error> {
        let notes = ImpactNotes::deserialize(from)?;
        Ok((!notes.is_empty()).then(|| Box::new(notes)))
    }
}

impl ChangeRecord {
    /// The impact notes, each `None` where the record holds none.
    pub fn impact(&self) -> &ImpactNotes {
        static NONE: std::sync::LazyLock<ImpactNotes> =
            std::sync::LazyLock::new(ImpactNotes::default);
        self.impact.as_deref().unwrap_or(&NONE)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<Likelihood>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    #[serde(default, skip_serializing_if = "RiskFactors::is_empty")]
    pub factors: RiskFactors,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Seed 002 §5.3: accept, mitigate, avoid or transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<Treatment>,
    /// Seed 002 §5.3, §5.4: the controls that reduce the risk, or why none are needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<String>,
}

impl RiskAssessment {
    pub fn is_empty(&self) -> bool {
        self == &RiskAssessment::default()
    }
}

/// Seed 001 §3.3: five factors, each scored 1 (low) to 3 (high).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFactors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systems: Option<Factor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Factor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Factor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversibility: Option<Factor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Factor>,
}

impl RiskFactors {
    pub const NAMES: [&'static str; 5] = ["systems", "users", "data", "reversibility", "security"];

    pub fn is_empty(&self) -> bool {
        self == &RiskFactors::default()
    }

    /// Each factor by name, in the order of [`Self::NAMES`].
    pub fn entries(&self) -> [(&'static str, Option<Factor>); 5] {
        [
            ("systems", self.systems),
            ("users", self.users),
            ("data", self.data),
            ("reversibility", self.reversibility),
            ("security", self.security),
        ]
    }

    /// Sets a factor by its name; `None` when the name is not one of [`Self::NAMES`].
    pub fn set(&mut self, name: &str, value: Factor) -> Option<()> {
        *self.slot_mut(name)? = Some(value);
        Some(())
    }

    /// The total score when all five factors are given (5..=15).
    pub fn total(&self) -> Option<u8> {
        self.entries()
            .iter()
            .map(|(_, f)| f.map(Factor::value))
            .sum()
    }

    fn slot_mut(&mut self, name: &str) -> Option<&mut Option<Factor>> {
        Some(match name {
            "systems" => &mut self.systems,
            "users" => &mut self.users,
            "data" => &mut self.data,
            "reversibility" => &mut self.reversibility,
            "security" => &mut self.security,
            _ => return None,
        })
    }
}

/// One risk factor's score, 1 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Factor(u8);

impl Factor {
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Factor {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        if (1..=3).contains(&v) {
            Ok(Factor(v))
        } else {
            Err(format!(
                "risk factor {v} is out of range: factors are scored 1 to 3"
            ))
        }
    }
}

impl From<Factor> for u8 {
    fn from(f: Factor) -> u8 {
        f.0
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollback {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Paths that must exist in the tree (rule R007).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tested: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complexity: Option<Complexity>,
}

impl Rollback {
    pub fn is_empty(&self) -> bool {
        self == &Rollback::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub start: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One piece of gate evidence: what was shown, by whom and when (seed 002 Gate 4
/// "Regression Tests Passed", seed 004 §8 "Backup snapshots ... before deployment").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateEvidence {
    pub kind: String,
    pub at: Timestamp,
    pub by: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub role: String,
    pub by: String,
    pub at: Timestamp,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `sha256:<hex>` of the record's substantive content when approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub at: Timestamp,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    pub environment: String,
    pub at: Timestamp,
    pub by: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub outcome: DeployOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Post-implementation review (seed 000 §10, seed 004 §5.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub at: Timestamp,
    pub by: String,
    pub outcome: ReviewOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side_effects: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring_findings: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lessons: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playbook_updates: Option<String>,
    /// Seed 004 §5.6: incidents or downtime the change caused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<String>,
    /// Seed 002 §16.1: whether the change introduced a regression; unsaid when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<bool>,
    /// What a rolled-back change's review documents besides (seed 001 §10.4): the
    /// steps the rollback took, how long it took, the impact meanwhile, why the
    /// change failed and what prevents it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preventive_measures: Option<String>,
}

/// What an emergency change owes afterwards (seed 000 §2.4, seed 001 §6.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emergency {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// Who authorised it verbally before the record existed (seed 001 §6.3, seed 004 §5.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorized_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preventive_action: Option<String>,
    /// When the retrospective was held (seed 002 §14.2, seed 003 §3.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrospective_at: Option<Timestamp>,
}

impl ChangeRecord {
    /// A fresh draft with nothing but what every record must have.
    pub fn draft(
        id: ChangeId,
        title: String,
        class: Class,
        created_at: Timestamp,
        author: String,
    ) -> Self {
        ChangeRecord {
            id,
            title,
            class,
            status: Status::Draft,
            created_at,
            author,
            owner: None,
            target_date: None,
            description: None,
            rationale: None,
            components: Vec::new(),
            environments: Vec::new(),
            tenants: None,
            stakeholders: Vec::new(),
            impact: None,
            impact_areas: Vec::new(),
            risk: RiskAssessment::default(),
            rollback: Rollback::default(),
            test_plan: None,
            monitoring: None,
            implementation_plan: None,
            schedule: None,
            adrs: Vec::new(),
            evidence: Vec::new(),
            links: BTreeMap::new(),
            fields: BTreeMap::new(),
            approvals: Vec::new(),
            transitions: Vec::new(),
            deployments: Vec::new(),
            gate_evidence: Vec::new(),
            review: None,
            emergency: None,
        }
    }

    /// The email in `author` (`Name <email>`), or the whole field when it has none.
    pub fn author_email(&self) -> &str {
        email_of(&self.author)
    }

    /// The email of who answers for the change: its `owner`, else its author.
    pub fn owner_email(&self) -> &str {
        self.owner
            .as_deref()
            .map_or_else(|| self.author_email(), email_of)
    }
}

/// A draft `CHG-2026-0001` by `A <a@x>` for unit tests.
#[cfg(test)]
pub(crate) fn sample(class: Class) -> ChangeRecord {
    let created: Timestamp = "2026-11-21T10:00:00Z".parse().expect("a valid time");
    ChangeRecord::draft(
        "CHG-2026-0001".parse().expect("a valid ID"),
        "t".into(),
        class,
        created,
        "A <a@x>".into(),
    )
}

/// Appends an approval of `record`'s current content, for unit tests.
#[cfg(test)]
pub(crate) fn approve(record: &mut ChangeRecord, role: &str, by: &str, comment: Option<&str>) {
    let digest = super::digest::of(record);
    record.approvals.push(Approval {
        role: role.into(),
        by: by.into(),
        at: "2026-11-21T11:00:00Z".parse().expect("a valid time"),
        decision: Decision::Approved,
        comment: comment.map(String::from),
        digest: Some(digest),
    });
}

/// Whether two emails name the same person (the domain and, in practice, the local
/// part are compared without case, as mail systems do).
pub fn same_email(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// What [`same_email`] compares of an email: equal for two emails exactly when it
/// says they name the same person. For tables of people by email.
pub fn email_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// The email inside `Name <email>`, or the text itself.
pub fn email_of(identity: &str) -> &str {
    match (identity.rfind('<'), identity.rfind('>')) {
        (Some(a), Some(b)) if a < b => &identity[a + 1..b],
        _ => identity.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml;

    #[test]
    fn impact_notes_are_held_only_where_one_is_written() {
        let head = "id: CHG-2026-0001\ntitle: t\nclass: normal\nstatus: draft\n\
                    created_at: 2026-01-02T03:04:05Z\nauthor: Ada <ada@example.com>\n";
        let read = |rest: &str| yaml::from_str::<ChangeRecord>(&format!("{head}{rest}"));
        let none = read("").unwrap();
        let empty = read("impact: {}\n").unwrap();
        let written = read("impact:\n  users: all of them\n").unwrap();
        // An empty table is no notes: the same record, written the same way.
        assert_eq!(none, empty);
        assert!(none.impact.is_none() && none.impact().is_empty());
        assert_eq!(yaml::to_string(&empty), yaml::to_string(&none));
        assert!(!yaml::to_string(&none).contains("impact"));
        // A note is kept and written back as it was.
        assert_eq!(written.impact().users.as_deref(), Some("all of them"));
        let again: ChangeRecord = yaml::from_str(&yaml::to_string(&written)).unwrap();
        assert_eq!(again, written);
        assert!(yaml::to_string(&written).contains("impact:\n  users: all of them\n"));
        // Empty notes put in by code are written and digested as none.
        let mut filled_in = none.clone();
        filled_in.impact = Some(Box::default());
        assert!(ImpactNotes::absent(&filled_in.impact));
        assert_eq!(yaml::to_string(&filled_in), yaml::to_string(&none));
        assert_eq!(
            crate::model::digest::of(&filled_in),
            crate::model::digest::of(&none)
        );
        // What the notes refuse, they still refuse, saying why.
        for (bad, why) in [
            (
                "impact: 3\n",
                "invalid type: integer `3`, expected struct ImpactNotes",
            ),
            ("impact:\n  user: x\n", "unknown field `user`"),
            (
                "impact: ~\n",
                "invalid type: unit value, expected struct ImpactNotes",
            ),
        ] {
            let refused = read(bad).unwrap_err().message;
            assert!(refused.contains(why), "{bad:?}: {refused}");
        }
    }

    #[test]
    fn emails_have_equal_keys_exactly_when_they_are_the_same_email() {
        let emails = [
            "lee@example.com",
            " Lee@Example.COM\t",
            "lee@example.org",
            "",
            "  ",
            "\u{e9}@example.com",
            "\u{c9}@example.com",
            "le e@example.com",
        ];
        for a in emails {
            for b in emails {
                assert_eq!(
                    email_key(a) == email_key(b),
                    same_email(a, b),
                    "{a:?} and {b:?}"
                );
            }
        }
    }
}
