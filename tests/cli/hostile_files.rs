//! Files laid out by a pull request to attack whoever runs chg on it: a FIFO, a
//! directory or a symbolic link where a record belongs, a records directory or policy
//! that is a link out of the repository. chg never hangs, never follows a link, never
//! prints what a link points at, and never writes outside the work tree. And the work
//! tree is the one git knows: a separate git directory, a linked worktree, GIT_DIR.

use crate::common::{outcome, refused, snapshot_of, TestRepo};
use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

const HOSTILE: &str = ".changes/CHG-2026-0002.yaml";

/// What a secret of the machine running chg holds: shaped like a record, so that a
/// reader that followed the link would parse and show it.
const SECRET: &str = "id: CHG-2026-0002\ntitle: SECRET-TOKEN-4711\n";

/// A register with one honest change, committed.
fn register() -> TestRepo {
    let repo = TestRepo::initialised();
    repo.new_change("Add the column");
    repo.commit_all("Propose a change");
    repo
}

/// `chg <args>` in `repo`, stopped if it hangs.
fn chg(repo: &TestRepo, args: &[&str]) -> Command {
    let mut cmd = repo.chg(args);
    cmd.timeout(Duration::from_secs(20));
    cmd
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs every reading command on `repo`, whose `HOSTILE` entry is `what`, and asserts
/// each finishes with the right code, names the entry, and changes no file.
fn every_reader_reports(repo: &TestRepo, what: &str, stray: &str) {
    let before = repo.snapshot();
    let (code, stdout, stderr) = outcome(&mut chg(repo, &["check"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("{HOSTILE}\n  error   R009 stray-file: {stray}")),
        "{stdout}"
    );
    assert!(stdout.contains("1 record(s) checked"), "{stdout}");
    let warning = format!("warning: {HOSTILE}: {stray}");
    for args in [&["list"][..], &["audit"], &["metrics"]] {
        let (code, stdout, stderr) = outcome(&mut chg(repo, args));
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(&warning), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = outcome(&mut chg(repo, &["show", "CHG-2026-0002"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot read {HOSTILE}: not a regular file: {what}"
        )),
        "{stderr}"
    );
    assert!(before == repo.snapshot(), "a reading command changed files");
}

#[test]
fn a_fifo_named_like_a_record_is_reported_and_never_opened() {
    let repo = register();
    mkfifo(&repo.path().join(HOSTILE));
    every_reader_reports(&repo, "a FIFO", "not a regular file, so not read");
}

#[test]
fn a_fifo_named_like_a_freeze_is_reported_and_never_opened() {
    let repo = register();
    std::fs::create_dir_all(repo.path().join(".changes/freezes")).unwrap();
    mkfifo(&repo.path().join(".changes/freezes/FRZ-2026-0001.yaml"));
    let (code, stdout, stderr) = outcome(&mut chg(&repo, &["check"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            ".changes/freezes/FRZ-2026-0001.yaml\n  error   R009 stray-file: not a regular file"
        ),
        "{stdout}"
    );
    let (code, stdout, stderr) = outcome(&mut chg(&repo, &["freeze", "list"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn a_directory_named_like_a_record_is_reported() {
    let repo = register();
    std::fs::create_dir(repo.path().join(HOSTILE)).unwrap();
    std::fs::write(repo.path().join(HOSTILE).join("inner.yaml"), SECRET).unwrap();
    let before = repo.snapshot();
    let (code, stdout, _) = outcome(&mut chg(&repo, &["check"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{HOSTILE}/\n  error   R009 stray-file: chg does not read this directory"
        )),
        "{stdout}"
    );
    let (code, _, stderr) = outcome(&mut chg(&repo, &["list"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("warning: {HOSTILE}/: chg does not read")),
        "{stderr}"
    );
    let (code, _, stderr) = outcome(&mut chg(&repo, &["show", "CHG-2026-0002"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("not a regular file: a directory"),
        "{stderr}"
    );
    assert!(before == repo.snapshot(), "a reading command changed files");
}

/// A secret outside the repository, and a record that is a link to it.
fn linked_to_secret(repo: &TestRepo) -> TempDir {
    let secrets = TempDir::new().unwrap();
    let secret = secrets.path().join("git-credentials");
    std::fs::write(&secret, SECRET).unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join(HOSTILE)).unwrap();
    secrets
}

/// Every command that shows records, in every format: none prints the secret.
fn secret_never_shown(repo: &TestRepo) {
    let before = repo.snapshot();
    let commands: [&[&str]; 9] = [
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["check", "CHG-2026-0002"],
        &["list"],
        &["list", "--format", "json"],
        &["show", "CHG-2026-0002"],
        &["audit"],
        &["audit", "--format", "json"],
    ];
    for args in commands {
        let (code, stdout, stderr) = outcome(&mut chg(repo, args));
        assert!(
            !stdout.contains("SECRET") && !stderr.contains("SECRET"),
            "{args:?} showed the secret: {stdout}{stderr}"
        );
        let expected = match args[0] {
            "check" if args.len() == 2 && args[1].starts_with("CHG") => 2,
            "check" => 1,
            "show" => 2,
            _ => 0,
        };
        assert_eq!(code, expected, "{args:?}: {stdout}{stderr}");
        if args == ["check"] {
            assert!(
                stdout.contains(&format!(
                    "{HOSTILE}\n  error   R009 stray-file: a symbolic link is not read"
                )),
                "{stdout}"
            );
        }
        if args == ["show", "CHG-2026-0002"] {
            assert!(
                stderr.contains("not a regular file: a symbolic link"),
                "{stderr}"
            );
        }
    }
    assert!(before == repo.snapshot(), "a reading command changed files");
}

#[test]
fn an_uncommitted_link_to_a_secret_is_never_followed() {
    let repo = register();
    let _secrets = linked_to_secret(&repo);
    secret_never_shown(&repo);
}

#[test]
fn a_committed_link_to_a_secret_is_never_followed() {
    let repo = register();
    let _secrets = linked_to_secret(&repo);
    repo.commit_all("Add a record");
    secret_never_shown(&repo);
    let (code, stdout, stderr) = outcome(&mut chg(&repo, &["check", "--staged"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!stdout.contains("SECRET") && !stderr.contains("SECRET"));
    assert!(stdout.contains("a symbolic link is not read"), "{stdout}");
}

/// An outside directory holding a register, its contents before any command ran.
fn outside_register(repo: &TestRepo) -> TempDir {
    let outside = TempDir::new().unwrap();
    std::fs::rename(
        repo.place(".changes/CHG-2026-0001.yaml"),
        outside.path().join("CHG-2026-0001.yaml"),
    )
    .unwrap();
    outside
}

/// Every command that reads or writes the register is refused, and neither the
/// repository nor the outside directory changes.
fn refused_everywhere(repo: &TestRepo, outside: &Path, link: &str) {
    let before = snapshot_of(outside);
    let message = format!("{link} is a symbolic link: chg reads and writes");
    let commands: [&[&str]; 6] = [
        &["check"],
        &["list"],
        &["show", "CHG-2026-0001"],
        &["new", "--title", "Elsewhere", "--class", "normal"],
        &[
            "freeze",
            "start",
            "--reason",
            "Out",
            "--from",
            "2026-12-20",
            "--until",
            "2026-12-24",
        ],
        &["schema", "--write"],
    ];
    for args in commands {
        let mut cmd = repo.chg(args);
        cmd.timeout(Duration::from_secs(20));
        let stderr = refused(repo, cmd, 2, &message);
        assert!(!stderr.contains("SECRET"), "{stderr}");
    }
    assert!(
        before == snapshot_of(outside),
        "chg changed the outside directory"
    );
}

#[test]
fn a_records_directory_linked_out_of_the_repository_is_refused() {
    let repo = register();
    let outside = outside_register(&repo);
    std::fs::remove_dir_all(repo.path().join(".changes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join(".changes")).unwrap();
    refused_everywhere(&repo, outside.path(), ".changes");
    let mut init = repo.chg(&["init", "--force"]);
    init.timeout(Duration::from_secs(20));
    refused(&repo, init, 2, ".changes is a symbolic link");
}

#[test]
fn a_configured_records_directory_behind_a_linked_parent_is_refused() {
    let repo = register();
    let outside = outside_register(&repo);
    repo.write(".changes.toml", "[changes]\ndir = \"register/records\"\n");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("register")).unwrap();
    refused_everywhere(&repo, outside.path(), "register");
}

#[test]
fn a_freezes_directory_linked_out_of_the_repository_is_refused() {
    let repo = register();
    let outside = TempDir::new().unwrap();
    std::fs::write(outside.path().join("FRZ-2026-0001.yaml"), SECRET).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join(".changes/freezes")).unwrap();
    refused_everywhere(&repo, outside.path(), ".changes/freezes");
}

#[test]
fn a_records_directory_outside_the_repository_is_refused_when_the_policy_loads() {
    let repo = register();
    for dir in ["../elsewhere", "/tmp/elsewhere"] {
        repo.write(".changes.toml", &format!("[changes]\ndir = \"{dir}\"\n"));
        refused(
            &repo,
            repo.chg(&["new", "--title", "Elsewhere", "--class", "normal"]),
            2,
            &format!("changes.dir: `{dir}` must be a relative path inside the repository"),
        );
    }
}

#[test]
fn a_linked_policy_is_refused_without_showing_its_target() {
    let repo = register();
    let secrets = TempDir::new().unwrap();
    let secret = secrets.path().join("credentials");
    std::fs::write(&secret, "SECRET-TOKEN-4711 = \"hunter2\"\n").unwrap();
    std::fs::remove_file(repo.path().join(".changes.toml")).unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join(".changes.toml")).unwrap();
    for args in [
        &["check"][..],
        &["list"],
        &["new", "--title", "T", "--class", "normal"],
    ] {
        let stderr = refused(
            &repo,
            repo.chg(args),
            2,
            ".changes.toml is a symbolic link: chg reads and writes",
        );
        assert!(!stderr.contains("SECRET"), "{stderr}");
    }
}

#[test]
fn a_policy_that_is_a_fifo_is_refused() {
    let repo = register();
    std::fs::remove_file(repo.path().join(".changes.toml")).unwrap();
    mkfifo(&repo.path().join(".changes.toml"));
    let mut cmd = chg(&repo, &["list"]);
    cmd.timeout(Duration::from_secs(20));
    refused(
        &repo,
        cmd,
        2,
        "cannot read .changes.toml: not a regular file: a FIFO",
    );
}

/// A repository made by `git init --separate-git-dir`: the work tree in `repo`, the
/// git directory in `place/repo.git`, so that its parent is `place`.
fn separate(repo: &TestRepo, place: &Path) -> std::path::PathBuf {
    let git_dir = place.join("repo.git");
    repo.git(&[
        "init",
        "-q",
        "-b",
        "main",
        "--separate-git-dir",
        git_dir.to_str().unwrap(),
    ]);
    repo.git(&["config", "user.name", "Ada Lovelace"]);
    repo.git(&["config", "user.email", "ada@example.com"]);
    repo.chg(&["init"]).assert().success();
    repo.commit_all("Start the change register");
    git_dir
}

#[test]
fn a_separate_git_dir_keeps_records_in_the_work_tree() {
    let repo = TestRepo::bare_dir();
    let place = TempDir::new().unwrap();
    let git_dir = separate(&repo, place.path());
    let id = repo.new_change("Add the column");
    assert_eq!(id, "CHG-2026-0001");
    assert!(repo.place(".changes/CHG-2026-0001.yaml").is_file());
    assert!(
        !place.path().join(".changes").exists(),
        "wrote beside the git dir"
    );

    let (code, stdout, stderr) = outcome(&mut repo.chg(&["hook", "install"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    for hook in ["pre-commit", "commit-msg", "pre-push"] {
        assert!(
            git_dir.join("hooks").join(hook).is_file(),
            "{hook}: {stderr}"
        );
    }
}

#[test]
fn git_dir_and_work_tree_from_the_environment_are_honoured() {
    let repo = TestRepo::bare_dir();
    let place = TempDir::new().unwrap();
    let git_dir = separate(&repo, place.path());
    let elsewhere = TempDir::new().unwrap();
    let mut cmd = repo.chg(&["new", "--title", "Add the column", "--class", "normal"]);
    cmd.current_dir(elsewhere.path())
        .env("GIT_DIR", &git_dir)
        .env("GIT_WORK_TREE", repo.path());
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(repo.place(".changes/CHG-2026-0001.yaml").is_file());
    assert!(
        snapshot_of(elsewhere.path()).is_empty(),
        "wrote in the working directory"
    );
    assert!(
        !place.path().join(".changes").exists(),
        "wrote beside the git dir"
    );
}

#[test]
fn a_linked_worktree_keeps_its_own_records() {
    let repo = register();
    let place = TempDir::new().unwrap();
    let worktree = place.path().join("feature");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature",
        worktree.to_str().unwrap(),
    ]);
    let before = repo.snapshot();
    let mut cmd = repo.chg(&["new", "--title", "On the branch", "--class", "normal"]);
    cmd.current_dir(&worktree);
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Beside the branch's first record, in whichever layout the register keeps.
    let place = repo.record_path("CHG-2026-0001").replace("0001", "0002");
    assert!(worktree.join(place).is_file(), "{stderr}");
    assert!(before == repo.snapshot(), "wrote in the main worktree");
}

#[test]
fn a_bare_repository_has_no_work_tree_for_chg() {
    let repo = TestRepo::bare_dir();
    repo.git(&["init", "-q", "--bare", "-b", "main"]);
    for args in [
        &["list"][..],
        &["new", "--title", "T", "--class", "normal"],
        &["init"],
    ] {
        refused(&repo, repo.chg(args), 2, "no working tree at");
    }
}

/// The R001 findings that name a commit, by their messages.
fn history_r001(repo: &TestRepo) -> Vec<String> {
    let (_, findings) = crate::common::findings_at(repo, crate::common::NOW);
    findings
        .into_iter()
        .filter(|f| f.rule == "R001" && f.commit.is_some())
        .map(|f| f.message)
        .collect()
}

#[test]
fn a_record_once_committed_as_a_link_stays_reported_after_it_is_replaced() {
    let repo = register();
    let secrets = linked_to_secret(&repo);
    repo.commit_all("Add a record");
    let link = repo
        .git(&["rev-parse", "--short=10", "HEAD"])
        .trim()
        .to_string();
    // Replaced by a regular file: the working tree is clean, history is not.
    std::fs::remove_file(repo.path().join(HOSTILE)).unwrap();
    std::fs::copy(
        repo.place(".changes/CHG-2026-0001.yaml"),
        repo.path().join(HOSTILE),
    )
    .unwrap();
    let text = repo.read(HOSTILE).replace("CHG-2026-0001", "CHG-2026-0002");
    repo.write(HOSTILE, &text);
    repo.commit_all("Make the record a file");
    let before = repo.snapshot();
    let messages = history_r001(&repo);
    assert_eq!(
        messages,
        [format!("{link} committed {HOSTILE} as a symbolic link: a record is a regular file, and this one was not read")]
    );
    assert!(!messages[0].contains(&secrets.path().display().to_string()));
    assert!(before == repo.snapshot());
}

#[test]
fn a_submodule_where_a_record_belongs_is_reported_not_taken_for_a_removal() {
    let repo = register();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let entry = format!("160000,{head},{HOSTILE}");
    repo.git(&["update-index", "--add", "--cacheinfo", &entry]);
    repo.git(&["commit", "-q", "-m", "A submodule where a record belongs"]);
    let messages = history_r001(&repo);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].ends_with(&format!("committed {HOSTILE} as a submodule: a record is a regular file, and this one was not read")), "{messages:?}");
}
