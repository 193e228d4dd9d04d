//! `chg hook`: hooks installed where git runs them, and real `git commit` / `git push`
//! going through them. The scripts run the chg that installed them, and fall back to
//! PATH only when it has moved, so git runs here with the built binary's directory
//! first on PATH (or, for some tests, without chg, or with another program called
//! chg).

use crate::common::{outcome, refused, write_script, TestRepo, NOW};
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const HOOKS: [&str; 3] = ["pre-commit", "commit-msg", "pre-push"];

/// `[commits]` asks for references and protects migrations/** for major changes.
const POLICY: &str = r#"[commits]
reference = "required"
exempt = ["docs/**"]

[commits.protected."migrations/**"]
min_class = "major"
requires = ["rollback.artifacts"]
"#;

/// PATH with the built chg's directory first.
fn path_with_chg() -> OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_chg")).parent().unwrap();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

/// PATH without any directory holding a `chg`.
fn path_without_chg() -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::env::split_paths(&rest).filter(|d| !d.join("chg").exists())).unwrap()
}

/// git in `dir` with the environment TestRepo gives chg (scrubbed, pinned clock),
/// the given PATH, fixed commit dates and stdin closed.
fn git_command(repo: &TestRepo, dir: &Path, path: OsString) -> Command {
    let template = repo.chg_process(&[]);
    let mut git = Command::new("git");
    git.env_clear();
    for (key, value) in template.get_envs() {
        if let Some(value) = value {
            git.env(key, value);
        }
    }
    git.env("PATH", path)
        .env("GIT_AUTHOR_DATE", NOW)
        .env("GIT_COMMITTER_DATE", NOW)
        .current_dir(dir)
        .stdin(Stdio::null());
    git
}

fn git_in(repo: &TestRepo, dir: &Path, path: OsString, args: &[&str]) -> Output {
    git_command(repo, dir, path).args(args).output().unwrap()
}

/// git in the repository, through chg's hooks.
fn hooked(repo: &TestRepo, args: &[&str]) -> Output {
    git_in(repo, repo.path(), path_with_chg(), args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// Asserts that a git command going through the hooks was refused with `needle`,
/// and that neither HEAD nor any file moved.
pub(crate) fn commit_refused(repo: &TestRepo, args: &[&str], needle: &str) -> String {
    let (before, files) = (head(repo), repo.snapshot());
    let out = hooked(repo, args);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "git {args:?}: {said}");
    assert!(said.contains(needle), "lacks {needle:?}: {said}");
    assert_eq!(head(repo), before, "the commit was made");
    assert!(files == repo.snapshot(), "a refused commit changed files");
    said
}

pub(crate) fn commit_passes(repo: &TestRepo, args: &[&str]) {
    let before = head(repo);
    let out = hooked(repo, args);
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    assert_ne!(head(repo), before);
}

/// A repository under POLICY with one approved change, CHG-2026-0001 (standard,
/// so pre-approved), committed, and chg's hooks installed.
pub(crate) fn hooked_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Adopt chg\n\nChange: CHG-2026-0001");
    let id = repo.create(&[
        "--title",
        "Add the column",
        "--class",
        "standard",
        "--description",
        "d",
    ]);
    assert_eq!(id, "CHG-2026-0001");
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all("CHG-2026-0001: propose");
    repo.chg(&["hook", "install"]).assert().success();
    repo
}

fn assert_chg_hooks_in(dir: &Path) {
    for hook in HOOKS {
        let path = dir.join(hook);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text.contains(&format!("\"$chg\" hook run {hook}")),
            "{text}"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755, "{}", path.display());
    }
}

#[test]
fn install_puts_three_executable_hooks_in_git_dir_and_can_run_again() {
    let repo = hooked_repo();
    let hooks = repo.path().join(".git/hooks");
    assert_chg_hooks_in(&hooks);
    let first = std::fs::read(hooks.join("pre-commit")).unwrap();
    let (code, _, said) = outcome(&mut repo.chg(&["hook", "install"]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("installed .git/hooks/commit-msg"), "{said}");
    assert_eq!(std::fs::read(hooks.join("pre-commit")).unwrap(), first);
}

#[test]
fn a_good_commit_passes_and_bad_messages_are_refused() {
    let repo = hooked_repo();
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0042: add the column"],
        "H001 unknown-change-reference",
    );
    assert!(
        said.contains("names CHG-2026-0042, which has no record"),
        "{said}"
    );
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "Add the column"],
        "H002 missing-change-reference",
    );
    assert!(
        said.contains("\"Add the column\" names no change"),
        "{said}"
    );
    commit_refused(
        &repo,
        &["commit", "-q", "-m", "Add it\n\nChange: banana"],
        "`Change: banana`, which is not a change ID",
    );
    commit_passes(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Add the column\n\nChange: CHG-2026-0001",
        ],
    );
    // Exempt paths need no reference.
    repo.write("docs/notes.md", "notes\n");
    repo.git(&["add", "docs/notes.md"]);
    commit_passes(&repo, &["commit", "-q", "-m", "Write notes"]);
}

#[test]
fn comment_lines_git_writes_name_no_change() {
    let repo = hooked_repo();
    // The template git opens lists the staged record file, whose name is an ID; the
    // work staged with it needs a reference.
    repo.create(&["--title", "Second", "--class", "normal"]);
    repo.write("src/second.rs", "// the work\n");
    repo.git(&["add", "-A"]);
    let out = git_command(&repo, repo.path(), path_with_chg())
        .env("GIT_EDITOR", "true")
        .args(["commit", "-q", "-e", "-m", "Propose the second change"])
        .output()
        .unwrap();
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("H002 missing-change-reference"), "{said}");
}

#[test]
fn protected_paths_need_an_open_change_of_the_class_the_policy_names() {
    let repo = hooked_repo();
    repo.write("migrations/0001.sql", "create table t;\n");
    repo.git(&["add", "migrations"]);
    // pre-commit: no major change with rollback artifacts in the index at all.
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: migrate"],
        "H003 protected-path-class",
    );
    assert!(
        said.contains("migrations/0001.sql is protected by migrations/**, but no open major or higher change with rollback.artifacts is in the index"),
        "{said}"
    );
    // A major change with its rollback script, staged with the migration.
    repo.write("migrations/0001_down.sql", "drop table t;\n");
    let major = repo.create(&[
        "--title",
        "Migrate",
        "--class",
        "major",
        "--rollback",
        "Run the down migration",
        "--rollback-artifact",
        "migrations/0001_down.sql",
    ]);
    repo.git(&["add", "-A"]);
    // commit-msg: the message must name that change, not the standard one.
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: migrate"],
        "H003 protected-path-class",
    );
    assert!(
        said.contains("but the message names no major or higher change with rollback.artifacts"),
        "{said}"
    );
    commit_passes(&repo, &["commit", "-q", "-m", &format!("{major}: migrate")]);
}

/// The hooked repository with its change cancelled, and the commit that cancels it
/// naming it: the closing commit may.
fn with_the_change_cancelled() -> TestRepo {
    let repo = hooked_repo();
    repo.chg(&["cancel", "CHG-2026-0001", "--reason", "Not needed"])
        .assert()
        .success();
    repo.git(&["add", "-A"]);
    commit_passes(&repo, &["commit", "-q", "-m", "CHG-2026-0001: cancel"]);
    repo
}

/// Work committed with everything staged, naming the cancelled change: refused.
fn work_naming_it_is_refused(repo: &TestRepo) {
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "-A"]);
    commit_refused(
        repo,
        &["commit", "-q", "-m", "CHG-2026-0001: add the column"],
        "H005 reference-to-inactive-change",
    );
}

#[test]
fn a_change_closed_before_the_commit_cannot_be_named_but_the_closing_commit_can() {
    let repo = with_the_change_cancelled();
    work_naming_it_is_refused(&repo);
}

#[test]
fn a_closed_change_moved_to_its_other_place_cannot_be_named_either() {
    let repo = with_the_change_cancelled();
    // The cancelled record moved from its fanned-out place to its flat one in the
    // same commit as work that names it: HEAD held it at the old place.
    let fanned = repo.path().join(".changes/2026/00xx/CHG-2026-0001.yaml");
    assert!(fanned.is_file());
    repo.flatten();
    work_naming_it_is_refused(&repo);
}

#[test]
fn pre_commit_refuses_an_invalid_staged_record_even_with_commit_a() {
    let repo = hooked_repo();
    let path = &repo.record_path("CHG-2026-0001");
    repo.write(path, &format!("{}unknown_key: 1\n", repo.read(path)));
    // `git commit -a` stages into a temporary index, which git points the hooks at.
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-a", "-m", "CHG-2026-0001: edit"],
        "R001 invalid-record",
    );
    assert!(said.contains(&format!("{path}:")), "{said}");
    // A record the commit does not touch is not read: a broken one in the working
    // tree does not stop other work.
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    commit_passes(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: add the column"],
    );
}

#[test]
fn pre_commit_reads_the_record_a_copy_claims_to_be() {
    let repo = hooked_repo();
    let original = repo.record_path("CHG-2026-0001");
    let copy = repo
        .read(&original)
        .replace("title: Add the column", "title: A copy");
    // The copy lies beside the original, in whichever layout the register keeps.
    repo.write(&original.replace("CHG-2026-0001", "CHG-2026-0002"), &copy);
    repo.git(&["add", "-A"]);
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: copy"],
        &format!("R002 duplicate-id: CHG-2026-0001 is also the ID of {original}"),
    );
    assert!(said.contains("R003 id-filename-mismatch"), "{said}");
}

#[test]
fn a_merge_needs_no_reference_of_its_own() {
    let repo = hooked_repo();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("src/b.sql", "b\n");
    repo.git(&["add", "-A"]);
    commit_passes(&repo, &["commit", "-q", "-m", "CHG-2026-0001: b"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/c.sql", "c\n");
    repo.git(&["add", "-A"]);
    commit_passes(&repo, &["commit", "-q", "-m", "CHG-2026-0001: c"]);
    commit_passes(&repo, &["merge", "-q", "--no-ff", "--no-edit", "topic"]);
}

#[test]
fn hooks_go_under_core_hooks_path_relative_to_the_working_tree() {
    let repo = hooked_repo();
    repo.chg(&["hook", "uninstall"]).assert().success();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    std::fs::create_dir_all(repo.path().join("src")).unwrap();
    let (code, _, said) = outcome(&mut repo.chg(&["-C", "src", "hook", "install"]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("installed .githooks/pre-commit"), "{said}");
    assert_chg_hooks_in(&repo.path().join(".githooks"));
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    commit_refused(
        &repo,
        &["commit", "-q", "-m", "Add the column"],
        "H002 missing-change-reference",
    );
}

#[test]
fn a_linked_worktree_shares_the_hooks_of_the_common_git_dir() {
    let repo = hooked_repo();
    repo.chg(&["hook", "uninstall"]).assert().success();
    let place = tempfile::TempDir::new().unwrap();
    let tree = place.path().join("wt");
    repo.git(&["worktree", "add", "-q", "-b", "wt", tree.to_str().unwrap()]);
    let (code, _, said) =
        outcome(&mut repo.chg(&["-C", tree.to_str().unwrap(), "hook", "install"]));
    assert_eq!(code, 0, "{said}");
    assert_chg_hooks_in(&repo.path().join(".git/hooks"));
    assert!(!repo.path().join(".git/worktrees/wt/hooks").exists());
    std::fs::write(tree.join("a.sql"), "x\n").unwrap();
    let git = |args: &[&str]| git_in(&repo, &tree, path_with_chg(), args);
    assert!(git(&["add", "a.sql"]).status.success());
    let out = git(&["commit", "-q", "-m", "CHG-2026-0099: add"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("H001 unknown-change-reference"));
    let out = git(&["commit", "-q", "-m", "CHG-2026-0001: add"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_submodule_has_its_hooks_in_the_git_dir_its_git_file_names() {
    let inner = TestRepo::new();
    inner.commit_all("Start");
    let repo = TestRepo::new();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        inner.path().to_str().unwrap(),
        "sub",
    ]);
    let sub = repo.path().join("sub");
    assert!(sub.join(".git").is_file());
    repo.chg(&["-C", "sub", "hook", "install"])
        .assert()
        .success();
    assert_chg_hooks_in(&repo.path().join(".git/modules/sub/hooks"));
    std::fs::write(sub.join("a.sql"), "x\n").unwrap();
    let git = |args: &[&str]| git_in(&repo, &sub, path_with_chg(), args);
    for args in [
        ["config", "user.name", "Ada Lovelace"],
        ["config", "user.email", "ada@example.com"],
        ["add", "a.sql", "--"],
    ] {
        assert!(git(&args).status.success());
    }
    let out = git(&["commit", "-q", "-m", "CHG-2026-0099: add"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("H001 unknown-change-reference"));
}

#[test]
fn a_foreign_hook_is_kept_unless_forced_and_restored_on_uninstall() {
    let repo = hooked_repo();
    repo.chg(&["hook", "uninstall"]).assert().success();
    let hooks = repo.path().join(".git/hooks");
    let theirs = b"#!/bin/sh\n# the team's lint\nexit 0\n";
    std::fs::write(hooks.join("pre-commit"), theirs).unwrap();
    let listing = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing(&hooks);
    let said = refused(
        &repo,
        repo.chg(&["hook", "install"]),
        1,
        ".git/hooks/pre-commit is not chg's hook",
    );
    assert!(said.contains("--force"), "{said}");
    assert_eq!(std::fs::read(hooks.join("pre-commit")).unwrap(), theirs);
    assert_eq!(listing(&hooks), before, "nothing was written");

    let (code, _, said) = outcome(&mut repo.chg(&["hook", "install", "--force"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains(
            "kept the existing .git/hooks/pre-commit as .git/hooks/pre-commit.chg-backup"
        ),
        "{said}"
    );
    assert_eq!(
        std::fs::read(hooks.join("pre-commit.chg-backup")).unwrap(),
        theirs
    );
    assert_chg_hooks_in(&hooks);

    let (code, _, said) = outcome(&mut repo.chg(&["hook", "uninstall"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("restored .git/hooks/pre-commit from .git/hooks/pre-commit.chg-backup"),
        "{said}"
    );
    assert_eq!(std::fs::read(hooks.join("pre-commit")).unwrap(), theirs);
    assert!(!hooks.join("pre-commit.chg-backup").exists());
    assert!(!hooks.join("commit-msg").exists());
    assert!(!hooks.join("pre-push").exists());
    // Uninstall leaves a hook that is not chg's alone.
    let (code, _, said) = outcome(&mut repo.chg(&["hook", "uninstall"]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("left .git/hooks/pre-commit alone"), "{said}");
    assert_eq!(std::fs::read(hooks.join("pre-commit")).unwrap(), theirs);
}

#[test]
fn force_never_overwrites_an_earlier_backup() {
    let repo = hooked_repo();
    let hooks = repo.path().join(".git/hooks");
    std::fs::write(hooks.join("commit-msg"), "#!/bin/sh\n# theirs, now\n").unwrap();
    std::fs::write(
        hooks.join("commit-msg.chg-backup"),
        "#!/bin/sh\n# theirs, before\n",
    )
    .unwrap();
    let (code, _, said) = outcome(&mut repo.chg(&["hook", "install", "--force"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains(
            "kept the existing .git/hooks/commit-msg as .git/hooks/commit-msg.chg-backup.2"
        ),
        "{said}"
    );
    let read = |name: &str| std::fs::read_to_string(hooks.join(name)).unwrap();
    assert_eq!(
        read("commit-msg.chg-backup.2"),
        "#!/bin/sh\n# theirs, now\n"
    );
    assert_eq!(
        read("commit-msg.chg-backup"),
        "#!/bin/sh\n# theirs, before\n"
    );
    assert_chg_hooks_in(&hooks);
}

#[test]
fn install_outside_a_repository_is_an_input_error() {
    let dir = TestRepo::bare_dir();
    refused(
        &dir,
        dir.chg(&["hook", "install"]),
        2,
        "not a git repository",
    );
    assert!(dir.snapshot().is_empty());
}

#[test]
fn commit_msg_without_its_message_file_is_an_input_error() {
    let repo = hooked_repo();
    refused(
        &repo,
        repo.chg(&["hook", "run", "commit-msg", "no-such-message"]),
        2,
        "cannot read the commit message no-such-message",
    );
    refused(&repo, repo.chg(&["hook", "run", "commit-msg"]), 2, "<FILE>");
}

/// A directory holding a program called `chg` that is not chg: it answers as
/// Mercurial's command server client does when it cannot start.
fn impostor_dir(repo: &TestRepo) -> std::path::PathBuf {
    let dir = repo.path().join(".git/impostor");
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("chg");
    write_script(
        &fake,
        "#!/bin/sh\necho 'Mercurial Distributed SCM (version 6.9)'\necho 'chg: abort: failed to exec cmdserver' >&2\nexit 255\n",
    );
    dir
}

/// PATH with `first` ahead of everything except chg.
fn path_with_first(first: &Path) -> OsString {
    let rest = path_without_chg();
    std::env::join_paths(std::iter::once(first.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

/// A repository like [`hooked_repo`] whose hooks were installed by a copy of chg
/// that has since been deleted.
fn repo_hooked_by_a_moved_chg() -> TestRepo {
    let repo = hooked_repo();
    let copy = repo.install_hooks_with_a_copy();
    let text = std::fs::read_to_string(repo.path().join(".git/hooks/commit-msg")).unwrap();
    assert!(text.contains(copy.to_str().unwrap()), "{text}");
    std::fs::remove_file(&copy).unwrap();
    repo
}

/// Asserts that the commit was refused with every one of `needles` and changed nothing.
fn refused_with(repo: &TestRepo, path: OsString, needles: &[&str]) {
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    let (before, files) = (head(repo), repo.snapshot());
    let out = git_in(
        repo,
        repo.path(),
        path,
        &["commit", "-q", "-m", "CHG-2026-0001: add"],
    );
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for needle in needles {
        assert!(said.contains(needle), "lacks {needle:?}: {said}");
    }
    assert_eq!(head(repo), before);
    assert!(files == repo.snapshot());
}

#[test]
fn the_hooks_run_the_chg_that_installed_them_not_another_chg_on_path() {
    let repo = hooked_repo();
    let impostor = impostor_dir(&repo);
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    // chg's own commit-msg check answers, not the impostor.
    let (before, files) = (head(&repo), repo.snapshot());
    let out = git_in(
        &repo,
        repo.path(),
        path_with_first(&impostor),
        &["commit", "-q", "-m", "no reference"],
    );
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("H002"), "{said}");
    assert!(!said.contains("cmdserver"), "{said}");
    assert_eq!(head(&repo), before, "the refused commit was made");
    assert!(files == repo.snapshot(), "a refused commit changed files");
    let out = git_in(
        &repo,
        repo.path(),
        path_with_first(&impostor),
        &["commit", "-q", "-m", "CHG-2026-0001: add"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(head(&repo), before);
}

#[test]
fn a_moved_chg_with_another_chg_on_path_refuses_and_names_the_problem() {
    let repo = repo_hooked_by_a_moved_chg();
    let impostor = impostor_dir(&repo);
    refused_with(
        &repo,
        path_with_first(&impostor),
        &[
            "which is gone",
            &format!(
                "{} on PATH is another program called chg",
                impostor.join("chg").display()
            ),
            "chg hook install",
        ],
    );
}

#[test]
fn a_moved_chg_falls_back_to_the_chg_on_path() {
    let repo = repo_hooked_by_a_moved_chg();
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    let before = head(&repo);
    let out = hooked(&repo, &["commit", "-q", "-m", "CHG-2026-0001: add"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(head(&repo), before);
    // And it is chg that judged: a message naming nothing is still refused.
    repo.write("src/b.sql", "x\n");
    repo.git(&["add", "src/b.sql"]);
    commit_refused(&repo, &["commit", "-q", "-m", "no reference"], "H002");
}

#[test]
fn without_any_chg_the_hook_says_how_to_reinstall_and_refuses() {
    let repo = repo_hooked_by_a_moved_chg();
    refused_with(
        &repo,
        path_without_chg(),
        &[
            "needs chg, which is neither at",
            "nor on PATH",
            "chg hook install",
        ],
    );
}

#[test]
fn pre_push_checks_what_the_push_sends() {
    let repo = hooked_repo();
    let remote = tempfile::TempDir::new().unwrap();
    let url = remote.path().to_str().unwrap();
    repo.git(&["init", "-q", "--bare", url]);
    repo.git(&["remote", "add", "origin", url]);
    let push = |args: &[&str]| hooked(&repo, args);
    // A new branch: everything not on a remote-tracking branch is checked.
    let out = push(&["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A commit that skipped the commit hooks is caught before it leaves.
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "Add the column"]);
    let out = push(&["push", "-q", "origin", "main"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("H002 missing-change-reference"),
        "{}",
        stderr(&out)
    );
    let remote_head = repo.git(&["ls-remote", "origin", "refs/heads/main"]);
    assert_ne!(
        remote_head.split_whitespace().next(),
        Some(head(&repo).as_str())
    );
    // Reworded, it goes.
    repo.git(&[
        "commit",
        "-q",
        "--amend",
        "--no-verify",
        "-m",
        "CHG-2026-0001: add the column",
    ]);
    let out = push(&["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A deletion sends nothing to check.
    repo.git(&["push", "-q", "--no-verify", "origin", "main:gone"]);
    let out = push(&["push", "-q", "origin", ":gone"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn pre_push_lets_work_on_a_feature_branch_come_before_its_approval_but_not_on_main() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg(&["hook", "install"]).assert().success();
    let remote = tempfile::TempDir::new().unwrap();
    let url = remote.path().to_str().unwrap();
    repo.git(&["init", "-q", "--bare", url]);
    repo.git(&["remote", "add", "origin", url]);
    let push = |args: &[&str]| hooked(&repo, args);
    assert!(push(&["push", "-q", "origin", "main"]).status.success());
    // Work for the change, not yet approved, on a branch pushed for review.
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "src/a.sql"]);
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        &format!("{id}: add the column"),
    ]);
    let out = push(&["push", "-q", "origin", "feature"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same commits pushed onto main would land before the approval.
    let out = push(&["push", "-q", "origin", "feature:main"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("H004 landed-before-approval"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_commit_during_a_freeze_is_refused_for_classes_it_does_not_allow() {
    let repo = hooked_repo();
    repo.chg(&[
        "freeze",
        "start",
        "--reason",
        "Year-end release",
        "--until",
        "2026-11-25",
    ])
    .assert()
    .success();
    repo.write("src/a.sql", "x\n");
    repo.git(&["add", "-A"]);
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: add the column"],
        "F001 commit-during-freeze",
    );
    assert!(
        said.contains(
            "FRZ-2026-0001 (Year-end release) is in force and allows no standard changes"
        ),
        "{said}"
    );
    // Once the release manager ends it, the same commit goes.
    repo.chg(&["freeze", "end"]).assert().success();
    repo.git(&["add", "-A"]);
    commit_passes(
        &repo,
        &["commit", "-q", "-m", "CHG-2026-0001: add the column"],
    );
}

#[test]
fn pre_commit_refuses_a_staged_freeze_that_is_open_ended_or_unreadable() {
    let repo = hooked_repo();
    let path = ".changes/freezes/FRZ-2026-0001.yaml";
    repo.write(
        path,
        "id: FRZ-2026-0001\nreason: Release\nstarts: 2026-11-21T00:00:00Z\n\
         declared_by: Rita <rita@example.com>\nallow: [emergency]\n",
    );
    repo.git(&["add", "-A"]);
    let said = commit_refused(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Declare a freeze\n\nChange: CHG-2026-0001",
        ],
        "F004 freeze-not-time-bound",
    );
    assert!(said.contains("FRZ-2026-0001 has no end"), "{said}");
    repo.write(path, "id: [broken\n");
    repo.git(&["add", "-A"]);
    commit_refused(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Declare a freeze\n\nChange: CHG-2026-0001",
        ],
        "R001",
    );
}
