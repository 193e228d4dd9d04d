//! `chg metrics` over the scripted year (see `year.rs`): every figure below is worked
//! out by hand from that timeline.

use crate::common::{refused, stdout_of, TestRepo};
use crate::year::{self, Year};
use serde_json::Value;

fn year() -> &'static Year {
    year::shared()
}

fn metrics(args: &[&str]) -> String {
    let mut all = vec!["metrics"];
    all.extend_from_slice(args);
    let mut cmd = year().repo.chg(&all);
    cmd.env("CHG_NOW", year::NOW);
    stdout_of(&mut cmd)
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&metrics(&all)).expect("the metrics JSON reads back")
}

/// `{count, of, percent, met}` of a rate.
fn rate(v: &Value) -> (u64, u64, Option<f64>, Option<bool>) {
    (
        v["count"].as_u64().unwrap(),
        v["of"].as_u64().unwrap(),
        v["percent"].as_f64(),
        v["met"].as_bool(),
    )
}

/// `(count, median, p90)` of a spread.
fn spread(v: &Value) -> (u64, Option<f64>, Option<f64>) {
    (
        v["count"].as_u64().unwrap(),
        v["median"].as_f64(),
        v["p90"].as_f64(),
    )
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn the_year_s_figures_match_the_hand_computed_ones() {
    let m = json(&["--since", "2026-01-01", "--until", "2026-12-31"]);
    assert_eq!(m["schema"], 1);
    assert_eq!(m["window"]["since"], "2026-01-01T00:00:00Z");
    assert_eq!(m["window"]["until"], "2027-01-01T00:00:00Z");
    let t = &m["total"];

    // Volume: seven requests.
    assert_eq!(t["requested"], 7);
    assert_eq!(
        t["by_class"],
        serde_json::json!({"standard": 1, "normal": 3, "major": 2, "emergency": 1})
    );
    assert_eq!(
        t["by_risk"],
        serde_json::json!({"low": 3, "medium": 2, "high": 1, "critical": 0})
    );
    assert_eq!(t["unassessed"], 1); // the standard change

    // Six changes deployed: 0004 had a failed attempt and 0005 was rolled back.
    assert_eq!(t["deployed"], 6);
    assert_eq!(rate(&t["success_rate"]), (4, 6, Some(66.67), Some(false)));
    assert_eq!(t["success_rate"]["target"], "> 95%");
    assert_eq!(rate(&t["emergency_rate"]), (1, 6, Some(16.67), Some(false)));
    assert_eq!(rate(&t["rollback_rate"]), (1, 6, Some(16.67), Some(false)));

    // Submit → first deployment: 72, 193, 48, 1, 72, 48 hours.
    assert_eq!(spread(&t["lead_time_hours"]), (6, Some(60.0), Some(193.0)));

    // Approval in business days: 0001 1.0, 0002 3.0, 0005 1.0, 0007 2h = 0.08 (the
    // standard change needs no approver; the emergency was approved after deploying).
    assert_eq!(
        spread(&t["approval_business_days"]),
        (4, Some(1.0), Some(3.0))
    );
    assert_eq!(ids(&t["sla_breaches"]), ["CHG-2026-0002"]);
    assert_eq!(ids(&t["late_reviews"]), ["CHG-2026-0002"]);

    // DORA on production: seven deployments, two failed (0004's first, 0005's undone).
    let d = &t["dora"];
    assert_eq!(d["deployments"], 7);
    assert_eq!(d["per_week"], 0.13); // 7 in 365 days
    assert_eq!(rate(&d["change_failure_rate"]), (2, 7, Some(28.57), None));
    // First work commit → first good deployment: 23, 96, 24, 1, 24, 24 hours.
    assert_eq!(spread(&d["lead_time_hours"]), (6, Some(24.0), Some(96.0)));
    // Restored after 0.5 h (the next attempt) and 2 h (the rollback).
    assert_eq!(spread(&d["restore_hours"]), (2, Some(1.25), Some(2.0)));
    assert_eq!(d["unrestored"], 0);

    // Overdue at the end of the year.
    let o = &m["overdue"];
    assert_eq!(ids(&o["approvals"]), ["CHG-2026-0006"]);
    assert_eq!(ids(&o["reviews"]), ["CHG-2026-0007"]);
    assert!(ids(&o["emergency_approvals"]).is_empty());
    assert!(ids(&o["retrospectives"]).is_empty());
}

#[test]
fn quarters_split_the_figures_by_when_each_event_happened() {
    let m = json(&[
        "--since",
        "2026-01-01",
        "--until",
        "2026-12-31",
        "--by",
        "quarter",
    ]);
    let periods = m["periods"].as_array().unwrap();
    let labels: Vec<&str> = periods
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    let q = |i: usize| &periods[i];

    assert_eq!(
        (q(0)["requested"].as_u64(), q(0)["deployed"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(rate(&q(0)["success_rate"]), (3, 3, Some(100.0), Some(true)));
    assert_eq!(rate(&q(0)["rollback_rate"]), (0, 3, Some(0.0), Some(true)));
    assert_eq!(
        spread(&q(0)["lead_time_hours"]),
        (3, Some(72.0), Some(193.0))
    );
    assert_eq!(
        spread(&q(0)["approval_business_days"]),
        (2, Some(2.0), Some(3.0))
    );

    assert_eq!(rate(&q(1)["success_rate"]), (0, 2, Some(0.0), Some(false)));
    assert_eq!(
        rate(&q(1)["emergency_rate"]),
        (1, 2, Some(50.0), Some(false))
    );
    assert_eq!(
        rate(&q(1)["dora"]["change_failure_rate"]),
        (2, 3, Some(66.67), None)
    );

    assert_eq!(
        (q(2)["requested"].as_u64(), q(2)["deployed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(rate(&q(2)["success_rate"]), (0, 0, None, None));

    assert_eq!(rate(&q(3)["success_rate"]), (1, 1, Some(100.0), Some(true)));
    assert_eq!(
        spread(&q(3)["approval_business_days"]),
        (1, Some(0.08), Some(0.08))
    );
}

#[test]
fn the_table_shows_targets_met_or_not_and_what_is_overdue() {
    let out = metrics(&[
        "--since",
        "2026-01-01",
        "--until",
        "2026-12-31",
        "--by",
        "month",
    ]);
    assert!(
        out.contains("2026-01") && out.contains("2026-12") && out.contains("Total"),
        "{out}"
    );
    assert!(out.contains("66.7% (4/6), not met"), "{out}");
    // The default policy's targets (seed 001 §11.2) name the rows.
    assert!(out.contains("Success rate (> 95%)"), "{out}");
    assert!(
        out.contains("post-implementation reviews: 1 (CHG-2026-0007)"),
        "{out}"
    );
}

#[test]
fn a_window_with_no_changes_has_empty_figures_and_exit_0() {
    let m = json(&["--since", "2025-01-01", "--until", "2025-12-31"]);
    assert_eq!(m["total"]["requested"], 0);
    assert_eq!(rate(&m["total"]["success_rate"]), (0, 0, None, None));
}

#[test]
fn bad_windows_are_refused_and_change_nothing() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&["metrics", "--since", "2026-07-01", "--until", "2026-06-30"]),
        2,
        "is not before --until",
    );
    refused(
        &repo,
        repo.chg(&["metrics", "--until", "2026-13-01"]),
        2,
        "--until: `2026-13-01` is not a time",
    );
    refused(
        &repo,
        repo.chg(&["metrics", "--by", "week"]),
        2,
        "invalid value 'week'",
    );
}

#[test]
fn the_rates_count_the_environment_that_matters_not_a_failed_staging_attempt() {
    let repo = TestRepo::initialised();
    let id = repo.create(&[
        "--title",
        "Add the column",
        "--class",
        "standard",
        "--description",
        "d",
    ]);
    let at = |when: &str, args: &[&str]| {
        repo.chg_at(when, "Ada Lovelace", "ada@example.com", args)
            .assert()
            .success();
    };
    at("2026-03-02T09:00:00Z", &["submit", &id]);
    at("2026-03-02T10:00:00Z", &["start", &id]);
    for (when, env, outcome) in [
        ("2026-03-02T11:00:00Z", "staging", "failed"),
        ("2026-03-02T12:00:00Z", "staging", "success"),
        ("2026-03-03T09:00:00Z", "production", "success"),
    ] {
        at(when, &["deploy", &id, "--env", env, "--outcome", outcome]);
    }
    let out = stdout_of(
        repo.chg(&["metrics", "--format", "json", "--since", "2026-03-01"])
            .env("CHG_NOW", "2026-03-31T00:00:00Z"),
    );
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        rate(&m["total"]["success_rate"]),
        (1, 1, Some(100.0), Some(true))
    );
    // Submit to production: 24 hours.
    assert_eq!(
        spread(&m["total"]["lead_time_hours"]),
        (1, Some(24.0), Some(24.0))
    );
    // Staging is its own environment for DORA.
    let out = stdout_of(
        repo.chg(&[
            "metrics",
            "--format",
            "json",
            "--env",
            "staging",
            "--since",
            "2026-03-01",
        ])
        .env("CHG_NOW", "2026-03-31T00:00:00Z"),
    );
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        rate(&m["total"]["success_rate"]),
        (0, 1, Some(0.0), Some(false))
    );
    assert_eq!(
        rate(&m["total"]["dora"]["change_failure_rate"]),
        (1, 2, Some(50.0), None)
    );
}

#[test]
fn an_open_end_never_crosses_the_other() {
    let m = json(&["--until", "2025-12-31"]);
    let (since, until) = (
        m["window"]["since"].as_str().unwrap(),
        m["window"]["until"].as_str().unwrap(),
    );
    assert!(since <= until, "{since} > {until}");
    let m = json(&["--since", "2027-06-01"]);
    assert_eq!(m["window"]["since"], m["window"]["until"]);
}
