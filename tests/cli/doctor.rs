//! `chg doctor`: what in a setup makes chg fail or mislead, each with its fix, on
//! real repositories. Where a fix is a command, the test runs it and sees the check
//! pass, so that the advice is proven and not only printed.

use crate::common::{outcome, refused, snapshot_of, write_script, TestRepo};
use serde_json::Value;
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// One line of `chg doctor --format json`.
#[derive(Debug)]
struct Check {
    name: String,
    status: String,
    detail: String,
    fix: Option<String>,
}

/// The directory of the chg under test.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_chg"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// PATH with `first` ahead of the rest, and no other chg in it.
fn path_with_first(first: &Path) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let rest = std::env::split_paths(&rest).filter(|d| !d.join("chg").exists());
    std::env::join_paths(std::iter::once(first.to_path_buf()).chain(rest)).unwrap()
}

/// `chg doctor --format json` with this chg first on PATH: the exit code and checks.
fn doctor(repo: &TestRepo) -> (i32, Vec<Check>) {
    doctor_with(repo.chg(&["doctor", "--format", "json"]))
}

/// [`doctor`] through `cmd`, a `chg doctor --format json` as someone else.
fn doctor_with(mut cmd: assert_cmd::Command) -> (i32, Vec<Check>) {
    cmd.env("PATH", path_with_first(&bin_dir()));
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert!(code == 0 || code == 1, "doctor could not run: {stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("doctor JSON");
    let checks = report["checks"]
        .as_array()
        .expect("a list of checks")
        .iter()
        .map(|c| Check {
            name: c["name"].as_str().unwrap().to_string(),
            status: c["status"].as_str().unwrap().to_string(),
            detail: c["detail"].as_str().unwrap().to_string(),
            fix: c["fix"].as_str().map(str::to_string),
        })
        .collect();
    (code, checks)
}

/// The check named `name`; panics, listing all, when there is none.
fn check<'a>(checks: &'a [Check], name: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name:?} in {checks:#?}"))
}

/// Asserts that check `name` has `status`, says `needle`, and offers `fix`.
fn assert_check(checks: &[Check], name: &str, status: &str, needle: &str, fix: Option<&str>) {
    let c = check(checks, name);
    assert_eq!(c.status, status, "{c:#?}");
    assert!(c.detail.contains(needle), "detail lacks {needle:?}: {c:#?}");
    match fix {
        Some(fix) => assert!(
            c.fix.as_deref().is_some_and(|f| f.contains(fix)),
            "fix lacks {fix:?}: {c:#?}"
        ),
        None => assert_eq!(c.fix, None, "{c:#?}"),
    }
}

const HOOKS: [&str; 3] = ["pre-commit", "commit-msg", "pre-push"];

fn hook_check(hook: &str) -> String {
    format!("hook {hook}")
}

/// An initialised repository with chg's hooks installed by the chg under test.
fn healthy() -> TestRepo {
    let repo = TestRepo::initialised();
    repo.chg(&["hook", "install"]).assert().success();
    repo
}

/// Every file under `.git` and the working tree, to prove that doctor wrote nothing.
fn everything(repo: &TestRepo) -> (impl PartialEq, impl PartialEq) {
    (repo.snapshot(), snapshot_of(&repo.path().join(".git")))
}

#[test]
fn a_healthy_repository_passes_every_check_and_exits_0() {
    let repo = healthy();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    let names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "identity",
            "policy",
            "hook pre-commit",
            "hook commit-msg",
            "hook pre-push",
            "schema",
            "baseline",
            "shallow",
            "grafts",
            "cache",
            "records",
            "layout",
            "path",
        ]
    );
    for c in &checks {
        assert_eq!(c.status, "ok", "{c:#?}");
        assert_eq!(c.fix, None, "{c:#?}");
    }
    assert_check(&checks, "identity", "ok", "ada@example.com", None);
    assert_check(&checks, "identity", "ok", "approver", None);
    assert_check(
        &checks,
        "hook pre-push",
        "ok",
        env!("CARGO_BIN_EXE_chg"),
        None,
    );
    assert_check(&checks, "cache", "ok", "none yet", None);
}

#[test]
fn the_terminal_report_lists_each_check_with_its_status_and_fix() {
    let repo = TestRepo::initialised();
    let mut cmd = repo.chg(&["doctor"]);
    cmd.env("PATH", path_with_first(&bin_dir()));
    let (code, stdout, _) = outcome(&mut cmd);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("ok"), "{stdout}");
    assert!(stdout.contains("identity"), "{stdout}");
    assert!(
        stdout.contains("warning  hook pre-commit: not installed"),
        "{stdout}"
    );
    assert!(stdout.contains("fix: chg hook install"), "{stdout}");
    assert!(stdout.contains("3 warnings"), "{stdout}");
}

#[test]
fn the_json_report_has_name_status_detail_and_fix_for_every_check() {
    let repo = TestRepo::initialised();
    let mut cmd = repo.chg(&["doctor", "--format", "json"]);
    let (_, stdout, stderr) = outcome(&mut cmd);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let top: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(top, ["checks"]);
    for c in report["checks"].as_array().unwrap() {
        let mut keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["detail", "fix", "name", "status"], "{c}");
        let status = c["status"].as_str().unwrap();
        assert!(["ok", "warning", "problem"].contains(&status), "{c}");
        assert_eq!(c["fix"].is_null(), status == "ok", "{c}");
    }
}

#[test]
fn missing_hooks_are_warnings_that_chg_hook_install_fixes() {
    let repo = TestRepo::initialised();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "warnings alone exit 0: {checks:#?}");
    for hook in HOOKS {
        let name = hook_check(hook);
        assert_check(
            &checks,
            &name,
            "warning",
            "not installed",
            Some("chg hook install"),
        );
    }
    repo.chg(&["hook", "install"]).assert().success();
    let (_, checks) = doctor(&repo);
    for hook in HOOKS {
        assert_check(&checks, &hook_check(hook), "ok", "chg's", None);
    }
}

#[test]
fn a_hook_that_is_not_chgs_is_a_warning_naming_the_forced_install() {
    let repo = healthy();
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\nexec make lint\n").unwrap();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(
        &checks,
        "hook pre-commit",
        "warning",
        "not chg's",
        Some("chg hook install --force"),
    );
    assert_check(&checks, "hook commit-msg", "ok", "chg's", None);
}

#[test]
fn a_hook_that_git_cannot_run_is_a_problem() {
    let repo = healthy();
    let hook = repo.path().join(".git/hooks/commit-msg");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "hook commit-msg",
        "problem",
        "not executable",
        Some("chg hook install"),
    );
}

#[test]
fn a_hook_running_a_deleted_chg_is_a_problem_naming_its_path() {
    let repo = TestRepo::initialised();
    let copy = repo.install_hooks_with_a_copy();
    std::fs::remove_file(&copy).unwrap();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    let gone = copy.to_str().unwrap();
    for hook in HOOKS {
        let name = hook_check(hook);
        assert_check(&checks, &name, "problem", gone, Some("chg hook install"));
        assert_check(
            &checks,
            &name,
            "problem",
            "no longer exists",
            Some("chg hook install"),
        );
    }
    let mut cmd = repo.chg(&["doctor"]);
    let (code, stdout, _) = outcome(&mut cmd);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!("problem  hook pre-commit: runs {gone}")),
        "{stdout}"
    );

    repo.chg(&["hook", "install"]).assert().success();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
}

#[test]
fn a_hook_running_another_chg_binary_is_a_problem() {
    let repo = TestRepo::initialised();
    let copy = repo.install_hooks_with_a_copy();
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "hook pre-push", "ok", copy.to_str().unwrap(), None);
    // Another build: the same path no longer holds these bytes.
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes.extend_from_slice(b"another build");
    std::fs::write(&copy, bytes).unwrap();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "hook pre-push",
        "problem",
        "another chg than this one",
        Some("chg hook install"),
    );
}

#[test]
fn a_schema_out_of_date_is_a_warning_that_chg_schema_write_fixes() {
    let repo = healthy();
    repo.write(".changes/schema.json", "{\"title\": \"an older schema\"}\n");
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(
        &checks,
        "schema",
        "warning",
        "not the schema this chg prints",
        Some("chg schema --write"),
    );
    std::fs::remove_file(repo.path().join(".changes/schema.json")).unwrap();
    let (_, checks) = doctor(&repo);
    assert_check(
        &checks,
        "schema",
        "warning",
        "missing",
        Some("chg schema --write"),
    );
    repo.chg(&["schema", "--write"]).assert().success();
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "schema", "ok", ".changes/schema.json", None);
}

#[test]
fn a_shallow_clone_is_a_problem_that_git_fetch_unshallow_fixes() {
    let origin = healthy();
    origin.commit_all("More work");
    origin.commit_all("Yet more work");
    let clone = TestRepo::clone_of(&origin, &["--depth", "1"]);
    clone.chg(&["hook", "install"]).assert().success();
    let (code, checks) = doctor(&clone);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "shallow",
        "problem",
        "shallow clone",
        Some("git fetch --unshallow"),
    );
    clone.git(&["fetch", "-q", "--unshallow"]);
    let (code, checks) = doctor(&clone);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(&checks, "shallow", "ok", "whole history", None);
}

#[test]
fn a_grafts_file_is_a_problem_that_converting_it_to_replacements_fixes() {
    let repo = healthy();
    repo.commit_all("More work");
    let head = repo.git(&["rev-parse", "HEAD"]);
    // The last commit given no parent: git's walks stop there.
    repo.write(".git/info/grafts", &head);
    let before = everything(&repo);
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "grafts",
        "problem",
        "other parents",
        Some("git replace --convert-graft-file"),
    );
    assert!(before == everything(&repo), "doctor wrote nothing");
    repo.git(&["replace", "--convert-graft-file"]);
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(&checks, "grafts", "ok", "as committed", None);
}

#[test]
fn a_baseline_beyond_a_shallow_clone_says_to_unshallow() {
    let origin = TestRepo::initialised();
    let first = origin.git(&["rev-parse", "HEAD"]).trim().to_string();
    origin.write(
        ".changes.toml",
        &format!("[changes]\nbaseline = \"{first}\"\n"),
    );
    origin.commit_all("Set the baseline");
    origin.commit_all("More work");
    let clone = TestRepo::clone_of(&origin, &["--depth", "1"]);
    let (_, checks) = doctor(&clone);
    assert_check(
        &checks,
        "baseline",
        "problem",
        &first,
        Some("git fetch --unshallow"),
    );
}

#[test]
fn a_baseline_not_in_this_clone_or_not_a_commit_id_is_a_problem() {
    let repo = healthy();
    let absent = "0123456789abcdef0123456789abcdef01234567";
    repo.write(
        ".changes.toml",
        &format!("[changes]\nbaseline = \"{absent}\"\n"),
    );
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "baseline",
        "problem",
        absent,
        Some("[changes] baseline"),
    );

    repo.write(".changes.toml", "[changes]\nbaseline = \"main\"\n");
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "baseline",
        "problem",
        "not a full commit id",
        Some("git rev-parse"),
    );

    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write(
        ".changes.toml",
        &format!("[changes]\nbaseline = \"{head}\"\n"),
    );
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(&checks, "baseline", "ok", &head[..10], None);
}

#[test]
fn stray_files_and_unreadable_records_are_problems_pointing_to_chg_check() {
    let repo = healthy();
    repo.write(".changes/notes.md", "# notes\n");
    repo.write(".changes/CHG-2026-0001.yml", "id: CHG-2026-0001\n");
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "records",
        "problem",
        "2 stray files",
        Some("chg check"),
    );
    assert_check(
        &checks,
        "records",
        "problem",
        ".changes/notes.md",
        Some("chg check"),
    );

    std::fs::remove_file(repo.path().join(".changes/notes.md")).unwrap();
    std::fs::remove_file(repo.path().join(".changes/CHG-2026-0001.yml")).unwrap();
    repo.write(".changes/CHG-2026-0001.yaml", "id: [unclosed\n");
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "records",
        "problem",
        "1 record does not parse: .changes/CHG-2026-0001.yaml",
        Some("chg check"),
    );
}

#[test]
fn records_that_parse_are_counted() {
    let repo = healthy();
    repo.complete_change("Add the column", "normal");
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "records", "ok", "1 record", None);
    assert_check(
        &checks,
        "layout",
        "ok",
        "fanned out by year and hundreds (1 record)",
        None,
    );
}

#[test]
fn a_register_half_moved_between_layouts_is_a_warning_that_chg_layout_fixes() {
    let repo = healthy();
    repo.complete_change("Add the column", "normal");
    repo.flatten();
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "layout", "ok", "flat (1 record)", None);
    repo.complete_change("Drop the table", "normal");
    let moved = repo.read(".changes/CHG-2026-0002.yaml");
    std::fs::create_dir_all(repo.path().join(".changes/2026/00xx")).unwrap();
    std::fs::write(
        repo.path().join(".changes/2026/00xx/CHG-2026-0002.yaml"),
        moved,
    )
    .unwrap();
    std::fs::remove_file(repo.path().join(".changes/CHG-2026-0002.yaml")).unwrap();
    let (_, checks) = doctor(&repo);
    assert_check(
        &checks,
        "layout",
        "warning",
        "1 record flat and 1 record fanned out",
        Some("chg layout fanned"),
    );
}

#[test]
fn an_identity_in_no_role_is_a_warning_and_a_member_sees_their_roles() {
    let repo = healthy();
    repo.write(
        ".changes.toml",
        "[roles]\napprover = [\"lee@example.com\"]\nrelease-manager = [\"lee@example.com\"]\ncab = [\"*\"]\n",
    );
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "identity", "ok", "in role cab", None);

    repo.write(
        ".changes.toml",
        "[roles]\napprover = [\"lee@example.com\"]\nrelease-manager = [\"lee@example.com\"]\n",
    );
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(
        &checks,
        "identity",
        "warning",
        "ada@example.com is in no role",
        Some("git config user.email"),
    );
    let as_lee = repo.chg_as("Lee", "lee@example.com", &["doctor", "--format", "json"]);
    let (_, checks) = doctor_with(as_lee);
    assert_check(
        &checks,
        "identity",
        "ok",
        "lee@example.com: in roles approver, release-manager",
        None,
    );
}

#[test]
fn no_git_identity_is_a_problem() {
    let repo = healthy();
    repo.git(&["config", "--unset", "user.email"]);
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 1, "{checks:#?}");
    assert_check(
        &checks,
        "identity",
        "problem",
        "no git identity",
        Some("git config user.email"),
    );
}

#[test]
fn the_cache_is_described_and_one_for_other_settings_is_a_warning() {
    let repo = healthy();
    repo.chg(&["check"]).assert().success();
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "cache", "ok", "1 commit", None);
    assert_check(&checks, "cache", "ok", ".git/chg/cache/history-", None);

    // A records directory elsewhere: the cache kept was read for other settings.
    repo.write(".changes.toml", "[changes]\ndir = \"register\"\n");
    repo.chg(&["schema", "--write"]).assert().success();
    let (code, checks) = doctor(&repo);
    assert_eq!(code, 0, "{checks:#?}");
    assert_check(
        &checks,
        "cache",
        "warning",
        "other settings",
        Some("chg check"),
    );
    repo.chg(&["check"]).assert().success();
    let (_, checks) = doctor(&repo);
    assert_check(&checks, "cache", "ok", "commit", None);
}

#[test]
fn another_chg_first_on_path_is_a_warning() {
    let repo = healthy();
    let dir = repo.path().join(".git/impostor");
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("chg");
    write_script(&fake, "#!/bin/sh\necho 'Mercurial Distributed SCM'\n");
    let mut cmd = repo.chg(&["doctor", "--format", "json"]);
    cmd.env("PATH", path_with_first(&dir));
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let path = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "path")
        .unwrap();
    assert_eq!(path["status"], "warning", "{path}");
    let detail = path["detail"].as_str().unwrap();
    assert!(detail.contains(fake.to_str().unwrap()), "{detail}");
    assert!(detail.contains("not this chg"), "{detail}");
    let fix = path["fix"].as_str().unwrap();
    assert!(fix.contains(bin_dir().to_str().unwrap()), "{fix}");
}

#[test]
fn doctor_writes_nothing() {
    let repo = healthy();
    repo.chg(&["check"]).assert().success();
    repo.write(".changes/notes.md", "# notes\n");
    let before = everything(&repo);
    let (code, _) = doctor(&repo);
    assert_eq!(code, 1);
    repo.chg(&["doctor"]).assert().code(1);
    assert!(before == everything(&repo), "doctor changed files");
}

#[test]
fn outside_a_repository_doctor_cannot_run_and_exits_2() {
    let dir = TestRepo::bare_dir();
    refused(&dir, dir.chg(&["doctor"]), 2, "not a git repository");
}

#[test]
fn a_policy_that_does_not_read_exits_2_with_its_error() {
    let repo = healthy();
    repo.write(".changes.toml", "[changes\n");
    refused(&repo, repo.chg(&["doctor"]), 2, ".changes.toml");
}

#[test]
fn help_shows_an_example() {
    let repo = TestRepo::bare_dir();
    let (code, stdout, _) = outcome(&mut repo.chg(&["doctor", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("chg doctor --format json"), "{stdout}");
}
