//! R009 stray-file: a file or directory in the records directory that chg does not
//! read is reported, never skipped — in the working tree, the index and the hook.

use crate::common::{outcome, refused, TestRepo};

const RECORD: &str = ".changes/CHG-2026-0001.yaml";

/// An initialised register (policy and schema.json) with one change and one freeze,
/// committed, its record kept flat: strays here are beside records laid out flat.
fn register() -> TestRepo {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Add the column");
    repo.flatten();
    assert_eq!(repo.record_path(&id), RECORD);
    assert!(repo.path().join(RECORD).is_file());
    repo.chg(&[
        "freeze",
        "start",
        "--reason",
        "Year-end release",
        "--from",
        "2026-12-20",
        "--until",
        "2026-12-24",
    ])
    .assert()
    .success();
    repo.commit_all("Propose a change and declare the year-end freeze");
    repo
}

/// `chg check` (with `extra` arguments): asserts exit 1 and one R009 finding at
/// `path` saying `expected`, and that the check changed no file.
fn reported(repo: &TestRepo, extra: &[&str], path: &str, expected: &str) -> String {
    let before = repo.snapshot();
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = outcome(&mut repo.chg(&args));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("{path}\n  error   R009 stray-file: ")),
        "{stdout}"
    );
    assert!(stdout.contains(expected), "{stdout}");
    assert_eq!(stdout.matches("R009").count(), 1, "{stdout}");
    assert!(before == repo.snapshot(), "a check changed files");
    stdout
}

#[test]
fn the_honest_register_of_records_freezes_and_schema_is_clean() {
    let repo = register();
    assert!(repo.path().join(".changes/schema.json").is_file());
    assert!(repo
        .path()
        .join(".changes/freezes/FRZ-2026-0001.yaml")
        .is_file());
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("R009"), "{stdout}");
    let (code, stdout, _) = outcome(&mut repo.chg(&["check", "--staged"]));
    assert_eq!(code, 0, "{stdout}");
    let (code, _, stderr) = outcome(&mut repo.chg(&["list"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_record_renamed_to_yml_is_reported_in_the_tree_and_the_index() {
    let repo = register();
    repo.git(&["mv", RECORD, ".changes/CHG-2026-0001.yml"]);
    let expected = "chg does not read this file: records are files named <ID>.yaml";
    reported(&repo, &[], ".changes/CHG-2026-0001.yml", expected);
    reported(&repo, &["--staged"], ".changes/CHG-2026-0001.yml", expected);
    // `chg list` still lists what it reads, and says what it did not.
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["list"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("CHG-2026-0001"), "{stdout}");
    assert!(
        stderr.contains("warning: .changes/CHG-2026-0001.yml: chg does not read this file"),
        "{stderr}"
    );
}

#[test]
fn a_backup_copy_is_reported() {
    let repo = register();
    std::fs::rename(
        repo.path().join(RECORD),
        repo.path().join(".changes/CHG-2026-0001.yaml.bak"),
    )
    .unwrap();
    reported(
        &repo,
        &[],
        ".changes/CHG-2026-0001.yaml.bak",
        "records are files named <ID>.yaml",
    );
}

#[test]
fn a_record_moved_into_a_subdirectory_is_reported_as_the_directory() {
    let repo = register();
    std::fs::create_dir(repo.path().join(".changes/old")).unwrap();
    repo.git(&["mv", RECORD, ".changes/old/CHG-2026-0001.yaml"]);
    let expected = "chg does not read this directory: records are files named <ID>.yaml, directly in the records directory or at <YYYY>/<NN>xx/<ID>.yaml";
    reported(&repo, &[], ".changes/old/", expected);
    reported(&repo, &["--staged"], ".changes/old/", expected);
}

#[test]
fn a_directory_named_like_a_record_is_reported() {
    let repo = register();
    repo.write(".changes/CHG-2026-0002.yaml/notes.txt", "draft\n");
    let expected = "chg does not read this directory";
    reported(&repo, &[], ".changes/CHG-2026-0002.yaml/", expected);
    repo.git(&["add", "-A"]);
    reported(
        &repo,
        &["--staged"],
        ".changes/CHG-2026-0002.yaml/",
        expected,
    );
}

#[test]
fn a_stray_freeze_is_reported() {
    let repo = register();
    repo.git(&[
        "mv",
        ".changes/freezes/FRZ-2026-0001.yaml",
        ".changes/freezes/FRZ-2026-0001.yml",
    ]);
    let expected = "freezes are files named <ID>.yaml";
    reported(&repo, &[], ".changes/freezes/FRZ-2026-0001.yml", expected);
    reported(
        &repo,
        &["--staged"],
        ".changes/freezes/FRZ-2026-0001.yml",
        expected,
    );
}

#[test]
fn a_link_is_reported_in_the_tree_and_the_index() {
    let repo = register();
    std::os::unix::fs::symlink("../.changes.toml", repo.path().join(".changes/notes.md")).unwrap();
    let expected = "a symbolic link is not read";
    reported(&repo, &[], ".changes/notes.md", expected);
    repo.git(&["add", "-A"]);
    reported(&repo, &["--staged"], ".changes/notes.md", expected);
}

#[test]
fn a_fifo_is_reported_without_being_opened() {
    let repo = register();
    let fifo = repo.path().join(".changes/freezes/pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opened for reading, a FIFO would hold the check until a writer came: the
    // timeout turns that into a failure rather than a hung suite.
    let (code, stdout, stderr) = outcome(
        repo.chg(&["check"])
            .timeout(std::time::Duration::from_secs(30)),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(".changes/freezes/pipe\n  error   R009 stray-file: not a regular file"),
        "{stdout}"
    );
}

#[test]
fn the_policy_can_turn_the_rule_off() {
    let repo = register();
    repo.git(&["mv", RECORD, ".changes/CHG-2026-0001.yml"]);
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}\n[rules]\nR009 = \"off\"\n"),
    );
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn the_pre_commit_hook_refuses_a_commit_that_adds_a_stray() {
    let repo = register();
    repo.git(&["mv", RECORD, ".changes/CHG-2026-0001.yml"]);
    let before = repo.snapshot();
    let (code, _, stderr) = outcome(&mut repo.chg(&["hook", "run", "pre-commit"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("R009 stray-file: chg does not read this file"),
        "{stderr}"
    );
    assert!(stderr.contains(".changes/CHG-2026-0001.yml"), "{stderr}");
    assert!(before == repo.snapshot(), "the hook changed files");
    // A stray already committed is `chg check`'s to report, not every later commit's.
    repo.git(&["commit", "-q", "-m", "Rename the record"]);
    repo.write("src/a.rs", "// work\n");
    repo.git(&["add", "src/a.rs"]);
    let (code, _, stderr) = outcome(&mut repo.chg(&["hook", "run", "pre-commit"]));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_pre_commit_hook_judges_what_the_commit_adds_as_the_index_holds_it() {
    let repo = register();
    repo.write(".changes/notes/a.md", "kept beside the records\n");
    repo.write(".changes/notes/b.md", "and more\n");
    repo.commit_all("Keep notes beside the records");
    // A link where a record was, and one more file in a folder chg does not read.
    repo.git(&["rm", "-q", RECORD]);
    std::os::unix::fs::symlink("../.changes.toml", repo.path().join(RECORD)).unwrap();
    repo.write(".changes/notes/c.md", "more\n");
    repo.git(&["add", ".changes"]);
    let hook = || repo.chg(&["hook", "run", "pre-commit"]);
    let stderr = refused(&repo, hook(), 1, "a symbolic link is not read as a record");
    assert!(stderr.contains(RECORD), "{stderr}");
    assert!(stderr.contains(".changes/notes/"), "{stderr}");
    // Removing one file from that folder still leaves it there, stray.
    repo.git(&["reset", "-q", "--hard"]);
    repo.git(&["rm", "-q", ".changes/notes/a.md"]);
    refused(&repo, hook(), 1, ".changes/notes/");
}
