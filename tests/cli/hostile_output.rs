//! Records, freezes and commit messages arrive from people chg must not trust: what
//! they hold reaches a reviewer's terminal escaped, a spreadsheet as text, and a
//! chg killed mid-write leaves nothing behind for git or the next chg.

use crate::common::{outcome, stdout_of, TestRepo};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A title that shows as "Add index" on a terminal that obeys it.
const HIDDEN_TITLE: &str = "Add index\u{1b}[8m; DROP TABLE audit_log\u{1b}[0m";
/// The same, as chg must print it.
const SHOWN_TITLE: &str = "Add index\\e[8m; DROP TABLE audit_log\\e[0m";

/// No command may take this long; it only stops a hung chg from hanging the suite.
const HARNESS_TIMEOUT: Duration = Duration::from_secs(120);

fn no_raw_controls(text: &str) {
    assert!(
        !text.contains(['\u{1b}', '\u{202e}', '\r']),
        "raw control character in {text:?}"
    );
}

/// A committed change whose title and description hide text with escapes and
/// reverse part of a line with a bidi override.
fn hostile_change() -> (TestRepo, String) {
    let repo = TestRepo::initialised();
    let id = repo.create(&[
        "--title",
        HIDDEN_TITLE,
        "--class",
        "normal",
        "--description",
        "line one\nline \u{202e}two",
        "--rollback",
        "revert",
    ]);
    repo.commit_all(&format!("{id}: propose"));
    (repo, id)
}

#[test]
fn show_and_list_print_hidden_text_escaped_and_json_keeps_it_exact() {
    let (repo, id) = hostile_change();
    let before = repo.snapshot();

    let (code, shown, stderr) = outcome(&mut repo.chg(&["show", &id]));
    assert_eq!(code, 0, "{stderr}");
    no_raw_controls(&shown);
    assert!(shown.contains(SHOWN_TITLE), "{shown}");
    // The description keeps its lines; the override is spelled out.
    let lines: Vec<&str> = shown.lines().collect();
    let first = lines.iter().position(|l| l.contains("line one")).unwrap();
    assert!(
        lines[first + 1].trim_end().ends_with("line \\u{202e}two"),
        "{shown}"
    );

    let (code, listed, stderr) = outcome(&mut repo.chg(&["list"]));
    assert_eq!(code, 0, "{stderr}");
    no_raw_controls(&listed);
    assert!(listed.contains(SHOWN_TITLE), "{listed}");

    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        &mut repo.chg(&["show", &id, "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(json["title"], HIDDEN_TITLE);
    assert_eq!(json["description"], "line one\nline \u{202e}two");
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut repo.chg(&["list", "--format", "json"]))).unwrap();
    assert_eq!(json[0]["title"], HIDDEN_TITLE);
    assert!(before == repo.snapshot(), "reading changed files");
}

#[test]
fn log_prints_a_hostile_commit_subject_escaped() {
    let (repo, id) = hostile_change();
    repo.write("src.txt", "work\n");
    repo.commit_all(&format!("{id}: tidy\u{1b}[2J\u{1b}[Hall clear"));
    let before = repo.snapshot();

    let (code, log, stderr) = outcome(&mut repo.chg(&["log", &id]));
    assert_eq!(code, 0, "{stderr}");
    no_raw_controls(&log);
    assert!(log.contains("tidy\\e[2J\\e[Hall clear"), "{log}");

    let json = stdout_of(&mut repo.chg(&["log", &id, "--format", "json"]));
    let events: serde_json::Value = serde_json::from_str(&json).unwrap();
    let raw = format!("{id}: tidy\u{1b}[2J\u{1b}[Hall clear");
    assert!(
        events.as_array().unwrap().iter().any(|e| e["what"]
            .as_str()
            .is_some_and(|w| w.contains(&raw[id.len() + 2..]))),
        "{json}"
    );
    assert!(before == repo.snapshot(), "reading changed files");
}

#[test]
fn check_quotes_a_hostile_value_escaped_on_stdout_and_stderr() {
    let (repo, id) = hostile_change();
    let path = format!(".changes/{id}.yaml");
    let text = repo
        .read(&path)
        .replace("class: normal", "class: \"nor\\e[8mmal\"");
    repo.write(&path, &text);
    let before = repo.snapshot();

    let (code, stdout, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    no_raw_controls(&stdout);
    no_raw_controls(&stderr);
    assert!(
        stdout.contains("R001 invalid-record: class: unknown variant `nor\\e[8mmal`"),
        "{stdout}"
    );

    let (code, json, _) = outcome(&mut repo.chg(&["check", "--format", "json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("nor\u{1b}[8mmal")),
        "{json}"
    );
    assert!(before == repo.snapshot(), "checking changed files");
}

/// The `title` column of a CSV document.
fn titles(csv_text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "title")
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect()
}

#[test]
fn list_and_audit_csv_keep_a_formula_title_as_text() {
    let repo = TestRepo::initialised();
    let formula = "=HYPERLINK(\"https://evil.example\",\"Add index\")";
    let id = repo.complete_change(formula, "normal");
    repo.commit_all(&format!("{id}: propose"));
    let before = repo.snapshot();

    let list = stdout_of(&mut repo.chg(&["list", "--format", "csv"]));
    assert_eq!(titles(&list), [format!("'{formula}")]);
    // A lone "-" (no risk assessed) is text already and stays as it is.
    assert!(list.contains(",normal,-,"), "{list}");

    let audit = stdout_of(&mut repo.chg(&["audit", "--format", "csv"]));
    assert!(titles(&audit).contains(&format!("'{formula}")), "{audit}");
    assert!(before == repo.snapshot(), "reading changed files");
}

/// A few milliseconds, different each time: where in its run a chg gets killed.
fn jitter(round: u64) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut x = nanos ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    Duration::from_millis(x % 25)
}

/// Runs `args` and kills it (SIGKILL) a few milliseconds in, `rounds` times.
fn kill_repeatedly(repo: &TestRepo, args: &[&str], who: (&str, &str), rounds: u64) {
    for round in 0..rounds {
        let mut child = repo
            .chg_process(args)
            .env("GIT_AUTHOR_NAME", who.0)
            .env("GIT_AUTHOR_EMAIL", who.1)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(jitter(round));
        let _ = child.kill();
        child.wait().unwrap();
    }
}

/// What git sees in the working tree, ignored files included, one path a line.
fn git_sees(repo: &TestRepo) -> Vec<String> {
    repo.git(&[
        "status",
        "--porcelain",
        "--ignored",
        "--untracked-files=all",
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

/// Whether `line` of [`git_sees`] has `status` and a record of 2026 at one of the two
/// places chg keeps it: flat, or in the fanned-out folder its number gives.
fn is_record(line: &str, status: &str) -> bool {
    let Some(path) = line.strip_prefix(status) else {
        return false;
    };
    let seq = path
        .rsplit_once("/CHG-2026-")
        .and_then(|(_, name)| name.strip_suffix(".yaml"))
        .filter(|seq| seq.len() == 4 && seq.bytes().all(|b| b.is_ascii_digit()));
    seq.is_some_and(|seq| {
        let name = format!("CHG-2026-{seq}.yaml");
        path == format!(".changes/{name}")
            || path == format!(".changes/2026/{}xx/{name}", &seq[..2])
    })
}

#[test]
fn killing_chg_new_leaves_only_whole_records() {
    let repo = TestRepo::initialised();
    assert_eq!(git_sees(&repo), Vec::<String>::new());
    let ada = ("Ada Lovelace", "ada@example.com");
    kill_repeatedly(
        &repo,
        &[
            "new",
            "--no-input",
            "--title",
            "Killed",
            "--class",
            "normal",
        ],
        ada,
        30,
    );
    let seen = git_sees(&repo);
    assert!(
        seen.iter().all(|l| is_record(l, "?? ")),
        "stray files: {seen:?}"
    );
    // Every record there is whole, and the next chg reads them all at once.
    let (code, json, stderr) = outcome(
        repo.chg(&["list", "--format", "json"])
            .timeout(HARNESS_TIMEOUT),
    );
    assert_eq!(code, 0, "{stderr}");
    let listed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), seen.len());
    let (code, _, stderr) = outcome(
        repo.chg(&["new", "--no-input", "--title", "After", "--class", "normal"])
            .timeout(HARNESS_TIMEOUT),
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn killing_chg_approve_leaves_no_lock_for_the_next_one() {
    let (repo, id) = TestRepo::awaiting_lee("");
    let lee = ("Lee", "lee@example.com");
    kill_repeatedly(&repo, &["approve", &id], lee, 30);
    let record = repo.record_path(&id);
    let seen = git_sees(&repo);
    assert!(
        seen.iter().all(|l| *l == format!(" M {record}")),
        "stray files: {seen:?}"
    );
    // Back to unapproved, so that the next approve writes the record under its lock.
    repo.git(&["checkout", "--", &record]);
    let (code, stdout, stderr) = outcome(
        repo.chg_as(lee.0, lee.1, &["approve", &id])
            .timeout(HARNESS_TIMEOUT),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("another chg"), "{stderr}");
    assert!(
        stdout.contains(&id) || stderr.contains(&id),
        "{stdout}{stderr}"
    );
    assert!(repo.read(&record).contains("lee@example.com"));
    assert_eq!(git_sees(&repo), [format!(" M {record}")]);
}

fn hooks_listing(hooks: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(hooks)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".sample"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_chg_hook_with_added_lines_is_kept_on_install_and_restored_on_uninstall() {
    let repo = TestRepo::initialised();
    repo.chg(&["hook", "install"]).assert().success();
    let hooks = repo.path().join(".git/hooks");
    let hook = hooks.join("pre-commit");
    let ours = std::fs::read_to_string(&hook).unwrap();
    let theirs = format!("{ours}echo 'also run the linter'\n");
    std::fs::write(&hook, &theirs).unwrap();
    let tree = repo.snapshot();

    let (code, _, said) = outcome(&mut repo.chg(&["hook", "install"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains(
            "kept the existing .git/hooks/pre-commit as .git/hooks/pre-commit.chg-backup"
        ),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), ours);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.chg-backup")).unwrap(),
        theirs
    );
    assert_eq!(
        hooks_listing(&hooks),
        [
            "commit-msg",
            "pre-commit",
            "pre-commit.chg-backup",
            "pre-push"
        ]
    );

    let (code, _, said) = outcome(&mut repo.chg(&["hook", "uninstall"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("restored .git/hooks/pre-commit from .git/hooks/pre-commit.chg-backup"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    assert_eq!(hooks_listing(&hooks), ["pre-commit"]);

    // What is left is chg's hook with lines added: uninstall leaves it and says why.
    let (code, _, said) = outcome(&mut repo.chg(&["hook", "uninstall"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("left .git/hooks/pre-commit in place: it holds lines chg did not write"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    assert_eq!(hooks_listing(&hooks), ["pre-commit"]);
    assert!(tree == repo.snapshot(), "the working tree changed");
}
