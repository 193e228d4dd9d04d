//! `chg show --format json` and `chg list --format json`: each record's own keys, plus
//! a `derived` object with what chg works out of it for people — risk standing, what it
//! lacks, approval standings, gates, deadlines and next moves.

use crate::common::{outcome, refused, replaced, stdout_of, TestRepo, Who};
use crate::lifecycle::{propose, ADA, IAN, LEE, POLICY, SAM};
use serde_json::{json, Value};

/// The lifecycle policy with an approval SLA on major changes, a production gate, and
/// deadlines on an emergency's approval and retrospective.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    let policy = replaced(
        POLICY,
        "[classes.major]\napprovals = [\"lead\", \"security\"]\n",
        "[classes.major]\napprovals = [\"lead\", \"security\"]\napproval_sla = \"2d\"\n\
         [classes.major.gates]\n\"deploy:production\" = [\"evidence:uat\"]\n",
    );
    let policy = replaced(
        &policy,
        "[classes.emergency]\n",
        "[classes.emergency]\napproval_within = \"24h\"\nretrospective_within = \"48h\"\n",
    );
    repo.write(".changes.toml", &policy);
    repo.commit_all("Add the change policy");
    repo
}

fn shown(repo: &TestRepo, who: Who, id: &str) -> Value {
    let out = stdout_of(&mut repo.chg_as(who.0, who.1, &["show", id, "--format", "json"]));
    serde_json::from_str(&out).unwrap()
}

fn run(repo: &TestRepo, who: Who, args: &[&str]) {
    repo.chg_as(who.0, who.1, args).assert().success();
}

/// A major change (lead and security must approve), likely × major (high risk),
/// submitted by Ada and approved by Lee only.
fn half_approved(repo: &TestRepo) -> String {
    let id = propose(
        repo,
        "major",
        &[
            "--likelihood",
            "likely",
            "--impact",
            "major",
            "--env",
            "production",
        ],
    );
    run(repo, ADA, &["submit", &id]);
    run(repo, LEE, &["approve", &id]);
    id
}

#[test]
fn a_half_approved_change_shows_its_risk_what_it_waits_for_and_its_moves() {
    let repo = repo();
    let id = half_approved(&repo);
    let json = shown(&repo, SAM, &id);
    // The record's own keys stay where they were.
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["class"], "major");
    assert_eq!(json["status"], "submitted");
    let d = &json["derived"];
    assert_eq!(
        d["risk"],
        json!({"level": "high", "declared": null, "derived": "high",
               "counts": "derived", "basis": "derived", "authority": []})
    );
    assert_eq!(d["missing"], json!([]));
    let approval = &d["approval"];
    assert_eq!(approval["complete"], false);
    assert_eq!(approval["waiver"], Value::Null);
    assert_eq!(approval["waiting"], json!(["security"]));
    assert_eq!(
        approval["requirements"],
        json!([
            {"need": "lead", "count": 1, "roles": ["lead"],
             "approved_by": ["lee@example.com"], "met": true},
            {"need": "security", "count": 1, "roles": ["security"],
             "approved_by": [], "met": false},
        ])
    );
    assert_eq!(approval["stale"], json!([]));
    assert_eq!(
        d["deadlines"],
        json!([{"duty": "approval-sla", "within": "2d", "due": "2026-11-23T10:30:00Z",
                "done": false, "done_at": null, "overdue": false}])
    );
    // Sam could approve; Ada, the author, could not.
    assert_eq!(d["next_for"], "sam@example.com");
    let approve = &d["next"][1];
    assert_eq!(approve["command"], "chg approve");
    assert_eq!(approve["allowed"], true);
    let ada = shown(&repo, ADA, &id);
    let approve = &ada["derived"]["next"][1];
    assert_eq!(approve["allowed"], false);
    assert!(
        (approve["refusal"].as_str().unwrap()).contains("someone else must approve it"),
        "{approve}"
    );
}

#[test]
fn once_every_requirement_is_met_the_approval_is_complete_and_gates_say_what_is_unmet() {
    let repo = repo();
    let id = half_approved(&repo);
    run(&repo, SAM, &["approve", &id]);
    let d = shown(&repo, LEE, &id)["derived"].clone();
    assert_eq!(d["approval"]["complete"], true);
    assert_eq!(d["approval"]["waiting"], json!([]));
    let sla = &d["deadlines"][0];
    assert_eq!(sla["done"], true);
    assert_eq!(sla["done_at"], "2026-11-21T10:30:00Z");
    run(&repo, LEE, &["start", &id]);
    let d = shown(&repo, LEE, &id)["derived"].clone();
    assert_eq!(
        d["gates"],
        json!([{"move": "deploy --env production", "asks": ["evidence:uat"],
                "unmet": ["evidence:uat"]}])
    );
    let deploy = &d["next"][0];
    assert_eq!(deploy["command"], "chg deploy --env production");
    assert_eq!(deploy["allowed"], false);
    assert!(
        deploy["refusal"].as_str().unwrap().contains("evidence:uat"),
        "{deploy}"
    );
}

#[test]
fn an_emergency_shows_the_deadlines_it_owes_with_their_due_times() {
    let repo = repo();
    let id = propose(&repo, "emergency", &["--incident", "INC-7"]);
    repo.chg_at("2026-11-20T09:00:00Z", IAN.0, IAN.1, &["start", &id])
        .assert()
        .success();
    let d = shown(&repo, LEE, &id)["derived"].clone();
    assert_eq!(
        d["deadlines"],
        json!([
            {"duty": "emergency-approval", "within": "1d", "due": "2026-11-21T09:00:00Z",
             "done": false, "done_at": null, "overdue": true},
            {"duty": "retrospective", "within": "2d", "due": "2026-11-22T09:00:00Z",
             "done": false, "done_at": null, "overdue": false},
        ])
    );
    assert_eq!(d["approval"]["waiting"], json!(["incident-commander"]));
}

#[test]
fn list_json_gives_every_record_with_its_derived_view_and_the_same_twice() {
    let repo = repo();
    let half = half_approved(&repo);
    let draft = propose(&repo, "normal", &[]);
    let bare = repo.create(&["--title", "Bare", "--class", "normal"]);
    let before = repo.snapshot();
    let list = |who: Who| stdout_of(&mut repo.chg_as(who.0, who.1, &["list", "--format", "json"]));
    let text = list(SAM);
    assert_eq!(text, list(SAM), "the same register gave two answers");
    assert!(before == repo.snapshot(), "listing changed files");
    let listed: Value = serde_json::from_str(&text).unwrap();
    let listed = listed.as_array().unwrap();
    let ids: Vec<&str> = listed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [half.as_str(), draft.as_str(), bare.as_str()]);
    // Each entry is what `chg show --format json` gives for it.
    for (entry, id) in listed.iter().zip([&half, &draft, &bare]) {
        assert_eq!(entry, &shown(&repo, SAM, id), "{id}");
    }
    assert_eq!(listed[1]["derived"]["risk"]["basis"], "not-assessed");
    assert_eq!(listed[1]["derived"]["risk"]["level"], Value::Null);
    assert_eq!(
        listed[2]["derived"]["missing"],
        json!(["description", "rollback.plan"])
    );
    assert_eq!(listed[2]["derived"]["next"][0]["command"], "chg submit");
    assert_eq!(listed[2]["derived"]["next"][0]["allowed"], false);
}

#[test]
fn without_an_identity_the_moves_are_listed_untried() {
    let repo = repo();
    let id = half_approved(&repo);
    repo.git(&["config", "--unset", "user.email"]);
    let (code, out, stderr) = outcome(&mut repo.chg(&["show", &id, "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let d = serde_json::from_str::<Value>(&out).unwrap()["derived"].clone();
    assert_eq!(d["next_for"], Value::Null);
    assert_eq!(
        d["next"][1],
        json!({"command": "chg approve", "allowed": null, "refusal": null})
    );
}

#[test]
fn an_unknown_format_is_a_usage_error_that_changes_nothing() {
    let repo = repo();
    let id = half_approved(&repo);
    for args in [
        vec!["show", id.as_str(), "--format", "xml"],
        vec!["list", "--format", "xml"],
    ] {
        let stderr = refused(&repo, repo.chg(&args), 2, "invalid value 'xml'");
        assert!(stderr.contains("json"), "{stderr}");
    }
}
