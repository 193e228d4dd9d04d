//! Time targets in `[metrics]`: `chg metrics` judges time to restore, approval time
//! and deployment time (approval to first deployment) on their median, in the total
//! and in each period. Figures are those of the scripted year (see `year.rs`), worked
//! out by hand; each test reads its own clone with its own policy.

use crate::common::{refused, stdout_of, TestRepo};
use crate::year;
use serde_json::Value;

/// A clone of the year whose policy adds `metrics` to `[metrics]`.
fn year_with(metrics: &str) -> TestRepo {
    let repo = TestRepo::clone_of(&year::shared().repo, &[]);
    repo.write(
        ".changes.toml",
        &format!("{}\n[metrics]\n{metrics}", year::POLICY),
    );
    repo
}

fn metrics(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["metrics", "--since", "2026-01-01", "--until", "2026-12-31"];
    all.extend_from_slice(args);
    let mut cmd = repo.chg(&all);
    cmd.env("CHG_NOW", year::NOW);
    stdout_of(&mut cmd)
}

fn json(repo: &TestRepo, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&metrics(repo, &all)).expect("the metrics JSON reads back")
}

/// `(count, median, target, met)` of a timed figure.
fn timed(v: &Value) -> (u64, Option<f64>, Option<&str>, Option<bool>) {
    (
        v["count"].as_u64().unwrap(),
        v["median"].as_f64(),
        v["target"].as_str(),
        v["met"].as_bool(),
    )
}

#[test]
fn each_time_target_is_judged_on_the_median_of_the_window() {
    let repo = year_with(
        "restore_time = \"< 1h\"\napproval_time = \"<= 24h\"\ndeployment_time = \"< 2d\"\n",
    );
    let t = &json(&repo, &[])["total"];
    // Restored after 0.5 h (0004's next attempt) and 2 h (0005's rollback).
    assert_eq!(
        timed(&t["dora"]["restore_hours"]),
        (2, Some(1.25), Some("< 1h"), Some(false))
    );
    // 0.08, 1, 1 and 3 business days: a median of exactly one business day meets
    // "<= 24h" (and would not meet "< 24h").
    assert_eq!(
        timed(&t["approval_business_days"]),
        (4, Some(1.0), Some("<= 1d"), Some(true))
    );
    // Approved to first production deployment: 0001 48 h, 0002 121 h, 0003 48 h,
    // 0005 48 h, 0007 46 h; 0004, approved after it was deployed, is not counted.
    let d = &t["deployment_time_hours"];
    assert_eq!(timed(d), (5, Some(48.0), Some("< 2d"), Some(false)));
    assert_eq!(d["p90"], 121.0);
}

#[test]
fn targets_are_judged_per_period_and_shown_in_the_table() {
    let repo = year_with("restore_time = \"< 1h\"\ndeployment_time = \"< 49h\"\n");
    let m = json(&repo, &["--by", "month"]);
    let periods = m["periods"].as_array().unwrap();
    let month = |name: &str| {
        periods
            .iter()
            .find(|p| p["period"] == name)
            .unwrap_or_else(|| panic!("no {name}: {m}"))
    };
    // April restored in half an hour, May in two hours; March had nothing to restore.
    let restore = |name: &str| timed(&month(name)["dora"]["restore_hours"]);
    assert_eq!(restore("2026-04"), (1, Some(0.5), Some("< 1h"), Some(true)));
    assert_eq!(
        restore("2026-05"),
        (1, Some(2.0), Some("< 1h"), Some(false))
    );
    assert_eq!(restore("2026-03"), (0, None, Some("< 1h"), None));
    let deploy = |name: &str| timed(&month(name)["deployment_time_hours"]);
    assert_eq!(
        deploy("2026-01"),
        (1, Some(48.0), Some("< 49h"), Some(true))
    );
    assert_eq!(
        deploy("2026-02"),
        (1, Some(121.0), Some("< 49h"), Some(false))
    );
    // Targets judged on the total: 48 h is under 49 h.
    assert_eq!(m["total"]["deployment_time_hours"]["met"], true);

    let table = metrics(&repo, &["--by", "month"]);
    for needle in [
        "time to restore (< 1h)",
        "0.5h / 0.5h (n=1), met",
        "2.0h / 2.0h (n=1), not met",
        "1.2h / 2.0h (n=2), not met",
        "Deployment time approve→deploy (< 49h)",
        "48.0h / 121.0h (n=5), met",
        // No approval-time target: the figure is shown without a verdict.
        "1.0bd / 3.0bd (n=4)\n",
    ] {
        assert!(table.contains(needle), "lacks {needle:?}:\n{table}");
    }
    assert!(!table.contains("(n=4), "), "{table}");
}

#[test]
fn without_time_targets_the_figures_carry_none() {
    let repo = year_with("");
    let t = &json(&repo, &[])["total"];
    assert_eq!(
        timed(&t["dora"]["restore_hours"]),
        (2, Some(1.25), None, None)
    );
    assert_eq!(timed(&t["deployment_time_hours"]).2, None);
}

#[test]
fn a_time_target_that_does_not_read_is_refused_naming_its_key() {
    for (line, needle) in [
        ("restore_time = \"1h\"", "restore_time"),
        ("approval_time = \"< soon\"", "approval_time"),
        ("deployment_time = \"< 2bd\"", "deployment_time"),
        ("restore_time = \"< 5%\"", "restore_time"),
    ] {
        let repo = year_with(&format!("{line}\n"));
        let stderr = refused(&repo, repo.chg(&["metrics"]), 2, needle);
        assert!(stderr.contains("is not a time target"), "{line}: {stderr}");
    }
}

#[test]
fn the_pull_request_preset_sets_its_time_targets() {
    // The preset's policy asks for a mean time to recovery under an hour and reviews
    // completed within 24 hours; both are judged on the median.
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "pull-request"])
        .assert()
        .success();
    let out = stdout_of(&mut repo.chg(&["metrics", "--format", "json"]));
    let t = &serde_json::from_str::<Value>(&out).unwrap()["total"];
    assert_eq!(
        timed(&t["dora"]["restore_hours"]),
        (0, None, Some("< 1h"), None)
    );
    assert_eq!(timed(&t["approval_business_days"]).2, Some("< 1d"));
    assert_eq!(timed(&t["deployment_time_hours"]).2, None);
}
