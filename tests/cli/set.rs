//! `chg set`: record fields written by name, read back through `chg show`, refused
//! with exit 2 and no file changed when the field or value is wrong, and enough to
//! satisfy a preset's requirements without editing YAML.

use crate::common::{outcome, refused, stdout_of, TestRepo};
use serde_json::Value;

fn shown(repo: &TestRepo, id: &str) -> Value {
    serde_json::from_str(&stdout_of(&mut repo.chg(&["show", id, "--format", "json"]))).unwrap()
}

#[test]
fn each_kind_of_value_is_written_and_read_back() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Move the EU tenants");
    repo.write("notes/plan.md", "1. drain\n2. move\n");
    let out = stdout_of(
        repo.chg(&[
            "set",
            &id,
            "impact.users=All EU customers",
            "rollback.tested=true",
            "rollback.complexity=moderate",
            "stakeholders=ops, finance",
            "stakeholders+=legal",
            "tenants=eu-1,eu-2",
            "target_date=2026-12-01",
            "owner=Lee Lead <lee@example.com>",
            "risk.level=low",
            "risk.justification=@-",
            "implementation_plan=@notes/plan.md",
        ])
        .write_stdin("Only read paths change.\nWrites are untouched.\n"),
    );
    assert_eq!(out, format!("{id} draft\n"));
    let r = shown(&repo, &id);
    assert_eq!(r["impact"]["users"], "All EU customers");
    assert_eq!(r["rollback"]["tested"], true);
    assert_eq!(r["rollback"]["complexity"], "moderate");
    assert_eq!(
        r["stakeholders"],
        serde_json::json!(["ops", "finance", "legal"])
    );
    assert_eq!(r["tenants"], serde_json::json!(["eu-1", "eu-2"]));
    assert_eq!(r["target_date"], "2026-12-01");
    assert_eq!(r["owner"], "Lee Lead <lee@example.com>");
    assert_eq!(r["risk"]["level"], "low");
    assert_eq!(
        r["risk"]["justification"],
        "Only read paths change.\nWrites are untouched.\n"
    );
    assert_eq!(r["implementation_plan"], "1. drain\n2. move\n");

    // An emergency's follow-up, with a time on the policy's clock; then cleared.
    repo.chg(&[
        "set",
        &id,
        "emergency.incident=INC-7",
        "emergency.authorized_by=lee@example.com",
        "emergency.retrospective_at=2026-11-25 14:00",
        "owner=",
    ])
    .assert()
    .success();
    let r = shown(&repo, &id);
    assert_eq!(r["emergency"]["incident"], "INC-7");
    assert_eq!(
        r["emergency"]["authorized_by"],
        serde_json::json!(["lee@example.com"])
    );
    assert_eq!(r["emergency"]["retrospective_at"], "2026-11-25T14:00:00Z");
    assert!(r.get("owner").is_none(), "{r}");
}

#[test]
fn an_unknown_field_is_refused_with_the_settable_ones() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Typo");
    let stderr = refused(
        &repo,
        repo.chg(&["set", &id, "description=ok", "impact.user=everyone"]),
        2,
        "`impact.user` is not a field `chg set` writes",
    );
    assert!(stderr.contains("impact.users"), "{stderr}");
    assert!(stderr.contains("chg edit"), "{stderr}");
}

#[test]
fn a_bad_value_is_refused_and_names_the_field() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Bad values");
    for (assignment, needle) in [
        (
            "rollback.tested=maybe",
            "rollback.tested: `maybe` is not true or false",
        ),
        (
            "target_date=next week",
            "target_date: `next week` is not a date",
        ),
        ("owner=nobody", "owner: `nobody` is not an email address"),
        (
            "risk.level=huge",
            "risk.level: `huge` is not one of: low, medium",
        ),
        ("emergency.retrospective_at=soon", "`soon` is not a time"),
        ("title=", "title: it cannot be empty"),
        ("description+=more", "`+=` adds to a list"),
        ("description", "is not of the form FIELD=VALUE"),
        (
            "description=@missing.md",
            "description: cannot read missing.md",
        ),
    ] {
        refused(&repo, repo.chg(&["set", &id, assignment]), 2, needle);
    }
}

#[test]
fn lifecycle_fields_are_refused_with_the_command_that_writes_them() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Lifecycle");
    for (assignment, command) in [
        ("status=approved", "chg submit"),
        ("approvals=lee@example.com", "chg approve"),
        ("deployments=production", "chg deploy"),
        ("transitions=none", "lifecycle verb"),
        ("id=CHG-2026-0099", "keeps the ID"),
        ("created_at=2026-01-01", "chg new"),
        ("author=lee@example.com", "chg new"),
        ("risk.likelihood=rare", "chg assess"),
        ("schedule=2026-12-01", "set schedule.start"),
    ] {
        let stderr = refused(&repo, repo.chg(&["set", &id, assignment]), 2, command);
        assert!(stderr.contains("is not set by `chg set`") || stderr.contains("cannot be set"));
    }
}

#[test]
fn a_missing_record_is_an_input_error() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&["set", "CHG-2026-0099", "description=x"]),
        2,
        "no change CHG-2026-0099",
    );
}

#[test]
fn setting_approved_content_makes_the_approvals_stale_and_says_so() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg(&["set", &id, "emergency.incident=INC-7"])
        .assert()
        .success();
    repo.chg_as("Lee Lead", "lee@example.com", &["approve", &id])
        .assert()
        .success();
    assert_eq!(shown(&repo, &id)["status"], "approved");
    // The follow-up of an incident is outside the approved content: the approval stays.
    let (code, _, stderr) = outcome(&mut repo.chg(&["set", &id, "emergency.root_cause=none"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("stale"), "{stderr}");
    assert_eq!(shown(&repo, &id)["status"], "approved");

    let (code, stdout, stderr) =
        outcome(&mut repo.chg(&["set", &id, "description=Another column"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("approvals now stale") && stderr.contains("lee@example.com (approver)"),
        "{stderr}"
    );
    assert!(stderr.contains("it is submitted again"), "{stderr}");
    assert_eq!(stdout, format!("{id} submitted\n"));
}

#[test]
fn help_lists_the_settable_fields() {
    let repo = TestRepo::initialised();
    let help = stdout_of(&mut repo.chg(&["set", "--help"]));
    for field in [
        "impact.users",
        "rollback.tested",
        "risk.justification",
        "stakeholders",
    ] {
        assert!(help.contains(field), "{help}");
    }
}

#[test]
fn a_proposal_carries_its_proposed_time_and_an_approved_change_is_scheduled_instead() {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "risk-score"])
        .assert()
        .success();
    repo.commit_all("Adopt chg");
    let id = repo.new_change("Add the column");
    repo.chg(&[
        "set",
        &id,
        "schedule.start=2026-12-02 06:30",
        "schedule.end=2026-12-02 08:00",
    ])
    .assert()
    .success();
    let r = shown(&repo, &id);
    assert_eq!(r["schedule"]["start"], "2026-12-02T06:30:00-05:00");
    assert_eq!(r["schedule"]["end"], "2026-12-02T08:00:00-05:00");
    // An end alone is no schedule.
    let other = repo.new_change("Another");
    refused(
        &repo,
        repo.chg(&["set", &other, "schedule.end=2026-12-02 08:00"]),
        2,
        "would not be valid",
    );
    // Once decided on, the time is the schedule move's to set.
    let record = format!(".changes/{id}.yaml");
    repo.write(
        &record,
        &repo
            .read(&record)
            .replace("status: draft", "status: approved"),
    );
    let stderr = refused(
        &repo,
        repo.chg(&["set", &id, "schedule.start=2026-12-03"]),
        2,
        "its proposed time is fixed",
    );
    assert!(stderr.contains(&format!("chg schedule {id}")), "{stderr}");
}

#[test]
fn an_itil_four_class_normal_change_is_completed_by_set_and_then_submitted() {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "itil-four-class"])
        .assert()
        .success();
    repo.commit_all("Adopt chg");
    let id = repo.complete_change("Add the column", "normal");
    let stderr = refused(&repo, repo.chg(&["submit", &id]), 1, "cannot be submitted");
    assert!(stderr.contains("impact.security"), "{stderr}");
    repo.chg(&[
        "set",
        &id,
        "rationale=Reports need it",
        "components=api",
        "environments=staging,production",
        "risk.level=low",
        "tenants=all",
        "impact.security=none",
        "impact.data=a new nullable column",
        "impact.ai_boundary=none",
        "impact.availability=none",
        "impact.tenants=none",
        "impact.compliance=none",
        "impact.performance=none",
        "monitoring=the error-rate dashboard",
        "adrs=docs/adr/0001-column.md",
    ])
    .assert()
    .success();
    let out = stdout_of(&mut repo.chg(&["submit", &id]));
    assert_eq!(out, format!("{id} submitted\n"));
}

#[test]
fn the_approved_content_of_a_started_change_is_refused_as_an_edit_is() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg_as("Lee Lead", "lee@example.com", &["approve", &id])
        .assert()
        .success();
    repo.chg(&["start", &id]).assert().success();
    refused(
        &repo,
        repo.chg(&["set", &id, "description=Something else"]),
        2,
        "cannot change once work has started",
    );
}
