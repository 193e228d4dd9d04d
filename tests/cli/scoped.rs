//! A check of a range or a push judges what is in it: the commits in scope and the
//! records they name, touch, create or remove — however quietly — never the rest of
//! the register.

use crate::common::{outcome, TestRepo};

/// The rules `chg check <args>` reports, as `(rule, record)`.
fn found(repo: &TestRepo, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = outcome(&mut repo.chg(&all));
    assert!(code <= 1, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<(String, String)> = (value["findings"].as_array().unwrap().iter())
        .map(|f| {
            let record = f["record"].as_str().unwrap_or("").to_string();
            (f["rule"].as_str().unwrap().to_string(), record)
        })
        .collect();
    found.sort();
    found
}

/// A register whose first change lost its rollback plan long ago (R005), and a base
/// commit to start a range from.
fn register_with_an_old_problem() -> (TestRepo, String, String, String) {
    let repo = TestRepo::initialised();
    let old = repo.complete_change("Old change", "normal");
    let other = repo.complete_change("Other change", "normal");
    repo.commit_all(&format!("Propose {old} and {other}"));
    repo.chg(&["submit", &old]).assert().success();
    repo.commit_all(&format!("Submit {old}"));
    let text = repo.read(&repo.record_path(&old));
    repo.write(
        &repo.record_path(&old),
        &text.replace("plan: revert", "plan: ''"),
    );
    repo.commit_all("Tidy a record");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    (repo, old, other, base)
}

#[test]
fn a_range_judges_the_records_its_commits_name_not_the_rest() {
    let (repo, old, other, base) = register_with_an_old_problem();
    let whole = found(&repo, &["--no-cache"]);
    assert!(whole.contains(&("R005".into(), old.clone())), "{whole:?}");
    repo.write("src/lib.rs", "// work\n");
    repo.commit_all(&format!("Work\n\nChange: {other}"));
    let range = format!("{base}..HEAD");
    for cached in [&["--no-cache"][..], &[][..]] {
        let mut args = vec!["--range", range.as_str()];
        args.extend_from_slice(cached);
        let in_range = found(&repo, &args);
        assert!(!in_range.iter().any(|(_, r)| r == &old), "{in_range:?}");
    }
}

#[test]
fn a_range_judges_a_record_it_edits_without_naming_it() {
    let (repo, _old, other, _) = register_with_an_old_problem();
    repo.chg(&["submit", &other]).assert().success();
    repo.commit_all(&format!("Submit {other}"));
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // Only the file changes: no entry added, nothing named.
    let text = repo.read(&repo.record_path(&other));
    repo.write(
        &repo.record_path(&other),
        &text.replace("plan: revert", "plan: ''"),
    );
    repo.commit_all("Tidy another record");
    let in_range = found(&repo, &["--no-cache", "--range", &format!("{base}..HEAD")]);
    assert!(
        in_range.contains(&("R005".into(), other.clone())),
        "{in_range:?}"
    );
}

#[test]
fn a_range_reports_the_strays_it_adds_not_older_ones() {
    let (repo, old, _other, _) = register_with_an_old_problem();
    repo.write(".changes/notes.txt", "kept here long ago\n");
    repo.commit_all("Keep notes in the register");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // A record renamed to .yml in a year folder, and a folder chg does not read.
    let path = repo.record_path(&old);
    repo.git(&["mv", &path, &path.replace(".yaml", ".yml")]);
    repo.write(".changes/old/readme.md", "moved away\n");
    repo.commit_all("Rename a record");
    let strays = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let (_, out, _) = outcome(&mut repo.chg(&all));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut paths: Vec<String> = (value["findings"].as_array().unwrap().iter())
            .filter(|f| f["rule"] == "R009")
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };
    let yml = path.replace(".yaml", ".yml");
    let whole = strays(&["--no-cache"]);
    assert_eq!(
        whole,
        [yml.as_str(), ".changes/notes.txt", ".changes/old/"],
        "{whole:?}"
    );
    let range = format!("{base}..HEAD");
    assert_eq!(
        strays(&["--no-cache", "--range", &range]),
        [yml.as_str(), ".changes/old/"]
    );
}
