//! Stage gates (`[classes.<c>.gates]`, ADR 10) and `chg evidence`: bad policies and bad
//! input refused with their exit codes and nothing changed; evidence recorded after
//! approval meets a gate and leaves the approvals current.

use crate::common::{findings_at, refused, stdout_of, TestRepo, NOW};

const QA: (&str, &str) = ("Quinn QA", "quinn@example.com");
const LEE: (&str, &str) = ("Lee", "lee@example.com");

/// A normal change under `gates` (the body of `[classes.normal.gates]`), approved by
/// Lee and started; returns the repository and the change's ID.
fn started_under(gates: &str) -> (TestRepo, String) {
    let (repo, id) = TestRepo::awaiting_lee(&format!("[classes.normal.gates]\n{gates}"));
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all_as(NOW, LEE, &format!("Approve {id}"));
    repo.chg(&["start", &id]).assert().success();
    repo.commit_all(&format!("Start {id}"));
    (repo, id)
}

/// `chg deploy` to staging, then to production; both must succeed.
fn deploy_to_staging_then_production(repo: &TestRepo, id: &str) {
    for env in ["staging", "production"] {
        repo.chg(&["deploy", id, "--env", env]).assert().success();
    }
}

#[test]
fn a_policy_with_a_bad_gate_is_refused_and_nothing_changes() {
    for (gates, says) in [
        ("ship = [\"schedule\"]", "classes.normal.gates: `ship` is not a move"),
        (
            "cancel = [\"schedule\"]",
            "`cancel` cannot be gated; gates hold start, deploy, verify, review, close",
        ),
        (
            "\"verify:production\" = [\"schedule\"]",
            "only deployments are given per environment",
        ),
        (
            "deploy = [\"tests-passed\"]",
            "`tests-passed` is not a gate item; use evidence:<kind>, deployed:<environment> or a field",
        ),
        ("close = [\"evidence:\"]", "`evidence:` names nothing"),
        (
            "close = [\"evidence:tests passed\"]",
            "`evidence:tests passed`: `tests passed` is not an evidence kind: one word without spaces or colons",
        ),
        (
            "close = [\"evidence:ci:green\"]",
            "`ci:green` is not an evidence kind",
        ),
        ("\"deploy:production\" = [\"deployed:\"]", "`deployed:` names nothing"),
    ] {
        let repo = TestRepo::new();
        repo.write(".changes.toml", &format!("[classes.normal.gates]\n{gates}\n"));
        repo.commit_all("Adopt a policy");
        let stderr = refused(&repo, repo.chg(&["new", "--no-input", "--title", "t", "--class", "normal"]), 2, says);
        assert!(stderr.contains(".changes.toml is not a valid policy"), "{stderr}");
        refused(&repo, repo.chg(&["check"]), 2, says);
    }
}

#[test]
fn chg_evidence_refuses_bad_input_and_changes_nothing() {
    let (repo, id) = started_under("deploy = [\"evidence:tests-passed\"]\n");
    let evidence = |args: &[&str]| {
        let mut all = vec!["evidence"];
        all.extend_from_slice(args);
        repo.chg_as(QA.0, QA.1, &all)
    };
    refused(
        &repo,
        evidence(&["CHG-2026-0099", "--kind", "tests-passed", "--ref", "r"]),
        2,
        "CHG-2026-0099",
    );
    refused(
        &repo,
        evidence(&["../../etc/passwd", "--kind", "k", "--ref", "r"]),
        2,
        "../../etc/passwd",
    );
    refused(
        &repo,
        evidence(&[&id, "--kind", "tests passed", "--ref", "r"]),
        2,
        "`tests passed` is not an evidence kind",
    );
    refused(
        &repo,
        evidence(&[&id, "--kind", "evidence:tests-passed", "--ref", "r"]),
        2,
        "is not an evidence kind",
    );
    refused(&repo, evidence(&[&id, "--ref", "r"]), 2, "--kind");
    refused(
        &repo,
        evidence(&[&id, "--kind", "tests-passed"]),
        2,
        "evidence needs --ref",
    );
    refused(
        &repo,
        evidence(&[&id, "--kind", "tests-passed", "--note", "  "]),
        2,
        "evidence needs --ref",
    );
    // A change no longer under way takes no evidence.
    repo.chg(&["cancel", &id, "--reason", "dropped"])
        .assert()
        .success();
    refused(
        &repo,
        evidence(&[&id, "--kind", "tests-passed", "--ref", "r"]),
        1,
        "is cancelled: evidence is recorded for a change still under way",
    );
}

#[test]
fn evidence_recorded_after_approval_meets_the_gate_and_keeps_the_approval() {
    let (repo, id) = started_under(
        "deploy = [\"evidence:tests-passed\"]\n\"deploy:production\" = [\"deployed:staging\"]\n",
    );
    // Production owes both gates; each missing item is named, and nothing changes.
    let stderr = refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        &format!("{id} cannot be deployed to production yet: its gate asks for deployed:staging, evidence:tests-passed"),
    );
    assert!(
        stderr.contains(&format!(
            "chg evidence {id} --kind tests-passed --ref <url>"
        )),
        "{stderr}"
    );
    refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "staging"]),
        1,
        "its gate asks for evidence:tests-passed\n",
    );
    let out = stdout_of(&mut repo.chg_as(
        QA.0,
        QA.1,
        &[
            "evidence",
            &id,
            "--kind",
            "tests-passed",
            "--ref",
            "https://ci.example.com/run/9",
            "--note",
            "412 passed",
        ],
    ));
    assert_eq!(out, format!("{id} implementing\n"));
    let record: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(&format!(".changes/{id}.yaml"))).unwrap();
    let entry = &record["gate_evidence"][0];
    assert_eq!(entry["kind"].as_str(), Some("tests-passed"));
    assert_eq!(entry["by"].as_str(), Some(QA.1));
    assert_eq!(entry["at"].as_str(), Some(NOW));
    assert_eq!(entry["ref"].as_str(), Some("https://ci.example.com/run/9"));
    let shown = stdout_of(&mut repo.chg(&["show", &id]));
    assert!(
        shown.contains(&format!(
            "tests-passed by {} at {NOW}: https://ci.example.com/run/9",
            QA.1
        )),
        "{shown}"
    );
    deploy_to_staging_then_production(&repo, &id);
    repo.commit_all(&format!("Deploy {id}"));
    // The approval given before the evidence is still current: nothing to report.
    let (code, findings) = findings_at(&repo, NOW);
    assert!(code == 0 && findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_failed_deployment_does_not_open_the_next_environment() {
    let (repo, id) = started_under("\"deploy:production\" = [\"deployed:staging\"]\n");
    repo.chg(&["deploy", &id, "--env", "staging", "--outcome", "failed"])
        .assert()
        .success();
    refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        "its gate asks for deployed:staging",
    );
    deploy_to_staging_then_production(&repo, &id);
}

#[test]
fn a_move_the_lifecycle_refuses_is_refused_as_such_before_its_gate_is_asked() {
    let (repo, id) =
        TestRepo::awaiting_lee("[classes.normal.gates]\nverify = [\"evidence:smoke\"]\n");
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all_as(NOW, LEE, &format!("Approve {id}"));
    // Approved, not deployed: the gate's evidence would not make `verify` legal.
    let stderr = refused(
        &repo,
        repo.chg(&["verify", &id]),
        1,
        "cannot move from approved to verified",
    );
    assert!(!stderr.contains("evidence:smoke"), "{stderr}");
    // Started, then a start gate is added: starting again is refused as a move.
    repo.chg(&["start", &id]).assert().success();
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}start = [\"evidence:plan\"]\n"),
    );
    repo.commit_all(&format!("Start {id} and gate starts"));
    let stderr = refused(
        &repo,
        repo.chg(&["start", &id]),
        1,
        "cannot move from implementing to implementing",
    );
    assert!(!stderr.contains("evidence:plan"), "{stderr}");
}

#[test]
fn gates_adopted_later_judge_no_move_from_before_their_day() {
    let (repo, id) = started_under("");
    deploy_to_staging_then_production(&repo, &id);
    repo.commit_all(&format!("Deploy {id}"));
    let policy = repo.read(".changes.toml");
    let gated = |since: &str| {
        let text = policy.replace("[classes.normal]\n", &format!("[classes.normal]\n{since}"));
        repo.write(
            ".changes.toml",
            &format!("{text}deploy = [\"evidence:tests-passed\"]\n"),
        );
        repo.commit_all("Gate deployments");
        let (_, findings) = findings_at(&repo, "2026-12-01T00:00:00Z");
        findings.iter().any(|f| f.rule == "L007")
    };
    // Gates adopted the next day leave the deployments made before it alone.
    assert!(!gated("gates_since = \"2026-11-22\"\n"));
    // Without `gates_since`, the earlier moves are judged too.
    assert!(gated(""));
}

#[test]
fn evidence_of_a_kind_no_gate_names_is_recorded_with_a_warning() {
    let (repo, id) = started_under("deploy = [\"evidence:tests-passed\"]\n");
    let evidence = |kind: &str| {
        crate::common::outcome(&mut repo.chg_as(
            QA.0,
            QA.1,
            &["evidence", &id, "--kind", kind, "--ref", "https://ci/1"],
        ))
    };
    let (code, out, err) = evidence("test-passed");
    assert_eq!(
        (code, out.as_str()),
        (0, format!("{id} implementing\n").as_str())
    );
    assert!(
        err.contains("warning: neither the requires nor a gate of a normal change asks for evidence:test-passed"),
        "{err}"
    );
    assert!(repo
        .read(&format!(".changes/{id}.yaml"))
        .contains("kind: test-passed"));
    let (code, _, err) = evidence("tests-passed");
    assert_eq!(code, 0);
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn the_help_sums_evidence_up_in_one_line_and_names_every_gated_move() {
    let repo = TestRepo::new();
    let top = stdout_of(&mut repo.chg(&["--help"]));
    let line = top
        .lines()
        .find(|l| l.trim_start().starts_with("evidence "))
        .unwrap();
    assert!(
        line.trim_end()
            .ends_with("e.g. tests passed or a backup taken"),
        "{top}"
    );
    assert!(!top.contains("It is kept in `gate_evidence`"), "{top}");
    let own = stdout_of(&mut repo.chg(&["evidence", "--help"]));
    assert!(
        own.contains("`chg start`, `deploy`, `verify`, `review` and `close` refuse"),
        "{own}"
    );
}
