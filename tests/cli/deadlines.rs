//! Duties done after the fact — a post-implementation review, an emergency's root
//! cause — are judged by when git first held them on the mainline, not by the time
//! typed into the record; a rolled-back change owes a fuller review and a monitoring
//! period before it closes.

use crate::common::{findings_at, findings_with, refused, replaced, TestRepo};
use crate::lifecycle::{propose, ADA, LEE, POLICY};

/// The lifecycle tests' policy with the deadlines these tests judge.
fn repo(extra: &str) -> TestRepo {
    let repo = TestRepo::new();
    let policy = replaced(
        POLICY,
        "[classes.normal]\napprovals = [\"lead\"]\n",
        &format!("[classes.normal]\napprovals = [\"lead\"]\npost_review = \"required\"\npost_review_within = \"48h\"\n{extra}"),
    );
    let policy = replaced(
        &policy,
        "[classes.emergency]\n",
        "[classes.emergency]\nretrospective_within = \"24h\"\n",
    );
    repo.write(".changes.toml", &policy);
    repo.commit_all_at("2026-11-01T09:00:00Z", "Add the change policy");
    repo
}

/// Rules `chg check` reports at `now` for `id`, with their messages.
fn reported(repo: &TestRepo, now: &str, id: &str) -> Vec<(String, String)> {
    (findings_at(repo, now).1.into_iter())
        .filter(|f| f.record.as_deref() == Some(id))
        .map(|f| (f.rule, f.message))
        .collect()
}

fn has(findings: &[(String, String)], rule: &str, needle: &str) -> bool {
    (findings.iter()).any(|(r, m)| r == rule && m.contains(needle))
}

/// Runs `chg args` as `who` at `when`, and commits the register then.
fn step(repo: &TestRepo, when: &str, who: crate::common::Who, args: &[&str]) {
    repo.chg_committed(when, who, args, &format!("{} {}", args[0], args[1]));
}

/// A normal change deployed to production at 2026-11-02T10:00Z, all committed.
fn deployed(repo: &TestRepo) -> String {
    let id = propose(repo, "normal", &[]);
    let when = "2026-11-02T09:00:00Z";
    step(repo, when, ADA, &["submit", &id]);
    step(repo, when, LEE, &["approve", &id]);
    step(repo, when, LEE, &["start", &id]);
    step(
        repo,
        "2026-11-02T10:00:00Z",
        LEE,
        &["deploy", &id, "--env", "production"],
    );
    id
}

/// Lee types a review at `typed`; it is left uncommitted.
fn review_typed(repo: &TestRepo, typed: &str, id: &str) {
    let args = ["review", id, "--outcome", "achieved"];
    repo.chg_at(typed, LEE.0, LEE.1, &args).assert().success();
}

const ON_TIME: &str = "2026-11-03T10:00:00Z";
const LATE: &str = "2026-11-05T10:00:00Z";
const LATER: &str = "2026-11-06T10:00:00Z";

#[test]
fn a_review_committed_after_its_deadline_is_late_whatever_time_it_gives() {
    let repo = repo("");
    let id = deployed(&repo);
    review_typed(&repo, ON_TIME, &id);
    // Not committed yet: it counts at the check's clock.
    assert!(reported(&repo, ON_TIME, &id).is_empty());
    let late = reported(&repo, LATE, &id);
    assert!(has(&late, "L003", "came after the 2d deadline"), "{late:?}");
    assert!(
        has(&late, "L003", "on file since 2026-11-05 10:00:00"),
        "{late:?}"
    );
    // Committed late with an on-time `at`: the commit says when it was done.
    repo.commit_all_at(LATE, &format!("Review {id}"));
    let late = reported(&repo, LATER, &id);
    assert!(
        has(&late, "L003", "on file since 2026-11-05 10:00:00"),
        "{late:?}"
    );
}

#[test]
fn a_review_committed_on_time_is_clean_however_long_after_it_is_checked() {
    let repo = repo("");
    let id = deployed(&repo);
    review_typed(&repo, ON_TIME, &id);
    repo.commit_all_at(ON_TIME, &format!("Review {id}"));
    assert!(reported(&repo, LATER, &id).is_empty());
}

#[test]
fn a_review_is_done_when_the_mainline_first_holds_it_not_when_a_branch_did() {
    let repo = repo("");
    let id = deployed(&repo);
    // Written and committed on a branch in time, merged after the deadline.
    repo.git_at(ON_TIME, &["checkout", "-q", "-b", "review"]);
    review_typed(&repo, ON_TIME, &id);
    repo.commit_all_at(ON_TIME, &format!("Review {id}"));
    repo.git_at(ON_TIME, &["checkout", "-q", "main"]);
    repo.merge_at(LATE, "review", "Merge the review");
    let late = reported(&repo, LATER, &id);
    assert!(
        has(&late, "L003", "on file since 2026-11-05 10:00:00"),
        "{late:?}"
    );
}

#[test]
fn branches_merged_or_rebased_later_do_not_move_an_on_time_review() {
    let repo = repo("");
    let id = deployed(&repo);
    // Two branches begun before the review, one merged and one rebased after the
    // deadline: their commits hold the review too, but the mainline held it first.
    repo.work_on_branch("merged", ON_TIME, "Other work");
    repo.work_on_branch("rebased", ON_TIME, "More work");
    review_typed(&repo, ON_TIME, &id);
    repo.commit_all_at(ON_TIME, &format!("Review {id}"));
    repo.merge_at(LATE, "merged", "Merge other work");
    repo.git_at(LATE, &["checkout", "-q", "rebased"]);
    repo.git_at(LATE, &["rebase", "-q", "main"]);
    repo.git_at(LATE, &["checkout", "-q", "main"]);
    repo.git_at(LATE, &["merge", "-q", "--ff-only", "rebased"]);
    assert!(reported(&repo, LATER, &id).is_empty());
    // The review rewritten later (a typo fixed) stays done when it was first held.
    let path = format!(".changes/{id}.yaml");
    repo.write(
        &path,
        &replaced(&repo.read(&path), "outcome: achieved", "outcome: partially"),
    );
    repo.commit_all_at(LATER, "Correct the review");
    assert!(reported(&repo, LATER, &id).is_empty());
}

/// A review committed in time with the fields the policy requires left blank or
/// holding a placeholder (`TBD`, a lone `-`), then filled in after the deadline, was
/// done when it was filled in: committing a placeholder early buys no time. A check
/// read from the cache says the same as one read from git.
#[test]
fn a_placeholder_review_committed_in_time_is_done_only_when_filled_in() {
    for placeholder in ["\"\"", "TBD", "\"-\""] {
        let repo = repo("review_requires = [\"lessons\"]\n");
        let id = deployed(&repo);
        let path = format!(".changes/{id}.yaml");
        let text = repo.read(&path);
        repo.write(
            &path,
            &format!("{text}review:\n  at: {ON_TIME}\n  by: lee@example.com\n  outcome: achieved\n  lessons: {placeholder}\n"),
        );
        repo.commit_all_at(ON_TIME, &format!("Review {id}, lessons to follow"));
        let lessons = format!("lessons: {placeholder}");
        repo.write(
            &path,
            &replaced(&repo.read(&path), &lessons, "lessons: Backfill first"),
        );
        repo.commit_all_at(LATE, &format!("Fill in the review of {id}"));
        let from_git: Vec<(String, String)> = (findings_with(&repo, LATER, &["--no-cache"]).1)
            .into_iter()
            .filter(|f| f.record.as_deref() == Some(id.as_str()))
            .map(|f| (f.rule, f.message))
            .collect();
        let late = reported(&repo, LATER, &id);
        let cached = reported(&repo, LATER, &id);
        assert!(
            has(&late, "L003", "on file since 2026-11-05 10:00:00"),
            "{placeholder}: {late:?}"
        );
        assert_eq!(late, cached);
        assert_eq!(late, from_git);
    }
}

#[test]
fn a_root_cause_committed_after_the_retrospective_deadline_is_late() {
    for (committed, late) in [("2026-11-02T20:00:00Z", false), (LATE, true)] {
        let repo = repo("");
        let id = propose(&repo, "emergency", &["--incident", "INC-7"]);
        step(&repo, "2026-11-02T09:00:00Z", ADA, &["start", &id]);
        let path = format!(".changes/{id}.yaml");
        let typed = replaced(
            &repo.read(&path),
            "  incident: INC-7\n",
            "  incident: INC-7\n  root_cause: the parser accepted alg=none\n  \
             preventive_action: fuzz the parser\n  retrospective_at: 2026-11-02T20:00:00Z\n",
        );
        repo.write(&path, &typed);
        repo.commit_all_at(committed, "Write the retrospective");
        let findings = reported(&repo, LATER, &id);
        let found = has(
            &findings,
            "L002",
            "the retrospective was held after the 1d deadline",
        );
        assert_eq!(found, late, "{findings:?}");
        if late {
            assert!(
                has(&findings, "L002", "on file since 2026-11-05 10:00:00"),
                "{findings:?}"
            );
        }
    }
}

/// A normal change deployed (see [`deployed`]) and rolled back at 2026-11-02T11:00Z.
fn rolled_back(repo: &TestRepo) -> String {
    let id = deployed(repo);
    let when = "2026-11-02T11:00:00Z";
    step(repo, when, LEE, &["rollback", &id, "--reason", "5xx spike"]);
    id
}

#[test]
fn a_rolled_back_change_is_watched_before_it_closes() {
    let repo = repo("monitor_after_rollback = \"24h\"\n");
    let id = rolled_back(&repo);
    review_typed(&repo, "2026-11-02T12:00:00Z", &id);
    repo.commit_all_at("2026-11-02T12:00:00Z", &format!("Review {id}"));
    let before = repo.snapshot();
    let said = refused(
        &repo,
        repo.chg_at("2026-11-03T10:59:00Z", LEE.0, LEE.1, &["close", &id]),
        1,
        "was rolled back less than 1d ago: a normal change is monitored that long after a rollback before it is closed",
    );
    assert!(
        said.contains("close from Tue 2026-11-03 11:00 UTC"),
        "{said}"
    );
    assert_eq!(repo.snapshot(), before);
    // Closed by hand too soon: L008, which names the rollback.
    let path = format!(".changes/{id}.yaml");
    let text = repo.read(&path);
    let closed = replaced(
        &replaced(&text, "status: rolled-back", "status: closed"),
        "  note: 5xx spike\n",
        "  note: 5xx spike\n- from: rolled-back\n  to: closed\n  at: 2026-11-02T12:00:00Z\n  by: lee@example.com\n",
    );
    repo.write(&path, &closed);
    let found = reported(&repo, LATER, &id);
    assert!(
        has(&found, "L008", "closed 2026-11-02T12:00:00Z but a normal change is monitored 1d after its rollback (2026-11-02T11:00:00Z)"),
        "{found:?}"
    );
    // Put back, and closed once the period is over: clean.
    repo.write(&path, &text);
    repo.chg_at("2026-11-03T11:00:00Z", LEE.0, LEE.1, &["close", &id])
        .assert()
        .success();
    let found = reported(&repo, LATER, &id);
    assert!(found.is_empty(), "{found:?}");
    let explain = crate::common::stdout_of(&mut repo.chg(&["check", "--explain", "L008"]));
    assert!(explain.contains("monitor_after_rollback"), "{explain}");
}

const ROLLBACK_DOCS: &str = "review_requires_on_rollback = [\"steps\", \"duration\", \"impact\", \"root_cause\", \"preventive_measures\"]\n";

#[test]
fn a_rolled_back_change_s_review_documents_the_rollback() {
    let repo = repo(ROLLBACK_DOCS);
    // A change that was not rolled back owes none of it.
    let fine = deployed(&repo);
    review_typed(&repo, ON_TIME, &fine);
    let id = rolled_back(&repo);
    let before = repo.snapshot();
    let said = refused(
        &repo,
        repo.chg_at(
            ON_TIME,
            LEE.0,
            LEE.1,
            &["review", &id, "--outcome", "not-achieved", "--steps", "Reverted the merge"],
        ),
        1,
        "a review of a rolled-back normal change must say duration, impact, root_cause, preventive_measures",
    );
    assert!(
        said.contains("give --duration, --impact, --root-cause, --preventive-measures"),
        "{said}"
    );
    assert_eq!(repo.snapshot(), before);
    // A thin review written by hand: chg close refuses, and L003 names what it lacks.
    let path = format!(".changes/{id}.yaml");
    let text = repo.read(&path);
    repo.write(
        &path,
        &format!("{text}review:\n  at: {ON_TIME}\n  by: lee@example.com\n  outcome: not-achieved\n  steps: Reverted the merge\n"),
    );
    let before = repo.snapshot();
    refused(
        &repo,
        repo.chg_at(ON_TIME, LEE.0, LEE.1, &["close", &id]),
        1,
        "cannot be closed: its review must also say duration, impact, root_cause, preventive_measures",
    );
    assert_eq!(repo.snapshot(), before);
    let found = reported(&repo, LATER, &id);
    assert!(
        has(
            &found,
            "L003",
            "the review on file lacks duration, impact, root_cause, preventive_measures"
        ),
        "{found:?}"
    );
    // Filled in by `chg set`, it closes, and nothing is reported.
    repo.chg_at(
        ON_TIME,
        LEE.0,
        LEE.1,
        &[
            "set",
            &id,
            "review.duration=40 minutes",
            "review.impact=Checkout failed for 5% of users",
            "review.root_cause=The migration locked the orders table",
            "review.preventive_measures=Run migrations online",
        ],
    )
    .assert()
    .success();
    repo.chg_at(ON_TIME, LEE.0, LEE.1, &["close", &id])
        .assert()
        .success();
    let found = reported(&repo, ON_TIME, &id);
    assert!(found.is_empty(), "{found:?}");
    // The same documentation in one `chg review`, with every flag.
    let other = rolled_back(&repo);
    repo.chg_at(
        ON_TIME,
        LEE.0,
        LEE.1,
        &[
            "review",
            &other,
            "--outcome",
            "not-achieved",
            "--steps",
            "Reverted",
            "--duration",
            "5m",
            "--impact",
            "none",
            "--root-cause",
            "a typo",
            "--preventive-measures",
            "a test",
        ],
    )
    .assert()
    .success();
}

#[test]
fn bad_rollback_documentation_is_refused_without_touching_a_file() {
    let repo = repo("review_requires_on_rollback = [\"root cause\"]\n");
    let before = repo.snapshot();
    refused(
        &repo,
        repo.chg(&["check"]),
        2,
        "classes.normal.review_requires_on_rollback: `root cause` is not a review field",
    );
    assert_eq!(repo.snapshot(), before);
    // Fields of a review that is not there cannot be set.
    let repo = self::repo(ROLLBACK_DOCS);
    let id = rolled_back(&repo);
    let before = repo.snapshot();
    refused(
        &repo,
        repo.chg(&["set", &id, "review.root_cause=a typo"]),
        2,
        &format!("review.root_cause: {id} has no review to add it to"),
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn an_emergency_record_exists_from_the_commit_that_brought_it_in() {
    for (committed, late) in [
        ("2026-11-02T20:00:00Z", false),
        ("2026-11-03T12:00:00Z", true),
    ] {
        let repo = repo("");
        let policy = repo.read(".changes.toml");
        repo.write(
            ".changes.toml",
            &replaced(
                &policy,
                "[classes.emergency]\n",
                "[classes.emergency]\nrecord_within = \"24h\"\n",
            ),
        );
        repo.commit_all_at(
            "2026-11-01T09:00:00Z",
            "Ask emergencies to be recorded within a day",
        );
        // The fix lands first, naming the record it will have.
        repo.write("src/fix.rs", "// the fix\n");
        repo.commit_all_at(
            "2026-11-02T09:00:00Z",
            "Fix the login bypass\n\nChange: CHG-2026-0001",
        );
        // The record, created an hour later by its own account, committed at `committed`.
        let mut args = crate::common::complete_args("Patch the login bypass", "emergency");
        args.extend(["--incident", "INC-7"]);
        let id = crate::common::created_by(
            |all| repo.chg_at("2026-11-02T10:00:00Z", ADA.0, ADA.1, all),
            &args,
        );
        assert_eq!(id, "CHG-2026-0001");
        repo.commit_all_at(committed, &format!("Record {id}"));
        let findings = reported(&repo, LATER, &id);
        let said = "the record was committed 2026-11-03T12:00:00Z (it says created 2026-11-02T10:00:00Z), more than 1d after work on the change began";
        assert_eq!(has(&findings, "L006", said), late, "{findings:?}");
        assert_eq!(
            findings.iter().any(|(r, _)| r == "L006"),
            late,
            "{findings:?}"
        );
    }
}
