//! `chg list --waiting-for-me`: the changes waiting for an approval the person running
//! it could give now, as `chg approve` decides it — a role they hold and have not yet
//! filled, and never a change they wrote while separation of duties holds.

use crate::common::{complete_args, outcome, refused, TestRepo, Who};

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee", "lee@example.com");
const SAM: Who = ("Sam", "sam@example.com");

/// Ada and Lee both lead; Sam is security. Returns the repository and the changes:
/// Ada's normal change, Lee's normal change, Ada's major change Lee has approved as
/// lead, and Ada's draft.
fn register() -> (TestRepo, [String; 4]) {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[roles]\nlead = [\"ada@example.com\", \"lee@example.com\"]\n\
         security = [\"sam@example.com\"]\n\
         [classes.normal]\napprovals = [\"lead\"]\n\
         [classes.major]\napprovals = [\"lead\", \"security\"]\n",
    );
    repo.commit_all("Adopt chg");
    let submitted = |who: Who, title: &str, class: &str| {
        let mut args = complete_args(title, class);
        args.extend(["--rationale", "r", "--test-plan", "t"]);
        let id = repo.create_as(who, &args);
        repo.chg_as(who.0, who.1, &["submit", &id])
            .assert()
            .success();
        id
    };
    let adas = submitted(ADA, "Add the column", "normal");
    let lees = submitted(LEE, "Drop the index", "normal");
    let major = submitted(ADA, "Move the database", "major");
    repo.chg_as(LEE.0, LEE.1, &["approve", &major, "--role", "lead"])
        .assert()
        .success();
    let draft = repo.complete_change("Not yet", "normal");
    repo.commit_all("Propose changes");
    (repo, [adas, lees, major, draft])
}

/// The IDs `chg list --waiting-for-me` lists for `who`; asserts exit 0 and no file changed.
fn waiting_for(repo: &TestRepo, who: Who) -> Vec<String> {
    let before = repo.snapshot();
    let args = ["list", "--waiting-for-me", "--format", "csv"];
    let (code, out, err) = outcome(&mut repo.chg_as(who.0, who.1, &args));
    assert_eq!(code, 0, "{err}");
    assert!(before == repo.snapshot(), "list changed files");
    out.lines().skip(1).map(|l| l[..13].to_string()).collect()
}

#[test]
fn each_person_sees_the_approvals_they_could_give_and_no_others() {
    let (repo, [adas, lees, major, _draft]) = register();
    // Lee leads: Ada's normal change waits for him; his own does not, nor the major
    // change he already approved as lead.
    assert_eq!(waiting_for(&repo, LEE), [adas]);
    // Ada leads too, but wrote her changes: only Lee's waits for her.
    assert_eq!(waiting_for(&repo, ADA), [lees]);
    // Sam is the security the major change still needs.
    assert_eq!(waiting_for(&repo, SAM), [major]);
}

#[test]
fn without_an_identity_the_list_is_refused() {
    let (repo, _) = register();
    repo.git(&["config", "--unset", "user.email"]);
    refused(
        &repo,
        repo.chg(&["list", "--waiting-for-me"]),
        2,
        "user.email",
    );
}
