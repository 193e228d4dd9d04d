use crate::common::TestRepo;
use std::collections::BTreeSet;

fn record_files(repo: &TestRepo) -> BTreeSet<String> {
    std::fs::read_dir(repo.path().join(".changes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
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
    let expected: BTreeSet<String> = (1..=20).map(|n| format!("CHG-2026-{n:04}.yaml")).collect();
    assert_eq!(files, expected);
    // Each file holds the record whose ID it is named after, whole.
    for id in &ids {
        let yaml = repo.read(&format!(".changes/{id}.yaml"));
        let modeline = "# yaml-language-server: $schema=schema.json\n";
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
    assert!(!repo.path().join(".changes/CHG-2026-0003.yaml").exists());

    assert_eq!(repo.new_change("On main"), "CHG-2026-0004");
}

#[test]
fn staged_records_count_as_used() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Staged then removed from the tree");
    repo.git(&["add", "-A"]);
    std::fs::remove_file(repo.path().join(format!(".changes/{id}.yaml"))).unwrap();
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
