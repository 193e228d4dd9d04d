//! `chg check` on real histories: scopes, and the bad inputs of the check issue.

use crate::common::{outcome, refused, TestRepo};

fn check(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    outcome(&mut repo.chg(&all))
}

/// A register with one pre-approved (standard) change, committed, and
/// `reference = "required"`: work naming it may land.
fn strict_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", "[commits]\nreference = \"required\"\n");
    repo.commit_all("Adopt chg\n\nChange: CHG-2026-0001");
    repo.chg(&[
        "new",
        "--title",
        "Add the column",
        "--class",
        "standard",
        "--description",
        "x",
    ])
    .assert()
    .success();
    repo.chg(&["submit", "CHG-2026-0001"]).assert().success();
    repo.commit_all("CHG-2026-0001: propose");
    repo
}

#[test]
fn a_non_utf8_commit_message_is_read_not_fatal() {
    let repo = strict_repo();
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "-A"]);
    std::fs::write(
        repo.path().join("msg"),
        b"CHG-2026-0001: caf\xe9 cr\xe8me\n",
    )
    .unwrap();
    repo.git(&[
        "-c",
        "i18n.commitEncoding=latin1",
        "commit",
        "-q",
        "-F",
        "msg",
    ]);
    let (code, stdout, stderr) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn ids_of_the_wrong_shape_are_not_references() {
    let repo = strict_repo();
    repo.write("src/a.sql", "x\n");
    repo.commit_all("CHG-26-1: add the column\n\nChange: CHG-2026-1x");
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("H002 missing-change-reference"), "{stdout}");
    assert!(
        stdout.contains("`Change: CHG-2026-1x`, which is not a change ID"),
        "{stdout}"
    );
}

#[test]
fn a_record_broken_in_one_old_commit_but_fine_at_head_is_clean() {
    let repo = strict_repo();
    let path = ".changes/CHG-2026-0001.yaml";
    let good = repo.read(path);
    repo.write(path, "id: [broken\n");
    repo.commit_all("CHG-2026-0001: oops");
    repo.write(path, &good);
    repo.write("src/a.sql", "x\n");
    repo.commit_all("CHG-2026-0001: fix the record and add the column");
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_missing_adr_directory_is_a_finding() {
    let repo = TestRepo::new();
    repo.chg(&[
        "new",
        "--title",
        "t",
        "--class",
        "normal",
        "--adr",
        "docs/adr/0001-x.md",
    ])
    .assert()
    .success();
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("A002 adr-not-found: ADR docs/adr/0001-x.md does not exist"),
        "{stdout}"
    );
}

#[test]
fn a_range_that_does_not_resolve_is_an_input_error() {
    let repo = strict_repo();
    refused(
        &repo,
        repo.chg(&["check", "--range", "nope..HEAD"]),
        2,
        "`nope` does not name a commit",
    );
    refused(
        &repo,
        repo.chg(&["check", "--range", "HEAD"]),
        2,
        "is not of the form A..B",
    );
}

#[test]
fn a_range_checks_only_its_commits() {
    let repo = strict_repo();
    repo.write("src/old.sql", "x\n");
    repo.commit_all("An old unreferenced commit");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write("src/new.sql", "y\n");
    repo.commit_all("CHG-2026-0001: new work");
    let (code, stdout, _) = check(&repo, &["--range", &format!("{base}..HEAD")]);
    assert_eq!(code, 0, "the old commit is outside the range: {stdout}");
    let (code, _, _) = check(&repo, &[]);
    assert_eq!(code, 1, "the whole history has the unreferenced commit");
}

#[test]
fn the_baseline_leaves_older_history_alone() {
    let repo = TestRepo::new();
    repo.write("src/legacy.sql", "x\n");
    repo.commit_all("Legacy work before chg");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write(
        ".changes.toml",
        &format!("[changes]\nbaseline = \"{base}\"\n[commits]\nreference = \"required\"\n"),
    );
    repo.commit_all("Adopt chg\n\nChange: CHG-2026-0001");
    repo.new_change("First");
    repo.commit_all("CHG-2026-0001: propose");
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}");
    repo.write(
        ".changes.toml",
        "[changes]\nbaseline = \"no-such-commit\"\n",
    );
    refused(&repo, repo.chg(&["check"]), 2, "changes.baseline");
}

#[test]
fn a_shallow_clone_says_so_and_checks_what_is_there() {
    let upstream = strict_repo();
    for n in 0..3 {
        upstream.write(&format!("src/{n}.sql"), "x\n");
        upstream.commit_all(&format!("CHG-2026-0001: step {n}"));
    }
    let clone = TestRepo::bare_dir();
    clone.git(&[
        "clone",
        "-q",
        "--depth",
        "2",
        &format!("file://{}", upstream.path().display()),
        ".",
    ]);
    // The whole history cannot be proven from a cut one: the check fails closed.
    let (code, stdout, stderr) = check(&clone, &[]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    // What the clone holds whole can be checked, and it says the clone is shallow.
    let (code, stdout, stderr) = check(&clone, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("shallow clone"), "{stderr}");
}

#[test]
fn a_shallow_clone_that_does_not_reach_the_baseline_says_so_and_fails_closed() {
    let upstream = strict_repo();
    let base = upstream.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let policy = upstream.read(".changes.toml");
    upstream.write(
        ".changes.toml",
        &format!("[changes]\nbaseline = \"{base}\"\n{policy}"),
    );
    upstream.commit_all("CHG-2026-0001: set the baseline");
    let clone = TestRepo::bare_dir();
    clone.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &format!("file://{}", upstream.path().display()),
        ".",
    ]);
    let (code, stdout, stderr) = check(&clone, &[]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("beyond this shallow clone"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
}

#[test]
fn a_detached_head_is_checked_like_a_branch() {
    let repo = strict_repo();
    repo.git(&["checkout", "-q", "--detach", "HEAD"]);
    repo.write("src/a.sql", "x\n");
    repo.commit_all("Unreferenced on a detached HEAD");
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("\"Unreferenced on a detached HEAD\" names no change"),
        "{stdout}"
    );
}

#[test]
fn an_empty_register_directory_is_clean() {
    let repo = TestRepo::initialised();
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 record(s) checked"), "{stdout}");
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Staged");
    repo.git(&["add", "-A"]);
    repo.write(
        &format!(".changes/{id}.yaml"),
        "id: [broken in the working tree only\n",
    );
    let (code, stdout, _) = check(&repo, &["--staged"]);
    assert_eq!(code, 0, "{stdout}");
    repo.git(&["add", "-A"]);
    let (code, stdout, _) = check(&repo, &["--staged"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("R001"), "{stdout}");
}

#[test]
fn an_approval_typed_in_by_someone_else_is_caught_through_the_binary() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[roles]\nlead = [\"lee@example.com\"]\n[classes.normal]\napprovals = [\"lead\"]\n",
    );
    repo.commit_all("policy");
    let id = "CHG-2026-0001";
    repo.chg(&[
        "new",
        "--title",
        "Work",
        "--class",
        "normal",
        "--description",
        "x",
        "--rollback",
        "revert",
    ])
    .assert()
    .success();
    repo.chg(&["submit", id]).assert().success();
    repo.commit_all(&format!("{id}: propose"));
    // Lee approves, but Ada commits it.
    repo.chg_as("Lee", "lee@example.com", &["approve", id])
        .assert()
        .success();
    repo.commit_all(&format!("{id}: approved by Lee"));
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "P004 approval-unverified: the approval by lee@example.com as lead was added in"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("authored by ada@example.com"), "{stdout}");
}

/// Recording a finished change's own closing moves is the register's business: the
/// commit that cancels a rejected change names it without working under it.
#[test]
fn a_rejected_change_cancelled_in_a_commit_of_its_own_is_clean_and_work_under_it_is_not() {
    const LEE: crate::common::Who = ("Lee", "lee@example.com");
    const ADA: crate::common::Who = ("Ada Lovelace", "ada@example.com");
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg_as(LEE.0, LEE.1, &["reject", &id, "--reason", "Too risky"])
        .assert()
        .success();
    repo.commit_all_as(crate::common::NOW, LEE, &format!("{id}: rejected"));
    repo.chg(&["cancel", &id, "--reason", "Rejected"])
        .assert()
        .success();
    repo.commit_all_as(crate::common::NOW, ADA, &format!("{id}: cancel"));
    let (code, stdout, stderr) = check(&repo, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    repo.write("src/a.sql", "x\n");
    repo.commit_all_as(crate::common::NOW, ADA, &format!("{id}: add the column"));
    let (code, stdout, _) = check(&repo, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("H005 reference-to-inactive-change"),
        "{stdout}"
    );
}
