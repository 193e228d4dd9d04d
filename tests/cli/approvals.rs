//! Approvals mean something: each refusal of the lifecycle issue, staleness, --commit.

use crate::common::{outcome, refused, stdout_of, write_script, TestRepo};
use crate::lifecycle::{propose, repo, status_of, IAN, LEE, SAM};

fn submitted(class: &str) -> (TestRepo, String) {
    let repo = repo();
    let id = propose(&repo, class, &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all(&format!("{id}: propose"));
    (repo, id)
}

fn approve_as(repo: &TestRepo, who: (&str, &str), args: &[&str]) -> assert_cmd::Command {
    let mut all = vec!["approve"];
    all.extend_from_slice(args);
    repo.chg_as(who.0, who.1, &all)
}

#[test]
fn approving_an_unknown_id_is_an_input_error() {
    let (repo, _) = submitted("normal");
    refused(
        &repo,
        approve_as(&repo, LEE, &["CHG-2026-0999"]),
        2,
        "no change CHG-2026-0999",
    );
}

#[test]
fn a_draft_cannot_be_approved() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let stderr = refused(&repo, approve_as(&repo, LEE, &[&id]), 1, "is a draft");
    assert!(stderr.contains(&format!("chg submit {id}")), "{stderr}");
}

#[test]
fn one_role_cannot_approve_twice() {
    let (repo, id) = submitted("major");
    approve_as(&repo, LEE, &[&id, "--role", "lead"])
        .assert()
        .success();
    refused(
        &repo,
        approve_as(&repo, LEE, &[&id, "--role", "lead"]),
        1,
        "already approved as lead (by lee@example.com",
    );
}

#[test]
fn someone_outside_the_role_is_refused() {
    let (repo, id) = submitted("major");
    let stderr = refused(
        &repo,
        approve_as(&repo, SAM, &[&id, "--role", "lead"]),
        1,
        "not a member of lead",
    );
    assert!(
        stderr.contains("lee@example.com"),
        "names the members: {stderr}"
    );
    refused(
        &repo,
        approve_as(&repo, IAN, &[&id]),
        1,
        "not a member of any role",
    );
}

#[test]
fn the_author_cannot_approve_their_own_change() {
    let (repo, id) = submitted("normal");
    // Ada wrote it; even as a member of the role she is refused.
    repo.write(
        ".changes.toml",
        &crate::lifecycle::POLICY.replace(
            "lead = [\"lee@example.com\"]",
            "lead = [\"lee@example.com\", \"ada@example.com\"]",
        ),
    );
    refused(
        &repo,
        repo.chg(&["approve", &id]),
        1,
        "separation of duties",
    );
}

#[test]
fn a_role_the_policy_does_not_have_is_an_input_error() {
    let (repo, id) = submitted("normal");
    let stderr = refused(
        &repo,
        approve_as(&repo, LEE, &[&id, "--role", "ceo"]),
        2,
        "role `ceo` is not defined",
    );
    assert!(stderr.contains("lead"), "lists the roles: {stderr}");
    refused(
        &repo,
        approve_as(&repo, LEE, &[&id, "--role", "security"]),
        1,
        "does not need approval from security",
    );
}

#[test]
fn one_person_cannot_fill_two_roles_when_the_policy_asks_for_distinct_people() {
    let repo = repo();
    let id = propose(
        &repo,
        "major",
        &["--likelihood", "almost-certain", "--impact", "major"],
    );
    repo.chg(&["submit", &id]).assert().success();
    approve_as(&repo, LEE, &[&id, "--role", "lead"])
        .assert()
        .success();
    refused(
        &repo,
        approve_as(&repo, LEE, &[&id, "--role", "cab"]),
        1,
        "you already approved",
    );
    approve_as(&repo, SAM, &[&id, "--role", "security"])
        .assert()
        .success();
    approve_as(&repo, ("Carl", "carl@example.com"), &[&id, "--role", "cab"])
        .assert()
        .success();
    assert_eq!(status_of(&repo, &id), "approved");
}

#[test]
fn several_open_roles_need_a_role_flag() {
    let repo = repo();
    repo.write(
        ".changes.toml",
        &crate::lifecycle::POLICY.replace(
            "[approvals.by_risk]",
            "[approvals]\ndistinct_approvers = false\n\n[approvals.by_risk]",
        ),
    );
    let id = propose(
        &repo,
        "normal",
        &["--likelihood", "almost-certain", "--impact", "major"],
    );
    repo.chg(&["submit", &id]).assert().success();
    refused(
        &repo,
        approve_as(&repo, LEE, &[&id]),
        2,
        "as lead or cab: say which with --role",
    );
}

#[test]
fn deploying_a_normal_change_before_approval_is_refused() {
    let (repo, id) = submitted("normal");
    let stderr = refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        "cannot be deployed: it still needs approval from lead",
    );
    assert!(stderr.contains("only emergency changes"), "{stderr}");
    refused(&repo, repo.chg(&["start", &id]), 1, "cannot be started");
}

#[test]
fn submit_without_a_rollback_plan_is_refused() {
    let repo = repo();
    repo.chg(&[
        "new",
        "--title",
        "No way back",
        "--class",
        "normal",
        "--description",
        "x",
    ])
    .assert()
    .success();
    let stderr = refused(
        &repo,
        repo.chg(&["submit", "CHG-2026-0001"]),
        1,
        "lacks: rollback.plan",
    );
    assert!(
        stderr.contains("without a rollback plan is rejected"),
        "{stderr}"
    );
}

#[test]
fn a_declared_risk_level_that_differs_needs_a_justification() {
    let repo = repo();
    let id = propose(
        &repo,
        "normal",
        &["--likelihood", "likely", "--impact", "major"],
    );
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("  impact: major\n", "  impact: major\n  level: low\n"),
    );
    refused(
        &repo,
        repo.chg(&["submit", &id]),
        1,
        "risk.justification (risk.level says low, the policy derives high)",
    );
    repo.write(
        &path,
        &repo.read(&path).replace(
            "  level: low\n",
            "  level: low\n  justification: behind a flag\n",
        ),
    );
    repo.chg(&["submit", &id]).assert().success();
}

#[test]
fn risk_flags_out_of_range_are_input_errors() {
    let (repo, id) = submitted("normal");
    refused(
        &repo,
        repo.chg(&["assess", &id, "--factor", "data=7"]),
        2,
        "factors are scored 1 to 3",
    );
    refused(
        &repo,
        repo.chg(&["assess", &id, "--likelihood", "sometimes"]),
        2,
        "not a known likelihood",
    );
    refused(&repo, repo.chg(&["assess", &id]), 2, "nothing to assess");
}

#[test]
fn a_record_hand_edited_into_an_illegal_state_is_refused() {
    let (repo, id) = submitted("normal");
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("status: submitted", "status: approved"),
    );
    let stderr = refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        "illegal state",
    );
    assert!(stderr.contains("status was edited by hand"), "{stderr}");
    refused(&repo, approve_as(&repo, LEE, &[&id]), 1, "illegal state");
}

#[test]
fn an_edit_after_approval_makes_it_stale_and_the_change_drops_out_of_approved() {
    let (repo, id) = submitted("normal");
    approve_as(&repo, LEE, &[&id]).assert().success();
    assert_eq!(status_of(&repo, &id), "approved");
    repo.chg(&["edit", &id])
        .env(
            "EDITOR",
            "sed -i -e 's/^description: .*/description: Something else entirely/'",
        )
        .assert()
        .success()
        .stderr(predicates::str::contains("approvals went stale"));
    assert_eq!(status_of(&repo, &id), "submitted");
    let show = stdout_of(&mut repo.chg(&["show", &id]));
    assert!(show.contains("STALE: lead by lee@example.com"), "{show}");
    assert!(show.contains("needed: lead"), "{show}");
    let listed = stdout_of(&mut repo.chg(&["list", "--status", "approved"]));
    assert_eq!(listed, "no changes\n");
    // Approving again restores it.
    approve_as(&repo, LEE, &[&id]).assert().success();
    assert_eq!(status_of(&repo, &id), "approved");
}

#[test]
fn a_hand_edit_after_approval_stops_deployment() {
    let (repo, id) = submitted("normal");
    approve_as(&repo, LEE, &[&id]).assert().success();
    repo.chg(&["start", &id]).assert().success();
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("Revert the merge", "Restore from backup"),
    );
    refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        "approvals are stale",
    );
}

#[test]
fn approve_commit_commits_just_the_record_as_the_approver() {
    let (repo, id) = submitted("normal");
    repo.write("unrelated.txt", "staged work\n");
    repo.git(&["add", "unrelated.txt"]);
    approve_as(&repo, LEE, &[&id, "--commit", "--comment", "ship it"])
        .assert()
        .success();
    let log = repo.git(&["log", "-1", "--format=%an <%ae>%n%s%n%b", "--name-only"]);
    assert!(
        log.starts_with(&format!(
            "Lee Lead <lee@example.com>\nApprove {id} as lead\n"
        )),
        "{log}"
    );
    assert!(log.contains(&format!("Change: {id}")), "{log}");
    assert!(
        log.contains(&repo.record_path(&id)) && !log.contains("unrelated.txt"),
        "{log}"
    );
    let staged = repo.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(
        staged.trim(),
        "unrelated.txt",
        "other staged work stays staged"
    );
}

#[test]
fn a_failed_approval_commit_takes_the_approval_back() {
    let (repo, id) = submitted("normal");
    let hook = repo.path().join(".git/hooks/pre-commit");
    write_script(&hook, "#!/bin/sh\necho 'hook says no' >&2\nexit 1\n");
    let stderr = refused(
        &repo,
        approve_as(&repo, LEE, &[&id, "--commit"]),
        2,
        "was not committed, so it was not kept",
    );
    assert!(stderr.contains("hook says no"), "{stderr}");
    assert!(
        !stderr.contains("approved as"),
        "nothing claims an approval that was taken back: {stderr}"
    );
}

/// The digests a whole check works out for every approved record beside its walk
/// are those a check of one record works out when asked: an approval goes stale
/// (P005) on the record edited after it, wherever that record stands in the
/// register, and on no other.
#[test]
fn approvals_go_stale_alike_in_a_whole_check_and_a_check_of_one_record() {
    let repo = repo();
    let ids: Vec<String> = (0..3)
        .map(|_| {
            let id = propose(&repo, "normal", &[]);
            repo.chg(&["submit", &id]).assert().success();
            id
        })
        .collect();
    repo.commit_all("Propose three changes");
    for id in &ids {
        approve_as(&repo, LEE, &[id]).assert().success();
    }
    repo.commit_all("Approve them");
    // The second record edited by hand after its approval, and committed.
    let path = format!(".changes/{}.yaml", ids[1]);
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("Revert the merge", "Restore from backup"),
    );
    repo.commit_all("Edit the rollback");
    let stale = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--no-cache", "--format", "json"];
        all.extend_from_slice(args);
        let (_, stdout, stderr) = outcome(&mut repo.chg(&all));
        let out: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
        let findings = out["findings"].as_array().unwrap();
        (findings.iter())
            .filter(|f| f["rule"] == "P005")
            .map(|f| f["record"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(stale(&[]), [ids[1].clone()]);
    for id in &ids {
        let expected: Vec<String> = (id == &ids[1]).then(|| id.clone()).into_iter().collect();
        assert_eq!(stale(&["--record", id]), expected, "{id}");
    }
}
