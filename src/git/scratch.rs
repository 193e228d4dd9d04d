//! Repositories built with the git program for the tests of this module: what git
//! itself writes (its index above all) is what the readers here must read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn init() -> Scratch {
        let scratch = Scratch {
            dir: tempfile::tempdir().unwrap(),
        };
        scratch.git(&["init", "--quiet", "--initial-branch=main"]);
        scratch
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// git run in the repository as ada, at a fixed time, with no configuration but
    /// the repository's own.
    fn command(&self, args: &[&str]) -> Command {
        let mut git = Command::new("git");
        git.args(args)
            .current_dir(self.path())
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z");
        git
    }

    /// [`Scratch::command`] run, its output kept.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// [`Scratch::git`] with `input` on its standard input.
    pub fn git_fed(&self, args: &[&str], input: &str) {
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "git {args:?}");
    }

    /// Writes each file in the working tree and stages them all.
    pub fn add(&self, files: &[(&str, &str)]) {
        for (path, content) in files {
            self.write(path, content);
        }
        self.git(&["add", "."]);
    }

    /// Stages object `id` at `path` with `mode`, whatever the working tree holds.
    pub fn stage(&self, mode: &str, id: &str, path: &str) {
        let info = format!("{mode},{id},{path}");
        self.git(&["update-index", "--add", "--cacheinfo", &info]);
    }

    /// The output of [`Scratch::run`]; a failure fails the test.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Writes `content` to `path` in the working tree, making its folders.
    pub fn write(&self, path: &str, content: &str) {
        let file = self.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }

    pub fn index_file(&self) -> PathBuf {
        self.path().join(".git/index")
    }

    pub fn index_bytes(&self) -> Vec<u8> {
        std::fs::read(self.index_file()).unwrap()
    }

    pub fn repo(&self) -> git2::Repository {
        git2::Repository::open(self.path()).unwrap()
    }
}
