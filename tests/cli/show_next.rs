//! The "Next" line of `chg show` offers the moves the person running it could make
//! now: each is tried by the checks its own command runs, and one that would be
//! refused is marked with the reason.

use crate::common::{complete_args, outcome, refused, TestRepo};

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

#[test]
fn without_an_identity_show_lists_the_legal_moves_untried() {
    let (repo, id) = TestRepo::awaiting_lee("");
    repo.git(&["config", "--unset", "user.email"]);
    let before = repo.snapshot();
    let (code, out, err) = outcome(&mut repo.chg(&["show", &id]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "chg assess, chg approve, chg reject, chg cancel (who may make them is unknown"
        ),
        "{out}"
    );
    assert!(before == repo.snapshot(), "show changed files");
}

#[test]
fn a_deployment_outside_the_windows_is_marked_and_inside_them_offered() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[classes.normal]\napprovals = []\n\
         [windows]\ntuesday = [{ from = \"09:00\", to = \"17:00\" }]\n",
    );
    repo.commit_all("Adopt chg");
    let mut args = complete_args("Add the column", "normal");
    args.extend(["--env", "production"]);
    let id = repo.create(&args);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg(&["start", &id]).assert().success();
    let show_at = |now: &str| {
        let before = repo.snapshot();
        let mut cmd = repo.chg(&["show", &id]);
        let (code, out, err) = outcome(cmd.env("CHG_NOW", now));
        assert_eq!(code, 0, "{err}");
        assert!(before == repo.snapshot(), "show changed files");
        out
    };

    // Friday 2026-11-27: the deploy command would refuse, and show says why.
    let friday = show_at("2026-11-27T15:30:00Z");
    assert!(
        friday.contains("chg deploy --env production — not now:")
            && friday.contains("outside the deployment windows"),
        "{friday}"
    );
    let mut deploy = repo.chg(&["deploy", &id, "--env", "production"]);
    deploy.env("CHG_NOW", "2026-11-27T15:30:00Z");
    refused(&repo, deploy, 1, "outside the deployment windows");

    // Tuesday 2026-12-01 10:00 UTC: inside the window, offered as it is.
    let tuesday = show_at("2026-12-01T10:00:00Z");
    assert!(
        tuesday.contains("chg deploy --env production\n"),
        "{tuesday}"
    );
    assert!(!tuesday.contains("not now"), "{tuesday}");
}
