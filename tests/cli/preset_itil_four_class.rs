//! The `itil-four-class` preset (seed 000, "Change Management Protocol v1.0") end to
//! end: one scripted repository walks a normal, a major and an emergency change
//! through the seed's lifecycle with several people, and one test per enforceable
//! clause shows it kept and broken (docs/policies.md maps clause → key → rule).
//!
//! People (the preset's example addresses are replaced by these on adoption):
//! Ada writes every change; Lee is the engineering lead and the release manager; Pat
//! the product owner; Sam the security lead; Peg a peer; Ian the incident commander;
//! Cora the executive; Cleo compliance. All times are UTC, the preset's zone.

use crate::common::{findings_at as check, refused, replaced, stdout_of, Finding, TestRepo, Who};
use std::ffi::OsString;
use std::path::Path;

pub const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee Lead", "lee@example.com");
const PAT: Who = ("Pat Product", "pat@example.com");
const SAM: Who = ("Sam Security", "sam@example.com");
const PEG: Who = ("Peg Peer", "peg@example.com");
const IAN: Who = ("Ian Incident", "ian@example.com");
const CORA: Who = ("Cora Chief", "cora@example.com");
const CLEO: Who = ("Cleo Compliance", "cleo@example.com");

/// Monday: the preset is adopted with CHG-2026-0001, a standard change.
const ADOPTED: &str = "2026-03-02T09:00:00Z";
/// The day the proposals of the focused tests are made (Tuesday).
const DAY: &str = "2026-03-03";

/// `DAY` at `hh:mm` UTC.
fn on(hhmm: &str) -> String {
    day_at(DAY, hhmm)
}

/// `day` (YYYY-MM-DD) at `hh:mm` UTC.
fn day_at(day: &str, hhmm: &str) -> String {
    format!("{day}T{hhmm}:00Z")
}

/// `chg` as `who` at `when` (its clock and the dates of any commit it makes).
pub fn at(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> assert_cmd::Command {
    repo.chg_at(when, who.0, who.1, args)
}

/// Runs `chg` as `who` at `when`, asserts success, returns stdout.
pub fn run(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    stdout_of(&mut at(repo, when, who, args))
}

/// `who` runs `chg args` on the change `args[1]` at `when` and commits its record as
/// themself, naming the change: each move is committed by whoever made it.
pub fn step(repo: &TestRepo, when: &str, who: Who, args: &[&str]) -> String {
    let id = args[1];
    repo.chg_committed(
        when,
        who,
        args,
        &format!("{} {id}\n\nChange: {id}", args[0]),
    )
}

/// Rewrites one change record by hand (as a person with an editor would).
pub fn hand_edit(repo: &TestRepo, id: &str, from: &str, to: &str) {
    let path = format!(".changes/{id}.yaml");
    repo.write(&path, &replaced(&repo.read(&path), from, to));
}

/// Commits only the register (.changes/), authored and committed by `who`.
pub fn commit_register(repo: &TestRepo, when: &str, who: Who, message: &str) {
    repo.git_at(when, &["add", ".changes"]);
    repo.commit_staged_as(when, who, message);
}

/// `who` records gate evidence of each of `kinds` for `id` at `when` (`chg evidence`).
pub fn evidence(repo: &TestRepo, when: &str, who: Who, id: &str, kinds: &[&str]) {
    for kind in kinds {
        let reference = format!("https://ci.example.com/{id}/{kind}");
        run(
            repo,
            when,
            who,
            &["evidence", id, "--kind", kind, "--ref", &reference],
        );
    }
}

/// Closes a verified change `id` by hand at `when`, as someone bypassing `chg close`:
/// its status and the closing transition (the list just before `deployments`).
pub fn close_by_hand(repo: &TestRepo, id: &str, when: &str) {
    hand_edit(repo, id, "status: verified", "status: closed");
    hand_edit(
        repo,
        id,
        "deployments:\n",
        &format!(
            "- from: verified\n  to: closed\n  at: {when}\n  by: ada@example.com\ndeployments:\n"
        ),
    );
}

/// Writes `file` and commits everything as Ada: the work of change `id`.
pub fn land(repo: &TestRepo, when: &str, file: &str, id: &str) {
    repo.write(file, &format!("work of {id}\n"));
    repo.commit_all_at(when, &format!("Work on {id}\n\nChange: {id}"));
}

/// Asserts that `chg check` at `when` fails with `rule` about `record` (None: a
/// finding on a commit with no record) saying `needle`; returns every finding.
pub fn caught(
    repo: &TestRepo,
    when: &str,
    rule: &str,
    record: Option<&str>,
    needle: &str,
) -> Vec<Finding> {
    let (code, findings) = check(repo, when);
    assert_eq!(code, 1, "{findings:#?}");
    assert!(
        findings
            .iter()
            .any(|f| f.rule == rule && f.record.as_deref() == record && f.message.contains(needle)),
        "no {rule} on {record:?} saying {needle:?}: {findings:#?}"
    );
    findings
}

/// Asserts that `chg check` at `when` finds nothing at all.
pub fn clean(repo: &TestRepo, when: &str) {
    let (code, findings) = check(repo, when);
    assert!(code == 0 && findings.is_empty(), "{findings:#?}");
}

/// Rules `chg check` at `when` reports about `record`.
pub fn rules_on(repo: &TestRepo, when: &str, record: &str) -> Vec<String> {
    check(repo, when)
        .1
        .into_iter()
        .filter(|f| f.record.as_deref() == Some(record))
        .map(|f| f.rule)
        .collect()
}

/// PATH with the built chg's directory first, for git to find it from the hooks.
fn path_with_chg() -> OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_chg")).parent().unwrap();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

/// `git commit -m message` at `when` through chg's installed hooks, everything
/// staged; asserts that the commit-msg hook refused it with `needle` and no commit
/// was made.
pub fn hook_refuses(repo: &TestRepo, when: &str, message: &str, needle: &str) {
    let template = repo.chg_process(&[]);
    let mut git = std::process::Command::new("git");
    git.env_clear();
    for (key, value) in template.get_envs() {
        if let Some(value) = value {
            git.env(key, value);
        }
    }
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["add", "-A"]);
    let out = git
        .env("PATH", path_with_chg())
        .env("CHG_NOW", when)
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .current_dir(repo.path())
        .stdin(std::process::Stdio::null())
        .args(["commit", "-q", "-m", message])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(needle), "lacks {needle:?}: {said}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "a commit was made");
}

/// The preset with its example people replaced by the test's.
fn preset_for_the_team(policy: &str) -> String {
    [
        ("\"eng-lead@example.com\"", "\"lee@example.com\""),
        ("\"security-lead@example.com\"", "\"sam@example.com\""),
        ("\"product-owner@example.com\"", "\"pat@example.com\""),
        ("\"cto@example.com\"", "\"cora@example.com\""),
        ("\"incident-commander@example.com\"", "\"ian@example.com\""),
        ("\"compliance@example.com\"", "\"cleo@example.com\""),
    ]
    .iter()
    .fold(policy.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from} not in the preset");
        text.replace(from, to)
    })
}

/// `chg init --preset itil-four-class`, the team's people put in, `tailor` applied
/// (what only the team knows), and the adoption committed under CHG-2026-0001, a
/// standard change: the preset requires every commit to name a change (§1).
fn adopt_with(tailor: impl Fn(String) -> String) -> TestRepo {
    let repo = TestRepo::new();
    run(
        &repo,
        ADOPTED,
        ADA,
        &["init", "--preset", "itil-four-class"],
    );
    let policy = tailor(preset_for_the_team(&repo.read(".changes.toml")));
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
            "The itil-four-class preset",
        ],
    );
    assert_eq!(id, "CHG-2026-0001");
    run(&repo, ADOPTED, ADA, &["submit", &id]);
    repo.commit_all_at(ADOPTED, &format!("Adopt chg\n\nChange: {id}"));
    repo
}

fn adopt() -> TestRepo {
    adopt_with(|policy| policy)
}

/// `chg new --no-input` as Ada at `when`; returns the ID.
pub fn create(repo: &TestRepo, when: &str, args: &[&str]) -> String {
    let mut all = vec!["new", "--no-input"];
    all.extend_from_slice(args);
    let out = run(repo, when, ADA, &all);
    out.split_whitespace().next().unwrap().to_string()
}

/// The §5 impact areas and §4 tenants, which have no `chg new` flag.
const ASSESSMENT: &str = "tenants: none
impact:
  security: no new access paths
  data: reads tenant rows, writes none
  ai_boundary: none
  availability: none expected
  tenants: queries filter by tenant
  compliance: none
  performance: one indexed query
";

/// An ADR with the four sections §6 asks for.
const ADR: &str = "# ADR\n\n## Context\nc\n\n## Decision\nd\n\n## Consequences\nx\n\n\
## Alternatives considered\ny\n";

/// A complete §4 proposal of `class` (normal or major) by Ada at `when`, with its ADR
/// written (not committed: the ADR lands with the work, after approval), and `extra`
/// flags; a draft. Returns its ID.
fn propose(repo: &TestRepo, when: &str, class: &str, extra: &[&str]) -> String {
    let adr = format!("docs/adr/{}.md", when.replace(':', ""));
    let mut args = vec![
        "--title",
        "Export tenant data",
        "--class",
        class,
        "--description",
        "A CSV export per tenant",
        "--rationale",
        "Customers ask for their data",
        "--component",
        "api",
        "--env",
        "production",
        "--rollback",
        "Revert the merge and redeploy",
        "--monitoring",
        "Export error rate and latency",
        "--test-plan",
        "Integration suite and a manual export on staging",
        "--adr",
        &adr,
    ];
    if !extra.contains(&"--likelihood") {
        args.extend(["--likelihood", "unlikely", "--impact", "minor"]);
    }
    if class == "major" {
        args.extend([
            "--evidence",
            "threat-model-review=docs/threat-model.md#export",
            "--evidence",
            "staging-validation=https://ci.example.com/run/881",
        ]);
    }
    args.extend_from_slice(extra);
    let id = create(repo, when, &args);
    let path = format!(".changes/{id}.yaml");
    repo.write(&path, &format!("{}{ASSESSMENT}", repo.read(&path)));
    repo.write(&adr, ADR);
    id
}

/// Ada submits `id` and commits the record.
pub fn submit(repo: &TestRepo, when: &str, id: &str) {
    run(repo, when, ADA, &["submit", id]);
    commit_register(repo, when, ADA, &format!("Propose {id}\n\nChange: {id}"));
}

/// `who` approves `id` as `role` and commits the approval as themself.
pub fn approve(repo: &TestRepo, when: &str, who: Who, id: &str, role: &str) {
    run(
        repo,
        when,
        who,
        &["approve", id, "--role", role, "--commit"],
    );
}

/// A normal change proposed, submitted and approved by the §2.2 path plus a peer.
fn approved_normal(repo: &TestRepo, day: &str, extra: &[&str]) -> String {
    let id = normal_approved_by_its_path(repo, day, extra);
    assert_eq!(status(repo, &id), "approved");
    id
}

/// A normal change proposed, submitted, and given the approvals of the §2.2 path plus
/// a peer: all it needs, unless `extra` asks for more.
fn normal_approved_by_its_path(repo: &TestRepo, day: &str, extra: &[&str]) -> String {
    let id = propose(repo, &day_at(day, "09:00"), "normal", extra);
    submit(repo, &day_at(day, "09:00"), &id);
    approve(repo, &day_at(day, "10:00"), LEE, &id, "engineering-lead");
    approve(repo, &day_at(day, "11:00"), PAT, &id, "product-owner");
    approve(repo, &day_at(day, "12:00"), PEG, &id, "peer-reviewer");
    id
}

/// A major change proposed, submitted and approved by the §2.3 path.
fn approved_major(repo: &TestRepo, day: &str, extra: &[&str]) -> String {
    let id = propose(repo, &day_at(day, "09:00"), "major", extra);
    submit(repo, &day_at(day, "09:00"), &id);
    approve(repo, &day_at(day, "10:00"), LEE, &id, "engineering-lead");
    approve(repo, &day_at(day, "11:00"), SAM, &id, "security-lead");
    approve(repo, &day_at(day, "12:00"), PAT, &id, "product-owner");
    assert_eq!(status(repo, &id), "approved");
    id
}

/// An emergency change for INC-7 declared by Ada at `when` and started five minutes
/// later, before anyone approved it (§2.4 "Immediate action permitted").
fn emergency_started(repo: &TestRepo, when: &str, started: &str) -> String {
    let id = create(
        repo,
        when,
        &[
            "--title",
            "Patch the login bypass",
            "--class",
            "emergency",
            "--description",
            "Reject unsigned session tokens",
            "--rollback",
            "Revert the patch",
            "--incident",
            "INC-7",
            "--env",
            "production",
        ],
    );
    run(repo, started, ADA, &["start", &id]);
    commit_register(repo, started, ADA, &format!("Declare {id}\n\nChange: {id}"));
    id
}

/// `who` writes the §10 review of `id` at `when`, every field the preset asks filled.
fn review(repo: &TestRepo, when: &str, who: Who, id: &str) {
    let fields = [
        ("--side-effects", "none"),
        ("--monitoring-findings", "error rate flat"),
        ("--lessons", "none"),
        ("--playbook-updates", "none"),
    ];
    let mut args = vec!["review", id, "--outcome", "achieved"];
    for (flag, value) in fields {
        args.extend([flag, value]);
    }
    run(repo, when, who, &args);
}

/// An emergency declared at 02:00 on `DAY`, started at 02:05 and deployed to
/// production by Lee at 03:00, before anyone approved it.
fn emergency_deployed(repo: &TestRepo) -> String {
    let id = emergency_started(repo, &on("02:00"), &on("02:05"));
    step(
        repo,
        &on("03:00"),
        LEE,
        &["deploy", &id, "--env", "production"],
    );
    commit_register(
        repo,
        &on("03:00"),
        LEE,
        &format!("Deploy {id}\n\nChange: {id}"),
    );
    id
}

/// Peg records that the regression checks passed for `id` at `when` and commits it.
fn regression_checked(repo: &TestRepo, when: &str, id: &str) {
    evidence(repo, when, PEG, id, &["regression-checks"]);
    commit_register(
        repo,
        when,
        PEG,
        &format!("Regression checks\n\nChange: {id}"),
    );
}

/// Writes the emergency's root cause and preventive action (§2.4) into its record.
pub fn retrospective(repo: &TestRepo, id: &str) {
    hand_edit(
        repo,
        id,
        "  incident: INC-7\n",
        "  incident: INC-7\n  root_cause: the token parser accepted alg=none\n  \
         preventive_action: fuzz the parser in CI\n",
    );
}

/// Writes an approval into `id`'s record by hand, bound to the record's current
/// content (the digest of its first approval), as someone bypassing `chg approve`.
pub fn hand_approve(repo: &TestRepo, id: &str, role: &str, by: &str, when: &str) {
    let digest = record(repo, id)["approvals"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    hand_edit(
        repo,
        id,
        "transitions:",
        &format!(
            "- role: {role}\n  by: {by}\n  at: {when}\n  decision: approved\n  \
             digest: {digest}\ntransitions:"
        ),
    );
}

pub fn status(repo: &TestRepo, id: &str) -> String {
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    yaml.lines()
        .find_map(|l| l.strip_prefix("status: "))
        .unwrap()
        .to_string()
}

pub fn record(repo: &TestRepo, id: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&repo.read(&format!(".changes/{id}.yaml"))).unwrap()
}

#[test]
fn itil_four_class_lifecycle() {
    let repo = adopt();

    // §2.2 normal: proposal → classification → risk → approval by the engineering
    // lead, the product owner and a peer → implementation → validation → closure.
    let normal = propose(&repo, "2026-03-03T09:00:00Z", "normal", &[]);
    submit(&repo, "2026-03-03T09:00:00Z", &normal);
    step(
        &repo,
        "2026-03-03T09:30:00Z",
        LEE,
        &[
            "assess",
            &normal,
            "--likelihood",
            "unlikely",
            "--impact",
            "minor",
        ],
    );
    commit_register(
        &repo,
        "2026-03-03T09:30:00Z",
        LEE,
        &format!("Assess {normal}\n\nChange: {normal}"),
    );
    approve(
        &repo,
        "2026-03-03T10:00:00Z",
        LEE,
        &normal,
        "engineering-lead",
    );
    approve(&repo, "2026-03-03T11:00:00Z", PAT, &normal, "product-owner");
    approve(&repo, "2026-03-03T12:00:00Z", PEG, &normal, "peer-reviewer");
    land(&repo, "2026-03-04T09:00:00Z", "src/export.rs", &normal);
    step(&repo, "2026-03-05T09:00:00Z", ADA, &["start", &normal]);
    // §8 validation: the regression checks ran on the approved work.
    regression_checked(&repo, "2026-03-05T09:30:00Z", &normal);
    step(
        &repo,
        "2026-03-05T10:00:00Z",
        LEE,
        &["deploy", &normal, "--env", "production", "--ref", "v1.4.0"],
    );
    step(&repo, "2026-03-05T12:00:00Z", LEE, &["verify", &normal]);
    // §3 documentation update before closure. Reviews are optional for normal
    // changes (§10 names major and emergency).
    evidence(
        &repo,
        "2026-03-06T08:00:00Z",
        ADA,
        &normal,
        &["docs-updated"],
    );
    step(&repo, "2026-03-06T09:00:00Z", ADA, &["close", &normal]);

    // §2.3 major: the security lead joins the path; staged rollout (§8); review (§10).
    let major = propose(&repo, "2026-03-09T09:00:00Z", "major", &[]);
    submit(&repo, "2026-03-09T09:00:00Z", &major);
    approve(
        &repo,
        "2026-03-09T10:00:00Z",
        LEE,
        &major,
        "engineering-lead",
    );
    approve(&repo, "2026-03-09T11:00:00Z", SAM, &major, "security-lead");
    approve(&repo, "2026-03-09T12:00:00Z", PAT, &major, "product-owner");
    land(&repo, "2026-03-10T09:00:00Z", "src/tenancy.rs", &major);
    step(&repo, "2026-03-11T09:00:00Z", ADA, &["start", &major]);
    regression_checked(&repo, "2026-03-11T09:30:00Z", &major);
    for (when, env) in [
        ("2026-03-11T10:00:00Z", "staging"),
        ("2026-03-11T11:00:00Z", "production"),
    ] {
        step(
            &repo,
            when,
            LEE,
            &["deploy", &major, "--env", env, "--ref", "v2.0.0"],
        );
    }
    step(&repo, "2026-03-11T15:00:00Z", LEE, &["verify", &major]);
    step(
        &repo,
        "2026-03-12T09:00:00Z",
        SAM,
        &[
            "review",
            &major,
            "--outcome",
            "achieved",
            "--side-effects",
            "none",
            "--monitoring-findings",
            "no cross-tenant reads",
            "--lessons",
            "stage first",
            "--playbook-updates",
            "none",
        ],
    );
    evidence(
        &repo,
        "2026-03-12T09:30:00Z",
        ADA,
        &major,
        &["docs-updated"],
    );
    step(&repo, "2026-03-12T10:00:00Z", ADA, &["close", &major]);

    // §2.4 emergency: fixed and deployed at night, approved by the incident commander
    // in the morning, root cause and review within 48 hours.
    let emergency = emergency_started(&repo, "2026-03-14T02:00:00Z", "2026-03-14T02:05:00Z");
    land(&repo, "2026-03-14T02:30:00Z", "src/login.rs", &emergency);
    step(
        &repo,
        "2026-03-14T03:00:00Z",
        LEE,
        &[
            "deploy",
            &emergency,
            "--env",
            "production",
            "--ref",
            "v2.0.1",
        ],
    );
    commit_register(
        &repo,
        "2026-03-14T03:00:00Z",
        LEE,
        &format!("Deploy {emergency}\n\nChange: {emergency}"),
    );
    approve(
        &repo,
        "2026-03-14T08:00:00Z",
        IAN,
        &emergency,
        "incident-commander",
    );
    retrospective(&repo, &emergency);
    review(&repo, "2026-03-15T10:00:00Z", IAN, &emergency);
    commit_register(
        &repo,
        "2026-03-15T10:00:00Z",
        IAN,
        &format!("Review {emergency}\n\nChange: {emergency}"),
    );
    step(&repo, "2026-03-15T11:00:00Z", LEE, &["verify", &emergency]);
    // §2.4 the documentation deferred past the fix, done before closing.
    evidence(
        &repo,
        "2026-03-15T11:30:00Z",
        ADA,
        &emergency,
        &["docs-updated"],
    );
    step(&repo, "2026-03-15T12:00:00Z", ADA, &["close", &emergency]);

    // §9: every approved change records its ID, class, approvers, implementation
    // time, environment, rollback readiness and ADR.
    let r = record(&repo, &normal);
    assert_eq!(r["id"].as_str(), Some(normal.as_str()));
    assert_eq!(r["class"].as_str(), Some("normal"));
    let approvers: Vec<(&str, &str)> = r["approvals"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| (a["role"].as_str().unwrap(), a["by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        approvers,
        [
            ("engineering-lead", LEE.1),
            ("product-owner", PAT.1),
            ("peer-reviewer", PEG.1)
        ]
    );
    assert_eq!(
        r["deployments"][0]["environment"].as_str(),
        Some("production")
    );
    assert_eq!(
        r["deployments"][0]["at"].as_str(),
        Some("2026-03-05T10:00:00Z")
    );
    assert!(r["rollback"]["plan"].as_str().is_some());
    assert_eq!(r["adrs"].as_sequence().unwrap().len(), 1);
    for id in [&normal, &major, &emergency] {
        assert_eq!(status(&repo, id), "closed", "{id}");
    }
    // Well after every deadline, the register and its history are clean.
    clean(&repo, "2026-03-31T12:00:00Z");
    let human = stdout_of(&mut at(&repo, "2026-03-31T12:00:00Z", ADA, &["check"]));
    assert!(
        human.contains("0 error(s), 0 warning(s); 4 record(s)"),
        "{human}"
    );
}

/// §1 scope, §2.1 "Logged in change register", §11 "Untracked production
/// modifications", "No undocumented change is legitimate": every commit names a
/// change that has a record, documentation included.
#[test]
fn undocumented_changes_are_refused_by_the_hook_and_reported() {
    let repo = adopt();
    run(&repo, &on("09:00"), ADA, &["hook", "install"]);
    repo.write("docs/guide.md", "How to export\n");
    hook_refuses(
        &repo,
        &on("09:00"),
        "Document the export",
        "H002 missing-change-reference",
    );
    hook_refuses(
        &repo,
        &on("09:00"),
        "Document the export\n\nChange: CHG-2026-0042",
        "H001 unknown-change-reference",
    );
    // Without the hook (or with --no-verify), chg check finds them in history.
    repo.git_at(
        &on("09:30"),
        &["commit", "-q", "--no-verify", "-m", "Document the export"],
    );
    caught(
        &repo,
        &on("10:00"),
        "H002",
        None,
        "\"Document the export\" names no change",
    );
    repo.write("docs/guide.md", "How to export, v2\n");
    repo.git_at(
        &on("09:40"),
        &[
            "commit",
            "-q",
            "-a",
            "--no-verify",
            "-m",
            "Document more\n\nChange: CHG-2026-0042",
        ],
    );
    caught(
        &repo,
        &on("10:00"),
        "H001",
        Some("CHG-2026-0042"),
        "names CHG-2026-0042, which has no record",
    );
}

/// §2 "Every change must be classified before execution": no record without a class
/// of the four, and no work on a classified change before its approval.
#[test]
fn a_change_is_classified_and_approved_before_execution() {
    let repo = adopt();
    refused(
        &repo,
        at(
            &repo,
            &on("09:00"),
            ADA,
            &["new", "--no-input", "--title", "Tweak"],
        ),
        2,
        "missing --class",
    );
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    hand_edit(&repo, &id, "class: normal", "class: minor");
    caught(
        &repo,
        &on("09:10"),
        "R001",
        Some(&id),
        "unknown variant `minor`",
    );
    hand_edit(&repo, &id, "class: minor", "class: normal");
    submit(&repo, &on("09:30"), &id);
    refused(
        &repo,
        at(&repo, &on("10:00"), ADA, &["start", &id]),
        1,
        "cannot be started: it still needs approval from engineering-lead, product-owner, peer-reviewer",
    );
    land(&repo, &on("10:00"), "src/export.rs", &id);
    caught(
        &repo,
        &on("11:00"),
        "H004",
        Some(&id),
        "while its record there lacked approval",
    );
}

/// §2.1 standard: "pre-approved", "No formal risk assessment required", logged.
#[test]
fn a_standard_change_is_pre_approved_without_a_risk_assessment() {
    let repo = adopt();
    let id = create(
        &repo,
        &on("09:00"),
        &["--title", "Bump serde", "--class", "standard"],
    );
    // Logged in the register means described (the class requires description).
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: description",
    );
    hand_edit(
        &repo,
        &id,
        "owner:",
        "description: Minor dependency update\nowner:",
    );
    let said = run(&repo, &on("09:05"), ADA, &["submit", &id]);
    assert_eq!(said, format!("{id} approved\n"));
    run(&repo, &on("09:10"), ADA, &["start", &id]);
    commit_register(
        &repo,
        &on("09:10"),
        ADA,
        &format!("Start {id}\n\nChange: {id}"),
    );
    land(&repo, &on("09:20"), "Cargo.lock", &id);
    clean(&repo, &on("10:00"));
}

/// §2.2 "ADR update or creation", §2.3 "Updated ADR", §6: a normal or major change
/// links an ADR, and the file exists.
#[test]
fn normal_and_major_changes_link_an_existing_adr() {
    let repo = adopt();
    let id = create(
        &repo,
        &on("09:00"),
        &[
            "--title",
            "No ADR",
            "--class",
            "major",
            "--description",
            "d",
            "--rollback",
            "r",
        ],
    );
    let said = refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "cannot be submitted",
    );
    assert!(said.contains("adrs"), "{said}");
    // Submitted by hand anyway: the check reports the missing link.
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "A001",
        Some(&id),
        "a major change must link an ADR",
    );
    // Linked, but the file is not there.
    let normal = propose(&repo, &on("10:00"), "normal", &[]);
    let adr = record(&repo, &normal)["adrs"][0]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::remove_file(repo.path().join(&adr)).unwrap();
    caught(
        &repo,
        &on("10:10"),
        "A002",
        Some(&normal),
        &format!("ADR {adr} does not exist"),
    );
    repo.write(&adr, ADR);
    assert!(!rules_on(&repo, &on("10:20"), &normal).contains(&"A002".to_string()));
}

/// §6 "ADR must include: Context, Decision, Consequences, Alternatives considered".
#[test]
fn an_adr_has_context_decision_consequences_and_alternatives() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    let adr = record(&repo, &id)["adrs"][0].as_str().unwrap().to_string();
    repo.write(
        &adr,
        "# ADR\n\n## Context\nc\n\n## Decision\nd\n\n## Consequences\nx\n",
    );
    caught(&repo, &on("09:10"), "A003", Some(&id), "Alternatives");
    repo.write(&adr, ADR);
    assert!(rules_on(&repo, &on("09:20"), &id).is_empty());
}

/// §2.2 "Risk assessment completed", §4 "Risk category", §5 "Risk must be rated Low,
/// Medium, High, Critical".
#[test]
fn risk_is_assessed_and_rated_low_to_critical() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    // No likelihood × impact and no declared level: not assessed.
    hand_edit(
        &repo,
        &id,
        "risk:\n  likelihood: unlikely\n  impact: minor\n",
        "",
    );
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: risk.level",
    );
    hand_edit(
        &repo,
        &id,
        "tenants: none",
        "risk:\n  level: severe\ntenants: none",
    );
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        2,
        "unknown variant `severe`, expected one of `low`, `medium`, `high`, `critical`",
    );
    caught(
        &repo,
        &on("09:00"),
        "R001",
        Some(&id),
        "risk.level: unknown variant `severe`",
    );
    hand_edit(&repo, &id, "level: severe", "level: medium");
    submit(&repo, &on("09:30"), &id);
    assert_eq!(status(&repo, &id), "submitted");
}

/// §2.2 "Rollback plan defined", §2.3, §4 "Changes without rollback plans are
/// automatically rejected".
#[test]
fn changes_without_a_rollback_plan_are_rejected() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    hand_edit(
        &repo,
        &id,
        "rollback:\n  plan: Revert the merge and redeploy\n",
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

/// §2.2 "Peer review required": anyone may be the peer, but not the author and not
/// someone already approving in another role.
#[test]
fn a_peer_review_is_by_someone_other_than_the_author_and_the_other_approvers() {
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
    approve(&repo, &on("10:00"), LEE, &id, "engineering-lead");
    refused(
        &repo,
        at(
            &repo,
            &on("10:30"),
            LEE,
            &["approve", &id, "--role", "peer-reviewer"],
        ),
        1,
        "you already approved",
    );
    approve(&repo, &on("11:00"), PAT, &id, "product-owner");
    // Without a peer the change is not approved.
    assert_eq!(status(&repo, &id), "submitted");
    // Written into the record by the author herself, the check catches it (P003).
    hand_approve(&repo, &id, "peer-reviewer", ADA.1, &on("11:30"));
    commit_register(
        &repo,
        &on("11:30"),
        ADA,
        &format!("Peer review\n\nChange: {id}"),
    );
    caught(
        &repo,
        &on("12:00"),
        "P003",
        Some(&id),
        "ada@example.com approved a change they wrote",
    );
    // Peg, who wrote none of it, is a valid peer.
    let peg = approved_normal(&repo, "2026-03-04", &[]);
    assert!(rules_on(&repo, "2026-03-04T13:00:00Z", &peg).is_empty());
}

/// §2.2 approval path: Engineering Lead and Product Owner, each a member of the role
/// when approving, each approval committed by the approver.
#[test]
fn a_normal_change_needs_the_engineering_lead_and_the_product_owner() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    submit(&repo, &on("09:00"), &id);
    refused(
        &repo,
        at(
            &repo,
            &on("10:00"),
            PEG,
            &["approve", &id, "--role", "engineering-lead"],
        ),
        1,
        "not a member of engineering-lead; its members: lee@example.com",
    );
    // Lee approves but Ada commits it: the approval is not proven to be Lee's.
    run(
        &repo,
        &on("10:00"),
        LEE,
        &["approve", &id, "--role", "engineering-lead"],
    );
    commit_register(
        &repo,
        &on("10:05"),
        ADA,
        &format!("Record Lee\n\nChange: {id}"),
    );
    let by_ada = repo.git(&["rev-parse", "--short=10", "HEAD"]);
    caught(
        &repo,
        &on("10:10"),
        "P004",
        Some(&id),
        &format!(
            "the approval by lee@example.com as engineering-lead was added in {}, authored by \
             ada@example.com",
            by_ada.trim()
        ),
    );
    approve(&repo, &on("10:30"), PEG, &id, "peer-reviewer");
    // Peg writes herself in as product owner, a role she does not hold.
    hand_approve(&repo, &id, "product-owner", PEG.1, &on("11:00"));
    commit_register(
        &repo,
        &on("11:00"),
        PEG,
        &format!("Approve\n\nChange: {id}"),
    );
    caught(
        &repo,
        &on("11:10"),
        "P002",
        Some(&id),
        "peg@example.com approved as product-owner",
    );
    // The satisfied path: both roles and a peer, each in their own commit.
    let good = approved_normal(&repo, "2026-03-04", &[]);
    assert!(rules_on(&repo, "2026-03-04T13:00:00Z", &good).is_empty());
}

/// Missing approvals on a change marked approved by hand are caught (P001).
#[test]
fn a_change_marked_approved_without_its_approvals_is_reported() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), LEE, &id, "engineering-lead");
    approve(&repo, &on("10:30"), PEG, &id, "peer-reviewer");
    hand_edit(&repo, &id, "status: submitted", "status: approved");
    caught(
        &repo,
        &on("11:00"),
        "P001",
        Some(&id),
        "not approved by product-owner",
    );
}

/// §2.3 "Updated Threat Model review", "Staging validation evidence".
#[test]
fn a_major_change_carries_threat_model_and_staging_evidence() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "major", &[]);
    hand_edit(
        &repo,
        &id,
        "- kind: staging-validation\n  ref: https://ci.example.com/run/881\n",
        "",
    );
    hand_edit(
        &repo,
        &id,
        "evidence:\n- kind: threat-model-review\n  ref: docs/threat-model.md#export\n",
        "",
    );
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: evidence:threat-model-review, evidence:staging-validation",
    );
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "R004",
        Some(&id),
        "a major change needs evidence:threat-model-review, evidence:staging-validation",
    );
}

/// §2.3 "Updated Access Control Matrix review (if applicable)", §11 "Privilege
/// changes without Access Control update": the team names its permission model's
/// paths in the block the preset ships commented out.
#[test]
fn privilege_changes_need_an_access_control_review() {
    let repo = adopt_with(|policy| {
        replaced(
            &policy,
            "# [commits.protected.\"src/authz/**\"]\n# min_class = \"major\"\n\
             # requires = [\"evidence:access-control-review\"]",
            "[commits.protected.\"src/authz/**\"]\nmin_class = \"major\"\n\
             requires = [\"evidence:access-control-review\"]",
        )
    });
    // A major change without the review touches the permission model.
    let major = approved_major(&repo, DAY, &[]);
    land(&repo, &on("14:00"), "src/authz/roles.rs", &major);
    caught(
        &repo,
        &on("15:00"),
        "H003",
        None,
        "touches src/authz/roles.rs (protected by src/authz/**) but names no major or higher change with evidence:access-control-review",
    );
    // With the review on record, the same kind of commit is clean.
    let reviewed = approved_major(
        &repo,
        "2026-03-04",
        &["--evidence", "access-control-review=docs/acm.md#export"],
    );
    land(
        &repo,
        "2026-03-04T14:00:00Z",
        "src/authz/export.rs",
        &reviewed,
    );
    let (_, findings) = check(&repo, "2026-03-04T15:00:00Z");
    let h003: Vec<_> = findings.iter().filter(|f| f.rule == "H003").collect();
    assert_eq!(h003.len(), 1, "only the first commit: {h003:#?}");
}

/// §2.3 "Impact assessment", §5 "assess: availability, data integrity,
/// confidentiality, tenant isolation, compliance, performance, AI boundary drift".
#[test]
fn normal_and_major_changes_assess_every_section_5_risk() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "major", &[]);
    hand_edit(&repo, &id, "  ai_boundary: none\n", "");
    hand_edit(&repo, &id, "  performance: one indexed query\n", "");
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: impact.ai_boundary, impact.performance",
    );
    hand_edit(&repo, &id, "status: draft", "status: submitted");
    caught(
        &repo,
        &on("09:10"),
        "R004",
        Some(&id),
        "a major change needs impact.ai_boundary, impact.performance",
    );
}

/// §4 proposal: description, rationale, components, risk, tenants, security / data /
/// AI-boundary impact, rollback and monitoring strategy; §9 "Environment impacted".
#[test]
fn a_proposal_carries_every_section_4_item() {
    let repo = adopt();
    let id = create(
        &repo,
        &on("09:00"),
        &["--title", "Bare", "--class", "normal"],
    );
    let said = refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["submit", &id]),
        1,
        "lacks: description, rationale, components, environments, risk.level, tenants, \
         impact.security, impact.data, impact.ai_boundary, impact.availability, \
         impact.tenants, impact.compliance, impact.performance, rollback.plan, monitoring, adrs",
    );
    assert!(
        said.contains("only standard changes go without one"),
        "{said}"
    );
    // The complete proposal goes through.
    let full = propose(&repo, &on("10:00"), "normal", &[]);
    run(&repo, &on("10:00"), ADA, &["submit", &full]);
}

/// §2.3 approval path: Engineering Lead, Security Lead, Product Owner.
#[test]
fn a_major_change_needs_the_engineering_security_and_product_leads() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "major", &[]);
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), LEE, &id, "engineering-lead");
    approve(&repo, &on("11:00"), PAT, &id, "product-owner");
    refused(
        &repo,
        at(&repo, &on("12:00"), ADA, &["start", &id]),
        1,
        "still needs approval from security-lead",
    );
    refused(
        &repo,
        at(&repo, &on("12:00"), PEG, &["approve", &id]),
        1,
        "not a member of any role",
    );
    hand_edit(&repo, &id, "status: submitted", "status: approved");
    caught(
        &repo,
        &on("12:10"),
        "P001",
        Some(&id),
        "not approved by security-lead",
    );
    hand_edit(&repo, &id, "status: approved", "status: submitted");
    approve(&repo, &on("13:00"), SAM, &id, "security-lead");
    assert_eq!(status(&repo, &id), "approved");
}

/// §2.3 "Compliance approval (if regulated domain)": a regulated team adds the
/// compliance role the preset defines to the major path.
#[test]
fn a_regulated_team_adds_compliance_to_the_major_path() {
    let repo = adopt_with(|policy| {
        replaced(
            &policy,
            "approvals = [\"engineering-lead\", \"security-lead\", \"product-owner\"]",
            "approvals = [\"engineering-lead\", \"security-lead\", \"product-owner\", \"compliance\"]",
        )
    });
    let id = propose(&repo, &on("09:00"), "major", &[]);
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), LEE, &id, "engineering-lead");
    approve(&repo, &on("11:00"), SAM, &id, "security-lead");
    approve(&repo, &on("12:00"), PAT, &id, "product-owner");
    refused(
        &repo,
        at(&repo, &on("12:30"), ADA, &["start", &id]),
        1,
        "still needs approval from compliance",
    );
    approve(&repo, &on("13:00"), CLEO, &id, "compliance");
    assert_eq!(status(&repo, &id), "approved");
}

/// §5 "Critical risk requires executive approval".
#[test]
fn critical_risk_needs_executive_approval() {
    let repo = adopt();
    let id = propose(
        &repo,
        &on("09:00"),
        "normal",
        &["--likelihood", "almost-certain", "--impact", "catastrophic"],
    );
    submit(&repo, &on("09:00"), &id);
    approve(&repo, &on("10:00"), LEE, &id, "engineering-lead");
    approve(&repo, &on("11:00"), PAT, &id, "product-owner");
    approve(&repo, &on("12:00"), PEG, &id, "peer-reviewer");
    refused(
        &repo,
        at(&repo, &on("12:30"), ADA, &["start", &id]),
        1,
        "still needs approval from executive",
    );
    land(&repo, &on("12:30"), "src/export.rs", &id);
    caught(
        &repo,
        &on("12:40"),
        "H004",
        Some(&id),
        "lacked approval from executive",
    );
    approve(&repo, &on("13:00"), CORA, &id, "executive");
    assert_eq!(status(&repo, &id), "approved");
}

/// §2.4 "Immediate action permitted": an emergency starts and deploys before
/// approval; the approval is owed within 24 hours of starting.
#[test]
fn an_emergency_acts_first_and_is_approved_within_24_hours() {
    let repo = adopt();
    let late = emergency_started(&repo, &on("02:00"), &on("02:05"));
    land(&repo, &on("02:30"), "src/login.rs", &late);
    run(
        &repo,
        &on("03:00"),
        LEE,
        &["deploy", &late, "--env", "production"],
    );
    commit_register(
        &repo,
        &on("03:00"),
        LEE,
        &format!("Deploy {late}\n\nChange: {late}"),
    );
    assert!(rules_on(&repo, "2026-03-04T02:00:00Z", &late).is_empty());
    caught(
        &repo,
        "2026-03-04T02:06:00Z",
        "L002",
        Some(&late),
        "approval by incident-commander was due within 1d of starting",
    );
    approve(
        &repo,
        "2026-03-04T03:00:00Z",
        IAN,
        &late,
        "incident-commander",
    );
    caught(
        &repo,
        "2026-03-04T03:10:00Z",
        "L002",
        Some(&late),
        "after the 1d deadline",
    );
}

/// §2.4 approval path "Incident Commander": nobody else approves, and the change
/// cannot be closed without it.
#[test]
fn an_emergency_is_approved_by_the_incident_commander() {
    let repo = adopt();
    let id = emergency_deployed(&repo);
    run(&repo, &on("04:00"), LEE, &["verify", &id]);
    commit_register(
        &repo,
        &on("04:00"),
        LEE,
        &format!("Verify {id}\n\nChange: {id}"),
    );
    review(&repo, &on("05:00"), IAN, &id);
    commit_register(
        &repo,
        &on("05:00"),
        IAN,
        &format!("Review {id}\n\nChange: {id}"),
    );
    retrospective(&repo, &id);
    commit_register(
        &repo,
        &on("05:30"),
        ADA,
        &format!("Root cause of {id}\n\nChange: {id}"),
    );
    refused(
        &repo,
        at(&repo, &on("06:00"), ADA, &["close", &id]),
        1,
        "still needs approval from incident-commander",
    );
    refused(
        &repo,
        at(&repo, &on("06:00"), LEE, &["approve", &id]),
        1,
        "incident-commander (ian@example.com)",
    );
    hand_edit(&repo, &id, "status: verified", "status: closed");
    caught(
        &repo,
        &on("06:10"),
        "P001",
        Some(&id),
        "closed but not approved by incident-commander",
    );
    hand_edit(&repo, &id, "status: closed", "status: verified");
    approve(&repo, &on("07:00"), IAN, &id, "incident-commander");
    evidence(&repo, &on("07:05"), ADA, &id, &["docs-updated"]);
    run(&repo, &on("07:10"), ADA, &["close", &id]);
}

/// §2.4 "Post-implementation review within 48 hours"; §10 reviews for major and
/// emergency changes.
#[test]
fn major_and_emergency_changes_get_a_post_implementation_review() {
    let repo = adopt();
    let id = emergency_deployed(&repo);
    approve(&repo, &on("08:00"), IAN, &id, "incident-commander");
    retrospective(&repo, &id);
    run(&repo, &on("09:00"), LEE, &["verify", &id]);
    refused(
        &repo,
        at(&repo, &on("09:30"), ADA, &["close", &id]),
        1,
        "emergency changes need a post-implementation review first",
    );
    caught(
        &repo,
        "2026-03-05T03:01:00Z",
        "L003",
        Some(&id),
        "the post-implementation review was due within 2d of deployment",
    );
    review(&repo, "2026-03-05T04:00:00Z", IAN, &id);
    caught(
        &repo,
        "2026-03-05T04:10:00Z",
        "L003",
        Some(&id),
        "came after the 2d deadline",
    );
    // A major change cannot be closed without its review either.
    let day = "2026-03-06";
    let major = approved_major(&repo, day, &[]);
    land(&repo, &day_at(day, "13:00"), "src/tenancy.rs", &major);
    run(&repo, &day_at(day, "14:00"), ADA, &["start", &major]);
    evidence(
        &repo,
        &day_at(day, "14:30"),
        PEG,
        &major,
        &["regression-checks"],
    );
    run(
        &repo,
        &day_at(day, "15:00"),
        LEE,
        &["deploy", &major, "--env", "production"],
    );
    run(&repo, &day_at(day, "16:00"), LEE, &["verify", &major]);
    evidence(&repo, &day_at(day, "16:30"), ADA, &major, &["docs-updated"]);
    refused(
        &repo,
        at(&repo, &day_at(day, "17:00"), ADA, &["close", &major]),
        1,
        "major changes need a post-implementation review first",
    );
    review(&repo, &day_at(day, "17:30"), SAM, &major);
    run(&repo, &day_at(day, "18:00"), ADA, &["close", &major]);
}

/// §2.4 "Root cause analysis documented", "Preventative action recorded" (within the
/// review's 48 hours: the seed sets no deadline of its own).
#[test]
fn an_emergency_records_root_cause_and_preventive_action_within_48_hours() {
    let repo = adopt();
    let id = emergency_deployed(&repo);
    approve(&repo, &on("08:00"), IAN, &id, "incident-commander");
    review(&repo, &on("09:00"), IAN, &id);
    assert!(rules_on(&repo, "2026-03-05T02:05:00Z", &id).is_empty());
    caught(
        &repo,
        "2026-03-05T02:06:00Z",
        "L002",
        Some(&id),
        "root cause and preventive action were due within 2d of starting",
    );
    // Written down after the deadline: late, whenever it says it was held.
    retrospective(&repo, &id);
    caught(
        &repo,
        "2026-03-05T02:06:00Z",
        "L002",
        Some(&id),
        "the retrospective was held after the 2d deadline",
    );
}

/// §3 lifecycle: Proposal → … → Closure, in order; no step skipped.
#[test]
fn the_lifecycle_runs_in_order() {
    let repo = adopt();
    let id = propose(&repo, &on("09:00"), "normal", &[]);
    refused(
        &repo,
        at(&repo, &on("09:00"), ADA, &["close", &id]),
        1,
        "cannot move from draft to closed; legal next states: submitted, cancelled",
    );
    submit(&repo, &on("09:00"), &id);
    refused(
        &repo,
        at(&repo, &on("09:10"), LEE, &["verify", &id]),
        1,
        "cannot move from submitted to verified",
    );
    refused(
        &repo,
        at(
            &repo,
            &on("09:10"),
            LEE,
            &["deploy", &id, "--env", "production"],
        ),
        1,
        "cannot be deployed: it still needs approval",
    );
    // A status jumped by hand is caught.
    hand_edit(&repo, &id, "status: submitted", "status: deployed");
    caught(
        &repo,
        &on("09:20"),
        "L001",
        Some(&id),
        "its status says deployed but its transitions end in submitted",
    );
}

/// §6 schema changes need an ADR; §11 "Schema changes without migration plan": a
/// commit touching migrations/ names a normal-or-higher change with an ADR, an
/// implementation plan and a down migration that exists.
#[test]
fn schema_changes_come_with_an_adr_and_a_migration_plan() {
    let repo = adopt();
    // Naming the standard adoption change is not enough.
    repo.write("migrations/0001_up.sql", "alter table t add c int;\n");
    repo.commit_all_at(&on("08:00"), "Add column c\n\nChange: CHG-2026-0001");
    caught(
        &repo,
        &on("08:10"),
        "H003",
        None,
        "touches migrations/0001_up.sql (protected by migrations/**) but names no normal or \
         higher change with adrs, rollback.artifacts, implementation_plan",
    );
    // A normal change with a down migration it has not written yet, and no plan.
    let partial = approved_normal(
        &repo,
        DAY,
        &["--rollback-artifact", "migrations/0002_down.sql"],
    );
    repo.write("migrations/0002_up.sql", "alter table t add d int;\n");
    land(&repo, &on("13:00"), "src/d.rs", &partial);
    let findings = caught(
        &repo,
        &on("13:10"),
        "R007",
        Some(&partial),
        "rollback artifact migrations/0002_down.sql does not exist",
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "H003" && f.message.contains("migrations/0002_up.sql")),
        "{findings:#?}"
    );
    // With an implementation plan and the down script, the migration is clean.
    let planned = approved_normal(
        &repo,
        "2026-03-04",
        &[
            "--rollback-artifact",
            "migrations/0003_down.sql",
            "--implementation-plan",
            "Run 0003_up.sql in the deploy job",
        ],
    );
    repo.write("migrations/0003_up.sql", "alter table t add e int;\n");
    repo.write("migrations/0003_down.sql", "alter table t drop e;\n");
    land(&repo, "2026-03-04T14:00:00Z", "src/e.rs", &planned);
    let (_, findings) = check(&repo, "2026-03-04T14:10:00Z");
    assert!(
        !findings
            .iter()
            .any(|f| f.message.contains("0003") || f.record.as_deref() == Some(&planned)),
        "{findings:#?}"
    );
}

/// §12 "Change freeze may be declared during … audit …": declared by the release
/// manager; normal work is held back, emergencies still go.
#[test]
fn a_freeze_holds_back_all_but_emergency_changes() {
    let repo = adopt();
    let normal = approved_normal(&repo, DAY, &[]);
    refused(
        &repo,
        at(
            &repo,
            &on("13:00"),
            ADA,
            &[
                "freeze",
                "start",
                "--reason",
                "Regulatory audit",
                "--until",
                "2026-03-06",
            ],
        ),
        1,
        "only members of the release-manager role may declare a freeze",
    );
    // Declared ahead of time (a freeze's own commit made inside it would be F001).
    run(
        &repo,
        &on("13:00"),
        LEE,
        &[
            "freeze",
            "start",
            "--reason",
            "Regulatory audit",
            "--from",
            "2026-03-03 14:00",
            "--until",
            "2026-03-06",
        ],
    );
    commit_register(
        &repo,
        &on("13:00"),
        LEE,
        "Freeze for the audit\n\nChange: CHG-2026-0001",
    );
    run(&repo, &on("14:30"), ADA, &["start", &normal]);
    refused(
        &repo,
        at(
            &repo,
            &on("15:00"),
            LEE,
            &["deploy", &normal, "--env", "production"],
        ),
        1,
        "FRZ-2026-0001 freezes changes until",
    );
    land(&repo, &on("15:00"), "src/export.rs", &normal);
    caught(
        &repo,
        &on("15:10"),
        "F001",
        Some(&normal),
        "was committed during FRZ-2026-0001 (Regulatory audit)",
    );
    // Recorded by hand anyway: F002.
    hand_edit(
        &repo,
        &normal,
        "status: implementing",
        "status: implementing\ndeployments:\n- environment: production\n  at: 2026-03-03T15:30:00Z\n  \
         by: lee@example.com\n  outcome: success",
    );
    caught(&repo, &on("15:40"), "F002", Some(&normal), "FRZ-2026-0001");
    // An emergency is allowed through the freeze.
    let emergency = emergency_started(&repo, &on("16:00"), &on("16:05"));
    land(&repo, &on("16:10"), "src/login.rs", &emergency);
    run(
        &repo,
        &on("16:20"),
        LEE,
        &["deploy", &emergency, "--env", "production"],
    );
    let rules = rules_on(&repo, &on("16:30"), &emergency);
    assert!(rules.is_empty(), "{rules:?}");
}

/// §12 "Freeze conditions must be documented and time-bound" (14 days at most).
#[test]
fn a_freeze_says_why_and_ends_within_14_days() {
    let repo = adopt();
    refused(
        &repo,
        at(
            &repo,
            &on("09:00"),
            LEE,
            &["freeze", "start", "--until", "2026-03-06"],
        ),
        2,
        "--reason",
    );
    refused(
        &repo,
        at(
            &repo,
            &on("09:00"),
            LEE,
            &["freeze", "start", "--reason", "Release"],
        ),
        2,
        "--until",
    );
    refused(
        &repo,
        at(
            &repo,
            &on("09:00"),
            LEE,
            &[
                "freeze",
                "start",
                "--reason",
                "Release",
                "--until",
                "2026-03-31",
            ],
        ),
        1,
        "a freeze may last at most 2w ([freeze] max_duration)",
    );
    // Written by hand past the bound, the check reports it.
    repo.write(
        ".changes/freezes/FRZ-2026-0001.yaml",
        "id: FRZ-2026-0001\nreason: Release\nstarts: 2026-04-01T00:00:00Z\n\
         ends: 2026-05-01T00:00:00Z\ndeclared_by: Lee Lead <lee@example.com>\nallow:\n- emergency\n",
    );
    caught(&repo, &on("09:10"), "F004", Some("FRZ-2026-0001"), "2w");
}

/// §2.4 "Security Lead (if security-related)" and §10 a review for "Security-related
/// changes": a change declaring impact area `security` needs both, whatever its class.
#[test]
fn a_security_related_change_needs_the_security_lead_and_a_review() {
    let repo = adopt();
    let id = normal_approved_by_its_path(&repo, DAY, &["--impact-area", "security"]);
    assert_eq!(status(&repo, &id), "submitted");
    refused(
        &repo,
        at(&repo, &on("12:30"), ADA, &["start", &id]),
        1,
        "still needs approval from security-lead",
    );
    approve(&repo, &on("13:00"), SAM, &id, "security-lead");
    assert_eq!(status(&repo, &id), "approved");
    evidence(
        &repo,
        &on("13:30"),
        ADA,
        &id,
        &["regression-checks", "docs-updated"],
    );
    for args in [
        vec!["start", id.as_str()],
        vec!["deploy", &id, "--env", "production", "--ref", "v1.5.0"],
        vec!["verify", &id],
    ] {
        run(&repo, &on("14:00"), ADA, &args);
    }
    commit_register(
        &repo,
        &on("14:00"),
        ADA,
        &format!("Deploy {id}\n\nChange: {id}"),
    );
    refused(
        &repo,
        at(&repo, &on("15:00"), ADA, &["close", &id]),
        1,
        "changes declaring impact area security need a post-implementation review first",
    );
    // Closed by hand without it: L003.
    let path = format!(".changes/{id}.yaml");
    let closed = repo
        .read(&path)
        .replace("status: verified", "status: closed");
    repo.write(&path, &closed);
    commit_register(
        &repo,
        &on("15:00"),
        ADA,
        &format!("Close {id}\n\nChange: {id}"),
    );
    caught(
        &repo,
        &on("15:30"),
        "L003",
        Some(&id),
        "closed without the required post-implementation review",
    );
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    run(
        &repo,
        &on("16:00"),
        SAM,
        &["review", &id, "--outcome", "achieved"],
    );
    run(&repo, &on("16:00"), ADA, &["close", &id]);
}

/// §8 "Validation must include: … Regression checks": shown after approval, before
/// the change reaches production.
#[test]
fn regression_checks_are_recorded_before_production() {
    let repo = adopt();
    let normal = approved_normal(&repo, DAY, &[]);
    run(&repo, &on("13:00"), ADA, &["start", &normal]);
    refused(
        &repo,
        at(
            &repo,
            &on("14:00"),
            LEE,
            &["deploy", &normal, "--env", "production"],
        ),
        1,
        "cannot be deployed to production yet: its gate asks for evidence:regression-checks",
    );
    evidence(&repo, &on("14:30"), PEG, &normal, &["regression-checks"]);
    run(
        &repo,
        &on("15:00"),
        LEE,
        &["deploy", &normal, "--env", "production"],
    );
    // Recorded after approval, the evidence left the approvals current.
    assert!(!rules_on(&repo, &on("15:10"), &normal).contains(&"P005".to_string()));
    // The evidence renamed by hand: the deployment went out without it.
    hand_edit(
        &repo,
        &normal,
        "kind: regression-checks",
        "kind: smoke-test",
    );
    caught(
        &repo,
        &on("15:10"),
        "L007",
        Some(&normal),
        "the move deploy to production at 2026-03-03T15:00:00Z lacked what its gate asks for: evidence:regression-checks",
    );
}

/// §2.4 "Emergency changes may defer documentation, not eliminate it"; §3 "No change
/// is complete until documentation is updated".
#[test]
fn no_change_closes_before_its_documentation_is_updated() {
    let repo = adopt();
    let id = emergency_deployed(&repo);
    approve(&repo, &on("08:00"), IAN, &id, "incident-commander");
    retrospective(&repo, &id);
    run(&repo, &on("09:00"), LEE, &["verify", &id]);
    review(&repo, &on("10:00"), IAN, &id);
    refused(
        &repo,
        at(&repo, &on("11:00"), ADA, &["close", &id]),
        1,
        "cannot be closed yet: its gate asks for evidence:docs-updated",
    );
    // Closed by hand without the documentation: caught.
    close_by_hand(&repo, &id, "2026-03-03T11:00:00Z");
    caught(
        &repo,
        &on("11:10"),
        "L007",
        Some(&id),
        "the move close at 2026-03-03T11:00:00Z lacked what its gate asks for: evidence:docs-updated",
    );
}
