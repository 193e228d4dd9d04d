use crate::common::{findings_at, TestRepo, NOW};
use crate::hooks::{commit_passes, commit_refused, hooked_repo};
use std::collections::BTreeSet;

/// Every `.yaml` file in the records directory or below it, by its path in the
/// repository.
fn record_files(repo: &TestRepo) -> BTreeSet<String> {
    crate::common::snapshot_of(repo.path())
        .into_keys()
        .map(|path| path.to_str().unwrap().to_string())
        .filter(|path| path.starts_with(".changes/") && path.ends_with(".yaml"))
        .collect()
}

#[test]
fn twenty_concurrent_news_get_twenty_distinct_ids_and_files() {
    let repo = TestRepo::initialised();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let title = format!("Change {i}");
            repo.chg_process(&["new", "--no-input", "--class", "normal", "--title", &title])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ids = BTreeSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        ids.insert(stdout.split_whitespace().next().unwrap().to_string());
    }
    assert_eq!(ids.len(), 20, "{ids:?}");
    let files = record_files(&repo);
    assert_eq!(files.len(), 20, "{files:?}");
    // A register `chg init` started is fanned out: all twenty go in its first folder.
    let expected: BTreeSet<String> = (1..=20)
        .map(|n| format!(".changes/2026/00xx/CHG-2026-{n:04}.yaml"))
        .collect();
    assert_eq!(files, expected);
    // Each file holds the record whose ID it is named after, whole.
    for id in &ids {
        let yaml = repo.read(&format!(".changes/{id}.yaml"));
        let modeline = repo.modeline_of(id);
        assert!(yaml.starts_with(&format!("{modeline}id: {id}\n")), "{yaml}");
    }
}

#[test]
fn ids_used_on_other_branches_and_remotes_are_not_reused() {
    let upstream = TestRepo::initialised();
    // A change that exists only on the upstream's main: seen here as origin/main.
    upstream.new_change("Upstream change");
    upstream.new_change("Another upstream change");
    upstream.commit_all("CHG-2026-0001 CHG-2026-0002: propose");

    let repo = TestRepo::bare_dir();
    repo.git(&["clone", "-q", upstream.path().to_str().unwrap(), "."]);
    repo.git(&["config", "user.name", "Ada Lovelace"]);
    repo.git(&["config", "user.email", "ada@example.com"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    // A change on a local feature branch, not on main.
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let on_feature = repo.new_change("Feature change");
    repo.commit_all("propose on feature");
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(
        on_feature, "CHG-2026-0003",
        "origin/main's 0001 and 0002 were skipped"
    );
    assert!(!repo.place(".changes/CHG-2026-0003.yaml").exists());

    assert_eq!(repo.new_change("On main"), "CHG-2026-0004");
}

#[test]
fn staged_records_count_as_used() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Staged then removed from the tree");
    repo.git(&["add", "-A"]);
    std::fs::remove_file(repo.place(&format!(".changes/{id}.yaml"))).unwrap();
    assert_eq!(repo.new_change("Next"), "CHG-2026-0002");
}

#[test]
fn an_empty_repository_is_a_fine_place_to_start() {
    // No commit yet: nothing to read on branches, but a register can begin.
    let repo = TestRepo::new();
    repo.chg(&["list"])
        .assert()
        .success()
        .stdout("no changes\n");
    repo.chg(&["init"]).assert().success();
    assert_eq!(repo.new_change("First"), "CHG-2026-0001");
    repo.chg(&["show", "CHG-2026-0001"]).assert().success();
}

const MISSHAPEN: &str =
    "names CHG-2026-1, which is not an ID of this register: its IDs look like CHG-2026-0001";

#[test]
fn the_hook_refuses_an_id_with_too_few_digits_and_takes_the_right_one() {
    let repo = hooked_repo();
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "fix (CHG-2026-1)"],
        "H001 unknown-change-reference",
    );
    assert_eq!(said.matches("H001").count(), 1, "{said}");
    assert!(said.contains(MISSHAPEN), "{said}");
    commit_refused(
        &repo,
        &["commit", "-q", "-m", "Fix\n\nChange: CHG-2026-1"],
        MISSHAPEN,
    );
    commit_passes(&repo, &["commit", "-q", "-m", "fix (CHG-2026-0001)"]);
}

#[test]
fn check_reads_an_id_with_too_few_digits_as_misshapen_not_as_the_change() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Add the column");
    repo.commit_all(&format!("{id}: propose"));
    repo.write("src/a.sql", "x\n");
    repo.commit_all("fix (CHG-2026-1)");
    let (code, findings) = findings_at(&repo, NOW);
    let h001: Vec<_> = findings.iter().filter(|f| f.rule == "H001").collect();
    assert_eq!(h001.len(), 1, "{findings:?}");
    assert!(h001[0].message.ends_with(MISSHAPEN), "{}", h001[0].message);
    assert!(findings.iter().all(|f| f.rule != "H004"), "{findings:?}");
    assert_eq!(code, 1);

    // Written right, the same work is read as the change's, landed before approval.
    repo.write("src/b.sql", "x\n");
    repo.commit_all("fix (CHG-2026-0001)");
    let (_, findings) = findings_at(&repo, NOW);
    let h004: Vec<_> = findings.iter().filter(|f| f.rule == "H004").collect();
    assert_eq!(h004.len(), 1, "{findings:?}");
    assert_eq!(h004[0].record.as_deref(), Some("CHG-2026-0001"));
    assert_eq!(findings.iter().filter(|f| f.rule == "H001").count(), 1);
}
