//! `chg new` driven through a real pseudo-terminal, as a person would answer it.

use crate::common::{replaced, TestRepo};
use rexpect::session::{spawn_command, PtySession};

/// An editor that writes `<field>, first line` and `second line` below the comment
/// lines `chg new` opens it on; what `$EDITOR` must say to run it.
fn scripted_editor(repo: &TestRepo) -> String {
    repo.write(
        "editor.sh",
        "field=$(sed -n '1s/^# \\([^:]*\\):.*/\\1/p' \"$1\")\nprintf '%s, first line\\nsecond line\\n' \"$field\" >> \"$1\"\n",
    );
    format!("sh '{}'", repo.path().join("editor.sh").display())
}

/// `chg new <args>` in a terminal, with `editor` as `$EDITOR`.
fn asked(repo: &TestRepo, editor: &str, args: &[&str]) -> PtySession {
    let mut all = vec!["--no-color", "new"];
    all.extend_from_slice(args);
    let mut cmd = repo.chg_process(&all);
    cmd.env("TERM", "xterm").env("EDITOR", editor);
    spawn_command(cmd, Some(20_000)).unwrap()
}

fn assert_holds(yaml: &str, expected: &[&str]) {
    for expected in expected {
        assert!(
            yaml.contains(expected),
            "record lacks {expected:?}:\n{yaml}"
        );
    }
}

#[test]
fn new_in_a_terminal_asks_for_what_is_missing_and_writes_the_answers() {
    let repo = TestRepo::initialised();
    let mut p = asked(&repo, &scripted_editor(&repo), &[]);

    p.exp_string("Title").unwrap();
    p.send_line("Rotate the API signing key").unwrap();
    p.exp_string("Class").unwrap();
    // Default is normal; one step down picks major.
    p.send("\x1b[B").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Likelihood").unwrap();
    p.send("\x1b[B").unwrap(); // possible -> likely
    p.send_line("").unwrap();
    p.exp_string("Impact").unwrap();
    p.send_line("").unwrap(); // moderate
                              // A major change requires a description, rationale, rollback plan and test plan:
                              // each is written in the editor.
    p.exp_string("CHG-2026-0001").unwrap();
    p.exp_eof().unwrap();

    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    assert_holds(
        &yaml,
        &[
            "title: Rotate the API signing key",
            "class: major",
            "description, first line\n  second line",
            "rationale, first line\n  second line",
            "rollback.plan, first line\n    second line",
            "test_plan, first line\n  second line",
            "likelihood: likely",
            "impact: moderate",
        ],
    );
    assert!(
        !yaml.contains("write it below"),
        "comment lines were kept:\n{yaml}"
    );
}

#[test]
fn new_asks_for_each_field_the_itil_normal_class_requires_and_reads_it_as_set_does() {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "itil-four-class"])
        .assert()
        .success();
    let policy = replaced(
        &repo.read(".changes.toml"),
        "\"description\", \"rationale\", \"components\",  ",
        "\"description\", \"rationale\", \"components\", \"target_date\",",
    );
    repo.write(".changes.toml", &policy);
    let mut p = asked(
        &repo,
        &scripted_editor(&repo),
        &["--title", "Add the asset_owner column", "--class", "normal"],
    );
    p.exp_string("Likelihood").unwrap();
    p.send_line("").unwrap(); // possible
    p.exp_string("Impact").unwrap();
    p.send_line("").unwrap(); // moderate
    p.exp_string("components (list").unwrap();
    p.send_line("api, db").unwrap();
    // Read as `chg set` reads a date: a wrong one is asked again.
    p.exp_string("target_date (YYYY-MM-DD").unwrap();
    p.send_line("next week").unwrap();
    p.exp_string("`next week` is not a date; write YYYY-MM-DD")
        .unwrap();
    p.send_line("2026-04-01").unwrap();
    p.exp_string("environments (list").unwrap();
    p.send_line("production").unwrap();
    p.exp_string("tenants (list, or one word such as all")
        .unwrap();
    p.send_line("none").unwrap();
    for field in [
        "impact.security",
        "impact.data",
        "impact.ai_boundary",
        "impact.availability",
        "impact.tenants",
        "impact.compliance",
    ] {
        p.exp_string(&format!("{field} (text")).unwrap();
        p.send_line(&format!("{field} answered")).unwrap();
    }
    // Empty: left for later, and said so.
    p.exp_string("impact.performance (text").unwrap();
    p.send_line("").unwrap();
    p.exp_string("monitoring (text").unwrap();
    p.send_line("Error rate on the orders dashboard").unwrap();
    p.exp_string("adrs (list").unwrap();
    p.send_line("docs/adr/0007-asset-owner.md").unwrap();
    p.exp_string("CHG-2026-0001").unwrap();
    p.exp_string("still needed before it can be submitted: impact.performance")
        .unwrap();
    p.exp_eof().unwrap();

    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    assert_holds(
        &yaml,
        &[
            "class: normal",
            "description, first line\n  second line",
            "rationale, first line\n  second line",
            "rollback.plan, first line\n    second line",
            "- api\n- db",
            "target_date: 2026-04-01",
            "- production",
            "tenants: none",
            "security: impact.security answered",
            "compliance: impact.compliance answered",
            "monitoring: Error rate on the orders dashboard",
            "- docs/adr/0007-asset-owner.md",
        ],
    );
    assert!(!yaml.contains("performance"), "{yaml}");
}

#[test]
fn an_editor_that_fails_writes_nothing() {
    let repo = TestRepo::initialised();
    let before = repo.snapshot();
    let mut p = asked(
        &repo,
        "false",
        &["--title", "Rotate the key", "--class", "normal"],
    );
    p.exp_string("Likelihood").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Impact").unwrap();
    p.send_line("").unwrap();
    p.exp_string("the editor `false` failed").unwrap();
    p.exp_string("nothing was written").unwrap();
    let status = p.process.wait().unwrap();
    assert_eq!(
        status,
        rexpect::process::WaitStatus::Exited(p.process.child_pid, 2)
    );
    assert!(before == repo.snapshot(), "a failed new changed files");
}
