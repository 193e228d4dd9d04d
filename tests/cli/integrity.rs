//! Nothing lost, nothing misrouted: records are written where they belong, by one
//! writer at a time, readable by everyone who shares the checkout.

use crate::common::{refused, TestRepo};
use crate::lifecycle::{propose, repo, status_of, LEE, RITA, SAM};
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_record_whose_id_is_not_its_file_name_is_never_written_through() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let place = repo.record_path(&id);
    std::fs::copy(
        repo.path().join(&place),
        repo.path().join(place.replace(&id, "CHG-2026-0002")),
    )
    .unwrap();
    refused(
        &repo,
        repo.chg(&["submit", "CHG-2026-0002"]),
        2,
        "says it is CHG-2026-0001, not CHG-2026-0002",
    );
    assert_eq!(status_of(&repo, &id), "draft");
}

#[test]
fn two_approvers_deciding_at_once_both_land() {
    let repo = repo();
    let ids: Vec<String> = (0..4).map(|_| propose(&repo, "major", &[])).collect();
    for id in &ids {
        repo.chg(&["submit", id]).assert().success();
    }
    for id in &ids {
        let spawn = |who: (&str, &str)| {
            repo.chg_process(&["approve", id])
                .env("GIT_AUTHOR_NAME", who.0)
                .env("GIT_AUTHOR_EMAIL", who.1)
                .stdin(std::process::Stdio::null())
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn(LEE));
            let b = s.spawn(|| spawn(SAM));
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        assert!(a.status.success() && b.status.success(), "{a:?} {b:?}");
        assert_eq!(
            status_of(&repo, id),
            "approved",
            "both approvals are in {id}"
        );
    }
}

#[test]
fn an_edit_cannot_continue_over_a_record_that_moved_on() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["edit", &id])
        .env("EDITOR", "sed -i -e 's/^class: normal/class: urgent/'")
        .assert()
        .code(2);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", "sed -i -e 's/^class: urgent/class: normal/'");
    refused(&repo, cmd, 2, "has changed since the edit kept at");
    assert_eq!(status_of(&repo, &id), "approved");
}

#[test]
fn approved_content_is_fixed_once_work_has_started() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.chg_as(RITA.0, RITA.1, &["start", &id])
        .assert()
        .success();
    repo.chg_as(RITA.0, RITA.1, &["deploy", &id, "--env", "production"])
        .assert()
        .success();
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env(
        "EDITOR",
        "sed -i -e 's/^description: .*/description: rewritten/'",
    );
    refused(&repo, cmd, 2, "cannot change once work has started");
    repo.chg_as(RITA.0, RITA.1, &["verify", &id])
        .assert()
        .success();
    repo.chg_as(RITA.0, RITA.1, &["close", &id])
        .assert()
        .success();
}

#[test]
fn an_edit_cannot_forge_a_status() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", "sed -i -e 's/^status: draft/status: deployed/'");
    refused(&repo, cmd, 2, "status was edited by hand");
}

#[test]
fn only_a_deciding_role_can_reject() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.chg(&["submit", &id]).assert().success();
    // release-manager exists, and Rita is in it, but it does not decide on normal changes.
    refused(
        &repo,
        repo.chg_as(
            RITA.0,
            RITA.1,
            &["reject", &id, "--reason", "no", "--role", "release-manager"],
        ),
        1,
        "does not decide on",
    );
    refused(
        &repo,
        repo.chg_as(RITA.0, RITA.1, &["reject", &id, "--reason", "no"]),
        1,
        "not a member of any role that decides",
    );
}

#[test]
fn records_get_the_same_mode_as_any_new_file() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    repo.write("plain.txt", "x");
    let mode = |rel: &str| {
        std::fs::metadata(repo.path().join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let place = repo.record_path(&id);
    assert_eq!(mode(&place), mode("plain.txt"));
    // The folders chg made for it, if the register is fanned out, are as any new one.
    std::fs::create_dir(repo.path().join("plain")).unwrap();
    let folders = std::path::Path::new(&place).ancestors().skip(1);
    for folder in folders.take_while(|f| *f != std::path::Path::new(".changes")) {
        let folder = folder.to_str().unwrap();
        assert_eq!(mode(folder), mode("plain"), "{folder}");
    }
    std::fs::set_permissions(
        repo.path().join(&place),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    repo.chg(&["submit", &id]).assert().success();
    assert_eq!(mode(&place), 0o640, "a rewrite keeps the mode");
}

#[test]
fn a_dotted_records_directory_still_sees_other_branches() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", "[changes]\ndir = \"./.changes/\"\n");
    repo.commit_all("policy");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.new_change("On feature");
    repo.commit_all("feature change");
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(repo.new_change("On main"), "CHG-2026-0002");
}

/// A link is never followed, even to a file in the repository: what it points at is
/// not reviewed as a record, and could be anything on the machine running chg.
#[test]
fn linked_records_are_not_read_but_reported() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let place = repo.record_path(&id);
    let beside = place.replace(&id, "CHG-2026-0009");
    std::fs::rename(repo.path().join(&place), repo.path().join("elsewhere.yaml")).unwrap();
    // Links relative to the record's folder, to files at the top of the repository.
    let up = "../".repeat(place.matches('/').count());
    std::os::unix::fs::symlink(format!("{up}elsewhere.yaml"), repo.path().join(&place)).unwrap();
    std::os::unix::fs::symlink(format!("{up}gone.yaml"), repo.path().join(&beside)).unwrap();
    let out = repo.chg(&["list", "--format", "csv"]).assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stdout.contains(&id), "{stdout}");
    for path in [&place, &beside] {
        assert!(
            stderr.contains(&format!("warning: {path}: a symbolic link is not read")),
            "{stderr}"
        );
    }
}

#[test]
fn titles_are_one_line_and_taken_literally() {
    let repo = repo();
    refused(
        &repo,
        repo.chg(&["new", "--title", "  ", "--class", "normal"]),
        2,
        "a title is one line",
    );
    refused(
        &repo,
        repo.chg(&["new", "--title", "a\nb", "--class", "normal"]),
        2,
        "a title is one line",
    );
    repo.chg(&["new", "--title", "@mentions in titles", "--class", "normal"])
        .assert()
        .success();
    assert!(repo
        .read(".changes/CHG-2026-0001.yaml")
        .contains("title: '@mentions in titles'"));
}
