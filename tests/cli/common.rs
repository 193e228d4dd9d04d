//! A real temporary git repository per test, driven through the built `chg` binary
//! with a scrubbed environment: its own HOME, no global or system git config, a
//! fixed identity and a pinned clock.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The clock every test runs at unless it says otherwise.
pub const NOW: &str = "2026-11-21T10:30:00Z";

pub struct TestRepo {
    dir: TempDir,
    home: TempDir,
}

impl TestRepo {
    /// An initialised repository on `main` whose config names Ada as the user.
    pub fn new() -> TestRepo {
        let repo = TestRepo::bare_dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ada Lovelace"]);
        repo.git(&["config", "user.email", "ada@example.com"]);
        repo
    }

    /// A repository with `chg init` done and committed.
    pub fn initialised() -> TestRepo {
        let repo = TestRepo::new();
        repo.chg(&["init"]).assert().success();
        repo.commit_all("Start the change register");
        repo
    }

    /// A repository under `policy` holding one submitted normal change, committed,
    /// that Lee (the only approver) has yet to approve; returns it and the change's ID.
    pub fn awaiting_lee(extra_policy: &str) -> (TestRepo, String) {
        let repo = TestRepo::new();
        repo.write(
            ".changes.toml",
            &format!("[roles]\napprover = [\"lee@example.com\"]\n[classes.normal]\nrequires = [\"description\"]\napprovals = [\"approver\"]\n{extra_policy}"),
        );
        repo.commit_all("Adopt chg");
        let id = repo.complete_change("Add the column", "normal");
        repo.chg(&["submit", &id]).assert().success();
        repo.commit_all(&format!("Propose {id}"));
        (repo, id)
    }

    /// A plain temporary directory, not a repository.
    pub fn bare_dir() -> TestRepo {
        TestRepo {
            dir: TempDir::new().unwrap(),
            home: TempDir::new().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn scrub(&self, cmd: &mut std::process::Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("LC_ALL", "C")
            .env("CHG_NOW", NOW)
            .current_dir(self.path());
    }

    /// `chg` with the scrubbed environment, run in the repository, stdin closed.
    pub fn chg(&self, args: &[&str]) -> Command {
        let mut cmd = Command::from_std(self.chg_process(args));
        cmd.write_stdin("");
        cmd
    }

    /// The same as a plain process, for tests that spawn several at once.
    pub fn chg_process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = self.program(env!("CARGO_BIN_EXE_chg"));
        cmd.args(args);
        cmd
    }

    /// Any program with the scrubbed environment, run in the repository.
    pub fn program(&self, program: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        self.scrub(&mut cmd);
        cmd
    }

    /// `chg` acting as another person (GIT_AUTHOR_* as git would use them).
    pub fn chg_as(&self, name: &str, email: &str, args: &[&str]) -> Command {
        let mut cmd = self.chg(args);
        cmd.env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email);
        cmd
    }

    /// Runs git in the repository; panics with its output when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_at(NOW, args)
    }

    /// Runs git at a pinned time (author and committer dates).
    pub fn git_at(&self, when: &str, args: &[&str]) -> String {
        let out = self.try_git_at(when, args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs git at a pinned time and hands back its output whether or not it
    /// succeeded, for steps that are meant to stop (a merge that conflicts).
    pub fn try_git_at(&self, when: &str, args: &[&str]) -> std::process::Output {
        let mut cmd = std::process::Command::new("git");
        self.scrub(&mut cmd);
        cmd.env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .args(args);
        cmd.output().unwrap()
    }

    /// A clone of `origin` made by `git clone <args>` over `file://` (so that
    /// `--depth` is honoured), its config naming Ada as the user.
    pub fn clone_of(origin: &TestRepo, args: &[&str]) -> TestRepo {
        let repo = TestRepo::bare_dir();
        let url = format!("file://{}", origin.path().display());
        let mut all = vec!["clone", "-q"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[&url, "."]);
        repo.git(&all);
        repo.git(&["config", "user.name", "Ada Lovelace"]);
        repo.git(&["config", "user.email", "ada@example.com"]);
        repo
    }

    /// Commits everything at a pinned time.
    pub fn commit_all_at(&self, when: &str, message: &str) {
        self.git_at(when, &["add", "-A"]);
        self.git_at(when, &["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// `chg` as `email` at a pinned time: its clock, and the dates of any commit it makes.
    pub fn chg_at(&self, when: &str, name: &str, email: &str, args: &[&str]) -> Command {
        let mut cmd = self.chg_as(name, email, args);
        cmd.env("CHG_NOW", when)
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when);
        cmd
    }

    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.place(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.place(rel)).unwrap()
    }

    /// Where `rel` is. A record named by its flat path, `.changes/<ID>.yaml`, is the
    /// file at its fanned-out place `.changes/<YYYY>/<NN>xx/<ID>.yaml` where only that
    /// one exists: tests of what a record holds read the same in either layout.
    pub fn place(&self, rel: &str) -> PathBuf {
        let flat = self.path().join(rel);
        let name = rel.strip_prefix(".changes/").filter(|n| !n.contains('/'));
        let Some((id, _)) = name.and_then(|n| n.split_once(".yaml")) else {
            return flat;
        };
        let parts: Vec<&str> = id.split('-').collect();
        let [_, year, number] = parts[..] else {
            return flat;
        };
        let head = &number[..number.len().saturating_sub(2)];
        let fanned = self
            .path()
            .join(format!(".changes/{year}/{head}xx/{id}.yaml"));
        if !flat.exists() && fanned.exists() {
            fanned
        } else {
            flat
        }
    }

    /// Moves every record of the fanned-out layout to its flat place, by hand: the
    /// register as it was kept before chg had another layout, for tests of flat
    /// registers (new records then go flat too).
    pub fn flatten(&self) {
        let dir = self.path().join(".changes");
        for year in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = year.file_name().to_string_lossy().into_owned();
            if !year.file_type().unwrap().is_dir() || !name.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            for hundreds in std::fs::read_dir(year.path()).unwrap().flatten() {
                for file in std::fs::read_dir(hundreds.path()).unwrap().flatten() {
                    std::fs::rename(file.path(), dir.join(file.file_name())).unwrap();
                }
                std::fs::remove_dir(hundreds.path()).unwrap();
            }
            std::fs::remove_dir(year.path()).unwrap();
        }
    }

    /// Every file of the working tree (outside .git) with its bytes, to prove that a
    /// refused command changed nothing.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot_of(self.path())
    }

    /// Creates a normal draft through `chg new` and returns its ID.
    pub fn new_change(&self, title: &str) -> String {
        self.create(&["--title", title, "--class", "normal"])
    }

    /// Creates a draft of `class` through `chg new` that holds what the default policy
    /// asks of it (a description; for all but standard changes, a rollback plan) and
    /// returns its ID.
    pub fn complete_change(&self, title: &str, class: &str) -> String {
        self.create(&complete_args(title, class))
    }

    /// Runs `chg new --no-input` with `args` and returns the new change's ID.
    pub fn create(&self, args: &[&str]) -> String {
        created_by(|all| self.chg(all), args)
    }

    /// [`TestRepo::create`] as `who` (see [`TestRepo::chg_as`]).
    pub fn create_as(&self, who: Who, args: &[&str]) -> String {
        created_by(|all| self.chg_as(who.0, who.1, all), args)
    }
}

/// The `chg new` arguments of a draft of `class` titled `title` that holds what the
/// default policy asks of it, as [`TestRepo::complete_change`] makes it; a test adds
/// its own flags after them.
pub fn complete_args<'a>(title: &'a str, class: &'a str) -> Vec<&'a str> {
    let mut args = vec!["--title", title, "--class", class, "--description", "d"];
    if class != "standard" {
        args.extend(["--rollback", "revert"]);
    }
    args
}

/// Runs `chg new --no-input <args>` through the command `chg` builds (as whoever, at
/// whatever time the test needs), asserts it succeeded and returns the new change's ID.
pub fn created_by(chg: impl FnOnce(&[&str]) -> Command, args: &[&str]) -> String {
    let mut all = vec!["new", "--no-input"];
    all.extend_from_slice(args);
    let out = stdout_of(&mut chg(&all));
    out.split_whitespace().next().unwrap().to_string()
}

/// Every entry under `root` (outside .git) with its bytes. Links are not followed
/// (a link's target is its content) and FIFOs, sockets and devices are not opened
/// (their kind is): a snapshot must not hang on a FIFO or leave the tree.
pub fn snapshot_of(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            let kind = entry.file_type().unwrap();
            let content = if kind.is_dir() {
                walk(root, &path, out);
                continue;
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                format!("link to {}", target.display()).into_bytes()
            } else if kind.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                format!("{kind:?}").into_bytes()
            };
            out.insert(path.strip_prefix(root).unwrap().to_path_buf(), content);
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

/// Writes the script `text` to `path`, ready to run. It is copied into place by
/// another process: a file this one had open for writing can stay open a moment
/// longer in a child that another test's thread is starting, and running it then
/// fails as "text file busy".
pub fn write_script(path: &Path, text: &str) {
    let staged = path.with_extension("staged");
    std::fs::write(&staged, text).unwrap();
    let copied = std::process::Command::new("cp")
        .arg(&staged)
        .arg(path)
        .status()
        .unwrap();
    assert!(copied.success(), "cp {}", path.display());
    std::fs::remove_file(&staged).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `cmd`, asserts that it succeeded, and returns its stdout.
pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// Runs `cmd` and returns its exit code, stdout and stderr.
pub fn outcome(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Asserts that running `cmd` exits with `code`, says `needle` on stderr, and leaves
/// every file of `repo` as it was.
pub fn refused(repo: &TestRepo, mut cmd: Command, code: i32, needle: &str) -> String {
    let before = repo.snapshot();
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "exit code; stderr: {stderr}");
    assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    assert!(before == repo.snapshot(), "a refused command changed files");
    stderr
}

impl TestRepo {
    /// Installs chg's hooks with a copy of the chg under test at `.git/old-bin/chg`,
    /// and returns the copy's path, for tests of hooks whose chg moves or changes.
    pub fn install_hooks_with_a_copy(&self) -> std::path::PathBuf {
        let dir = self.path().join(".git/old-bin");
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("chg");
        std::fs::copy(env!("CARGO_BIN_EXE_chg"), &copy).unwrap();
        let template = self.chg_process(&[]);
        let mut install = std::process::Command::new(&copy);
        install
            .args(["hook", "install"])
            .env_clear()
            .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .current_dir(self.path());
        // A test running at the same time may fork while the copy is still open for
        // writing, and hold it open in its child for a moment: "text file busy".
        let out = (0..100)
            .find_map(|_| match install.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    None
                }
                other => Some(other.unwrap()),
            })
            .expect("the copy of chg stayed busy");
        assert!(out.status.success(), "{out:?}");
        copy
    }
}

/// A person: `(name, email)`.
pub type Who = (&'static str, &'static str);

impl TestRepo {
    /// Commits everything, authored and committed by `who` at `when`.
    pub fn commit_all_as(&self, when: &str, who: Who, message: &str) {
        self.git_at(when, &["add", "-A"]);
        self.commit_staged_as(when, who, message);
    }

    /// Runs `chg args` as `who` at `when`, asserts success, and commits the register
    /// (`.changes/`) as them at that time with `message`: the commit that adds a move
    /// or a deployment must be authored by whoever made it. Returns chg's stdout.
    pub fn chg_committed(&self, when: &str, who: Who, args: &[&str], message: &str) -> String {
        let out = stdout_of(&mut self.chg_at(when, who.0, who.1, args));
        self.git_at(when, &["add", ".changes"]);
        self.commit_staged_as(when, who, message);
        out
    }

    /// Commits what is staged, authored and committed by `who` at `when`.
    pub fn commit_staged_as(&self, when: &str, who: Who, message: &str) {
        let name = format!("user.name={}", who.0);
        let email = format!("user.email={}", who.1);
        self.git_at(
            when,
            &[
                "-c",
                &name,
                "-c",
                &email,
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                message,
            ],
        );
    }

    /// Work (a new file `src/<branch>.rs`) committed at `when` on a new branch `branch`
    /// off main, to be merged later; back on main after.
    pub fn work_on_branch(&self, branch: &str, when: &str, message: &str) {
        self.git_at(when, &["checkout", "-q", "-b", branch, "main"]);
        self.write(&format!("src/{branch}.rs"), "// the fix\n");
        self.commit_all_at(when, message);
        self.git_at(when, &["checkout", "-q", "main"]);
    }

    /// Merges `branch` into the current branch at `when`, always with a merge commit.
    pub fn merge_at(&self, when: &str, branch: &str, message: &str) {
        self.git_at(when, &["merge", "-q", "--no-ff", "-m", message, branch]);
    }
}

/// One finding of `chg check --format json`.
#[derive(Debug)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub record: Option<String>,
    pub commit: Option<String>,
    pub message: String,
}

/// `chg check --format json` with its clock at `now`: the exit code and findings.
pub fn findings_at(repo: &TestRepo, now: &str) -> (i32, Vec<Finding>) {
    findings_with(repo, now, &[])
}

/// `chg check --format json <args>` with its clock at `now`: the exit code and findings.
pub fn findings_with(repo: &TestRepo, now: &str, args: &[&str]) -> (i32, Vec<Finding>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let mut cmd = repo.chg(&all);
    cmd.env("CHG_NOW", now);
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert!(code == 0 || code == 1, "check could not run: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("check JSON");
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Finding {
            rule: f["rule"].as_str().unwrap().to_string(),
            severity: f["severity"].as_str().unwrap().to_string(),
            record: f["record"].as_str().map(str::to_string),
            commit: f["commit"].as_str().map(str::to_string),
            message: f["message"].as_str().unwrap().to_string(),
        })
        .collect();
    (code, findings)
}

/// `text` with `from` replaced by `to`; `from` must be there exactly once, so that a
/// preset or a record that no longer says what a test expects fails loudly.
pub fn replaced(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in:\n{text}");
    text.replacen(from, to, 1)
}

/// `text` with the line that starts `line` (once in it) padded with `x` until the
/// whole is 16 bytes short of the 1 MiB chg reads: readable, but any command that adds
/// to it would write it past the limit.
pub fn near_the_size_read(text: &str, line: &str) -> String {
    let pad = "x".repeat((1 << 20) - 16 - text.len());
    let padded = replaced(text, line, &format!("{line}{pad}"));
    assert_eq!(padded.len(), (1 << 20) - 16);
    padded
}

/// Asserts that `cmd` refuses to write `file` past the size chg reads: exit 2, the
/// message, and no file changed. Its stderr.
pub fn refused_as_too_large(repo: &TestRepo, cmd: Command, file: &str) -> String {
    let stderr = refused(
        repo,
        cmd,
        2,
        &format!("cannot write {file}: written out, it would be "),
    );
    assert!(
        stderr.contains("bytes, more than the 1 MiB chg reads"),
        "{stderr}"
    );
    stderr
}

impl TestRepo {
    /// The repository-relative path of the record of `id` where it lies (its flat
    /// place when neither place holds it), for git commands and expected messages
    /// that must read the same in either layout.
    pub fn record_path(&self, id: &str) -> String {
        let place = self.place(&format!(".changes/{id}.yaml"));
        let rel = place.strip_prefix(self.path()).unwrap();
        rel.to_str().unwrap().to_string()
    }
}

/// The first line of a record at `path` (in the repository) under the records
/// directory `dir`: it names the `schema.json` beside the records relative to the
/// record, as the YAML language server resolves it.
pub fn modeline_at(dir: &str, path: &str) -> String {
    let below = path.strip_prefix(dir).unwrap().trim_start_matches('/');
    let up = "../".repeat(below.matches('/').count());
    format!("# yaml-language-server: $schema={up}schema.json\n")
}

impl TestRepo {
    /// [`modeline_at`] for the record of `id` in `.changes/`, where it lies.
    pub fn modeline_of(&self, id: &str) -> String {
        modeline_at(".changes", &self.record_path(id))
    }
}
