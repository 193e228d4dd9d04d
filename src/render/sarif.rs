//! `chg check --format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.

use crate::policy::{Policy, Severity};
use crate::rules::{Finding, REGISTRY};
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "none",
    }
}

/// Code scanning needs a file for every result: the finding's own, else its
/// record's, else the policy.
fn location(f: &Finding, policy: &Policy) -> Value {
    let uri = f
        .path
        .clone()
        .or_else(|| {
            f.record
                .as_ref()
                .map(|id| format!("{}/{id}.yaml", policy.changes.dir))
        })
        .unwrap_or_else(|| crate::policy::FILE_NAME.to_string());
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": { "startLine": f.line.unwrap_or(1).max(1) }
        }
    })
}

pub fn sarif(findings: &[Finding], policy: &Policy) -> String {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.doc },
                "help": { "text": r.doc },
                "defaultConfiguration": { "level": level(r.severity) }
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": REGISTRY.iter().position(|r| r.code == f.rule).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [location(f, policy)]
            });
            let mut properties = serde_json::Map::new();
            if let Some(record) = &f.record {
                properties.insert("record".into(), json!(record));
            }
            if let Some(commit) = &f.commit {
                properties.insert("commit".into(), json!(commit));
            }
            if !properties.is_empty() {
                result["properties"] = Value::Object(properties);
            }
            result
        })
        .collect();
    super::json(&json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chg",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    }))
}
