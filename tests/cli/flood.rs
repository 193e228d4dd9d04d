//! `chg check` on a history that floods a rule: a short human report that counts and
//! says what to do, every finding in JSON, SARIF within code scanning's limits.

use crate::check::assert_valid_sarif;
use crate::common::{outcome, TestRepo};
use std::io::Write;
use std::process::Stdio;

const POLICY: &str = "[commits]\nreference = \"required\"\nexempt = [\".changes.toml\"]\n";

/// A repository whose first commit adopts a policy requiring references, followed by
/// `n` commits naming no change, made in one `git fast-import` (a `git commit` each
/// would take minutes).
fn flooded(n: usize) -> TestRepo {
    let repo = TestRepo::new();
    let mut stream = String::new();
    let mut commit = |i: usize, message: &str, path: &str, content: &str| {
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter Ada Lovelace <ada@example.com> {} +0000\ndata {}\n{message}\nM 644 inline {path}\ndata {}\n{content}\n",
            1_763_700_000 + i,
            message.len(),
            content.len()
        ));
    };
    commit(0, "Adopt chg", ".changes.toml", POLICY);
    for i in 1..=n {
        commit(i, &format!("Work {i}"), "src/work.txt", &format!("{i}\n"));
    }
    let mut git = std::process::Command::new("git");
    git.args(["fast-import", "--quiet"])
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped());
    let mut child = git.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    repo.git(&["reset", "-q", "--hard"]);
    repo
}

#[test]
fn a_flooded_history_is_counted_and_explained_in_every_format() {
    let repo = flooded(30_000);
    let before = repo.snapshot();

    let (code, human, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1, "{human}{stderr}");
    assert!(human.lines().count() < 60, "{human}");
    assert!(
        human.contains("H002 missing-change-reference: 30000 errors\n"),
        "{human}"
    );
    assert_eq!(human.matches("error   H002").count(), 10, "{human}");
    assert!(
        human.contains("… and 29990 more: `chg check --all`"),
        "{human}"
    );
    assert!(
        human.contains("held to the policy its parent had"),
        "{human}"
    );
    assert!(
        human.ends_with("30000 error(s), 0 warning(s); 0 record(s) checked\n"),
        "{human}"
    );

    let (code, all, _) = outcome(&mut repo.chg(&["check", "--all"]));
    assert_eq!(code, 1);
    assert_eq!(all.matches("error   H002").count(), 30_000);
    assert!(!all.contains("more: `chg check --all`"));

    let (code, json, _) = outcome(&mut repo.chg(&["check", "--format", "json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 30_000);
    assert!(findings.iter().all(|f| f["rule"] == "H002"));
    assert_eq!(doc["summary"]["errors"], 30_000);

    let (code, sarif, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() < 25_000, "{}", results.len());
    assert_eq!(results.len(), chg::render::sarif::PER_RULE + 1);
    let notice = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(
        notice.starts_with("30000 findings: this log holds 1000 of them"),
        "{notice}"
    );
    let (rest, each) = results.split_last().unwrap();
    assert_eq!(rest["properties"]["omitted"], 29_000);
    assert!(rest["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("and 29000 more H002 missing-change-reference findings"));
    let uri = |r: &serde_json::Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone()
    };
    let mut fingerprints = std::collections::HashSet::new();
    for r in each {
        assert_eq!(r["ruleId"], "H002");
        assert_eq!(uri(r), "src/work.txt", "{r}");
        let commit = r["properties"]["commit"].as_str().unwrap();
        assert_eq!(r["locations"][0]["logicalLocations"][0]["name"], commit);
        fingerprints.insert(r["partialFingerprints"]["chgFinding/v1"].to_string());
    }
    assert_eq!(fingerprints.len(), each.len(), "one alert per commit");
    assert!(before == repo.snapshot(), "check changes nothing");
}

#[test]
fn a_few_findings_are_each_listed_under_their_heading() {
    let repo = flooded(3);
    let (code, human, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1, "{human}");
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(lines[0], "(repository)", "{human}");
    assert_eq!(lines.len(), 6, "{human}");
    for line in &lines[1..4] {
        assert!(
            line.starts_with("  error   H002 missing-change-reference [")
                && line.contains("\"Work ")
                && line.ends_with("\" names no change"),
            "{line}"
        );
    }
    assert_eq!(lines[4], "");
    assert_eq!(lines[5], "3 error(s), 0 warning(s); 0 record(s) checked");
    assert!(!human.contains("more"), "{human}");

    let (_, sarif, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 3);
    assert_eq!(
        doc["runs"][0]["invocations"][0]["toolExecutionNotifications"],
        serde_json::json!([])
    );
}

#[test]
fn a_commit_finding_without_changed_paths_points_at_its_record_else_the_policy() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Rename the column");
    repo.chg(&["cancel", &id, "--reason", "not needed"])
        .assert()
        .success();
    repo.commit_all(&format!("Propose and withdraw {id}"));
    repo.write("src/a.txt", "a\n");
    repo.commit_all(&format!("Work for {id}"));
    repo.write("src/b.txt", "b\n");
    repo.commit_all("Work for CHG-2026-0099");
    let (code, sarif, _) = outcome(&mut repo.chg(&["check", "--format", "sarif"]));
    assert_eq!(code, 1, "{sarif}");
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let uri_of = |rule: &str| {
        let r = results.iter().find(|r| r["ruleId"] == rule).unwrap();
        assert!(r["properties"]["commit"].is_string(), "{r}");
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone()
    };
    assert_eq!(uri_of("H005"), repo.record_path(&id).as_str());
    assert_eq!(uri_of("H001"), ".changes.toml");
}
