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
        stdout.contains(&format!("{forged}  {}\n", repo.record_path(&forged))),
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
    assert!(rules.iter().all(|r| r["helpUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://") && u.ends_with("docs/rules.md"))));
}

#[test]
fn the_code_quality_report_has_an_issue_per_finding_at_a_file_that_exists() {
    let (repo, _, forged) = register_with_a_forged_status();
    repo.commit_all("Work for CHG-2026-0077");
    let (code, stdout, _) = outcome(&mut repo.chg(&["check", "--format", "codequality"]));
    assert_eq!(code, 1, "{stdout}");
    let (_, json, _) = outcome(&mut repo.chg(&["check", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let issues: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(issues.len(), json["findings"].as_array().unwrap().len());
    let mut prints = std::collections::HashSet::new();
    for issue in &issues {
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(repo.path().join(path).exists(), "{issue}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert_eq!(issue["severity"], "major", "{issue}");
        assert!(prints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
    }
    assert!(issues
        .iter()
        .any(|i| i["check_name"] == "H001 unknown-change-reference"));
    assert!(issues
        .iter()
        .any(|i| i["check_name"] == "L001 invalid-transition"
            && i["location"]["path"] == repo.record_path(&forged).as_str()));
}

#[test]
fn sarif_results_point_at_files_that_exist_and_each_has_its_own_fingerprint() {
    let (repo, _, _) = register_with_a_forged_status();
    // A commit naming two changes with no record: two H001 at one place.
    repo.commit_all("Work for CHG-2026-0077 and CHG-2026-0078");
    // A record submitted by hand without what its class requires.
    let id = propose(&repo, "normal", &[]);
    let path = format!(".changes/{id}.yaml");
    let text = repo
        .read(&path)
        .replace("status: draft", "status: submitted");
    let text = text
        .lines()
        .filter(|l| {
            !l.starts_with("description:")
                && !l.starts_with("rollback:")
                && !l.starts_with("  plan:")
        })
        .collect::<Vec<_>>()
        .join("\n");
    repo.write(&path, &text);
    let (_, stdout, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let mut seen = std::collections::HashMap::new();
    let mut shared_lines = 0;
    for r in results {
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            repo.path().join(uri).exists(),
            "{} points at {uri}, which does not exist",
            r["ruleId"]
        );
        let fingerprint = r["partialFingerprints"]["chgFinding/v1"]
            .as_str()
            .unwrap()
            .to_string();
        let place = (
            r["ruleId"].clone(),
            uri.to_string(),
            location["region"]["startLine"].clone(),
        );
        let others = seen.entry(place).or_insert_with(Vec::new);
        assert!(
            !others.contains(&fingerprint),
            "two findings share {fingerprint}"
        );
        shared_lines += usize::from(!others.is_empty());
        others.push(fingerprint);
    }
    assert!(results.iter().any(|r| r["ruleId"] == "H001"), "{stdout}");
    assert!(
        shared_lines > 0,
        "no two findings of one rule on one line: {stdout}"
    );
    // The same findings, checked again, keep their fingerprints.
    let (_, again, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    let prints = |d: &serde_json::Value| -> Vec<serde_json::Value> {
        d["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(prints(&doc), prints(&again));
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
