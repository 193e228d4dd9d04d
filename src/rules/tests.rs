//! Keeps the registry honest: unique codes, documentation, and for every rule a
//! fixture it passes and a fixture it fails (`fixtures/rules/<CODE>.{pass,fail}.yaml`).

use super::*;
use crate::store::{Store, WorkTree};
use std::collections::BTreeMap;

#[test]
fn codes_and_names_are_unique_and_documented() {
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for rule in REGISTRY {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 4 && rule.code[1..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not kebab-case",
            rule.name
        );
        assert!(
            rule.summary.len() > 20 && rule.doc.len() > 100,
            "{} is not documented",
            rule.code
        );
    }
}

#[test]
fn codes_and_names_match_the_spec() {
    let spec = include_str!("../../docs/rules.md");
    for rule in REGISTRY {
        let row = format!("| {} | {} |", rule.code, rule.name);
        assert!(spec.contains(&row), "docs/rules.md lacks the row {row}");
    }
}

/// A fixture: the policy, the files of a repository, and the time of the check.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    now: String,
    #[serde(default)]
    policy: String,
    files: BTreeMap<String, String>,
}

fn findings_for(rule: &'static Rule, case: &str) -> Vec<Finding> {
    let path = format!(
        "{}/fixtures/rules/{}.{case}.yaml",
        env!("CARGO_MANIFEST_DIR"),
        rule.code
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fixture: Fixture = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let dir = tempfile::TempDir::new().unwrap();
    for (name, content) in &fixture.files {
        let file = dir.path().join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
    let policy = Policy::from_toml(&fixture.policy).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (records, unreadable) = Store::new(dir.path(), &policy).load_all().unwrap();
    let tree = WorkTree::new(dir.path());
    let now: crate::model::Timestamp = fixture.now.parse().unwrap();
    let register = Register {
        policy: &policy,
        records: &records,
        unreadable: &unreadable,
        tree: &tree,
        now: now.utc(),
    };
    let mut report = Report {
        rule,
        findings: Vec::new(),
    };
    (rule.check)(&register, &mut report);
    report.findings
}

#[test]
fn every_rule_passes_its_pass_fixture_and_fails_its_fail_fixture() {
    for rule in REGISTRY {
        let pass = findings_for(rule, "pass");
        assert!(
            pass.is_empty(),
            "{} fires on its pass fixture: {pass:#?}",
            rule.code
        );
        let fail = findings_for(rule, "fail");
        assert!(
            !fail.is_empty(),
            "{} does not fire on its fail fixture",
            rule.code
        );
        assert!(fail.iter().all(|f| f.rule == rule.code));
    }
}

#[test]
fn the_policy_may_only_override_rules_that_exist() {
    assert!(check_overrides(&Policy::from_toml("[rules]\nR003 = \"warning\"\n").unwrap()).is_ok());
    let err =
        check_overrides(&Policy::from_toml("[rules]\nX999 = \"off\"\n").unwrap()).unwrap_err();
    assert!(err.contains("`X999`"), "{err}");
}
