use crate::common::{near_the_size_read, refused, refused_as_too_large, TestRepo};

/// An "editor" that runs a sed script on the file it is given.
fn sed_editor(script: &str) -> String {
    format!("sed -i -e '{script}'")
}

#[test]
fn a_valid_edit_is_saved_as_written() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Typo in titel");
    repo.chg(&["edit", &id])
        .env("EDITOR", sed_editor("s/titel/title/; $a\\\n# reviewed"))
        .assert()
        .success();
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    assert!(yaml.contains("title: Typo in title"), "{yaml}");
    assert!(yaml.ends_with("# reviewed\n"), "comments are kept: {yaml}");
    assert!(!repo
        .path()
        .join(format!(".git/chg/edits/{id}.yaml"))
        .exists());
}

#[test]
fn visual_wins_over_editor() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Before");
    repo.chg(&["edit", &id])
        .env("VISUAL", sed_editor("s/Before/Visual/"))
        .env("EDITOR", sed_editor("s/Before/Editor/"))
        .assert()
        .success();
    assert!(repo
        .read(&format!(".changes/{id}.yaml"))
        .contains("title: Visual"));
}

#[test]
fn an_invalid_edit_is_not_saved_and_is_kept_for_the_next_try() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Stays valid");
    let record = format!(".changes/{id}.yaml");
    let before = repo.read(&record);

    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", sed_editor("s/^class: normal/class: urgent/"));
    let stderr = refused(&repo, cmd, 2, "was not changed");
    let kept = format!(".git/chg/edits/{id}.yaml");
    assert!(stderr.contains(&kept), "{stderr}");
    assert!(
        stderr.contains("unknown variant `urgent`") && stderr.contains(":4:8:"),
        "{stderr}"
    );
    assert_eq!(repo.read(&record), before);
    assert!(repo.read(&kept).contains("class: urgent"));

    // The next edit starts from the kept copy, so fixing it is one more edit.
    repo.chg(&["edit", &id])
        .env("EDITOR", sed_editor("s/class: urgent/class: major/"))
        .assert()
        .success()
        .stderr(predicates::str::contains("continuing the earlier edit"));
    assert!(repo.read(&record).contains("class: major"));
    assert!(!repo.path().join(&kept).exists());
}

#[test]
fn an_edit_cannot_rename_a_change() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Named");
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", sed_editor("s/^id: .*/id: CHG-2026-0099/"));
    refused(&repo, cmd, 2, "cannot rename");
}

#[test]
fn a_failing_editor_changes_nothing() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Untouched");
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", "false");
    refused(&repo, cmd, 2, "the record was not changed");
}

#[test]
fn an_unchanged_edit_says_so() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Same");
    repo.chg(&["edit", &id])
        .env("EDITOR", "true")
        .assert()
        .success()
        .stderr(predicates::str::contains("no changes"));
}

#[test]
fn an_edit_that_would_be_written_past_one_mebibyte_is_kept_and_not_saved() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.chg_as("Lee Lead", "lee@example.com", &["approve", &id])
        .assert()
        .success();
    let file = repo.record_path(&id);
    // Editing approved content submits it again, which adds a transition.
    let good = repo.read(&file);
    repo.write(&file, &near_the_size_read(&good, "title: Add the column"));
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env(
        "EDITOR",
        sed_editor("s/^title: Add the column/title: Edited/"),
    );
    let stderr = refused_as_too_large(&repo, cmd, &file);
    let kept = format!(".git/chg/edits/{id}.yaml");
    assert!(stderr.contains(&kept), "{stderr}");
    assert!(repo.read(&kept).contains("title: Editedxxx"));
}
