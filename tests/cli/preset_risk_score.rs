//! Seed 001 (POL-SEC-008 v2.0) through `chg init --preset risk-score`: each test adopts
//! the preset as written, puts its own people in `[roles]`, and shows one enforceable
//! clause kept and broken. Times are Eastern, the preset's zone; June 2026 is EDT
//! (UTC-4), and 2026-06-01 is a Monday. The helpers that do not depend on the zone are
//! shared with `preset_pull_request`.

use crate::common::{findings_at, outcome, refused, replaced, stdout_of, Finding, TestRepo, Who};
use crate::preset_itil_four_class::commit_register;
use serde_json::Value;

/// The requester (§5.1): writes every change; the repository's configured user.
const ADA: Who = ("Ada Lovelace", "ada@example.com");
/// Peers (§4.3): anyone may review, so these two are in no role of their own.
const PAT: Who = ("Pat Peer", "pat@example.com");
const QUINN: Who = ("Quinn Second", "quinn@example.com");
/// Manager and on-call manager (§4.4, §6.3).
const MIA: Who = ("Mia Manager", "mia@example.com");
const OTTO: Who = ("Otto Oncall", "otto@example.com");
/// Security and on-call security (§4.4, §5.4, §6.3).
const SID: Who = ("Sid Security", "sid@example.com");
const SOL: Who = ("Sol Oncall", "sol@example.com");
/// CAB chair and release manager (§7.1, §9.2), and a CAB member (engineering lead).
const RITA: Who = ("Rita Release", "rita@example.com");
const ELI: Who = ("Eli Lead", "eli@example.com");
/// The CTO (§4.4 critical).
const CORA: Who = ("Cora Cto", "cora@example.com");
/// The DBA and the operations lead (§4.3).
const DEE: Who = ("Dee Dba", "dee@example.com");
const OLA: Who = ("Ola Ops", "ola@example.com");

/// The preset's placeholder members, and the people of these tests.
const ROLES: [(&str, &str); 7] = [
    (
        r#"manager = ["manager@example.com", "oncall-manager@example.com"]"#,
        r#"manager = ["mia@example.com", "otto@example.com"]"#,
    ),
    (
        r#"security = ["security@example.com", "oncall-security@example.com"]"#,
        r#"security = ["sid@example.com", "sol@example.com"]"#,
    ),
    (
        r#"cab = ["release-manager@example.com", "eng-lead@example.com", "ops-lead@example.com"]"#,
        r#"cab = ["rita@example.com", "eli@example.com"]"#,
    ),
    (
        r#"cto = ["cto@example.com"]"#,
        r#"cto = ["cora@example.com"]"#,
    ),
    (
        r#"release-manager = ["release-manager@example.com"]"#,
        r#"release-manager = ["rita@example.com"]"#,
    ),
    (
        r#"dba = ["dba@example.com"]"#,
        r#"dba = ["dee@example.com"]"#,
    ),
    (
        r#"ops = ["ops-lead@example.com"]"#,
        r#"ops = ["ola@example.com"]"#,
    ),
];

/// §3.3 scores in the order systems, users, data, reversibility, security.
type Factors = [u8; 5];
const LOW: Factors = [1, 1, 1, 1, 1]; // 5
const MEDIUM: Factors = [2, 2, 2, 1, 1]; // 8
const HIGH: Factors = [3, 3, 2, 2, 2]; // 12

/// A local Eastern time ("2026-06-01 09:00") as RFC 3339.
fn et(local: &str) -> String {
    format!("{}:00-04:00", local.replace(' ', "T"))
}

fn chg(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> assert_cmd::Command {
    repo.chg_at(&et(when), who.0, who.1, args)
}

fn run(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    stdout_of(&mut chg(repo, when, who, args))
}

/// `who` runs `chg args` on the change `args[1]` and commits its record as themself.
fn step(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    let id = args[1];
    let message = format!("{} {id}\n\nChange: {id}", args[0]);
    repo.chg_committed(&et(when), who, args, &message)
}

/// Commits everything as Ada.
fn commit(repo: &TestRepo, when: &str, message: &str) {
    repo.commit_all_at(&et(when), message);
}

pub(crate) fn record(id: &str) -> String {
    format!(".changes/{id}.yaml")
}

/// `chg edit` as `who` at `now` (RFC 3339), the "editor" replacing the record with
/// `change(record)`.
pub(crate) fn edit_at(
    repo: &TestRepo,
    now: &str,
    who: Who,
    id: &str,
    change: impl FnOnce(&str) -> String,
) {
    let next = change(&repo.read(&record(id)));
    std::fs::write(repo.path().join(".git/next-edit.yaml"), next).unwrap();
    repo.chg_at(now, who.0, who.1, &["edit", id])
        .env("EDITOR", "cp .git/next-edit.yaml")
        .assert()
        .success();
}

fn edit(repo: &TestRepo, when: &str, who: Who, id: &str, change: impl FnOnce(&str) -> String) {
    edit_at(repo, &et(when), who, id, change);
}

/// `yaml` with `item` ("- ...\n") appended to its top-level list `key`.
pub(crate) fn push_item(yaml: &str, key: &str, item: &str) -> String {
    let head = format!("\n{key}:\n");
    let Some(start) = yaml.find(&head) else {
        return format!("{yaml}{key}:\n{item}");
    };
    let mut end = start + head.len();
    for line in yaml[end..].split_inclusive('\n') {
        if !(line.starts_with(' ') || line.starts_with('-')) {
            break;
        }
        end += line.len();
    }
    format!("{}{item}{}", &yaml[..end], &yaml[end..])
}

/// Moves a record from `from` to `to` at `at` (RFC 3339) by hand, the way someone
/// editing the file without chg would: chg check must catch what that skips.
pub(crate) fn move_by_hand(repo: &TestRepo, id: &str, from: &str, to: &str, at: &str) {
    move_by_hand_as(repo, id, from, to, at, "ada@example.com");
}

/// The same, the move put down to `by`.
pub(crate) fn move_by_hand_as(repo: &TestRepo, id: &str, from: &str, to: &str, at: &str, by: &str) {
    let yaml = replaced(
        &repo.read(&record(id)),
        &format!("\nstatus: {from}\n"),
        &format!("\nstatus: {to}\n"),
    );
    let item = format!("- from: {from}\n  to: {to}\n  at: {at}\n  by: {by}\n");
    repo.write(&record(id), &push_item(&yaml, "transitions", &item));
}

fn factor_args(factors: Factors) -> Vec<String> {
    ["systems", "users", "data", "reversibility", "security"]
        .iter()
        .zip(factors)
        .flat_map(|(name, n)| ["--factor".to_string(), format!("{name}={n}")])
        .collect()
}

fn new_change(repo: &TestRepo, when: &str, args: &[&str]) -> String {
    let mut all = vec!["new", "--no-input"];
    all.extend_from_slice(args);
    let out = run(repo, when, ADA, &all);
    out.split_whitespace().next().unwrap().to_string()
}

/// Ada drafts a normal or major change with every §4.2 field; returns its ID.
fn draft(repo: &TestRepo, when: &str, class: &str, title: &str, factors: Factors) -> String {
    let mut args: Vec<String> = [
        "--title",
        title,
        "--class",
        class,
        "--description",
        "What changes and how",
        "--rationale",
        "The business case",
        "--test-plan",
        "Unit, integration and staging runs",
        "--rollback",
        "Revert the merge commit and redeploy",
        "--implementation-plan",
        "Merge, then deploy with the pipeline",
        "--env",
        "production",
    ]
    .map(String::from)
    .to_vec();
    args.extend(factor_args(factors));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = new_change(repo, when, &args);
    // §4.2 "Impact Analysis" and the proposed "Schedule", set as a script would.
    run(
        repo,
        when,
        ADA,
        &[
            "set",
            &id,
            "impact.systems=the assets service",
            "impact.users=asset owners",
            "schedule.start=2026-06-09T06:30:00-04:00",
        ],
    );
    id
}

/// A drafted change, submitted and committed.
fn propose(repo: &TestRepo, when: &str, class: &str, title: &str, factors: Factors) -> String {
    let id = draft(repo, when, class, title, factors);
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

/// A normal change approved by everyone its risk needs, started, tested and staged.
fn started(repo: &TestRepo, when: &str, title: &str, factors: Factors) -> String {
    let id = begun(repo, when, title, factors);
    staged(repo, when, &id);
    id
}

/// A normal change approved by everyone its risk needs, and started.
fn begun(repo: &TestRepo, when: &str, title: &str, factors: Factors) -> String {
    let id = propose(repo, when, "normal", title, factors);
    let score = factors.iter().sum::<u8>();
    let mut approvers = vec![(PAT, "peer-reviewer"), (QUINN, "second-reviewer")];
    if score >= 8 {
        approvers.push((MIA, "manager"));
    }
    if score >= 12 {
        approvers.extend([(SID, "security"), (ELI, "cab")]);
    }
    for (who, role) in approvers {
        approve(repo, when, who, &id, role);
    }
    run(repo, when, ADA, &["start", &id]);
    commit(repo, when, &format!("Start {id}\n\nChange: {id}"));
    id
}

/// §8.1 every test any risk level asks for, recorded by Quinn; §8.2 deployed to test,
/// then staging, by Rita: what the gates of a production deployment ask (§9.3). Each
/// commits what they did.
fn staged(repo: &TestRepo, when: &str, id: &str) {
    let kinds = [
        "unit-tests",
        "integration-tests",
        "uat",
        "performance-tests",
        "rollback-verified",
    ];
    for kind in kinds {
        run(
            repo,
            when,
            QUINN,
            &[
                "evidence",
                id,
                "--kind",
                kind,
                "--ref",
                "https://ci.example.com/run/5",
            ],
        );
    }
    commit_register(
        repo,
        &et(when),
        QUINN,
        &format!("Test {id}\n\nChange: {id}"),
    );
    for env in ["test", "staging"] {
        step(repo, when, RITA, &["deploy", id, "--env", env]);
    }
}

/// Ada declares an emergency (§6.1), submits and starts it at once; returns its ID.
fn emergency(repo: &TestRepo, when: &str, title: &str, factors: Option<Factors>) -> String {
    let mut args: Vec<String> = [
        "--title",
        title,
        "--class",
        "emergency",
        "--description",
        "Block the bypass at the gateway",
        "--rollback",
        "Revert the hotfix",
        "--incident",
        "INC-42",
        // §6.3: the manager authorised it on the call.
        "--authorized-by",
        "mia@example.com",
        "--env",
        "production",
    ]
    .map(String::from)
    .to_vec();
    args.extend(factors.map(factor_args).unwrap_or_default());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = new_change(repo, when, &args);
    run(repo, when, ADA, &["submit", &id]);
    run(repo, when, ADA, &["start", &id]);
    commit(repo, when, &format!("Start emergency {id}\n\nChange: {id}"));
    id
}

/// §6.4 root cause analysis, written by Ada with `chg edit` at `when`.
fn retrospective(repo: &TestRepo, when: &str, id: &str) {
    edit(repo, when, ADA, id, |yaml| {
        replaced(
            yaml,
            "  incident: INC-42\n",
            &format!(
                "  incident: INC-42\n  root_cause: the gateway trusted a forged header\n  \
                 preventive_action: strip the header at the edge\n  retrospective_at: {}\n",
                et(when)
            ),
        )
    });
    commit(repo, when, &format!("Root cause of {id}\n\nChange: {id}"));
}

const ADOPTED: &str = "2026-06-01 08:00";

/// `chg init --preset risk-score`, the people of these tests in `[roles]`, `tweak`
/// applied, committed with the change that adopts it, approved.
fn adopt_with(tweak: impl FnOnce(String) -> String) -> TestRepo {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "risk-score"])
        .assert()
        .success();
    let policy = ROLES
        .iter()
        .fold(repo.read(".changes.toml"), |p, (from, to)| {
            replaced(&p, from, to)
        });
    repo.write(".changes.toml", &tweak(policy));
    // The policy holds the windows the CAB approves (§5.3): it comes with a major change,
    // approved by two reviewers and the CAB. Their approvals follow in commits of their
    // own, since roles count as the policy stood before the approving commit (P002).
    let id = propose(&repo, ADOPTED, "major", "Adopt POL-SEC-008", LOW);
    assert_eq!(id, "CHG-2026-0001");
    approve(&repo, ADOPTED, PAT, &id, "peer-reviewer");
    approve(&repo, ADOPTED, QUINN, &id, "second-reviewer");
    approve(&repo, ADOPTED, RITA, &id, "cab");
    repo
}

fn adopt() -> TestRepo {
    adopt_with(|p| p)
}

fn check(repo: &TestRepo, when: &str) -> (i32, Vec<Finding>) {
    findings_at(repo, &et(when))
}

/// The findings of `rule`.
pub(crate) fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

/// The findings of `rule` about `id`.
pub(crate) fn about<'a>(findings: &'a [Finding], rule: &str, id: &str) -> Vec<&'a Finding> {
    of(findings, rule)
        .into_iter()
        .filter(|f| f.record.as_deref() == Some(id))
        .collect()
}

/// The requirements a refused `chg submit` lists after "it lacks: ".
pub(crate) fn lacks(stderr: &str) -> Vec<String> {
    let (_, list) = stderr
        .split_once("it lacks: ")
        .unwrap_or_else(|| panic!("no list of what is missing: {stderr}"));
    let list = list.lines().next().unwrap_or_default();
    list.split(", ").map(String::from).collect()
}

/// A row of `chg show`'s table ("Risk", "Approvals", "Status").
pub(crate) fn shown(repo: &TestRepo, id: &str, label: &str) -> String {
    let table = stdout_of(&mut repo.chg(&["show", id]));
    table
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {table}"))
        .trim()
        .to_string()
}

/// Ada deploys `id` to production at `deploy_at`, verifies it at `verify_at` and
/// commits the record then, naming the change.
fn deployed_and_verified(repo: &TestRepo, id: &str, deploy_at: &str, verify_at: &str) {
    run(repo, deploy_at, ADA, &["deploy", id, "--env", "production"]);
    run(repo, verify_at, ADA, &["verify", id]);
    commit(repo, verify_at, &format!("Deploy {id}\n\nChange: {id}"));
}

#[test]
fn risk_score_lifecycle() {
    let repo = adopt();

    // §3.1 Standard: pre-authorised, approved on submit.
    let std = new_change(
        &repo,
        "2026-06-01 09:00",
        &[
            "--title",
            "Rotate the TLS certificate",
            "--class",
            "standard",
            "--description",
            "Routine renewal",
        ],
    );
    let (code, out, said) = outcome(&mut chg(&repo, "2026-06-01 09:00", ADA, &["submit", &std]));
    assert_eq!((code, out), (0, format!("{std} approved\n")));
    assert!(said.contains("pre-approved"), "{said}");
    commit(
        &repo,
        "2026-06-01 09:00",
        &format!("Propose {std}\n\nChange: {std}"),
    );
    repo.write("certs/site.pem", "renewed\n");
    commit(
        &repo,
        "2026-06-01 09:10",
        &format!("Renew the certificate\n\nChange: {std}"),
    );

    // A medium change (score 8): two peers and the manager (§4.4).
    let medium = propose(
        &repo,
        "2026-06-01 09:30",
        "normal",
        "Add asset_owner",
        MEDIUM,
    );
    assert_eq!(shown(&repo, &medium, "Risk"), "medium (derived)");
    assert_eq!(
        shown(&repo, &medium, "Approvals"),
        "needed: peer-reviewer, second-reviewer, manager"
    );
    approve(&repo, "2026-06-01 11:00", PAT, &medium, "peer-reviewer");
    approve(&repo, "2026-06-01 13:00", QUINN, &medium, "second-reviewer");
    approve(&repo, "2026-06-02 09:00", MIA, &medium, "manager");
    repo.write("src/assets/owner.rs", "pub struct Owner;\n");
    commit(
        &repo,
        "2026-06-02 10:00",
        &format!("Add the asset_owner column\n\nChange: {medium}"),
    );

    // A high change (score 12): + security and the CAB; worked on a branch, merged once approved.
    let high = propose(
        &repo,
        "2026-06-01 10:00",
        "normal",
        "Move assets to the new cluster",
        HIGH,
    );
    repo.git(&["checkout", "-q", "-b", "cluster"]);
    repo.write("infra/cluster.tf", "cluster = \"new\"\n");
    commit(
        &repo,
        "2026-06-01 15:00",
        &format!("Move to the new cluster\n\nChange: {high}"),
    );
    repo.git(&["checkout", "-q", "main"]);
    for (who, role) in [
        (PAT, "peer-reviewer"),
        (QUINN, "second-reviewer"),
        (MIA, "manager"),
        (SID, "security"),
        (ELI, "cab"),
    ] {
        approve(&repo, "2026-06-02 11:00", who, &high, role);
    }
    assert_eq!(shown(&repo, &high, "Status"), "approved");
    repo.merge_at(
        &et("2026-06-02 15:00"),
        "cluster",
        &format!("Merge branch 'cluster'\n\nChange: {high}"),
    );

    // Tuesday's window (§9.1): the standard change and the high one.
    step(&repo, "2026-06-02 06:05", RITA, &["start", &std]);
    step(
        &repo,
        "2026-06-02 06:10",
        RITA,
        &["deploy", &std, "--env", "production", "--ref", "v2.3.0"],
    );
    step(
        &repo,
        "2026-06-02 06:40",
        RITA,
        &["verify", &std, "--note", "Certificate served"],
    );
    step(&repo, "2026-06-02 06:45", ADA, &["close", &std]);

    // The medium change goes Thursday, medium's last window of the week; the CAB's
    // calendar holds it (§5.3 "Coordinate scheduling").
    step(
        &repo,
        "2026-06-02 12:00",
        RITA,
        &["schedule", &medium, "--start", "2026-06-04 06:30"],
    );
    step(&repo, "2026-06-03 06:00", RITA, &["start", &high]);
    staged(&repo, "2026-06-03 06:10", &high);
    step(
        &repo,
        "2026-06-03 06:30",
        RITA,
        &["deploy", &high, "--env", "production", "--ref", "v2.4.0"],
    );
    step(
        &repo,
        "2026-06-03 07:15",
        RITA,
        &[
            "verify",
            &high,
            "--note",
            "Health checks green for 30 minutes",
        ],
    );
    step(
        &repo,
        "2026-06-03 12:00",
        ADA,
        &[
            "review",
            &high,
            "--outcome",
            "achieved",
            "--lessons",
            "Warm the cache first",
        ],
    );
    step(&repo, "2026-06-03 12:05", ADA, &["close", &high]);

    step(&repo, "2026-06-04 06:20", RITA, &["start", &medium]);
    staged(&repo, "2026-06-04 06:25", &medium);
    step(
        &repo,
        "2026-06-04 06:30",
        RITA,
        &["deploy", &medium, "--env", "production", "--ref", "v2.5.0"],
    );
    step(
        &repo,
        "2026-06-04 07:10",
        RITA,
        &["verify", &medium, "--note", "Error rate flat"],
    );
    step(
        &repo,
        "2026-06-04 12:00",
        ADA,
        &[
            "review",
            &medium,
            "--outcome",
            "achieved",
            "--lessons",
            "none",
        ],
    );
    step(&repo, "2026-06-04 12:05", ADA, &["close", &medium]);

    // §9.3 "Update change ticket": the deployment and every move are on record, with who.
    let shown_json: Value = serde_json::from_str(&stdout_of(
        &mut repo.chg(&["show", &medium, "--format", "json"]),
    ))
    .unwrap();
    // Test and staging first (§8.2), then production.
    assert_eq!(shown_json["deployments"][2]["by"], "rita@example.com");
    assert_eq!(shown_json["deployments"][2]["ref"], "v2.5.0");
    let moves: Vec<&str> = shown_json["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        moves,
        [
            "submitted",
            "approved",
            "scheduled",
            "implementing",
            "deployed",
            "verified",
            "closed"
        ]
    );

    // §6: a Saturday emergency, fixed at night, approved by the on-call manager and
    // on-call security within 24 hours, root cause the same day, CAB review Wednesday.
    let fix = emergency(&repo, "2026-06-06 02:00", "Patch the login bypass", None);
    repo.write("src/login.rs", "fn check() { strict() }\n");
    commit(
        &repo,
        "2026-06-06 02:20",
        &format!("Fix the login bypass\n\nChange: {fix}"),
    );
    deployed_and_verified(&repo, &fix, "2026-06-06 02:30", "2026-06-06 03:30");
    approve(&repo, "2026-06-06 08:00", OTTO, &fix, "manager");
    approve(&repo, "2026-06-06 08:10", SOL, &fix, "security");
    retrospective(&repo, "2026-06-06 16:00", &fix);
    step(
        &repo,
        "2026-06-10 10:00",
        RITA,
        &[
            "review",
            &fix,
            "--outcome",
            "achieved",
            "--lessons",
            "Add a header test",
        ],
    );
    step(&repo, "2026-06-10 10:30", RITA, &["close", &fix]);

    let (code, stdout, _) = outcome(&mut chg(&repo, "2026-06-12 12:00", ADA, &["check"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("0 error(s), 0 warning(s); 5 record(s) checked"),
        "{stdout}"
    );
}

#[test]
fn score_factors_derive_the_risk_level() {
    let repo = adopt();
    // §3.3: 5-7 low, 8-11 medium, 12-15 high.
    for (factors, level) in [
        ([1, 1, 1, 1, 1], "low"),
        ([2, 2, 1, 1, 1], "low"),
        ([2, 2, 2, 1, 1], "medium"),
        ([3, 3, 2, 2, 1], "medium"),
        ([3, 3, 2, 2, 2], "high"),
        ([3, 3, 3, 3, 3], "high"),
    ] {
        let id = draft(&repo, "2026-06-01 09:00", "normal", "Scored", factors);
        assert_eq!(
            shown(&repo, &id, "Risk"),
            format!("{level} (derived)"),
            "{factors:?}"
        );
    }

    // Each factor is scored 1 to 3: the command refuses a 4, and chg check a 4 written by hand.
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 09:00",
            ADA,
            &[
                "new",
                "--no-input",
                "--title",
                "Too big",
                "--class",
                "normal",
                "--factor",
                "systems=4",
            ],
        ),
        2,
        "factors are scored 1 to 3",
    );
    let id = draft(&repo, "2026-06-01 09:00", "normal", "Hand scored", MEDIUM);
    repo.write(
        &record(&id),
        &replaced(
            &repo.read(&record(&id)),
            "    systems: 2\n",
            "    systems: 4\n",
        ),
    );
    let (code, findings) = check(&repo, "2026-06-01 10:00");
    assert_eq!(code, 1);
    assert_eq!(about(&findings, "R001", &id).len(), 1, "{findings:?}");

    // §4.2 "Risk level and factors": all five, or no submit.
    let partial = new_change(
        &repo,
        "2026-06-01 09:00",
        &[
            "--title",
            "Four factors",
            "--class",
            "normal",
            "--factor",
            "systems=1",
            "--factor",
            "users=1",
            "--factor",
            "data=1",
            "--factor",
            "reversibility=1",
        ],
    );
    let stderr = refused(
        &repo,
        chg(&repo, "2026-06-01 09:00", ADA, &["submit", &partial]),
        1,
        "cannot be submitted",
    );
    assert!(lacks(&stderr).contains(&"risk".to_string()), "{stderr}");

    // A declared level other than the derived one needs a justification (R006).
    let declared = draft(&repo, "2026-06-01 09:00", "normal", "Declared low", MEDIUM);
    edit(&repo, "2026-06-01 09:00", ADA, &declared, |y| {
        replaced(y, "risk:\n", "risk:\n  level: low\n")
    });
    refused(
        &repo,
        chg(&repo, "2026-06-01 09:00", ADA, &["submit", &declared]),
        1,
        "risk.justification (risk.level says low, the policy derives medium)",
    );
    move_by_hand(
        &repo,
        &declared,
        "draft",
        "submitted",
        &et("2026-06-01 09:05"),
    );
    let (_, findings) = check(&repo, "2026-06-01 10:00");
    assert_eq!(about(&findings, "R006", &declared).len(), 1, "{findings:?}");
    edit(&repo, "2026-06-01 09:10", ADA, &declared, |y| {
        replaced(
            y,
            "  level: low\n",
            "  level: low\n  justification: only a column is added\n",
        )
    });
    let (_, findings) = check(&repo, "2026-06-01 10:00");
    assert!(
        about(&findings, "R006", &declared).is_empty(),
        "{findings:?}"
    );
}

#[test]
fn the_approval_matrix_adds_approvers_per_risk_level() {
    let repo = adopt();
    let at = "2026-06-01 09:00";
    let low = propose(&repo, at, "normal", "Rename a field", LOW);
    let medium = propose(&repo, at, "normal", "Add asset_owner", MEDIUM);
    let high = propose(&repo, at, "normal", "Move assets", HIGH);
    // Which 12-15 change is critical is the assessor's call (§3.2): declared, justified.
    let critical = draft(&repo, at, "normal", "Migrate every asset", [3, 3, 3, 2, 2]);
    edit(&repo, at, ADA, &critical, |y| {
        replaced(
            y,
            "risk:\n",
            "risk:\n  level: critical\n  justification: data migration of every asset\n",
        )
    });
    run(&repo, at, ADA, &["submit", &critical]);
    commit(
        &repo,
        at,
        &format!("Propose {critical}\n\nChange: {critical}"),
    );
    let peers = "peer-reviewer, second-reviewer";
    for (id, needed) in [
        (&low, peers.to_string()),
        (&medium, format!("{peers}, manager")),
        (&high, format!("{peers}, manager, security, cab")),
        (&critical, format!("{peers}, manager, security, cab, cto")),
    ] {
        assert_eq!(shown(&repo, id, "Approvals"), format!("needed: {needed}"));
    }

    // The medium change with its two peers only is not approved: it cannot start...
    approve(&repo, "2026-06-01 10:00", PAT, &medium, "peer-reviewer");
    approve(&repo, "2026-06-01 10:00", QUINN, &medium, "second-reviewer");
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:05", ADA, &["start", &medium]),
        1,
        "cannot be started: it still needs approval from manager",
    );
    // ...and marked approved by hand, chg check finds the manager missing (P001).
    move_by_hand(
        &repo,
        &medium,
        "submitted",
        "approved",
        &et("2026-06-01 10:05"),
    );
    commit(
        &repo,
        "2026-06-01 10:05",
        &format!("Approve {medium}\n\nChange: {medium}"),
    );

    // The critical change needs the CTO after everyone else.
    for (who, role) in [
        (PAT, "peer-reviewer"),
        (QUINN, "second-reviewer"),
        (MIA, "manager"),
        (SID, "security"),
        (ELI, "cab"),
    ] {
        approve(&repo, "2026-06-01 11:00", who, &critical, role);
    }
    assert_eq!(shown(&repo, &critical, "Status"), "submitted");
    approve(&repo, "2026-06-01 11:30", CORA, &critical, "cto");
    assert_eq!(shown(&repo, &critical, "Status"), "approved");

    let (code, findings) = check(&repo, "2026-06-01 12:00");
    assert_eq!(code, 1);
    let p001 = of(&findings, "P001");
    assert_eq!(p001.len(), 1, "{findings:?}");
    assert_eq!(p001[0].record.as_deref(), Some(medium.as_str()));
    assert!(p001[0].message.contains("manager"), "{findings:?}");
}

#[test]
fn two_reviewers_are_two_people_and_neither_is_the_author() {
    let repo = adopt();
    let id = propose(
        &repo,
        "2026-06-01 09:00",
        "normal",
        "Tidy the asset list",
        LOW,
    );
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 10:00",
            ADA,
            &["approve", &id, "--role", "peer-reviewer"],
        ),
        1,
        "under separation of duties someone else must approve it",
    );
    approve(&repo, "2026-06-01 10:00", PAT, &id, "peer-reviewer");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-01 10:05",
            PAT,
            &["approve", &id, "--role", "second-reviewer"],
        ),
        1,
        "the policy asks for a different person in each role",
    );
    assert_eq!(shown(&repo, &id, "Status"), "submitted");
    approve(&repo, "2026-06-01 10:10", QUINN, &id, "second-reviewer");
    assert_eq!(shown(&repo, &id, "Status"), "approved");
}

#[test]
fn a_change_request_is_complete_before_review() {
    let repo = adopt();
    let at = "2026-06-01 09:00";
    let id = new_change(
        &repo,
        at,
        &["--title", "Add asset_owner", "--class", "normal"],
    );
    let stderr = refused(
        &repo,
        chg(&repo, at, ADA, &["submit", &id]),
        1,
        "cannot be submitted; it lacks:",
    );
    // §4.2: every required field but the title (always there) and the owner (the creator).
    let expected = [
        "description",
        "rationale",
        "risk",
        "impact.systems",
        "impact.users",
        "test_plan",
        "rollback.plan",
        "implementation_plan",
        "schedule",
    ]
    .map(String::from);
    assert_eq!(lacks(&stderr), expected, "{stderr}");
    assert!(
        stderr.contains("a change without a rollback plan is rejected"),
        "{stderr}"
    );

    // Moved on by hand, chg check reports the same gaps (R004) and the rollback plan (R005).
    move_by_hand(&repo, &id, "draft", "submitted", &et("2026-06-01 09:05"));
    commit(&repo, at, &format!("Propose {id}\n\nChange: {id}"));
    let complete = propose(&repo, at, "normal", "Complete", LOW);
    let (code, findings) = check(&repo, "2026-06-01 10:00");
    assert_eq!(code, 1);
    let r004: String = about(&findings, "R004", &id)
        .iter()
        .map(|f| f.message.clone())
        .collect();
    for field in [
        "description",
        "rationale",
        "impact.systems",
        "implementation_plan",
        "schedule",
    ] {
        assert!(r004.contains(field), "{field}: {findings:?}");
    }
    assert_eq!(about(&findings, "R005", &id).len(), 1, "{findings:?}");
    assert!(
        about(&findings, "R004", &complete).is_empty(),
        "{findings:?}"
    );
}

#[test]
fn approvals_past_their_sla_are_reported() {
    let repo = adopt();
    // Monday 09:00: a medium change (2 business days) and a high one (3).
    let late = propose(&repo, "2026-06-01 09:00", "normal", "Approved late", MEDIUM);
    let waiting = propose(&repo, "2026-06-01 09:00", "normal", "Never approved", HIGH);
    approve(&repo, "2026-06-01 10:00", PAT, &late, "peer-reviewer");
    approve(&repo, "2026-06-01 10:00", QUINN, &late, "second-reviewer");
    approve(&repo, "2026-06-04 10:00", MIA, &late, "manager");
    // Low (1 business day), submitted Friday afternoon and approved Monday morning: in time.
    let weekend = propose(&repo, "2026-06-05 16:00", "normal", "Over the weekend", LOW);
    approve(&repo, "2026-06-08 10:00", PAT, &weekend, "peer-reviewer");
    approve(
        &repo,
        "2026-06-08 10:00",
        QUINN,
        &weekend,
        "second-reviewer",
    );

    let (code, findings) = check(&repo, "2026-06-08 12:00");
    assert_eq!(code, 0, "P006 is a warning: {findings:?}");
    let p006 = about(&findings, "P006", &late);
    assert_eq!(p006.len(), 1, "{findings:?}");
    assert_eq!(p006[0].severity, "warning");
    assert!(
        p006[0]
            .message
            .contains("was approved after its medium-risk SLA of 2bd (due 2026-06-03 09:00"),
        "{findings:?}"
    );
    let p006 = about(&findings, "P006", &waiting);
    assert!(
        p006.len() == 1
            && p006[0]
                .message
                .contains("is still waiting past its high-risk SLA of 3bd (due 2026-06-04 09:00"),
        "{findings:?}"
    );
    assert!(
        about(&findings, "P006", &weekend).is_empty(),
        "{findings:?}"
    );
}

#[test]
fn deployment_windows_follow_the_weekday_and_the_risk() {
    let repo = adopt();
    let medium = started(&repo, "2026-06-05 09:00", "Medium", MEDIUM);
    let high = started(&repo, "2026-06-05 09:00", "High", HIGH);
    let low = started(&repo, "2026-06-05 09:00", "Low", LOW);
    let deploy =
        |when: &str, id: &str| chg(&repo, when, RITA, &["deploy", id, "--env", "production"]);

    // Monday 6-10 ET: medium and low only.
    refused(
        &repo,
        deploy("2026-06-08 07:00", &high),
        1,
        "Mon 2026-06-08 07:00 America/New_York is outside the deployment windows for high-risk \
         changes; the next opens Tue 2026-06-09 06:00 America/New_York",
    );
    deploy("2026-06-08 07:00", &medium).assert().success();
    // Tuesday: every risk, until 10:00.
    refused(
        &repo,
        deploy("2026-06-09 10:30", &high),
        1,
        "the next opens Wed 2026-06-10 06:00 America/New_York",
    );
    deploy("2026-06-09 09:55", &high).assert().success();
    // Friday: nothing but emergencies.
    refused(
        &repo,
        deploy("2026-06-12 07:00", &low),
        1,
        "Fri 2026-06-12 07:00 America/New_York is outside the deployment windows for low-risk \
         changes; the next opens Mon 2026-06-15 06:00 America/New_York",
    );
    // Planning keeps to the same windows.
    let planned = propose(&repo, "2026-06-05 09:00", "normal", "Planned", LOW);
    approve(&repo, "2026-06-05 10:00", PAT, &planned, "peer-reviewer");
    approve(
        &repo,
        "2026-06-05 10:00",
        QUINN,
        &planned,
        "second-reviewer",
    );
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-05 11:00",
            RITA,
            &["schedule", &planned, "--start", "2026-06-13 07:00"],
        ),
        1,
        "cannot be scheduled then",
    );
    run(
        &repo,
        "2026-06-05 11:00",
        RITA,
        &["schedule", &planned, "--start", "2026-06-11 07:00"],
    );
    // Weekend: emergency only.
    let fix = emergency(&repo, "2026-06-13 01:00", "Patch the login bypass", None);
    deploy("2026-06-13 01:30", &fix).assert().success();
    commit(
        &repo,
        "2026-06-13 01:30",
        &format!("Deploy {medium}, {high}, {fix}\n\nChange: {fix}"),
    );

    // A deployment written into the record by hand, Thursday after 10:00: F003.
    let item = "- environment: production\n  at: 2026-06-11T11:00:00-04:00\n  by: rita@example.com\n  outcome: success\n";
    repo.write(
        &record(&medium),
        &push_item(&repo.read(&record(&medium)), "deployments", item),
    );
    commit(
        &repo,
        "2026-06-13 02:00",
        &format!("Record a deployment\n\nChange: {medium}"),
    );
    let (code, findings) = check(&repo, "2026-06-13 12:00");
    assert_eq!(code, 1);
    let f003 = of(&findings, "F003");
    assert_eq!(f003.len(), 1, "{findings:?}");
    assert_eq!(f003[0].record.as_deref(), Some(medium.as_str()));
    assert!(
        f003[0].message.contains("Thu 2026-06-11 11:00"),
        "{findings:?}"
    );
}

/// The `ends:` line of a freeze file set to `ends`.
fn freeze_ending(yaml: &str, ends: &str) -> String {
    yaml.lines()
        .map(|l| {
            if l.starts_with("ends:") {
                format!("ends: {ends}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn freezes_hold_changes_but_not_emergencies() {
    let repo = adopt();
    let id = started(&repo, "2026-06-22 09:00", "Billing export", MEDIUM);
    let later = started(&repo, "2026-06-22 09:00", "Billing report", MEDIUM);
    let declare = |who: Who, from: &str, until: &str| {
        chg(
            &repo,
            "2026-06-22 10:00",
            who,
            &[
                "freeze",
                "start",
                "--reason",
                "Month-end billing",
                "--from",
                from,
                "--until",
                until,
            ],
        )
    };
    // §9.2 freezes are the release manager's, and time-bound (the preset: 30 days).
    refused(
        &repo,
        declare(ADA, "2026-06-29", "2026-07-02"),
        1,
        "only members of the release-manager role may declare a freeze",
    );
    refused(
        &repo,
        declare(RITA, "2026-08-01", "2026-09-15"),
        1,
        "a freeze may last at most",
    );
    let frz = stdout_of(&mut declare(RITA, "2026-06-29", "2026-07-02"))
        .trim()
        .to_string();
    assert_eq!(frz, "FRZ-2026-0001");
    commit(
        &repo,
        "2026-06-22 10:00",
        &format!("Declare {frz}\n\nChange: CHG-2026-0001"),
    );

    // Tuesday 30 June 07:00 is in Tuesday's window, and in the freeze.
    refused(
        &repo,
        chg(&repo, "2026-06-30 07:00", RITA, &["deploy", &id, "--env", "production"]),
        1,
        "FRZ-2026-0001 freezes changes until Thu 2026-07-02 00:00 America/New_York (Month-end billing)",
    );
    // Emergencies still go.
    let fix = emergency(&repo, "2026-06-30 06:00", "Fix double billing", None);
    run(
        &repo,
        "2026-06-30 06:30",
        RITA,
        &["deploy", &fix, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-30 06:30",
        &format!("Deploy {fix}\n\nChange: {fix}"),
    );
    // Work committed in the freeze for a normal change (F001), and a deployment written
    // by hand inside it (F002).
    repo.write("src/billing.rs", "fn export() {}\n");
    commit(
        &repo,
        "2026-06-30 08:00",
        &format!("Export invoices\n\nChange: {id}"),
    );
    let work = repo.git(&["rev-parse", "HEAD"]);
    // (Already deployed to test and staging: only the production entry is added.)
    let item = "- environment: production\n  at: 2026-06-30T08:30:00-04:00\n  by: rita@example.com\n  outcome: success\n";
    repo.write(
        &record(&id),
        &push_item(&repo.read(&record(&id)), "deployments", item),
    );
    commit(
        &repo,
        "2026-06-30 08:30",
        &format!("Record the deployment of {id}\n\nChange: {id}"),
    );
    // After the freeze, Thursday's window is open again.
    run(
        &repo,
        "2026-07-02 07:00",
        RITA,
        &["deploy", &later, "--env", "production"],
    );
    commit(
        &repo,
        "2026-07-02 07:00",
        &format!("Deploy {later}\n\nChange: {later}"),
    );

    let (code, findings) = check(&repo, "2026-07-02 12:00");
    assert_eq!(code, 1);
    // The work commit and the commit recording the deployment both name the change.
    let f001 = of(&findings, "F001");
    assert_eq!(f001.len(), 2, "{findings:?}");
    assert!(
        f001.iter().any(|f| f.message.starts_with(&work[..10])),
        "{findings:?}"
    );
    assert!(
        f001.iter()
            .all(|f| f.message.contains("during FRZ-2026-0001")),
        "{findings:?}"
    );
    let f002 = of(&findings, "F002");
    assert!(
        f002.len() == 1 && f002[0].record.as_deref() == Some(id.as_str()),
        "{findings:?}"
    );
    assert!(of(&findings, "F004").is_empty(), "{findings:?}");

    // A freeze stretched by hand past 30 days: F004.
    let path = ".changes/freezes/FRZ-2026-0001.yaml";
    repo.write(
        path,
        &freeze_ending(&repo.read(path), "2026-08-15T00:00:00-04:00"),
    );
    let (_, findings) = check(&repo, "2026-07-02 12:00");
    assert_eq!(of(&findings, "F004").len(), 1, "{findings:?}");
}

#[test]
fn emergency_approval_and_root_cause_are_due_within_24_hours() {
    let repo = adopt();
    // Saturday 02:00: started and deployed at once, outside the windows and before any
    // approval (§3.1 "Post-hoc approval", §9.1 "Weekend: Emergency only").
    let late = emergency(&repo, "2026-06-06 02:00", "Patch the login bypass", None);
    run(
        &repo,
        "2026-06-06 02:30",
        ADA,
        &["deploy", &late, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-06 02:30",
        &format!("Deploy {late}\n\nChange: {late}"),
    );
    let (_, findings) = check(&repo, "2026-06-06 20:00");
    assert!(of(&findings, "L002").is_empty(), "{findings:?}");
    let (code, findings) = check(&repo, "2026-06-07 03:00");
    assert_eq!(code, 1);
    let l002: Vec<&str> = about(&findings, "L002", &late)
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(l002.len(), 2, "{findings:?}");
    assert!(
        l002.iter()
            .any(|m| m.contains("approval by manager or cto, security was due within 1d")),
        "{l002:?}"
    );
    assert!(
        l002.iter()
            .any(|m| m.contains("root cause and preventive action were due within 1d")),
        "{l002:?}"
    );

    // Approved and analysed on Sunday morning: late, and still reported.
    approve(&repo, "2026-06-07 09:00", OTTO, &late, "manager");
    approve(&repo, "2026-06-07 09:05", SOL, &late, "security");
    retrospective(&repo, "2026-06-07 10:00", &late);
    // Another emergency the same night, approved and analysed in time.
    let prompt = emergency(&repo, "2026-06-06 03:00", "Rotate the leaked key", None);
    run(
        &repo,
        "2026-06-06 03:30",
        ADA,
        &["deploy", &prompt, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-06 03:30",
        &format!("Deploy {prompt}\n\nChange: {prompt}"),
    );
    approve(&repo, "2026-06-06 09:00", OTTO, &prompt, "manager");
    approve(&repo, "2026-06-06 09:00", SOL, &prompt, "security");
    retrospective(&repo, "2026-06-06 15:00", &prompt);

    let (_, findings) = check(&repo, "2026-06-07 12:00");
    let l002: Vec<&str> = about(&findings, "L002", &late)
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(l002.len(), 2, "{findings:?}");
    assert!(
        l002.iter().all(|m| m.contains("after the 1d deadline")),
        "{l002:?}"
    );
    assert!(about(&findings, "L002", &prompt).is_empty(), "{findings:?}");
}

#[test]
fn the_emergency_change_is_documented_within_24_hours() {
    // §6.4 "Within 24 hours: Document the emergency change". Saturday 02:00: two fixes go
    // in on branches of their own, each naming the change its record will be; each record
    // comes after its fix, and L006 counts from the fix's commit.
    let repo = adopt();
    for (branch, id) in [("fix-login", "CHG-2026-0002"), ("fix-key", "CHG-2026-0003")] {
        let message = format!("Hotfix\n\nChange: {id}");
        repo.work_on_branch(branch, &et("2026-06-06 02:00"), &message);
    }
    let documented = |when: &str, title: &str, branch: &str| {
        let id = emergency(&repo, when, title, None);
        repo.merge_at(
            &et(when),
            branch,
            &format!("Merge {branch}\n\nChange: {id}"),
        );
        id
    };
    // Documented the same evening: in time.
    let prompt = documented("2026-06-06 20:00", "Patch the login bypass", "fix-login");
    assert_eq!(prompt, "CHG-2026-0002");
    let (code, findings) = check(&repo, "2026-06-06 21:00");
    assert_eq!(code, 0, "{findings:?}");
    // Documented on Sunday morning, 28 hours after its fix: late.
    let late = documented("2026-06-07 06:00", "Rotate the leaked key", "fix-key");
    let (code, findings) = check(&repo, "2026-06-07 07:00");
    assert_eq!(code, 1);
    let l006 = about(&findings, "L006", &late);
    assert!(
        l006.len() == 1
            && l006[0]
                .message
                .contains("more than 1d after work on the change began (commit "),
        "{findings:?}"
    );
    assert!(about(&findings, "L006", &prompt).is_empty(), "{findings:?}");
}

/// §6.3 "If unavailable: CTO or CISO": the CTO approves in the manager's stead (the
/// CISO is a member of `security`).
#[test]
fn the_cto_stands_in_for_an_unavailable_manager() {
    let repo = adopt();
    let fix = emergency(&repo, "2026-06-06 02:00", "Patch the gateway", None);
    approve(&repo, "2026-06-06 08:00", CORA, &fix, "cto");
    let show = || stdout_of(&mut repo.chg(&["show", &fix]));
    assert!(show().contains("needed: security\n"), "{}", show());
    approve(&repo, "2026-06-06 08:05", SID, &fix, "security");
    assert!(!show().contains("needed:"), "{}", show());
    let (_, findings) = check(&repo, "2026-06-08 12:00");
    let l002 = about(&findings, "L002", &fix);
    assert!(
        l002.iter().all(|f| !f.message.contains("approv")),
        "{l002:?}"
    );
}

#[test]
fn a_high_risk_emergency_is_presented_to_the_cab() {
    let repo = adopt();
    let plain = emergency(&repo, "2026-06-06 01:00", "Restart the queue", None);
    assert_eq!(
        shown(&repo, &plain, "Approvals"),
        "needed: manager or cto, security"
    );
    let fix = emergency(
        &repo,
        "2026-06-06 02:00",
        "Restore the corrupted index",
        Some(HIGH),
    );
    assert_eq!(
        shown(&repo, &fix, "Approvals"),
        "needed: manager or cto, security, cab"
    );
    run(
        &repo,
        "2026-06-06 02:30",
        ADA,
        &["deploy", &fix, "--env", "production"],
    );
    commit(
        &repo,
        "2026-06-06 02:30",
        &format!("Deploy {fix}\n\nChange: {fix}"),
    );
    approve(&repo, "2026-06-06 08:00", OTTO, &fix, "manager");
    approve(&repo, "2026-06-06 08:00", SOL, &fix, "security");
    retrospective(&repo, "2026-06-06 09:00", &fix);
    let (code, findings) = check(&repo, "2026-06-07 03:00");
    assert_eq!(code, 1);
    let l002 = about(&findings, "L002", &fix);
    assert!(
        l002.len() == 1
            && l002[0]
                .message
                .contains("approval by cab was due within 1d"),
        "{findings:?}"
    );
}

#[test]
fn the_post_change_review_is_due_within_a_week() {
    let repo = adopt();
    let fix = emergency(&repo, "2026-06-06 02:00", "Patch the login bypass", None);
    deployed_and_verified(&repo, &fix, "2026-06-06 02:30", "2026-06-06 03:30");
    approve(&repo, "2026-06-06 08:00", OTTO, &fix, "manager");
    approve(&repo, "2026-06-06 08:00", SOL, &fix, "security");
    retrospective(&repo, "2026-06-06 09:00", &fix);
    // §6.2: no close without the post-change review.
    refused(
        &repo,
        chg(&repo, "2026-06-07 10:00", ADA, &["close", &fix]),
        1,
        "need a post-implementation review first",
    );
    // Due at the weekly CAB, within 7 days of the deployment (L003).
    let (_, findings) = check(&repo, "2026-06-13 02:00");
    assert!(of(&findings, "L003").is_empty(), "{findings:?}");
    let (code, findings) = check(&repo, "2026-06-13 03:00");
    assert_eq!(code, 1);
    let l003 = about(&findings, "L003", &fix);
    assert!(
        l003.len() == 1 && l003[0].message.contains("was due within 1w of deployment"),
        "{findings:?}"
    );
    // Reviewed a CAB later, it is reported as late.
    run(
        &repo,
        "2026-06-17 10:00",
        RITA,
        &["review", &fix, "--outcome", "achieved"],
    );
    run(&repo, "2026-06-17 10:30", RITA, &["close", &fix]);
    commit(
        &repo,
        "2026-06-17 10:30",
        &format!("Close {fix}\n\nChange: {fix}"),
    );
    let (_, findings) = check(&repo, "2026-06-17 12:00");
    let l003 = about(&findings, "L003", &fix);
    assert!(
        l003.len() == 1 && l003[0].message.contains("came after the 1w deadline"),
        "{findings:?}"
    );

    // §4.1 Close "Document results": a normal change too.
    let id = started(&repo, "2026-06-08 09:00", "Add an index", LOW);
    run(
        &repo,
        "2026-06-09 07:00",
        RITA,
        &["deploy", &id, "--env", "production"],
    );
    run(&repo, "2026-06-09 08:00", RITA, &["verify", &id]);
    refused(
        &repo,
        chg(&repo, "2026-06-09 09:00", ADA, &["close", &id]),
        1,
        "need a post-implementation review first",
    );
    move_by_hand(&repo, &id, "verified", "closed", &et("2026-06-09 09:00"));
    commit(
        &repo,
        "2026-06-09 09:00",
        &format!("Close {id}\n\nChange: {id}"),
    );
    let (_, findings) = check(&repo, "2026-06-17 12:00");
    let l003 = about(&findings, "L003", &id);
    assert!(
        l003.len() == 1
            && l003[0]
                .message
                .contains("closed without the required post-implementation review"),
        "{findings:?}"
    );
}

#[test]
fn only_cab_members_approve_for_the_cab() {
    let repo = adopt();
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Move assets", HIGH);
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:00", QUINN, &["approve", &id, "--role", "cab"]),
        1,
        "you (quinn@example.com) are not a member of cab; its members: rita@example.com, eli@example.com",
    );
    // Quinn adds himself to the CAB and approves in one commit: chg approve reads the
    // working tree, chg check the policy as it stood before that commit (P002).
    repo.write(
        ".changes.toml",
        &replaced(
            &repo.read(".changes.toml"),
            r#"cab = ["rita@example.com", "eli@example.com"]"#,
            r#"cab = ["rita@example.com", "eli@example.com", "quinn@example.com"]"#,
        ),
    );
    run(
        &repo,
        "2026-06-01 10:00",
        QUINN,
        &["approve", &id, "--role", "cab"],
    );
    repo.commit_all_as(
        &et("2026-06-01 10:00"),
        QUINN,
        &format!("Approve {id} as cab\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 11:00");
    assert_eq!(code, 1);
    let p002 = about(&findings, "P002", &id);
    assert!(
        p002.len() == 1
            && p002[0]
                .message
                .contains("quinn@example.com approved as cab in"),
        "{findings:?}"
    );
}

#[test]
fn the_cab_approves_changes_to_the_windows() {
    let repo = adopt();
    let open_friday = |policy: &str, max: &str| {
        replaced(
            policy,
            "friday = []",
            &format!(r#"friday = [{{ from = "06:00", to = "10:00", max_risk = "{max}" }}]"#),
        )
    };
    // Under a normal change: H003.
    let normal = propose(
        &repo,
        "2026-06-01 09:00",
        "normal",
        "Open Friday mornings",
        LOW,
    );
    approve(&repo, "2026-06-01 10:00", PAT, &normal, "peer-reviewer");
    approve(&repo, "2026-06-01 10:00", QUINN, &normal, "second-reviewer");
    let before = repo.read(".changes.toml");
    repo.write(".changes.toml", &open_friday(&before, "low"));
    commit(
        &repo,
        "2026-06-01 11:00",
        &format!("Open Friday mornings\n\nChange: {normal}"),
    );
    let sneaked = repo.git(&["rev-parse", "HEAD"]);
    // Under a major change the CAB approved: in order.
    let major = propose(
        &repo,
        "2026-06-01 12:00",
        "major",
        "Open Friday mornings",
        LOW,
    );
    approve(&repo, "2026-06-01 13:00", PAT, &major, "peer-reviewer");
    approve(&repo, "2026-06-01 13:00", QUINN, &major, "second-reviewer");
    approve(&repo, "2026-06-03 10:00", RITA, &major, "cab");
    repo.write(".changes.toml", &open_friday(&before, "medium"));
    commit(
        &repo,
        "2026-06-03 11:00",
        &format!("Open Friday mornings to medium\n\nChange: {major}"),
    );

    let (code, findings) = check(&repo, "2026-06-03 12:00");
    assert_eq!(code, 1);
    let h003 = of(&findings, "H003");
    assert_eq!(h003.len(), 1, "{findings:?}");
    assert!(h003[0].message.starts_with(&sneaked[..10]), "{findings:?}");
    assert!(
        h003[0].message.contains("names no major or higher change"),
        "{findings:?}"
    );
}

#[test]
fn a_window_changes_only_once_the_cab_has_approved_it() {
    // §5.3 "CAB approves deployment windows": the windows are in the policy, and a
    // commit editing the policy names a major change approved in that very commit's
    // tree. Proposed and reviewed by the peers but not yet by the CAB, it is reported.
    let repo = adopt();
    let before = repo.read(".changes.toml");
    let open_friday = |max: &str| {
        replaced(
            &before,
            "friday = []",
            &format!(r#"friday = [{{ from = "06:00", to = "10:00", max_risk = "{max}" }}]"#),
        )
    };
    let major = propose(
        &repo,
        "2026-06-01 09:00",
        "major",
        "Open Friday mornings",
        LOW,
    );
    approve(&repo, "2026-06-01 10:00", PAT, &major, "peer-reviewer");
    approve(&repo, "2026-06-01 10:00", QUINN, &major, "second-reviewer");
    repo.write(".changes.toml", &open_friday("low"));
    commit(
        &repo,
        "2026-06-01 11:00",
        &format!("Open Friday mornings\n\nChange: {major}"),
    );
    let early = repo.git(&["rev-parse", "HEAD"]);
    let (code, findings) = check(&repo, "2026-06-01 12:00");
    assert_eq!(code, 1);
    let h008 = of(&findings, "H008");
    assert!(
        h008.len() == 1 && h008[0].message.starts_with(&early[..10]),
        "{findings:?}"
    );

    // The CAB approves; the next edit of the windows is in order.
    approve(&repo, "2026-06-01 13:00", RITA, &major, "cab");
    repo.write(".changes.toml", &open_friday("medium"));
    commit(
        &repo,
        "2026-06-01 14:00",
        &format!("Open Friday mornings to medium\n\nChange: {major}"),
    );
    let (_, findings) = check(&repo, "2026-06-01 15:00");
    let h008 = of(&findings, "H008");
    assert!(
        h008.len() == 1 && h008[0].message.starts_with(&early[..10]),
        "{findings:?}"
    );
    assert!(findings.iter().all(|f| f.rule == "H008"), "{findings:?}");
}

#[test]
fn every_commit_names_a_change_except_content() {
    // §2.2 "Content changes (non-code)" are excluded: the team names its content paths.
    let repo = adopt_with(|p| replaced(&p, "exempt = []", r#"exempt = ["content/**"]"#));
    let hook = |message: &str| {
        std::fs::write(repo.path().join(".git/MSG"), message).unwrap();
        outcome(&mut chg(
            &repo,
            "2026-06-01 10:00",
            ADA,
            &["hook", "run", "commit-msg", ".git/MSG"],
        ))
    };
    repo.write("content/faq.md", "Fixed a typo\n");
    repo.git(&["add", "content/faq.md"]);
    let (code, stdout, stderr) = hook("Fix a typo in the FAQ\n");
    assert_eq!(code, 0, "{stdout}{stderr}");
    commit(&repo, "2026-06-01 10:00", "Fix a typo in the FAQ");

    // §2.1 code is covered: the commit-msg hook refuses it without a change...
    repo.write("src/app.rs", "fn main() {}\n");
    repo.git(&["add", "src/app.rs"]);
    let (code, stdout, stderr) = hook("Tweak the app\n");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("H002 missing-change-reference"),
        "{stdout}{stderr}"
    );
    // ...and committed past the hook, chg check reports it.
    commit(&repo, "2026-06-01 10:05", "Tweak the app");
    let (code, findings) = check(&repo, "2026-06-01 11:00");
    assert_eq!(code, 1);
    let h002 = of(&findings, "H002");
    assert!(
        h002.len() == 1
            && h002[0]
                .message
                .contains("\"Tweak the app\" names no change"),
        "{findings:?}"
    );
}

#[test]
fn approval_comes_before_implementation() {
    let repo = adopt();
    let id = propose(
        &repo,
        "2026-06-01 09:00",
        "normal",
        "Add asset_owner",
        MEDIUM,
    );
    approve(&repo, "2026-06-01 10:00", PAT, &id, "peer-reviewer");
    for verb in ["start", "deploy"] {
        let mut args = vec![verb, id.as_str()];
        if verb == "deploy" {
            args.extend(["--env", "production"]);
        }
        refused(
            &repo,
            chg(&repo, "2026-06-02 07:00", RITA, &args),
            1,
            "it still needs approval from second-reviewer, manager",
        );
    }
    // Work landing on main before the approvals is caught (H004); work after them is not.
    repo.write("src/assets.rs", "v1\n");
    commit(
        &repo,
        "2026-06-01 10:30",
        &format!("Start on asset_owner\n\nChange: {id}"),
    );
    let early = repo.git(&["rev-parse", "HEAD"]);
    approve(&repo, "2026-06-01 11:00", QUINN, &id, "second-reviewer");
    approve(&repo, "2026-06-01 12:00", MIA, &id, "manager");
    repo.write("src/assets.rs", "v2\n");
    commit(
        &repo,
        "2026-06-01 13:00",
        &format!("Finish asset_owner\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 14:00");
    assert_eq!(code, 1);
    let h004 = of(&findings, "H004");
    assert_eq!(h004.len(), 1, "{findings:?}");
    assert!(h004[0].message.starts_with(&early[..10]), "{findings:?}");
    assert!(
        h004[0].message.contains(&format!("landed work for {id}")),
        "{findings:?}"
    );
    run(&repo, "2026-06-02 06:00", RITA, &["start", &id]);
}

#[test]
fn schema_migrations_need_a_normal_change_with_a_down_script() {
    let repo = adopt();
    let hook = |message: &str| {
        std::fs::write(repo.path().join(".git/MSG"), message).unwrap();
        outcome(&mut chg(
            &repo,
            "2026-06-01 10:00",
            ADA,
            &["hook", "run", "commit-msg", ".git/MSG"],
        ))
    };
    // A standard change may not touch migrations/ (§2.1 "Database schemas" are covered).
    let std = new_change(
        &repo,
        "2026-06-01 09:00",
        &[
            "--title",
            "Add an index",
            "--class",
            "standard",
            "--description",
            "Routine",
        ],
    );
    run(&repo, "2026-06-01 09:00", ADA, &["submit", &std]);
    commit(
        &repo,
        "2026-06-01 09:00",
        &format!("Propose {std}\n\nChange: {std}"),
    );
    repo.write(
        "migrations/0007_index.sql",
        "CREATE INDEX a ON assets(id);\n",
    );
    repo.git(&["add", "migrations"]);
    let (code, stdout, stderr) = hook(&format!("Add an index\n\nChange: {std}\n"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("H003 protected-path-class"),
        "{stdout}{stderr}"
    );
    commit(
        &repo,
        "2026-06-01 09:30",
        &format!("Add an index\n\nChange: {std}"),
    );

    // A normal change that names no down script may not either.
    let bare = propose(&repo, "2026-06-01 09:40", "normal", "Drop a column", LOW);
    approve(&repo, "2026-06-01 09:45", PAT, &bare, "peer-reviewer");
    approve(&repo, "2026-06-01 09:45", QUINN, &bare, "second-reviewer");
    repo.write(
        "migrations/0008_drop.sql",
        "ALTER TABLE assets DROP legacy;\n",
    );
    commit(
        &repo,
        "2026-06-01 09:50",
        &format!("Drop a column\n\nChange: {bare}"),
    );
    let dropped = repo.git(&["rev-parse", "HEAD"]);

    // §10.3 "Execute rollback scripts": the normal change names its down script, which
    // must be in the tree (R007).
    let id = draft(&repo, "2026-06-01 10:00", "normal", "Add asset_owner", LOW);
    edit(&repo, "2026-06-01 10:00", ADA, &id, |y| {
        replaced(
            y,
            "  plan: Revert the merge commit and redeploy\n",
            "  plan: Revert the merge commit and redeploy\n  artifacts:\n  - migrations/0009_down.sql\n",
        )
    });
    // §4.3 database changes are reviewed by a DBA: the change says it is one.
    run(
        &repo,
        "2026-06-01 10:00",
        ADA,
        &["assess", &id, "--impact-area", "database"],
    );
    run(&repo, "2026-06-01 10:00", ADA, &["submit", &id]);
    commit(
        &repo,
        "2026-06-01 10:00",
        &format!("Propose {id}\n\nChange: {id}"),
    );
    approve(&repo, "2026-06-01 11:00", PAT, &id, "peer-reviewer");
    approve(&repo, "2026-06-01 11:00", QUINN, &id, "second-reviewer");
    approve(&repo, "2026-06-01 11:00", DEE, &id, "dba");
    repo.write("migrations/0009_up.sql", "ALTER TABLE assets ADD owner;\n");
    commit(
        &repo,
        "2026-06-01 12:00",
        &format!("Add asset_owner\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-01 13:00");
    assert_eq!(code, 1);
    let h003 = of(&findings, "H003");
    assert_eq!(
        h003.len(),
        2,
        "the standard change's and the bare one's: {findings:?}"
    );
    assert!(
        h003.iter().any(|f| f.message.starts_with(&dropped[..10])
            && f.message
                .contains("normal or higher change with rollback.artifacts")),
        "{findings:?}"
    );
    assert_eq!(about(&findings, "R007", &id).len(), 1, "{findings:?}");
    repo.write(
        "migrations/0009_down.sql",
        "ALTER TABLE assets DROP owner;\n",
    );
    commit(
        &repo,
        "2026-06-01 12:30",
        &format!("Add the down script\n\nChange: {id}"),
    );
    let (_, findings) = check(&repo, "2026-06-01 13:00");
    assert!(about(&findings, "R007", &id).is_empty(), "{findings:?}");
}

#[test]
fn the_lifecycle_moves_in_order() {
    let repo = adopt();
    let id = propose(&repo, "2026-06-01 09:00", "normal", "Add asset_owner", LOW);
    refused(
        &repo,
        chg(&repo, "2026-06-01 10:00", ADA, &["close", &id]),
        1,
        "cannot move from submitted to closed; legal next states: assessed, approved, rejected, cancelled",
    );
    approve(&repo, "2026-06-01 10:00", PAT, &id, "peer-reviewer");
    approve(&repo, "2026-06-01 10:00", QUINN, &id, "second-reviewer");
    refused(
        &repo,
        chg(
            &repo,
            "2026-06-02 07:00",
            RITA,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "is approved: start it first",
    );
    // Skipping implementation by hand: L001.
    move_by_hand(&repo, &id, "approved", "deployed", &et("2026-06-02 07:00"));
    commit(
        &repo,
        "2026-06-02 07:00",
        &format!("Deploy {id}\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-06-02 08:00");
    assert_eq!(code, 1);
    assert_eq!(about(&findings, "L001", &id).len(), 1, "{findings:?}");
}

#[test]
fn security_database_and_infrastructure_changes_add_their_reviewer() {
    // §4.3: "Security-related: 2 (including security)", "Database changes: 2
    // (including DBA)", "Infrastructure: 2 (including ops)", whatever the risk.
    let repo = adopt();
    for (area, who, role) in [
        ("security", SID, "security"),
        ("database", DEE, "dba"),
        ("infrastructure", OLA, "ops"),
    ] {
        let id = draft(&repo, "2026-06-02 09:00", "normal", area, LOW);
        run(
            &repo,
            "2026-06-02 09:00",
            ADA,
            &["assess", &id, "--impact-area", area],
        );
        run(&repo, "2026-06-02 09:00", ADA, &["submit", &id]);
        commit(
            &repo,
            "2026-06-02 09:00",
            &format!("Propose {id}\n\nChange: {id}"),
        );
        approve(&repo, "2026-06-02 09:10", PAT, &id, "peer-reviewer");
        approve(&repo, "2026-06-02 09:10", QUINN, &id, "second-reviewer");
        refused(
            &repo,
            chg(&repo, "2026-06-02 09:20", RITA, &["start", &id]),
            1,
            &format!("it still needs approval from {role}"),
        );
        // Marked approved by hand without that reviewer: P001.
        let path = repo.record_path(&id);
        let forged = repo
            .read(&path)
            .replace("status: submitted", "status: approved");
        repo.write(&path, &forged);
        let (code, findings) = check(&repo, "2026-06-02 09:30");
        assert_eq!(code, 1);
        assert_eq!(about(&findings, "P001", &id).len(), 1, "{findings:?}");
        repo.git(&["checkout", "--", &path]);
        approve(&repo, "2026-06-02 09:30", who, &id, role);
        run(&repo, "2026-06-02 09:40", RITA, &["start", &id]);
    }
}

#[test]
fn the_end_of_every_month_is_frozen() {
    // §9.2 "End of month/quarter (billing)": the preset freezes the last three days
    // of every month, with no freeze declared; emergencies still go (§6.1).
    let repo = adopt();
    let id = started(&repo, "2026-07-01 09:00", "Invoice layout", LOW);
    let status = run(&repo, "2026-07-29 07:00", RITA, &["freeze", "status"]);
    let row = status
        .lines()
        .find(|l| l.contains("month-end (recurring)"))
        .unwrap_or_else(|| panic!("{status}"));
    for said in [
        "in force",
        "2026-07-29 00:00",
        "2026-08-01 00:00",
        "emergency",
        "Month-end billing",
    ] {
        assert!(row.contains(said), "{said:?} not in {row}");
    }
    // Wednesday 29 July, 07:00: in Wednesday's window, and in the freeze.
    let deploy = ["deploy", id.as_str(), "--env", "production"];
    let said = refused(
        &repo,
        chg(&repo, "2026-07-29 07:00", RITA, &deploy),
        1,
        "cannot be deployed then",
    );
    assert!(said.contains("the recurring month-end freeze (Month-end billing) freezes changes until Sat 2026-08-01 00:00 America/New_York"), "{said}");
    // Work committed in it for the normal change: F001.
    repo.write("src/invoice.rs", "fn layout() {}\n");
    commit(
        &repo,
        "2026-07-30 08:00",
        &format!("Lay out invoices\n\nChange: {id}"),
    );
    let (code, findings) = check(&repo, "2026-08-03 09:00");
    assert_eq!(code, 1);
    assert!(
        about(&findings, "F001", &id).iter().any(|f| f
            .message
            .contains("during the recurring month-end freeze (Month-end billing)")),
        "{findings:?}"
    );
    // Tuesday 4 August: August's window is open.
    run(&repo, "2026-08-04 07:00", RITA, &deploy);
}

/// §3.2, §8.1 testing by risk level; §8.2 Development → Test → Staging → Production;
/// §9.3 "Testing completed and documented", "Rollback plan verified" before deploying.
#[test]
fn testing_follows_the_risk_level_and_the_environments() {
    let repo = adopt();
    let deploy = |when: &str, id: &str, env: &str| {
        chg(
            &repo,
            when,
            RITA,
            &["deploy", id, "--env", env, "--ref", "v2.6.0"],
        )
    };
    let record_evidence = |when: &str, id: &str, kind: &str| {
        run(
            &repo,
            when,
            QUINN,
            &["evidence", id, "--kind", kind, "--note", "all green"],
        )
    };
    // Tuesday 2 June, in the 06:00-10:00 window for every level.
    let low = begun(&repo, "2026-06-01 09:00", "Fix a typo", LOW);
    refused(
        &repo,
        deploy("2026-06-02 06:30", &low, "production"),
        1,
        "its gate asks for evidence:unit-tests, evidence:rollback-verified\n",
    );
    let medium = begun(&repo, "2026-06-01 09:00", "Add asset_owner", MEDIUM);
    refused(
        &repo,
        deploy("2026-06-02 06:30", &medium, "production"),
        1,
        "its gate asks for evidence:unit-tests, evidence:rollback-verified, \
         evidence:integration-tests, deployed:staging\n",
    );
    refused(
        &repo,
        deploy("2026-06-02 06:30", &medium, "staging"),
        1,
        "its gate asks for deployed:test\n",
    );
    let high = begun(&repo, "2026-06-01 09:00", "Move the cluster", HIGH);
    refused(
        &repo,
        deploy("2026-06-02 06:30", &high, "production"),
        1,
        "evidence:integration-tests, deployed:staging, evidence:uat\n",
    );
    // Low risk: unit tests and the rollback check are enough.
    for kind in ["unit-tests", "rollback-verified"] {
        record_evidence("2026-06-02 06:35", &low, kind);
    }
    deploy("2026-06-02 06:40", &low, "production")
        .assert()
        .success();
    // Medium: integration tests, then test and staging before production.
    for kind in ["unit-tests", "rollback-verified", "integration-tests"] {
        record_evidence("2026-06-02 06:35", &medium, kind);
    }
    for env in ["test", "staging", "production"] {
        deploy("2026-06-02 06:45", &medium, env).assert().success();
    }
    commit(
        &repo,
        "2026-06-02 07:00",
        &format!("Deploy\n\nChange: {medium}"),
    );
    let (_, findings) = check(&repo, "2026-06-02 07:10");
    assert!(of(&findings, "L007").is_empty(), "{findings:?}");
    // The staging deployment rewritten by hand as another environment: production
    // went out without staging.
    let yaml = repo.read(&record(&medium));
    repo.write(
        &record(&medium),
        &replaced(&yaml, "- environment: staging\n", "- environment: qa\n"),
    );
    let (code, findings) = check(&repo, "2026-06-02 07:30");
    assert_eq!(code, 1);
    let l007 = about(&findings, "L007", &medium);
    assert!(
        l007.len() == 1
            && l007[0]
                .message
                .ends_with("lacked what its gate asks for: deployed:staging"),
        "{findings:?}"
    );
}

/// §10.4 "Rollback Documentation": a rolled-back change's review gives the steps taken,
/// how long they took, the impact, the root cause and the preventive measures, or the
/// change cannot close.
#[test]
fn a_rolled_back_change_documents_its_rollback_before_it_closes() {
    let repo = adopt();
    let id = started(&repo, "2026-06-09 06:00", "Add the column", LOW);
    step(
        &repo,
        "2026-06-09 06:30",
        RITA,
        &["deploy", &id, "--env", "production", "--ref", "v2.6.0"],
    );
    step(
        &repo,
        "2026-06-09 06:50",
        RITA,
        &["rollback", &id, "--reason", "Error rate doubled"],
    );
    let files = repo.snapshot();
    let (code, _, said) = outcome(&mut chg(
        &repo,
        "2026-06-09 12:00",
        ADA,
        &[
            "review",
            &id,
            "--outcome",
            "not-achieved",
            "--lessons",
            "Load-test first",
        ],
    ));
    assert_eq!(code, 1, "{said}");
    for flag in [
        "--steps",
        "--duration",
        "--impact",
        "--root-cause",
        "--preventive-measures",
    ] {
        assert!(said.contains(flag), "{flag}: {said}");
    }
    assert!(files == repo.snapshot(), "a refused review changed files");
    step(
        &repo,
        "2026-06-09 12:00",
        ADA,
        &[
            "review",
            &id,
            "--outcome",
            "not-achieved",
            "--lessons",
            "Load-test first",
            "--steps",
            "Redeployed v2.5.0; dropped the new column",
            "--duration",
            "20 minutes",
            "--impact",
            "Slow asset pages for EU users",
            "--root-cause",
            "A missing index on the new column",
            "--preventive-measures",
            "Index review in the migration checklist",
        ],
    );
    step(&repo, "2026-06-09 12:05", ADA, &["close", &id]);
    let (code, findings) = check(&repo, "2026-06-09 12:10");
    assert_eq!(code, 0, "{findings:?}");
}
