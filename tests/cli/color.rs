//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`: when output carries ANSI colours.
//! Tests run with stdout and stderr as pipes, where `auto` means none.

use crate::common::{outcome, TestRepo};

const ESC: &str = "\x1b[";

/// A register whose one record is not YAML: `chg check` reports an error.
fn register_with_a_finding() -> TestRepo {
    let repo = TestRepo::initialised();
    repo.write(".changes/CHG-2026-0001.yaml", "title: [unclosed\n");
    repo
}

/// The stdout of `chg check` with `args` before it and `env` set; it must find the error.
fn check_output(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut all = args.to_vec();
    all.push("check");
    let mut cmd = repo.chg(&all);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("R001"), "{stdout}");
    stdout
}

#[test]
fn a_pipe_gets_no_colours_by_default() {
    let repo = register_with_a_finding();
    assert!(!check_output(&repo, &[], &[]).contains(ESC));
}

#[test]
fn color_always_colours_findings_in_a_pipe() {
    let repo = register_with_a_finding();
    let out = check_output(&repo, &["--color", "always"], &[]);
    assert!(out.contains(ESC), "{out:?}");
    let out = check_output(&repo, &["--color=always"], &[]);
    assert!(out.contains(ESC), "{out:?}");
}

#[test]
fn color_always_colours_an_error_on_stderr_in_a_pipe() {
    let dir = TestRepo::bare_dir();
    let (code, _, stderr) = outcome(&mut dir.chg(&["--color", "always", "list"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!("{ESC}1;31merror:")),
        "{stderr:?}"
    );
}

#[test]
fn no_color_in_the_environment_means_none() {
    let repo = register_with_a_finding();
    let out = check_output(&repo, &[], &[("NO_COLOR", "1")]);
    assert!(!out.contains(ESC), "{out:?}");
}

#[test]
fn clicolor_force_colours_a_pipe() {
    let repo = register_with_a_finding();
    let out = check_output(&repo, &[], &[("CLICOLOR_FORCE", "1")]);
    assert!(out.contains(ESC), "{out:?}");
    let out = check_output(&repo, &[], &[("CLICOLOR_FORCE", "0")]);
    assert!(
        !out.contains(ESC),
        "CLICOLOR_FORCE=0 forces nothing: {out:?}"
    );
}

#[test]
fn the_flag_wins_over_the_environment() {
    let repo = register_with_a_finding();
    let out = check_output(&repo, &["--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!out.contains(ESC), "{out:?}");
    let out = check_output(&repo, &["--no-color"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!out.contains(ESC), "{out:?}");
    let out = check_output(&repo, &["--color", "always"], &[("NO_COLOR", "1")]);
    assert!(out.contains(ESC), "{out:?}");
}

#[test]
fn a_bad_color_value_is_a_usage_error_that_changes_nothing() {
    let repo = register_with_a_finding();
    let before = repo.snapshot();
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["--color", "sometimes", "check"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("invalid value 'sometimes'"), "{stderr}");
    assert!(stderr.contains("always"), "names the choices: {stderr}");
    assert!(before == repo.snapshot());
}

#[test]
fn color_and_no_color_together_are_a_usage_error() {
    let repo = register_with_a_finding();
    let (code, _, stderr) = outcome(&mut repo.chg(&["--color", "always", "--no-color", "check"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}
