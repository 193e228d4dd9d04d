//! `chg notes`: release notes from the register, for the changes whose work landed
//! between two refs as git history tells it.

use crate::common::{complete_args, outcome, refused, stdout_of, TestRepo};
use crate::lifecycle::{repo, LEE, RITA};

/// A history with two tags: `early` has its record and work before v1.0; `late`
/// has its record before v1.0 and its work after; `branched` lands by a merge before
/// v1.1; `after` lands after v1.1. Returns the repository and the four IDs.
fn tagged() -> (TestRepo, [String; 4]) {
    let repo = repo();
    let early = retitled(&repo, "normal", "Add the asset owner");
    let late = retitled(&repo, "normal", "Index the assets");
    repo.commit_all(&format!("Propose {early} and {late}"));
    work(
        &repo,
        "src/owner.sql",
        &format!("Add asset_owner\n\nChange: {early}"),
    );
    repo.git(&["tag", "v1.0"]);

    work(&repo, "src/index.sql", &format!("{late}: index the assets"));
    let branched = retitled(&repo, "major", "Split the assets table");
    repo.commit_all(&format!("Propose {branched}"));
    repo.work_on_branch(
        "split",
        "2026-11-21T10:00:00Z",
        &format!("{branched}: split"),
    );
    repo.merge_at("2026-11-21T10:05:00Z", "split", "Merge the split");
    repo.git_at("2026-11-21T10:06:00Z", &["tag", "v1.1"]);

    let after = retitled(&repo, "standard", "Rotate the logs");
    repo.commit_all(&format!("Propose {after}"));
    work(&repo, "src/logs.conf", &format!("{after}: rotate"));
    (repo, [early, late, branched, after])
}

/// A change of `class` titled `title`.
fn retitled(repo: &TestRepo, class: &str, title: &str) -> String {
    repo.create(&complete_args(title, class))
}

fn work(repo: &TestRepo, path: &str, message: &str) {
    repo.write(path, "-- work\n");
    repo.commit_all(message);
}

fn notes_json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["notes", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout_of(&mut repo.chg(&all))).unwrap()
}

fn ids_in(notes: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = (notes["groups"].as_array().unwrap().iter())
        .flat_map(|g| g["changes"].as_array().unwrap().iter())
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn notes_between_two_tags_list_exactly_the_changes_whose_work_landed_between() {
    let (repo, [early, late, branched, after]) = tagged();
    let text = stdout_of(&mut repo.chg(&["notes", "v1.0..v1.1"]));
    assert!(text.starts_with("## [v1.1] - 2026-11-21\n"), "{text}");
    for expected in [
        "### Normal",
        "### Major",
        &format!("Index the assets ({late})"),
        &format!("Split the assets table ({branched})"),
    ] {
        assert!(text.contains(expected), "notes lack {expected:?}:\n{text}");
    }
    for outside in [&early, &after] {
        assert!(
            !text.contains(outside.as_str()),
            "{outside} is outside:\n{text}"
        );
    }
    let json = notes_json(&repo, &["v1.0..v1.1"]);
    let mut expected = vec![late, branched];
    expected.sort();
    assert_eq!(ids_in(&json), expected);
    assert_eq!(json["heading"], "[v1.1] - 2026-11-21");
}

#[test]
fn notes_default_to_what_landed_since_the_last_tag() {
    let (repo, [early, .., after]) = tagged();
    let json = notes_json(&repo, &[]);
    assert_eq!(ids_in(&json), vec![after.clone()]);
    assert_eq!(json["heading"], "[Unreleased]");
    // From a tag to HEAD, the same.
    assert_eq!(ids_in(&notes_json(&repo, &["v1.1.."])), vec![after]);
    // Up to a tag, from the tag before it.
    assert_eq!(ids_in(&notes_json(&repo, &["..v1.0"])), vec![early]);
}

#[test]
fn notes_carry_risk_approvers_and_links() {
    let (repo, [_, late, ..]) = tagged();
    repo.chg(&["submit", &late]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &late])
        .assert()
        .success();
    repo.commit_all(&format!("{late}: approved"));
    let json = notes_json(&repo, &["v1.0..v1.1"]);
    let change = (json["groups"].as_array().unwrap().iter())
        .flat_map(|g| g["changes"].as_array().unwrap().iter())
        .find(|c| c["id"] == late.as_str())
        .unwrap()
        .clone();
    // The record as the release carried it: not yet approved at v1.1.
    assert_eq!(change["approvers"], serde_json::json!([]));
    let now = notes_json(&repo, &["v1.0..HEAD"]);
    let approved = (now["groups"].as_array().unwrap().iter())
        .flat_map(|g| g["changes"].as_array().unwrap().iter())
        .find(|c| c["id"] == late.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        approved["approvers"],
        serde_json::json!(["lee@example.com"])
    );
    for key in [
        "title",
        "class",
        "status",
        "risk",
        "links",
        "emergency",
        "rolled_back",
    ] {
        assert!(approved.get(key).is_some(), "no {key}: {approved}");
    }
}

#[test]
fn an_empty_range_is_an_empty_section() {
    let (repo, _) = tagged();
    let text = stdout_of(&mut repo.chg(&["notes", "v1.1..v1.1"]));
    assert!(text.starts_with("## [v1.1] - 2026-11-21\n"), "{text}");
    assert!(text.contains("No changes."), "{text}");
    assert!(ids_in(&notes_json(&repo, &["v1.1..v1.1"])).is_empty());
}

#[test]
fn a_missing_tag_is_an_input_error_that_writes_nothing() {
    let (repo, _) = tagged();
    refused(
        &repo,
        repo.chg(&["notes", "v9.9..v1.1", "--prepend", "CHANGELOG.md"]),
        2,
        "`v9.9` does not name a commit",
    );
    refused(&repo, repo.chg(&["notes", "v1.0"]), 2, "not of the form");
}

#[test]
fn prepend_creates_the_changelog_and_running_it_twice_changes_nothing() {
    let (repo, [_, late, ..]) = tagged();
    repo.chg(&["notes", "v1.0..v1.1", "--prepend", "CHANGELOG.md"])
        .assert()
        .success();
    let first = repo.read("CHANGELOG.md");
    assert!(first.starts_with("# Changelog\n"), "{first}");
    assert!(first.contains("## [v1.1] - 2026-11-21\n"), "{first}");
    assert!(first.contains(&late), "{first}");
    repo.chg(&["notes", "v1.0..v1.1", "--prepend", "CHANGELOG.md"])
        .assert()
        .success();
    assert_eq!(repo.read("CHANGELOG.md"), first);
}

#[test]
fn prepend_puts_the_section_after_the_preamble_and_replaces_its_own() {
    let (repo, [_, late, ..]) = tagged();
    repo.write(
        "CHANGELOG.md",
        "# Changes\n\nOur releases.\n\n## [v1.1] - 2026-11-21\n\nstale\n\n## [v0.9] - 2026-01-01\n\nold\n",
    );
    repo.chg(&["notes", "v1.0..v1.1", "--prepend", "CHANGELOG.md"])
        .assert()
        .success();
    repo.chg(&["notes", "--prepend", "CHANGELOG.md"])
        .assert()
        .success();
    let text = repo.read("CHANGELOG.md");
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(at("Our releases.") < at("## [Unreleased]"), "{text}");
    assert!(at("## [Unreleased]") < at("## [v1.1]"), "{text}");
    assert!(
        at("## [v1.1]") < at(&late) && at(&late) < at("## [v0.9]"),
        "{text}"
    );
    assert!(!text.contains("stale") && text.ends_with("old\n"), "{text}");
    assert_eq!(text.matches("## [v1.1]").count(), 1, "{text}");
}

#[test]
fn prepend_and_json_do_not_go_together() {
    let (repo, _) = tagged();
    let (code, _, stderr) =
        outcome(&mut repo.chg(&["notes", "--format", "json", "--prepend", "CHANGELOG.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    refused(
        &repo,
        repo.chg(&["notes", "--format", "markdown", "--prepend", "CHANGELOG.md"]),
        2,
        "cannot be used with",
    );
}

#[test]
fn notes_group_by_the_field_the_policy_names() {
    let (repo, [_, late, branched, _]) = tagged();
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("{policy}\n[notes]\ngroup_by = \"status\"\n"),
    );
    let json = notes_json(&repo, &["v1.0..v1.1"]);
    let groups: Vec<&str> = (json["groups"].as_array().unwrap().iter())
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert_eq!(groups, vec!["Draft"], "{json}");
    assert_eq!(ids_in(&json).len(), [late, branched].len());

    repo.write(
        ".changes.toml",
        &format!("{policy}\n[notes]\ngroup_by = \"colour\"\n"),
    );
    refused(&repo, repo.chg(&["notes"]), 2, "group_by");
}

#[test]
fn deployed_lists_the_changes_a_deployment_carried() {
    let (repo, [_, late, branched, _]) = tagged();
    repo.chg(&["submit", &late]).assert().success();
    repo.commit_all(&format!("{late}: submit"));
    repo.chg_as(LEE.0, LEE.1, &["approve", &late, "--commit"])
        .assert()
        .success();
    repo.chg_as(RITA.0, RITA.1, &["start", &late])
        .assert()
        .success();
    repo.chg_as(
        RITA.0,
        RITA.1,
        &["deploy", &late, "--env", "production", "--ref", "v1.1"],
    )
    .assert()
    .success();
    let json = notes_json(&repo, &["--deployed", "production", "--ref", "v1.1"]);
    assert_eq!(ids_in(&json), vec![late.clone()]);
    assert_eq!(json["heading"], "[v1.1] - 2026-11-21");
    assert!(ids_in(&notes_json(
        &repo,
        &["--deployed", "staging", "--ref", "v1.1"]
    ))
    .is_empty());
    assert!(!ids_in(&json).contains(&branched));
    refused(
        &repo,
        repo.chg(&["notes", "--deployed", "production"]),
        2,
        "--ref",
    );
}

/// `--prepend` rewrites a file the repository holds, and the repository may come from
/// someone who wants a secret of the machine copied into it: a changelog that is a
/// link out of the work tree, or a directory on the way that is one, is refused, as is
/// a path that leaves the work tree; nothing is read or written there.
#[test]
fn prepend_never_reads_or_writes_through_a_link_or_outside_the_work_tree() {
    let (repo, _) = tagged();
    let outside = tempfile::TempDir::new().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "SECRET-TOKEN-4711\n").unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join("CHANGELOG.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs")).unwrap();
    let absolute = outside.path().join("new.md");
    for (path, shown) in [
        ("CHANGELOG.md", "CHANGELOG.md is a symbolic link"),
        ("docs/secret.md", "docs is a symbolic link"),
        (
            "../escaped.md",
            "../escaped.md is a symbolic link or leaves the work tree",
        ),
        (absolute.to_str().unwrap(), "leaves the work tree"),
    ] {
        let stderr = refused(&repo, repo.chg(&["notes", "--prepend", path]), 2, shown);
        assert!(!stderr.contains("SECRET"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "SECRET-TOKEN-4711\n"
    );
    assert!(!absolute.exists());
    assert!(!repo.path().parent().unwrap().join("escaped.md").exists());
}
