//! One change of each class through its whole life, with several identities.

use crate::common::{refused, stdout_of, TestRepo};

pub const POLICY: &str = r#"
[roles]
lead = ["lee@example.com"]
security = ["sam@example.com"]
cab = ["lee@example.com", "sam@example.com", "carl@example.com"]
release-manager = ["rita@example.com"]
incident-commander = ["ian@example.com"]

[classes.normal]
approvals = ["lead"]

[classes.major]
approvals = ["lead", "security"]

[classes.emergency]
approvals = ["incident-commander"]

[approvals.by_risk]
critical = ["cab"]
"#;

pub const LEE: (&str, &str) = ("Lee Lead", "lee@example.com");
pub const SAM: (&str, &str) = ("Sam Security", "sam@example.com");
pub const RITA: (&str, &str) = ("Rita Release", "rita@example.com");
pub const IAN: (&str, &str) = ("Ian Incident", "ian@example.com");
/// The author of every proposed change (the repository's configured user).
pub const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");

/// A repository with the test policy committed; Ada is the default identity.
pub fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Add the change policy");
    repo
}

/// Creates a change of `class` with what every class needs, returns its ID.
pub fn propose(repo: &TestRepo, class: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--title",
        "A change",
        "--class",
        class,
        "--description",
        "What and how",
        "--rationale",
        "Why",
        "--rollback",
        "Revert the merge",
        "--test-plan",
        "CI suite",
    ];
    args.extend_from_slice(extra);
    repo.create(&args)
}

pub fn status_of(repo: &TestRepo, id: &str) -> String {
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    yaml.lines()
        .find_map(|l| l.strip_prefix("status: "))
        .unwrap()
        .to_string()
}

fn run(repo: &TestRepo, who: (&str, &str), args: &[&str]) {
    repo.chg_as(who.0, who.1, args).assert().success();
}

#[test]
fn a_standard_change_is_pre_approved_on_submit() {
    let repo = repo();
    let id = propose(&repo, "standard", &[]);
    repo.chg(&["submit", &id])
        .assert()
        .success()
        .stdout(format!("{id} approved\n"));
    run(&repo, RITA, &["start", &id]);
    run(
        &repo,
        RITA,
        &["deploy", &id, "--env", "production", "--ref", "v1.2.3"],
    );
    run(&repo, RITA, &["verify", &id]);
    run(&repo, RITA, &["close", &id]);
    assert_eq!(status_of(&repo, &id), "closed");
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    assert!(
        yaml.contains("note: 'pre-approved: the class needs no approver'"),
        "{yaml}"
    );
}

#[test]
fn a_normal_change_walks_its_whole_life() {
    let repo = repo();
    let id = propose(
        &repo,
        "normal",
        &["--likelihood", "possible", "--impact", "minor"],
    );
    repo.chg(&["submit", &id]).assert().success();
    assert_eq!(status_of(&repo, &id), "submitted");
    run(&repo, LEE, &["assess", &id, "--likelihood", "unlikely"]);
    assert_eq!(status_of(&repo, &id), "assessed");
    run(&repo, LEE, &["approve", &id, "--comment", "Looks safe"]);
    assert_eq!(status_of(&repo, &id), "approved");
    run(
        &repo,
        RITA,
        &[
            "schedule",
            &id,
            "--start",
            "2026-11-24 06:00",
            "--end",
            "2026-11-24 08:00",
        ],
    );
    run(&repo, RITA, &["start", &id]);
    run(&repo, RITA, &["deploy", &id, "--env", "staging"]);
    run(
        &repo,
        RITA,
        &["deploy", &id, "--env", "production", "--ref", "v2"],
    );
    run(&repo, RITA, &["verify", &id, "--note", "error rate flat"]);
    run(&repo, ADA, &["close", &id]);
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    let moves: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("to: "))
        .collect();
    assert_eq!(
        moves,
        [
            "submitted",
            "assessed",
            "approved",
            "scheduled",
            "implementing",
            "deployed",
            "verified",
            "closed"
        ]
    );
    assert!(
        yaml.contains("by: lee@example.com") && yaml.contains("by: rita@example.com"),
        "{yaml}"
    );
    assert!(yaml.contains("digest: sha256:"), "{yaml}");
    assert!(
        yaml.contains("environment: staging") && yaml.contains("environment: production"),
        "{yaml}"
    );
}

#[test]
fn a_major_change_needs_both_roles_and_a_review_before_closing() {
    let repo = repo();
    let id = propose(&repo, "major", &[]);
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, LEE, &["approve", &id]);
    assert_eq!(
        status_of(&repo, &id),
        "submitted",
        "one of two roles is not enough"
    );
    run(&repo, SAM, &["approve", &id, "--role", "security"]);
    assert_eq!(status_of(&repo, &id), "approved");
    run(&repo, RITA, &["start", &id]);
    run(&repo, RITA, &["deploy", &id, "--env", "production"]);
    run(&repo, RITA, &["verify", &id]);
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["close", &id]),
        1,
        "need a post-implementation review first",
    );
    run(
        &repo,
        ADA,
        &[
            "review",
            &id,
            "--outcome",
            "achieved",
            "--lessons",
            "Stage it longer",
        ],
    );
    run(&repo, RITA, &["close", &id]);
    assert_eq!(status_of(&repo, &id), "closed");
}

#[test]
fn an_emergency_change_goes_ahead_and_is_approved_afterwards() {
    let repo = repo();
    let id = propose(&repo, "emergency", &["--incident", "INC-231"]);
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, RITA, &["start", &id]);
    run(&repo, RITA, &["deploy", &id, "--env", "production"]);
    run(&repo, RITA, &["verify", &id]);
    run(
        &repo,
        ADA,
        &[
            "review",
            &id,
            "--outcome",
            "achieved",
            "--side-effects",
            "none",
        ],
    );
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["close", &id]),
        1,
        "still needs approval from incident-commander",
    );
    run(&repo, IAN, &["approve", &id]);
    assert_eq!(
        status_of(&repo, &id),
        "verified",
        "an approval after the fact does not move the change"
    );
    run(&repo, RITA, &["close", &id]);
    assert_eq!(status_of(&repo, &id), "closed");
    assert!(repo
        .read(&format!(".changes/{id}.yaml"))
        .contains("incident: INC-231"));
}

#[test]
fn a_rejected_change_is_revised_and_resubmitted() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    run(
        &repo,
        LEE,
        &["reject", &id, "--reason", "Needs a staged rollout"],
    );
    assert_eq!(status_of(&repo, &id), "rejected");
    repo.chg(&["revise", &id]).assert().success();
    assert_eq!(status_of(&repo, &id), "draft");
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, LEE, &["approve", &id]);
    assert_eq!(status_of(&repo, &id), "approved");
}

#[test]
fn a_change_rolled_back_after_a_failed_deployment_can_close() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, LEE, &["approve", &id]);
    run(&repo, RITA, &["start", &id]);
    run(
        &repo,
        RITA,
        &["deploy", &id, "--env", "production", "--outcome", "failed"],
    );
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["verify", &id]),
        1,
        "last deployment (production) failed",
    );
    run(&repo, RITA, &["rollback", &id, "--reason", "5xx spike"]);
    run(&repo, RITA, &["close", &id]);
    assert_eq!(status_of(&repo, &id), "closed");
}

#[test]
fn cancel_works_until_deployment_and_not_after() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, LEE, &["approve", &id]);
    run(&repo, RITA, &["start", &id]);
    let deployed = propose(&repo, "standard", &[]);
    repo.chg(&["cancel", &id, "--reason", "superseded"])
        .assert()
        .success();
    assert_eq!(status_of(&repo, &id), "cancelled");

    repo.chg(&["submit", &deployed]).assert().success();
    run(&repo, RITA, &["start", &deployed]);
    run(&repo, RITA, &["deploy", &deployed, "--env", "production"]);
    let stderr = refused(
        &repo,
        repo.chg(&["cancel", &deployed, "--reason", "late"]),
        1,
        "cannot move from deployed to cancelled",
    );
    assert!(
        stderr.contains("legal next states: verified, rolled-back"),
        "{stderr}"
    );
}

#[test]
fn show_tells_risk_missing_approvals_and_next_moves() {
    let repo = repo();
    let id = propose(
        &repo,
        "major",
        &["--likelihood", "almost-certain", "--impact", "major"],
    );
    repo.chg(&["submit", &id]).assert().success();
    run(&repo, LEE, &["approve", &id, "--role", "lead"]);
    let text = stdout_of(&mut repo.chg(&["show", &id]));
    assert!(text.contains("critical (derived)"), "{text}");
    assert!(text.contains("approved: lead by lee@example.com"), "{text}");
    assert!(text.contains("needed: security, cab"), "{text}");
    // Ada wrote it: she may assess or cancel it, but not decide on it.
    for line in [
        "chg assess\n",
        "chg approve — not now: you (ada@example.com) wrote",
        "chg reject — not now: you (ada@example.com) wrote",
        "chg cancel\n",
    ] {
        assert!(text.contains(line), "{text}");
    }
}

#[test]
fn submitting_an_approved_change_names_the_moves_it_can_make_and_when_it_was_submitted() {
    let (repo, id) = TestRepo::awaiting_lee("");
    run(&repo, LEE, &["approve", &id]);
    assert_eq!(status_of(&repo, &id), "approved");
    let stderr = refused(
        &repo,
        repo.chg(&["submit", &id]),
        1,
        &format!(
            "{id} cannot move from approved to submitted; legal next states: scheduled, implementing, cancelled"
        ),
    );
    assert!(
        stderr.contains(&format!(
            "{id} was already submitted at 2026-11-21T10:30:00Z; it is approved now"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "from approved: `chg schedule {id}` (scheduled), `chg start {id}` (implementing), `chg cancel {id}` (cancelled)"
        )),
        "{stderr}"
    );
    // A change that was never at the state asked for gets no such hint.
    let stderr = refused(
        &repo,
        repo.chg(&["verify", &id]),
        1,
        "cannot move from approved to verified",
    );
    assert!(!stderr.contains("was already"), "{stderr}");
}
