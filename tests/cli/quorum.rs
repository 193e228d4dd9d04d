//! Approval by any one of several roles (`"cto or ciso"`) and by a quorum of a role
//! (`"2 of cab"`): what fills them, what chg says while they are short, and which
//! entries the policy refuses.

use crate::common::replaced;
use crate::common::{findings_at, outcome, refused, stdout_of, TestRepo, Who, NOW};
use crate::preset_risk_score::{move_by_hand, push_item, record};

const LEE: Who = ("Lee Chen", "lee@example.com");
const SAM: Who = ("Sam Okafor", "sam@example.com");
const CY: Who = ("Cy Tan", "cy@example.com");
const CIS: Who = ("Cis Ode", "cis@example.com");

const ROLES: &str = "[roles]\ncab = [\"lee@example.com\", \"sam@example.com\", \"ian@example.com\"]\ncto = [\"cy@example.com\"]\nciso = [\"cis@example.com\"]\n";

/// A repository whose normal changes need `approvals`, holding one submitted by Ada.
fn awaiting(approvals: &str) -> (TestRepo, String) {
    awaiting_under(ROLES, approvals)
}

/// The same, with `roles` for its `[roles]` table.
fn awaiting_under(roles: &str, approvals: &str) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        &format!(
            "{roles}[classes.normal]\nrequires = [\"description\"]\napprovals = {approvals}\n"
        ),
    );
    repo.commit_all("Adopt chg");
    let id = repo.complete_change("Rotate the keys", "normal");
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all(&format!("Propose {id}"));
    (repo, id)
}

fn approve(repo: &TestRepo, who: Who, args: &[&str]) -> assert_cmd::Command {
    let mut all = vec!["approve", "--commit"];
    all.extend_from_slice(args);
    repo.chg_as(who.0, who.1, &all)
}

fn status(repo: &TestRepo, id: &str) -> String {
    let yaml = repo.read(&record(id));
    let line = yaml.lines().find(|l| l.starts_with("status: ")).unwrap();
    line["status: ".len()..].to_string()
}

#[test]
fn either_role_of_an_any_of_requirement_approves_the_change() {
    for (who, other, role) in [(CY, CIS, "ciso"), (CIS, CY, "cto")] {
        let (repo, id) = awaiting("[\"cab\", \"cto or ciso\"]");
        approve(&repo, who, &[&id]).assert().success();
        refused(
            &repo,
            approve(&repo, other, &[&id, "--role", role]),
            1,
            &format!("is already approved as cto or ciso (by {})", who.1),
        );
        approve(&repo, LEE, &[&id]).assert().success();
        assert_eq!(status(&repo, &id), "approved", "{}", who.1);
        let (code, findings) = findings_at(&repo, NOW);
        assert_eq!(code, 0, "{findings:?}");
        assert!(findings.is_empty(), "{findings:?}");
    }
}

#[test]
fn a_quorum_short_of_its_count_blocks_the_start_and_says_what_it_lacks() {
    let (repo, id) = awaiting("[\"2 of cab\"]");
    approve(&repo, LEE, &[&id]).assert().success();
    assert_eq!(status(&repo, &id), "submitted");
    refused(
        &repo,
        repo.chg(&["start", &id]),
        1,
        "it still needs approval from 2 of cab: 1 of 2 (lee@example.com)",
    );
    let shown = stdout_of(&mut repo.chg(&["show", &id]));
    assert!(
        shown.contains("needed: 2 of cab: 1 of 2 (lee@example.com)"),
        "{shown}"
    );
    let audit = stdout_of(&mut repo.chg(&["audit", "--format", "json"]));
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let entry = &audit["changes"][0];
    assert_eq!(
        entry["approval"],
        "missing: 2 of cab: 1 of 2 (lee@example.com)"
    );
    assert_eq!(
        entry["requirements"][0],
        serde_json::json!({"need": "2 of cab", "count": 2, "roles": ["cab"],
                           "approved_by": ["lee@example.com"], "met": false})
    );
    // Who can still help: another member of the board, not Lee again.
    let waiting =
        |who: Who| stdout_of(&mut repo.chg_as(who.0, who.1, &["list", "--waiting-for-me"]));
    assert!(waiting(SAM).contains(&id));
    assert!(!waiting(LEE).contains(&id));

    move_by_hand(&repo, &id, "submitted", "approved", "2026-11-21T10:00:00Z");
    repo.commit_all(&format!("Approve {id} by hand"));
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    let p001: Vec<_> = findings.iter().filter(|f| f.rule == "P001").collect();
    assert_eq!(p001.len(), 1, "{findings:?}");
    assert!(
        p001[0]
            .message
            .contains("not approved by 2 of cab: 1 of 2 (lee@example.com)"),
        "{}",
        p001[0].message
    );

    approve(&repo, SAM, &[&id]).assert().success();
    assert!(stdout_of(&mut repo.chg(&["show", &id])).contains("approved: cab by sam@example.com"));
}

#[test]
fn the_same_person_twice_is_not_a_quorum() {
    let (repo, id) = awaiting("[\"2 of cab\"]");
    approve(&repo, LEE, &[&id]).assert().success();
    for args in [vec![id.as_str()], vec![id.as_str(), "--role", "cab"]] {
        let stderr = refused(&repo, approve(&repo, LEE, &args), 1, "already approved");
        assert!(
            stderr.contains("towards `2 of cab`, which counts each person once"),
            "{stderr}"
        );
        assert!(
            stderr.contains("1 more approval from someone else in cab"),
            "{stderr}"
        );
    }

    // Written by hand: a copy of Lee's approval, and the status moved on.
    let yaml = repo.read(&record(&id));
    let start = yaml.find("\napprovals:\n").unwrap() + "\napprovals:\n".len();
    let mut lines = yaml[start..].split_inclusive('\n');
    let head = lines.next().unwrap();
    let rest = lines.take_while(|l| l.starts_with("  "));
    let first: String = std::iter::once(head).chain(rest).collect();
    let first = first.replace("at: 2026-11-21T10:30:00Z", "at: 2026-11-21T10:31:00Z");
    repo.write(&record(&id), &push_item(&yaml, "approvals", &first));
    move_by_hand(&repo, &id, "submitted", "approved", "2026-11-21T10:32:00Z");
    repo.commit_all_as(NOW, LEE, &format!("Approve {id} again"));
    let (_, findings) = findings_at(&repo, NOW);
    let p001: Vec<_> = findings.iter().filter(|f| f.rule == "P001").collect();
    assert_eq!(p001.len(), 1, "{findings:?}");
    assert!(
        p001[0]
            .message
            .contains("its approver already counts towards `2 of cab`"),
        "{}",
        p001[0].message
    );
}

#[test]
fn a_malformed_requirement_is_a_configuration_error_naming_file_and_key() {
    for (entry, says) in [
        ("0 of cab", "asks for nobody"),
        ("cab or", "ends with `or`"),
        ("cab and cto", "joins roles with something other than `or`"),
        ("4 of cab", "asks for 4 people but its roles list 3"),
        ("2 of board", "role `board` is not defined"),
        ("cto or cto", "names `cto` twice"),
    ] {
        let (repo, id) = awaiting("[\"cab\"]");
        let policy = repo.read(".changes.toml");
        repo.write(
            ".changes.toml",
            &policy.replace(
                "approvals = [\"cab\"]",
                &format!("approvals = [\"{entry}\"]"),
            ),
        );
        let stderr = refused(&repo, approve(&repo, LEE, &[&id]), 2, says);
        assert!(stderr.contains(".changes.toml"), "{entry}: {stderr}");
        assert!(stderr.contains("approvals"), "{entry}: {stderr}");
        let (code, _, stderr) = outcome(&mut repo.chg(&["check"]));
        assert_eq!(code, 2, "{entry}: {stderr}");
    }
}

#[test]
fn several_roles_of_one_person_ask_which_and_a_quorum_may_span_roles() {
    let roles = ROLES.replace(
        "cto = [\"cy@example.com\"]",
        "cto = [\"cy@example.com\", \"lee@example.com\"]",
    );
    let (repo, id) = awaiting_under(&roles, "[\"2 of cab or cto\"]");
    refused(
        &repo,
        approve(&repo, LEE, &[&id]),
        2,
        "as cab or cto: say which with --role",
    );
    approve(&repo, LEE, &[&id, "--role", "cto"])
        .assert()
        .success();
    refused(
        &repo,
        approve(&repo, LEE, &[&id, "--role", "cab"]),
        1,
        "counts each person once",
    );
    approve(&repo, CY, &[&id]).assert().success();
    assert_eq!(status(&repo, &id), "approved");
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 0, "{findings:?}");
}

/// Lee approves, then writes a second approval into the record in Sam's name (once
/// as Sam's address, once as it with other case and blanks) and commits it himself:
/// the YAML holds two of cab, but git shows one person, so the check fails on the
/// forged entry (P004), and the audit lists it as failed and fills nothing with it.
#[test]
fn an_approval_written_in_another_member_s_name_does_not_fill_a_quorum() {
    for sam in ["sam@example.com", "' SAM@Example.com '"] {
        let (repo, id) = awaiting("[\"2 of cab\"]");
        approve(&repo, LEE, &[&id]).assert().success();
        let yaml = repo.read(&record(&id));
        let start = yaml.find("\napprovals:\n").unwrap() + "\napprovals:\n".len();
        let mut lines = yaml[start..].split_inclusive('\n');
        let head = lines.next().unwrap();
        let rest = lines.take_while(|l| l.starts_with("  "));
        let lee: String = std::iter::once(head).chain(rest).collect();
        let forged = replaced(&lee, "by: lee@example.com", &format!("by: {sam}"));
        repo.write(&record(&id), &push_item(&yaml, "approvals", &forged));
        move_by_hand(&repo, &id, "submitted", "approved", "2026-11-21T10:32:00Z");
        repo.commit_all_as(NOW, LEE, &format!("Approve {id} for Sam"));
        let (code, findings) = findings_at(&repo, NOW);
        assert_eq!(code, 1, "{sam}: {findings:?}");
        assert!(
            findings.iter().any(|f| f.rule == "P004"
                && f.message.contains("as cab was added in")
                && f.message.contains("authored by lee@example.com")),
            "{sam}: {findings:?}"
        );
        let audit = stdout_of(&mut repo.chg(&["audit", "--format", "json"]));
        let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
        let change = &audit["changes"][0];
        assert_eq!(
            change["approval"], "missing: 2 of cab: 1 of 2 (lee@example.com)",
            "{sam}: {audit}"
        );
        assert_eq!(change["requirements"][0]["met"], false, "{sam}: {audit}");
        assert_eq!(
            change["approvals"][1]["commit_author"]["verdict"], "failed",
            "{sam}: {audit}"
        );
    }
}
