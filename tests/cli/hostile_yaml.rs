//! Records and freezes that arrive by pull request are plain data, whoever wrote them:
//! anchors, aliases, tags, deep nesting, duplicate keys and oversized files are refused
//! at their place, quickly, in the working tree, the index and history alike.

use crate::common::{near_the_size_read, refused, refused_as_too_large, stdout_of, TestRepo};
use assert_cmd::Command;
use std::time::Duration;

const ID: &str = "CHG-2026-0001";

/// Where the record lies: a register started by `chg init` fans its records out; one
/// kept flat must name its files the same way.
#[derive(Clone, Copy)]
enum Kept {
    Fanned,
    Flat,
}

/// Far more than any of these takes, far less than the attacks cost unchecked: the
/// harness stops a run that hangs, and no test asserts a time.
const PATIENCE: Duration = Duration::from_secs(20);

/// A record chg must refuse: its text, what the refusal says, and where, when it can.
struct Hostile {
    text: String,
    message: String,
    at: Option<(usize, usize)>,
}

impl Hostile {
    /// How `chg show` and `chg list` name the fault: the file, the place, the message.
    fn located(&self, file: &str) -> String {
        match self.at {
            Some((line, column)) => format!("{file}:{line}:{column}: {}", self.message),
            None => format!("{file}: {}", self.message),
        }
    }
}

/// A repository holding one complete draft, committed, and the record's text.
fn proposed() -> (TestRepo, String) {
    proposed_in(Kept::Fanned)
}

/// [`proposed`] with the record `kept` fanned out or flat.
fn proposed_in(kept: Kept) -> (TestRepo, String) {
    let repo = TestRepo::initialised();
    assert_eq!(repo.complete_change("Add the column", "normal"), ID);
    if let Kept::Flat = kept {
        repo.flatten();
    }
    repo.commit_all(&format!("Propose {ID}"));
    let text = repo.read(&repo.record_path(ID));
    (repo, text)
}

/// `text` with `lines` put in from line 10 on.
fn from_line_10(text: &str, lines: &str) -> String {
    let mut all: Vec<&str> = text.lines().collect();
    assert!(
        all.len() >= 10,
        "the record is shorter than the test expects:\n{text}"
    );
    all.insert(9, lines.trim_end());
    all.join("\n") + "\n"
}

/// `cmd` stopped by the harness if it runs past [`PATIENCE`].
fn patient(mut cmd: Command) -> Command {
    cmd.timeout(PATIENCE);
    cmd
}

/// Runs `chg check args`, asserting its exit code and that it changed no file; its stdout.
fn check(repo: &TestRepo, args: &[&str], code: i32) -> String {
    let before = repo.snapshot();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = patient(repo.chg(&all)).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stdout}{stderr}");
    assert!(before == repo.snapshot(), "chg check changed files");
    stdout
}

/// Asserts that `hostile`, uncommitted in a register `kept` so, is refused by `chg show`
/// and `chg list` (exit 2) and reported as R001 by `chg check`, from the working tree
/// and from the index, each naming the file where it lies.
fn refused_uncommitted(hostile: &Hostile, kept: Kept) {
    let (repo, _) = proposed_in(kept);
    let file = repo.record_path(ID);
    repo.write(&file, &hostile.text);
    let located = hostile.located(&file);
    refused(&repo, patient(repo.chg(&["show", ID])), 2, &located);
    refused(&repo, patient(repo.chg(&["list"])), 2, &located);
    // `chg check` names the line only, where there is one.
    let place = match hostile.at {
        Some((line, _)) => format!("({file}:{line})"),
        None => String::new(),
    };
    repo.git(&["add", &file]);
    for args in [&[][..], &["--staged"]] {
        let stdout = check(&repo, args, 1);
        let finding = stdout.lines().find(|l| l.contains("R001 invalid-record: "));
        assert!(
            finding.is_some_and(|f| f.contains(&hostile.message) && f.ends_with(&place)),
            "no R001 {:?} at {place}: {stdout}",
            hostile.message
        );
    }
}

/// Asserts that `hostile`, committed and then mended in the working tree so that only
/// history holds it, neither breaks nor slows `chg check` or `chg log`.
fn harmless_in_history(hostile: &Hostile) {
    let (repo, good) = proposed();
    let file = repo.record_path(ID);
    repo.write(&file, &hostile.text);
    repo.commit_all(&format!("Break {ID}"));
    repo.write(&file, &good);
    let stdout = check(&repo, &[], 0);
    assert!(stdout.contains("0 error(s)"), "{stdout}");
    let before = repo.snapshot();
    let log = stdout_of(&mut patient(repo.chg(&["log", ID])));
    assert!(log.contains("record created"), "{log}");
    assert!(before == repo.snapshot(), "chg log changed files");
}

/// Both of the above, in a register fanned out as `chg init` starts it.
fn refused_everywhere(hostile: Hostile) {
    refused_uncommitted(&hostile, Kept::Fanned);
    harmless_in_history(&hostile);
}

#[test]
fn an_alias_bomb_of_a_megabyte_is_refused_at_its_anchor_unexpanded() {
    let (_, good) = proposed();
    let aliases = vec!["*s"; 240_000].join(", ");
    let text = from_line_10(
        &good,
        &format!("monitoring: &s {}\ntest_plan: [{aliases}]", "x".repeat(100)),
    );
    assert!(
        text.len() > 900_000 && text.len() < 1 << 20,
        "{}",
        text.len()
    );
    refused_everywhere(Hostile {
        text,
        message: "YAML anchors (&name) are not allowed in a record".into(),
        at: Some((10, 13)),
    });
}

#[test]
fn an_alias_is_refused_where_it_is() {
    let (_, good) = proposed();
    refused_everywhere(Hostile {
        text: from_line_10(&good, "components: [api, *shared]"),
        message: "YAML aliases (*name) are not allowed in a record".into(),
        at: Some((10, 19)),
    });
}

#[test]
fn an_anchor_is_refused_where_it_is() {
    let (_, good) = proposed();
    refused_everywhere(Hostile {
        text: from_line_10(&good, "monitoring: &watch dashboards"),
        message: "YAML anchors (&name) are not allowed in a record".into(),
        at: Some((10, 13)),
    });
}

#[test]
fn a_tag_is_refused_where_it_is() {
    let (_, good) = proposed();
    refused_everywhere(Hostile {
        text: from_line_10(&good, "monitoring: !!binary aGVsbG8="),
        message: "YAML tags (here `!!binary`) are not allowed in a record".into(),
        at: Some((10, 13)),
    });
    refused_uncommitted(
        &Hostile {
            text: from_line_10(&good, "monitoring: !local dashboards"),
            message: "YAML tags (here `!local`) are not allowed in a record".into(),
            at: Some((10, 13)),
        },
        Kept::Flat,
    );
}

#[test]
fn a_megabyte_of_nesting_is_refused_at_the_depth_limit() {
    let (_, good) = proposed();
    let deep = format!("title: {}", "[".repeat(1_000_000));
    // The record's own mapping is the first level; the 16th bracket opens the 17th.
    refused_everywhere(Hostile {
        text: good.replace("title: Add the column", &deep),
        message: "the YAML nests deeper than 16 levels".into(),
        at: Some((3, "title: ".len() + 16)),
    });
}

#[test]
fn a_file_over_one_mebibyte_is_refused_unparsed() {
    let (_, good) = proposed();
    let text = from_line_10(&good, &format!("monitoring: {}", "y".repeat(2 << 20)));
    refused_everywhere(Hostile {
        text,
        message: "the file is larger than 1 MiB".into(),
        at: None,
    });
}

#[test]
fn a_record_that_a_command_would_grow_past_one_mebibyte_is_left_as_it_is() {
    let (repo, good) = proposed();
    let file = repo.record_path(ID);
    // A submission adds a transition.
    repo.write(&file, &near_the_size_read(&good, "description: d"));
    refused_as_too_large(&repo, repo.chg(&["submit", ID]), &file);
}

#[test]
fn a_duplicate_key_is_reported_on_its_own_line() {
    let (_, good) = proposed();
    refused_everywhere(Hostile {
        text: from_line_10(&good, "title: Drop the column"),
        message: "duplicate key `title`".into(),
        at: Some((10, 1)),
    });
}

#[test]
fn a_bad_date_is_reported_on_its_own_line() {
    let (_, good) = proposed();
    refused_everywhere(Hostile {
        text: from_line_10(&good, "target_date: 2026-02-30"),
        message: "target_date: input is out of range".into(),
        at: Some((10, 14)),
    });
    let schedule = "schedule: {start: 2026-11-24T06:00:00Z, end: tomorrow}";
    refused_uncommitted(
        &Hostile {
            text: from_line_10(&good, schedule),
            message: "schedule.end: `tomorrow` is not an RFC 3339 time".into(),
            at: Some((10, schedule.find("tomorrow").unwrap() + 1)),
        },
        Kept::Flat,
    );
}

#[test]
fn an_unknown_status_is_reported_where_it_is() {
    let (_, good) = proposed();
    refused_uncommitted(
        &Hostile {
            text: good.replace("status: draft", "status: done"),
            message: "status: unknown variant `done`".into(),
            at: Some((5, 9)),
        },
        Kept::Flat,
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let (repo, good) = proposed();
    let text = format!(
        "\u{feff}{}",
        good.lines().skip(1).collect::<Vec<_>>().join("\n")
    );
    assert!(text.starts_with("\u{feff}id: "), "{text}");
    let file = repo.record_path(ID);
    repo.write(&file, &text);
    let shown = stdout_of(&mut patient(repo.chg(&["show", ID])));
    assert!(shown.contains("Add the column"), "{shown}");
    assert!(stdout_of(&mut patient(repo.chg(&["list"]))).contains(ID));
    check(&repo, &[], 0);
    repo.commit_all(&format!("Mark {ID} as UTF-8"));
    repo.write(&file, &good);
    check(&repo, &[], 0);
}

#[test]
fn a_freeze_is_held_to_the_same_limits() {
    let repo = TestRepo::initialised();
    let file = ".changes/freezes/FRZ-2026-0001.yaml";
    repo.write(
        file,
        "id: FRZ-2026-0001\nreason: &r release\nstarts: 2026-11-20T00:00:00Z\n\
         ends: 2026-11-30T00:00:00Z\ndeclared_by: Ada <ada@example.com>\nallow: [emergency]\n",
    );
    refused(
        &repo,
        patient(repo.chg(&["freeze", "list"])),
        2,
        &format!("{file}:2:9: YAML anchors (&name) are not allowed in a record"),
    );
    let stdout = check(&repo, &[], 1);
    assert!(
        stdout.contains(&format!("R001 invalid-record: YAML anchors (&name) are not allowed in a record: records are plain data ({file}:2)")),
        "{stdout}"
    );
}
