//! `chg check` reads the ADRs a change rests on as people write them: a bare file name
//! in the policy's ADR directory, template text that is not a decision (A003), and a
//! status that is not accepted (A004). The verdict on each format and pattern is the
//! table test in src/adr/mod.rs; these drive the binary.

use crate::common::{complete_args, findings_at, outcome, replaced, stdout_of, TestRepo, Who, NOW};
use crate::lifecycle::LEE;

const ADR: &str = "0001-use-x.md";
const ADR_PATH: &str = "decisions/0001-use-x.md";
const ADA: Who = ("Ada Lovelace", "ada@example.com");

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/adr/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A complete Nygard ADR whose status is `status`.
fn nygard(status: &str) -> String {
    fixture("nygard-subsections-complete.md").replace("\nAccepted\n", &format!("\n{status}\n"))
}

/// A repository whose policy keeps ADRs in `decisions/`, holding one submitted normal
/// change (Lee approves) that names its ADR by bare file name; the ADR says `adr`.
fn resting_on(adr: &str) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[roles]\napprover = [\"lee@example.com\"]\n[classes.normal]\nrequires = \
         [\"description\"]\napprovals = [\"approver\"]\n[adr]\ndir = \"decisions\"\n",
    );
    repo.write(ADR_PATH, adr);
    repo.commit_all("Adopt chg");
    let mut args = complete_args("Use X", "normal");
    args.extend(["--adr", ADR]);
    let id = repo.create(&args);
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all_as(NOW, ADA, &format!("{id}: propose"));
    (repo, id)
}

/// `chg check` in text: its exit code and output, asserting it changed no file.
fn check(repo: &TestRepo) -> (i32, String) {
    let before = repo.snapshot();
    let (code, stdout, _) = outcome(&mut repo.chg(&["check"]));
    assert!(before == repo.snapshot(), "chg check changed files");
    (code, stdout)
}

fn rules(repo: &TestRepo) -> Vec<String> {
    findings_at(repo, NOW)
        .1
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn a_bare_adr_file_name_is_found_in_the_policy_s_adr_directory() {
    let (repo, _) = resting_on(&nygard("Accepted"));
    let (code, stdout) = check(&repo);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("A00"), "{stdout}");
}

#[test]
fn a_madr_adr_with_only_context_and_options_filled_in_is_incomplete() {
    let (repo, id) = resting_on(&fixture("madr3-headings-template.md"));
    let (code, stdout) = check(&repo);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "A003 adr-incomplete: ADR {ADR_PATH} lacks Decision, Consequences (or holds only \
             template text there)"
        )),
        "{stdout}"
    );
    assert!(stdout.contains(&id), "{stdout}");
}

#[test]
fn an_adr_written_with_sub_sections_and_variant_headings_is_complete() {
    for file in [
        "madr2-headings-complete.md",
        "madr3-subsections-complete.md",
        "log4brains-reflinks-complete.md",
        "madr3-bom-complete.md",
    ] {
        let (repo, _) = resting_on(&fixture(file));
        let (code, stdout) = check(&repo);
        assert_eq!(code, 0, "{file}: {stdout}");
    }
}

#[test]
fn a_change_may_rest_on_a_proposed_adr_only_until_it_is_approved() {
    let (repo, id) = resting_on(&nygard("Proposed"));
    assert!(!rules(&repo).contains(&"A004".to_string()));

    repo.chg_committed(NOW, LEE, &["approve", &id], &format!("{id}: approve"));
    let (code, stdout) = check(&repo);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "A004 adr-not-accepted: ADR {ADR_PATH} is \"Proposed\", not accepted, yet the \
             change is approved"
        )),
        "{stdout}"
    );

    repo.write(ADR_PATH, &nygard("Accepted"));
    repo.commit_all("Accept ADR 1");
    assert_eq!(check(&repo).0, 0);
}

#[test]
fn a_submitted_change_may_not_rest_on_a_superseded_or_rejected_adr() {
    for status in ["Superseded by ADR 2", "Rejected", "Deprecated"] {
        let (repo, _) = resting_on(&nygard(status));
        let (code, stdout) = check(&repo);
        assert_eq!(code, 1, "{status}: {stdout}");
        assert!(
            stdout.contains(&format!(
                "A004 adr-not-accepted: ADR {ADR_PATH} is \"{status}\", not accepted, yet the \
                 change is submitted"
            )),
            "{stdout}"
        );
    }
}

#[test]
fn the_policy_decides_which_statuses_count_as_accepted() {
    let (repo, id) = resting_on(&nygard("Approved"));
    repo.chg_committed(NOW, LEE, &["approve", &id], &format!("{id}: approve"));
    assert!(rules(&repo).contains(&"A004".to_string()));
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}accepted = [\"accepted\", \"approved\"]\n"),
    );
    assert!(!rules(&repo).contains(&"A004".to_string()));
}

#[test]
fn an_adr_reached_through_a_link_is_not_read() {
    let outside = tempfile::TempDir::new().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "# Secret\n\n## Status\n\nTOP-SECRET-STATUS\n").unwrap();
    let (repo, _) = resting_on(&nygard("Accepted"));
    std::fs::remove_file(repo.path().join(ADR_PATH)).unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join(ADR_PATH)).unwrap();
    let (code, stdout) = check(&repo);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!("A002 adr-not-found: ADR {ADR} does not exist")),
        "{stdout}"
    );
    assert!(stdout.contains(ADR_PATH), "{stdout}");
    assert!(!stdout.contains("TOP-SECRET"), "{stdout}");
    let audit = outcome(&mut repo.chg(&["audit", "--format", "json"])).1;
    assert!(!audit.contains("TOP-SECRET"), "{audit}");
}

#[test]
fn explain_says_what_counts_as_filled_in_and_when_an_adr_must_be_accepted() {
    let repo = TestRepo::new();
    // Explanations are wrapped to the terminal: compare words, not lines.
    let explain = |code: &str| {
        let out = stdout_of(&mut repo.chg(&["check", "--explain", code]));
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let a003 = explain("A003");
    for needle in [
        "Considered Options",
        "Decision Drivers",
        "spans its sub-sections",
        "\"Chosen option\"",
        "`[label]: url`",
        "empty bullet",
    ] {
        assert!(a003.contains(needle), "{needle}: {a003}");
    }
    let a004 = explain("A004");
    assert!(
        a004.contains("From approval until the change is deployed"),
        "{a004}"
    );
}

/// A record, the policy's `[adr] dir` or `.adr-dir` may name an ADR outside the
/// repository, by `../` or an absolute path: it is not found, and nothing of the file
/// there (a complete, accepted ADR) is read or printed.
#[test]
fn an_adr_outside_the_repository_is_not_read_however_it_is_named() {
    let (repo, id) = resting_on(&nygard("Accepted"));
    let parent = repo.path().parent().unwrap();
    let outside = tempfile::TempDir::new_in(parent).unwrap();
    let dir_name = outside.path().file_name().unwrap().to_str().unwrap();
    let secret = nygard("Accepted").replace("# ", "# TOP-SECRET ");
    std::fs::write(outside.path().join(ADR), &secret).unwrap();
    std::fs::remove_file(repo.path().join(ADR_PATH)).unwrap();
    let record = format!(".changes/{id}.yaml");
    let text = repo.read(&record);
    let policy = repo.read(".changes.toml");
    let absolute = outside.path().join(ADR);
    let up = format!("../{dir_name}/{ADR}");
    let up_dir = format!("../{dir_name}");
    let cases: [(&str, String, Option<&str>, String); 4] = [
        ("record", up.clone(), None, policy.clone()),
        (
            "absolute",
            absolute.to_str().unwrap().into(),
            None,
            policy.clone(),
        ),
        (
            "[adr] dir",
            ADR.into(),
            None,
            replaced(&policy, "\"decisions\"", &format!("{up_dir:?}")),
        ),
        (
            "adr-dir",
            ADR.into(),
            Some(&up_dir),
            replaced(&policy, "[adr]\ndir = \"decisions\"\n", ""),
        ),
    ];
    for (how, named, adr_dir, policy) in cases {
        repo.write(
            &record,
            &replaced(&text, &format!("- {ADR}"), &format!("- {named}")),
        );
        repo.write(".changes.toml", &policy);
        if let Some(dir) = adr_dir {
            repo.write(".adr-dir", dir);
        }
        let (code, stdout) = check(&repo);
        assert_eq!(code, 1, "{how}: {stdout}");
        assert!(stdout.contains("A002 adr-not-found"), "{how}: {stdout}");
        assert!(!stdout.contains("TOP-SECRET"), "{how}: {stdout}");
        let audit = outcome(&mut repo.chg(&["audit", "--format", "json"])).1;
        assert!(!audit.contains("TOP-SECRET"), "{how}: {audit}");
    }
}

/// An ADR of nearly a mebibyte built to be slow to read — unclosed brackets, nested
/// ones, a heading on every line, headings nested six deep over and over — is judged
/// in seconds.
#[test]
fn a_large_adr_built_to_be_slow_is_judged_in_seconds() {
    let (repo, _) = resting_on(&nygard("Accepted"));
    let size = 1_000_000;
    for (how, body) in [
        ("unclosed", "{[".repeat(size / 2)),
        ("nested", "{".repeat(size / 2) + &"}".repeat(size / 2)),
        ("headings", "## Context\n".repeat(size / 11)),
        (
            "deep",
            "# a\n## b\n### c\n#### d\n##### e\n###### f\n".repeat(size / 42),
        ),
    ] {
        repo.write(ADR_PATH, &format!("# T\n\n## Status\n\nAccepted\n\n{body}"));
        let mut cmd = repo.chg(&["check"]);
        cmd.timeout(std::time::Duration::from_secs(30));
        let (code, stdout, stderr) = outcome(&mut cmd);
        assert_eq!(code, 1, "{how}: {stdout}{stderr}");
        assert!(stdout.contains("A003 adr-incomplete"), "{how}: {stdout}");
    }
}
