//! `chg audit` proves a rejection as it proves an approval: the commit that added it
//! was made by the rejecter, who held the role before it, against the content the
//! record holds. A rejection someone else committed is not proven.

use crate::common::{outcome, stdout_of, TestRepo};
use crate::lifecycle::{propose, repo, ADA, LEE};

const AT: &str = "2026-03-02T10:00:00Z";

/// A submitted normal change, committed by Ada, awaiting Lee's decision.
fn submitted() -> (TestRepo, String) {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all_as(AT, ADA, &format!("{id}: propose"));
    (repo, id)
}

/// The audit's JSON entry of `id`'s first decision.
fn decision(repo: &TestRepo, id: &str) -> serde_json::Value {
    let (code, audit, stderr) = outcome(&mut repo.chg(&["audit", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let entry = audit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in the audit: {audit}"))
        .clone();
    let decision = entry["approvals"][0].clone();
    assert_eq!(decision["decision"], "rejected", "{entry}");
    decision
}

#[test]
fn a_rejection_committed_by_the_rejecter_is_proven_in_every_format() {
    let (repo, id) = submitted();
    let args = ["reject", id.as_str(), "--reason", "Too risky", "--commit"];
    repo.chg_at(AT, LEE.0, LEE.1, &args).assert().success();

    let rejection = decision(&repo, &id);
    for proof in ["commit_author", "roster", "digest"] {
        assert_eq!(
            rejection[proof]["verdict"], "proven",
            "{proof}: {rejection}"
        );
    }
    assert_eq!(
        rejection["digest"]["how"], "rejects the record's content",
        "{rejection}"
    );

    let json = stdout_of(&mut repo.chg(&["audit", "--format", "json"]));
    let tally: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(tally["proofs"]["unproven"], 0, "{}", tally["proofs"]);
    assert_eq!(tally["proofs"]["failed"], 0, "{}", tally["proofs"]);

    let csv = stdout_of(&mut repo.chg(&["audit", "--format", "csv"]));
    assert!(
        csv.contains("lead by lee@example.com")
            && csv.contains("(rejected): commit author proven")
            && csv.contains("digest proven – rejects the record's content"),
        "{csv}"
    );
    let markdown = stdout_of(&mut repo.chg(&["audit", "--format", "markdown"]));
    assert!(
        markdown.contains("| lead | lee@example.com |")
            && markdown.contains("| rejected | ✓ added in")
            && markdown.contains("| ✓ rejects the record's content |"),
        "{markdown}"
    );
    let table = stdout_of(&mut repo.chg(&["audit"]));
    assert!(
        table.contains("lead: lee@example.com rejected ✓✓✓"),
        "{table}"
    );
}

#[test]
fn a_rejection_someone_else_committed_is_not_proven() {
    let (repo, id) = submitted();
    // Lee's name on the rejection, but Ada's commit: anyone can write the YAML.
    let args = ["reject", id.as_str(), "--reason", "Too risky"];
    repo.chg_at(AT, LEE.0, LEE.1, &args).assert().success();
    repo.commit_all_as(AT, ADA, &format!("{id}: rejected"));

    let rejection = decision(&repo, &id);
    assert_eq!(
        rejection["commit_author"]["verdict"], "failed",
        "{rejection}"
    );
    assert_eq!(rejection["digest"]["verdict"], "proven", "{rejection}");
    let table = stdout_of(&mut repo.chg(&["audit"]));
    assert!(
        table.contains("lead: lee@example.com rejected ✗✓✓"),
        "{table}"
    );
}

#[test]
fn a_rejection_never_committed_is_unproven_and_one_of_edited_content_is_not_proven() {
    let (repo, id) = submitted();
    let args = ["reject", id.as_str(), "--reason", "Too risky"];
    repo.chg_at(AT, LEE.0, LEE.1, &args).assert().success();
    let rejection = decision(&repo, &id);
    assert_eq!(
        rejection["commit_author"]["verdict"], "unproven",
        "{rejection}"
    );

    // The content changes after the rejection: it no longer says what was rejected.
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo.read(&path).replace("What and how", "Something else"),
    );
    let rejection = decision(&repo, &id);
    assert_eq!(rejection["digest"]["verdict"], "unproven", "{rejection}");
    assert!(
        rejection["digest"]["how"]
            .as_str()
            .unwrap()
            .contains("earlier content"),
        "{rejection}"
    );
}
