//! `chg approve --commit` commits the approval and nothing else: not someone else's
//! uncommitted edits of the record, not other staged files.

use crate::common::{outcome, TestRepo};
use crate::lifecycle::{propose, repo, LEE};

/// A submitted normal change, committed by Ada; the repository then acts as Lee, as
/// Lee's own clone would.
fn awaiting_lee() -> (TestRepo, String, String) {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all(&format!("{id}: propose"));
    repo.git(&["config", "user.name", LEE.0]);
    repo.git(&["config", "user.email", LEE.1]);
    let path = format!(".changes/{id}.yaml");
    (repo, id, path)
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// `chg approve <id> --commit` is refused with exit 1 and `needle`, and neither the
/// record's bytes, any other file, the index nor HEAD moved.
fn refused_commit(repo: &TestRepo, id: &str, path: &str, needle: &str) -> String {
    let (record, files) = (
        std::fs::read(repo.path().join(path)).unwrap(),
        repo.snapshot(),
    );
    let (before, index) = (head(repo), repo.git(&["diff", "--cached"]));
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["approve", id, "--commit"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains(needle), "lacks {needle:?}: {stderr}");
    assert!(
        stderr.contains(&format!("{path} ")) && stderr.contains(&format!("{id} was not approved")),
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
    repo.git(&["config", "user.name", LEE.0]);
    repo.git(&["config", "user.email", LEE.1]);
    let path = format!(".changes/{id}.yaml");
    refused_commit(&repo, &id, &path, "has never been committed");
}

#[test]
fn a_clean_record_gets_one_commit_of_the_approval_alone_by_the_approver() {
    let (repo, id, path) = awaiting_lee();
    let before = head(&repo);
    repo.write("src/work.rs", "// staged, not Lee's to commit\n");
    repo.git(&["add", "src/work.rs"]);
    let (code, _, stderr) = outcome(&mut repo.chg(&["approve", &id, "--commit"]));
    assert_eq!(code, 0, "{stderr}");
    let range = format!("{before}..HEAD");
    assert_eq!(repo.git(&["rev-list", "--count", &range]).trim(), "1");
    let who = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>"]);
    assert_eq!(
        who.trim(),
        "Lee Lead <lee@example.com>|Lee Lead <lee@example.com>"
    );
    let files = repo.git(&["show", "--format=", "--name-only", "HEAD"]);
    assert_eq!(files.trim(), path, "only the record is committed");
    // What was committed is the approval: the record as it now stands, nothing else.
    let diff = repo.git(&["diff", &before, "HEAD", "--", &path]);
    assert!(diff.contains("+- role: lead"), "{diff}");
    assert!(diff.contains("+  by: lee@example.com"), "{diff}");
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert_eq!(removed, ["-status: submitted"], "{diff}");
    assert_eq!(repo.git(&["status", "--porcelain", "--", &path]), "");
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]).trim(),
        "src/work.rs",
        "other staged work stays staged"
    );
}
