//! The digest that binds an approval to a record's content (SPEC §2.1).
//!
//! It covers what was proposed and assessed. Left out: approvals, transitions,
//! deployments and review (as SPEC says), and also the status, the schedule, the gate
//! evidence and the emergency follow-up (root cause, preventive action,
//! retrospective) and the links to other systems (a ticket is often opened after the
//! change was approved) — these are written after approval, and must not make it stale.
//! The fields a policy declares are content: approvers read them. Optional
//! fields are left out while empty, so a field added to the format (the risk's
//! treatment and mitigation) leaves the approvals given before it current.

use super::record::Emergency;
use super::ChangeRecord;
use sha2::{Digest, Sha256};

pub fn of(record: &ChangeRecord) -> String {
    let mut content = record.clone();
    content.status = super::Status::Draft;
    content.schedule = None;
    content.approvals.clear();
    content.transitions.clear();
    content.deployments.clear();
    content.gate_evidence.clear();
    content.links.clear();
    content.review = None;
    content.emergency = record.emergency.as_ref().map(|e| {
        Box::new(Emergency {
            incident: e.incident.clone(),
            authorized_by: e.authorized_by.clone(),
            ..Emergency::default()
        })
    });
    // JSON of the typed record: field order is fixed by the struct, so the digest does
    // not depend on how the YAML was laid out or commented.
    // Into room for most records at once: grown a doubling at a time, the buffer
    // was most of a digest's allocations.
    let mut canonical = Vec::with_capacity(4096);
    serde_json::to_writer(&mut canonical, &content).expect("records always serialise to JSON");
    format!("sha256:{}", hex(&Sha256::digest(&canonical)))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    let digits = bytes.iter().flat_map(|&b| hex_pair(b));
    digits.map(char::from).collect()
}

/// A byte as two lower-case hex digits.
pub fn hex_pair(b: u8) -> [u8; 2] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Status};

    fn record() -> ChangeRecord {
        crate::model::record::sample(Class::Normal)
    }

    #[test]
    fn content_changes_the_digest_and_lifecycle_moves_do_not() {
        let base = of(&record());
        let mut moved = record();
        moved.status = Status::Approved;
        moved.schedule = Some(crate::model::record::Schedule {
            start: "2026-11-24T06:00:00Z".parse().unwrap(),
            end: None,
        });
        moved
            .gate_evidence
            .push(crate::model::record::GateEvidence {
                kind: "tests-passed".into(),
                at: "2026-11-24T07:00:00Z".parse().unwrap(),
                by: "qa@x".into(),
                reference: Some("https://ci/1".into()),
                note: None,
            });
        assert_eq!(of(&moved), base);
        let mut edited = record();
        edited.description = Some("changed".into());
        assert_ne!(of(&edited), base);
        assert!(base.starts_with("sha256:") && base.len() == 7 + 64);
    }

    /// A risk assessment as records held it before treatment and mitigation existed.
    fn assessed() -> ChangeRecord {
        let mut r = record();
        r.risk.likelihood = Some(crate::model::Likelihood::Likely);
        r.risk.impact = Some(crate::model::Impact::Minor);
        r
    }

    #[test]
    fn a_record_keeps_its_digest_when_the_format_gains_an_optional_field() {
        // Approvals given before a field existed must stay current: fields left empty
        // are not part of the content.
        assert_eq!(
            of(&assessed()),
            "sha256:cf2d187dad09c08b818257a27dc2631fcfd0310cf3f610e888ae5149eea6bc90"
        );
    }

    #[test]
    fn the_risk_treatment_and_mitigation_are_content() {
        let base = of(&assessed());
        let mut treated = assessed();
        treated.risk.treatment = Some(crate::model::Treatment::Mitigate);
        let mitigated = of(&treated);
        assert_ne!(mitigated, base);
        treated.risk.mitigation = Some("phased rollout".into());
        assert_ne!(of(&treated), mitigated);
    }

    #[test]
    fn declared_fields_are_content_and_links_are_not() {
        let base = of(&assessed());
        let mut linked = assessed();
        linked.links.insert("jira".into(), "OPS-1".into());
        assert_eq!(of(&linked), base);
        linked.fields.insert(
            "cost_center".into(),
            crate::model::field_value::FieldValue::Text("CC-1".into()),
        );
        assert_ne!(of(&linked), base);
    }

    #[test]
    fn impact_areas_are_content() {
        let base = of(&assessed());
        let mut declared = assessed();
        declared.impact_areas = vec!["security".into()];
        assert_ne!(of(&declared), base);
    }
}
