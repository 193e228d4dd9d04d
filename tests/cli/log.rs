//! `chg log`: the change's timeline as git tells it.

use crate::common::{stdout_of, TestRepo};
use crate::lifecycle::{propose, repo, LEE, RITA};

#[test]
fn log_tells_the_record_commits_the_work_and_the_deployments() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.commit_all(&format!("{id}: propose"));
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all(&format!("{id}: submit"));
    repo.chg_as(LEE.0, LEE.1, &["approve", &id, "--commit"])
        .assert()
        .success();
    repo.write(
        "src/assets.sql",
        "ALTER TABLE assets ADD asset_owner text;\n",
    );
    repo.commit_all(&format!("Add asset_owner\n\nChange: {id}"));
    repo.write("src/unrelated.txt", "x\n");
    repo.commit_all("Unrelated work");
    repo.chg_as(RITA.0, RITA.1, &["start", &id])
        .assert()
        .success();
    repo.chg_as(
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production", "--ref", "v1.4.0"],
    )
    .assert()
    .success();

    let text = stdout_of(&mut repo.chg(&["log", &id]));
    for expected in [
        "record created (draft)",
        "draft → submitted",
        "submitted → approved; approved as lead by lee@example.com",
        "Lee Lead <lee@example.com>",
        "Add asset_owner",
        "deployed to production at v1.4.0: success",
    ] {
        assert!(text.contains(expected), "log lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains("Unrelated work"), "{text}");

    let json = stdout_of(&mut repo.chg(&["log", &id, "--format", "json"]));
    let events: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "record").count(),
        3,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "commit").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "deployment").count(),
        1,
        "{kinds:?}"
    );
}

#[test]
fn log_of_an_uncommitted_record_says_so_and_of_an_unknown_id_fails() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["log", &id])
        .assert()
        .success()
        .stdout("no history yet: the record has not been committed\n");
    crate::common::refused(
        &repo,
        repo.chg(&["log", "CHG-2026-0404"]),
        2,
        "no change CHG-2026-0404",
    );
}

/// The history line `-v` prints: how many commits are in scope and read from git.
fn history_line(repo: &crate::common::TestRepo, args: &[&str]) -> String {
    let (code, _, stderr) = crate::common::outcome(&mut repo.chg(args));
    assert!(code == 0 || code == 1, "{stderr}");
    stderr
        .lines()
        .find(|l| l.contains("commits in scope"))
        .unwrap_or_else(|| panic!("no history line: {stderr}"))
        .to_string()
}

#[test]
fn log_reads_history_as_check_does_from_the_baseline_through_the_cache() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.commit_all(&format!("{id}: propose"));
    repo.write("src/early.txt", "x\n");
    repo.commit_all(&format!("Early work\n\nChange: {id}"));
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}\n[changes]\nbaseline = \"{base}\"\n"),
    );
    repo.commit_all(&format!("{id}: leave older history out"));
    repo.write("src/late.txt", "x\n");
    repo.commit_all(&format!("Late work\n\nChange: {id}"));

    // What `chg check` read is not read again.
    history_line(&repo, &["check", "-v"]);
    let line = history_line(&repo, &["log", &id, "-v"]);
    assert!(
        line.contains("2 commits in scope, 0 of them read"),
        "{line}"
    );
    let (_, text, said) = crate::common::outcome(&mut repo.chg(&["log", &id]));
    assert!(said.contains("history up to the baseline"), "{said}");
    assert!(text.contains("Late work"), "{text}");
    assert!(!text.contains("Early work"), "before the baseline: {text}");
    // Without the cache, the same story from git.
    assert_eq!(stdout_of(&mut repo.chg(&["log", &id, "--no-cache"])), text);
}

#[test]
fn commits_in_another_encoding_read_as_their_encoding_header_says() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[commits]\nreference = \"required\"\nexempt = [\".changes.toml\"]\n",
    );
    repo.commit_all("Adopt chg");
    let id = repo.new_change("Add the column");
    repo.commit_all(&format!("Propose {id}"));
    // git stores the bytes it is given and names their encoding in a header.
    let latin1 = |rel: &str, message: &[u8]| {
        let file = repo.path().join(".git").join("MESSAGE");
        std::fs::write(&file, message).unwrap();
        repo.write(rel, "// work\n");
        repo.git(&["add", "-A"]);
        let file = file.to_str().unwrap();
        repo.git(&[
            "-c",
            "i18n.commitEncoding=ISO-8859-1",
            "commit",
            "-q",
            "-F",
            file,
        ]);
    };
    let named = [
        b"Corrige le caf\xe9 de Ren\xe9e\n\nChange: ".as_slice(),
        id.as_bytes(),
    ]
    .concat();
    latin1("src/a.rs", &named);
    latin1("src/b.rs", b"R\xe9sum\xe9 du jour\n");
    assert_eq!(repo.git(&["log", "-1", "--format=%e"]), "ISO-8859-1\n");

    let log = stdout_of(&mut repo.chg(&["log", &id]));
    assert!(log.contains("Corrige le café de Renée"), "{log}");
    assert!(!log.contains('\u{fffd}'), "{log}");

    let audit = stdout_of(&mut repo.chg(&[
        "audit",
        "--format",
        "json",
        "--since",
        "2026-01-01",
        "--until",
        "2026-12-31",
    ]));
    let report: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let subjects: Vec<&str> = report["unmanaged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["Résumé du jour"], "{audit}");
}
