//! `chg check` over a register: exit codes, formats, scopes, severities.

use crate::common::{outcome, refused, TestRepo};
use crate::lifecycle::{propose, repo, LEE};

/// A register with one good approved change and one whose status was edited forward.
fn register_with_a_forged_status() -> (TestRepo, String, String) {
    let repo = repo();
    let good = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &good]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &good])
        .assert()
        .success();
    let forged = propose(&repo, "normal", &[]);
    let path = format!(".changes/{forged}.yaml");
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("status: draft", "status: deployed"),
    );
    (repo, good, forged)
}

#[test]
fn a_clean_register_exits_zero() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.ends_with("0 error(s), 0 warning(s); 1 record(s) checked\n"),
        "{stdout}"
    );
}

#[test]
fn findings_at_error_severity_exit_one_grouped_by_record() {
    let (repo, good, forged) = register_with_a_forged_status();
    let before = repo.snapshot();
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.is_empty(), "the report is the output: {stderr}");
    assert!(
        stdout.contains(&format!("{forged}  .changes/{forged}.yaml\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains("error   L001 invalid-transition: its status says deployed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error   P001 approvals-insufficient: deployed but not approved by lead"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(&good),
        "the good change has no findings: {stdout}"
    );
    assert!(before == repo.snapshot(), "check changes nothing");
}

#[test]
fn json_output_has_the_spec_shape() {
    let (repo, _, forged) = register_with_a_forged_status();
    let (code, stdout, _) = outcome(&mut repo.chg(&["check", "--format", "json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "rule", "name", "severity", "record", "commit", "path", "line", "message",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert_eq!(f["record"], forged.as_str());
    }
    assert_eq!(doc["summary"]["records"], 2);
    assert_eq!(
        doc["summary"]["errors"].as_u64().unwrap() as usize,
        findings.len()
    );
}

#[test]
fn record_narrows_the_check_to_one_change() {
    let (repo, good, _) = register_with_a_forged_status();
    let (code, stdout, _) = outcome(&mut repo.chg(&["check", "--record", &good]));
    assert_eq!(code, 0, "{stdout}");
    refused(
        &repo,
        repo.chg(&["check", "--record", "CHG-2026-0404"]),
        2,
        "no change CHG-2026-0404",
    );
    refused(
        &repo,
        repo.chg(&["check", "--record", "../x"]),
        2,
        "is not a change ID",
    );
}

#[test]
fn the_policy_can_lower_or_silence_a_rule() {
    let (repo, _, _) = register_with_a_forged_status();
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}\n[rules]\nL001 = \"warning\"\nP001 = \"off\"\n"),
    );
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning L001"), "{stdout}");
    assert!(!stdout.contains("P001"), "{stdout}");
    repo.write(
        ".changes.toml",
        &format!("{policy}\n[rules]\nZ123 = \"off\"\n"),
    );
    refused(
        &repo,
        repo.chg(&["check"]),
        2,
        "`Z123`, which is not a rule",
    );
}

#[test]
fn unreadable_records_are_findings_not_crashes() {
    let repo = repo();
    repo.write(".changes/CHG-2026-0001.yaml", "id: [unclosed\n");
    repo.write(".changes/CHG-2026-0002.yaml", "");
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("R001 invalid-record"), "{stdout}");
    assert!(
        stdout.contains("CHG-2026-0002") && stdout.contains("the file is empty"),
        "{stdout}"
    );
}

#[test]
fn an_empty_or_missing_register_is_clean() {
    let repo = TestRepo::new();
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("0 record(s) checked"), "{stdout}");
}

#[test]
fn explain_prints_a_rule_s_documentation_anywhere() {
    let dir = TestRepo::bare_dir();
    let (code, stdout, _) = outcome(&mut dir.chg(&["check", "--explain", "r005"]));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("R005 missing-rollback-plan (default severity: error)"),
        "{stdout}"
    );
    assert!(stdout.contains("[rules]"), "{stdout}");
    refused(
        &dir,
        dir.chg(&["check", "--explain", "R999"]),
        2,
        "no rule R999",
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let (repo, _, forged) = register_with_a_forged_status();
    repo.write(".changes/CHG-2026-0009.yaml", "id: [broken\n");
    let (code, stdout, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&doc);
    // The validator does reject what the standard does not allow.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(std::panic::catch_unwind(|| assert_valid_sarif(&bad)).is_err());

    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "L001" && r["properties"]["record"] == forged.as_str()));
    let broken = results.iter().find(|r| r["ruleId"] == "R001").unwrap();
    assert_eq!(
        broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".changes/CHG-2026-0009.yaml"
    );
    assert_eq!(
        broken["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), chg::rules::REGISTRY.len());
}

/// Panics unless `doc` is valid by the SARIF 2.1.0 schema.
pub fn assert_valid_sarif(doc: &serde_json::Value) {
    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/sarif/sarif-2.1.0-rtm.5.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:sarif-2.1.0", schema).unwrap();
    let index = compiler.compile("urn:sarif-2.1.0", &mut schemas).unwrap();
    if let Err(e) = schemas.validate(doc, index) {
        panic!("not valid SARIF 2.1.0: {e:#}\n{doc}");
    }
}
