//! The `risk-matrix` preset (seed 002, Maturion's "Change Management Specification")
//! end to end: a repository that adopts it with `chg init --preset risk-matrix`, then
//! CRs going through the seed's lifecycle with the Foreman, a builder agent, the change manager, a
//! stakeholder and an executive; and one test per enforceable clause showing it kept
//! and broken, the break caught by the command, the commit-msg hook or `chg check`.
//! Every date is pinned (2026-11-02 is a Monday); the clock is never read.

use crate::common::{created_by, outcome, refused, stdout_of, TestRepo, Who};
use crate::lifecycle::status_of;
use assert_cmd::Command;

/// Drafts AI-generated CRs and monitors; holds no role (§9.1).
const FOREMAN: Who = ("Maturion Foreman", "foreman@maturion.test");
/// Implements approved CRs; holds no role (§9.2).
const BUILDER: Who = ("Bea Builder", "builder@maturion.test");
/// Approves medium and high risk and emergencies, deploys, owns the policy (§9.3).
const MANAGER: Who = ("Mona Manager", "mona@maturion.test");
/// The stakeholder a high-risk CR also needs (§2.1 P2).
const STELLA: Who = ("Stella Stakeholder", "stella@maturion.test");
/// The highest authority a critical CR escalates to (§3.2 stage 4).
const EVE: Who = ("Eve Executive", "eve@maturion.test");

/// When the repository adopts the preset.
const ADOPTED: &str = "2026-11-02T09:00:00Z";

/// Risk answers (likelihood, impact) and the level the seed's §5.2 matrix gives them.
const LOW: (&str, &str) = ("rare", "minor");
const MEDIUM: (&str, &str) = ("likely", "minor");
const HIGH: (&str, &str) = ("likely", "moderate");
const CRITICAL: (&str, &str) = ("almost-certain", "major");

fn record(id: &str) -> String {
    format!(".changes/{id}.yaml")
}

/// `chg` as `who` at `when`.
fn at(repo: &TestRepo, who: Who, when: &str, args: &[&str]) -> Command {
    repo.chg_at(when, who.0, who.1, args)
}

/// `chg` as `who` at `when`, which must succeed.
fn ok(repo: &TestRepo, who: Who, when: &str, args: &[&str]) {
    at(repo, who, when, args).assert().success();
}

/// `chg` as `who` at `when`, which must succeed, its record then committed by `who`
/// naming the CR `args[1]`: each move is committed by whoever made it.
fn done(repo: &TestRepo, who: Who, when: &str, args: &[&str]) {
    let id = args[1];
    repo.chg_committed(when, who, args, &format!("[{id}] {}", args[0]));
}

/// Commits the register as `who` at `when`, naming the CR `id`.
fn commit_record(repo: &TestRepo, who: Who, when: &str, id: &str, what: &str) {
    repo.git_at(when, &["add", ".changes"]);
    repo.commit_staged_as(when, who, &format!("[{id}] {what}"));
}

/// `chg check` at `when`: exit code and report.
fn check_at(repo: &TestRepo, when: &str) -> (i32, String) {
    let (code, stdout, _) = outcome(&mut at(repo, MANAGER, when, &["check"]));
    (code, stdout)
}

/// Asserts that `chg check` at `when` passes.
fn clean(repo: &TestRepo, when: &str) {
    let (exit, out) = check_at(repo, when);
    assert_eq!(exit, 0, "{out}");
}

/// Asserts that `chg check` at `when` fails with `code` in a line saying all of `says`.
fn caught(repo: &TestRepo, when: &str, code: &str, says: &[&str]) -> String {
    let (exit, out) = check_at(repo, when);
    assert_eq!(exit, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains(code) && says.iter().all(|s| l.contains(s)))
        .unwrap_or_else(|| panic!("no {code} saying {says:?}: {out}"));
    line.to_string()
}

/// Edits a record (or any file) by hand: replaces the first `from` with `to`.
fn by_hand(repo: &TestRepo, path: &str, from: &str, to: &str) {
    let text = repo.read(path);
    assert!(text.contains(from), "{path} lacks {from:?}: {text}");
    repo.write(path, &text.replacen(from, to, 1));
}

/// The commit-msg hook on what is staged, with `message`.
fn commit_msg(repo: &TestRepo, when: &str, message: &str) -> Command {
    std::fs::write(repo.path().join(".git/CHG_MSG"), message).unwrap();
    at(
        repo,
        BUILDER,
        when,
        &["hook", "run", "commit-msg", ".git/CHG_MSG"],
    )
}

/// `chg new` of a `class` CR with everything that has a flag; returns its ID.
fn draft(
    repo: &TestRepo,
    who: Who,
    when: &str,
    title: &str,
    class: &str,
    risk: (&str, &str),
    extra: &[&str],
) -> String {
    let mut args = vec![
        "--title",
        title,
        "--class",
        class,
        "--description",
        "What changes and how",
        "--rationale",
        "Why it is needed",
        "--component",
        "WRAC",
        "--rollback",
        "Revert the commit and redeploy the previous tag",
        "--test-plan",
        "Full regression suite plus the new tests",
        "--implementation-plan",
        "Estimate: 4 hours",
        "--evidence",
        "regression-analysis=https://ci.maturion.test/regression/245",
        "--likelihood",
        risk.0,
        "--impact",
        risk.1,
        "--treatment",
        "mitigate",
        "--mitigation",
        "Default owner set by a data migration; admins notified to review",
    ];
    args.extend_from_slice(extra);
    created_by(|all| at(repo, who, when, all), &args)
}

/// Writes the §4.1 impact assessment and §3.2 stakeholders, which have no `chg new`
/// flag, into a draft record.
fn complete(repo: &TestRepo, id: &str) {
    let path = record(id);
    by_hand(
        repo,
        &path,
        "rollback:\n",
        "rollback:\n  complexity: moderate\n",
    );
    let yaml = repo.read(&path);
    repo.write(
        &path,
        &format!(
            "{yaml}stakeholders:\n- asset owners\ntenants: all\nimpact:\n  tenants: new optional field in the asset form\n  data: none, nullable column\n  availability: no downtime\n  compliance: ISO 27001 A.8.1 mapping kept\n  operational: medium deployment complexity\n  performance: neutral\n"
        ),
    );
}

/// A complete draft CR, ready to submit.
fn propose(
    repo: &TestRepo,
    who: Who,
    when: &str,
    title: &str,
    class: &str,
    risk: (&str, &str),
    extra: &[&str],
) -> String {
    let id = draft(repo, who, when, title, class, risk, extra);
    complete(repo, &id);
    id
}

/// An emergency CR (§14.3: documented with its justification and incident).
fn emergency(repo: &TestRepo, who: Who, when: &str, risk: (&str, &str)) -> String {
    created_by(
        |all| at(repo, who, when, all),
        &[
            "--title",
            "Patch the exploited login endpoint",
            "--class",
            "emergency",
            "--description",
            "Validate the session token before the tenant lookup",
            "--rationale",
            "Active exploit of the login endpoint",
            "--rollback",
            "Redeploy the previous tag",
            "--incident",
            "INC-2026-031",
            "--likelihood",
            risk.0,
            "--impact",
            risk.1,
        ],
    )
}

/// A repository with some history that adopts the preset: `chg init --preset
/// risk-matrix`, the roles given to this test's people, and the policy committed under
/// CR-2026-001, a major (governance) change that the change manager approves with his rationale.
fn adopted() -> TestRepo {
    adopted_with(&[])
}

/// [`adopted`], with `more` (preset address, ours) also put in the policy.
fn adopted_with(more: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/wrac/assets.py", "FIELDS = ['name']\n");
    // History before adoption names no CR: no policy stood then to judge it.
    repo.commit_all_as("2026-11-02T08:00:00Z", MANAGER, "Import the platform");
    ok(
        &repo,
        MANAGER,
        ADOPTED,
        &["init", "--preset", "risk-matrix"],
    );
    let mut policy = repo.read(".changes.toml");
    let people = [
        ("change-manager@example.com", MANAGER.1),
        ("stakeholder@example.com", STELLA.1),
        ("board@example.com", EVE.1),
    ];
    for &(theirs, ours) in people.iter().chain(more) {
        assert!(policy.contains(theirs), "{policy}");
        policy = policy.replace(theirs, ours);
    }
    repo.write(".changes.toml", &policy);
    let id = propose(
        &repo,
        MANAGER,
        ADOPTED,
        "Adopt the risk-matrix change policy",
        "major",
        LOW,
        &[],
    );
    assert_eq!(id, "CR-2026-001");
    ok(&repo, MANAGER, ADOPTED, &["submit", &id]);
    repo.commit_all_as(
        ADOPTED,
        MANAGER,
        "[CR-2026-001] Adopt the risk-matrix change policy",
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-02T09:10:00Z",
        &[
            "approve",
            &id,
            "--comment",
            "Policy follows seed 002",
            "--commit",
        ],
    );
    assert_eq!(status_of(&repo, &id), "approved");
    repo
}

/// The `to:` of every transition of a record, in order.
fn moves(repo: &TestRepo, id: &str) -> Vec<String> {
    repo.read(&record(id))
        .lines()
        .filter_map(|l| l.trim().strip_prefix("to: "))
        .map(str::to_string)
        .collect()
}

/// The approvers (`by:`) of a record, in order.
fn approvers(repo: &TestRepo, id: &str) -> Vec<String> {
    let yaml = repo.read(&record(id));
    let Some(list) = yaml.split("\napprovals:\n").nth(1) else {
        return Vec::new();
    };
    list.lines()
        .take_while(|l| l.starts_with(' ') || l.starts_with('-'))
        .filter_map(|l| l.trim().strip_prefix("by: "))
        .map(str::to_string)
        .collect()
}

/// A submitted CR of `risk`, proposed by the Foreman and committed.
fn submitted(repo: &TestRepo, when: &str, risk: (&str, &str)) -> String {
    let id = propose(
        repo,
        FOREMAN,
        when,
        "Add asset_owner to WRAC assets",
        "normal",
        risk,
        &[],
    );
    ok(repo, FOREMAN, when, &["submit", &id]);
    repo.commit_all_as(when, FOREMAN, &format!("[{id}] Propose asset_owner"));
    id
}

/// A medium-risk CR approved by the change manager with his rationale, in a commit of his own.
fn approved(repo: &TestRepo, when: &str) -> String {
    let id = submitted(repo, when, MEDIUM);
    ok(
        repo,
        MANAGER,
        when,
        &["approve", &id, "--comment", "Impact acceptable", "--commit"],
    );
    id
}

/// A medium-risk CR approved by the change manager, scheduled, started by the builder and tested
/// (stage 6), ready for production.
fn started(repo: &TestRepo, when: &str) -> String {
    let id = approved(repo, when);
    scheduled(repo, when, &id);
    done(repo, BUILDER, when, &["start", &id]);
    tested(repo, when, &id, "v1.0.9");
    id
}

/// The change manager schedules `id` at `when` (§3.2 stage 5), which work waits for.
fn scheduled(repo: &TestRepo, when: &str, id: &str) {
    done(repo, MANAGER, when, &["schedule", id, "--start", when]);
}

/// Gates 4, 6 and 7 recorded for `id` by the builder: regression tests passed,
/// documentation updated, rollback tested in the Test Environment.
fn gates_evidence(repo: &TestRepo, when: &str, id: &str) {
    for kind in ["regression-tests", "docs-updated", "rollback-tested"] {
        let reference = format!("https://ci.maturion.test/{id}/{kind}");
        ok(
            repo,
            BUILDER,
            when,
            &["evidence", id, "--kind", kind, "--ref", &reference],
        );
    }
    commit_record(repo, BUILDER, when, id, "Gates 4, 6 and 7 met");
}

/// §14.2 after an emergency: "Full regression testing" recorded, and the
/// post-incident review's root cause and prevention written into the record.
fn post_incident(repo: &TestRepo, when: &str, id: &str) {
    let reference = format!("https://ci.maturion.test/{id}/regression");
    ok(
        repo,
        BUILDER,
        when,
        &[
            "evidence",
            id,
            "--kind",
            "regression-tests",
            "--ref",
            &reference,
        ],
    );
    by_hand(
        repo,
        &record(id),
        "  incident: INC-2026-031\n",
        "  incident: INC-2026-031\n  root_cause: the token check ran after the tenant lookup\n  \
         preventive_action: a test for every endpoint's check order\n",
    );
    commit_record(repo, BUILDER, when, id, "Post-incident review");
}

/// A low-risk emergency declared by the Foreman at `when` (02:00 on 3 November),
/// started by the change manager, fixed in production at 02:30 and approved by him at 09:00.
fn emergency_fixed(repo: &TestRepo, when: &str) -> String {
    let id = emergency(repo, FOREMAN, when, LOW);
    repo.commit_all_as(when, FOREMAN, &format!("[{id}] Declare the emergency"));
    ok(repo, MANAGER, when, &["start", &id]);
    ok(
        repo,
        MANAGER,
        "2026-11-03T02:30:00Z",
        &["deploy", &id, "--env", "production", "--ref", "v1.0.1"],
    );
    repo.commit_all_as("2026-11-03T02:30:00Z", MANAGER, &format!("[{id}] Deployed"));
    ok(
        repo,
        MANAGER,
        "2026-11-03T09:00:00Z",
        &["approve", &id, "--comment", "Outage", "--commit"],
    );
    id
}

/// Stage 6: `id` deployed to the Test Environment as `version`, and the gates'
/// evidence recorded; production may follow.
fn tested(repo: &TestRepo, when: &str, id: &str, version: &str) {
    done(
        repo,
        BUILDER,
        when,
        &["deploy", id, "--env", "test", "--ref", version],
    );
    gates_evidence(repo, when, id);
}

/// Seven CRs through the seed's lifecycle with five identities; `chg check` passes at
/// the end, and the register, change log and metrics tell what happened.
#[test]
fn risk_matrix_lifecycle() {
    let repo = adopted();

    // CR-2026-001, the adoption itself: a governance change the change manager approved, released.
    scheduled(&repo, "2026-11-02T09:15:00Z", "CR-2026-001");
    done(
        &repo,
        MANAGER,
        "2026-11-02T09:20:00Z",
        &["start", "CR-2026-001"],
    );
    tested(&repo, "2026-11-02T09:25:00Z", "CR-2026-001", "v1.0.0");
    done(
        &repo,
        MANAGER,
        "2026-11-02T09:30:00Z",
        &[
            "deploy",
            "CR-2026-001",
            "--env",
            "production",
            "--ref",
            "v1.0.0",
        ],
    );
    done(
        &repo,
        MANAGER,
        "2026-11-03T09:30:00Z",
        &["verify", "CR-2026-001"],
    );
    done(
        &repo,
        MANAGER,
        "2026-11-03T09:40:00Z",
        &["close", "CR-2026-001"],
    );

    // Low risk: the policy approves it on submit (the Foreman's autonomous approval).
    let low = propose(
        &repo,
        FOREMAN,
        "2026-11-03T10:00:00Z",
        "Fix a label typo in the asset form",
        "normal",
        LOW,
        &[],
    );
    assert_eq!(low, "CR-2026-002");
    ok(&repo, FOREMAN, "2026-11-03T10:00:00Z", &["submit", &low]);
    assert_eq!(status_of(&repo, &low), "approved");
    assert!(approvers(&repo, &low).is_empty());
    assert!(repo.read(&record(&low)).contains("auto-approved"));
    repo.commit_all_as(
        "2026-11-03T10:00:00Z",
        FOREMAN,
        "[CR-2026-002] Propose a label fix",
    );
    scheduled(&repo, "2026-11-03T10:05:00Z", &low);
    ok(&repo, BUILDER, "2026-11-03T10:10:00Z", &["start", &low]);
    repo.write("src/wrac/asset_form.txt", "Asset owner\n");
    repo.commit_all_as(
        "2026-11-03T10:20:00Z",
        BUILDER,
        "[CR-2026-002] Fix the label typo in the asset form",
    );
    done(
        &repo,
        BUILDER,
        "2026-11-03T10:30:00Z",
        &["deploy", &low, "--env", "test", "--ref", "v1.0.1"],
    );
    gates_evidence(&repo, "2026-11-03T10:40:00Z", &low);
    done(
        &repo,
        MANAGER,
        "2026-11-03T11:00:00Z",
        &["deploy", &low, "--env", "production", "--ref", "v1.0.1"],
    );
    done(
        &repo,
        MANAGER,
        "2026-11-04T11:00:00Z",
        &["verify", &low, "--note", "no errors in 24 h"],
    );
    ok(&repo, FOREMAN, "2026-11-04T11:10:00Z", &["close", &low]);
    repo.commit_all_as(
        "2026-11-04T11:10:00Z",
        FOREMAN,
        "[CR-2026-002] Verified and closed",
    );

    // Medium risk, an AI CR: the change manager assesses it and approves it with his rationale;
    // testing fails once and passes; production after test; verified after 24 h.
    let medium = propose(
        &repo,
        FOREMAN,
        "2026-11-04T09:00:00Z",
        "Add asset_owner to WRAC assets",
        "normal",
        MEDIUM,
        &[],
    );
    assert_eq!(medium, "CR-2026-003");
    ok(&repo, FOREMAN, "2026-11-04T09:00:00Z", &["submit", &medium]);
    assert_eq!(status_of(&repo, &medium), "submitted");
    repo.commit_all_as(
        "2026-11-04T12:00:00Z",
        FOREMAN,
        "[CR-2026-003] Propose asset_owner",
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-04T13:00:00Z",
        &[
            "assess",
            &medium,
            "--likelihood",
            MEDIUM.0,
            "--impact",
            MEDIUM.1,
        ],
    );
    assert_eq!(status_of(&repo, &medium), "assessed");
    repo.commit_all_as(
        "2026-11-04T13:00:00Z",
        MANAGER,
        "[CR-2026-003] Assess the risk",
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-04T13:05:00Z",
        &[
            "approve",
            &medium,
            "--comment",
            "Impact acceptable: nullable column, no downtime",
            "--commit",
        ],
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-04T13:10:00Z",
        &[
            "schedule",
            &medium,
            "--start",
            "2026-11-05 09:00",
            "--end",
            "2026-11-05 12:00",
        ],
    );
    repo.commit_all_as(
        "2026-11-04T13:10:00Z",
        MANAGER,
        "[CR-2026-003] Schedule for Thursday morning",
    );
    ok(&repo, BUILDER, "2026-11-05T09:00:00Z", &["start", &medium]);
    repo.write("src/wrac/assets.py", "FIELDS = ['name', 'asset_owner']\n");
    repo.commit_all_as(
        "2026-11-05T09:30:00Z",
        BUILDER,
        "[CR-2026-003] Add asset_owner field to WRAC assets",
    );
    ok(
        &repo,
        BUILDER,
        "2026-11-05T10:00:00Z",
        &[
            "deploy",
            &medium,
            "--env",
            "test",
            "--ref",
            "v1.1.0",
            "--outcome",
            "failed",
        ],
    );
    repo.write(
        "src/wrac/assets.py",
        "FIELDS = ['name', 'asset_owner']\nDEFAULT_OWNER = 'admin'\n",
    );
    repo.commit_all_as(
        "2026-11-05T10:30:00Z",
        BUILDER,
        "[CR-2026-003] Default the owner of existing assets",
    );
    done(
        &repo,
        BUILDER,
        "2026-11-05T11:00:00Z",
        &["deploy", &medium, "--env", "test", "--ref", "v1.1.1"],
    );
    gates_evidence(&repo, "2026-11-05T11:30:00Z", &medium);
    done(
        &repo,
        MANAGER,
        "2026-11-05T12:00:00Z",
        &["deploy", &medium, "--env", "production", "--ref", "v1.1.1"],
    );
    done(&repo, MANAGER, "2026-11-06T12:00:00Z", &["verify", &medium]);
    ok(&repo, FOREMAN, "2026-11-06T12:10:00Z", &["close", &medium]);
    repo.commit_all_as(
        "2026-11-06T12:10:00Z",
        FOREMAN,
        "[CR-2026-003] Verified and closed",
    );
    let mut seen = moves(&repo, &medium);
    seen.dedup(); // the second and third deployments add deployed → deployed
    assert_eq!(
        seen,
        [
            "submitted",
            "assessed",
            "approved",
            "scheduled",
            "implementing",
            "deployed",
            "verified",
            "closed"
        ]
    );
    assert_eq!(approvers(&repo, &medium), [MANAGER.1]);

    // High risk: the change manager and the stakeholder, two people.
    let high = propose(
        &repo,
        FOREMAN,
        "2026-11-06T09:00:00Z",
        "Change the risk API contract",
        "normal",
        HIGH,
        &[],
    );
    ok(&repo, FOREMAN, "2026-11-06T09:00:00Z", &["submit", &high]);
    repo.commit_all_as(
        "2026-11-06T13:00:00Z",
        FOREMAN,
        "[CR-2026-004] Propose the contract change",
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-06T14:00:00Z",
        &[
            "approve",
            &high,
            "--comment",
            "Contract versioned",
            "--commit",
        ],
    );
    assert_eq!(status_of(&repo, &high), "submitted");
    ok(
        &repo,
        STELLA,
        "2026-11-06T15:00:00Z",
        &[
            "approve",
            &high,
            "--comment",
            "Tenants told; acceptable",
            "--commit",
        ],
    );
    assert_eq!(status_of(&repo, &high), "approved");
    assert_eq!(approvers(&repo, &high), [MANAGER.1, STELLA.1]);
    scheduled(&repo, "2026-11-09T08:55:00Z", &high);
    ok(&repo, BUILDER, "2026-11-09T09:00:00Z", &["start", &high]);
    repo.write("src/api/risk.py", "VERSION = 2\n");
    repo.commit_all_as(
        "2026-11-09T09:30:00Z",
        BUILDER,
        "[CR-2026-004] Version the risk API",
    );
    done(
        &repo,
        BUILDER,
        "2026-11-09T10:00:00Z",
        &["deploy", &high, "--env", "test", "--ref", "v1.2.0"],
    );
    gates_evidence(&repo, "2026-11-09T10:30:00Z", &high);
    done(
        &repo,
        MANAGER,
        "2026-11-09T11:00:00Z",
        &["deploy", &high, "--env", "production", "--ref", "v1.2.0"],
    );
    done(&repo, MANAGER, "2026-11-10T11:00:00Z", &["verify", &high]);
    ok(&repo, FOREMAN, "2026-11-10T11:10:00Z", &["close", &high]);
    repo.commit_all_as(
        "2026-11-10T11:10:00Z",
        FOREMAN,
        "[CR-2026-004] Verified and closed",
    );

    // Critical risk escalates to the executive too; it is a schema change with its
    // down migration; it fails in production, is rolled back, and the post-mortem
    // comes before closing.
    let critical = propose(
        &repo,
        FOREMAN,
        "2026-11-10T09:00:00Z",
        "Split the tenant table",
        "normal",
        CRITICAL,
        &["--rollback-artifact", "migrations/0007_down.sql"],
    );
    ok(
        &repo,
        FOREMAN,
        "2026-11-10T09:00:00Z",
        &["submit", &critical],
    );
    repo.commit_all_as(
        "2026-11-10T12:00:00Z",
        FOREMAN,
        "[CR-2026-005] Propose the tenant split",
    );
    for (who, why) in [
        (MANAGER, "Migration tested both ways"),
        (STELLA, "Tenants warned"),
        (EVE, "Escalated and accepted"),
    ] {
        ok(
            &repo,
            who,
            "2026-11-10T13:00:00Z",
            &["approve", &critical, "--comment", why, "--commit"],
        );
    }
    assert_eq!(status_of(&repo, &critical), "approved");
    assert_eq!(approvers(&repo, &critical), [MANAGER.1, STELLA.1, EVE.1]);
    scheduled(&repo, "2026-11-11T08:55:00Z", &critical);
    ok(
        &repo,
        BUILDER,
        "2026-11-11T09:00:00Z",
        &["start", &critical],
    );
    repo.write(
        "migrations/0007_up.sql",
        "CREATE TABLE tenant_settings ();\n",
    );
    repo.write("migrations/0007_down.sql", "DROP TABLE tenant_settings;\n");
    repo.commit_all_as(
        "2026-11-11T09:30:00Z",
        BUILDER,
        "[CR-2026-005] Split the tenant table",
    );
    done(
        &repo,
        BUILDER,
        "2026-11-11T10:00:00Z",
        &["deploy", &critical, "--env", "test", "--ref", "v1.3.0"],
    );
    gates_evidence(&repo, "2026-11-11T10:30:00Z", &critical);
    done(
        &repo,
        MANAGER,
        "2026-11-11T11:00:00Z",
        &[
            "deploy",
            &critical,
            "--env",
            "production",
            "--ref",
            "v1.3.0",
        ],
    );
    done(
        &repo,
        MANAGER,
        "2026-11-11T12:00:00Z",
        &[
            "rollback",
            &critical,
            "--reason",
            "Performance degradation beyond threshold",
        ],
    );
    refused(
        &repo,
        at(
            &repo,
            FOREMAN,
            "2026-11-11T12:10:00Z",
            &["close", &critical],
        ),
        1,
        "need a post-implementation review",
    );
    done(
        &repo,
        MANAGER,
        "2026-11-12T09:00:00Z",
        &[
            "review",
            &critical,
            "--outcome",
            "not-achieved",
            "--lessons",
            "Index tenant_id before splitting; re-plan as CR-2026-008",
            "--regression",
            "yes",
        ],
    );
    // Watched for 24 hours after the rollback before it closes.
    ok(
        &repo,
        FOREMAN,
        "2026-11-12T12:10:00Z",
        &["close", &critical],
    );
    repo.commit_all_as(
        "2026-11-12T12:10:00Z",
        FOREMAN,
        "[CR-2026-005] Rolled back; post-mortem recorded",
    );

    // An emergency (Saturday 02:00, an active exploit): fixed and deployed straight to
    // production before any approval, approved by the change manager alone within 24 h although
    // its risk is high, reviewed, closed.
    let urgent = emergency(&repo, FOREMAN, "2026-11-14T02:10:00Z", HIGH);
    commit_record(&repo, FOREMAN, "2026-11-14T02:10:00Z", &urgent, "Declare");
    done(&repo, MANAGER, "2026-11-14T02:15:00Z", &["start", &urgent]);
    repo.write("src/auth/login.py", "CHECK_TOKEN_FIRST = True\n");
    repo.commit_all_as(
        "2026-11-14T02:20:00Z",
        BUILDER,
        "[CR-2026-006] Patch the exploited login endpoint",
    );
    done(
        &repo,
        MANAGER,
        "2026-11-14T02:30:00Z",
        &["deploy", &urgent, "--env", "production", "--ref", "v1.3.1"],
    );
    done(&repo, FOREMAN, "2026-11-14T08:00:00Z", &["verify", &urgent]);
    ok(
        &repo,
        MANAGER,
        "2026-11-14T20:00:00Z",
        &[
            "approve",
            &urgent,
            "--comment",
            "Exploit confirmed; the patch stays",
            "--commit",
        ],
    );
    assert_eq!(approvers(&repo, &urgent), [MANAGER.1]);
    done(
        &repo,
        MANAGER,
        "2026-11-15T10:00:00Z",
        &[
            "review",
            &urgent,
            "--outcome",
            "achieved",
            "--lessons",
            "Rate-limit the login endpoint",
        ],
    );
    post_incident(&repo, "2026-11-15T10:05:00Z", &urgent);
    ok(&repo, FOREMAN, "2026-11-15T10:10:00Z", &["close", &urgent]);
    repo.commit_all_as(
        "2026-11-15T10:10:00Z",
        FOREMAN,
        "[CR-2026-006] Reviewed and closed",
    );

    // Rejected with a reason, then closed as cancelled (§3.2 stage 9 "Rejected").
    let rejected = submitted(&repo, "2026-11-16T09:00:00Z", MEDIUM);
    ok(
        &repo,
        MANAGER,
        "2026-11-16T10:00:00Z",
        &[
            "reject",
            &rejected,
            "--reason",
            "Conflicts with the architecture",
        ],
    );
    // The change manager cancels it too, and both moves go in one commit of his: a later commit
    // naming the rejected CR is H005, and each move is committed by its maker (P009).
    done(
        &repo,
        MANAGER,
        "2026-11-16T11:00:00Z",
        &["cancel", &rejected, "--reason", "Rejected"],
    );
    assert_eq!(
        moves(&repo, &rejected),
        ["submitted", "rejected", "cancelled"]
    );

    // The register tells the truth: every rule passes over records and history.
    let (code, out) = check_at(&repo, "2026-11-20T09:00:00Z");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");

    // §12.1 the change register: every CR with its type and final status.
    let list: serde_json::Value = serde_json::from_str(&stdout_of(&mut at(
        &repo,
        MANAGER,
        "2026-11-20T09:00:00Z",
        &["list", "--format", "json"],
    )))
    .unwrap();
    let rows: Vec<(String, String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["class"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("CR-2026-001", "major", "closed"),
        ("CR-2026-002", "normal", "closed"),
        ("CR-2026-003", "normal", "closed"),
        ("CR-2026-004", "normal", "closed"),
        ("CR-2026-005", "normal", "closed"),
        ("CR-2026-006", "emergency", "closed"),
        ("CR-2026-007", "normal", "cancelled"),
    ];
    assert_eq!(
        rows,
        expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );

    // §12.2 the change log of a CR: who approved it, each deployment and its version.
    let log = stdout_of(&mut at(
        &repo,
        MANAGER,
        "2026-11-20T09:00:00Z",
        &["log", &medium],
    ));
    for needle in [
        "approved as change-manager by mona@maturion.test",
        "deployed to test at v1.1.0: failed",
        "deployed to production at v1.1.1: success",
    ] {
        assert!(log.contains(needle), "{needle}: {log}");
    }

    // §16.1 metrics: volume, and the rollback rate over the CRs deployed.
    let metrics: serde_json::Value = serde_json::from_str(&stdout_of(&mut at(
        &repo,
        MANAGER,
        "2026-11-20T09:00:00Z",
        &["metrics", "--format", "json"],
    )))
    .unwrap();
    let total = &metrics["total"];
    assert_eq!(total["requested"], 7, "{total}");
    assert_eq!(total["deployed"], 6, "{total}");
    assert_eq!(total["rollback_rate"]["count"], 1, "{total}");
    assert_eq!(total["emergency_rate"]["count"], 1, "{total}");
}

#[test]
fn a_cr_is_complete_before_it_is_submitted() {
    // §3.2 stages 1-3, §4.1, P4, Gates 1, 2 and 8: description, modules, effort,
    // stakeholders, impact, risk, rollback, tests and the regression analysis.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let out = stdout_of(&mut at(
        &repo,
        FOREMAN,
        when,
        &[
            "new",
            "--no-input",
            "--title",
            "Add asset_owner",
            "--class",
            "normal",
            "--description",
            "Add the column",
            "--rollback",
            "Revert",
        ],
    ));
    let id = out.split_whitespace().next().unwrap().to_string();
    let stderr = refused(
        &repo,
        at(&repo, FOREMAN, when, &["submit", &id]),
        1,
        "cannot be submitted",
    );
    let owed = [
        "rationale",
        "components",
        "stakeholders",
        "tenants",
        "impact.tenants",
        "impact.data",
        "impact.availability",
        "impact.compliance",
        "impact.operational",
        "impact.performance",
        "risk",
        "rollback.complexity",
        "test_plan",
        "implementation_plan",
        "evidence:regression-analysis",
    ];
    for field in owed {
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
    // Submitted by hand: R004 names what is missing.
    by_hand(&repo, &record(&id), "status: draft", "status: submitted");
    let line = caught(&repo, when, "R004", &["a normal change needs"]);
    for field in owed {
        assert!(line.contains(field), "{field}: {line}");
    }
    // The complete CR goes through.
    let good = propose(&repo, FOREMAN, when, "Add it", "normal", MEDIUM, &[]);
    ok(&repo, FOREMAN, when, &["submit", &good]);
    assert_eq!(status_of(&repo, &good), "submitted");
}

#[test]
fn every_cr_states_its_risk_treatment_and_mitigation() {
    // §5.3 "Risk Treatment" (accept, mitigate, avoid, transfer) and its "Mitigation
    // Strategies", §5.4 each risk's treatment and mitigation, Gate 2 "Mitigation
    // strategies defined": asked of every CR before it is submitted.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = propose(
        &repo,
        FOREMAN,
        when,
        "Add asset_owner",
        "normal",
        MEDIUM,
        &[],
    );
    let path = record(&id);
    by_hand(&repo, &path, "  treatment: mitigate\n", "");
    by_hand(
        &repo,
        &path,
        "  mitigation: Default owner set by a data migration; admins notified to review\n",
        "",
    );
    let stderr = refused(
        &repo,
        at(&repo, FOREMAN, when, &["submit", &id]),
        1,
        "cannot be submitted",
    );
    assert!(
        stderr.contains("risk.treatment, risk.mitigation"),
        "{stderr}"
    );
    // Submitted by hand without them: R004.
    by_hand(&repo, &path, "status: draft", "status: submitted");
    caught(&repo, when, "R004", &["risk.treatment", "risk.mitigation"]);
    by_hand(&repo, &path, "status: submitted", "status: draft");
    // The seed's own §5.4 example: an optional field, accepted as backward compatible.
    ok(
        &repo,
        FOREMAN,
        when,
        &[
            "assess",
            &id,
            "--treatment",
            "accept",
            "--mitigation",
            "Field is optional, backward compatible",
        ],
    );
    ok(&repo, FOREMAN, when, &["submit", &id]);
    assert_eq!(status_of(&repo, &id), "submitted");
    let show = stdout_of(&mut at(&repo, MANAGER, when, &["show", &id]));
    assert!(
        show.contains("accept") && show.contains("Field is optional, backward compatible"),
        "{show}"
    );
}

#[test]
fn every_cr_has_a_unique_cr_id() {
    // §3.2 stage 2 "CR assigned unique ID (e.g., CR-2025-001)".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let a = propose(&repo, FOREMAN, when, "One", "normal", LOW, &[]);
    let b = propose(&repo, FOREMAN, when, "Two", "normal", LOW, &[]);
    assert_eq!((a.as_str(), b.as_str()), ("CR-2026-002", "CR-2026-003"));
    clean(&repo, when);
    // A copy of a record under the next file name (a bad merge, a hand copy): R002.
    let copy = repo.read(&record(&a)).replace("title: One", "title: Copy");
    repo.write(&record("CR-2026-004"), &copy);
    caught(&repo, when, "R002", &["CR-2026-002"]);
}

#[test]
fn low_risk_is_auto_approved_but_medium_risk_needs_the_change_manager() {
    // §2.1 P2, §3.2 stage 4: low → Foreman auto-approval; medium → the change manager.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let low = submitted(&repo, when, LOW);
    assert_eq!(status_of(&repo, &low), "approved");
    let medium = submitted(&repo, when, MEDIUM);
    assert_eq!(status_of(&repo, &medium), "submitted");
    // §3.2 stage 2 "Foreman notifies the change manager": the CR is in the list of
    // what waits for the change manager, and in no one else's.
    let waiting = |who: Who| {
        let args = ["list", "--waiting-for-me", "--format", "csv"];
        stdout_of(&mut at(&repo, who, when, &args))
    };
    let managers = waiting(MANAGER);
    assert!(
        managers.contains(&medium) && !managers.contains(&low),
        "{managers}"
    );
    assert!(!waiting(FOREMAN).contains(&medium));
    refused(
        &repo,
        at(&repo, BUILDER, when, &["start", &medium]),
        1,
        "still needs approval from change-manager",
    );
    refused(
        &repo,
        at(
            &repo,
            MANAGER,
            when,
            &["deploy", &medium, "--env", "test", "--ref", "v1.1.0"],
        ),
        1,
        "still needs approval from change-manager",
    );
    // Approved by hand, with nobody's approval: P001.
    let path = record(&medium);
    let before = repo.read(&path);
    by_hand(&repo, &path, "status: submitted", "status: approved");
    caught(&repo, when, "P001", &["not approved by change-manager"]);
    repo.write(&path, &before);
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &medium, "--comment", "Acceptable", "--commit"],
    );
    assert_eq!(status_of(&repo, &medium), "approved");
    scheduled(&repo, when, &medium);
    ok(&repo, BUILDER, when, &["start", &medium]);
    clean(&repo, when);
}

#[test]
fn the_foreman_and_builders_cannot_approve() {
    // §9.1 "Cannot approve high-risk changes", §9.2 "Cannot approve CRs": they hold
    // no approving role (low risk is approved by the policy, not by them).
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, MEDIUM);
    for who in [FOREMAN, BUILDER] {
        refused(
            &repo,
            at(&repo, who, when, &["approve", &id, "--comment", "fine"]),
            1,
            "not a member of any role",
        );
    }
    // The change manager's approval rewritten by hand as the Foreman's: P002.
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &id, "--comment", "Acceptable"],
    );
    by_hand(
        &repo,
        &record(&id),
        &format!("by: {}", MANAGER.1),
        &format!("by: {}", FOREMAN.1),
    );
    caught(&repo, when, "P002", &[FOREMAN.1, "not a member"]);
}

#[test]
fn high_risk_needs_the_change_manager_and_a_stakeholder() {
    // §2.1 P2 "High-risk changes → the change manager + stakeholder review": two people.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, HIGH);
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &id, "--comment", "Fine by me"],
    );
    assert_eq!(status_of(&repo, &id), "submitted");
    refused(
        &repo,
        at(&repo, BUILDER, when, &["start", &id]),
        1,
        "still needs approval from stakeholder",
    );
    refused(
        &repo,
        at(
            &repo,
            MANAGER,
            when,
            &[
                "approve",
                &id,
                "--role",
                "stakeholder",
                "--comment",
                "again",
            ],
        ),
        1,
        "not a member",
    );
    ok(
        &repo,
        STELLA,
        when,
        &["approve", &id, "--comment", "Agreed"],
    );
    assert_eq!(status_of(&repo, &id), "approved");
    clean(&repo, when);
    // The stakeholder's approval rewritten by hand as the change manager's: one person, two roles.
    by_hand(
        &repo,
        &record(&id),
        &format!("by: {}", STELLA.1),
        &format!("by: {}", MANAGER.1),
    );
    caught(
        &repo,
        when,
        "P001",
        &["not approved by stakeholder", "already fills another role"],
    );
}

#[test]
fn critical_risk_escalates_to_the_executive() {
    // §3.2 stage 4 "If Critical-Risk: Emergency review, escalate to highest authority".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, CRITICAL);
    ok(&repo, MANAGER, when, &["approve", &id, "--comment", "ok"]);
    ok(&repo, STELLA, when, &["approve", &id, "--comment", "ok"]);
    assert_eq!(status_of(&repo, &id), "submitted");
    refused(
        &repo,
        at(&repo, BUILDER, when, &["start", &id]),
        1,
        "still needs approval from executive",
    );
    ok(&repo, EVE, when, &["approve", &id, "--comment", "Accepted"]);
    assert_eq!(status_of(&repo, &id), "approved");
}

#[test]
fn an_approval_without_its_rationale_is_refused_and_does_not_count() {
    // §3.2 stage 4 "decision with rationale"; Gate 3 "Approval documented with rationale".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, MEDIUM);
    refused(
        &repo,
        at(&repo, MANAGER, when, &["approve", &id]),
        1,
        "asks every approval to give its rationale",
    );
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &id, "--comment", "Nullable column"],
    );
    clean(&repo, when);
    // The rationale deleted by hand: the approval no longer counts.
    by_hand(&repo, &record(&id), "  comment: Nullable column\n", "");
    caught(&repo, when, "P001", &["gives no rationale"]);
    // A rejection always carries its reason: chg reject without one is bad input.
    let other = submitted(&repo, when, MEDIUM);
    refused(
        &repo,
        at(&repo, MANAGER, when, &["reject", &other]),
        2,
        "--reason",
    );
}

#[test]
fn only_a_bracketed_cr_id_references_a_change() {
    // §2.1 P1 no uncontrolled changes, §12.3 "[CR-2025-001] Add asset_owner ...".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, LOW);
    assert_eq!(id, "CR-2026-002");
    repo.write("src/wrac/asset_form.txt", "Asset owner\n");
    repo.git_at(when, &["add", "-A"]);
    refused(
        &repo,
        commit_msg(&repo, when, "CR-2026-002 Fix the label\n"),
        1,
        "H002",
    );
    commit_msg(&repo, when, "[CR-2026-002] Fix the label\n")
        .assert()
        .success();
    commit_msg(&repo, when, "Fix the label\n\nChange: CR-2026-002\n")
        .assert()
        .success();
    repo.commit_all_as(when, BUILDER, "[CR-2026-002] Fix the label");
    // No exception for small changes (§2.1 P1): a README touch names its CR too.
    repo.write("README.md", "Maturion\n");
    repo.commit_all_as(when, BUILDER, "CR-2026-002 Add a README");
    let (code, out) = check_at(&repo, when);
    assert_eq!(code, 1, "{out}");
    let h002: Vec<&str> = out.lines().filter(|l| l.contains("H002")).collect();
    assert_eq!(h002.len(), 1, "{out}");
    assert!(h002[0].contains("CR-2026-002 Add a README"), "{out}");
}

#[test]
fn governance_changes_name_a_major_cr_that_is_never_auto_approved() {
    // §9.1 "Cannot modify governance policies via CR"; §9.3 the change manager updates the policy.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let normal = submitted(&repo, when, LOW);
    // A governance CR is never auto-approved, even at low risk.
    let gov = propose(
        &repo,
        MANAGER,
        when,
        "Name a second stakeholder",
        "major",
        LOW,
        &[],
    );
    ok(&repo, MANAGER, when, &["submit", &gov]);
    assert_eq!(status_of(&repo, &gov), "submitted");
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["approve", &gov, "--comment", "ok"]),
        1,
        "not a member",
    );
    repo.commit_all_as(when, MANAGER, &format!("[{gov}] Propose"));
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &gov, "--comment", "Needed", "--commit"],
    );
    by_hand(
        &repo,
        ".changes.toml",
        &format!("stakeholder = [\"{}\"", STELLA.1),
        &format!("stakeholder = [\"{}\", \"sam@maturion.test\"", STELLA.1),
    );
    repo.git_at(when, &["add", "-A"]);
    refused(
        &repo,
        commit_msg(&repo, when, &format!("[{normal}] Add a stakeholder\n")),
        1,
        "H003",
    );
    commit_msg(&repo, when, &format!("[{gov}] Add a stakeholder\n"))
        .assert()
        .success();
    // Committed under the normal CR anyway: chg check finds it.
    repo.commit_all_as(when, FOREMAN, &format!("[{normal}] Add a stakeholder"));
    caught(
        &repo,
        when,
        "H003",
        &[".changes.toml", "major or higher change"],
    );
}

#[test]
fn a_schema_change_needs_its_rollback_migration() {
    // §15.3 "Schema Rollback (Hard): Requires migration script".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let bare = started(&repo, when);
    repo.write("migrations/0008_up.sql", "ALTER TABLE a ADD b TEXT;\n");
    repo.git_at(when, &["add", "-A"]);
    refused(
        &repo,
        commit_msg(&repo, when, &format!("[{bare}] Add column b\n")),
        1,
        "rollback.artifacts",
    );
    repo.commit_all_as(when, BUILDER, &format!("[{bare}] Add column b"));
    caught(&repo, when, "H003", &["migrations/0008_up.sql"]);

    // With the down migration named and in the tree, the same commit is clean.
    let repo = adopted();
    let id = propose(
        &repo,
        FOREMAN,
        when,
        "Add column b",
        "normal",
        MEDIUM,
        &["--rollback-artifact", "migrations/0008_down.sql"],
    );
    ok(&repo, FOREMAN, when, &["submit", &id]);
    repo.commit_all_as(when, FOREMAN, &format!("[{id}] Propose"));
    ok(
        &repo,
        MANAGER,
        when,
        &[
            "approve",
            &id,
            "--comment",
            "Down migration reviewed",
            "--commit",
        ],
    );
    scheduled(&repo, when, &id);
    ok(&repo, BUILDER, when, &["start", &id]);
    repo.write("migrations/0008_up.sql", "ALTER TABLE a ADD b TEXT;\n");
    repo.write("migrations/0008_down.sql", "ALTER TABLE a DROP b;\n");
    repo.git_at(when, &["add", "-A"]);
    commit_msg(&repo, when, &format!("[{id}] Add column b\n"))
        .assert()
        .success();
    repo.commit_all_as(when, BUILDER, &format!("[{id}] Add column b"));
    clean(&repo, when);
    // The down migration deleted later: R007.
    std::fs::remove_file(repo.path().join("migrations/0008_down.sql")).unwrap();
    caught(&repo, when, "R007", &["migrations/0008_down.sql"]);
}

#[test]
fn a_deployment_names_its_semantic_version() {
    // §12.3 "Semantic versioning (MAJOR.MINOR.PATCH)"; §3.2 stage 7 "Log deployment event".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = started(&repo, when);
    refused(
        &repo,
        at(
            &repo,
            MANAGER,
            when,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "must name what went out with --ref",
    );
    for bad in ["main", "v1.2", "1.2.0", "v1.2.0-rc1"] {
        refused(
            &repo,
            at(
                &repo,
                MANAGER,
                when,
                &["deploy", &id, "--env", "production", "--ref", bad],
            ),
            1,
            "--ref matching",
        );
    }
    refused(
        &repo,
        at(&repo, MANAGER, when, &["deploy", &id]),
        2,
        "--env",
    );
    ok(
        &repo,
        MANAGER,
        when,
        &["deploy", &id, "--env", "production", "--ref", "v1.2.0"],
    );
    let yaml = repo.read(&record(&id));
    for logged in [
        "environment: production",
        "ref: v1.2.0",
        "outcome: success",
        &format!("by: {}", MANAGER.1),
    ] {
        assert!(yaml.contains(logged), "{logged}: {yaml}");
    }
    clean(&repo, when);
    by_hand(&repo, &record(&id), "ref: v1.2.0", "ref: latest");
    caught(&repo, when, "F005", &["`latest`"]);
}

#[test]
fn only_the_change_manager_deploys_to_production() {
    // §3.2 stage 7 "The change manager (deployment execution)", §8.2 and §9.3 "Execute Production
    // deployments"; §9.1 the Foreman "Cannot deploy to Production"; §9.2 builder agents
    // "Cannot deploy changes" (to production: stage 6 deploys to the Test Environment).
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = started(&repo, when);
    let deploy = |env| ["deploy", &id, "--env", env, "--ref", "v1.1.0"];
    done(&repo, BUILDER, when, &deploy("test"));
    for who in [FOREMAN, BUILDER] {
        refused(
            &repo,
            at(&repo, who, when, &deploy("production")),
            1,
            &format!(
                "you ({}) may not deploy {id} to production: the policy leaves that to change-manager ({})",
                who.1, MANAGER.1
            ),
        );
    }
    ok(&repo, MANAGER, when, &deploy("production"));
    repo.commit_all_as(when, MANAGER, &format!("[{id}] Deployed v1.1.0"));
    clean(&repo, when);
    // The production deployment put down to the Foreman by hand: P007.
    let manager_s = format!("environment: production\n  at: {when}\n  by: {}", MANAGER.1);
    let foreman_s = format!("environment: production\n  at: {when}\n  by: {}", FOREMAN.1);
    by_hand(&repo, &record(&id), &manager_s, &foreman_s);
    caught(
        &repo,
        when,
        "P007",
        &[
            "foreman@maturion.test made the move deploy to production",
            "leaves to change-manager (mona@maturion.test)",
        ],
    );
}

#[test]
fn only_the_change_manager_declares_an_emergency() {
    // §14.2 step 1 "Declaration: the change manager declares emergency": whoever drafts an
    // emergency CR, starting it is the change manager's.
    let repo = adopted();
    let when = "2026-11-03T02:00:00Z";
    let id = emergency(&repo, FOREMAN, when, HIGH);
    for who in [FOREMAN, BUILDER] {
        refused(
            &repo,
            at(&repo, who, when, &["start", &id]),
            1,
            &format!(
                "you ({}) may not start {id}: the policy leaves that to change-manager ({})",
                who.1, MANAGER.1
            ),
        );
    }
    ok(&repo, MANAGER, when, &["start", &id]);
    clean(&repo, when);
    // Other CRs are started by the builder who implements them (§9.2).
    started(&repo, "2026-11-03T09:00:00Z");
    // The emergency started by the Foreman, written down by hand: P007.
    let by = |who: Who| format!("to: implementing\n  at: {when}\n  by: {}", who.1);
    by_hand(&repo, &record(&id), &by(MANAGER), &by(FOREMAN));
    caught(
        &repo,
        "2026-11-03T09:00:00Z",
        "P007",
        &[
            "foreman@maturion.test made the move start",
            "leaves to change-manager",
        ],
    );
}

#[test]
fn a_rollback_is_decided_by_the_change_manager_or_the_foreman() {
    // §15.2 step 1 "Decision: the change manager or Foreman (critical errors only) decides to
    // rollback"; whether an error is critical is the Foreman's judgement. The Foreman
    // holds the preset's foreman role here (its CRs then need the change manager, §10.3).
    let repo = adopted_with(&[("foreman@example.com", FOREMAN.1)]);
    let when = "2026-11-03T09:00:00Z";
    let deployed = || {
        let id = started(&repo, when);
        let deploy = ["deploy", &id, "--env", "production", "--ref", "v1.1.0"];
        done(&repo, MANAGER, when, &deploy);
        id
    };
    let rollback = |id| ["rollback", id, "--reason", "Critical errors in production"];
    let first = deployed();
    refused(
        &repo,
        at(&repo, BUILDER, when, &rollback(&first)),
        1,
        &format!(
            "you ({}) may not rollback {first}: the policy leaves that to change-manager ({}) or \
             foreman ({})",
            BUILDER.1, MANAGER.1, FOREMAN.1
        ),
    );
    done(&repo, FOREMAN, when, &rollback(&first));
    let second = deployed();
    done(&repo, MANAGER, when, &rollback(&second));
    clean(&repo, when);
    // The Foreman's rollback put down to the builder by hand: P007.
    let by = |who: Who| format!("to: rolled-back\n  at: {when}\n  by: {}", who.1);
    by_hand(&repo, &record(&first), &by(FOREMAN), &by(BUILDER));
    caught(
        &repo,
        when,
        "P007",
        &[
            "builder@maturion.test made the move rollback",
            "change-manager",
        ],
    );
}

#[test]
fn verification_waits_24_hours_of_monitoring() {
    // §3.2 stage 8 "Monitor for 24-48 hours post-deployment".
    let repo = adopted();
    let id = started(&repo, "2026-11-03T09:00:00Z");
    ok(
        &repo,
        MANAGER,
        "2026-11-03T10:00:00Z",
        &["deploy", &id, "--env", "production", "--ref", "v1.1.0"],
    );
    refused(
        &repo,
        at(&repo, MANAGER, "2026-11-04T09:59:00Z", &["verify", &id]),
        1,
        "deployed less than 1d ago",
    );
    ok(&repo, MANAGER, "2026-11-04T10:00:00Z", &["verify", &id]);
    clean(&repo, "2026-11-04T10:00:00Z");
    // The verification moved earlier by hand: L005.
    by_hand(
        &repo,
        &record(&id),
        "at: 2026-11-04T10:00:00Z",
        "at: 2026-11-03T12:00:00Z",
    );
    caught(&repo, "2026-11-04T10:00:00Z", "L005", &[]);
}

#[test]
fn a_rolled_back_cr_gets_its_post_mortem_before_closing() {
    // §15.2 step 6 "Post-Mortem: Analyze why change failed, update CR, re-plan".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let fine = started(&repo, when);
    done(
        &repo,
        MANAGER,
        when,
        &["deploy", &fine, "--env", "production", "--ref", "v1.1.0"],
    );
    done(&repo, MANAGER, "2026-11-04T09:00:00Z", &["verify", &fine]);
    // A CR that was not rolled back owes no post-mortem.
    done(&repo, FOREMAN, "2026-11-04T09:00:00Z", &["close", &fine]);

    let failed = started(&repo, when);
    done(
        &repo,
        MANAGER,
        when,
        &["deploy", &failed, "--env", "production", "--ref", "v1.2.0"],
    );
    done(
        &repo,
        MANAGER,
        when,
        &[
            "rollback",
            &failed,
            "--reason",
            "Critical errors in production",
        ],
    );
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["close", &failed]),
        1,
        "need a post-implementation review",
    );
    refused(
        &repo,
        at(
            &repo,
            MANAGER,
            when,
            &["review", &failed, "--outcome", "not-achieved"],
        ),
        1,
        "must say lessons",
    );
    done(
        &repo,
        MANAGER,
        when,
        &[
            "review",
            &failed,
            "--outcome",
            "not-achieved",
            "--lessons",
            "Load-test the query first",
            "--regression",
            "no",
        ],
    );
    // §15.2 step 5 "Monitor for 24 hours post-rollback" before it closes.
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["close", &failed]),
        1,
        "was rolled back less than 1d ago",
    );
    done(&repo, FOREMAN, "2026-11-04T09:00:00Z", &["close", &failed]);
    clean(&repo, "2026-11-04T09:00:00Z");
    // The post-mortem deleted by hand after closing: L003.
    by_hand(
        &repo,
        &record(&failed),
        "  lessons: Load-test the query first\n",
        "",
    );
    caught(&repo, "2026-11-04T09:00:00Z", "L003", &["lacks lessons"]);
}

#[test]
fn every_cr_has_a_rollback_plan_standard_ones_too() {
    // §2.1 P1 "No exceptions for 'small' ... changes", P6 "Every change MUST have
    // rollback plan"; Gate 7.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let out = stdout_of(&mut at(
        &repo,
        FOREMAN,
        when,
        &[
            "new",
            "--no-input",
            "--title",
            "Update the user guide",
            "--class",
            "standard",
            "--description",
            "Docs only",
            "--rationale",
            "Out of date",
            "--component",
            "docs",
            "--test-plan",
            "Link checker",
            "--implementation-plan",
            "1 hour",
            "--evidence",
            "regression-analysis=n/a docs",
            "--likelihood",
            LOW.0,
            "--impact",
            LOW.1,
            "--treatment",
            "accept",
            "--mitigation",
            "None needed: documentation only",
        ],
    ));
    let id = out.split_whitespace().next().unwrap().to_string();
    let yaml = repo.read(&record(&id));
    repo.write(
        &record(&id),
        &format!("{yaml}stakeholders:\n- users\ntenants: all\nimpact:\n  tenants: none\n  data: none\n  availability: none\n  compliance: none\n  operational: none\n  performance: none\nrollback:\n  complexity: easy\n"),
    );
    let stderr = refused(
        &repo,
        at(&repo, FOREMAN, when, &["submit", &id]),
        1,
        "cannot be submitted",
    );
    assert!(stderr.contains("rollback.plan"), "{stderr}");
    // Submitted by hand without one: R005, standard class or not.
    by_hand(&repo, &record(&id), "status: draft", "status: submitted");
    caught(
        &repo,
        when,
        "R005",
        &["a standard change needs a rollback plan"],
    );
    by_hand(&repo, &record(&id), "status: submitted", "status: draft");
    by_hand(
        &repo,
        &record(&id),
        "rollback:\n",
        "rollback:\n  plan: Revert the docs commit\n",
    );
    ok(&repo, FOREMAN, when, &["submit", &id]);
    // Standard is not pre-approved here: low risk is approved by the risk rule.
    assert_eq!(status_of(&repo, &id), "approved");
    assert!(repo.read(&record(&id)).contains("auto-approved"));
}

#[test]
fn a_low_risk_emergency_is_not_auto_approved_and_only_the_change_manager_approves_emergencies() {
    // §14.3 "Only the change manager can approve emergency changes", whatever the risk.
    let repo = adopted();
    let when = "2026-11-03T02:00:00Z";
    let low = emergency(&repo, FOREMAN, when, LOW);
    ok(&repo, FOREMAN, when, &["submit", &low]);
    assert_eq!(status_of(&repo, &low), "submitted");
    ok(&repo, MANAGER, when, &["start", &low]);
    ok(
        &repo,
        MANAGER,
        when,
        &["deploy", &low, "--env", "production", "--ref", "v1.0.1"],
    );
    ok(&repo, FOREMAN, when, &["verify", &low]);
    ok(
        &repo,
        MANAGER,
        when,
        &["review", &low, "--outcome", "achieved"],
    );
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["close", &low]),
        1,
        "still needs approval from change-manager",
    );
    refused(
        &repo,
        at(&repo, STELLA, when, &["approve", &low, "--comment", "ok"]),
        1,
        "not a member",
    );
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &low, "--comment", "Outage fixed"],
    );
    post_incident(&repo, when, &low);
    ok(&repo, FOREMAN, when, &["close", &low]);
    // High risk adds no stakeholder to an emergency: the change manager alone suffices.
    let high = emergency(&repo, FOREMAN, when, HIGH);
    ok(&repo, MANAGER, when, &["start", &high]);
    refused(
        &repo,
        at(&repo, STELLA, when, &["approve", &high, "--comment", "ok"]),
        1,
        "still needs: change-manager",
    );
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &high, "--comment", "Exploit"],
    );
    assert_eq!(approvers(&repo, &high), [MANAGER.1]);
    let show = stdout_of(&mut at(&repo, MANAGER, when, &["show", &high]));
    assert!(show.contains("high (derived)"), "{show}");
    assert!(!show.contains("needed:"), "{show}");
}

#[test]
fn an_emergency_is_approved_by_the_change_manager_within_24_hours() {
    // §14.2 "Retrospective CR ... within 24 hours" (its approval; L002).
    let repo = adopted();
    let start = "2026-11-07T02:00:00Z";
    let id = emergency(&repo, FOREMAN, start, HIGH);
    commit_record(&repo, FOREMAN, start, &id, "Declare");
    done(&repo, MANAGER, start, &["start", &id]);
    repo.write("src/auth/login.py", "CHECK_TOKEN_FIRST = True\n");
    repo.commit_all_as(start, BUILDER, &format!("[{id}] Patch the login endpoint"));
    ok(
        &repo,
        MANAGER,
        "2026-11-07T02:30:00Z",
        &["deploy", &id, "--env", "production", "--ref", "v1.0.1"],
    );
    repo.commit_all_as("2026-11-07T02:30:00Z", MANAGER, &format!("[{id}] Deployed"));
    // Deployed without approval is allowed (§14.2 "Immediate action"), for 24 h.
    clean(&repo, "2026-11-08T01:59:00Z");
    caught(
        &repo,
        "2026-11-08T02:01:00Z",
        "L002",
        &["approval by change-manager was due within 1d"],
    );
    // Approved late: still reported.
    ok(
        &repo,
        MANAGER,
        "2026-11-08T03:00:00Z",
        &["approve", &id, "--comment", "Exploit confirmed", "--commit"],
    );
    caught(
        &repo,
        "2026-11-08T03:00:00Z",
        "L002",
        &["after the 1d deadline"],
    );
}

#[test]
fn the_retrospective_cr_is_created_within_24_hours() {
    // §14.2 "Immediate Action: Fix applied to Production", then "Retrospective CR: CR
    // created post-facto within 24 hours". Two fixes at 02:00 on branches of their own,
    // each naming the CR its record will be; L006 counts from the fix's commit.
    let repo = adopted();
    for (branch, id) in [("fix-login", "CR-2026-002"), ("fix-export", "CR-2026-003")] {
        let message = format!("[{id}] Patch the login endpoint");
        repo.work_on_branch(branch, "2026-11-07T02:00:00Z", &message);
    }
    let retrospective = |when: &str, branch: &str| {
        let id = emergency(&repo, FOREMAN, when, LOW);
        repo.commit_all_as(when, FOREMAN, &format!("[{id}] Retrospective CR"));
        repo.merge_at(when, branch, &format!("[{id}] Merge the hotfix"));
        id
    };
    // Created the same evening: in time.
    let prompt = retrospective("2026-11-07T20:00:00Z", "fix-login");
    assert_eq!(prompt, "CR-2026-002");
    clean(&repo, "2026-11-07T21:00:00Z");
    // Created the next morning, 28 hours after its fix: late.
    let late = retrospective("2026-11-08T06:00:00Z", "fix-export");
    assert_eq!(late, "CR-2026-003");
    let line = caught(
        &repo,
        "2026-11-08T07:00:00Z",
        "L006",
        &["more than 1d after work on the change began (commit "],
    );
    assert!(line.contains("created 2026-11-08T06:00:00Z"), "{line}");
    let (_, out) = check_at(&repo, "2026-11-08T07:00:00Z");
    assert_eq!(out.matches("L006").count(), 1, "{out}");
}

#[test]
fn an_emergency_is_documented_and_reviewed_after_the_incident() {
    // §14.3 "Emergency change documented with justification"; §14.2 step 6
    // "Post-Incident Review".
    let repo = adopted();
    let when = "2026-11-03T02:00:00Z";
    let out = stdout_of(&mut at(
        &repo,
        FOREMAN,
        when,
        &[
            "new",
            "--no-input",
            "--title",
            "Hotfix",
            "--class",
            "emergency",
            "--description",
            "Restart the workers",
            "--rollback",
            "None needed",
        ],
    ));
    let bare = out.split_whitespace().next().unwrap().to_string();
    let stderr = refused(
        &repo,
        at(&repo, MANAGER, when, &["start", &bare]),
        1,
        "cannot be started",
    );
    for field in ["rationale", "emergency.incident"] {
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
    by_hand(
        &repo,
        &record(&bare),
        "status: draft",
        "status: implementing",
    );
    caught(&repo, when, "R004", &["emergency.incident", "rationale"]);
    std::fs::remove_file(repo.place(&record(&bare))).unwrap();

    let id = emergency_fixed(&repo, when);
    ok(&repo, FOREMAN, "2026-11-03T10:00:00Z", &["verify", &id]);
    refused(
        &repo,
        at(&repo, FOREMAN, "2026-11-03T10:00:00Z", &["close", &id]),
        1,
        "need a post-implementation review",
    );
    // No review two days after deployment: L003 (chg's default 48 h for emergencies).
    clean(&repo, "2026-11-05T02:29:00Z");
    caught(
        &repo,
        "2026-11-05T02:31:00Z",
        "L003",
        &["post-implementation review was due"],
    );
}

#[test]
fn work_lands_only_after_its_cr_is_approved() {
    // Gate 3 "Appropriate authority approved CR" before the work goes in.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, MEDIUM);
    repo.write("src/wrac/assets.py", "FIELDS = ['name', 'asset_owner']\n");
    repo.commit_all_as(
        "2026-11-03T10:00:00Z",
        BUILDER,
        &format!("[{id}] Add asset_owner"),
    );
    ok(
        &repo,
        MANAGER,
        "2026-11-03T11:00:00Z",
        &["approve", &id, "--comment", "Acceptable", "--commit"],
    );
    caught(
        &repo,
        "2026-11-03T11:00:00Z",
        "H004",
        &[&id, "lacked approval from change-manager"],
    );
}

#[test]
fn an_approval_is_committed_by_its_approver() {
    // §2.1 P5 "Who approved it": the approval's commit is authored by the approver.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = submitted(&repo, when, MEDIUM);
    ok(
        &repo,
        MANAGER,
        when,
        &["approve", &id, "--comment", "Acceptable"],
    );
    repo.commit_all_as(
        when,
        FOREMAN,
        &format!("[{id}] Record the change manager's approval"),
    );
    let by_foreman = format!(
        "added in {}, authored by {}",
        repo.git(&["rev-parse", "--short=10", "HEAD"]).trim(),
        FOREMAN.1
    );
    caught(
        &repo,
        when,
        "P004",
        &[
            &format!("the approval by {} as change-manager", MANAGER.1),
            &by_foreman,
        ],
    );
    // The move the approval made is not proven to be the change manager's either.
    caught(
        &repo,
        when,
        "P009",
        &[
            &format!("the move submitted → approved at {when} by {}", MANAGER.1),
            &by_foreman,
        ],
    );
}

#[test]
fn a_cr_moves_only_along_the_seed_s_lifecycle() {
    // §3.1 states: DEPLOYED → VERIFIED → CLOSED, or → ROLLBACK → CLOSED.
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = started(&repo, when);
    ok(
        &repo,
        MANAGER,
        when,
        &["deploy", &id, "--env", "production", "--ref", "v1.1.0"],
    );
    let stderr = refused(
        &repo,
        at(&repo, FOREMAN, when, &["close", &id]),
        1,
        "cannot move from deployed to closed",
    );
    assert!(
        stderr.contains("legal next states: verified, rolled-back"),
        "{stderr}"
    );
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["cancel", &id, "--reason", "late"]),
        1,
        "cannot move from deployed to cancelled",
    );
    // Closed by hand, skipping verification: L001.
    by_hand(&repo, &record(&id), "status: deployed", "status: closed");
    caught(&repo, when, "L001", &["says closed", "end in deployed"]);
}

#[test]
fn the_risk_level_is_the_seed_s_5x5_matrix() {
    // §5.2 "Risk Matrix", cell by cell, as chg derives it for a CR.
    let table = [
        (
            "almost-certain",
            ["medium", "high", "high", "critical", "critical"],
        ),
        ("likely", ["low", "medium", "high", "high", "critical"]),
        ("possible", ["low", "low", "medium", "high", "high"]),
        ("unlikely", ["low", "low", "medium", "medium", "high"]),
        ("rare", ["low", "low", "low", "medium", "medium"]),
    ];
    let impacts = ["negligible", "minor", "moderate", "major", "catastrophic"];
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = propose(&repo, FOREMAN, when, "Any", "normal", LOW, &[]);
    for (likelihood, levels) in table {
        for (impact, level) in impacts.iter().zip(levels) {
            ok(
                &repo,
                FOREMAN,
                when,
                &[
                    "assess",
                    &id,
                    "--likelihood",
                    likelihood,
                    "--impact",
                    impact,
                ],
            );
            let show = stdout_of(&mut at(&repo, FOREMAN, when, &["show", &id]));
            let derived = show
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("Risk "))
                .unwrap_or_else(|| panic!("no risk line: {show}"))
                .trim();
            assert_eq!(
                derived,
                format!("{level} (derived)"),
                "{likelihood} x {impact}"
            );
        }
    }
    // A declared level below the matrix's, without a justification: refused, R006.
    ok(
        &repo,
        FOREMAN,
        when,
        &["assess", &id, "--likelihood", "likely", "--impact", "minor"],
    );
    by_hand(
        &repo,
        &record(&id),
        "  impact: minor\n",
        "  impact: minor\n  level: low\n",
    );
    refused(
        &repo,
        at(&repo, FOREMAN, when, &["submit", &id]),
        1,
        "risk.justification",
    );
    by_hand(&repo, &record(&id), "status: draft", "status: submitted");
    caught(&repo, when, "R006", &["says low", "derives medium"]);
}

#[test]
fn the_regression_rate_is_tracked_against_zero() {
    // §16.1 "Regression Rate: % of CRs introducing regressions"; §2.1 P4
    // "Zero-regression philosophy enforced".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let verified = |version: &str| {
        let id = started(&repo, when);
        ok(
            &repo,
            MANAGER,
            when,
            &["deploy", &id, "--env", "production", "--ref", version],
        );
        ok(&repo, MANAGER, "2026-11-04T09:00:00Z", &["verify", &id]);
        id
    };
    let clean = verified("v1.1.0");
    let regressed = verified("v1.2.0");
    // Every review says whether the CR regressed.
    let review = |id: &str, lessons: &str, regressed: Option<&str>| {
        let mut args = vec!["review", id, "--outcome", "achieved", "--lessons", lessons];
        args.extend(
            regressed
                .map(|answer| ["--regression", answer])
                .into_iter()
                .flatten(),
        );
        at(&repo, MANAGER, "2026-11-04T10:00:00Z", &args)
    };
    refused(
        &repo,
        review(&clean, "none", None),
        1,
        "must say regression",
    );
    review(&clean, "none", Some("no")).assert().success();
    review(&regressed, "Cover CSV quoting", Some("yes"))
        .assert()
        .success();
    let json = stdout_of(&mut at(
        &repo,
        FOREMAN,
        "2026-11-05T09:00:00Z",
        &[
            "metrics",
            "--since",
            "2026-11-01",
            "--by",
            "month",
            "--format",
            "json",
        ],
    ));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rate = &doc["periods"][0]["regression_rate"];
    assert_eq!(
        (rate["count"].as_u64(), rate["of"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(rate["target"], "<= 0%");
    assert_eq!(rate["met"], false);
    // The table names each rate with the preset's target, and none where it sets none.
    let table = stdout_of(&mut at(
        &repo,
        FOREMAN,
        "2026-11-05T09:00:00Z",
        &["metrics", "--since", "2026-11-01"],
    ));
    assert!(
        table.contains("Regression rate of reviews (<= 0%)"),
        "{table}"
    );
    assert!(
        table.contains("Success rate ") && !table.contains("Success rate ("),
        "{table}"
    );
}

#[test]
fn production_waits_for_the_schedule_the_test_environment_and_gates_4_to_7() {
    // §3.2 stage 5 "Schedule implementation window"; §2.1 P3 "validated in Test
    // Environment before Production", §7.2, Gate 5; stage 6 and Gate 4 "Regression
    // Tests Passed"; Gate 6 "Documentation Updated"; Gate 7 "Rollback tested in Test
    // Environment"; §8.1 "MAY NOT be deployed to Production unless ALL gates pass".
    let repo = adopted();
    let when = "2026-11-03T09:00:00Z";
    let id = approved(&repo, when);
    refused(
        &repo,
        at(&repo, BUILDER, when, &["start", &id]),
        1,
        "cannot be started yet: its gate asks for schedule",
    );
    scheduled(&repo, when, &id);
    ok(&repo, BUILDER, when, &["start", &id]);
    let production = ["deploy", &id, "--env", "production", "--ref", "v1.1.0"];
    refused(
        &repo,
        at(&repo, MANAGER, "2026-11-03T10:00:00Z", &production),
        1,
        "its gate asks for deployed:test, evidence:regression-tests, evidence:docs-updated, \
         evidence:rollback-tested",
    );
    tested(&repo, "2026-11-03T10:30:00Z", &id, "v1.1.0");
    ok(&repo, MANAGER, "2026-11-03T11:00:00Z", &production);
    repo.commit_all_as("2026-11-03T11:00:00Z", MANAGER, &format!("[{id}] Deployed"));
    clean(&repo, "2026-11-03T11:10:00Z");
    // The test deployment rewritten by hand as staging: production skipped the Test
    // Environment.
    by_hand(
        &repo,
        &record(&id),
        "- environment: test\n",
        "- environment: staging\n",
    );
    caught(
        &repo,
        "2026-11-03T11:20:00Z",
        "L007",
        &[
            "deploy to production at 2026-11-03T11:00:00Z",
            "deployed:test",
        ],
    );
}

#[test]
fn an_emergency_is_regression_tested_and_its_root_cause_found_before_closing() {
    // §14.2 "Retrospective Testing: Full regression testing as soon as possible";
    // "Post-Incident Review: Root cause analysis, prevention planning".
    let repo = adopted();
    let when = "2026-11-03T02:00:00Z";
    let id = emergency_fixed(&repo, when);
    done(&repo, FOREMAN, "2026-11-04T03:00:00Z", &["verify", &id]);
    done(
        &repo,
        MANAGER,
        "2026-11-04T04:00:00Z",
        &["review", &id, "--outcome", "achieved"],
    );
    refused(
        &repo,
        at(&repo, FOREMAN, "2026-11-04T05:00:00Z", &["close", &id]),
        1,
        "its gate asks for evidence:regression-tests, emergency.root_cause, \
         emergency.preventive_action",
    );
    post_incident(&repo, "2026-11-04T05:10:00Z", &id);
    ok(&repo, FOREMAN, "2026-11-04T05:20:00Z", &["close", &id]);
    repo.commit_all_as("2026-11-04T05:20:00Z", FOREMAN, &format!("[{id}] Closed"));
    clean(&repo, "2026-11-04T06:00:00Z");
    // The root cause deleted by hand after closing: the close no longer holds.
    by_hand(
        &repo,
        &record(&id),
        "  root_cause: the token check ran after the tenant lookup\n",
        "",
    );
    caught(
        &repo,
        "2026-11-04T06:10:00Z",
        "L007",
        &["close at 2026-11-04T05:20:00Z", "emergency.root_cause"],
    );
}
