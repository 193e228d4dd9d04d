//! The policy keys issue 7 added for the seed policies: each one kept by the command
//! that makes the move, and, where a record can get past it by hand, by `chg check`.

use crate::common::{findings_at, outcome, refused, replaced, TestRepo};
use crate::lifecycle::{propose, status_of, ADA, IAN, LEE, RITA, SAM};

/// Roles for every test; each adds the keys it is about.
const ROLES: &str = r#"
[roles]
lead = ["lee@example.com"]
security = ["sam@example.com"]
incident-commander = ["ian@example.com"]
"#;

fn repo(policy: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", &format!("{ROLES}{policy}"));
    repo.commit_all("Adopt the policy");
    repo
}

/// `chg check`'s exit code and report.
fn check(repo: &TestRepo) -> (i32, String) {
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    (code, stdout)
}

/// Rewrites `from` (found once) as `to` in the record of `id`, as someone editing the
/// file by hand would.
fn edit_by_hand(repo: &TestRepo, id: &str, from: &str, to: &str) {
    let path = format!(".changes/{id}.yaml");
    repo.write(&path, &replaced(&repo.read(&path), from, to));
}

/// Runs `chg check`, which must fail (exit 1) and say each of `says`.
fn check_fails_saying(repo: &TestRepo, says: &[&str]) {
    let (code, out) = check(repo);
    assert_eq!(code, 1, "{out}");
    for said in says {
        assert!(out.contains(said), "{said:?} not in:\n{out}");
    }
}

/// A normal change approved by Lee and started by Rita, at `at`.
fn started(repo: &TestRepo, at: &str, extra: &[&str]) -> String {
    let id = propose(repo, "normal", extra);
    repo.chg_at(at, ADA.0, ADA.1, &["submit", &id])
        .assert()
        .success();
    repo.chg_at(at, LEE.0, LEE.1, &["approve", &id, "--comment", "ok"])
        .assert()
        .success();
    repo.chg_at(at, RITA.0, RITA.1, &["start", &id])
        .assert()
        .success();
    id
}

#[test]
fn a_class_without_auto_approval_keeps_its_approver_at_low_risk() {
    // Seed 002: low risk is auto-approved, but "only the change manager can approve emergency
    // changes" (§14.3); the class table replaces the global list.
    let repo = repo(
        "[classes.normal]\napprovals = [\"lead\"]\n[classes.emergency]\napprovals = [\"incident-commander\"]\nauto_approve = []\n[approvals]\nauto_approve = [\"low\"]\n",
    );
    let low = ["--likelihood", "rare", "--impact", "minor"];
    let normal = propose(&repo, "normal", &low);
    repo.chg(&["submit", &normal]).assert().success();
    assert_eq!(status_of(&repo, &normal), "approved");
    let emergency = propose(&repo, "emergency", &low);
    repo.chg(&["start", &emergency]).assert().success();
    repo.chg(&["deploy", &emergency, "--env", "production"])
        .assert()
        .success();
    repo.chg(&["verify", &emergency]).assert().success();
    repo.chg(&["review", &emergency, "--outcome", "achieved"])
        .assert()
        .success();
    refused(
        &repo,
        repo.chg(&["close", &emergency]),
        1,
        "still needs approval from incident-commander",
    );
    repo.chg_as(IAN.0, IAN.1, &["approve", &emergency])
        .assert()
        .success();
    repo.chg(&["close", &emergency]).assert().success();
}

#[test]
fn a_class_sla_holds_changes_without_a_risk_level() {
    // Seed 003 §9.1: reviews within 24 hours; it assesses no risk level.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\napproval_sla = \"24h\"\n");
    let id = propose(&repo, "normal", &[]);
    repo.chg_at("2026-11-18T09:00:00Z", ADA.0, ADA.1, &["submit", &id])
        .assert()
        .success();
    repo.commit_all(&format!("Propose {id}"));
    let (code, out) = check(&repo);
    assert_eq!(code, 0, "P006 is a warning by default: {out}");
    assert!(out.contains("P006"), "{out}");
    assert!(out.contains("normal changes' SLA of 1d"), "{out}");
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all(&format!("Approve {id}"));
    let (_, out) = check(&repo);
    assert!(
        out.contains("was approved after normal changes' SLA"),
        "{out}"
    );
}

#[test]
fn an_approval_without_its_rationale_is_refused_and_does_not_count() {
    // Seed 002 Gate 3: "Approval documented with rationale".
    let repo =
        repo("[classes.normal]\napprovals = [\"lead\"]\n[approvals]\ncomment = \"required\"\n");
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    refused(
        &repo,
        repo.chg_as(LEE.0, LEE.1, &["approve", &id]),
        1,
        "asks every approval to give its rationale",
    );
    refused(
        &repo,
        repo.chg_as(LEE.0, LEE.1, &["approve", &id, "--comment", "  "]),
        1,
        "--comment",
    );
    repo.chg_as(
        LEE.0,
        LEE.1,
        &["approve", &id, "--comment", "schema reviewed"],
    )
    .assert()
    .success();
    assert_eq!(status_of(&repo, &id), "approved");
    // The comment removed by hand: the approval no longer counts.
    let path = format!(".changes/{id}.yaml");
    let yaml = repo.read(&path);
    repo.write(&path, &yaml.replace("  comment: schema reviewed\n", ""));
    let (code, out) = check(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("P001") && out.contains("gives no rationale"),
        "{out}"
    );
}

#[test]
fn one_person_in_two_roles_is_caught_by_chg_check_not_only_by_chg_approve() {
    // Seed 001 §4.3: two reviewers are two people.
    let repo = repo("[classes.normal]\napprovals = [\"lead\", \"security\"]\n");
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.chg_as(SAM.0, SAM.1, &["approve", &id])
        .assert()
        .success();
    assert_eq!(status_of(&repo, &id), "approved");
    assert_eq!(check(&repo).0, 0);
    // Sam's approval rewritten by hand as Lee's: Lee now fills both roles.
    // Sam stands in more than one entry of the record: all of them become Lee.
    let path = format!(".changes/{id}.yaml");
    let yaml = repo.read(&path);
    repo.write(
        &path,
        &yaml.replace("by: sam@example.com", "by: lee@example.com"),
    );
    check_fails_saying(
        &repo,
        &["not approved by security", "already fills another role"],
    );
}

#[test]
fn a_review_must_say_what_the_class_requires() {
    // Seed 000 §10: outcome, side effects, monitoring findings, lessons, playbook updates.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\npost_review = \"required\"\nreview_requires = [\"outcome\", \"lessons\", \"playbook_updates\"]\n");
    let id = started(&repo, crate::common::NOW, &[]);
    repo.chg(&["deploy", &id, "--env", "production"])
        .assert()
        .success();
    repo.chg(&["verify", &id]).assert().success();
    let stderr = refused(
        &repo,
        repo.chg(&[
            "review",
            &id,
            "--outcome",
            "achieved",
            "--lessons",
            "smaller batches",
        ]),
        1,
        "must say playbook_updates",
    );
    assert!(stderr.contains("--playbook-updates"), "{stderr}");
    refused(
        &repo,
        repo.chg(&["close", &id]),
        1,
        "need a post-implementation review",
    );
    repo.chg(&[
        "review",
        &id,
        "--outcome",
        "achieved",
        "--lessons",
        "smaller batches",
        "--playbook-updates",
        "runbook 12 updated",
    ])
    .assert()
    .success();
    repo.chg(&["close", &id]).assert().success();
    assert_eq!(check(&repo).0, 0);
    // The lessons emptied by hand after closing: L003 names what is missing.
    edit_by_hand(&repo, &id, "  lessons: smaller batches\n", "");
    check_fails_saying(&repo, &["L003", "lacks lessons"]);
}

#[test]
fn a_review_on_rollback_is_owed_only_by_a_rolled_back_change() {
    // Seed 001 §10.4: a rollback is documented with its impact and root cause.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\npost_review = \"on-rollback\"\nreview_requires = [\"incidents\"]\n");
    let fine = started(&repo, crate::common::NOW, &[]);
    repo.chg(&["deploy", &fine, "--env", "production"])
        .assert()
        .success();
    repo.chg(&["verify", &fine]).assert().success();
    repo.chg(&["close", &fine]).assert().success();
    let failed = started(&repo, crate::common::NOW, &[]);
    repo.chg(&["deploy", &failed, "--env", "production"])
        .assert()
        .success();
    repo.chg(&["rollback", &failed, "--reason", "error rate doubled"])
        .assert()
        .success();
    refused(
        &repo,
        repo.chg(&["close", &failed]),
        1,
        "need a post-implementation review",
    );
    refused(
        &repo,
        repo.chg(&["review", &failed, "--outcome", "not-achieved"]),
        1,
        "must say incidents",
    );
    repo.chg(&[
        "review",
        &failed,
        "--outcome",
        "not-achieved",
        "--incidents",
        "12 minutes of 500s",
    ])
    .assert()
    .success();
    repo.chg(&["close", &failed]).assert().success();
}

#[test]
fn verification_waits_for_the_monitoring_period() {
    // Seed 001 §9.3: "Monitor for 30 minutes minimum".
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\nverify_after = \"30m\"\n");
    let id = deployed_at_ten(&repo);
    refused(
        &repo,
        repo.chg_at("2026-11-23T10:10:00Z", RITA.0, RITA.1, &["verify", &id]),
        1,
        "deployed less than 30m ago",
    );
    repo.chg_at("2026-11-23T10:30:00Z", RITA.0, RITA.1, &["verify", &id])
        .assert()
        .success();
    assert_eq!(check(&repo).0, 0);
    // The verification moved earlier by hand: L005.
    let path = format!(".changes/{id}.yaml");
    let yaml = repo.read(&path);
    let forged = yaml.replacen("at: 2026-11-23T10:30:00Z", "at: 2026-11-23T10:05:00Z", 1);
    assert_ne!(forged, yaml);
    repo.write(&path, &forged);
    let (code, out) = check(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("L005"), "{out}");
}

/// A normal change started at 09:00 and deployed by Rita at 10:00.
fn deployed_at_ten(repo: &TestRepo) -> String {
    let id = started(repo, "2026-11-23T09:00:00Z", &[]);
    repo.chg_at(
        "2026-11-23T10:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
    id
}

#[test]
fn a_verification_before_the_deployment_is_refused() {
    // No `verify_after`: only the deployment's own time bounds the verification.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\n");
    let id = deployed_at_ten(&repo);
    let stderr = refused(
        &repo,
        repo.chg_at("2026-11-23T09:30:00Z", RITA.0, RITA.1, &["verify", &id]),
        1,
        &format!(
            "{id} was deployed to production at 2026-11-23T10:00:00Z, after now (2026-11-23T09:30:00Z)"
        ),
    );
    assert!(
        stderr
            .contains("check this machine's clock against the one rita@example.com deployed from"),
        "{stderr}"
    );
    assert!(repo
        .read(&format!(".changes/{id}.yaml"))
        .contains("status: deployed"));
}

#[test]
fn a_verification_dated_by_hand_before_its_deployment_is_reported() {
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\n");
    let id = deployed_at_ten(&repo);
    repo.chg_at("2026-11-23T11:00:00Z", RITA.0, RITA.1, &["verify", &id])
        .assert()
        .success();
    assert_eq!(check(&repo).0, 0);
    edit_by_hand(
        &repo,
        &id,
        "at: 2026-11-23T11:00:00Z",
        "at: 2026-11-23T09:30:00Z",
    );
    check_fails_saying(
        &repo,
        &["L005 verified-too-soon: verified 2026-11-23T09:30:00Z, before the deployment it verifies (production at 2026-11-23T10:00:00Z)"],
    );
}

#[test]
fn windows_can_guard_production_only() {
    // Seed 001 §2.2: development and staging follow a separate process.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\n[windows]\nenvironments = [\"production\"]\nmonday = [{ from = \"06:00\", to = \"10:00\" }]\n");
    let id = started(&repo, "2026-11-23T05:00:00Z", &[]);
    // Monday 22:00 UTC: outside the window.
    repo.chg_at(
        "2026-11-23T22:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "staging"],
    )
    .assert()
    .success();
    refused(
        &repo,
        repo.chg_at(
            "2026-11-23T22:10:00Z",
            RITA.0,
            RITA.1,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "outside the deployment windows",
    );
    repo.chg_at(
        "2026-11-30T07:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
    assert_eq!(check(&repo).0, 0);
}

#[test]
fn a_deployment_names_its_release_in_the_policy_s_form() {
    // Seed 002 §12.3 semantic versions; seed 004 §7 "a unique tag or build ID".
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\n[deployments]\nref_pattern = '^v\\d+\\.\\d+\\.\\d+$'\n");
    let id = started(&repo, crate::common::NOW, &[]);
    refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production"]),
        1,
        "must name what went out with --ref",
    );
    refused(
        &repo,
        repo.chg(&["deploy", &id, "--env", "production", "--ref", "main"]),
        1,
        "matching `^v",
    );
    repo.chg(&["deploy", &id, "--env", "production", "--ref", "v1.4.2"])
        .assert()
        .success();
    assert_eq!(check(&repo).0, 0);
    edit_by_hand(&repo, &id, "ref: v1.4.2", "ref: latest");
    check_fails_saying(&repo, &["F005", "`latest`"]);
}

#[test]
fn only_the_roles_moves_names_make_a_move() {
    // Seed 002 §9.3 "Execute Production deployments" is the change manager's; seed 004 §5.6 the
    // change owner reviews. A move `[moves]` leaves out stays open to anyone.
    let repo = repo(
        "[classes.normal]\napprovals = [\"lead\"]\n[moves]\ndeploy = [\"security\"]\nverify = [\"owner\"]\n",
    );
    let id = started(&repo, crate::common::NOW, &[]);
    let deploy = ["deploy", &id, "--env", "production"];
    let stderr = refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &deploy),
        1,
        &format!(
            "you (rita@example.com) may not deploy {id} to production: the policy leaves that \
             to security (sam@example.com)"
        ),
    );
    assert!(
        stderr.contains("hint: [moves] and [classes.normal.moves] in .changes.toml"),
        "{stderr}"
    );
    repo.chg_as(SAM.0, SAM.1, &deploy).assert().success();
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["verify", &id]),
        1,
        "the policy leaves that to its owner (ada@example.com)",
    );
    repo.chg(&["verify", &id]).assert().success();
    repo.chg_as(RITA.0, RITA.1, &["close", &id])
        .assert()
        .success();
    assert_eq!(check(&repo).0, 0);
    // The verification put down to Rita by hand: P007.
    let verified_by =
        |who: &str| format!("to: verified\n  at: {}\n  by: {who}", crate::common::NOW);
    edit_by_hand(&repo, &id, &verified_by(ADA.1), &verified_by(RITA.1));
    check_fails_saying(
        &repo,
        &["P007 move-not-permitted: rita@example.com made the move verify at"],
    );
}

#[test]
fn a_class_s_moves_replace_the_global_entries() {
    // Seed 002 §14.2 "The change manager declares emergency": the emergency class gives `start` to
    // its own role; other classes keep the global entry.
    let repo = repo(
        "[classes.normal]\napprovals = [\"lead\"]\n[moves]\nstart = [\"lead\"]\n[classes.emergency.moves]\nstart = [\"incident-commander\"]\n",
    );
    let normal = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &normal]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &normal])
        .assert()
        .success();
    refused(
        &repo,
        repo.chg_as(IAN.0, IAN.1, &["start", &normal]),
        1,
        &format!("may not start {normal}: the policy leaves that to lead (lee@example.com)"),
    );
    repo.chg_as(LEE.0, LEE.1, &["start", &normal])
        .assert()
        .success();
    let emergency = propose(&repo, "emergency", &[]);
    refused(
        &repo,
        repo.chg_as(LEE.0, LEE.1, &["start", &emergency]),
        1,
        &format!(
            "may not start {emergency}: the policy leaves that to incident-commander \
             (ian@example.com)"
        ),
    );
    repo.chg_as(IAN.0, IAN.1, &["start", &emergency])
        .assert()
        .success();
    assert_eq!(check(&repo).0, 0);
    // The emergency started by Lee, by hand: P007, judged by the class's entry.
    edit_by_hand(
        &repo,
        &emergency,
        "by: ian@example.com",
        "by: lee@example.com",
    );
    check_fails_saying(
        &repo,
        &[
            "lee@example.com made the move start at 2026-11-21T10:30:00Z, which the policy \
           leaves to incident-commander (ian@example.com)",
        ],
    );
}

#[test]
fn chg_deploy_refuses_a_deployment_inside_the_lead_time() {
    // Seed 003 §3.1: normal changes wait 24 hours after submit.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\nlead_time = \"24h\"\n");
    let id = started(&repo, "2026-11-23T09:00:00Z", &[]);
    let stderr = refused(
        &repo,
        repo.chg_at(
            "2026-11-23T11:00:00Z",
            RITA.0,
            RITA.1,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "cannot be deployed before Tue 2026-11-24 09:00 UTC",
    );
    assert!(stderr.contains("waits 1d after submit"), "{stderr}");
    repo.chg_at(
        "2026-11-24T09:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
    assert_eq!(check(&repo).0, 0);
}

#[test]
fn a_standard_class_that_requires_a_rollback_plan_is_checked_for_one() {
    // Seed 002 §2.1 P6: "Every change MUST have rollback plan", standard ones too.
    let repo = repo("[classes.standard]\npre_approved = true\nrequires = [\"description\", \"rollback.plan\"]\n");
    let id = repo.create(&[
        "--title",
        "Bump a patch version",
        "--class",
        "standard",
        "--description",
        "d",
    ]);
    refused(&repo, repo.chg(&["submit", &id]), 1, "rollback.plan");
    // Submitted by hand without one: R005.
    edit_by_hand(&repo, &id, "status: draft", "status: submitted");
    check_fails_saying(&repo, &["R005"]);
}

#[test]
fn an_emergency_can_be_required_to_name_who_authorised_it() {
    // Seed 001 §6.3, seed 004 §5.3: authorised verbally before the record exists.
    let repo = repo("[classes.emergency]\napprovals = [\"incident-commander\"]\nrequires = [\"description\", \"rollback.plan\", \"emergency.authorized_by\"]\n");
    let id = propose(&repo, "emergency", &[]);
    let stderr = refused(
        &repo,
        repo.chg(&["start", &id]),
        1,
        "emergency.authorized_by",
    );
    assert!(!stderr.contains("description"), "{stderr}");
    let path = format!(".changes/{id}.yaml");
    let yaml = repo.read(&path);
    repo.write(
        &path,
        &format!("{yaml}emergency:\n  authorized_by:\n  - ian@example.com\n"),
    );
    repo.chg(&["start", &id]).assert().success();
    assert_eq!(status_of(&repo, &id), "implementing");
}

#[test]
fn metrics_are_judged_against_the_policy_s_targets() {
    // Seed 003 §9.1: change failure rate < 5 %, emergency change rate < 10 %; it sets
    // no success-rate target.
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\n[metrics]\nsuccess_rate = \"none\"\nemergency_rate = \"< 10%\"\nchange_failure_rate = \"< 5%\"\n");
    let id = started(&repo, "2026-11-02T09:00:00Z", &[]);
    repo.chg_at(
        "2026-11-02T10:00:00Z",
        RITA.0,
        RITA.1,
        &["deploy", &id, "--env", "production"],
    )
    .assert()
    .success();
    repo.chg_at(
        "2026-11-02T11:00:00Z",
        RITA.0,
        RITA.1,
        &["rollback", &id, "--reason", "errors"],
    )
    .assert()
    .success();
    repo.commit_all(&format!("Deploy and roll back {id}"));
    let out = crate::common::stdout_of(&mut repo.chg(&[
        "metrics",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-30",
        "--format",
        "json",
    ]));
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = &m["total"];
    assert_eq!(t["success_rate"]["target"], serde_json::Value::Null);
    assert_eq!(t["success_rate"]["met"], serde_json::Value::Null);
    assert_eq!(t["emergency_rate"]["target"], "< 10%");
    assert_eq!(t["emergency_rate"]["met"], true);
    assert_eq!(t["dora"]["change_failure_rate"]["target"], "< 5%");
    assert_eq!(t["dora"]["change_failure_rate"]["met"], false);
    // A target that does not read as one is refused when the policy loads.
    repo.write(
        ".changes.toml",
        &format!("{ROLES}[metrics]\nrollback_rate = \"3%\"\n"),
    );
    refused(&repo, repo.chg(&["metrics"]), 2, "not a rate target");
}

#[test]
fn what_an_agent_writes_is_approved_by_a_person_whatever_its_class() {
    // Seed 000 §11 "AI-generated structural changes without approval"; seed 002 §10.3
    // AI-written CRs: "The change manager reviews and approves/rejects".
    let repo = repo("agent = [\"bot@example.com\"]\n[approvals.by_author]\nagent = [\"lead\"]\n");
    let by_agent = |args: &[&str]| repo.chg_as("Build Agent", "bot@example.com", args);
    let out = by_agent(&[
        "new",
        "--no-input",
        "--title",
        "Bump a patch version",
        "--class",
        "standard",
        "--description",
        "d",
    ])
    .assert()
    .success();
    let id = String::from_utf8_lossy(&out.get_output().stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    by_agent(&["submit", &id]).assert().success();
    assert_eq!(
        status_of(&repo, &id),
        "submitted",
        "a standard change, yet not pre-approved"
    );
    refused(
        &repo,
        by_agent(&["start", &id]),
        1,
        "still needs approval from lead",
    );
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    assert_eq!(status_of(&repo, &id), "approved");
    // Ada's standard changes stay pre-approved.
    let mine = repo.create(&[
        "--title",
        "Fix a typo",
        "--class",
        "standard",
        "--description",
        "d",
    ]);
    repo.chg(&["submit", &mine]).assert().success();
    assert_eq!(status_of(&repo, &mine), "approved");
}

/// The emergency record written with `chg new` at `at`, committed, and the fix on
/// `branch` merged after it; returns the record's ID.
fn documented(repo: &TestRepo, at: &str, branch: &str) -> String {
    let args = [
        "new",
        "--no-input",
        "--title",
        "Stop the outage",
        "--class",
        "emergency",
        "--description",
        "Restart the pool",
        "--rollback",
        "Revert the fix",
    ];
    let out = crate::common::stdout_of(&mut repo.chg_at(at, ADA.0, ADA.1, &args));
    let id = out.split_whitespace().next().unwrap().to_string();
    repo.commit_all_at(at, &format!("Document {id}\n\nChange: {id}"));
    repo.merge_at(at, branch, &format!("Merge {branch}\n\nChange: {id}"));
    id
}

#[test]
fn an_emergency_record_is_written_within_record_within_of_the_work() {
    // Seed 001 §6.4 "Within 24 hours: Document the emergency change"; seed 002 §14.2
    // "CR created post-facto within 24 hours". No command can refuse a record for
    // coming late: chg check judges it once the record is there.
    let repo = repo(
        "[classes.emergency]\napprovals = [\"incident-commander\"]\nrecord_within = \"24h\"\n",
    );
    // Two fixes at 02:00, each naming the change its record will be.
    for (branch, id) in [
        ("fix-pool", "CHG-2026-0001"),
        ("fix-cache", "CHG-2026-0002"),
    ] {
        repo.work_on_branch(
            branch,
            "2026-11-20T02:00:00Z",
            &format!("Fix it\n\nChange: {id}"),
        );
    }
    // One documented 20 hours later, the other 30.
    let prompt = documented(&repo, "2026-11-20T22:00:00Z", "fix-pool");
    let late = documented(&repo, "2026-11-21T08:00:00Z", "fix-cache");
    assert_eq!(
        (prompt.as_str(), late.as_str()),
        ("CHG-2026-0001", "CHG-2026-0002")
    );
    let (code, findings) = findings_at(&repo, "2026-11-21T09:00:00Z");
    assert_eq!(code, 1, "{findings:?}");
    let [finding] = &findings[..] else {
        panic!("one finding expected: {findings:?}")
    };
    assert_eq!(
        (finding.rule.as_str(), finding.record.as_deref()),
        ("L006", Some(late.as_str()))
    );
    let fix = repo.git(&["rev-parse", "--short=10", "fix-cache"]);
    assert_eq!(
        finding.message,
        format!(
            "the record was created 2026-11-21T08:00:00Z, more than 1d after work on the \
             change began (commit {} names it, committed 2026-11-20T02:00:00Z); it was due \
             2026-11-21 02:00:00 UTC",
            fix.trim()
        )
    );
    // The first deployment, written in by hand at the time it really went out: the work
    // began then, two days before the record.
    repo.chg_at("2026-11-20T22:00:00Z", IAN.0, IAN.1, &["start", &prompt])
        .assert()
        .success();
    repo.chg_at(
        "2026-11-20T22:00:00Z",
        IAN.0,
        IAN.1,
        &["deploy", &prompt, "--env", "production"],
    )
    .assert()
    .success();
    let (_, findings) = findings_at(&repo, "2026-11-21T09:00:00Z");
    assert!(
        !findings
            .iter()
            .any(|f| f.record.as_deref() == Some(prompt.as_str())),
        "{findings:?}"
    );
    let path = format!(".changes/{prompt}.yaml");
    repo.write(
        &path,
        &replaced(
            &repo.read(&path),
            "- environment: production\n  at: 2026-11-20T22:00:00Z",
            "- environment: production\n  at: 2026-11-18T22:00:00Z",
        ),
    );
    let (_, findings) = findings_at(&repo, "2026-11-21T09:00:00Z");
    assert!(
        findings.iter().any(|f| f.rule == "L006"
            && f.record.as_deref() == Some(prompt.as_str())
            && f.message.contains(
                "(its first deployment, to production at 2026-11-18T22:00:00Z); it was due \
                 2026-11-19 22:00:00 UTC"
            )),
        "{findings:?}"
    );
}

#[test]
fn a_class_can_require_the_risk_treatment_and_mitigation() {
    // Seed 002 §5.3 "Risk Treatment" (accept, mitigate, avoid, transfer) and Gate 2
    // "Mitigation strategies defined".
    let repo = repo("[classes.normal]\napprovals = [\"lead\"]\nrequires = [\"description\", \"rollback.plan\", \"risk.treatment\", \"risk.mitigation\"]\n");
    let id = propose(&repo, "normal", &[]);
    refused(
        &repo,
        repo.chg(&["submit", &id]),
        1,
        "it lacks: risk.treatment, risk.mitigation",
    );
    refused(
        &repo,
        repo.chg(&["assess", &id, "--treatment", "reduce"]),
        2,
        "`reduce` is not a known risk treatment; expected one of: accept, mitigate, avoid, transfer",
    );
    repo.chg(&[
        "assess",
        &id,
        "--treatment",
        "mitigate",
        "--mitigation",
        "Phased rollout, one tenant first",
    ])
    .assert()
    .success();
    repo.chg(&["submit", &id]).assert().success();
    let shown = crate::common::stdout_of(&mut repo.chg(&["show", &id]));
    assert!(
        shown.contains("Treatment") && shown.contains("mitigate"),
        "{shown}"
    );
    assert!(
        shown.contains("Phased rollout, one tenant first"),
        "{shown}"
    );
    let schema = crate::common::stdout_of(&mut repo.chg(&["schema"]));
    assert!(
        schema.contains(r#""enum": ["accept", "mitigate", "avoid", "transfer"]"#),
        "{schema}"
    );
    // chg edit holds a hand-written treatment to the same words.
    let path = format!(".changes/{id}.yaml");
    let edited = replaced(
        &repo.read(&path),
        "treatment: mitigate",
        "treatment: reduce",
    );
    std::fs::write(repo.path().join(".git/next-edit.yaml"), edited).unwrap();
    let mut edit = repo.chg(&["edit", &id]);
    edit.env("EDITOR", "cp .git/next-edit.yaml");
    refused(
        &repo,
        edit,
        2,
        "unknown variant `reduce`, expected one of `accept`, `mitigate`, `avoid`, `transfer`",
    );
    repo.commit_all(&format!("Propose {id}"));
    assert_eq!(check(&repo).0, 0);
    // The mitigation emptied by hand once submitted: R004.
    edit_by_hand(
        &repo,
        &id,
        "  mitigation: Phased rollout, one tenant first\n",
        "",
    );
    check_fails_saying(
        &repo,
        &["R004 missing-requirement: a normal change needs risk.mitigation"],
    );
}
