//! The JSON Schema (draft 2020-12) of the change record (SPEC §2.1), for editors and
//! other tools.
//!
//! Written by hand in `fixtures/schema/record.schema.json` so that it reads well in an
//! editor's hover text; the tests below hold it to the Rust types. Each new record
//! starts with a modeline naming it, so an editor with the YAML language server
//! validates records once `schema.json` sits next to them (`chg init` puts it there).
//! A policy that declares links or fields gets them named in its schema (see
//! [`of`]); any other policy gets the file as written.

use crate::error::Failure;
use crate::policy::fields::FieldType;
use crate::policy::Policy;
use anyhow::Result;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The schema for the default policy.
pub const TEXT: &str = include_str!("../fixtures/schema/record.schema.json");

/// The schema of records under `policy`: [`TEXT`], with the links and fields the
/// policy declares in place of the open maps, so that an editor flags a kind or a
/// field the policy does not know.
pub fn of(policy: &Policy) -> String {
    if policy.links.is_empty() && policy.fields.is_empty() {
        return TEXT.to_string();
    }
    let mut schema: Value = serde_json::from_str(TEXT).expect("the schema is JSON");
    let properties = &mut schema["properties"];
    let links: Map<String, Value> = (policy.links.keys())
        .map(|kind| (kind.clone(), json!({ "type": "string", "minLength": 1 })))
        .collect();
    close(&mut properties["links"], links);
    let fields: Map<String, Value> = (policy.fields.iter())
        .map(|(name, declared)| {
            let mut field = of_type(&declared.kind);
            if let Some(about) = &declared.description {
                field["description"] = json!(about);
            }
            (name.clone(), field)
        })
        .collect();
    close(&mut properties["fields"], fields);
    let mut text = serde_json::to_string_pretty(&schema).expect("the schema is JSON");
    text.push('\n');
    text
}

/// `map`, an object schema open to any key, limited to `properties`.
fn close(map: &mut Value, properties: Map<String, Value>) {
    map["properties"] = Value::Object(properties);
    map["additionalProperties"] = json!(false);
}

/// The JSON Schema of a value of a declared field type.
fn of_type(kind: &FieldType) -> Value {
    match kind {
        FieldType::String => json!({ "type": "string", "pattern": "^[^\\n\\r]*$" }),
        FieldType::Text => json!({ "type": "string" }),
        FieldType::Number => json!({ "type": "number" }),
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::OneOf(words) => json!({ "enum": words }),
    }
}

/// Its file name in the records directory.
pub const FILE_NAME: &str = "schema.json";

/// The first line of a record at `place` (its path under the records directory). The
/// path is relative to the record, which is how the YAML language server resolves it,
/// so it holds wherever the repository lives.
pub fn modeline(place: &str) -> String {
    let up = "../".repeat(place.matches('/').count());
    format!("{MODELINE}{up}{FILE_NAME}\n")
}

const MODELINE: &str = "# yaml-language-server: $schema=";

/// `header` (a record's leading comment lines) with chg's modeline pointing at the
/// schema from `place`: a record moved between layouts keeps its bytes, and its
/// modeline is mended the next time chg writes it.
pub fn mend_modeline(header: &str, place: &str) -> String {
    let first = header.split_inclusive('\n').next().unwrap_or_default();
    let target = first.strip_prefix(MODELINE).map(str::trim_end);
    let ours = target.is_some_and(|t| {
        let up = t.strip_suffix(FILE_NAME).unwrap_or("x");
        up.len() % 3 == 0 && up.as_bytes().chunks(3).all(|c| c == b"../")
    });
    match ours {
        true => format!("{}{}", modeline(place), &header[first.len()..]),
        false => header.to_string(),
    }
}

/// Writes the schema of `policy` into its records directory (relative to `root`),
/// creating the directory, replacing the file atomically. Returns the file's path as
/// users see it.
pub fn write(root: &Path, policy: &Policy) -> Result<String> {
    let dir = policy.changes.dir.trim_end_matches('/');
    std::fs::create_dir_all(root.join(dir))
        .map_err(|e| Failure::input(format!("cannot create {dir}/: {e}")))?;
    let shown = format!("{dir}/{FILE_NAME}");
    crate::store::write_atomic(&root.join(&shown), of(policy).as_bytes())
        .map_err(|e| Failure::input(format!("cannot write {shown}: {e}")))?;
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::{mend_modeline, modeline, TEXT};
    use crate::model::field_value::FieldValue;
    use crate::model::record::{
        Approval, Deployment, Emergency, Evidence, Factor, GateEvidence, ImpactNotes, Review,
        RiskAssessment, RiskFactors, Rollback, Schedule, Tenants, Transition,
    };
    use crate::model::{
        ChangeRecord, Class, Complexity, Decision, DeployOutcome, Impact, Likelihood,
        ReviewOutcome, RiskLevel, Status, Timestamp, Treatment,
    };
    use serde_json::{json, Map, Value};

    fn schema() -> Value {
        serde_json::from_str(TEXT).expect("the schema is JSON")
    }

    /// A record with every optional field set, so that every key is written. Struct
    /// literals without `..`: a field added to the types must be added here too.
    fn full_record() -> ChangeRecord {
        let at: Timestamp = "2026-11-21T10:30:00Z".parse().unwrap();
        let text = |s: &str| Some(s.to_string());
        let list = |s: &str| vec![s.to_string()];
        let factor = Some(Factor::try_from(2).unwrap());
        ChangeRecord {
            id: "CHG-2026-0001".parse().unwrap(),
            title: "t".into(),
            class: Class::Emergency,
            status: Status::Closed,
            created_at: at,
            author: "Ada <ada@example.com>".into(),
            owner: text("ada@example.com"),
            target_date: Some("2026-12-01".parse().unwrap()),
            description: text("d"),
            rationale: text("r"),
            components: list("assets"),
            environments: list("production"),
            tenants: Some(Tenants::List(list("acme"))),
            stakeholders: list("finance"),
            impact_areas: list("security"),
            impact: Some(Box::new(ImpactNotes {
                security: text("s"),
                data: text("d"),
                ai_boundary: text("a"),
                tenants: text("t"),
                availability: text("a"),
                performance: text("p"),
                compliance: text("c"),
                operational: text("o"),
                systems: text("s"),
                users: text("u"),
            })),
            risk: RiskAssessment {
                likelihood: Some(Likelihood::Possible),
                impact: Some(Impact::Moderate),
                factors: RiskFactors {
                    systems: factor,
                    users: factor,
                    data: factor,
                    reversibility: factor,
                    security: factor,
                },
                level: Some(RiskLevel::High),
                justification: text("j"),
                treatment: Some(Treatment::Mitigate),
                mitigation: text("m"),
            },
            rollback: Rollback {
                plan: text("revert"),
                artifacts: list("down.sql"),
                tested: Some(true),
                complexity: Some(Complexity::Easy),
            },
            test_plan: text("t"),
            monitoring: text("m"),
            implementation_plan: text("i"),
            schedule: Some(Schedule {
                start: at,
                end: Some(at),
            }),
            adrs: list("docs/adr/0001.md"),
            evidence: vec![Evidence {
                kind: "ci".into(),
                reference: "https://ci/1".into(),
                note: text("n"),
            }],
            links: [("jira".to_string(), "OPS-1".to_string())].into(),
            fields: [
                ("region".to_string(), FieldValue::Text("eu".into())),
                ("budget".to_string(), FieldValue::Whole(12)),
                ("audited".to_string(), FieldValue::Flag(true)),
            ]
            .into(),
            approvals: vec![Approval {
                role: "lead".into(),
                by: "lee@example.com".into(),
                at,
                decision: Decision::Approved,
                comment: text("c"),
                digest: text("sha256:00"),
            }],
            transitions: vec![Transition {
                from: Status::Draft,
                to: Status::Submitted,
                at,
                by: "ada@example.com".into(),
                note: text("n"),
            }],
            deployments: vec![Deployment {
                environment: "production".into(),
                at,
                by: "rita@example.com".into(),
                reference: text("v1"),
                outcome: DeployOutcome::Success,
                note: text("n"),
            }],
            gate_evidence: vec![GateEvidence {
                kind: "tests-passed".into(),
                at,
                by: "qa@example.com".into(),
                reference: text("https://ci/2"),
                note: text("n"),
            }],
            review: Some(Box::new(Review {
                at,
                by: "lee@example.com".into(),
                outcome: ReviewOutcome::Achieved,
                side_effects: text("s"),
                monitoring_findings: text("m"),
                lessons: text("l"),
                playbook_updates: text("p"),
                incidents: text("i"),
                regression: Some(true),
                steps: text("s"),
                duration: text("d"),
                impact: text("i"),
                root_cause: text("r"),
                preventive_measures: text("p"),
            })),
            emergency: Some(Box::new(Emergency {
                incident: text("INC-1"),
                authorized_by: list("ian@example.com"),
                root_cause: text("r"),
                preventive_action: text("p"),
                retrospective_at: Some(at),
            })),
        }
    }

    /// `node` with a `$ref` into `#/$defs/` followed.
    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node["$ref"].as_str() {
            Some(r) => {
                let name = r.strip_prefix("#/$defs/").expect("refs point into $defs");
                resolve(root, &root["$defs"][name])
            }
            None => node,
        }
    }

    /// Walks a value and its schema together: every object's keys must be exactly
    /// the schema's properties there, and its required keys exactly those that the
    /// Rust types cannot do without. `path` names the place in failure messages.
    fn compare(root: &Value, schema: &Value, value: &Value, whole: &Value, path: &str) {
        let schema = resolve(root, schema);
        match value {
            // A map: every value has the schema of `additionalProperties`.
            Value::Object(fields) if schema["additionalProperties"].is_object() => {
                for (key, field) in fields {
                    let place = format!("{path}/{key}");
                    compare(root, &schema["additionalProperties"], field, whole, &place);
                }
            }
            Value::Object(fields) => {
                let properties = schema["properties"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{path}: the schema has no properties"));
                let mut keys: Vec<&String> = fields.keys().collect();
                let mut named: Vec<&String> = properties.keys().collect();
                keys.sort();
                named.sort();
                assert_eq!(keys, named, "{path}: record keys vs schema properties");
                assert_eq!(schema["additionalProperties"], json!(false), "{path}");
                for (key, field) in fields {
                    let place = format!("{path}/{key}");
                    compare(root, &properties[key], field, whole, &place);
                    let required = schema["required"]
                        .as_array()
                        .is_some_and(|r| r.contains(&json!(key)));
                    let needed =
                        serde_json::from_value::<ChangeRecord>(without(whole, &place)).is_err();
                    assert_eq!(required, needed, "{place}: required in schema vs in Rust");
                }
            }
            Value::Array(items) => {
                let item_schema = schema
                    .get("items")
                    .or_else(|| {
                        schema["oneOf"]
                            .as_array()?
                            .iter()
                            .find_map(|s| resolve(root, s).get("items"))
                    })
                    .unwrap_or_else(|| panic!("{path}: the schema has no items"));
                for (i, item) in items.iter().enumerate() {
                    compare(root, item_schema, item, whole, &format!("{path}/{i}"));
                }
            }
            _ => {}
        }
    }

    /// `whole` with the field at the JSON pointer `place` removed.
    fn without(whole: &Value, place: &str) -> Value {
        let mut copy = whole.clone();
        let (parent, key) = place.rsplit_once('/').expect("a field path");
        let parent: &mut Map<String, Value> = copy
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .expect("the field's parent is an object");
        parent.remove(key);
        copy
    }

    #[test]
    fn every_field_of_the_record_is_in_the_schema_and_nothing_else() {
        let record = serde_json::to_value(full_record()).unwrap();
        let root = schema();
        compare(&root, &root, &record, &record, "");
    }

    #[test]
    fn a_full_record_is_valid_with_tenants_as_a_list_or_as_text() {
        let record = serde_json::to_value(full_record()).unwrap();
        let mut tenants_text = record.clone();
        tenants_text["tenants"] = json!("all");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler.add_resource("urn:chg-record", schema()).unwrap();
        let index = compiler.compile("urn:chg-record", &mut schemas).unwrap();
        for record in [record, tenants_text] {
            if let Err(e) = schemas.validate(&record, index) {
                panic!("{e:#}\n{record:#}");
            }
        }
    }

    #[test]
    fn a_policy_s_links_and_fields_close_the_maps() {
        let policy = crate::policy::Policy::from_toml(
            "[links]\njira = \"https://x/{id}\"\n[fields.region]\ntype = [\"eu\", \"us\"]\n\
             description = \"Where it runs\"\n",
        )
        .unwrap();
        let schema: Value = serde_json::from_str(&super::of(&policy)).unwrap();
        let links = &schema["properties"]["links"];
        assert_eq!(links["additionalProperties"], json!(false));
        assert_eq!(links["properties"]["jira"]["type"], json!("string"));
        let region = &schema["properties"]["fields"]["properties"]["region"];
        assert_eq!(region["enum"], json!(["eu", "us"]));
        assert_eq!(region["description"], json!("Where it runs"));
        assert_eq!(super::of(&crate::policy::Policy::default()), TEXT);
    }

    #[test]
    fn every_vocabulary_lists_the_words_the_rust_types_accept() {
        fn words<T: std::fmt::Display>(all: &[T]) -> Value {
            all.iter().map(|w| json!(w.to_string())).collect()
        }
        let defs = &schema()["$defs"];
        for (def, expected) in [
            ("class", words(Class::ALL)),
            ("status", words(Status::ALL)),
            ("likelihood", words(Likelihood::ALL)),
            ("impact_level", words(Impact::ALL)),
            ("risk_level", words(RiskLevel::ALL)),
            ("treatment", words(Treatment::ALL)),
            ("complexity", words(Complexity::ALL)),
            ("decision", words(Decision::ALL)),
            ("deploy_outcome", words(DeployOutcome::ALL)),
            ("review_outcome", words(ReviewOutcome::ALL)),
        ] {
            assert_eq!(defs[def]["enum"], expected, "$defs/{def}");
        }
    }

    #[test]
    fn the_modeline_names_the_schema_from_the_record_s_place_and_is_mended_after_a_move() {
        assert_eq!(
            modeline("CHG-2026-0001.yaml"),
            "# yaml-language-server: $schema=schema.json\n"
        );
        let fanned = modeline("2026/00xx/CHG-2026-0001.yaml");
        assert_eq!(
            fanned,
            "# yaml-language-server: $schema=../../schema.json\n"
        );
        let header = format!("{fanned}# a note\n");
        assert_eq!(
            mend_modeline(&header, "CHG-2026-0001.yaml"),
            "# yaml-language-server: $schema=schema.json\n# a note\n"
        );
        assert_eq!(
            mend_modeline(&header, "2026/00xx/CHG-2026-0001.yaml"),
            header
        );
        // Someone else's schema, or none, is left alone.
        for other in [
            "# yaml-language-server: $schema=https://example.com/s.json\n",
            "# a note\n",
            "",
        ] {
            assert_eq!(mend_modeline(other, "CHG-2026-0001.yaml"), other);
        }
    }
}
