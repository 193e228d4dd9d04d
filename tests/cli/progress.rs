//! The progress meter of a long history read: on a terminal's stderr only, not with
//! `-q`, and wiped when done. `CHG_PROGRESS_AFTER=0` shows it from the first commit.

use crate::common::{outcome, TestRepo};
use rexpect::session::spawn_command;

const COMMITS: usize = 30;

/// A register with a history of a few dozen commits.
fn long_history() -> TestRepo {
    let repo = TestRepo::initialised();
    for n in 1..COMMITS {
        repo.git(&["commit", "-q", "--allow-empty", "-m", &format!("Step {n}")]);
    }
    repo
}

/// Everything `chg <args>` prints on a pseudo-terminal (stdout and stderr both), with
/// `delay` as CHG_PROGRESS_AFTER.
fn on_a_terminal(repo: &TestRepo, delay: &str, args: &[&str]) -> String {
    let mut cmd = repo.chg_process(args);
    cmd.env("TERM", "xterm").env("CHG_PROGRESS_AFTER", delay);
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_eof().unwrap()
}

#[test]
fn a_terminal_sees_commits_read_of_the_total_then_the_line_wiped() {
    let repo = long_history();
    let out = on_a_terminal(&repo, "0", &["check", "--no-cache"]);
    assert!(
        out.contains(&format!("reading history  1/{COMMITS} [")),
        "{out:?}"
    );
    assert!(out.contains("% "), "{out:?}");
    assert!(out.contains(" left"), "{out:?}");
    let wiped = out.rfind("\r\x1b[K").expect("the meter is wiped");
    assert!(wiped > out.rfind("reading history").unwrap(), "{out:?}");
    assert!(out[wiped..].contains("record(s) checked"), "{out:?}");
}

#[test]
fn log_shows_the_meter_too() {
    let repo = long_history();
    let id = repo.new_change("Add the column");
    repo.commit_all(&format!("Propose {id}"));
    let out = on_a_terminal(&repo, "0", &["log", &id, "--no-cache"]);
    assert!(out.contains("reading history  1/"), "{out:?}");
}

#[test]
fn a_short_read_on_a_terminal_shows_no_meter() {
    let repo = long_history();
    let out = on_a_terminal(&repo, "30", &["check", "--no-cache"]);
    assert!(!out.contains("reading history"), "{out:?}");
    assert!(out.contains("record(s) checked"), "{out:?}");
}

#[test]
fn quiet_shows_no_meter_on_a_terminal() {
    let repo = long_history();
    let out = on_a_terminal(&repo, "0", &["-q", "check", "--no-cache"]);
    assert!(!out.contains("reading history"), "{out:?}");
}

#[test]
fn a_pipe_gets_no_meter() {
    let repo = long_history();
    let (_, stdout, stderr) = outcome(
        repo.chg(&["check", "--no-cache"])
            .env("CHG_PROGRESS_AFTER", "0"),
    );
    assert!(stdout.contains("record(s) checked"), "{stdout}");
    assert!(!stderr.contains("reading history"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
}

#[test]
fn a_delay_that_is_not_a_number_of_seconds_is_refused() {
    let repo = TestRepo::initialised();
    for bad in ["soon", "-1", "inf"] {
        let before = repo.snapshot();
        let (code, stdout, stderr) = outcome(repo.chg(&["check"]).env("CHG_PROGRESS_AFTER", bad));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(&format!(
                "CHG_PROGRESS_AFTER: `{bad}` is not a number of seconds"
            )),
            "{stderr}"
        );
        assert!(before == repo.snapshot());
    }
}
