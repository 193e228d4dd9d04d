//! Seed 003 (Ilana Immersive) through `chg init --preset pull-request`: each test adopts
//! the preset as written, puts its own team in `[roles]`, and shows one enforceable
//! clause kept and broken. Times are Central, the preset's zone: CDT (UTC-5) from
//! 8 March to 1 November 2026, CST (UTC-6) outside; 2026-06-01 is a Monday.

use crate::common::{findings_at, outcome, refused, replaced, stdout_of, Finding, TestRepo, Who};
use crate::preset_risk_score::{
    about, edit_at, lacks, move_by_hand, move_by_hand_as, of, push_item, record, shown,
};

/// The developer who opens every pull request; the repository's configured user.
const ADA: Who = ("Ada Lovelace", "ada@example.com");
/// Team members who review (§4.3).
const BEN: Who = ("Ben Reviewer", "ben@example.com");
const DAN: Who = ("Dan Developer", "dan@example.com");
/// The CEO: the executive of major changes (§3.1), owner of the policy, declares freezes.
const CLEO: Who = ("Cleo Ceo", "cleo@example.com");
/// Not on the team.
const OLLY: Who = ("Olly Outsider", "olly@example.com");
/// The deployment pipeline (§4.5 "Render automatically deploys").
const CI: Who = ("Deploy Bot", "ci@example.com");

/// The preset's placeholder members, and the team of these tests.
const ROLES: [(&str, &str); 4] = [
    (
        r#"reviewer = ["*"]"#,
        r#"reviewer = ["ada@example.com", "ben@example.com", "dan@example.com", "cleo@example.com"]"#,
    ),
    (
        r#"executive = ["ceo@example.com"]"#,
        r#"executive = ["cleo@example.com"]"#,
    ),
    (
        r#"security-reviewer = ["security@example.com"]"#,
        r#"security-reviewer = ["sam@example.com"]"#,
    ),
    (
        r#"release-manager = ["ceo@example.com"]"#,
        r#"release-manager = ["cleo@example.com"]"#,
    ),
];

/// A local Central time ("2026-06-01 09:00") as RFC 3339, daylight saving included.
fn ct(local: &str) -> String {
    let dst = ("2026-03-08 02:00".."2026-11-01 02:00").contains(&local);
    let offset = if dst { "-05:00" } else { "-06:00" };
    format!("{}:00{offset}", local.replace(' ', "T"))
}

fn chg(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> assert_cmd::Command {
    repo.chg_at(&ct(when), who.0, who.1, args)
}

fn run(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    stdout_of(&mut chg(repo, when, who, args))
}

/// `who` runs `chg args` on the change `args[1]` and commits its record as themself.
fn step(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    let id = args[1];
    let message = format!("{} {id}\n\nChange: {id}", args[0]);
    repo.chg_committed(&ct(when), who, args, &message)
}

/// Commits everything as Ada.
fn commit(repo: &TestRepo, when: &str, message: &str) {
    repo.commit_all_at(&ct(when), message);
}

fn check(repo: &TestRepo, when: &str) -> (i32, Vec<Finding>) {
    findings_at(repo, &ct(when))
}

fn new_change(repo: &TestRepo, when: &str, args: &[&str]) -> String {
    let mut all = vec!["new", "--no-input"];
    all.extend_from_slice(args);
    let out = run(repo, when, ADA, &all);
    out.split_whitespace().next().unwrap().to_string()
}

/// Ada drafts a normal or major change with what §4.2 asks of a pull request, plus
/// `extra` flags; returns its ID.
fn draft(repo: &TestRepo, when: &str, class: &str, title: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--title",
        title,
        "--class",
        class,
        "--description",
        "What changed",
        "--rationale",
        "Why it changed",
        "--test-plan",
        "Unit tests pass; manual check on staging",
        "--rollback",
        "Revert the merge commit on main",
        "--env",
        "production",
    ];
    args.extend_from_slice(extra);
    let id = new_change(repo, when, &args);
    // The template's "Security Considerations" has no flag of `chg new`.
    edit_at(repo, &ct(when), ADA, &id, |yaml| {
        format!("{yaml}impact:\n  security: no security impact\n")
    });
    id
}

/// A drafted change, submitted and committed.
fn propose(repo: &TestRepo, when: &str, class: &str, title: &str, extra: &[&str]) -> String {
    let id = draft(repo, when, class, title, extra);
    run(repo, when, ADA, &["submit", &id]);
    commit(
        repo,
        when,
        &format!("Propose {id}: {title}\n\nChange: {id}"),
    );
    id
}

/// `who` approves `id` as `role` in a commit of their own.
fn approve(repo: &TestRepo, when: &str, who: Who, id: &str, role: &str) {
    run(
        repo,
        when,
        who,
        &["approve", id, "--role", role, "--commit"],
    );
}

/// §4.4 Major "Staging: Required": the validation run, as `chg new` flags.
const STAGING: [&str; 2] = [
    "--evidence",
    "staging-validation=https://ci.example.com/run/881",
];

/// The pipeline records that `id`'s tests passed (§6.1 "Test results").
fn tests_passed(repo: &TestRepo, when: &str, id: &str) {
    run(
        repo,
        when,
        CI,
        &[
            "evidence",
            id,
            "--kind",
            "tests-passed",
            "--ref",
            "https://ci.example.com/run/7",
        ],
    );
}

/// A normal change approved by Ben and started, its tests passed.
fn started(repo: &TestRepo, when: &str, title: &str) -> String {
    let id = propose(repo, when, "normal", title, &[]);
    approve(repo, when, BEN, &id, "reviewer");
    run(repo, when, ADA, &["start", &id]);
    tests_passed(repo, when, &id);
    commit(repo, when, &format!("Start {id}\n\nChange: {id}"));
    id
}

/// A major change approved by Ben and Cleo and started, its tests passed.
fn started_major(repo: &TestRepo, when: &str, title: &str) -> String {
    let id = propose(repo, when, "major", title, &STAGING);
    approve(repo, when, BEN, &id, "reviewer");
    approve(repo, when, CLEO, &id, "executive");
    run(repo, when, ADA, &["start", &id]);
    tests_passed(repo, when, &id);
    commit(repo, when, &format!("Start {id}\n\nChange: {id}"));
    id
}

/// Ada declares an emergency (§3.4), submits and starts it at once; returns its ID.
fn emergency(repo: &TestRepo, when: &str, title: &str) -> String {
    let id = new_change(
        repo,
        when,
        &[
            "--title",
            title,
            "--class",
            "emergency",
            "--description",
            "Revoke the leaked tokens",
            "--rollback",
            "Revert the hotfix",
            "--incident",
            "INC-7",
            // §3.4 "Implement fix with verbal approval".
            "--authorized-by",
            CLEO.1,
            "--env",
            "production",
        ],
    );
    run(repo, when, ADA, &["submit", &id]);
    run(repo, when, ADA, &["start", &id]);
    commit(repo, when, &format!("Start emergency {id}\n\nChange: {id}"));
    id
}

/// Saturday night's emergency: declared at 23:00, deployed by the pipeline at 23:20,
/// verified at 23:50, before anyone approved it.
fn emergency_verified(repo: &TestRepo) -> String {
    let fix = emergency(repo, "2026-06-06 23:00", "Stop the token leak");
    run(
        repo,
        "2026-06-06 23:20",
        CI,
        &["deploy", &fix, "--env", "production"],
    );
    run(repo, "2026-06-06 23:50", CI, &["verify", &fix]);
    let when = ct("2026-06-06 23:50");
    repo.git_at(&when, &["add", &repo.record_path(&fix)]);
    repo.commit_staged_as(
        &when,
        CI,
        &format!("Record the deployment of {fix}\n\nChange: {fix}"),
    );
    fix
}

/// A deployment the pipeline wrote into the record itself and committed at once: chg
/// check judges what is on record, however it got there.
fn deployed_by_hand(repo: &TestRepo, id: &str, when: &str) {
    deployment_written(repo, id, when, when);
}

/// The pipeline writes its deployment of `id` at `deployed` into the record by hand
/// and commits it at `written`.
fn deployment_written(repo: &TestRepo, id: &str, deployed: &str, written: &str) {
    let at = ct(deployed);
    move_by_hand_as(repo, id, "implementing", "deployed", &at, CI.1);
    let item = format!(
        "- environment: production\n  at: {at}\n  by: {}\n  outcome: success\n",
        CI.1
    );
    repo.write(
        &record(id),
        &push_item(&repo.read(&record(id)), "deployments", &item),
    );
    repo.commit_all_as(
        &ct(written),
        CI,
        &format!("Record the deployment of {id}\n\nChange: {id}"),
    );
}

/// Asserts that `chg check` at `when` fails with one finding of `rule` about `id`;
/// returns its message.
fn sole_finding(repo: &TestRepo, when: &str, rule: &str, id: &str) -> String {
    let (code, findings) = check(repo, when);
    assert_eq!(code, 1, "{findings:?}");
    let found = about(&findings, rule, id);
    assert_eq!(found.len(), 1, "{findings:?}");
    found[0].message.clone()
}

/// The commit-msg hook (what `chg hook install` runs) on what is staged.
fn commit_msg_hook(repo: &TestRepo, message: &str) -> (i32, String) {
    std::fs::write(repo.path().join(".git/MSG"), message).unwrap();
    let (code, stdout, stderr) = outcome(&mut chg(
        repo,
        "2026-06-01 10:00",
        ADA,
        &["hook", "run", "commit-msg", ".git/MSG"],
    ));
    (code, format!("{stdout}{stderr}"))
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

const ADOPTED: &str = "2026-01-02 09:00";

/// `chg init --preset pull-request`, the team in `[roles]`, `tweak` applied, committed
/// with a standard change that names it.
fn adopt_with(tweak: impl FnOnce(String) -> String) -> TestRepo {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "pull-request"])
        .assert()
        .success();
    let policy = ROLES
        .iter()
        .fold(repo.read(".changes.toml"), |p, (from, to)| {
            replaced(&p, from, to)
        });
    repo.write(".changes.toml", &tweak(policy));
    let id = new_change(
        &repo,
        ADOPTED,
        &[
            "--title",
            "Adopt chg",
            "--class",
            "standard",
            "--description",
            "The change policy as a chg preset",
        ],
    );
    assert_eq!(id, "CHG-2026-0001");
    run(&repo, ADOPTED, ADA, &["submit", &id]);
    commit(&repo, ADOPTED, &format!("Adopt chg\n\nChange: {id}"));
    repo
}

fn adopt() -> TestRepo {
    adopt_with(|p| p)
}

#[test]
fn pull_request_lifecycle() {
    let repo = adopt();
    // §3.1 Standard "Pre-approved": the change that adopted the policy went straight through.
    assert!(
        repo.read(&record("CHG-2026-0001"))
            .contains("pre-approved: the class needs no approver"),
        "{}",
        repo.read(&record("CHG-2026-0001"))
    );

    // A normal pull request: reviewed by a team member, merged once approved, deployed
    // by the pipeline a day later.
    let export = propose(&repo, "2026-06-01 10:00", "normal", "Add CSV export", &[]);
    repo.git(&["checkout", "-q", "-b", "csv-export"]);
    repo.write("src/export.rs", "pub fn csv() {}\n");
    commit(
        &repo,
        "2026-06-01 11:00",
        &format!("Add CSV export\n\nChange: {export}"),
    );
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(shown(&repo, &export, "Approvals"), "needed: reviewer");
    approve(&repo, "2026-06-01 14:00", BEN, &export, "reviewer");
    repo.merge_at(
        &ct("2026-06-01 15:00"),
        "csv-export",
        &format!("Merge pull request #12\n\nChange: {export}"),
    );
    let merge = head(&repo);
    step(&repo, "2026-06-02 10:55", CI, &["start", &export]);
    tests_passed(&repo, "2026-06-02 10:58", &export);
    step(
        &repo,
        "2026-06-02 11:00",
        CI,
        &["deploy", &export, "--env", "production", "--ref", &merge],
    );
    step(
        &repo,
        "2026-06-02 13:00",
        CI,
        // §4.6: two hours of monitoring for a significant change.
        &["verify", &export, "--note", "Health check passes"],
    );
    step(&repo, "2026-06-02 13:05", ADA, &["close", &export]);

    // A major change: a schema migration with its down script, staging validated,
    // technical and executive approval, deployed a week after the request.
    let split = propose(
        &repo,
        "2026-06-01 10:30",
        "major",
        "Split the assets table",
        &[
            STAGING[0],
            STAGING[1],
            "--rollback-artifact",
            "migrations/0042_down.sql",
        ],
    );
    assert_eq!(
        shown(&repo, &split, "Approvals"),
        "needed: reviewer, executive"
    );
    approve(&repo, "2026-06-01 16:00", BEN, &split, "reviewer");
    approve(&repo, "2026-06-02 09:00", CLEO, &split, "executive");
    repo.write("migrations/0042_up.sql", "CREATE TABLE asset_owners ();\n");
    repo.write("migrations/0042_down.sql", "DROP TABLE asset_owners;\n");
    commit(
        &repo,
        "2026-06-02 10:00",
        &format!("Split the assets table\n\nChange: {split}"),
    );
    step(&repo, "2026-06-09 09:55", CI, &["start", &split]);
    tests_passed(&repo, "2026-06-09 09:58", &split);
    step(
        &repo,
        "2026-06-09 10:00",
        CI,
        &[
            "deploy",
            &split,
            "--env",
            "production",
            "--ref",
            &head(&repo),
        ],
    );
    step(
        &repo,
        "2026-06-10 10:00",
        CI,
        // §4.6: 24 hours of monitoring for a major change.
        &["verify", &split, "--note", "A day of monitoring"],
    );
    step(&repo, "2026-06-10 10:05", ADA, &["close", &split]);

    // An emergency on Saturday night: fixed at once, approved after the fact within a
    // day, reviewed at the retrospective.
    let fix = emergency(&repo, "2026-06-06 23:00", "Stop the token leak");
    repo.write("src/tokens.rs", "pub fn revoke() {}\n");
    commit(
        &repo,
        "2026-06-06 23:10",
        &format!("Revoke leaked tokens\n\nChange: {fix}"),
    );
    step(
        &repo,
        "2026-06-06 23:20",
        CI,
        &["deploy", &fix, "--env", "production"],
    );
    step(&repo, "2026-06-06 23:50", CI, &["verify", &fix]);
    approve(&repo, "2026-06-07 10:00", BEN, &fix, "reviewer");
    // Monday's retrospective (chg's default deadline for it is 48 hours, see the
    // retrospective test).
    run(
        &repo,
        "2026-06-08 11:00",
        ADA,
        &[
            "review",
            &fix,
            "--outcome",
            "achieved",
            "--lessons",
            "Scan for tokens in CI",
        ],
    );
    // §4.4 an emergency's tests run after its deployment.
    tests_passed(&repo, "2026-06-08 11:00", &fix);
    run(&repo, "2026-06-08 11:05", ADA, &["close", &fix]);
    commit(
        &repo,
        "2026-06-08 11:05",
        &format!("Close {fix}\n\nChange: {fix}"),
    );

    let (code, stdout, _) = outcome(&mut chg(&repo, "2026-06-12 12:00", ADA, &["check"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("0 error(s), 0 warning(s); 4 record(s) checked"),
        "{stdout}"
    );
}

#[test]
fn the_author_cannot_approve_their_own_change() {
    let repo = adopt();
    // §7.1: chg approve refuses the author...
    let own = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:00", ADA, &["approve", &own, "--role", "reviewer"]),
        1,
        "you (ada@example.com) wrote CHG-2026-0002: under separation of duties someone else must approve it",
    );
    // ...and chg check an approval of hers written into the record by hand (P003).
    approve(&repo, "2026-06-01 10:00", BEN, &own, "reviewer");
    let yaml = repo.read(&record(&own));
    let ben = yaml
        .split("\n- role: ")
        .nth(1)
        .and_then(|rest| rest.split("\ntransitions:").next())
        .unwrap();
    let hers = format!(
        "- role: {}\n",
        ben.replace("ben@example.com", "ada@example.com")
    );
    repo.write(&record(&own), &push_item(&yaml, "approvals", &hers));
    commit(
        &repo,
        "2026-06-01 10:05",
        &format!("Approve {own}\n\nChange: {own}"),
    );

    // A co-author of the work is an author too: Dan approves work he co-wrote.
    let paired = propose(
        &repo,
        "2026-06-01 11:00",
        "normal",
        "Page the asset list",
        &[],
    );
    repo.write("src/assets.rs", "pub fn page() {}\n");
    commit(
        &repo,
        "2026-06-01 11:30",
        &format!("Page the asset list\n\nChange: {paired}\nCo-authored-by: Dan Developer <dan@example.com>"),
    );
    approve(&repo, "2026-06-01 12:00", DAN, &paired, "reviewer");
    // Ben reviews work he did not write: in order.
    let clean = propose(
        &repo,
        "2026-06-01 13:00",
        "normal",
        "Sort the asset list",
        &[],
    );
    approve(&repo, "2026-06-01 13:30", BEN, &clean, "reviewer");

    let (code, findings) = check(&repo, "2026-06-01 14:00");
    assert_eq!(code, 1);
    let p003 = about(&findings, "P003", &own);
    assert!(
        p003.len() == 1 && p003[0].message.contains("ada@example.com"),
        "{findings:?}"
    );
    let p003 = about(&findings, "P003", &paired);
    assert!(
        p003.len() == 1 && p003[0].message.contains("dan@example.com"),
        "{findings:?}"
    );
    assert!(about(&findings, "P003", &clean).is_empty(), "{findings:?}");
}

#[test]
fn lead_times_are_judged_by_check() {
    let repo = adopt();
    // `chg deploy` refuses an early deployment; written into the record by hand
    // instead, it is reported: L004 judges what is on record, however it got there.
    // Normal: 24 hours from request to deployment (§3.1). Submitted Monday 10:00.
    let early = started(&repo, "2026-06-01 10:00", "Deployed after two hours");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 12:00",
            CI,
            &["deploy", &early, "--env", "production"],
        ),
        1,
        "cannot be deployed before",
    );
    deployed_by_hand(&repo, &early, "2026-06-01 12:00");
    let waited = started(&repo, "2026-06-01 10:00", "Deployed the next day");
    run(
        &repo,
        "2026-06-02 10:30",
        CI,
        &["deploy", &waited, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-02 10:30",
        &format!("Deploy {waited}\n\nChange: {waited}"),
    );
    // Major: a week.
    let rushed = started_major(&repo, "2026-06-01 10:00", "Migrate in three days");
    deployed_by_hand(&repo, &rushed, "2026-06-04 10:00");
    let patient = started_major(&repo, "2026-06-01 10:00", "Migrate after a week");
    run(
        &repo,
        "2026-06-08 10:30",
        CI,
        &["deploy", &patient, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-08 10:30",
        &format!("Deploy {patient}\n\nChange: {patient}"),
    );
    // Standard: none.
    let routine = new_change(
        &repo,
        "2026-06-01 10:00",
        &[
            "--title",
            "Bump serde",
            "--class",
            "standard",
            "--description",
            "Patch release",
        ],
    );
    run(&repo, "2026-06-01 10:00", ADA, &["submit", &routine]);
    run(&repo, "2026-06-01 10:00", ADA, &["start", &routine]);
    tests_passed(&repo, "2026-06-01 10:00", &routine);
    run(
        &repo,
        "2026-06-01 10:05",
        CI,
        &["deploy", &routine, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-01 10:05",
        &format!("Bump serde\n\nChange: {routine}"),
    );

    let (code, findings) = check(&repo, "2026-06-08 12:00");
    assert_eq!(code, 1);
    let l004 = of(&findings, "L004");
    assert_eq!(l004.len(), 2, "{findings:?}");
    assert_eq!(about(&findings, "L004", &early).len(), 1, "{findings:?}");
    assert_eq!(about(&findings, "L004", &rushed).len(), 1, "{findings:?}");
}

#[test]
fn deployments_keep_to_business_hours_central_time() {
    let repo = adopt();
    let deploy =
        |when: &str, id: &str| chg(&repo, when, CI, &["deploy", id, "--env", "production"]);
    // Winter, CST: 09:00 is 15:00 UTC.
    let winter = started(&repo, "2026-01-02 10:00", "Winter release");
    refused(
        &repo,
        deploy("2026-01-05 08:30", &winter),
        1,
        "Mon 2026-01-05 08:30 America/Chicago is outside the deployment windows",
    );
    deploy("2026-01-05 09:30", &winter).assert().success();
    // Summer, CDT: 09:00 is 14:00 UTC; 17:00 closes the day.
    let summer = started(&repo, "2026-05-29 10:00", "Summer release");
    refused(
        &repo,
        deploy("2026-06-01 08:30", &summer),
        1,
        "the next opens Mon 2026-06-01 09:00 America/Chicago",
    );
    refused(
        &repo,
        deploy("2026-06-01 17:30", &summer),
        1,
        "the next opens Tue 2026-06-02 09:00 America/Chicago",
    );
    deploy("2026-06-01 09:30", &summer).assert().success();
    // "Avoid: Fridays after 3 PM", and weekends.
    let friday = started(&repo, "2026-06-01 10:00", "Friday release");
    refused(
        &repo,
        deploy("2026-06-05 15:30", &friday),
        1,
        "the next opens Mon 2026-06-08 09:00 America/Chicago",
    );
    refused(
        &repo,
        deploy("2026-06-06 11:00", &friday),
        1,
        "the next opens Mon 2026-06-08 09:00 America/Chicago",
    );
    deploy("2026-06-05 14:30", &friday).assert().success();
    // "Emergency: Any time".
    let fix = emergency(&repo, "2026-06-06 23:00", "Stop the token leak");
    deploy("2026-06-06 23:20", &fix).assert().success();
    commit(
        &repo,
        "2026-06-06 23:20",
        &format!("Deploy {winter}, {summer}, {friday}, {fix}\n\nChange: {fix}"),
    );

    // A deployment the pipeline wrote by hand at 18:00 on a Tuesday: F003.
    let late = started(&repo, "2026-06-08 09:00", "Evening release");
    deployed_by_hand(&repo, &late, "2026-06-09 18:00");
    let (code, findings) = check(&repo, "2026-06-10 12:00");
    assert_eq!(code, 1);
    let f003 = of(&findings, "F003");
    assert_eq!(f003.len(), 1, "{findings:?}");
    assert_eq!(f003[0].record.as_deref(), Some(late.as_str()));
    assert!(
        f003[0]
            .message
            .contains("Tue 2026-06-09 18:00 America/Chicago"),
        "{findings:?}"
    );
}

#[test]
fn emergency_approval_follows_within_24_hours() {
    let repo = adopt();
    // Saturday 23:00: fixed and deployed at once, before any approval (§3.4).
    let late = emergency(&repo, "2026-06-06 23:00", "Stop the token leak");
    run(
        &repo,
        "2026-06-06 23:20",
        CI,
        &["deploy", &late, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-06 23:20",
        &format!("Deploy {late}\n\nChange: {late}"),
    );
    let (_, findings) = check(&repo, "2026-06-07 22:00");
    assert!(of(&findings, "L002").is_empty(), "{findings:?}");
    let (code, findings) = check(&repo, "2026-06-07 23:30");
    assert_eq!(code, 1);
    let l002 = about(&findings, "L002", &late);
    assert!(
        l002.len() == 1
            && l002[0]
                .message
                .contains("approval by reviewer was due within 1d"),
        "{findings:?}"
    );
    // Approved on Monday: late, and still reported.
    approve(&repo, "2026-06-08 09:00", BEN, &late, "reviewer");
    // Another one approved on Sunday morning: in time.
    let prompt = emergency(&repo, "2026-06-06 23:30", "Block the scraper");
    run(
        &repo,
        "2026-06-06 23:40",
        CI,
        &["deploy", &prompt, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-06 23:40",
        &format!("Deploy {prompt}\n\nChange: {prompt}"),
    );
    approve(&repo, "2026-06-07 10:00", BEN, &prompt, "reviewer");
    let (_, findings) = check(&repo, "2026-06-08 10:00");
    let l002 = about(&findings, "L002", &late);
    assert!(
        l002.len() == 1 && l002[0].message.contains("after the 1d deadline"),
        "{findings:?}"
    );
    assert!(about(&findings, "L002", &prompt).is_empty(), "{findings:?}");
}

#[test]
fn the_emergency_change_is_documented_within_24_hours() {
    // §3.4 "Implement fix with verbal approval", "Document change within 24 hours". The
    // pipeline deployed two fixes on Saturday night before anyone wrote a record; once
    // each record is written, the pipeline adds its deployment as it happened, and
    // L006 counts from there.
    let repo = adopt();
    let prompt = emergency(&repo, "2026-06-07 10:00", "Stop the token leak");
    deployment_written(&repo, &prompt, "2026-06-06 23:00", "2026-06-07 10:05");
    let (code, findings) = check(&repo, "2026-06-07 11:00");
    assert_eq!(code, 0, "{findings:?}");
    // Written on Monday morning, 34 hours after its deployment: late.
    let late = emergency(&repo, "2026-06-08 09:00", "Block the scraper");
    deployment_written(&repo, &late, "2026-06-06 23:00", "2026-06-08 09:05");
    let (code, findings) = check(&repo, "2026-06-08 09:30");
    assert_eq!(code, 1);
    let l006 = about(&findings, "L006", &late);
    assert!(
        l006.len() == 1
            && l006[0]
                .message
                .contains("more than 1d after work on the change began")
            && l006[0]
                .message
                .ends_with("it was due 2026-06-07 23:00:00 CDT"),
        "{findings:?}"
    );
    assert!(about(&findings, "L006", &prompt).is_empty(), "{findings:?}");
}

#[test]
fn an_emergency_fix_may_come_before_its_record() {
    // §3.4 "Implement fix with verbal approval", then "Document change within 24 hours":
    // the fix is committed first, declared with an `Emergency:` trailer, and names the
    // change its record will have. Without the trailer the hook refuses the unknown ID.
    let repo = adopt();
    repo.write("src/tokens.rs", "pub const REVOKED: bool = true;\n");
    repo.git(&["add", "-A"]);
    let fix = "CHG-2026-0002";
    let plain = format!("Stop the token leak\n\nChange: {fix}\n");
    let (code, said) = commit_msg_hook(&repo, &plain);
    assert!(code == 1 && said.contains(fix), "{said}");
    let declared = format!("{plain}Emergency: tokens are leaking\n");
    let (code, said) = commit_msg_hook(&repo, &declared);
    assert!(code == 0 && said.contains("has no record yet"), "{said}");
    commit(&repo, "2026-06-06 23:00", &declared);
    let (code, findings) = check(&repo, "2026-06-06 23:30");
    assert_eq!(code, 1);
    assert_eq!(of(&findings, "H001").len(), 1, "{findings:?}");

    // The record follows the next morning, within the day the policy gives.
    assert_eq!(
        emergency(&repo, "2026-06-07 10:00", "Stop the token leak"),
        fix
    );
    let (code, findings) = check(&repo, "2026-06-07 11:00");
    assert_eq!(code, 0, "{findings:?}");
}

#[test]
fn the_emergency_is_reviewed_in_the_next_retrospective() {
    // "Next retrospective" has no date in the seed: the preset assumes a two-week sprint.
    let repo = adopt();
    let fix = emergency_verified(&repo);
    commit(
        &repo,
        "2026-06-06 23:50",
        &format!("Deploy {fix}\n\nChange: {fix}"),
    );
    approve(&repo, "2026-06-07 10:00", BEN, &fix, "reviewer");
    refused(
        &repo,
        chg(&repo, "2026-06-08 10:00", ADA, &["close", &fix]),
        1,
        "need a post-implementation review first",
    );
    let (_, findings) = check(&repo, "2026-06-20 23:00");
    assert!(of(&findings, "L003").is_empty(), "{findings:?}");
    let (code, findings) = check(&repo, "2026-06-20 23:30");
    assert_eq!(code, 1);
    let l003 = about(&findings, "L003", &fix);
    assert!(
        l003.len() == 1 && l003[0].message.contains("was due within 2w of deployment"),
        "{findings:?}"
    );
    run(
        &repo,
        "2026-06-22 10:00",
        ADA,
        &["review", &fix, "--outcome", "achieved"],
    );
    tests_passed(&repo, "2026-06-22 10:00", &fix);
    run(&repo, "2026-06-22 10:05", ADA, &["close", &fix]);
}

#[test]
fn a_normal_change_needs_one_review_from_the_team() {
    let repo = adopt();
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    assert_eq!(shown(&repo, &id, "Approvals"), "needed: reviewer");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 10:00",
            OLLY,
            &["approve", &id, "--role", "reviewer"],
        ),
        1,
        "you (olly@example.com) are not a member of reviewer",
    );
    refused(
        &repo,
        chg(&repo, "2026-06-02 10:00", ADA, &["start", &id]),
        1,
        "cannot be started: it still needs approval from reviewer",
    );
    // Marked approved by hand: P001.
    move_by_hand(&repo, &id, "submitted", "approved", &ct("2026-06-01 10:00"));
    commit(
        &repo,
        "2026-06-01 10:00",
        &format!("Approve {id}\n\nChange: {id}"),
    );
    // Olly's approval of another change, written and committed by Olly: P002.
    let other = propose(
        &repo,
        "2026-06-01 11:00",
        "normal",
        "Sort the asset list",
        &[],
    );
    approve(&repo, "2026-06-01 11:30", BEN, &other, "reviewer");
    let yaml = repo.read(&record(&other));
    let entry = yaml
        .split("\n- role: ")
        .nth(1)
        .and_then(|r| r.split("\ntransitions:").next())
        .unwrap();
    let olly = format!(
        "- role: {}\n",
        entry.replace("ben@example.com", "olly@example.com")
    );
    repo.write(&record(&other), &push_item(&yaml, "approvals", &olly));
    repo.commit_all_as(
        &ct("2026-06-01 12:00"),
        OLLY,
        &format!("Approve {other}\n\nChange: {other}"),
    );

    let (code, findings) = check(&repo, "2026-06-01 13:00");
    assert_eq!(code, 1);
    let p001 = about(&findings, "P001", &id);
    assert!(
        p001.len() == 1 && p001[0].message.contains("reviewer"),
        "{findings:?}"
    );
    let p002 = about(&findings, "P002", &other);
    assert!(
        p002.len() == 1 && p002[0].message.contains("olly@example.com"),
        "{findings:?}"
    );
    assert!(
        about(&findings, "P001", &other).is_empty(),
        "Ben's approval stands: {findings:?}"
    );
}

#[test]
fn an_approval_is_committed_by_its_approver() {
    let repo = adopt();
    // §6.1 "Who approved the change": Ben approves, but Ada commits it for him (P004).
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    run(&repo, "2026-06-01 10:00", BEN, &["approve", &id]);
    commit(
        &repo,
        "2026-06-01 10:05",
        &format!("Record Ben's approval\n\nChange: {id}"),
    );
    // With --commit the approval is Ben's own commit.
    let own = propose(
        &repo,
        "2026-06-01 11:00",
        "normal",
        "Sort the asset list",
        &[],
    );
    approve(&repo, "2026-06-01 11:30", BEN, &own, "reviewer");
    let (code, findings) = check(&repo, "2026-06-01 12:00");
    assert_eq!(code, 1);
    let p004 = of(&findings, "P004");
    assert!(
        p004.len() == 1 && p004[0].record.as_deref() == Some(id.as_str()),
        "{findings:?}"
    );
    assert!(p004[0].message.contains("ben@example.com"), "{findings:?}");
}

#[test]
fn a_major_change_needs_the_executive_and_staging() {
    let repo = adopt();
    // §4.4 Major "Staging: Required": no submit without the validation run.
    let unstaged = draft(
        &repo,
        "2026-06-01 09:00",
        "major",
        "Split the assets table",
        &[],
    );
    refused(
        &repo,
        chg(&repo, "2026-06-01 09:00", ADA, &["submit", &unstaged]),
        1,
        "it lacks: evidence:staging-validation",
    );
    move_by_hand(
        &repo,
        &unstaged,
        "draft",
        "submitted",
        &ct("2026-06-01 09:00"),
    );
    commit(
        &repo,
        "2026-06-01 09:00",
        &format!("Propose {unstaged}\n\nChange: {unstaged}"),
    );
    // §3.1 "Executive + Technical": two people.
    let id = propose(
        &repo,
        "2026-06-01 09:30",
        "major",
        "Split the assets table",
        &STAGING,
    );
    assert_eq!(
        shown(&repo, &id, "Approvals"),
        "needed: reviewer, executive"
    );
    approve(&repo, "2026-06-01 10:00", CLEO, &id, "executive");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 10:05",
            CLEO,
            &["approve", &id, "--role", "reviewer"],
        ),
        1,
        "the policy asks for a different person in each role",
    );
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:05", ADA, &["start", &id]),
        1,
        "it still needs approval from reviewer",
    );
    approve(&repo, "2026-06-01 10:10", BEN, &id, "reviewer");
    assert_eq!(shown(&repo, &id, "Status"), "approved");
    let (code, findings) = check(&repo, "2026-06-01 11:00");
    assert_eq!(code, 1);
    let r004 = about(&findings, "R004", &unstaged);
    assert!(
        r004.len() == 1 && r004[0].message.contains("evidence:staging-validation"),
        "{findings:?}"
    );
    assert!(about(&findings, "R004", &id).is_empty(), "{findings:?}");
}

#[test]
fn merging_before_approval_is_caught() {
    let repo = adopt();
    let merge = |when: &str, branch: &str, id: &str| {
        repo.merge_at(
            &ct(when),
            branch,
            &format!("Merge {branch}\n\nChange: {id}"),
        );
    };
    let work = |when: &str, branch: &str, id: &str| {
        repo.work_on_branch(
            branch,
            &ct(when),
            &format!("Work on {branch}\n\nChange: {id}"),
        );
    };
    // §4.5 "Merge approved PR to main branch": merged before Ben's review (H004)...
    let hasty = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    work("2026-06-01 09:30", "csv", &hasty);
    merge("2026-06-01 10:00", "csv", &hasty);
    let merged = head(&repo);
    approve(&repo, "2026-06-01 11:00", BEN, &hasty, "reviewer");
    // ...and merged after it (in order).
    let careful = propose(
        &repo,
        "2026-06-01 12:00",
        "normal",
        "Sort the asset list",
        &[],
    );
    work("2026-06-01 12:30", "sort", &careful);
    approve(&repo, "2026-06-01 13:00", BEN, &careful, "reviewer");
    merge("2026-06-01 13:30", "sort", &careful);
    let (code, findings) = check(&repo, "2026-06-01 14:00");
    assert_eq!(code, 1);
    let h004 = of(&findings, "H004");
    assert_eq!(h004.len(), 1, "{findings:?}");
    assert!(h004[0].message.starts_with(&merged[..10]), "{findings:?}");
    assert!(
        h004[0]
            .message
            .contains(&format!("landed work for {hasty}")),
        "{findings:?}"
    );
}

#[test]
fn schema_migrations_are_major_with_a_down_script() {
    let repo = adopt();
    // §3.5 "Database schema migrations" are major: the commit-msg hook refuses a normal one.
    let normal = propose(&repo, "2026-06-01 09:00", "normal", "Add an index", &[]);
    approve(&repo, "2026-06-01 09:30", BEN, &normal, "reviewer");
    repo.write(
        "migrations/0041_index.sql",
        "CREATE INDEX a ON assets(id);\n",
    );
    repo.git(&["add", "migrations"]);
    let (code, said) = commit_msg_hook(&repo, &format!("Add an index\n\nChange: {normal}\n"));
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("H003 protected-path-class"), "{said}");
    assert!(
        said.contains("major or higher change with rollback.artifacts"),
        "{said}"
    );
    commit(
        &repo,
        "2026-06-01 10:00",
        &format!("Add an index\n\nChange: {normal}"),
    );
    let indexed = head(&repo);
    // §5.2 "Execute rollback migration script": the major change's down script must be
    // in the tree (R007).
    let major = propose(
        &repo,
        "2026-06-01 11:00",
        "major",
        "Split the assets table",
        &[
            STAGING[0],
            STAGING[1],
            "--rollback-artifact",
            "migrations/0042_down.sql",
        ],
    );
    approve(&repo, "2026-06-01 11:30", BEN, &major, "reviewer");
    approve(&repo, "2026-06-01 11:30", CLEO, &major, "executive");
    repo.write("migrations/0042_up.sql", "CREATE TABLE asset_owners ();\n");
    repo.git(&["add", "migrations"]);
    let (code, said) = commit_msg_hook(
        &repo,
        &format!("Split the assets table\n\nChange: {major}\n"),
    );
    assert_eq!(code, 0, "{said}");
    commit(
        &repo,
        "2026-06-01 12:00",
        &format!("Split the assets table\n\nChange: {major}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 13:00");
    assert_eq!(code, 1);
    let h003 = of(&findings, "H003");
    assert!(
        h003.len() == 1 && h003[0].message.starts_with(&indexed[..10]),
        "{findings:?}"
    );
    assert_eq!(about(&findings, "R007", &major).len(), 1, "{findings:?}");
    repo.write("migrations/0042_down.sql", "DROP TABLE asset_owners;\n");
    commit(
        &repo,
        "2026-06-01 12:30",
        &format!("Add the down script\n\nChange: {major}"),
    );
    let (_, findings) = check(&repo, "2026-06-01 13:00");
    assert!(about(&findings, "R007", &major).is_empty(), "{findings:?}");
}

#[test]
fn auth_and_infrastructure_paths_are_major_once_named() {
    // §3.5: the preset ships these two protections commented; the team names its paths.
    let repo = adopt_with(|p| {
        let p = replaced(
            &p,
            "# [commits.protected.\"src/auth/**\"]    # \"Authentication/authorization changes\"\n# min_class = \"major\"",
            "[commits.protected.\"src/auth/**\"]\nmin_class = \"major\"",
        );
        replaced(
            &p,
            "# [commits.protected.\"infra/**\"]       # \"Infrastructure provider changes\"\n# min_class = \"major\"",
            "[commits.protected.\"infra/**\"]\nmin_class = \"major\"",
        )
    });
    let normal = started(&repo, "2026-06-01 09:00", "Tweak login and hosting");
    repo.write("src/auth/login.rs", "pub fn login() {}\n");
    commit(
        &repo,
        "2026-06-01 10:00",
        &format!("Tweak login\n\nChange: {normal}"),
    );
    repo.write("infra/render.yaml", "plan: pro\n");
    commit(
        &repo,
        "2026-06-01 10:10",
        &format!("Move to the pro plan\n\nChange: {normal}"),
    );
    let major = started_major(&repo, "2026-06-01 11:00", "Add single sign-on");
    repo.write("src/auth/sso.rs", "pub fn sso() {}\n");
    commit(
        &repo,
        "2026-06-01 12:00",
        &format!("Add single sign-on\n\nChange: {major}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 13:00");
    assert_eq!(code, 1);
    let h003: Vec<&str> = of(&findings, "H003")
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(h003.len(), 2, "{findings:?}");
    assert!(
        h003.iter().any(|m| m.contains("src/auth/login.rs")),
        "{h003:?}"
    );
    assert!(
        h003.iter().any(|m| m.contains("infra/render.yaml")),
        "{h003:?}"
    );
}

#[test]
fn every_commit_names_a_change() {
    let repo = adopt();
    // §2 "Configuration changes to production services"; §7.1 "version-controlled".
    repo.write("config/production.toml", "workers = 4\n");
    repo.git(&["add", "config"]);
    let (code, said) = commit_msg_hook(&repo, "Raise the worker count\n");
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("H002 missing-change-reference"), "{said}");
    commit(&repo, "2026-06-01 10:00", "Raise the worker count");
    let id = started(&repo, "2026-06-01 11:00", "Raise the worker count again");
    repo.write("config/production.toml", "workers = 8\n");
    repo.git(&["add", "config"]);
    let (code, said) = commit_msg_hook(&repo, &format!("Raise the worker count\n\nChange: {id}\n"));
    assert_eq!(code, 0, "{said}");
    commit(
        &repo,
        "2026-06-01 12:00",
        &format!("Raise the worker count\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 13:00");
    assert_eq!(code, 1);
    let h002 = of(&findings, "H002");
    assert!(
        h002.len() == 1
            && h002[0]
                .message
                .contains("\"Raise the worker count\" names no change"),
        "{findings:?}"
    );
}

#[test]
fn a_pull_request_says_what_why_how_tested_how_undone_and_its_security() {
    let repo = adopt();
    let id = new_change(
        &repo,
        "2026-06-01 09:00",
        &["--title", "Add CSV export", "--class", "normal"],
    );
    let stderr = refused(
        &repo,
        chg(&repo, "2026-06-01 09:00", ADA, &["submit", &id]),
        1,
        "cannot be submitted; it lacks:",
    );
    let expected = [
        "description",
        "rationale",
        "test_plan",
        "rollback.plan",
        "impact.security",
    ]
    .map(String::from);
    assert_eq!(lacks(&stderr), expected, "{stderr}");
    move_by_hand(&repo, &id, "draft", "submitted", &ct("2026-06-01 09:05"));
    commit(
        &repo,
        "2026-06-01 09:05",
        &format!("Propose {id}\n\nChange: {id}"),
    );
    let complete = propose(&repo, "2026-06-01 09:10", "normal", "Complete", &[]);
    let (code, findings) = check(&repo, "2026-06-01 10:00");
    assert_eq!(code, 1);
    let r004: String = about(&findings, "R004", &id)
        .iter()
        .map(|f| f.message.clone())
        .collect();
    for field in ["description", "rationale", "test_plan", "impact.security"] {
        assert!(r004.contains(field), "{field}: {findings:?}");
    }
    assert_eq!(about(&findings, "R005", &id).len(), 1, "{findings:?}");
    assert!(
        about(&findings, "R004", &complete).is_empty(),
        "{findings:?}"
    );
}

#[test]
fn holidays_are_frozen_except_for_emergencies() {
    let repo = adopt();
    let id = started(&repo, "2026-11-23 09:00", "Holiday banner");
    let later = started(&repo, "2026-11-23 09:00", "Post-holiday release");
    let declare = |who: Who, until: &str| {
        chg(
            &repo,
            "2026-11-23 10:00",
            who,
            &[
                "freeze",
                "start",
                "--reason",
                "Thanksgiving",
                "--from",
                "2026-11-25",
                "--until",
                until,
            ],
        )
    };
    // §4.5 "Avoid: ... holidays": the release manager declares it, for at most 14 days.
    refused(
        &repo,
        declare(ADA, "2026-11-30"),
        1,
        "only members of the release-manager role may declare a freeze",
    );
    refused(
        &repo,
        declare(CLEO, "2026-12-31"),
        1,
        "a freeze may last at most 2w",
    );
    let frz = stdout_of(&mut declare(CLEO, "2026-11-30"))
        .trim()
        .to_string();
    commit(
        &repo,
        "2026-11-23 10:00",
        &format!("Declare {frz}\n\nChange: CHG-2026-0001"),
    );
    refused(
        &repo,
        chg(
            &repo,
            "2026-11-25 10:00",
            CI,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        &format!("{frz} freezes changes until Mon 2026-11-30 00:00 America/Chicago (Thanksgiving)"),
    );
    let fix = emergency(&repo, "2026-11-26 20:00", "Stop the token leak");
    run(
        &repo,
        "2026-11-26 20:10",
        CI,
        &["deploy", &fix, "--env", "production"],
    );
    commit(
        &repo,
        "2026-11-26 20:10",
        &format!("Deploy {fix}\n\nChange: {fix}"),
    );
    // Work committed in the freeze (F001) and a deployment recorded in it (F002).
    repo.write("src/banner.rs", "pub fn banner() {}\n");
    commit(
        &repo,
        "2026-11-25 11:00",
        &format!("Add the banner\n\nChange: {id}"),
    );
    let work = head(&repo);
    deployed_by_hand(&repo, &id, "2026-11-27 10:00");
    run(
        &repo,
        "2026-11-30 10:00",
        CI,
        &["deploy", &later, "--env", "production"],
    );
    commit(
        &repo,
        "2026-11-30 10:00",
        &format!("Deploy {later}\n\nChange: {later}"),
    );
    let (code, findings) = check(&repo, "2026-11-30 12:00");
    assert_eq!(code, 1);
    let f001 = of(&findings, "F001");
    assert!(
        f001.iter().any(|f| f.message.starts_with(&work[..10])),
        "{findings:?}"
    );
    assert!(
        f001.iter()
            .all(|f| f.record.as_deref() == Some(id.as_str())),
        "{findings:?}"
    );
    let f002 = of(&findings, "F002");
    assert!(
        f002.len() == 1 && f002[0].record.as_deref() == Some(id.as_str()),
        "{findings:?}"
    );
}

#[test]
fn the_lifecycle_moves_in_order() {
    let repo = adopt();
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:00", ADA, &["verify", &id]),
        1,
        "cannot move from submitted to verified",
    );
    approve(&repo, "2026-06-01 10:00", BEN, &id, "reviewer");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-02 10:00",
            CI,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "is approved: start it first",
    );
    move_by_hand(&repo, &id, "approved", "verified", &ct("2026-06-02 10:00"));
    commit(
        &repo,
        "2026-06-02 10:00",
        &format!("Verify {id}\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-02 11:00");
    assert_eq!(code, 1);
    assert_eq!(about(&findings, "L001", &id).len(), 1, "{findings:?}");
}

/// §4.3 "Security review for sensitive changes": a change that says it is one needs the
/// security reviewer besides the team's review.
#[test]
fn a_sensitive_change_gets_a_security_review() {
    const SAM: Who = ("Sam Security", "sam@example.com");
    let repo = adopt();
    let id = propose(
        &repo,
        "2026-06-01 09:00",
        "normal",
        "Add an API endpoint",
        &["--impact-area", "security"],
    );
    assert_eq!(
        shown(&repo, &id, "Approvals"),
        "needed: reviewer, security-reviewer"
    );
    approve(&repo, "2026-06-01 10:00", BEN, &id, "reviewer");
    refused(
        &repo,
        chg(&repo, "2026-06-02 10:00", ADA, &["start", &id]),
        1,
        "cannot be started: it still needs approval from security-reviewer",
    );
    // Marked approved by hand without it: P001.
    move_by_hand(&repo, &id, "submitted", "approved", &ct("2026-06-01 10:00"));
    commit(
        &repo,
        "2026-06-01 10:00",
        &format!("Approve {id}\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-02 10:00");
    assert_eq!(code, 1);
    assert!(
        about(&findings, "P001", &id)
            .iter()
            .any(|f| f.message.contains("not approved by security-reviewer")),
        "{findings:?}"
    );
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    approve(&repo, "2026-06-01 11:00", SAM, &id, "security-reviewer");
    run(&repo, "2026-06-02 10:00", ADA, &["start", &id]);
}

/// §6.1 "All changes must be documented with: … Test results"; §4.4 unit and
/// integration tests before deployment, an emergency's "Post-deploy".
#[test]
fn test_results_are_on_record_before_deployment_and_after_an_emergency() {
    let repo = adopt();
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Add CSV export", &[]);
    approve(&repo, "2026-06-01 10:00", BEN, &id, "reviewer");
    run(&repo, "2026-06-02 10:00", ADA, &["start", &id]);
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-02 11:00",
            CI,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "cannot be deployed to production yet: its gate asks for evidence:tests-passed",
    );
    tests_passed(&repo, "2026-06-02 11:30", &id);
    run(
        &repo,
        "2026-06-02 12:00",
        CI,
        &["deploy", &id, "--env", "production"],
    );
    let (_, findings) = check(&repo, "2026-06-02 12:10");
    assert!(about(&findings, "L007", &id).is_empty(), "{findings:?}");
    // The test results dated after the deployment by hand: it went out without them.
    // (Records keep UTC: 11:30 CDT is 16:30.)
    let path = record(&id);
    let yaml = repo.read(&path);
    repo.write(
        &path,
        &replaced(
            &yaml,
            "kind: tests-passed\n  at: 2026-06-02T16:30:00Z",
            "kind: tests-passed\n  at: 2026-06-02T17:30:00Z",
        ),
    );
    let said = sole_finding(&repo, "2026-06-02 12:40", "L007", &id);
    assert!(
        said.ends_with("lacked what its gate asks for: evidence:tests-passed"),
        "{said}"
    );

    // An emergency closes only once its tests have run after the fix.
    let fix = emergency_verified(&repo);
    approve(&repo, "2026-06-07 10:00", BEN, &fix, "reviewer");
    run(
        &repo,
        "2026-06-08 10:00",
        ADA,
        &["review", &fix, "--outcome", "achieved"],
    );
    refused(
        &repo,
        chg(&repo, "2026-06-08 10:05", ADA, &["close", &fix]),
        1,
        "cannot be closed yet: its gate asks for evidence:tests-passed",
    );
    tests_passed(&repo, "2026-06-08 10:10", &fix);
    run(&repo, "2026-06-08 10:15", ADA, &["close", &fix]);
}
