use crate::common::{refused, TestRepo, NOW};

#[test]
fn new_writes_every_flag_into_the_record() {
    let repo = TestRepo::initialised();
    repo.write("notes/plan.md", "1. add column\n2. backfill\n");
    let out = repo
        .chg(&[
            "new",
            "--no-input",
            "--title",
            "Add asset_owner column",
            "--class",
            "major",
            "--description",
            "Adds asset_owner to assets",
            "--rationale",
            "Owners are asked for by auditors",
            "--component",
            "assets",
            "--component",
            "risk-api",
            "--env",
            "staging",
            "--env",
            "production",
            "--owner",
            "lee@example.com",
            "--target-date",
            "2026-12-01",
            "--rollback",
            "Revert; run migrations/0042_down.sql",
            "--rollback-artifact",
            "migrations/0042_down.sql",
            "--test-plan",
            "Integration suite",
            "--monitoring",
            "Error rate for 30 minutes",
            "--implementation-plan",
            "@notes/plan.md",
            "--adr",
            "docs/adr/0007-asset-owner.md",
            "--likelihood",
            "likely",
            "--impact",
            "major",
            "--factor",
            "data=3",
            "--factor",
            "users=1",
            "--treatment",
            "mitigate",
            "--mitigation",
            "Backfill owners before the column is read",
            "--evidence",
            "staging-validation=https://ci.example.com/run/881",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(
        stdout.trim(),
        format!("CHG-2026-0001 {}", repo.record_path("CHG-2026-0001"))
    );
    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    for expected in [
        "id: CHG-2026-0001",
        "title: Add asset_owner column",
        "class: major",
        "status: draft",
        &format!("created_at: {NOW}"),
        "author: Ada Lovelace <ada@example.com>",
        "owner: lee@example.com",
        "target_date: 2026-12-01",
        "- risk-api",
        "- production",
        "likelihood: likely",
        "impact: major",
        "data: 3",
        "users: 1",
        "treatment: mitigate",
        "mitigation: Backfill owners before the column is read",
        "plan: Revert; run migrations/0042_down.sql",
        "- migrations/0042_down.sql",
        "test_plan: Integration suite",
        "1. add column",
        "- docs/adr/0007-asset-owner.md",
        "kind: staging-validation",
        "ref: https://ci.example.com/run/881",
    ] {
        assert!(
            yaml.contains(expected),
            "record lacks {expected:?}:\n{yaml}"
        );
    }
}

#[test]
fn new_without_a_terminal_lists_what_is_missing_and_writes_nothing() {
    let repo = TestRepo::initialised();
    let stderr = refused(
        &repo,
        repo.chg(&["new", "--description", "x"]),
        2,
        "missing --title, --class",
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    refused(
        &repo,
        repo.chg(&["new", "--no-input", "--class", "normal"]),
        2,
        "missing --title",
    );
}

#[test]
fn new_refuses_out_of_range_risk_flags() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&[
            "new", "--title", "t", "--class", "normal", "--factor", "data=7",
        ]),
        2,
        "factors are scored 1 to 3",
    );
    refused(
        &repo,
        repo.chg(&[
            "new", "--title", "t", "--class", "normal", "--factor", "mood=2",
        ]),
        2,
        "not a risk factor",
    );
    refused(
        &repo,
        repo.chg(&[
            "new",
            "--title",
            "t",
            "--class",
            "normal",
            "--likelihood",
            "sometimes",
        ]),
        2,
        "not a known likelihood",
    );
    refused(
        &repo,
        repo.chg(&[
            "new",
            "--title",
            "t",
            "--class",
            "normal",
            "--treatment",
            "ignore",
        ]),
        2,
        "`ignore` is not a known risk treatment; expected one of: accept, mitigate, avoid, transfer",
    );
    refused(
        &repo,
        repo.chg(&["new", "--title", "t", "--class", "urgent"]),
        2,
        "not a known class",
    );
}

#[test]
fn the_year_and_prefix_come_from_the_clock_and_the_policy() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[changes]\nid_prefix = \"CR\"\nid_digits = 3\ntimezone = \"Pacific/Auckland\"\n",
    );
    // 2026-12-31T12:00Z is already 2027 in Auckland.
    let out = repo
        .chg(&["new", "--title", "t", "--class", "normal"])
        .env("CHG_NOW", "2026-12-31T12:00:00Z")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).starts_with("CR-2027-001 "));
}

#[test]
fn the_acting_identity_comes_from_git_author_variables_first() {
    let repo = TestRepo::initialised();
    repo.chg_as(
        "Lee Reviewer",
        "lee@example.com",
        &["new", "--title", "t", "--class", "standard"],
    )
    .assert()
    .success();
    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    assert!(
        yaml.contains("author: Lee Reviewer <lee@example.com>"),
        "{yaml}"
    );
}
