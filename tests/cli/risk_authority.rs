//! Who may lower a change's risk, what risk a pre-approved class carries, and who may
//! authorise an emergency: the forged path beside the honest one, through the binary.

use crate::common::{findings_at, outcome, refused, replaced, Finding, TestRepo, Who, NOW};

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const CAT: Who = ("Cat Board", "cat@example.com");
const EVE: Who = ("Eve Executive", "eve@example.com");
const IAN: Who = ("Ian Incident", "ian@example.com");

const POLICY: &str = r#"
[roles]
cab = ["cat@example.com"]
executive = ["eve@example.com"]
incident-commander = ["ian@example.com"]

[classes.standard]
max_risk = "low"

[classes.normal]
requires = ["description"]
approvals = []

[classes.emergency]
requires = ["description"]
approvals = ["incident-commander"]
authorizers = ["incident-commander"]

[risk]
authority = ["cab"]

[approvals]
auto_approve = ["low"]

[approvals.by_risk]
critical = ["executive"]
"#;

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Adopt the change policy");
    repo
}

fn path(id: &str) -> String {
    format!(".changes/{id}.yaml")
}

fn chg(repo: &TestRepo, who: Who, args: &[&str]) -> assert_cmd::Command {
    repo.chg_as(who.0, who.1, args)
}

fn status(repo: &TestRepo, id: &str) -> String {
    let yaml = repo.read(&path(id));
    let line = yaml.lines().find(|l| l.starts_with("status: ")).unwrap();
    line["status: ".len()..].to_string()
}

fn about<'a>(findings: &'a [Finding], rule: &str, id: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.rule == rule && f.record.as_deref() == Some(id))
        .collect()
}

/// A normal change the matrix rates critical, declared low with a justification by its
/// author, then submitted and committed.
fn declared_low(repo: &TestRepo) -> String {
    let id = repo.create(&[
        "--title",
        "Drop the legacy ledger",
        "--class",
        "normal",
        "--description",
        "Drops the table",
        "--rollback",
        "Restore from the backup",
        "--likelihood",
        "almost-certain",
        "--impact",
        "catastrophic",
    ]);
    let yaml = replaced(
        &repo.read(&path(&id)),
        "  impact: catastrophic\n",
        "  impact: catastrophic\n  level: low\n  justification: nobody reads it\n",
    );
    repo.write(&path(&id), &yaml);
    chg(repo, ADA, &["submit", &id]).assert().success();
    repo.commit_all_as(NOW, ADA, &format!("Propose {id}"));
    id
}

/// `status: submitted` rewritten to `approved` by hand, as a forger would.
fn forge_approved(repo: &TestRepo, id: &str) {
    let yaml = replaced(
        &repo.read(&path(id)),
        "status: submitted\n",
        "status: approved\n",
    )
        + "- from: submitted\n  to: approved\n  at: 2026-11-21T10:30:00Z\n  by: ada@example.com\n";
    repo.write(&path(id), &yaml);
    repo.commit_all_as(NOW, ADA, &format!("Approve {id}"));
}

#[test]
fn a_requester_s_own_lower_risk_level_approves_nothing() {
    let repo = repo();
    let id = declared_low(&repo);
    // Before, low was auto-approved on submit; now the change waits at critical.
    assert_eq!(status(&repo, &id), "submitted");
    let show = String::from_utf8(
        chg(&repo, ADA, &["show", &id])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(show.contains("needed: executive"), "{show}");
    assert!(
        show.contains("held to the derived level until the risk authority (cab) approves"),
        "{show}"
    );

    forge_approved(&repo, &id);
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1, "{findings:?}");
    let p010 = about(&findings, "P010", &id);
    assert_eq!(p010.len(), 1, "{findings:?}");
    assert!(
        p010[0]
            .message
            .contains("says low but the policy derives critical")
            && p010[0]
                .message
                .contains("no risk authority (cab) accepted it"),
        "{p010:?}"
    );
    let p001 = about(&findings, "P001", &id);
    assert!(
        p001.len() == 1 && p001[0].message.contains("not approved by executive"),
        "{findings:?}"
    );
    let (_, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert!(stdout.contains("P010") && stdout.contains(&id), "{stdout}");
}

#[test]
fn the_risk_authority_accepting_the_lower_level_lets_it_stand() {
    let repo = repo();
    let id = declared_low(&repo);
    // The requester cannot accept it: not in the role, and not the author's call.
    refused(
        &repo,
        chg(&repo, ADA, &["approve", &id, "--role", "cab"]),
        1,
        "wrote",
    );
    chg(&repo, CAT, &["approve", &id, "--role", "cab"])
        .assert()
        .success();
    // Accepted at low, the change is auto-approved.
    assert_eq!(status(&repo, &id), "approved");
    repo.commit_all_as(NOW, CAT, &format!("Accept the risk of {id}"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 0, "{findings:?}");
    assert!(about(&findings, "P010", &id).is_empty(), "{findings:?}");
}

#[test]
fn approvals_at_the_derived_level_need_no_acceptance() {
    let repo = repo();
    let id = declared_low(&repo);
    chg(&repo, EVE, &["approve", &id]).assert().success();
    assert_eq!(status(&repo, &id), "approved");
    repo.commit_all_as(NOW, EVE, &format!("Approve {id}"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 0, "{findings:?}");
}

#[test]
fn an_edit_after_the_acceptance_brings_the_derived_level_back() {
    let repo = repo();
    let id = declared_low(&repo);
    chg(&repo, CAT, &["approve", &id, "--role", "cab"])
        .assert()
        .success();
    repo.commit_all_as(NOW, CAT, &format!("Accept the risk of {id}"));
    let yaml = replaced(
        &repo.read(&path(&id)),
        "Drops the table",
        "Drops the table and its backups",
    );
    repo.write(&path(&id), &yaml);
    repo.commit_all_as(NOW, ADA, &format!("Widen {id}"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(about(&findings, "P010", &id).len(), 1, "{findings:?}");
}

/// A standard change assessed at `likelihood` x `impact`, submitted and committed.
fn standard(repo: &TestRepo, likelihood: &str, impact: &str) -> String {
    let id = repo.create(&[
        "--title",
        "Rotate the logs",
        "--class",
        "standard",
        "--description",
        "Routine rotation",
        "--likelihood",
        likelihood,
        "--impact",
        impact,
    ]);
    chg(repo, ADA, &["submit", &id]).assert().success();
    repo.commit_all_as(NOW, ADA, &format!("Propose {id}"));
    id
}

#[test]
fn a_standard_change_above_its_class_s_max_risk_is_not_pre_approved() {
    let repo = repo();
    let routine = standard(&repo, "rare", "minor");
    assert_eq!(status(&repo, &routine), "approved");
    // Rated high: the class and the level name nobody, so the risk authority is owed.
    let risky = standard(&repo, "likely", "major");
    assert_eq!(status(&repo, &risky), "submitted");
    forge_approved(&repo, &risky);
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1, "{findings:?}");
    let p001 = about(&findings, "P001", &risky);
    assert!(
        p001.len() == 1 && p001[0].message.contains("not approved by cab"),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .all(|f| f.record.as_deref() != Some(routine.as_str())),
        "{findings:?}"
    );
}

#[test]
fn a_standard_change_above_its_max_risk_is_approved_by_the_risk_authority() {
    let repo = repo();
    let risky = standard(&repo, "likely", "major");
    chg(&repo, CAT, &["approve", &risky]).assert().success();
    assert_eq!(status(&repo, &risky), "approved");
    repo.commit_all_as(NOW, CAT, &format!("Approve {risky}"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 0, "{findings:?}");
}

fn emergency_args(authoriser: &str) -> Vec<&str> {
    vec![
        "new",
        "--no-input",
        "--title",
        "Patch the login bypass",
        "--class",
        "emergency",
        "--description",
        "Closes the bypass",
        "--rollback",
        "Revert the patch",
        "--incident",
        "INC-42",
        "--authorized-by",
        authoriser,
    ]
}

#[test]
fn an_emergency_authorised_by_someone_outside_the_roles_is_refused() {
    let repo = repo();
    let stderr = refused(
        &repo,
        chg(&repo, ADA, &emergency_args("intern@example.com")),
        1,
        "intern@example.com cannot authorise an emergency change: only members of \
         incident-commander (ian@example.com) may",
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!repo.path().join(".changes").exists());

    // The incident commander may.
    let out = chg(&repo, ADA, &emergency_args(IAN.1)).assert().success();
    let id = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let id = id.split_whitespace().next().unwrap().to_string();
    repo.commit_all_as(NOW, ADA, &format!("Declare {id}"));
    let (_, findings) = findings_at(&repo, NOW);
    assert!(about(&findings, "P011", &id).is_empty(), "{findings:?}");

    // An edit naming the intern is refused and leaves the record as it was.
    let mut edit = chg(&repo, ADA, &["edit", &id]);
    edit.env(
        "EDITOR",
        "sed -i -e 's/ian@example.com/intern@example.com/'",
    );
    let stderr = refused(
        &repo,
        edit,
        1,
        "intern@example.com cannot authorise an emergency change",
    );
    assert!(stderr.contains("was not changed"), "{stderr}");

    // By hand, it is caught.
    let yaml = replaced(
        &repo.read(&path(&id)),
        "- ian@example.com",
        "- intern@example.com",
    );
    repo.write(&path(&id), &yaml);
    repo.commit_all_as(NOW, ADA, &format!("Edit {id}"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1, "{findings:?}");
    let p011 = about(&findings, "P011", &id);
    assert!(
        p011.len() == 1 && p011[0].message.contains("intern@example.com"),
        "{findings:?}"
    );
}

#[test]
fn with_no_authorizers_anyone_may_authorise() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        &replaced(POLICY, "authorizers = [\"incident-commander\"]\n", ""),
    );
    repo.commit_all("Adopt the change policy");
    chg(&repo, ADA, &emergency_args("intern@example.com"))
        .assert()
        .success();
    repo.commit_all_as(NOW, ADA, "Declare an emergency");
    let (_, findings) = findings_at(&repo, NOW);
    assert!(findings.iter().all(|f| f.rule != "P011"), "{findings:?}");
}
