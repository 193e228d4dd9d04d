//! Each bad input named by the foundation issue: exit code, message, nothing changed.

use crate::common::{refused, TestRepo};

const VALID: &str = "id: CHG-2026-0001\ntitle: t\nclass: normal\nstatus: draft\n\
created_at: 2026-11-21T10:30:00Z\nauthor: Ada <ada@example.com>\n";

fn repo_with_record(text: &str) -> TestRepo {
    let repo = TestRepo::initialised();
    repo.write(".changes/CHG-2026-0001.yaml", text);
    repo
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let repo = repo_with_record(&format!("{VALID}description: [unclosed\n"));
    refused(
        &repo,
        repo.chg(&["show", "CHG-2026-0001"]),
        2,
        ".changes/CHG-2026-0001.yaml:",
    );
    let stderr = refused(
        &repo,
        repo.chg(&["list"]),
        2,
        "1 record(s) could not be read",
    );
    assert!(stderr.contains(".changes/CHG-2026-0001.yaml:"), "{stderr}");
}

#[test]
fn a_record_with_an_unknown_key_is_refused_where_the_key_is() {
    let repo = repo_with_record(&format!("{VALID}rollbak:\n  plan: oops\n"));
    refused(
        &repo,
        repo.chg(&["show", "CHG-2026-0001"]),
        2,
        ".changes/CHG-2026-0001.yaml:7:1: unknown field `rollbak`",
    );
}

#[test]
fn unknown_class_or_status_values_are_refused() {
    let repo = repo_with_record(&VALID.replace("class: normal", "class: urgent"));
    refused(
        &repo,
        repo.chg(&["show", "CHG-2026-0001"]),
        2,
        "3:8: class: unknown variant `urgent`",
    );
    let repo = repo_with_record(&VALID.replace("status: draft", "status: done"));
    refused(
        &repo,
        repo.chg(&["show", "CHG-2026-0001"]),
        2,
        "unknown variant `done`",
    );
}

#[test]
fn the_other_records_are_listed_and_the_bad_one_reported() {
    let repo = repo_with_record(&VALID.replace("class: normal", "class: urgent"));
    let good = repo.new_change("Good one");
    let out = repo.chg(&["list", "--format", "csv"]).assert().code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stdout.contains(&good), "{stdout}");
    assert!(stderr.contains("CHG-2026-0001.yaml"), "{stderr}");
}

#[test]
fn ids_that_are_not_of_the_id_shape_never_reach_the_file_system() {
    let repo = TestRepo::initialised();
    for id in [
        "../../etc/passwd",
        "/etc/passwd",
        "CHG-2026-0001/../../x",
        "chg-2026-0001",
        "CHG-2026-0001.yaml",
        "",
    ] {
        refused(&repo, repo.chg(&["show", id]), 2, "is not a change ID");
        refused(&repo, repo.chg(&["edit", id]), 2, "is not a change ID");
    }
}

#[test]
fn an_unknown_well_formed_id_is_an_input_error() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&["show", "CHG-2026-0042"]),
        2,
        "no change CHG-2026-0042",
    );
    refused(
        &repo,
        repo.chg(&["edit", "CHG-2026-0042"]),
        2,
        "no change CHG-2026-0042",
    );
}

#[test]
fn outside_a_git_repository_every_command_says_so() {
    let dir = TestRepo::bare_dir();
    for args in [
        &["list"][..],
        &["init"],
        &["new", "--title", "t", "--class", "normal"],
        &["show", "CHG-2026-0001"],
    ] {
        let stderr = refused(&dir, dir.chg(args), 2, "not a git repository");
        assert!(stderr.contains("git init"), "{stderr}");
    }
}

#[test]
fn a_missing_dash_c_directory_is_an_input_error() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&["-C", "no/such/dir", "list"]),
        2,
        "no such directory",
    );
}

#[test]
fn bad_toml_in_the_policy_is_refused_with_its_location() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", "[changes]\nid_prefix = \"CHG\n");
    let stderr = refused(
        &repo,
        repo.chg(&["list"]),
        2,
        ".changes.toml is not a valid policy",
    );
    assert!(stderr.contains("line 2"), "{stderr}");
}

#[test]
fn an_unknown_policy_key_is_refused_with_its_location() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[changes]\nid_prefix = \"CHG\"\n\n[approvals]\nseparation_of_duty = true\n",
    );
    let stderr = refused(
        &repo,
        repo.chg(&["new", "--title", "t", "--class", "normal"]),
        2,
        "unknown field `separation_of_duty`",
    );
    assert!(stderr.contains("line 5"), "{stderr}");
}

#[test]
fn no_git_identity_is_an_error_with_the_fix() {
    let repo = TestRepo::initialised();
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let stderr = refused(
        &repo,
        repo.chg(&["new", "--title", "t", "--class", "normal"]),
        2,
        "no git identity",
    );
    assert!(stderr.contains("git config user.email"), "{stderr}");
    assert!(stderr.contains("git config user.name"), "{stderr}");
    refused(&repo, repo.chg(&["list", "--mine"]), 2, "no git identity");
}

#[test]
fn a_bad_chg_now_is_an_input_error() {
    let repo = TestRepo::initialised();
    let mut cmd = repo.chg(&["new", "--title", "t", "--class", "normal"]);
    cmd.env("CHG_NOW", "yesterday");
    refused(&repo, cmd, 2, "CHG_NOW");
}
