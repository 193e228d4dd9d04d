//! The two layouts of the register: one history reads the same flat, fanned out and
//! moved between them, whether checked whole, from the cache or over a range; and
//! `chg layout` moves a register in one commit, or refuses with nothing moved.

use crate::common::{outcome, refused, stdout_of, write_script, TestRepo, Who};
use std::collections::BTreeMap;

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee Chen", "lee@example.com");

const POLICY: &str = "[roles]\napprover = [\"lee@example.com\"]\n\
[classes.normal]\nrequires = [\"description\", \"rollback.plan\"]\napprovals = [\"approver\"]\n\
[commits]\nreference = \"required\"\n";

#[derive(Clone, Copy, PartialEq, Debug)]
enum Way {
    Flat,
    Fanned,
    /// Flat, then moved to the fanned-out layout halfway through.
    Moved,
}

/// One history, the register kept `way`: approvals proven and forged, work with a
/// reference, without one and with one to no change, a record removed.
fn build(way: Way) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_as("2026-11-02T09:00:00Z", ADA, "Adopt chg");
    let at = |day: u32| format!("2026-11-{day:02}T10:00:00Z");
    let one = repo.complete_change("Add the column", "normal");
    if way != Way::Fanned {
        repo.flatten();
    }
    repo.chg_committed(&at(3), ADA, &["submit", &one], &format!("Propose {one}"));
    repo.chg_committed(&at(4), LEE, &["approve", &one], &format!("Approve {one}"));
    repo.write("src/column.rs", "// the column\n");
    repo.commit_all_as(&at(5), ADA, &format!("Add the column\n\nChange: {one}"));
    repo.write("src/tidy.rs", "// tidied\n");
    repo.commit_all_as(&at(6), ADA, "Tidy up");
    repo.write("src/fix.rs", "// fixed\n");
    repo.commit_all_as(&at(7), ADA, "Fix it\n\nChange: CHG-2026-0099");
    if way == Way::Moved {
        repo.chg_at(&at(8), ADA.0, ADA.1, &["layout", "fanned"])
            .assert()
            .success();
    }
    let two = repo.complete_change("Drop the table", "normal");
    let three = repo.complete_change("Rename the index", "normal");
    repo.chg_at(&at(9), ADA.0, ADA.1, &["submit", &two])
        .assert()
        .success();
    repo.commit_all_as(&at(9), ADA, &format!("Propose {two} and {three}"));
    // Lee's approval, committed by Ada: nothing proves Lee gave it.
    repo.chg_at(&at(10), LEE.0, LEE.1, &["approve", &two])
        .assert()
        .success();
    repo.commit_all_as(&at(10), ADA, &format!("Approve {two}"));
    repo.write("src/table.rs", "// dropped\n");
    repo.commit_all_as(&at(11), ADA, &format!("Drop the table\n\nChange: {two}"));
    let files = repo.git(&["ls-files", ".changes"]);
    let three_file = files.lines().find(|l| l.contains(&three)).unwrap();
    repo.git_at(&at(12), &["rm", "-q", three_file]);
    repo.commit_all_as(&at(12), ADA, &format!("Withdraw {three}"));
    repo
}

/// `chg check --format json` with `args`, its commits and record paths named the
/// same way whatever the layout: a commit by its subject, a record by its ID.
fn findings(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, mut out, err) = outcome(&mut repo.chg(&all));
    assert!(code <= 1, "chg check failed: {err}");
    let log = repo.git(&["log", "--format=%H %s"]);
    for line in log.lines() {
        let (hash, subject) = line.split_once(' ').unwrap();
        for len in [40, 10, 7] {
            out = out.replace(&hash[..len], &format!("<{subject}>"));
        }
    }
    for file in repo.git(&["ls-files", ".changes"]).lines() {
        let name = file.rsplit('/').next().unwrap();
        out = out.replace(file, &format!("<{name}>"));
    }
    out
}

fn rules(json: &str) -> BTreeMap<String, usize> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut rules = BTreeMap::new();
    for f in value["findings"].as_array().unwrap() {
        *rules
            .entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    rules
}

#[test]
fn one_history_is_judged_the_same_flat_fanned_out_and_moved() {
    let flat = build(Way::Flat);
    let fanned = build(Way::Fanned);
    let moved = build(Way::Moved);
    assert!(flat.path().join(".changes/CHG-2026-0001.yaml").is_file());
    assert!(fanned
        .path()
        .join(".changes/2026/00xx/CHG-2026-0002.yaml")
        .is_file());
    assert!(moved
        .path()
        .join(".changes/2026/00xx/CHG-2026-0001.yaml")
        .is_file());
    assert!(!moved.path().join(".changes/CHG-2026-0001.yaml").exists());

    let expected = findings(&flat, &["--no-cache"]);
    // The history holds what each kind of rule judges: a forged approval, missing and
    // unknown references.
    let found = rules(&expected);
    for rule in ["H001", "H002", "H004", "P004"] {
        assert!(found.contains_key(rule), "{rule} missing from {expected}");
    }
    for (name, repo) in [("fanned", &fanned), ("moved", &moved)] {
        assert_eq!(
            findings(repo, &["--no-cache"]),
            expected,
            "{name}, first check"
        );
    }
    for (name, repo) in [("flat", &flat), ("fanned", &fanned), ("moved", &moved)] {
        // Twice: the first fills the cache, the second reads it.
        assert_eq!(findings(repo, &[]), expected, "{name}, filling the cache");
        assert_eq!(findings(repo, &[]), expected, "{name}, from the cache");
    }
    // A pull request's range, from before the move to after it.
    let range = |repo: &TestRepo| {
        let base = repo.git(&["rev-list", "--max-count=1", "HEAD~6"]);
        findings(
            repo,
            &["--no-cache", "--range", &format!("{}..HEAD", base.trim())],
        )
    };
    let expected = range(&flat);
    assert!(!rules(&expected).is_empty(), "{expected}");
    assert_eq!(range(&fanned), expected, "fanned, range");
    let moved_range = {
        let base = moved.git(&["rev-list", "--max-count=1", "HEAD~7"]);
        findings(
            &moved,
            &["--no-cache", "--range", &format!("{}..HEAD", base.trim())],
        )
    };
    assert_eq!(moved_range, expected, "moved, range across the move");
}

/// A repository with three committed records, kept flat.
fn flat_register() -> TestRepo {
    let repo = TestRepo::initialised();
    for title in ["One", "Two", "Three"] {
        repo.complete_change(title, "normal");
    }
    repo.flatten();
    repo.commit_all("Propose three changes");
    repo
}

#[test]
fn layout_names_the_register_s_layout_and_moves_it_in_one_commit_of_its_own() {
    let repo = flat_register();
    assert_eq!(stdout_of(&mut repo.chg(&["layout"])), "flat\n");
    // A new record of a flat register goes flat.
    let four = repo.complete_change("Four", "normal");
    assert!(repo.path().join(format!(".changes/{four}.yaml")).is_file());
    repo.commit_all(&format!("Propose {four}"));
    let before = repo.git(&["rev-parse", "HEAD"]);
    let bytes = repo.read(".changes/CHG-2026-0002.yaml");
    // Something staged outside the register stays staged, out of the move's commit.
    repo.write("src/lib.rs", "// work\n");
    repo.git(&["add", "src/lib.rs"]);
    repo.chg(&["layout", "fanned"]).assert().success();
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), before);
    let moved = repo.git(&["show", "--name-status", "--format=%an%n%s", "HEAD"]);
    assert!(
        moved.starts_with("Ada Lovelace\nMove the change register"),
        "{moved}"
    );
    assert_eq!(
        moved.matches(".changes/").count(),
        8,
        "four renames: {moved}"
    );
    assert!(!moved.contains("src/lib.rs"), "{moved}");
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]),
        "src/lib.rs\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".changes/2026/00xx/CHG-2026-0002.yaml")).unwrap(),
        bytes
    );
    assert!(!repo.path().join(".changes/CHG-2026-0002.yaml").exists());
    assert_eq!(stdout_of(&mut repo.chg(&["layout"])), "fanned\n");
    // New records follow the register, and moving again moves nothing.
    let five = repo.complete_change("Five", "normal");
    assert!(repo
        .path()
        .join(format!(".changes/2026/00xx/{five}.yaml"))
        .is_file());
    let text = repo.read(&format!(".changes/2026/00xx/{five}.yaml"));
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../schema.json\n"),
        "{text}"
    );
    repo.commit_all(&format!("Propose {five}"));
    let head = repo.git(&["rev-parse", "HEAD"]);
    let out = repo.chg(&["layout", "fanned"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("already fanned"));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // And back, staged only.
    repo.chg(&["layout", "flat", "--no-commit"])
        .assert()
        .success();
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    let staged = repo.git(&["diff", "--cached", "--name-status", "-M"]);
    assert_eq!(staged.matches('R').count(), 5, "{staged}");
    assert!(
        !repo.path().join(".changes/2026").exists(),
        "empty folders are removed"
    );
    // A moved record keeps its bytes; chg mends its modeline when it next writes it.
    let moved = repo.read(".changes/CHG-2026-0005.yaml");
    assert!(moved.starts_with("# yaml-language-server: $schema=../../schema.json\n"));
    repo.chg(&["set", "CHG-2026-0005", "description=Five, again"])
        .assert()
        .success();
    let text = repo.read(".changes/CHG-2026-0005.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=schema.json\n"),
        "{text}"
    );
}

#[test]
fn layout_refuses_a_register_with_uncommitted_changes_and_moves_nothing() {
    let repo = flat_register();
    repo.write(
        ".changes/CHG-2026-0001.yaml",
        &repo
            .read(".changes/CHG-2026-0001.yaml")
            .replace("One", "Won"),
    );
    refused(
        &repo,
        repo.chg(&["layout", "fanned"]),
        2,
        "has changes not committed (.changes/CHG-2026-0001.yaml)",
    );
    repo.git(&["checkout", "--", ".changes"]);
    repo.complete_change("Four", "normal");
    refused(
        &repo,
        repo.chg(&["layout", "fanned"]),
        2,
        "nothing was moved",
    );
}

#[test]
fn layout_refuses_a_record_at_both_of_its_places_and_moves_nothing() {
    let repo = flat_register();
    let copy = repo.read(".changes/CHG-2026-0002.yaml");
    std::fs::create_dir_all(repo.path().join(".changes/2026/00xx")).unwrap();
    std::fs::write(
        repo.path().join(".changes/2026/00xx/CHG-2026-0002.yaml"),
        copy,
    )
    .unwrap();
    repo.commit_all("Copy a record");
    // Both are read: R002 says which one the register takes.
    let (code, out, _) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 1);
    assert!(
        out.contains("CHG-2026-0002 is also the ID of .changes/2026/00xx/CHG-2026-0002.yaml"),
        "{out}"
    );
    refused(
        &repo,
        repo.chg(&["layout", "fanned"]),
        2,
        "CHG-2026-0002 has two record files",
    );
}

#[test]
fn a_refused_move_commit_puts_every_file_back() {
    let repo = flat_register();
    let hook = repo.path().join(".git/hooks/pre-commit");
    write_script(&hook, "#!/bin/sh\necho 'not today' >&2\nexit 1\n");
    let head = repo.git(&["rev-parse", "HEAD"]);
    refused(&repo, repo.chg(&["layout", "fanned"]), 2, "not today");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn layout_refuses_an_unknown_layout() {
    let repo = flat_register();
    refused(
        &repo,
        repo.chg(&["layout", "sideways"]),
        2,
        "invalid value 'sideways'",
    );
    refused(
        &repo,
        repo.chg(&["layout", "--no-commit"]),
        2,
        "--no-commit",
    );
}

#[test]
fn a_new_id_is_free_in_both_layouts_on_every_branch() {
    let repo = flat_register();
    // A branch still flat takes the next number there.
    repo.git(&["checkout", "-q", "-b", "flat-work"]);
    let four = repo.complete_change("Four", "normal");
    assert!(repo.path().join(format!(".changes/{four}.yaml")).is_file());
    repo.commit_all(&format!("Propose {four}"));
    repo.git(&["checkout", "-q", "main"]);
    repo.chg(&["layout", "fanned"]).assert().success();
    // Main, fanned out, does not hand that number out again.
    let five = repo.complete_change("Five", "normal");
    assert_eq!(five, "CHG-2026-0005");
    assert!(repo
        .path()
        .join(".changes/2026/00xx/CHG-2026-0005.yaml")
        .is_file());
    repo.commit_all(&format!("Propose {five}"));
    // And the flat branch, merged, is one register: no ID twice, nothing removed.
    repo.git(&["merge", "-q", "--no-edit", "flat-work"]);
    let found = rules(&findings(&repo, &["--no-cache"]));
    assert!(
        !found.contains_key("R002") && !found.contains_key("R008"),
        "{found:?}"
    );
    assert_eq!(stdout_of(&mut repo.chg(&["layout"])), "fanned\n");
    // The branch's record stays where it was written, which doctor points out.
    let (_, checks, _) = outcome(&mut repo.chg(&["doctor", "--format", "json"]));
    assert!(
        checks.contains("1 record flat and 4 records fanned out"),
        "{checks}"
    );
}

#[test]
fn a_stray_file_in_a_year_folder_does_not_stop_chg_new() {
    let repo = TestRepo::initialised();
    repo.complete_change("One", "normal");
    repo.write(".changes/2026/README.md", "Records of 2026\n");
    let two = repo.complete_change("Two", "normal");
    assert_eq!(two, "CHG-2026-0002");
    assert!(repo
        .path()
        .join(".changes/2026/00xx/CHG-2026-0002.yaml")
        .is_file());
}
