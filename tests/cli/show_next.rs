//! The "Next" line of `chg show` offers the moves the person running it could make
//! now: each is tried by the checks its own command runs, and one that would be
//! refused is marked with the reason.

use crate::common::{outcome, TestRepo};

/// `chg show <id>` as `who`, asserting it exits 0 and changes no file; its "Next" rows.
fn next_as(repo: &TestRepo, who: (&str, &str), id: &str) -> String {
    let before = repo.snapshot();
    let (code, out, err) = outcome(&mut repo.chg_as(who.0, who.1, &["show", id]));
    assert_eq!(code, 0, "{err}");
    assert!(before == repo.snapshot(), "show changed files");
    let start = out
        .find(" Next ")
        .unwrap_or_else(|| panic!("no Next in:\n{out}"));
    out[start..].to_string()
}

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const LEE: (&str, &str) = ("Lee", "lee@example.com");

#[test]
fn submit_is_marked_with_what_the_draft_lacks_until_it_has_it() {
    let repo = TestRepo::initialised();
    let id = repo.create(&[
        "--title",
        "Add the column",
        "--class",
        "normal",
        "--description",
        "d",
    ]);

    let next = next_as(&repo, ADA, &id);
    assert!(
        next.contains(&format!(
            "chg submit — not now: {id} cannot be submitted; it lacks: rollback.plan"
        )),
        "{next}"
    );
    assert!(next.contains("chg cancel\n"), "{next}");

    repo.chg(&["set", &id, "rollback.plan=revert"])
        .assert()
        .success();
    let next = next_as(&repo, ADA, &id);
    assert!(next.contains("chg submit\n"), "{next}");
    assert!(!next.contains("not now"), "{next}");
    // What the move command says agrees with what show offered.
    repo.chg(&["submit", &id]).assert().success();
}

#[test]
fn approval_is_offered_to_the_approver_and_marked_for_the_author() {
    let (repo, id) = TestRepo::awaiting_lee("");

    let for_ada = next_as(&repo, ADA, &id);
    assert!(
        for_ada.contains(&format!(
            "chg approve — not now: you (ada@example.com) wrote {id}"
        )),
        "{for_ada}"
    );
    let for_lee = next_as(&repo, LEE, &id);
    assert!(for_lee.contains("chg approve\n"), "{for_lee}");
    assert!(for_lee.contains("chg reject\n"), "{for_lee}");

    repo.chg_as(LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    // Approved now: a deploy would be refused until the work is started.
    let next = next_as(&repo, ADA, &id);
    assert!(next.contains("chg start\n"), "{next}");
    assert!(next.contains("chg schedule\n"), "{next}");
}
