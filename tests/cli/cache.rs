//! The cache of what earlier checks read from history (`.git/chg/cache/`): a second
//! check must say exactly what a check from git alone says, and `--no-cache` must
//! trust nothing but git.

use crate::common::{outcome, TestRepo};
use std::path::PathBuf;

fn check(repo: &TestRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = outcome(&mut repo.chg(&all));
    assert!(code == 0 || code == 1, "{stdout}{stderr}");
    (code, stdout)
}

fn cache_files(repo: &TestRepo) -> Vec<PathBuf> {
    std::fs::read_dir(repo.path().join(".git/chg/cache"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// A register with a change still in draft, and work naming a change with no record.
fn repo_with_findings() -> TestRepo {
    let repo = TestRepo::initialised();
    repo.new_change("Add the column");
    repo.commit_all("CHG-2026-0001: propose");
    repo.write("src/a.sql", "a\n");
    repo.commit_all("CHG-2026-0007: add the column");
    repo
}

#[test]
fn a_check_from_the_cache_says_what_a_check_from_git_says() {
    let repo = repo_with_findings();
    let (code, first) = check(&repo, &[]);
    assert_eq!(code, 1);
    assert!(first.contains("\"H001\""), "{first}");
    assert_eq!(
        cache_files(&repo).len(),
        1,
        "the first check keeps what it read"
    );

    let (_, second) = check(&repo, &[]);
    assert_eq!(second, first);

    // New commits are read on top of what is kept.
    repo.write("src/b.sql", "b\n");
    repo.commit_all("CHG-2026-0001: add the index");
    repo.write("src/c.sql", "c\n");
    repo.commit_all("CHG-2026-0009: and a view");
    let (_, third) = check(&repo, &[]);
    let (_, from_git) = check(&repo, &["--no-cache"]);
    assert_eq!(third, from_git);
    assert!(third.contains("CHG-2026-0009"), "{third}");
    assert!(third.contains("H004"), "{third}");
}

#[test]
fn a_policy_edit_keeps_the_facts_of_the_commits_it_does_not_judge() {
    let repo = TestRepo::initialised();
    repo.write("src/a.sql", "a\n");
    repo.commit_all("Add the column without naming a change");
    let (code, stdout) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}");
    let [before] = cache_files(&repo).try_into().unwrap();

    // A stricter policy in the working tree judges no commit yet: each is held to
    // the policy its parent had.
    let policy = repo.read(".changes.toml");
    let strict = policy.replace("reference = \"optional\"", "reference = \"required\"");
    assert_ne!(strict, policy);
    repo.write(".changes.toml", &strict);
    let (code, stdout) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(cache_files(&repo), [before], "one cache, kept");

    // Committed, it judges the commits after it.
    repo.commit_all("Require change references");
    repo.write("src/a.sql", "b\n");
    repo.commit_all("Change the column without naming a change");
    let (code, stdout) = check(&repo, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stdout.matches("\"H002\"").count(), 1, "{stdout}");
}

#[test]
fn no_cache_trusts_git_only_and_writes_nothing() {
    let repo = repo_with_findings();
    let (_, from_git) = check(&repo, &["--no-cache"]);
    assert!(cache_files(&repo).is_empty());

    // A forged cache that says no commit names anything hides H001 from a check that
    // trusts it; --no-cache still finds it.
    check(&repo, &[]);
    let [file] = cache_files(&repo).try_into().unwrap();
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let mut forged = kept.clone();
    let commits = std::mem::take(forged["commits"].as_object_mut().unwrap());
    // Quiet commits are kept by the number of the policy that judged them: say the
    // first policy judged these and found nothing.
    let mut groups = kept["quiet"].as_array().unwrap().clone();
    groups.resize(2, "".into());
    let quiet = groups[1].as_str().unwrap().to_string();
    groups[1] = (quiet + &commits.keys().cloned().collect::<String>()).into();
    forged["quiet"] = groups.into();
    std::fs::write(&file, serde_json::to_vec(&forged).unwrap()).unwrap();
    let (_, trusting) = check(&repo, &[]);
    assert!(!trusting.contains("\"H001\""), "{trusting}");
    assert_eq!(check(&repo, &["--no-cache"]).1, from_git);
}

#[test]
fn an_unreadable_cache_is_read_again_from_git() {
    let repo = repo_with_findings();
    let (_, from_git) = check(&repo, &[]);
    let [file] = cache_files(&repo).try_into().unwrap();
    std::fs::write(&file, "{ not json").unwrap();
    assert_eq!(check(&repo, &[]).1, from_git);
    let rewritten = std::fs::read_to_string(&file).unwrap();
    assert!(rewritten.starts_with("{\"format\""), "{rewritten}");
}

/// A long walk (many commits read from git per record file) holds the records it
/// read beside it, with the digests of the approved ones worked out there, and must
/// say exactly what a cached check, which reads almost nothing from git, says.
#[test]
fn records_held_through_a_long_walk_say_what_a_cached_check_says() {
    let repo = repo_with_findings();
    // A record file that cannot be read, in the working tree only.
    repo.write(".changes/CHG-2026-0003.yaml", "title: [unclosed\n");
    for n in 0..22 {
        repo.write(&format!("src/{n}.sql"), "x\n");
        repo.commit_all(&format!("CHG-2026-0001: step {n}"));
    }
    let run = |args: &[&str]| {
        let mut all = vec!["-v", "check", "--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = outcome(&mut repo.chg(&all));
        assert_eq!(code, 1, "{stdout}{stderr}");
        (stdout, stderr)
    };
    let (first, says) = run(&[]);
    assert!(
        says.contains("25 commits in scope, 25 of them read from git"),
        "{says}"
    );
    // Both what the records say (R001) and what history says (H001, H004).
    for rule in ["\"R001\"", "\"H001\"", "\"H004\""] {
        assert!(first.contains(rule), "{rule}: {first}");
    }

    let (cached, says) = run(&[]);
    assert!(says.contains("0 of them read from git"), "{says}");
    assert_eq!(cached, first);
}

/// Facts about every kind of entry (transitions, approvals, who committed them) are
/// kept: a second check reads nothing from git and says the same.
#[test]
fn the_entries_commits_added_are_kept_between_checks() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg_as("Lee", "lee@example.com", &["approve", &id, "--commit"])
        .assert()
        .success();
    let run = || {
        let (code, stdout, stderr) = outcome(&mut repo.chg(&["-v", "check", "--format", "json"]));
        assert_eq!(code, 0, "{stdout}{stderr}");
        (stdout, stderr)
    };
    let (first, says) = run();
    assert!(says.contains("3 of them read from git"), "{says}");
    let (cached, says) = run();
    assert!(says.contains("0 of them read from git"), "{says}");
    assert_eq!(cached, first);
}

/// A merge that names nothing but brings in work on a change answers for what the
/// change lacked where the work landed. The walk writes that into the merge's facts
/// as it reads the merge; a cached check must say what a check from git says, and
/// the cache must hold the merge's facts as read: once, still a merge, with the
/// change its two commits name asked about once.
#[test]
fn a_merge_naming_nothing_keeps_what_the_work_it_brings_lacked() {
    let repo = TestRepo::initialised();
    repo.new_change("Add the column");
    repo.commit_all("CHG-2026-0001: propose");
    repo.git(&["checkout", "-q", "-b", "column"]);
    repo.write("src/a.sql", "a\n");
    repo.commit_all("CHG-2026-0001: add the column");
    repo.write("src/b.sql", "b\n");
    repo.commit_all("CHG-2026-0001: and its index");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge the column", "column"]);
    let merge = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    let (code, first) = check(&repo, &[]);
    assert_eq!(code, 1, "{first}");
    assert!(first.contains("\"H004\""), "{first}");
    assert!(
        first.contains(&merge),
        "the merge is where the work landed: {first}"
    );
    let (_, second) = check(&repo, &[]);
    assert_eq!(second, first);
    let (_, from_git) = check(&repo, &["--no-cache"]);
    assert_eq!(from_git, first);

    let [file] = cache_files(&repo).try_into().unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(text.matches(&merge).count(), 1, "{text}");
    let cache: serde_json::Value = serde_json::from_str(&text).unwrap();
    let facts = &cache["commits"][&merge];
    assert_eq!(facts["is_merge"], true, "{facts}");
    let lacking = facts["lacking"].as_array().unwrap();
    assert_eq!(lacking.len(), 1, "{facts}");
    assert_eq!(lacking[0][0], "CHG-2026-0001", "{facts}");
}
