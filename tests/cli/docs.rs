//! The user documentation stays true of the binary: the CI examples in docs/ci.md are
//! YAML that checks requests with `--range` on full history, and every `chg <command>`
//! in a code block of docs/*.md or README.md names a real subcommand.

use crate::common::{outcome, TestRepo};
use crate::help::every_help;
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pages each reader is sent to; they must exist and show commands.
const PAGES: [&str; 5] = ["developer", "approver", "release-manager", "ci", "auditor"];

/// A fenced code block: its info string, the line its text starts on, and its text.
pub(crate) struct Block {
    pub(crate) lang: String,
    pub(crate) line: usize,
    pub(crate) text: String,
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn read(rel: &Path) -> String {
    std::fs::read_to_string(root().join(rel))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", rel.display()))
}

/// The fenced (```) code blocks of a Markdown text, indented ones included.
pub(crate) fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        lang: info.trim().to_string(),
                        line: n + 2,
                        text: String::new(),
                    });
                }
            }
            Some(block) if trimmed.starts_with("```") => found.push(block),
            Some(mut block) => {
                block.text.push_str(line);
                block.text.push('\n');
                open = Some(block);
            }
        }
    }
    assert!(open.is_none(), "a code block is never closed");
    found
}

/// The words after `chg` on a line that runs it, past an optional prompt (`$ `), YAML
/// list marker (`- `) or `run:` key, and past global options (`-C <path>`, `-q`...).
fn chg_words(line: &str) -> Option<Vec<String>> {
    let mut rest = line.trim();
    while let Some(r) = ["$ ", "- ", "run: "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
    {
        rest = r.trim_start();
    }
    let mut tokens = rest.strip_prefix("chg ")?.split_whitespace();
    let mut words = Vec::new();
    while let Some(token) = tokens.next() {
        if token == "#" || (token.starts_with('-') && !words.is_empty()) {
            break;
        }
        if token == "-C" {
            tokens.next();
        } else if !token.starts_with('-') {
            words.push(token.to_string());
            if words.len() == 2 {
                break;
            }
        }
    }
    Some(words)
}

/// docs/*.md and README.md, relative to the repository root.
fn markdown_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    files.sort();
    files.push(PathBuf::from("README.md"));
    files
}

#[test]
fn every_chg_command_in_the_docs_names_a_real_subcommand() {
    // Each command's words, with every place that shows it.
    let mut uses: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for file in markdown_files() {
        let mut count = 0;
        for block in blocks(&read(&file)) {
            for (n, line) in block.text.lines().enumerate() {
                if let Some(words) = chg_words(line) {
                    count += 1;
                    let at = format!("{}:{}", file.display(), block.line + n);
                    uses.entry(words).or_default().push(at);
                }
            }
        }
        let stem = file.file_stem().unwrap().to_string_lossy();
        if PAGES.contains(&stem.as_ref()) {
            assert!(count > 0, "{} shows no chg command", file.display());
        }
    }
    for page in PAGES {
        assert!(
            root().join(format!("docs/{page}.md")).is_file(),
            "docs/{page}.md is missing"
        );
    }
    assert!(uses.len() > 20, "too few commands found: {:?}", uses.keys());

    let dir = TestRepo::bare_dir();
    let mut groups = BTreeSet::new();
    let mut failures = Vec::new();
    let mut firsts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (words, at) in &uses {
        let first = words.first().map(String::as_str).unwrap_or_default();
        firsts.entry(first).or_default().extend(at.iter().cloned());
    }
    for (word, at) in &firsts {
        if word.is_empty() {
            failures.push(format!("`chg` with no subcommand at {}", at.join(", ")));
            continue;
        }
        match help(&dir, &[word], at) {
            // A group (hook, freeze) lists its own commands: check the second word too.
            Ok(out) if out.contains("\nCommands:\n") => {
                groups.insert(word.to_string());
            }
            Ok(_) => {}
            Err(failure) => failures.push(failure),
        }
    }
    for (words, at) in &uses {
        if let [first, second] = words.as_slice() {
            if groups.contains(first) {
                if let Err(failure) = help(&dir, &[first, second], at) {
                    failures.push(failure);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the docs show commands chg does not have:\n{}",
        failures.join("\n")
    );
}

/// `chg <args> --help` in a scrubbed environment: its stdout, or what to report.
pub(crate) fn help(dir: &TestRepo, args: &[&str], at: &[String]) -> Result<String, String> {
    let mut all = args.to_vec();
    all.push("--help");
    let (code, stdout, stderr) = outcome(&mut dir.chg(&all));
    if code == 0 {
        return Ok(stdout);
    }
    Err(format!(
        "`chg {}` (at {}): `chg {}` exited {code}: {}",
        args.join(" "),
        at.join(", "),
        all.join(" "),
        stderr.lines().next().unwrap_or_default()
    ))
}

/// Whether a GitHub Actions workflow has a job that checks out full history and runs
/// `chg check --range`.
fn github_checks_a_range(doc: &Value) -> bool {
    let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) else {
        return false;
    };
    jobs.values().any(|job| {
        let steps = job
            .get("steps")
            .and_then(Value::as_sequence)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let full_history = steps.iter().any(|s| {
            s.get("uses")
                .and_then(Value::as_str)
                .is_some_and(|u| u.starts_with("actions/checkout@"))
                && s.get("with")
                    .and_then(|w| w.get("fetch-depth"))
                    .is_some_and(is_zero)
        });
        let range = steps.iter().any(|s| {
            s.get("run")
                .and_then(Value::as_str)
                .is_some_and(|r| r.contains("chg check --range"))
        });
        job.get("runs-on").is_some() && full_history && range
    })
}

/// Whether a GitLab CI file has a job with `GIT_DEPTH` 0 whose script runs
/// `chg check --range`.
fn gitlab_checks_a_range(doc: &Value) -> bool {
    let Some(top) = doc.as_mapping() else {
        return false;
    };
    if top.contains_key("jobs") {
        return false;
    }
    let depth_of = |v: &Value| {
        v.get("variables")
            .and_then(|vars| vars.get("GIT_DEPTH"))
            .cloned()
    };
    let global_depth = depth_of(doc);
    top.values().any(|job| {
        let script = job
            .get("script")
            .and_then(Value::as_sequence)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let range = script.iter().any(|line| {
            line.as_str()
                .is_some_and(|l| l.contains("chg check --range"))
        });
        let depth = depth_of(job).or_else(|| global_depth.clone());
        range && depth.as_ref().is_some_and(is_zero)
    })
}

fn is_zero(v: &Value) -> bool {
    v.as_u64() == Some(0) || v.as_str() == Some("0")
}

#[test]
fn the_ci_examples_are_yaml_and_check_requests_with_a_range_on_full_history() {
    let page = Path::new("docs/ci.md");
    let yaml: Vec<Block> = blocks(&read(page))
        .into_iter()
        .filter(|b| b.lang == "yaml" || b.lang == "yml")
        .collect();
    assert!(!yaml.is_empty(), "docs/ci.md has no yaml block");
    let (mut github, mut gitlab) = (false, false);
    for block in &yaml {
        let doc: Value = serde_yaml::from_str(&block.text)
            .unwrap_or_else(|e| panic!("docs/ci.md:{}: not YAML: {e}", block.line));
        github |= github_checks_a_range(&doc);
        gitlab |= gitlab_checks_a_range(&doc);
    }
    assert!(
        github,
        "no GitHub Actions job in docs/ci.md checks out with fetch-depth: 0 and runs `chg check --range`"
    );
    assert!(
        gitlab,
        "no GitLab CI job in docs/ci.md has GIT_DEPTH 0 and runs `chg check --range`"
    );
}

#[test]
fn the_command_finder_reads_prompts_list_items_and_global_options() {
    let words = |l: &str| chg_words(l).map(|w| w.join(" "));
    assert_eq!(words("chg check --range a..b"), Some("check".into()));
    assert_eq!(
        words("  $ chg -C repo -q hook install"),
        Some("hook install".into())
    );
    assert_eq!(words("- chg check --range x"), Some("check".into()));
    assert_eq!(
        words("run: chg freeze status"),
        Some("freeze status".into())
    );
    assert_eq!(
        words("chg show CHG-2026-0001 # comment"),
        Some("show CHG-2026-0001".into())
    );
    assert_eq!(words("chg: the hook needs chg"), None);
    assert_eq!(words("cargo install chg"), None);
    let md = "text\n```sh\nchg list\n```\n\n  ```yaml\n  a: 1\n  ```\n";
    let found = blocks(md);
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].lang.as_str(), found[0].line), ("sh", 3));
    assert_eq!(found[1].text, "  a: 1\n");
}

/// docs/policies.md maps every seed clause to the test that proves it: each test it
/// names exists, and each seed has its table.
#[test]
fn every_test_docs_policies_md_names_exists() {
    let page = read(Path::new("docs/policies.md"));
    for preset in [
        "itil-four-class",
        "risk-score",
        "risk-matrix",
        "pull-request",
        "rfc",
    ] {
        assert!(
            page.contains(&format!("→ preset `{preset}`")),
            "docs/policies.md has no table for {preset}"
        );
    }
    let named: BTreeSet<(String, String)> = page
        .split('`')
        .filter_map(|s| s.split_once("::"))
        .filter(|(module, name)| {
            !module.is_empty()
                && module.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .map(|(m, n)| (m.to_string(), n.to_string()))
        .collect();
    assert!(named.len() > 50, "only {} tests named", named.len());
    for (module, name) in named {
        let source = read(&Path::new("tests/cli").join(format!("{module}.rs")));
        assert!(
            source.contains(&format!("#[test]\nfn {name}()")),
            "docs/policies.md names {module}::{name}, which is not a test"
        );
    }
}

/// What a user reads must stand on its own: no internal contract ("SPEC", "§"), no
/// internal reference policies ("seed 002"), no issue numbers or gap labels.
fn internal_references(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    // "johan": a person one modelled policy names; the presets name roles, not people.
    for needle in ["seed ", "gap-", "our bar", "johan"] {
        if lower.contains(needle) {
            found.push(needle.trim().to_string());
        }
    }
    for needle in ["SPEC", "§"] {
        if text.contains(needle) {
            found.push(needle.to_string());
        }
    }
    let issue_number = lower.match_indices("issue ").any(|(at, needle)| {
        lower[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '#')
    });
    if issue_number {
        found.push("issue <number>".to_string());
    }
    found
}

/// Every Markdown file under `dir` (relative to the repository root), recursively.
fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root().join(dir)).unwrap() {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(root()).unwrap().to_path_buf();
        if path.is_dir() {
            files.extend(markdown_under(&rel));
        } else if path.extension().is_some_and(|x| x == "md") {
            files.push(rel);
        }
    }
    files
}

/// The subcommands a `--help` output lists under "Commands:", `help` left out.
pub(crate) fn subcommands(help: &str) -> Vec<String> {
    help.split("\nCommands:\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|line| !line.trim().is_empty())
        // A wrapped description continues on a line indented further.
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| *word != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn user_facing_text_names_no_internal_contract_seed_or_issue() {
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut files = markdown_under(Path::new("docs"));
    files.extend(
        [
            "README.md",
            ".changes.example.toml",
            ".pre-commit-hooks.yaml",
        ]
        .map(PathBuf::from),
    );
    for file in files {
        texts.push((file.display().to_string(), read(&file)));
    }
    for rule in chg::rules::REGISTRY {
        texts.push((format!("rule {} summary", rule.code), rule.summary.into()));
        texts.push((format!("rule {} doc", rule.code), rule.doc.into()));
    }
    let dir = TestRepo::bare_dir();
    for (path, text) in every_help(&dir) {
        let name = ["chg"].into_iter().chain(path.iter().map(String::as_str));
        texts.push((
            format!("{} --help", name.collect::<Vec<_>>().join(" ")),
            text,
        ));
    }
    for rule in chg::rules::REGISTRY {
        let (_, explained, _) = outcome(&mut dir.chg(&["check", "--explain", rule.code]));
        texts.push((format!("chg check --explain {}", rule.code), explained));
    }
    let (_, schema, _) = outcome(&mut dir.chg(&["schema"]));
    texts.push(("chg schema".into(), schema));
    let listing = TestRepo::new();
    let (_, _, stderr) = outcome(&mut listing.chg(&["init", "--preset", "no-such"]));
    texts.push(("the preset list".into(), stderr));
    for line in chg::policy::preset::list() {
        let name = line.split(':').next().unwrap();
        let repo = TestRepo::new();
        repo.chg(&["init", "--preset", name]).assert().success();
        texts.push((
            format!("chg init --preset {name}"),
            repo.read(".changes.toml"),
        ));
    }
    assert!(texts.len() > 100, "only {} texts read", texts.len());
    let bad: Vec<String> = texts
        .iter()
        .filter_map(|(what, text)| {
            let found = internal_references(text);
            (!found.is_empty()).then(|| format!("{what}: {}", found.join(", ")))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "user-facing text cites internal references:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_internal_reference_finder_finds_each_kind() {
    for text in [
        "as seed 002 says",
        "Seed 001's matrix",
        "SPEC §5",
        "added by issue 7",
        "GAP-Q",
        "issue #12",
        "meets our bar",
    ] {
        assert!(!internal_references(text).is_empty(), "{text}");
    }
    for text in ["a specification", "an issue tracker", "seeded", "the gap"] {
        assert!(internal_references(text).is_empty(), "{text}");
    }
}
