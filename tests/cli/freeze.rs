//! Freezes and deployment windows: the release manager's commands, and `schedule` and
//! `deploy` refusing what they forbid, on a pinned clock.

use crate::common::{
    near_the_size_read, outcome, refused, refused_as_too_large, stdout_of, TestRepo,
};
use crate::lifecycle::{propose, status_of, ADA, RITA};

/// Seed 003 §4.5 (no deployments on Friday after 15:00) on a Berlin clock; Rita is
/// the release manager; normal changes need no approver, to keep the tests short.
const POLICY: &str = r#"
[changes]
timezone = "Europe/Berlin"

[roles]
release-manager = ["rita@example.com"]

[classes.normal]
approvals = []

[classes.emergency]
approvals = []

[windows]
monday = [{ from = "09:00", to = "17:00" }]
tuesday = [{ from = "09:00", to = "17:00" }]
wednesday = [{ from = "09:00", to = "17:00" }]
thursday = [{ from = "09:00", to = "17:00" }]
friday = [{ from = "09:00", to = "15:00" }]
"#;

/// Friday 2026-11-27 16:30 in Berlin.
const FRIDAY_AFTERNOON: &str = "2026-11-27T15:30:00Z";
/// Tuesday 2026-11-24 10:00 in Berlin.
const TUESDAY_MORNING: &str = "2026-11-24T09:00:00Z";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Add the change policy");
    repo
}

/// A change of `class` started and ready to deploy.
fn ready(repo: &TestRepo, class: &str) -> String {
    let id = propose(repo, class, &["--incident", "INC-7"]);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg(&["start", &id]).assert().success();
    id
}

fn at(repo: &TestRepo, now: &str, who: (&str, &str), args: &[&str]) -> assert_cmd::Command {
    let mut cmd = repo.chg_as(who.0, who.1, args);
    cmd.env("CHG_NOW", now);
    cmd
}

/// Ada deploys `id` to `env` at `now`.
fn deploy(repo: &TestRepo, now: &str, id: &str, env: &str) -> assert_cmd::Command {
    at(repo, now, ADA, &["deploy", id, "--env", env])
}

fn declare(repo: &TestRepo, now: &str, args: &[&str]) -> String {
    let mut all = vec!["freeze", "start"];
    all.extend_from_slice(args);
    stdout_of(&mut at(repo, now, RITA, &all)).trim().to_string()
}

#[test]
fn a_normal_change_is_refused_on_friday_afternoon_and_an_emergency_goes() {
    let repo = repo();
    let normal = ready(&repo, "normal");
    let message = refused(
        &repo,
        deploy(&repo, FRIDAY_AFTERNOON, &normal, "production"),
        1,
        "Fri 2026-11-27 16:30 Europe/Berlin is outside the deployment windows",
    );
    assert!(
        message.contains("the next opens Mon 2026-11-30 09:00 Europe/Berlin"),
        "{message}"
    );
    let emergency = ready(&repo, "emergency");
    deploy(&repo, FRIDAY_AFTERNOON, &emergency, "production")
        .assert()
        .success();
    assert_eq!(status_of(&repo, &emergency), "deployed");
    // The same normal change goes on Tuesday morning.
    deploy(&repo, TUESDAY_MORNING, &normal, "production")
        .assert()
        .success();
}

#[test]
fn a_freeze_holds_deployments_until_it_ends() {
    let repo = repo();
    let id = ready(&repo, "normal");
    let frz = declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &[
            "--reason",
            "Year-end release",
            "--until",
            "2026-11-26 00:00",
        ],
    );
    assert_eq!(frz, "FRZ-2026-0001");
    let message = refused(
        &repo,
        deploy(&repo, TUESDAY_MORNING, &id, "production"),
        1,
        "FRZ-2026-0001 freezes changes until Thu 2026-11-26 00:00 Europe/Berlin (Year-end release)",
    );
    assert!(
        message.contains("chg freeze end FRZ-2026-0001"),
        "{message}"
    );
    refused(
        &repo,
        at(
            &repo,
            TUESDAY_MORNING,
            ADA,
            &["schedule", &id, "--start", "2026-11-25 10:00"],
        ),
        1,
        "cannot be scheduled then: FRZ-2026-0001",
    );
    // After its end, the deployment goes.
    deploy(&repo, "2026-11-26T09:00:00Z", &id, "production")
        .assert()
        .success();
}

#[test]
fn a_freeze_ended_early_no_longer_holds() {
    let repo = repo();
    let id = ready(&repo, "normal");
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &["--reason", "Incident review", "--until", "2026-11-30"],
    );
    at(&repo, "2026-11-24T08:30:00Z", RITA, &["freeze", "end"])
        .assert()
        .success();
    let yaml = repo.read(".changes/freezes/FRZ-2026-0001.yaml");
    assert!(yaml.contains("ended_early:"), "{yaml}");
    assert!(
        yaml.contains("by: Rita Release <rita@example.com>"),
        "{yaml}"
    );
    deploy(&repo, TUESDAY_MORNING, &id, "production")
        .assert()
        .success();
    // Nothing is in force any more.
    refused(
        &repo,
        at(&repo, TUESDAY_MORNING, RITA, &["freeze", "end"]),
        2,
        "no freeze is in force",
    );
}

#[test]
fn a_freeze_that_ending_would_grow_past_one_mebibyte_is_left_as_it_is() {
    let repo = repo();
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &["--reason", "Incident review", "--until", "2026-11-30"],
    );
    let file = ".changes/freezes/FRZ-2026-0001.yaml";
    // Ending it early adds who and when.
    let good = repo.read(file);
    repo.write(file, &near_the_size_read(&good, "reason: Incident review"));
    let end = at(&repo, "2026-11-24T08:30:00Z", RITA, &["freeze", "end"]);
    refused_as_too_large(&repo, end, file);
}

#[test]
fn a_freeze_of_one_environment_leaves_the_others_open() {
    let repo = repo();
    let id = ready(&repo, "normal");
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &[
            "--reason",
            "Audit",
            "--until",
            "2026-11-26",
            "--env",
            "production",
        ],
    );
    deploy(&repo, TUESDAY_MORNING, &id, "staging")
        .assert()
        .success();
    refused(
        &repo,
        deploy(&repo, TUESDAY_MORNING, &id, "production"),
        1,
        "FRZ-2026-0001",
    );
}

#[test]
fn status_shows_freezes_in_force_and_upcoming_with_the_time_left() {
    let repo = repo();
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &["--reason", "Release", "--until", "2026-11-25 12:00"],
    );
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &[
            "--reason",
            "Holidays",
            "--from",
            "2026-12-21",
            "--until",
            "2027-01-02",
            "--allow",
            "emergency",
            "--allow",
            "standard",
        ],
    );
    let table = stdout_of(&mut at(&repo, TUESDAY_MORNING, ADA, &["freeze", "status"]));
    assert!(table.contains("FRZ-2026-0001"), "{table}");
    assert!(table.contains("in force"), "{table}");
    assert!(table.contains("1d 2h left"), "{table}");
    assert!(table.contains("starts in 26d 14h"), "{table}");
    assert!(table.contains("emergency,standard"), "{table}");

    let json = stdout_of(&mut at(
        &repo,
        "2026-11-26T00:00:00Z",
        ADA,
        &["freeze", "status", "--format", "json"],
    ));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let freezes = value["freezes"].as_array().unwrap();
    assert_eq!(freezes.len(), 1, "the first freeze is over: {json}");
    assert_eq!(freezes[0]["id"], "FRZ-2026-0002");
    assert_eq!(freezes[0]["state"], "upcoming");

    let all = stdout_of(&mut at(
        &repo,
        "2026-11-26T00:00:00Z",
        ADA,
        &["freeze", "list"],
    ));
    assert!(
        all.contains("FRZ-2026-0001") && all.contains("over"),
        "{all}"
    );
}

/// Arguments, who runs them, the exit code and what stderr must say.
type Case<'a> = (&'a [&'a str], (&'a str, &'a str), i32, &'a str);

#[test]
fn bad_freeze_requests_are_refused_and_change_nothing() {
    let repo = repo();
    let now = "2026-11-23T08:00:00Z";
    let cases: [Case; 5] = [
        (
            &["freeze", "start", "--reason", "Release"],
            RITA,
            2,
            "--until",
        ),
        (
            &[
                "freeze",
                "start",
                "--reason",
                "Release",
                "--from",
                "2026-11-25",
                "--until",
                "2026-11-24",
            ],
            RITA,
            2,
            "is not after --from",
        ),
        (
            &[
                "freeze",
                "start",
                "--reason",
                "Release",
                "--until",
                "2026-12-31",
            ],
            RITA,
            1,
            "a freeze may last at most 2w",
        ),
        (
            &[
                "freeze",
                "start",
                "--reason",
                "Release",
                "--until",
                "2026-11-25",
            ],
            ADA,
            1,
            "only members of the release-manager role may declare a freeze",
        ),
        (&["freeze", "end"], RITA, 2, "no freeze is in force"),
    ];
    for (args, who, code, needle) in cases {
        refused(&repo, at(&repo, now, who, args), code, needle);
    }
    assert!(!repo.path().join(".changes/freezes").exists());
}

#[test]
fn a_freeze_edited_into_an_open_ended_one_is_reported_and_still_holds() {
    let repo = repo();
    let id = ready(&repo, "normal");
    declare(
        &repo,
        "2026-11-23T08:00:00Z",
        &["--reason", "Release", "--until", "2026-11-25"],
    );
    let path = ".changes/freezes/FRZ-2026-0001.yaml";
    let open_ended: String = repo
        .read(path)
        .lines()
        .filter(|l| !l.starts_with("ends:"))
        .map(|l| format!("{l}\n"))
        .collect();
    repo.write(path, &open_ended);
    let (code, stdout, _) = outcome(&mut at(&repo, TUESDAY_MORNING, ADA, &["check"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("F004 freeze-not-time-bound"), "{stdout}");
    assert!(stdout.contains("FRZ-2026-0001 has no end"), "{stdout}");
    refused(
        &repo,
        deploy(&repo, "2027-06-01T09:00:00Z", &id, "production"),
        1,
        "FRZ-2026-0001 freezes changes with no end",
    );
}

#[test]
fn windows_that_cannot_be_read_stop_every_command() {
    let repo = repo();
    for (policy, needle) in [
        (
            POLICY.replace(
                r#"friday = [{ from = "09:00", to = "15:00" }]"#,
                r#"friday = [{ from = "15:00", to = "09:00" }]"#,
            ),
            "`from` must be before `to`",
        ),
        (POLICY.replace("friday =", "fryday ="), "fryday"),
    ] {
        assert_ne!(policy, POLICY);
        repo.write(".changes.toml", &policy);
        refused(&repo, repo.chg(&["list"]), 2, needle);
    }
}
