//! A long history is read by a `git` process beside the check: the findings of a
//! first check, which reads every commit that way, are the findings of checks that
//! read the same commits a few at a time.

use crate::common::{outcome, TestRepo, Who};

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee Chen", "lee@example.com");

const POLICY: &str = "[roles]\napprover = [\"lee@example.com\"]\n\
[classes.normal]\nrequires = [\"description\", \"rollback.plan\"]\napprovals = [\"approver\"]\n\
[commits]\nreference = \"required\"\n";

fn check(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = outcome(&mut repo.chg(&all));
    assert!(code <= 1, "chg check failed: {err}");
    out
}

#[test]
fn a_first_check_of_a_long_history_finds_what_checks_of_its_parts_found() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_as("2026-11-02T09:00:00Z", ADA, "Adopt chg");
    let one = repo.complete_change("Add the column", "normal");
    let two = repo.complete_change("Drop the table", "normal");
    repo.commit_all_as(
        "2026-11-02T09:30:00Z",
        ADA,
        &format!("Propose {one} and {two}"),
    );
    repo.chg_committed("2026-11-02T10:00:00Z", ADA, &["submit", &one], "Submit");
    repo.chg_committed("2026-11-02T10:30:00Z", LEE, &["approve", &one], "Approve");
    // Lee's approval of the second, committed by Ada: nothing proves Lee gave it.
    repo.chg_at("2026-11-02T11:00:00Z", ADA.0, ADA.1, &["submit", &two])
        .assert()
        .success();
    repo.chg_at("2026-11-02T11:00:00Z", LEE.0, LEE.1, &["approve", &two])
        .assert()
        .success();
    repo.commit_all_as("2026-11-02T11:00:00Z", ADA, "Approve the second");
    // Past the number of commits read one at a time, with work that names each
    // change, names none, or names one that does not exist; an author with an
    // unusual name; a message in another encoding; a branch merged back.
    for n in 0..300u32 {
        let when = format!(
            "2026-11-{:02}T{:02}:{:02}:00Z",
            3 + n / 60,
            9 + n % 60 / 10,
            n % 10
        );
        let (file, message) = match n % 5 {
            0 => (
                Some("src/a.rs"),
                format!("Work {n} on caf\u{e9}\n\nChange: {one}"),
            ),
            1 => (Some("src/b.rs"), format!("Work {n}\n\nChange: {two}")),
            2 => (Some("src/c.rs"), format!("Untracked work {n}")),
            3 => (
                Some("src/d.rs"),
                format!("Work {n}\n\nChange: CHG-2026-0099"),
            ),
            _ => (None, format!("Note {n}")),
        };
        if let Some(file) = file {
            repo.write(file, &format!("// {n}\n"));
            repo.git_at(&when, &["add", file]);
        }
        let commit = ["commit", "-q", "--allow-empty", "-m", &message];
        match n {
            100 => repo.git_at(
                &when,
                &[&["-c", "i18n.commitEncoding=ISO-8859-1"], &commit[..]].concat(),
            ),
            150 => repo.git_at(
                &when,
                &[&["-c", "user.name= \"Eve, the <odd> one\" "], &commit[..]].concat(),
            ),
            200 => {
                repo.git_at(&when, &["checkout", "-qb", "side"]);
                repo.write("src/side.rs", "// side\n");
                repo.commit_all_as(&when, LEE, &format!("Side work\n\nChange: {one}"));
                repo.git_at(&when, &["checkout", "-q", "-"]);
                repo.merge_at(&when, "side", "Merge the side");
                String::new()
            }
            _ => repo.git_at(&when, &commit),
        };
        // The cache filled a few commits at a time, each read on its own.
        if n % 40 == 39 {
            check(&repo, &[]);
        }
    }
    let parts = check(&repo, &[]);
    let first = check(&repo, &["--no-cache"]);
    assert_eq!(first, parts);
    for rule in ["H001", "H002", "H004", "P004"] {
        assert!(
            first.contains(&format!("\"{rule}\"")),
            "{rule} missing from {first}"
        );
    }
}
