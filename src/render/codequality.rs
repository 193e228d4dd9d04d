//! `chg check --format codequality`: GitLab's Code Quality report, a JSON array with
//! one issue per finding, which merge requests show beside the diff.

use super::locate::{fingerprint, Locator};
use crate::history::History;
use crate::policy::{Policy, Severity};
use crate::rules::{Finding, Tree};
use anyhow::Result;
use serde_json::{json, Value};

/// GitLab's severity for a finding's: errors block, warnings are minor.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Off => "info",
    }
}

fn issues(
    findings: &[Finding],
    policy: &Policy,
    tree: &dyn Tree,
    history: Option<&History>,
) -> Vec<Value> {
    let all: Vec<&Finding> = findings.iter().collect();
    let locator = Locator::new(&all, policy, tree, history);
    findings
        .iter()
        .map(|f| {
            json!({
                "type": "issue",
                "check_name": format!("{} {}", f.rule, f.name),
                "description": format!("{} {}: {}", f.rule, f.name, f.message),
                "categories": ["Compatibility"],
                "fingerprint": fingerprint(f),
                "severity": severity(f.severity),
                "location": {
                    "path": locator.uri(f),
                    "lines": { "begin": f.line.unwrap_or(1).max(1) }
                }
            })
        })
        .collect()
}

/// Writes the Code Quality report of `findings` to stdout.
pub fn print(
    findings: &[Finding],
    policy: &Policy,
    tree: &dyn Tree,
    history: Option<&History>,
) -> Result<()> {
    super::print_json(&issues(findings, policy, tree, history))
}
