//! The keys issue 7 added for duties that depend on what a change affects
//! (`impact_areas`, `[approvals.by_impact]`, `[post_review] by_impact`, `approvals` on a
//! protected path), for freezes that recur (`[[freeze.recurring]]`), and for the
//! regression a review records (`chg review --regression`): each kept by the command
//! and by `chg check`, and each bad input refused without touching a file.

use crate::common::{findings_at, outcome, refused, stdout_of, TestRepo};
use crate::lifecycle::{propose, status_of, ADA, LEE, RITA, SAM};

/// Roles for every test; each adds the keys it is about.
const ROLES: &str = r#"
[roles]
lead = ["lee@example.com"]
security = ["sam@example.com"]
dba = ["dee@example.com"]
[classes.normal]
approvals = ["lead"]
"#;

const DEE: (&str, &str) = ("Dee Dba", "dee@example.com");

fn repo(policy: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", &format!("{ROLES}{policy}"));
    repo.commit_all("Adopt the policy");
    repo
}

/// Rules `chg check` at `now` reports, with their messages.
fn reported(repo: &TestRepo, now: &str) -> Vec<(String, String)> {
    findings_at(repo, now)
        .1
        .into_iter()
        .map(|f| (f.rule, f.message))
        .collect()
}

fn has(findings: &[(String, String)], rule: &str, needle: &str) -> bool {
    findings
        .iter()
        .any(|(r, m)| r == rule && m.contains(needle))
}

/// Submits `id` and has Lee approve it; shows that work on it waits for `role`, then
/// has `who` approve as `role` and Rita start it.
fn waits_for(repo: &TestRepo, id: &str, who: (&str, &str), role: &str) {
    repo.chg(&["submit", id]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", id])
        .assert()
        .success();
    assert_eq!(status_of(repo, id), "submitted");
    refused(
        repo,
        repo.chg_as(RITA.0, RITA.1, &["start", id]),
        1,
        &format!("it still needs approval from {role}"),
    );
    repo.chg_as(who.0, who.1, &["approve", id])
        .assert()
        .success();
    assert_eq!(status_of(repo, id), "approved");
    repo.chg_as(RITA.0, RITA.1, &["start", id])
        .assert()
        .success();
}

const BY_IMPACT: &str = "[approvals.by_impact]\nsecurity = [\"security\"]\ndatabase = [\"dba\"]\n";

#[test]
fn a_declared_impact_area_calls_for_its_approvers_whatever_the_class() {
    // Seed 000 §2.4 "Security Lead (if security-related)".
    let repo = repo(BY_IMPACT);
    let id = propose(&repo, "normal", &["--impact-area", "security"]);
    waits_for(&repo, &id, SAM, "security");

    // A pre-approved standard change that declares the area is not waived.
    let standard = propose(&repo, "standard", &["--impact-area", "security"]);
    repo.chg(&["submit", &standard]).assert().success();
    assert_eq!(status_of(&repo, &standard), "submitted");
    let show = stdout_of(&mut repo.chg(&["show", &standard, "--format", "table"]));
    assert!(show.contains("security"), "{show}");

    // `chg assess` adds an area to a draft; one added by hand to an approved record
    // leaves the approvals short: P001.
    let later = propose(&repo, "normal", &[]);
    let said = repo
        .chg(&["assess", &later, "--impact-area", "database"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&said.get_output().stderr).into_owned();
    // It says what it recorded, and asks nothing about risk it was not given.
    assert!(
        said.contains(&format!("{later}: impact areas database")),
        "{said}"
    );
    assert!(!said.contains("risk"), "{said}");
    assert!(repo
        .read(&format!(".changes/{later}.yaml"))
        .contains("impact_areas:\n- database"));
    let plain = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &plain]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &plain])
        .assert()
        .success();
    repo.commit_all(&format!("Approve {plain}"));
    assert!(!has(&reported(&repo, crate::common::NOW), "P001", &plain));
    let path = format!(".changes/{plain}.yaml");
    let text =
        repo.read(&path)
            .replacen("description:", "impact_areas: [database]\ndescription:", 1);
    repo.write(&path, &text);
    let findings = reported(&repo, crate::common::NOW);
    assert!(
        has(&findings, "P001", "approved but not approved by lead, dba"),
        "{findings:?}"
    );
}

#[test]
fn an_unknown_impact_area_is_refused_and_reported() {
    let new = |repo: &TestRepo, area: &str| {
        let args = ["--title", "t", "--class", "normal", "--impact-area", area];
        repo.chg(&[&["new", "--no-input"][..], &args].concat())
    };
    let repo = repo(BY_IMPACT);
    refused(
        &repo,
        new(&repo, "securty"),
        2,
        "--impact-area: `securty` is not an impact area of the policy; its areas: database, security",
    );
    let id = propose(&repo, "normal", &[]);
    refused(
        &repo,
        repo.chg(&["assess", &id, "--impact-area", "privacy"]),
        2,
        "`privacy` is not an impact area",
    );
    // Written by hand: P008.
    let path = format!(".changes/{id}.yaml");
    let text =
        repo.read(&path)
            .replacen("description:", "impact_areas: [securty]\ndescription:", 1);
    repo.write(&path, &text);
    let (code, findings) = findings_at(&repo, crate::common::NOW);
    assert_eq!(code, 1);
    assert!(findings
        .iter()
        .any(|f| f.rule == "P008" && f.message.contains("`securty` is not an impact area")));
    // A policy with no areas refuses every one.
    let bare = self::repo("");
    refused(&bare, new(&bare, "security"), 2, "the policy names none");
}

#[test]
fn a_protected_path_calls_for_the_roles_it_names() {
    // Seed 001 §4.3 "Database changes: 2 (including DBA)".
    let repo = repo(&format!(
        "{BY_IMPACT}[commits.protected.\"migrations/**\"]\napprovals = [\"dba\"]\n"
    ));
    let plain = propose(&repo, "normal", &[]);
    let database = propose(&repo, "normal", &["--impact-area", "database"]);
    repo.commit_all("Propose two changes");
    repo.write("migrations/0001.sql", "alter table t add c int;\n");
    // The commit-msg hook refuses it as it is made.
    repo.git(&["add", "-A"]);
    repo.write(".git/MSG", &format!("Add a column\n\nChange: {plain}\n"));
    let (code, out, err) = outcome(&mut repo.chg(&["hook", "run", "commit-msg", ".git/MSG"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("migrations/0001.sql is protected by migrations/**, but the message names no change that dba must approve"),
        "{out}{err}"
    );
    repo.commit_all(&format!("Add a column\n\nChange: {plain}"));
    let findings = reported(&repo, crate::common::NOW);
    assert!(
        has(
            &findings,
            "H003",
            "names no change that dba must approve; a change declaring impact area database"
        ),
        "{findings:?}"
    );
    repo.write("migrations/0002.sql", "alter table t add d int;\n");
    repo.commit_all(&format!("Add another\n\nChange: {database}"));
    let h003: Vec<_> = reported(&repo, crate::common::NOW)
        .into_iter()
        .filter(|(r, _)| r == "H003")
        .collect();
    assert_eq!(h003.len(), 1, "only the first commit: {h003:?}");
    // The change that qualifies needs the DBA before work starts.
    waits_for(&repo, &database, DEE, "dba");
}

#[test]
fn a_declared_impact_area_can_owe_a_post_implementation_review() {
    // Seed 000 §10: a review for "Security-related changes", whatever the class.
    let repo = repo(&format!(
        "{BY_IMPACT}[post_review]\nby_impact = [\"security\"]\n"
    ));
    let run = |id: &str, who: (&str, &str), args: &[&str]| {
        let mut all = args.to_vec();
        all.insert(1, id);
        repo.chg_as(who.0, who.1, &all).assert().success();
    };
    let plain = propose(&repo, "normal", &[]);
    let secure = propose(&repo, "normal", &["--impact-area", "security"]);
    for (id, approvers) in [(&plain, vec![LEE]), (&secure, vec![LEE, SAM])] {
        run(id, ADA, &["submit"]);
        for who in approvers {
            run(id, who, &["approve"]);
        }
        run(id, RITA, &["start"]);
        run(id, RITA, &["deploy", "--env", "production"]);
        run(id, RITA, &["verify"]);
    }
    run(&plain, RITA, &["close"]);
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["close", &secure]),
        1,
        "changes declaring impact area security need a post-implementation review first",
    );
    run(&secure, SAM, &["review", "--outcome", "achieved"]);
    run(&secure, RITA, &["close"]);
}

#[test]
fn bad_duty_keys_are_refused_before_anything_runs() {
    for (policy, needle) in [
        (
            "[commits.protected.\"migrations/**\"]\napprovals = [\"dbas\"]\n",
            "commits.protected.\"migrations/**\".approvals: role `dbas` is not defined",
        ),
        (
            "[commits.protected.\"migrations/[\"]\napprovals = [\"dba\"]\n",
            "is not a valid glob",
        ),
        (
            "[approvals.by_impact]\nsecurity = [\"sec\"]\n",
            "approvals.by_impact.security: role `sec` is not defined",
        ),
        (
            "[approvals.by_impact]\nSecurity = [\"security\"]\n",
            "`Security` is not an impact area name",
        ),
        (
            "[post_review]\nby_impact = [\"data privacy\"]\n",
            "post_review.by_impact: `data privacy` is not an impact area name",
        ),
        (
            "[post_review]\nfor = [\"security\"]\n",
            "unknown field `for`",
        ),
    ] {
        let repo = repo("");
        let id = propose(&repo, "normal", &[]);
        repo.write(".changes.toml", &format!("{ROLES}{policy}"));
        refused(&repo, repo.chg(&["submit", &id]), 2, needle);
    }
}

/// A normal change, approved by Lee and started by Rita at `when`.
fn started(repo: &TestRepo, when: &str) -> String {
    let id = propose(repo, "normal", &[]);
    for (who, verb) in [(ADA, "submit"), (LEE, "approve"), (RITA, "start")] {
        repo.chg_at(when, who.0, who.1, &[verb, &id])
            .assert()
            .success();
    }
    id
}

/// A recurring month-end freeze of production (seed 001 §9.2).
const MONTH_END: &str = r#"
[[freeze.recurring]]
every = "month-end"
last_days = 2
first_days = 1
reason = "Billing close"
environments = ["production"]
"#;

#[test]
fn a_recurring_freeze_holds_changes_at_every_month_end() {
    let repo = repo(MONTH_END);
    let id = started(&repo, crate::common::NOW);
    let at = |when: &str, args: &[&str]| repo.chg_at(when, RITA.0, RITA.1, args);
    let ok = |when: &str, args: &[&str]| at(when, args).assert().success();
    // November ends on the 30th: frozen from the 29th until December 2nd.
    refused(
        &repo,
        at("2026-11-29T10:00:00Z", &["deploy", &id, "--env", "production"]),
        1,
        "the recurring month-end freeze (Billing close) freezes changes until Wed 2026-12-02 00:00 UTC; only emergency changes may go",
    );
    refused(
        &repo,
        at(
            "2026-12-01T23:00:00Z",
            &[
                "schedule",
                &id,
                "--start",
                "2026-11-28 12:00",
                "--end",
                "2026-11-29 12:00",
            ],
        ),
        1,
        "the recurring month-end freeze",
    );
    // Other environments, and the next month after the freeze, are open.
    ok("2026-11-29T10:00:00Z", &["deploy", &id, "--env", "staging"]);
    ok(
        "2026-12-02T00:00:00Z",
        &["deploy", &id, "--env", "production"],
    );
    // It recurs at December's end, where an emergency still goes.
    let december = propose(&repo, "emergency", &["--incident", "INC-9"]);
    ok("2026-12-31T10:00:00Z", &["start", &december]);
    ok(
        "2026-12-31T10:00:00Z",
        &["deploy", &december, "--env", "production"],
    );

    // `chg freeze status` shows the occurrence in force or next.
    let mut status = at("2026-11-30T12:00:00Z", &["freeze", "status"]);
    let shown = stdout_of(&mut status);
    assert!(shown.contains("month-end (recurring)"), "{shown}");
    assert!(shown.contains("in force"), "{shown}");
    assert!(shown.contains("Billing close"), "{shown}");
    let json = stdout_of(&mut at(
        "2026-12-10T12:00:00Z",
        &["freeze", "list", "--format", "json"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let next = &doc["recurring"][0];
    assert_eq!(next["state"], "upcoming");
    assert_eq!(next["starts"], "2026-12-30T00:00:00Z");
    assert_eq!(next["allow"], serde_json::json!(["emergency"]));

    // A deployment written by hand inside it (F002), and a commit made in it (F001).
    repo.commit_all("Deployed");
    let path = format!(".changes/{id}.yaml");
    let text = repo
        .read(&path)
        .replace("at: 2026-12-02T00:00:00Z", "at: 2026-11-30T09:00:00Z");
    repo.write(&path, &text);
    repo.write("src/late.rs", "// late work\n");
    repo.commit_all_at(
        "2026-11-30T10:00:00Z",
        &format!("Late work\n\nChange: {id}"),
    );
    let findings = reported(&repo, "2026-12-20T00:00:00Z");
    assert!(
        has(
            &findings,
            "F002",
            "during the recurring month-end freeze (Billing close)"
        ),
        "{findings:?}"
    );
    assert!(
        has(
            &findings,
            "F001",
            "during the recurring month-end freeze (Billing close)"
        ),
        "{findings:?}"
    );
}

#[test]
fn a_recurring_freeze_judges_no_work_from_before_its_since_day() {
    let repo = repo("");
    let id = started(&repo, crate::common::NOW);
    // At November's month end, before any freeze was written: a deployment and a commit.
    repo.chg_at(
        "2026-11-30T09:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
    repo.write("src/late.rs", "// late work\n");
    repo.commit_all_at(
        "2026-11-30T10:00:00Z",
        &format!("Late work\n\nChange: {id}"),
    );
    let judged = |policy: &str| {
        repo.write(".changes.toml", &format!("{ROLES}{policy}"));
        repo.commit_all_at("2026-12-10T09:00:00Z", "Adopt a month-end freeze");
        let findings = reported(&repo, "2026-12-20T00:00:00Z");
        let freeze = |rule: &str| has(&findings, rule, "recurring month-end freeze");
        (freeze("F001"), freeze("F002"))
    };
    // Adopted on December 10th: November's work is not judged against it.
    assert_eq!(
        judged(&format!("{MONTH_END}since = \"2026-12-10\"\n")),
        (false, false)
    );
    // From then on it holds.
    refused(
        &repo,
        repo.chg_at(
            "2026-12-31T10:00:00Z",
            RITA.0,
            RITA.1,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "the recurring month-end freeze (Billing close) freezes changes until Sat 2027-01-02 00:00 UTC",
    );
    // Without `since`, the earlier deployment is judged too: the record is judged by
    // today's policy. The commit is held to the policy of its day, which froze nothing.
    assert_eq!(judged(MONTH_END), (false, true));
}

#[test]
fn chg_freeze_end_names_the_recurring_freezes_in_force_and_where_they_are_changed() {
    let repo = repo("");
    let roles = ROLES.replace(
        "[roles]\n",
        "[roles]\nrelease-manager = [\"rita@example.com\"]\n",
    );
    repo.write(
        ".changes.toml",
        &format!("{roles}{MONTH_END}[[freeze.recurring]]\nevery = \"month-end\"\nlast_days = 1\nreason = \"Payroll\"\n"),
    );
    repo.commit_all("Two month-end freezes");
    let stderr = refused(
        &repo,
        repo.chg_at("2026-11-30T10:00:00Z", RITA.0, RITA.1, &["freeze", "end"]),
        2,
        "no declared freeze is in force; only the recurring month-end freeze (Billing close) and the recurring month-end freeze (Payroll) are, which `chg freeze end` does not end",
    );
    assert!(
        stderr.contains("[[freeze.recurring]] in .changes.toml"),
        "{stderr}"
    );
    // Before Payroll's day, only Billing close is in force.
    refused(
        &repo,
        repo.chg_at("2026-11-29T10:00:00Z", RITA.0, RITA.1, &["freeze", "end"]),
        2,
        "only the recurring month-end freeze (Billing close) is,",
    );
    // Outside both, nothing is in force.
    refused(
        &repo,
        repo.chg_at("2026-11-20T10:00:00Z", RITA.0, RITA.1, &["freeze", "end"]),
        2,
        "no freeze is in force, so none can be ended",
    );
}

#[test]
fn a_quarter_end_freeze_leaves_the_other_month_ends_open() {
    let repo = repo(
        "[[freeze.recurring]]\nevery = \"quarter-end\"\nlast_days = 1\nreason = \"Quarter close\"\n",
    );
    let id = started(&repo, crate::common::NOW);
    let at = |when: &str, args: &[&str]| repo.chg_at(when, RITA.0, RITA.1, args);
    refused(
        &repo,
        at("2026-12-31T10:00:00Z", &["deploy", &id, "--env", "production"]),
        1,
        "the recurring quarter-end freeze (Quarter close) freezes changes until Fri 2027-01-01 00:00 UTC",
    );
    at(
        "2026-11-30T10:00:00Z",
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
}

#[test]
fn bad_recurring_freezes_are_refused() {
    for (spec, needle) in [
        (
            "every = \"week-end\"\nlast_days = 1\nreason = \"r\"",
            "unknown variant `week-end`",
        ),
        (
            "every = \"month-end\"\nreason = \"r\"",
            "last_days + first_days is 0; a month-end freeze spans 1 to 28 days",
        ),
        (
            "every = \"month-end\"\nlast_days = 20\nfirst_days = 10\nreason = \"r\"",
            "is 30",
        ),
        (
            "every = \"month-end\"\nlast_days = 20\nreason = \"r\"",
            "20 days is longer than a freeze may last ([freeze] max_duration = \"2w\")",
        ),
        (
            "every = \"month-end\"\nlast_days = 2",
            "missing field `reason`",
        ),
        (
            "every = \"month-end\"\nlast_days = 2\nreason = \" \"",
            "`reason` is empty",
        ),
        (
            "every = \"month-end\"\nlast_days = -1\nreason = \"r\"",
            "invalid value",
        ),
        (
            "every = \"month-end\"\nlast_days = 2\nreason = \"r\"\nallow = [\"urgent\"]",
            "urgent",
        ),
        (
            "every = \"month-end\"\nlast_days = 2\nreason = \"r\"\nfrom = \"2026-01-01\"",
            "unknown field `from`",
        ),
        (
            "every = \"month-end\"\nlast_days = 4294967295\nfirst_days = 1\nreason = \"r\"",
            "freeze.recurring[0]: last_days is 4294967295; a month-end freeze spans 1 to 28 days",
        ),
        (
            "every = \"month-end\"\nfirst_days = 4294967295\nlast_days = 4294967295\nreason = \"r\"",
            "last_days is 4294967295",
        ),
        (
            "every = \"month-end\"\nlast_days = 2\nreason = \"r\"\nsince = \"2026-13-01\"",
            "since",
        ),
    ] {
        let repo = repo("");
        repo.write(
            ".changes.toml",
            &format!("{ROLES}[[freeze.recurring]]\n{spec}\n"),
        );
        refused(
            &repo,
            repo.chg_as(RITA.0, RITA.1, &["freeze", "status"]),
            2,
            needle,
        );
    }
}

/// A deployed normal change, reviewed by Lee with `review` flags; returns its ID.
fn reviewed(repo: &TestRepo, when: &str, review: &[&str]) -> String {
    let id = started(repo, when);
    let at = |args: &[&str]| repo.chg_at(when, LEE.0, LEE.1, args);
    for args in [
        vec!["deploy", id.as_str(), "--env", "production"],
        vec!["verify", &id],
    ] {
        at(&args).assert().success();
    }
    if !review.is_empty() {
        let mut args = vec!["review", id.as_str(), "--outcome", "achieved"];
        args.extend_from_slice(review);
        at(&args).assert().success();
    }
    id
}

#[test]
fn reviews_record_regressions_and_metrics_report_their_rate() {
    // Seed 002 §16.1 "Regression Rate: % of CRs introducing regressions".
    let repo = repo("[metrics]\nregression_rate = \"<= 0%\"\n");
    let regressed = reviewed(&repo, "2026-10-05T10:00:00Z", &["--regression", "yes"]);
    reviewed(&repo, "2026-10-06T10:00:00Z", &["--regression", "no"]);
    reviewed(&repo, "2026-11-02T10:00:00Z", &["--regression", "no"]);
    reviewed(&repo, "2026-11-03T10:00:00Z", &[]);
    reviewed(&repo, "2026-11-04T10:00:00Z", &["--side-effects", "none"]);
    assert!(repo
        .read(&format!(".changes/{regressed}.yaml"))
        .contains("regression: true"));
    let json = stdout_of(&mut repo.chg(&[
        "metrics",
        "--since",
        "2026-10-01",
        "--until",
        "2026-11-30",
        "--by",
        "month",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rate = |v: &serde_json::Value| {
        (
            v["regression_rate"]["count"].as_u64().unwrap(),
            v["regression_rate"]["of"].as_u64().unwrap(),
            v["regression_rate"]["met"].clone(),
        )
    };
    assert_eq!(rate(&doc["total"]), (1, 3, serde_json::json!(false)));
    assert_eq!(rate(&doc["periods"][0]), (1, 2, serde_json::json!(false)));
    assert_eq!(rate(&doc["periods"][1]), (0, 1, serde_json::json!(true)));
    let table =
        stdout_of(&mut repo.chg(&["metrics", "--since", "2026-10-01", "--until", "2026-11-30"]));
    assert!(table.contains("Regression rate"), "{table}");
    assert!(table.contains("33.3% (1/3), not met"), "{table}");
}

#[test]
fn a_class_can_require_the_review_to_say_whether_it_regressed() {
    let repo =
        repo("post_review = \"required\"\nreview_requires = [\"outcome\", \"regression\"]\n");
    let id = reviewed(&repo, crate::common::NOW, &[]);
    let said = refused(
        &repo,
        repo.chg_as(LEE.0, LEE.1, &["review", &id, "--outcome", "achieved"]),
        1,
        "a review of a normal change must say regression",
    );
    assert!(said.contains("give --regression yes|no"), "{said}");
    for (args, needle) in [
        (
            vec!["--outcome", "achieved", "--regression", "maybe"],
            "`maybe` is not an answer; expected yes or no",
        ),
        (
            vec!["--outcome", "regressed", "--regression", "yes"],
            "`regressed` is not a known review outcome",
        ),
    ] {
        let mut all = vec!["review", id.as_str()];
        all.extend(args);
        refused(&repo, repo.chg_as(LEE.0, LEE.1, &all), 2, needle);
    }
    repo.chg_as(
        LEE.0,
        LEE.1,
        &["review", &id, "--outcome", "achieved", "--regression", "no"],
    )
    .assert()
    .success();
    repo.chg_as(LEE.0, LEE.1, &["close", &id])
        .assert()
        .success();
    repo.commit_all(&format!("Close {id}"));
    assert!(!has(&reported(&repo, crate::common::NOW), "L003", ""));
    // The answer removed by hand: the review no longer says what the class requires.
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo.read(&path).replace("  regression: false\n", ""),
    );
    let findings = reported(&repo, crate::common::NOW);
    assert!(has(&findings, "L003", "regression"), "{findings:?}");
}
