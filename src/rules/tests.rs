//! Keeps the registry honest: unique codes, documentation, and for every rule a
//! fixture it passes and a fixture it fails (`fixtures/rules/<CODE>.{pass,fail}.yaml`).

use super::*;
use crate::store::{Store, WorkTree};
use std::collections::BTreeMap;

#[test]
fn codes_and_names_are_unique_and_documented() {
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for rule in REGISTRY {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 4 && rule.code[1..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not kebab-case",
            rule.name
        );
        assert!(
            rule.summary.len() > 20 && rule.doc.len() > 100,
            "{} is not documented",
            rule.code
        );
    }
}

#[test]
fn codes_and_names_match_the_spec() {
    let spec = include_str!("../../docs/rules.md");
    for rule in REGISTRY {
        let row = format!("| {} | {} |", rule.code, rule.name);
        assert!(spec.contains(&row), "docs/rules.md lacks the row {row}");
    }
}

/// A fixture: the policy, a scripted history, the working tree's files, and the
/// time of the check. Files may say `digest: {{digest}}`, replaced by the digest of
/// the record they are in, so fixtures can hold current approvals.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    now: String,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    commits: Vec<Step>,
    #[serde(default)]
    files: BTreeMap<String, String>,
}

/// One step of a scripted history: switch branch, write or remove files and commit,
/// or merge.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    /// `Name <email>` of the commit's author.
    author: String,
    message: String,
    /// Create this branch here and switch to it first.
    #[serde(default)]
    branch: Option<String>,
    /// Switch to this existing branch first.
    #[serde(default)]
    checkout: Option<String>,
    /// Merge this branch (no fast-forward) instead of committing files.
    #[serde(default)]
    merge: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Files to remove in this commit.
    #[serde(default)]
    remove: Vec<String>,
}

#[test]
fn a_record_is_digested_once_whichever_rules_ask() {
    // Two records at one path, as the stages of a conflict in the index are.
    let stored = |description: &str| Stored {
        path: ".changes/a.yaml".to_string(),
        record: ChangeRecord {
            description: Some(description.to_string()),
            ..crate::model::record::sample(Class::Normal)
        },
    };
    let (a, b) = (stored("a"), stored("b"));
    let digests = Digests::default();
    let asked = |digest: Digest| match digest {
        Digest::Asked(digest) => digest,
        Digest::Ahead(_) => panic!("none was worked out ahead"),
    };
    let first = asked(digests.of(0, &a));
    assert_eq!(*first, crate::model::digest::of(&a.record));
    assert!(
        Rc::ptr_eq(&first, &asked(digests.of(0, &a))),
        "asked again, not worked out again"
    );
    // Another record, another digest, whatever its path.
    assert_eq!(
        digests.of(1, &b).as_ref(),
        crate::model::digest::of(&b.record)
    );
    assert_ne!(asked(digests.of(1, &b)), first);

    // Worked out ahead for the first place only: that one is taken as given, the
    // second is worked out when asked.
    let worked_out = [Some("sha256:ahead".to_string()), None];
    let ahead = Digests::known(&worked_out);
    assert_eq!(ahead.of(0, &a).as_ref(), "sha256:ahead");
    assert_eq!(
        ahead.of(1, &b).as_ref(),
        crate::model::digest::of(&b.record)
    );
}

fn with_digest(text: &str) -> String {
    if !text.contains("{{digest}}") {
        return text.to_string();
    }
    let record: crate::model::ChangeRecord =
        serde_yaml::from_str(&text.replace("{{digest}}", "x")).unwrap();
    text.replace("{{digest}}", &crate::model::digest::of(&record))
}

fn write_files(dir: &std::path::Path, files: &BTreeMap<String, String>) {
    for (name, content) in files {
        let file = dir.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, with_digest(content)).unwrap();
    }
}

fn git(dir: &std::path::Path, author: &str, args: &[&str]) {
    let (name, email) = author
        .split_once(" <")
        .map(|(n, e)| (n, e.trim_end_matches('>')))
        .unwrap();
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A rule's fixture, read as a check reads a register: kept whole so that rules can
/// be run over it more than one way.
struct Read {
    policy: Policy,
    records: Vec<Stored>,
    freezes: Vec<StoredFreeze>,
    unreadable: Vec<Unreadable>,
    strays: Vec<Stray>,
    history: Option<History>,
    tree: WorkTree,
    now: DateTime<Utc>,
    _dir: tempfile::TempDir,
}

impl Read {
    fn register<'t>(&'t self, tree: &'t (dyn Tree + Sync)) -> Register<'t> {
        Register {
            policy: &self.policy,
            records: &self.records,
            freezes: &self.freezes,
            unreadable: &self.unreadable,
            strays: &self.strays,
            tree,
            now: self.now,
            history: self.history.as_ref(),
            digests: Default::default(),
        }
    }
}

fn findings_for(rule: &'static Rule, case: &str) -> Vec<Finding> {
    let read = read_fixture(rule, case);
    let mut report = Report {
        rule,
        findings: Vec::new(),
    };
    (rule.check)(&read.register(&read.tree), &mut report);
    report.findings
}

fn read_fixture(rule: &'static Rule, case: &str) -> Read {
    let path = format!(
        "{}/fixtures/rules/{}.{case}.yaml",
        env!("CARGO_MANIFEST_DIR"),
        rule.code
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fixture: Fixture = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let dir = tempfile::TempDir::new().unwrap();
    let policy = Policy::from_toml(&fixture.policy).unwrap_or_else(|e| panic!("{path}: {e}"));
    let repo = (!fixture.commits.is_empty()).then(|| {
        git(
            dir.path(),
            "Setup <setup@example.com>",
            &["init", "-q", "-b", "main"],
        );
        // Each commit is judged by the policy its parent holds: a history that does
        // not write the policy itself starts by adopting the fixture's.
        let writes_policy =
            (fixture.commits.iter()).any(|s| s.files.contains_key(crate::policy::FILE_NAME));
        if !writes_policy {
            std::fs::write(dir.path().join(crate::policy::FILE_NAME), &fixture.policy).unwrap();
            let setup = "Setup <setup@example.com>";
            git(dir.path(), setup, &["add", "-A"]);
            git(dir.path(), setup, &["commit", "-q", "-m", "Adopt chg"]);
        }
        for step in &fixture.commits {
            if let Some(branch) = &step.branch {
                git(dir.path(), &step.author, &["checkout", "-q", "-b", branch]);
            }
            if let Some(branch) = &step.checkout {
                git(dir.path(), &step.author, &["checkout", "-q", branch]);
            }
            match &step.merge {
                Some(branch) => git(
                    dir.path(),
                    &step.author,
                    &["merge", "-q", "--no-ff", "-m", &step.message, branch],
                ),
                None => {
                    write_files(dir.path(), &step.files);
                    for path in &step.remove {
                        std::fs::remove_file(dir.path().join(path)).unwrap();
                    }
                    git(dir.path(), &step.author, &["add", "-A"]);
                    git(
                        dir.path(),
                        &step.author,
                        &["commit", "-q", "--allow-empty", "-m", &step.message],
                    );
                }
            }
        }
        crate::git::Git::discover(dir.path()).unwrap()
    });
    write_files(dir.path(), &fixture.files);
    let store = Store::new(dir.path(), &policy);
    let (records, unreadable) = store.load_all().unwrap();
    let (freezes, unreadable_freezes) = store.load_freezes().unwrap();
    let strays = store.strays().unwrap();
    assert!(
        unreadable_freezes.is_empty(),
        "{path}: {unreadable_freezes:?}"
    );
    let approvers = crate::history::Approvers::of(&records);
    let history = repo.as_ref().map(|git| {
        let scope = crate::history::Scope {
            tip: git.head(),
            ..Default::default()
        };
        crate::history::Reader::new(git, &policy)
            .read(&scope, &approvers)
            .unwrap()
    });
    let now: crate::model::Timestamp = fixture.now.parse().unwrap();
    Read {
        tree: WorkTree::new(dir.path()),
        policy,
        records,
        freezes,
        unreadable,
        strays,
        history,
        now: now.utc(),
        _dir: dir,
    }
}

#[test]
fn every_rule_passes_its_pass_fixture_and_fails_its_fail_fixture() {
    for rule in REGISTRY {
        let pass = findings_for(rule, "pass");
        assert!(
            pass.is_empty(),
            "{} fires on its pass fixture: {pass:#?}",
            rule.code
        );
        let fail = findings_for(rule, "fail");
        assert!(
            !fail.is_empty(),
            "{} does not fire on its fail fixture",
            rule.code
        );
        assert!(fail.iter().all(|f| f.rule == rule.code));
    }
}

/// Rules shared between threads find what one thread running them all finds, in
/// the same order, however the rules are split between the threads: over every
/// rule's fixtures, each of which some rule fails.
#[test]
fn rules_on_two_threads_find_what_one_thread_finds() {
    let shown = |findings: Vec<Finding>| format!("{findings:#?}");
    for rule in REGISTRY {
        for case in ["pass", "fail"] {
            let read = read_fixture(rule, case);
            let register = read.register(&read.tree);
            let one = shown(run(&register));
            // Each rule's findings alone, as the thread that took it gives them.
            let by_rule: Vec<Vec<Finding>> = REGISTRY
                .iter()
                .map(|rule| run_one(&register, rule))
                .collect();
            assert!(case == "pass" || by_rule.iter().flatten().any(|f| f.rule == rule.code));
            let splits: [fn(usize) -> bool; 3] = [|at| at % 2 == 0, |at| at < 20, |at| at >= 20];
            for taken_first in splits {
                let (first, second): (Vec<_>, Vec<_>) =
                    (by_rule.iter().enumerate()).partition(|(at, _)| taken_first(*at));
                let split = (second.into_iter().chain(first))
                    .flat_map(|(_, found)| found.clone())
                    .collect();
                assert_eq!(shown(in_order(split)), one, "{} {case}", rule.code);
            }
            let two = run_on_two(|| read.register(&read.tree));
            assert_eq!(shown(two), one, "{} {case}", rule.code);
        }
    }
}

#[test]
fn the_policy_may_only_override_rules_that_exist() {
    assert!(check_overrides(&Policy::from_toml("[rules]\nR003 = \"warning\"\n").unwrap()).is_ok());
    let err =
        check_overrides(&Policy::from_toml("[rules]\nX999 = \"off\"\n").unwrap()).unwrap_err();
    assert!(err.contains("`X999`"), "{err}");
}
