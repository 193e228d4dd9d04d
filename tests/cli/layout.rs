//! The two layouts of the register: one history reads the same flat, fanned out and
//! moved between them, whether checked whole, from the cache or over a range; and
//! `chg layout` moves a register in one commit, or refuses with nothing moved.

use crate::common::{outcome, TestRepo, Who};
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
