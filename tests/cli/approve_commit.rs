//! `chg approve --commit` and `chg reject --commit` commit the decision and nothing
//! else: not someone else's uncommitted edits of the record, not other staged files.

use crate::common::{outcome, TestRepo, Who};
use crate::lifecycle::{propose, repo, ADA, LEE, RITA};

/// A submitted normal change, committed by Ada; the repository then acts as Lee, as
/// Lee's own clone would.
fn awaiting_lee() -> (TestRepo, String, String) {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all(&format!("{id}: propose"));
    act_as(&repo, LEE);
    let path = repo.record_path(&id);
    (repo, id, path)
}

/// The repository's config names `who` as the user, as their own clone would.
fn act_as(repo: &TestRepo, who: Who) {
    repo.git(&["config", "user.name", who.0]);
    repo.git(&["config", "user.email", who.1]);
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// `chg approve <id> --commit` is refused as [`refused_decision`] says.
fn refused_commit(repo: &TestRepo, id: &str, path: &str, needle: &str) -> String {
    refused_decision(repo, &["approve", id, "--commit"], path, needle)
}

/// `chg <args>` (approve or reject, with --commit) is refused with exit 1 and
/// `needle` for the record's uncommitted edits, and neither the record's bytes, any
/// other file, the index nor HEAD moved.
fn refused_decision(repo: &TestRepo, args: &[&str], path: &str, needle: &str) -> String {
    let (command, id) = (args[0], args[1]);
    let done = if command == "approve" {
        "approved"
    } else {
        "rejected"
    };
    let (record, files) = (
        std::fs::read(repo.path().join(path)).unwrap(),
        repo.snapshot(),
    );
    let (before, index) = (head(repo), repo.git(&["diff", "--cached"]));
    let (code, stdout, stderr) = outcome(&mut repo.chg(args));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains(needle), "lacks {needle:?}: {stderr}");
    assert!(
        stderr.contains(&format!("{path} "))
            && stderr.contains(&format!("`chg {command} --commit`"))
            && stderr.contains(&format!("{id} was not {done}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("ask whoever made those edits to commit them first")
            && stderr.contains(&format!("`git commit {path}`")),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(std::fs::read(repo.path().join(path)).unwrap(), record);
    assert!(files == repo.snapshot(), "a refused approval changed files");
    assert_eq!(head(repo), before, "a commit was made");
    assert_eq!(repo.git(&["diff", "--cached"]), index, "the index moved");
    stderr
}

#[test]
fn uncommitted_edits_of_the_record_are_not_committed_as_the_approvers() {
    let (repo, id, path) = awaiting_lee();
    // Ada rewrites the description and does not commit.
    repo.write(
        &path,
        &repo.read(&path).replace("What and how", "Something else"),
    );
    refused_commit(
        &repo,
        &id,
        &path,
        "has edits in the working tree that are not committed",
    );
}

#[test]
fn staged_edits_of_the_record_are_refused_too() {
    let (repo, id, path) = awaiting_lee();
    repo.write(&path, &format!("{}# a note\n", repo.read(&path)));
    repo.git(&["add", &path]);
    refused_commit(&repo, &id, &path, "has staged edits that are not committed");
}

#[test]
fn a_record_never_committed_is_refused() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    act_as(&repo, LEE);
    let path = repo.record_path(&id);
    refused_commit(&repo, &id, &path, "has never been committed");
}

#[test]
fn a_clean_record_gets_one_commit_of_the_approval_alone_by_the_approver() {
    let (repo, id, path) = awaiting_lee();
    let before = head(&repo);
    decided_with_work_staged(&repo, &["approve", &id, "--commit"]);
    let who = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>"]);
    assert_eq!(
        who.trim(),
        "Lee Lead <lee@example.com>|Lee Lead <lee@example.com>"
    );
    // What was committed is the approval: the record as it now stands, nothing else.
    one_commit_of_the_record_alone(&repo, &before, &path, "+- role: lead");
}

/// Lee runs `chg <args>` (a decision with --commit) while other work is staged;
/// asserts it succeeded and returns its stderr.
fn decided_with_work_staged(repo: &TestRepo, args: &[&str]) -> String {
    repo.write("src/work.rs", "// staged, not Lee's to commit\n");
    repo.git(&["add", "src/work.rs"]);
    let (code, _, stderr) = outcome(&mut repo.chg(args));
    assert_eq!(code, 0, "{stderr}");
    stderr
}

/// Since `before` there is one commit, of the record at `path` alone: it adds
/// `added` and Lee's name, removes only the old status, leaves nothing of the record
/// uncommitted, and the other work [`decided_with_work_staged`] staged stays staged.
fn one_commit_of_the_record_alone(repo: &TestRepo, before: &str, path: &str, added: &str) {
    let range = format!("{before}..HEAD");
    assert_eq!(repo.git(&["rev-list", "--count", &range]).trim(), "1");
    let files = repo.git(&["show", "--format=", "--name-only", "HEAD"]);
    assert_eq!(files.trim(), path, "only the record is committed");
    let diff = repo.git(&["diff", before, "HEAD", "--", path]);
    assert!(diff.contains(added), "{diff}");
    assert!(diff.contains("+  by: lee@example.com"), "{diff}");
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert_eq!(removed, ["-status: submitted"], "{diff}");
    assert_eq!(repo.git(&["status", "--porcelain", "--", path]), "");
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]).trim(),
        "src/work.rs",
        "other staged work stays staged"
    );
}

/// `chg reject <id> --commit` with a reason.
fn reject_commit(id: &str) -> [&str; 5] {
    ["reject", id, "--reason", "Too risky", "--commit"]
}

#[test]
fn a_clean_record_gets_one_commit_of_the_rejection_alone_by_the_rejecter() {
    let (repo, id, path) = awaiting_lee();
    let before = head(&repo);
    let stderr = decided_with_work_staged(&repo, &reject_commit(&id));
    assert!(
        stderr.contains(&format!("{id}: rejected as lead")),
        "{stderr}"
    );
    let log = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>|%s"]);
    assert_eq!(
        log.trim(),
        format!("Lee Lead <lee@example.com>|Lee Lead <lee@example.com>|Reject {id} as lead")
    );
    one_commit_of_the_record_alone(&repo, &before, &path, "+  decision: rejected");

    // History proves the rejection Lee's: no finding, and the audit says so.
    repo.git(&["reset", "-q"]);
    std::fs::remove_file(repo.path().join("src/work.rs")).unwrap();
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, audit, stderr) = outcome(&mut repo.chg(&["audit", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let entry = audit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} is not in the audit: {audit}"));
    let rejection = &entry["approvals"][0];
    assert_eq!(rejection["decision"], "rejected", "{entry}");
    assert_eq!(rejection["by"], "lee@example.com", "{entry}");
    assert_eq!(rejection["commit"].as_str(), Some(head(&repo).as_str()));
    for proof in ["commit_author", "roster"] {
        assert_eq!(rejection[proof]["verdict"], "proven", "{proof}: {entry}");
    }
}

#[test]
fn uncommitted_edits_of_the_record_are_not_committed_as_the_rejecters() {
    let (repo, id, path) = awaiting_lee();
    repo.write(
        &path,
        &repo.read(&path).replace("What and how", "Something else"),
    );
    refused_decision(
        &repo,
        &reject_commit(&id),
        &path,
        "has edits in the working tree that are not committed",
    );
}

/// `chg reject --commit` refused for what the rejection itself lacks: exit 1, the
/// message, and no file, index or commit changed.
fn refused_rejection(repo: &TestRepo, id: &str, needle: &str) {
    let (files, before) = (repo.snapshot(), head(repo));
    let index = repo.git(&["diff", "--cached"]);
    let (code, stdout, stderr) = outcome(&mut repo.chg(&reject_commit(id)));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains(needle), "lacks {needle:?}: {stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        files == repo.snapshot(),
        "a refused rejection changed files"
    );
    assert_eq!(head(repo), before, "a commit was made");
    assert_eq!(repo.git(&["diff", "--cached"]), index, "the index moved");
}

#[test]
fn a_rejection_with_nothing_to_reject_commits_nothing() {
    let (repo, id, _) = awaiting_lee();
    repo.chg(&reject_commit(&id)).assert().success();
    refused_rejection(
        &repo,
        &id,
        "is rejected: decisions are recorded while it is submitted or assessed",
    );
}

#[test]
fn a_rejection_by_someone_outside_the_deciding_roles_commits_nothing() {
    let (repo, id, _) = awaiting_lee();
    act_as(&repo, RITA);
    refused_rejection(
        &repo,
        &id,
        "you (rita@example.com) are not a member of any role that decides on",
    );
}

#[test]
fn a_rejection_typed_into_the_record_by_someone_else_is_not_proven() {
    let (repo, id, path) = awaiting_lee();
    // Lee rejects, but Ada commits it: history cannot tell the rejection is Lee's.
    repo.chg(&["reject", &id, "--reason", "Too risky"])
        .assert()
        .success();
    repo.commit_all_as(crate::common::NOW, ADA, &format!("{id}: rejected by Lee"));
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "P004 approval-unverified: the rejection by lee@example.com as lead was added in"
        ) && stdout.contains("authored by ada@example.com"),
        "{stdout}"
    );
    assert!(repo.read(&path).contains("decision: rejected"));
}
