//! The `rfc` preset (seed 004, MCP4.ai "Change Management Policy") end to end: one
//! scripted repository walks a normal and an emergency request for change through
//! the seed's six steps with several people, and one test per enforceable clause
//! shows it kept and broken (docs/policies.md maps clause → key → rule).
//!
//! People (the preset's example addresses are replaced by these on adoption): Ada
//! writes and owns every RFC; Peg is a peer; Cora the CTO and Cy the CISO (either is
//! "CTO/CISO", and closes RFCs); Dev a DevOps engineer, the only one who deploys to
//! production. All times are UTC, the preset's zone. The
//! seed has no major class, so none is walked here.

use crate::common::{findings_at as check, refused, TestRepo, Who};
use crate::preset_itil_four_class::{
    approve, at, caught, clean, commit_register, create, evidence, hand_approve, hand_edit,
    hook_refuses, land, record, retrospective, rules_on, run, status, step, submit, ADA,
};

const PEG: Who = ("Peg Peer", "peg@example.com");
const CORA: Who = ("Cora CTO", "cora@example.com");
const CY: Who = ("Cy CISO", "cy@example.com");
const DEV: Who = ("Dev Ops", "dev@example.com");

/// Monday: the preset is adopted with RFC-2026-0001, a standard change.
const ADOPTED: &str = "2026-03-02T09:00:00Z";
/// The day the proposals of the focused tests are made (Tuesday).
const DAY: &str = "2026-03-03";

fn on(hhmm: &str) -> String {
    format!("{DAY}T{hhmm}:00Z")
}

/// `chg init --preset rfc`, the team's people put in, and the adoption committed
/// under RFC-2026-0001, a standard change: every commit must name an RFC (§5.1).
fn adopt() -> TestRepo {
    let repo = TestRepo::new();
    run(&repo, ADOPTED, ADA, &["init", "--preset", "rfc"]);
    let policy = [
        ("\"cto@example.com\"", "\"cora@example.com\""),
        ("\"ciso@example.com\"", "\"cy@example.com\""),
        ("\"devops@example.com\"", "\"dev@example.com\""),
    ]
    .iter()
    .fold(repo.read(".changes.toml"), |text, (from, to)| {
        assert!(text.contains(from), "{from} not in the preset");
        text.replace(from, to)
    });
    repo.write(".changes.toml", &policy);
    let id = create(
        &repo,
        ADOPTED,
        &[
            "--title",
            "Adopt chg",
            "--class",
            "standard",
            "--description",
            "The rfc preset",
        ],
    );
    assert_eq!(id, "RFC-2026-0001");
    run(&repo, ADOPTED, ADA, &["submit", &id]);
    repo.commit_all_at(ADOPTED, &format!("Adopt chg\n\nChange: {id}"));
    repo
}

/// §5.1 "Impact analysis (systems, users, security, compliance)" and §5.2 "Downtime
/// or migration risks", which have no `chg new` flag.
const IMPACT: &str = "impact:
  systems: the API and its database
  users: tenants exporting data
  security: no new access paths
  compliance: exports stay in the EU region
  availability: no downtime; the migration is online
";

/// A complete §5.1 RFC of `class` by Ada at `when` (a draft), with `extra` flags.
fn propose(repo: &TestRepo, when: &str, class: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--title",
        "Upgrade the database driver",
        "--class",
        class,
        "--description",
        "Move to driver 5.x",
        "--rationale",
        "4.x is out of support",
        "--rollback",
        "Pin 4.x again and redeploy",
        "--test-plan",
        "Regression suite and a staging soak",
        "--target-date",
        "2026-03-20",
    ];
    args.extend_from_slice(extra);
    let id = create(repo, when, &args);
    let path = format!(".changes/{id}.yaml");
    repo.write(&path, &format!("{}{IMPACT}", repo.read(&path)));
    id
}

/// A normal RFC with `extra` flags, submitted, peer-reviewed by Peg and approved by
/// Cora (CTO).
fn approved_normal(repo: &TestRepo, day: &str, extra: &[&str]) -> String {
    let id = propose(repo, &format!("{day}T09:00:00Z"), "normal", extra);
    submit(repo, &format!("{day}T09:00:00Z"), &id);
    approve(repo, &format!("{day}T10:00:00Z"), PEG, &id, "peer-reviewer");
    approve(repo, &format!("{day}T11:00:00Z"), CORA, &id, "cto");
    assert_eq!(status(repo, &id), "approved");
    id
}

/// §8 "Backup snapshots or database dumps taken before deployment", by DevOps, who
/// commits it.
fn backed_up(repo: &TestRepo, when: &str, id: &str) {
    evidence(repo, when, DEV, id, &["backup-snapshot"]);
    commit_register(repo, when, DEV, &format!("Back up\n\nChange: {id}"));
}

/// §5.5 "Perform functional, regression, and security testing", by QA, who commits
/// the results.
fn tested(repo: &TestRepo, when: &str, id: &str) {
    let kinds = ["functional-tests", "regression-tests", "security-tests"];
    evidence(repo, when, PEG, id, &kinds);
    commit_register(repo, when, PEG, &format!("Test\n\nChange: {id}"));
}

/// An emergency for INC-7 declared by Ada at `when` and started at `started`, with
/// nobody's approval yet (§5.3 "Authorized verbally or via chat").
fn emergency_started(repo: &TestRepo, when: &str, started: &str) -> String {
    let id = create(
        repo,
        when,
        &[
            "--title",
            "Restore the export service",
            "--class",
            "emergency",
            "--description",
            "Roll the connection pool back to 20",
            "--rollback",
            "Revert the pool size",
            "--incident",
            "INC-7",
            // §5.3 "Authorized verbally or via chat".
            "--authorized-by",
            CY.1,
        ],
    );
    run(repo, started, ADA, &["start", &id]);
    commit_register(repo, started, ADA, &format!("Declare {id}\n\nChange: {id}"));
    id
}

#[test]
fn rfc_lifecycle() {
    let repo = adopt();

    // §5 normal: RFC → impact assessment → peer review and CTO/CISO approval →
    // implementation → verification → review by the owner and closure by the CTO/CISO.
    let normal = propose(&repo, "2026-03-03T09:00:00Z", "normal", &[]);
    submit(&repo, "2026-03-03T09:00:00Z", &normal);
    approve(&repo, "2026-03-03T10:00:00Z", PEG, &normal, "peer-reviewer");
    approve(&repo, "2026-03-03T11:00:00Z", CY, &normal, "ciso");
    land(&repo, "2026-03-04T09:00:00Z", "Cargo.toml", &normal);
    step(&repo, "2026-03-05T09:00:00Z", DEV, &["start", &normal]);
    let deploy = |env| ["deploy", &normal, "--env", env, "--ref", "v3.1.0"];
    step(&repo, "2026-03-05T10:00:00Z", DEV, &deploy("staging"));
    backed_up(&repo, "2026-03-05T13:00:00Z", &normal);
    step(&repo, "2026-03-05T14:00:00Z", DEV, &deploy("production"));
    tested(&repo, "2026-03-05T15:00:00Z", &normal);
    step(&repo, "2026-03-05T16:00:00Z", DEV, &["verify", &normal]);
    step(
        &repo,
        "2026-03-06T09:00:00Z",
        ADA,
        &[
            "review",
            &normal,
            "--outcome",
            "achieved",
            "--incidents",
            "none",
            "--lessons",
            "soak on staging for a day",
        ],
    );
    step(&repo, "2026-03-06T10:00:00Z", CORA, &["close", &normal]);

    // §9 emergency: fixed at night, authorised on the spot, documented and reviewed
    // by the CISO within 48 hours.
    let emergency = emergency_started(&repo, "2026-03-07T01:00:00Z", "2026-03-07T01:05:00Z");
    land(
        &repo,
        "2026-03-07T01:20:00Z",
        "config/pool.toml",
        &emergency,
    );
    step(
        &repo,
        "2026-03-07T01:30:00Z",
        DEV,
        &[
            "deploy",
            &emergency,
            "--env",
            "production",
            "--ref",
            "v3.1.1",
        ],
    );
    commit_register(
        &repo,
        "2026-03-07T01:30:00Z",
        DEV,
        &format!("Deploy {emergency}\n\nChange: {emergency}"),
    );
    approve(&repo, "2026-03-08T09:00:00Z", CY, &emergency, "ciso");
    retrospective(&repo, &emergency);
    step(
        &repo,
        "2026-03-08T10:00:00Z",
        CY,
        &[
            "review",
            &emergency,
            "--outcome",
            "achieved",
            "--incidents",
            "40 min of failed exports",
        ],
    );
    step(&repo, "2026-03-08T11:00:00Z", DEV, &["verify", &emergency]);
    step(&repo, "2026-03-08T12:00:00Z", CY, &["close", &emergency]);

    for id in [&normal, &emergency] {
        assert_eq!(status(&repo, id), "closed", "{id}");
        // §5.1: an owner and (normal) a target date on every RFC.
        assert_eq!(record(&repo, id)["owner"].as_str(), Some(ADA.1), "{id}");
    }
    assert_eq!(
        record(&repo, &normal)["target_date"].as_str(),
        Some("2026-03-20")
    );
    clean(&repo, "2026-03-31T12:00:00Z");
}

/// §2 every system, network and application change; §5.1 "All proposed changes must
/// be logged"; §12 "Unauthorized or undocumented changes": each commit names an RFC
/// with a record.
#[test]
fn every_commit_names_a_logged_rfc() {
    let repo = adopt();
    run(&repo, &on("09:00"), ADA, &["hook", "install"]);
    repo.write("nginx/site.conf", "server {}\n");
    hook_refuses(
        &repo,
        &on("09:00"),
        "Tune nginx",
        "H002 missing-change-reference",
    );
    hook_refuses(
        &repo,
        &on("09:00"),
        "Tune nginx\n\nChange: RFC-2026-0042",
        "H001 unknown-change-reference",
    );
    repo.git_at(
        &on("09:00"),
        &["commit", "-q", "--no-verify", "-m", "Tune nginx"],
    );
    caught(
        &repo,
        &on("10:00"),
        "H002",
        None,
        "\"Tune nginx\" names no change",
    );
    // Naming the adoption RFC, which is logged and approved, is clean.
    repo.write("nginx/site.conf", "server { listen 443; }\n");
    repo.git_at(
        &on("10:30"),
        &[
            "commit",
            "-q",
            "-a",
            "--no-verify",
            "-m",
            "Listen on 443\n\nChange: RFC-2026-0001",
        ],
    );
    let (_, findings) = check(&repo, &on("11:00"));
    assert_eq!(findings.len(), 1, "only the first commit: {findings:#?}");
}

/// §4 standard "Routine, low-risk, pre-approved"; §5.3 "Auto-approved per documented
/// SOPs"; still logged with an owner (§5.1).
#[test]
fn a_standard_rfc_is_auto_approved_and_has_an_owner() {
    let repo = adopt();
    let id = create(
        &repo,
        &on("09:00"),
        &[
            "--title",
            "Rebuild the Docker image",
            "--class",
            "standard",
            "--description",
            "Routine rebuild",
        ],
    );
    hand_edit(&repo, &id, "owner: ada@example.com\n", "");
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: owner",
    );
    hand_edit(
        &repo,
        &id,
        "description:",
        "owner: dev@example.com\ndescription:",
    );
    assert_eq!(
        run(&repo, &on("09:05"), ADA, &["submit", &id]),
        format!("{id} approved\n")
    );
}

/// §5.1 RFC contents: description and purpose, impact on systems, users, security and
/// compliance, rollback plan, owner and target date.
#[test]
fn an_rfc_states_purpose_impact_rollback_owner_and_target_date() {
    let repo = adopt();
    let id = create(
        &repo,
        &on("09:00"),
        &["--title", "Bare", "--class", "normal"],
    );
    hand_edit(&repo, &id, "owner: ada@example.com\n", "");
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: description, rationale, impact.systems, impact.users, impact.security, \
         impact.compliance, impact.availability, test_plan, rollback.plan, owner, target_date",
    );
    // Submitted by hand anyway: the check names what the RFC lacks.
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "R004",
        Some(&id),
        "a normal change needs description, rationale, impact.systems, impact.users, \
         impact.security, impact.compliance, impact.availability, test_plan, owner, target_date",
    );
}

/// §5.2 impact assessment: security implications, downtime or migration risks,
/// testing requirements.
#[test]
fn the_impact_assessment_covers_security_downtime_and_testing() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    hand_edit(&repo, &id, "  security: no new access paths\n", "");
    hand_edit(
        &repo,
        &id,
        "  availability: no downtime; the migration is online\n",
        "",
    );
    hand_edit(
        &repo,
        &id,
        "test_plan: Regression suite and a staging soak\n",
        "",
    );
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: impact.security, impact.availability, test_plan",
    );
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "R004",
        Some(&id),
        "needs impact.security, impact.availability, test_plan",
    );
}

/// §4 normal "Peer Review + CTO/CISO approval", §5.3, §6 "CTO / CISO approves
/// significant changes": a peer who is not the author, and the CTO or the CISO as a
/// second person.
#[test]
fn a_normal_rfc_needs_a_peer_review_and_the_cto_or_ciso() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    submit(&repo, &on("09:00"), &id);
    refused(
        &repo,
        at(
            &repo,
            &on("10:00"),
            ADA,
            &["approve", &id, "--role", "peer-reviewer"],
        ),
        1,
        "under separation of duties someone else must approve it",
    );
    refused(
        &repo,
        at(&repo, &on("10:00"), DEV, &["approve", &id, "--role", "cto"]),
        1,
        "not a member of cto; its members: cora@example.com",
    );
    approve(&repo, &on("10:00"), CORA, &id, "cto");
    // One person is not both the peer and the CTO/CISO.
    refused(
        &repo,
        at(
            &repo,
            &on("10:30"),
            CORA,
            &["approve", &id, "--role", "peer-reviewer"],
        ),
        1,
        "you already approved",
    );
    refused(
        &repo,
        at(&repo, &on("10:30"), ADA, &["start", &id]),
        1,
        "still needs approval from peer-reviewer",
    );
    // Marked approved by hand without the peer: P001.
    hand_edit(&repo, &id, "status: submitted", "status: approved");
    caught(
        &repo,
        &on("10:40"),
        "P001",
        Some(&id),
        "not approved by peer-reviewer",
    );
    hand_edit(&repo, &id, "status: approved", "status: submitted");
    approve(&repo, &on("11:00"), PEG, &id, "peer-reviewer");
    assert_eq!(status(&repo, &id), "approved");
    assert!(rules_on(&repo, &on("11:10"), &id).is_empty());
    // Dev writes himself in as CTO/CISO on another RFC: P002.
    let other = propose(&repo, &on("12:00"), "normal", &[]);
    submit(&repo, &on("12:00"), &other);
    approve(&repo, &on("12:30"), PEG, &other, "peer-reviewer");
    hand_approve(&repo, &other, "cto", DEV.1, &on("13:00"));
    commit_register(
        &repo,
        &on("13:00"),
        DEV,
        &format!("Approve\n\nChange: {other}"),
    );
    caught(
        &repo,
        &on("13:10"),
        "P002",
        Some(&other),
        "dev@example.com approved as cto",
    );
}

/// §5.3 "Approvals are required before implementation"; §7 "committed … with
/// reviewer approval".
#[test]
fn approvals_come_before_implementation() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), PEG, &id, "peer-reviewer");
    refused(
        &repo,
        at(&repo, &on("10:30"), DEV, &["start", &id]),
        1,
        "cannot be started: it still needs approval from cto or ciso",
    );
    refused(
        &repo,
        at(
            &repo,
            &on("10:30"),
            DEV,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "cannot be deployed: it still needs approval from cto or ciso",
    );
    land(&repo, &on("10:45"), "Cargo.toml", &id);
    caught(
        &repo,
        &on("10:50"),
        "H004",
        Some(&id),
        "while its record there lacked approval from cto or ciso",
    );
    // Work that lands after the approval commit is clean.
    let ok = approved_normal(&repo, "2026-03-04", &[]);
    land(&repo, "2026-03-04T12:00:00Z", "Cargo.lock", &ok);
    assert!(rules_on(&repo, "2026-03-04T12:10:00Z", &ok).is_empty());
}

/// §5.4 "Production deployments executed by authorized DevOps engineers": deployments
/// elsewhere are anyone's; production is the `devops` role's.
#[test]
fn only_devops_engineers_deploy_to_production() {
    let repo = adopt();
    let id = approved_normal(&repo, DAY, &[]);
    step(&repo, &on("12:00"), ADA, &["start", &id]);
    let deploy = |env| ["deploy", &id, "--env", env, "--ref", "v3.1.0"];
    step(&repo, &on("12:10"), ADA, &deploy("staging"));
    refused(
        &repo,
        at(&repo, &on("12:20"), ADA, &deploy("production")),
        1,
        &format!(
            "you (ada@example.com) may not deploy {id} to production: the policy leaves that \
             to devops (dev@example.com)"
        ),
    );
    backed_up(&repo, &on("12:25"), &id);
    step(&repo, &on("12:30"), DEV, &deploy("production"));
    assert!(rules_on(&repo, &on("12:40"), &id).is_empty());
    // The production deployment put down to Ada by hand: P007.
    hand_edit(
        &repo,
        &id,
        "at: 2026-03-03T12:30:00Z\n  by: dev@example.com",
        "at: 2026-03-03T12:30:00Z\n  by: ada@example.com",
    );
    caught(
        &repo,
        &on("12:50"),
        "P007",
        Some(&id),
        "ada@example.com made the move deploy to production at 2026-03-03T12:30:00Z, which \
         the policy leaves to devops (dev@example.com)",
    );
}

/// §5.6 "Completed changes must be reviewed by the change owner and approved by the
/// CTO/CISO for closure": the owner (§5.1 "Assigned owner"), who need not be the
/// author, writes the review, and the CTO or the CISO closes the RFC.
#[test]
fn the_owner_reviews_and_the_cto_or_ciso_closes() {
    let repo = adopt();
    let id = approved_normal(&repo, DAY, &["--owner", DEV.1]);
    step(&repo, &on("12:00"), DEV, &["start", &id]);
    backed_up(&repo, &on("12:05"), &id);
    step(
        &repo,
        &on("12:10"),
        DEV,
        &["deploy", &id, "--env", "production", "--ref", "v3.1.0"],
    );
    tested(&repo, &on("12:30"), &id);
    step(&repo, &on("13:00"), DEV, &["verify", &id]);
    let review = [
        "review",
        &id,
        "--outcome",
        "achieved",
        "--incidents",
        "none",
        "--lessons",
        "pin drivers in the lock file",
    ];
    // Ada wrote the RFC; Dev owns it.
    refused(
        &repo,
        at(&repo, &on("14:00"), ADA, &review),
        1,
        &format!("may not review {id}: the policy leaves that to its owner (dev@example.com)"),
    );
    step(&repo, &on("14:00"), DEV, &review);
    refused(
        &repo,
        at(&repo, &on("14:10"), DEV, &["close", &id]),
        1,
        &format!(
            "may not close {id}: the policy leaves that to cto (cora@example.com) or \
             ciso (cy@example.com)"
        ),
    );
    step(&repo, &on("14:20"), CY, &["close", &id]);
    assert!(rules_on(&repo, &on("14:30"), &id).is_empty());
    // The review and the closure put down to others by hand: P007 for each.
    hand_edit(
        &repo,
        &id,
        "  by: dev@example.com\n  outcome: achieved",
        "  by: ada@example.com\n  outcome: achieved",
    );
    hand_edit(&repo, &id, "by: cy@example.com", "by: dev@example.com");
    let findings = caught(
        &repo,
        &on("14:40"),
        "P007",
        Some(&id),
        "ada@example.com made the move review at 2026-03-03T14:00:00Z, which the policy \
         leaves to its owner (dev@example.com)",
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "P007"
                && f.message.starts_with("dev@example.com made the move close")),
        "{findings:#?}"
    );
}

/// §8 "Every significant change must include a documented rollback plan".
#[test]
fn every_significant_rfc_has_a_rollback_plan() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    hand_edit(
        &repo,
        &id,
        "rollback:\n  plan: Pin 4.x again and redeploy\n",
        "",
    );
    let said = refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: rollback.plan",
    );
    assert!(
        said.contains("without a rollback plan is rejected"),
        "{said}"
    );
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "R005",
        Some(&id),
        "needs a rollback plan",
    );
}

/// §4 emergency "Post-implementation review by CTO/CISO", §6 "approves … emergency
/// changes", §9 "Reviewed by CTO/CISO within 48 hours to ensure compliance and
/// prevention of recurrence": approval, root cause and review are each owed within
/// 48 hours, and the RFC cannot close without them.
#[test]
fn an_emergency_is_reviewed_by_the_cto_or_ciso_within_48_hours() {
    let repo = adopt();
    let id = emergency_started(&repo, &on("01:00"), &on("01:05"));
    land(&repo, &on("01:20"), "config/pool.toml", &id);
    run(
        &repo,
        &on("01:30"),
        DEV,
        &["deploy", &id, "--env", "production", "--ref", "v3.1.2"],
    );
    run(&repo, &on("02:00"), DEV, &["verify", &id]);
    commit_register(
        &repo,
        &on("02:00"),
        DEV,
        &format!("Deploy {id}\n\nChange: {id}"),
    );
    refused(
        &repo,
        at(&repo, &on("02:10"), PEG, &["approve", &id]),
        1,
        "cto (cora@example.com); ciso (cy@example.com)",
    );
    refused(
        &repo,
        at(&repo, &on("02:10"), CORA, &["close", &id]),
        1,
        "post-implementation review first",
    );
    assert!(rules_on(&repo, "2026-03-05T01:05:00Z", &id).is_empty());
    let findings = caught(
        &repo,
        "2026-03-05T01:31:00Z",
        "L002",
        Some(&id),
        "approval by cto or ciso was due within 2d of starting",
    );
    for (rule, needle) in [
        (
            "L002",
            "root cause and preventive action were due within 2d",
        ),
        (
            "L003",
            "the post-implementation review was due within 2d of deployment",
        ),
    ] {
        assert!(
            findings
                .iter()
                .any(|f| f.rule == rule && f.message.contains(needle)),
            "{rule}: {findings:#?}"
        );
    }
    // The review is the CTO's or the CISO's, not the owner's as for other RFCs.
    refused(
        &repo,
        at(
            &repo,
            "2026-03-05T02:00:00Z",
            ADA,
            &["review", &id, "--outcome", "achieved"],
        ),
        1,
        &format!(
            "you (ada@example.com) may not review {id}: the policy leaves that to \
             cto (cora@example.com) or ciso (cy@example.com)"
        ),
    );
    run(
        &repo,
        "2026-03-05T02:00:00Z",
        CORA,
        &["review", &id, "--outcome", "achieved"],
    );
    commit_register(
        &repo,
        "2026-03-05T02:00:00Z",
        CORA,
        &format!("Review {id}\n\nChange: {id}"),
    );
    refused(
        &repo,
        at(&repo, "2026-03-05T02:10:00Z", CORA, &["close", &id]),
        1,
        "still needs approval from cto or ciso",
    );
    approve(&repo, "2026-03-05T03:00:00Z", CORA, &id, "cto");
    retrospective(&repo, &id);
    run(&repo, "2026-03-05T03:10:00Z", CORA, &["close", &id]);
    // Done, but late: each is still reported.
    let findings = caught(
        &repo,
        "2026-03-05T04:00:00Z",
        "L002",
        Some(&id),
        "after the 2d deadline",
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "L003" && f.message.contains("came after the 2d deadline")),
        "{findings:#?}"
    );
}

#[test]
fn an_emergency_is_documented_immediately_after_execution() {
    // §9 "Must be documented immediately after execution": the preset gives 24 hours from
    // the fix. Two fixes at 01:00 on branches of their own, each naming the RFC its record
    // will be; L006 counts from the fix's commit.
    let repo = adopt();
    for (branch, id) in [
        ("fix-pool", "RFC-2026-0002"),
        ("fix-cache", "RFC-2026-0003"),
    ] {
        repo.work_on_branch(branch, &on("01:00"), &format!("Hotfix\n\nChange: {id}"));
    }
    let documented = |when: &str, branch: &str| {
        let id = emergency_started(&repo, when, when);
        repo.merge_at(when, branch, &format!("Merge {branch}\n\nChange: {id}"));
        id
    };
    // Documented the same morning: in time.
    let prompt = documented(&on("09:00"), "fix-pool");
    assert_eq!(prompt, "RFC-2026-0002");
    clean(&repo, &on("10:00"));
    // Documented the next day, 31 hours after its fix: late.
    let late = documented("2026-03-04T08:00:00Z", "fix-cache");
    let findings = caught(
        &repo,
        "2026-03-04T09:00:00Z",
        "L006",
        Some(&late),
        "more than 1d after work on the change began (commit ",
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == "L006" && f.record.as_deref() == Some(prompt.as_str())),
        "{findings:#?}"
    );
}

/// §4 normal changes include "DB migrations": a commit touching migrations/ names a
/// normal-or-higher RFC whose down script exists (§8 rollback plan).
#[test]
fn database_migrations_are_normal_rfcs_with_a_down_script() {
    let repo = adopt();
    repo.write("migrations/0001_up.sql", "alter table t add c int;\n");
    repo.commit_all_at(&on("08:00"), "Add column c\n\nChange: RFC-2026-0001");
    caught(
        &repo,
        &on("08:10"),
        "H003",
        None,
        "touches migrations/0001_up.sql (protected by migrations/**) but names no normal or \
         higher change with rollback.artifacts",
    );
    let id = propose(
        &repo,
        &on("09:00"),
        "normal",
        &["--rollback-artifact", "migrations/0002_down.sql"],
    );
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), PEG, &id, "peer-reviewer");
    approve(&repo, &on("11:00"), CORA, &id, "cto");
    repo.write("migrations/0002_up.sql", "alter table t add d int;\n");
    land(&repo, &on("12:00"), "src/d.rs", &id);
    caught(
        &repo,
        &on("12:10"),
        "R007",
        Some(&id),
        "rollback artifact migrations/0002_down.sql does not exist",
    );
    repo.write("migrations/0002_down.sql", "alter table t drop d;\n");
    land(&repo, &on("12:30"), "src/d.rs", &id);
    assert!(rules_on(&repo, &on("12:40"), &id).is_empty());
}

/// §5.2 "Compliance Officer reviews if regulatory or privacy impact exists": an RFC
/// declaring either impact needs the Compliance Officer, a standard one included.
#[test]
fn privacy_or_regulatory_impact_brings_in_the_compliance_officer() {
    const CLEO: Who = ("Cleo Compliance", "compliance@example.com");
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &["--impact-area", "privacy"]);
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), PEG, &id, "peer-reviewer");
    approve(&repo, &on("11:00"), CORA, &id, "cto");
    assert_eq!(status(&repo, &id), "submitted");
    refused(
        &repo,
        at(&repo, &on("11:30"), ADA, &["start", &id]),
        1,
        "still needs approval from compliance-officer",
    );
    // Marked approved by hand without it: P001.
    hand_edit(&repo, &id, "status: submitted", "status: approved");
    caught(
        &repo,
        &on("11:40"),
        "P001",
        Some(&id),
        "not approved by compliance-officer",
    );
    hand_edit(&repo, &id, "status: approved", "status: submitted");
    approve(&repo, &on("12:00"), CLEO, &id, "compliance-officer");
    assert_eq!(status(&repo, &id), "approved");

    // A standard RFC with a regulatory impact is no longer auto-approved.
    let routine = create(
        &repo,
        &on("13:00"),
        &[
            "--title",
            "Rotate the audit log bucket",
            "--class",
            "standard",
            "--description",
            "Per the SOP",
            "--owner",
            "ada@example.com",
            "--impact-area",
            "regulatory",
        ],
    );
    submit(&repo, &on("13:00"), &routine);
    assert_eq!(status(&repo, &routine), "submitted");
    approve(&repo, &on("14:00"), CLEO, &routine, "compliance-officer");
    assert_eq!(status(&repo, &routine), "approved");
}

/// §8 "Backup snapshots or database dumps taken before deployment"; §5.5 "Perform
/// functional, regression, and security testing" before the change is verified.
#[test]
fn a_backup_comes_before_production_and_testing_before_verification() {
    let repo = adopt();
    let id = approved_normal(&repo, DAY, &[]);
    step(&repo, &on("12:00"), DEV, &["start", &id]);
    let production = ["deploy", &id, "--env", "production", "--ref", "v3.1.0"];
    refused(
        &repo,
        at(&repo, &on("12:10"), DEV, &production),
        1,
        "cannot be deployed to production yet: its gate asks for evidence:backup-snapshot",
    );
    backed_up(&repo, &on("12:20"), &id);
    step(&repo, &on("12:30"), DEV, &production);
    evidence(&repo, &on("13:00"), PEG, &id, &["functional-tests"]);
    refused(
        &repo,
        at(&repo, &on("13:30"), DEV, &["verify", &id]),
        1,
        "cannot be verified yet: its gate asks for evidence:regression-tests, evidence:security-tests",
    );
    tested(&repo, &on("13:40"), &id);
    step(&repo, &on("14:00"), DEV, &["verify", &id]);
    assert!(rules_on(&repo, &on("14:10"), &id).is_empty());
    // The backup put down as taken after the deployment, by hand: L007.
    hand_edit(
        &repo,
        &id,
        "kind: backup-snapshot\n  at: 2026-03-03T12:20:00Z",
        "kind: backup-snapshot\n  at: 2026-03-03T12:40:00Z",
    );
    caught(
        &repo,
        &on("14:20"),
        "L007",
        Some(&id),
        "the move deploy to production at 2026-03-03T12:30:00Z lacked what its gate asks for: evidence:backup-snapshot",
    );
}
