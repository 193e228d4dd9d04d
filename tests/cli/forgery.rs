//! Forgeries `chg check` must see through: a record's text is a claim, git is the proof.
//! Each attack sits beside its honest twin, which must stay clean.

use crate::common::{complete_args, findings_with, outcome, replaced, Finding, TestRepo, Who, NOW};
use std::path::Path;

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee Lead", "lee@example.com");
const RM: Who = ("Rex Release", "rm@example.com");

/// An hour after `NOW`: when the second step of a story happens.
const LATER: &str = "2026-11-21T11:30:00Z";
/// A week before `NOW`.
const WEEK_AGO: &str = "2026-11-14T10:30:00Z";

/// Lee approves, Rex releases; normal changes need the approver.
const POLICY: &str = r#"[roles]
approver = ["lee@example.com"]
release-manager = ["rm@example.com"]

[classes.normal]
requires = ["description"]
approvals = ["approver"]
"#;

/// A repository under `POLICY` plus `extra`, adopted by Ada, holding one normal change
/// Ada wrote and submitted, committed; returns it and the change's ID.
fn proposed(extra: &str) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write(".changes.toml", &format!("{POLICY}{extra}"));
    repo.commit_all("Adopt chg");
    let id = draft(&repo, ADA, "Add the column");
    act(&repo, ADA, &["submit", &id]);
    repo.commit_all(&format!("Propose {id}"));
    (repo, id)
}

/// [`proposed`], then approved by Lee the honest way an hour later.
fn approved(extra: &str) -> (TestRepo, String) {
    let (repo, id) = proposed(extra);
    lee_approves(&repo, &id, LATER);
    (repo, id)
}

/// `who` creates a normal draft through `chg new` (not committed); returns its ID.
fn draft(repo: &TestRepo, who: Who, title: &str) -> String {
    repo.create_as(who, &complete_args(title, "normal"))
}

/// `chg <args>` run as `who`, which must succeed; nothing is committed.
fn act(repo: &TestRepo, who: Who, args: &[&str]) {
    repo.chg_as(who.0, who.1, args).assert().success();
}

/// Lee approves `id` the honest way: `chg approve --commit`, as himself, at `when`.
fn lee_approves(repo: &TestRepo, id: &str, when: &str) {
    repo.chg_at(when, LEE.0, LEE.1, &["approve", id, "--commit"])
        .assert()
        .success();
}

/// Commits everything authored by `author` but committed by whoever the config names
/// (Ada), as `git commit --author` does.
fn commit_all_authored_by(repo: &TestRepo, author: Who, message: &str) {
    let author = format!("--author={} <{}>", author.0, author.1);
    repo.git_at(LATER, &["add", "-A"]);
    repo.git_at(LATER, &["commit", "-q", &author, "-m", message]);
}

/// `chg check --format json <args>`: its exit code and findings.
fn check(repo: &TestRepo, args: &[&str]) -> (i32, Vec<Finding>) {
    findings_with(repo, LATER, args)
}

fn listed(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{} {:?} {:?}: {}\n", f.rule, f.record, f.commit, f.message))
        .collect()
}

/// Asserts that `chg check` fails with a `code` finding about change `id` (named as its
/// record or in the message); returns every finding.
fn caught(repo: &TestRepo, code: &str, id: &str) -> Vec<Finding> {
    let (exit, findings) = check(repo, &[]);
    let all = listed(&findings);
    assert_eq!(exit, 1, "check should fail with {code}:\n{all}");
    assert!(
        findings
            .iter()
            .any(|f| f.rule == code && (f.record.as_deref() == Some(id) || f.message.contains(id))),
        "no {code} about {id}:\n{all}"
    );
    findings
}

/// Asserts that `chg check` passes with no finding at all.
fn clean(repo: &TestRepo) {
    let (exit, findings) = check(repo, &[]);
    assert!(
        exit == 0 && findings.is_empty(),
        "check should be clean:\n{}",
        listed(&findings)
    );
}

/// Asserts that `chg check <args>` reports nothing under `code` (whatever else it says).
fn spared(repo: &TestRepo, code: &str, args: &[&str]) {
    let (_, findings) = check(repo, args);
    assert!(!has(&findings, code), "{}", listed(&findings));
}

fn has(findings: &[Finding], code: &str) -> bool {
    findings.iter().any(|f| f.rule == code)
}

// 1. An approval the merge commit itself added was authored by whoever merged.

#[test]
fn approval_added_by_a_merge_commit_is_unverified() {
    let (repo, id) = proposed("");
    repo.work_on_branch("side", NOW, &format!("{id}: tidy the notes"));
    repo.git_at(LATER, &["merge", "-q", "--no-ff", "--no-commit", "side"]);
    // Lee's approval, typed into the record while the merge is open; Ada commits it.
    act(&repo, LEE, &["approve", &id]);
    repo.commit_all_as(LATER, ADA, &format!("Merge side for {id}"));
    let parents = repo.git(&["rev-list", "--parents", "-1", "HEAD"]);
    assert_eq!(parents.split_whitespace().count(), 3, "a merge: {parents}");
    caught(&repo, "P004", &id);
}

#[test]
fn approval_committed_by_the_approver_on_a_merged_branch_is_clean() {
    let (repo, id) = proposed("");
    repo.git(&["checkout", "-q", "-b", "side"]);
    lee_approves(&repo, &id, NOW);
    repo.git(&["checkout", "-q", "main"]);
    repo.merge_at(LATER, "side", &format!("Merge side for {id}"));
    clean(&repo);
}

// 2. Moves claimed in the release manager's name by someone else.

const RM_DEPLOYS: &str = "[moves]\ndeploy = [\"release-manager\"]\n";

/// Rex's moves from approved to closed, written into the record (not committed).
fn rm_ships(repo: &TestRepo, id: &str) {
    for args in [
        vec!["start", id],
        vec!["deploy", id, "--env", "production"],
        vec!["verify", id],
        vec!["close", id],
    ] {
        act(repo, RM, &args);
    }
}

/// A change Lee approved whose release manager's moves `committer` commits: Rex
/// himself, or Ada (attack 2 done).
fn shipped_committed_by(committer: Who) -> (TestRepo, String) {
    let (repo, id) = proposed(RM_DEPLOYS);
    lee_approves(&repo, &id, NOW);
    rm_ships(&repo, &id);
    repo.commit_all_as(LATER, committer, &format!("Ship {id}"));
    (repo, id)
}

#[test]
fn moves_committed_by_someone_other_than_the_mover_are_unverified() {
    let (repo, id) = shipped_committed_by(ADA);
    caught(&repo, "P009", &id);
}

#[test]
fn moves_the_release_manager_commits_himself_are_clean() {
    let (repo, _) = shipped_committed_by(RM);
    clean(&repo);
}

/// The audit's verdicts on a change's moves and deployments, and its summary tally.
fn audited(repo: &TestRepo) -> (Vec<String>, serde_json::Value) {
    let (code, out, err) = outcome(
        repo.chg(&["audit", "--format", "json"])
            .env("CHG_NOW", LATER),
    );
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let change = &doc["changes"][0];
    let verdicts = (change["moves"].as_array().unwrap().iter())
        .chain(change["deployments"].as_array().unwrap())
        .map(|m| m["made_by"]["verdict"].as_str().unwrap().to_string())
        .collect();
    (verdicts, doc["proofs"].clone())
}

#[test]
fn the_audit_never_shows_a_forged_move_as_proven_and_counts_it() {
    let (repo, _) = shipped_committed_by(ADA);
    let (verdicts, proofs) = audited(&repo);
    // Ada's submission and Lee's approval are theirs; every move and the deployment
    // Ada wrote in Rex's name fail.
    let (honest, forged) = verdicts.split_at(2);
    assert!(honest.iter().all(|v| v == "proven"), "{verdicts:?}");
    assert!(
        !forged.is_empty() && forged.iter().all(|v| v == "failed"),
        "{verdicts:?}"
    );
    assert_eq!(proofs["failed"], forged.len(), "{proofs}");
}

#[test]
fn the_audit_shows_moves_each_person_committed_as_proven() {
    let (repo, _) = shipped_committed_by(RM);
    let (verdicts, proofs) = audited(&repo);
    assert!(verdicts.iter().all(|v| v == "proven"), "{verdicts:?}");
    assert_eq!(proofs["failed"], 0, "{proofs}");
    assert_eq!(proofs["unproven"], 0, "{proofs}");
}

// 3. The creator rewrites `author:` so that he may approve his own change.

#[test]
fn approving_a_change_you_created_after_renaming_its_author_is_self_approval() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Adopt chg");
    let id = draft(&repo, LEE, "Add the column");
    repo.commit_all_as(NOW, LEE, &format!("Propose {id}"));
    let path = repo.record_path(&id);
    let text = replaced(
        &repo.read(&path),
        "author: Lee Lead <lee@example.com>",
        "author: Ada Lovelace <ada@example.com>",
    );
    repo.write(
        &path,
        &replaced(&text, "owner: lee@example.com", "owner: ada@example.com"),
    );
    repo.commit_all_as(NOW, LEE, &format!("{id}: hand it to Ada"));
    act(&repo, LEE, &["submit", &id]);
    act(&repo, LEE, &["approve", &id]);
    repo.commit_all_as(LATER, LEE, &format!("Approve {id}"));
    caught(&repo, "P003", &id);
}

#[test]
fn a_change_ada_created_and_lee_approved_is_clean() {
    let (repo, _) = approved("");
    clean(&repo);
}

// 4. Entries moved back in time.

#[test]
fn a_committed_transition_back_dated_afterwards_is_a_rewritten_entry() {
    let (repo, id) = proposed("");
    let path = repo.record_path(&id);
    repo.write(
        &path,
        &replaced(
            &repo.read(&path),
            &format!("to: submitted\n  at: {NOW}"),
            &format!("to: submitted\n  at: {WEEK_AGO}"),
        ),
    );
    repo.commit_all_as(LATER, ADA, &format!("{id}: fix the submission time"));
    caught(&repo, "H006", &id);
}

#[test]
fn a_transition_dropped_through_a_broken_version_of_the_record_is_a_rewritten_entry() {
    let (repo, id) = proposed("");
    let path = repo.record_path(&id);
    let honest = repo.read(&path);
    // Break the record, then mend it without its submission: no single step shows
    // a readable version losing the entry.
    repo.write(&path, "title: [unclosed\n");
    repo.commit_all_as(LATER, ADA, &format!("{id}: oops"));
    let without = honest.split("transitions:").next().unwrap().to_string();
    repo.write(
        &path,
        &replaced(&without, "status: submitted", "status: draft"),
    );
    repo.commit_all_as(LATER, ADA, &format!("{id}: mend the record"));
    caught(&repo, "H006", &id);
}

/// An approval given on a branch and committed after someone changed the record on
/// the mainline is bounded by the version it was given to, not by the other branch.
#[test]
fn an_approval_committed_late_on_a_branch_is_not_back_dated_by_the_mainline() {
    let (repo, id) = proposed("");
    repo.git(&["branch", "review"]);
    let path = repo.record_path(&id);
    repo.write(
        &path,
        &replaced(&repo.read(&path), "description: d", "description: more"),
    );
    repo.commit_all_as("2026-11-21T12:00:00Z", ADA, &format!("{id}: say more"));
    repo.git(&["checkout", "-q", "review"]);
    act(&repo, LEE, &["approve", &id]);
    repo.commit_all_as("2026-11-21T12:30:00Z", LEE, &format!("Approve {id}"));
    repo.git(&["checkout", "-q", "main"]);
    repo.git_at(
        "2026-11-21T12:40:00Z",
        &["merge", "-q", "--no-ff", "review", "-m", "Merge review"],
    );
    spared(&repo, "H007", &[]);
}

/// Two approvers at once: Sam's approval lands first; Lee's, given before it, is
/// rebased on top. A version that only added an approval bounds nothing new.
#[test]
fn approvals_given_at_the_same_time_and_rebased_onto_each_other_are_not_back_dated() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[roles]\napprover = [\"lee@example.com\"]\nsecurity = [\"sam@example.com\"]\n\
         [classes.normal]\nrequires = [\"description\"]\napprovals = [\"approver\", \"security\"]\n",
    );
    repo.commit_all_as(NOW, ADA, "Adopt chg");
    let id = draft(&repo, ADA, "Add the column");
    act(&repo, ADA, &["submit", &id]);
    repo.commit_all_as(NOW, ADA, &format!("Propose {id}"));
    let sam = ("Sam S", "sam@example.com");
    repo.chg_at("2026-11-21T10:50:00Z", sam.0, sam.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all_as(
        "2026-11-21T10:55:00Z",
        sam,
        &format!("Approve {id} for security"),
    );
    repo.chg_at("2026-11-21T10:40:00Z", LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all_as("2026-11-21T11:10:00Z", LEE, &format!("Approve {id}"));
    spared(&repo, "H007", &[]);
}

/// An approval copied under the approver's name, role and time, with the digest of
/// content the approver never saw: a different entry, added by whoever committed it.
#[test]
fn an_approval_copied_under_the_approvers_name_onto_new_content_is_unverified() {
    let (repo, id) = proposed("");
    lee_approves(&repo, &id, NOW);
    let path = repo.record_path(&id);
    let mut r = chg::store::parse(&path, &repo.read(&path)).unwrap();
    r.description = Some("much more than Lee approved".into());
    let mut copy = r.approvals[0].clone();
    copy.digest = Some(chg::model::digest::of(&r));
    r.approvals.push(copy);
    repo.write(&path, &chg::model::yaml::to_string(&r));
    repo.commit_all_as(LATER, ADA, &format!("{id}: say more"));
    caught(&repo, "P004", &id);
}

/// A record removed by mistake and put back as it was is one record, created once.
#[test]
fn a_record_removed_and_put_back_by_a_revert_is_clean() {
    let (repo, id) = deployed();
    repo.git(&["rm", "-q", &repo.record_path(&id)]);
    repo.commit_all_as(LATER, ADA, "Tidy the register");
    repo.git_at(LATER, &["revert", "--no-edit", "HEAD"]);
    clean(&repo);
}

/// Put back without what it held, the removal is still reported.
#[test]
fn a_record_put_back_without_its_approval_is_reported() {
    let (repo, id) = deployed();
    let path = repo.record_path(&id);
    let held = repo.read(&path);
    repo.git(&["rm", "-q", &path]);
    repo.commit_all_as(LATER, ADA, "Tidy the register");
    let mut r = chg::store::parse(&path, &held).unwrap();
    r.approvals.clear();
    repo.write(&path, &chg::model::yaml::to_string(&r));
    repo.commit_all_as(LATER, ADA, &format!("{id}: restore"));
    caught(&repo, "R008", &id);
}

#[test]
fn a_new_approval_dated_before_its_parent_commit_is_back_dated() {
    let (repo, id) = proposed("");
    // The parent commit is dated NOW; Lee's clock says a week earlier.
    repo.chg_at(WEEK_AGO, LEE.0, LEE.1, &["approve", &id])
        .assert()
        .success();
    repo.commit_all_as(LATER, LEE, &format!("Approve {id}"));
    caught(&repo, "H007", &id);
}

#[test]
fn entries_dated_when_they_were_committed_are_clean() {
    let (repo, id) = approved("");
    repo.chg_at("2026-11-21T12:30:00Z", ADA.0, ADA.1, &["start", &id])
        .assert()
        .success();
    repo.commit_all_as("2026-11-21T12:30:00Z", ADA, &format!("Start {id}"));
    clean(&repo);
}

// 5. An approval committed under the approver's name by someone else.

const AUTHOR_AND_COMMITTER: &str = "[approvals]\nverify = \"author-and-committer\"\n";

/// Lee's approval written into the record, committed by Ada with Lee as its author.
fn approval_authored_as_lee_by_ada(extra: &str) -> (TestRepo, String) {
    let (repo, id) = proposed(extra);
    act(&repo, LEE, &["approve", &id]);
    commit_all_authored_by(&repo, LEE, &format!("Approve {id}"));
    (repo, id)
}

#[test]
fn an_approval_committed_by_someone_else_in_the_approvers_name_is_unverified() {
    let (repo, id) = approval_authored_as_lee_by_ada(AUTHOR_AND_COMMITTER);
    caught(&repo, "P004", &id);
}

#[test]
fn an_approval_commit_amended_by_someone_else_is_unverified() {
    let (repo, id) = proposed(AUTHOR_AND_COMMITTER);
    lee_approves(&repo, &id, NOW);
    // Ada rewrites Lee's commit: other content, a digest to match, Lee still its author.
    let path = repo.record_path(&id);
    repo.git(&["checkout", "HEAD~1", "--", &path]);
    repo.write(
        &path,
        &replaced(
            &repo.read(&path),
            "description: d",
            "description: much more",
        ),
    );
    act(&repo, LEE, &["approve", &id]);
    repo.git_at(LATER, &["commit", "-q", "-a", "--amend", "--no-edit"]);
    let who = repo.git(&["log", "-1", "--format=%ae %ce"]);
    assert_eq!(who.trim(), "lee@example.com ada@example.com");
    caught(&repo, "P004", &id);
}

#[test]
fn an_approval_the_approver_commits_himself_is_clean_when_the_committer_counts() {
    let (repo, _) = approved(AUTHOR_AND_COMMITTER);
    clean(&repo);
}

#[test]
fn by_default_only_the_author_of_an_approval_commit_is_checked() {
    // The committer is not judged under the default `verify = "commit-author"`: the
    // attack above passes there, which is what `author-and-committer` is for.
    let (repo, _) = approval_authored_as_lee_by_ada("");
    clean(&repo);
}

// 6. Signed approvals.

const SIGNED: &str = "[approvals]\nverify = \"signature\"\nsigners = \".changes.signers\"\n";

/// A fresh ed25519 key pair in `dir`: the private key's path and the public key line.
fn keypair(dir: &Path, name: &str, email: &str) -> (String, String) {
    let key = dir.join(name);
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (key.to_str().unwrap().to_string(), public.trim().to_string())
}

/// A repository that takes signed approvals, Lee's key listed as his; Lee's approval
/// written into the record, not committed. Returns it, the change's ID, and the private
/// keys of Lee and of Mallory (who is listed for nobody). None without `ssh-keygen`.
fn signed_setup() -> Option<(TestRepo, String, String, String, tempfile::TempDir)> {
    if std::process::Command::new("ssh-keygen")
        .arg("-?")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: ssh-keygen is not installed, signed approvals are not tested");
        return None;
    }
    let keys = tempfile::TempDir::new().unwrap();
    let (lee_key, lee_public) = keypair(keys.path(), "lee", LEE.1);
    let (mallory_key, _) = keypair(keys.path(), "mallory", "mallory@example.com");
    let repo = TestRepo::new();
    repo.write(
        ".changes.signers",
        &format!("{} namespaces=\"git\" {lee_public}\n", LEE.1),
    );
    repo.write(".changes.toml", &format!("{POLICY}{SIGNED}"));
    repo.commit_all("Adopt chg");
    let id = draft(&repo, ADA, "Add the column");
    act(&repo, ADA, &["submit", &id]);
    repo.commit_all(&format!("Propose {id}"));
    act(&repo, LEE, &["approve", &id]);
    Some((repo, id, lee_key, mallory_key, keys))
}

/// Commits everything as Lee, signed with `key` when there is one.
fn commit_as_lee_signed(repo: &TestRepo, key: Option<&str>, message: &str) {
    repo.git_at(LATER, &["add", "-A"]);
    let mut args = vec![
        "-c".to_string(),
        format!("user.name={}", LEE.0),
        "-c".to_string(),
        format!("user.email={}", LEE.1),
        "-c".to_string(),
        "gpg.format=ssh".to_string(),
    ];
    if let Some(key) = key {
        args.extend(["-c".to_string(), format!("user.signingkey={key}")]);
    }
    args.extend(["commit", "-q", "-m", message].map(str::to_string));
    if key.is_some() {
        args.push("-S".to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.git_at(LATER, &args);
    let signed = repo.git(&["cat-file", "commit", "HEAD"]).contains("gpgsig");
    assert_eq!(
        signed,
        key.is_some(),
        "the commit is signed only with a key"
    );
}

#[test]
fn an_approval_signed_with_the_approvers_listed_key_is_clean() {
    let Some((repo, id, lee_key, _, _keys)) = signed_setup() else {
        return;
    };
    commit_as_lee_signed(&repo, Some(&lee_key), &format!("Approve {id}"));
    clean(&repo);
}

#[test]
fn an_unsigned_approval_is_unverified_when_signatures_are_required() {
    let Some((repo, id, _, _, _keys)) = signed_setup() else {
        return;
    };
    commit_as_lee_signed(&repo, None, &format!("Approve {id}"));
    caught(&repo, "P004", &id);
}

#[test]
fn an_approval_signed_with_a_key_not_listed_for_the_approver_is_unverified() {
    let Some((repo, id, _, mallory_key, _keys)) = signed_setup() else {
        return;
    };
    commit_as_lee_signed(&repo, Some(&mallory_key), &format!("Approve {id}"));
    caught(&repo, "P004", &id);
}

// 7. The policy changed to hide a forgery, or without an approved change.

/// Commits `.changes.toml` as `text`, as Ada with `message`; returns the commit.
fn commit_policy(repo: &TestRepo, text: &str, message: &str) -> String {
    repo.write(".changes.toml", text);
    repo.commit_all_as("2026-11-21T12:30:00Z", ADA, message);
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// Asserts that `chg check` fails with an H008 finding on `commit`.
fn policy_change_caught(repo: &TestRepo, commit: &str) {
    let (exit, findings) = check(repo, &[]);
    let all = listed(&findings);
    assert_eq!(exit, 1, "check should fail with H008:\n{all}");
    assert!(
        findings.iter().any(|f| f.rule == "H008"
            && f.commit
                .as_deref()
                .is_some_and(|c| commit.starts_with(c) || c.starts_with(commit))),
        "no H008 on {commit}:\n{all}"
    );
}

#[test]
fn moving_the_baseline_over_a_forgery_is_an_unapproved_policy_change() {
    let (repo, _) = shipped_committed_by(ADA);
    let forged = repo.git(&["rev-parse", "HEAD"]);
    let policy = format!(
        "{}[changes]\nbaseline = \"{}\"\n",
        repo.read(".changes.toml"),
        forged.trim()
    );
    let commit = commit_policy(&repo, &policy, "Start checking from here");
    policy_change_caught(&repo, &commit);
}

/// A baseline that names a moving revision would hide the commit that sets it.
#[test]
fn a_baseline_that_is_not_a_commit_id_is_refused() {
    let (repo, _) = shipped_committed_by(ADA);
    let policy = format!(
        "{}[changes]\nbaseline = \"HEAD\"\n",
        repo.read(".changes.toml")
    );
    commit_policy(&repo, &policy, "Start checking from here");
    let before = repo.snapshot();
    let (code, out, err) = outcome(&mut repo.chg(&["check"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("not a full commit id"), "{err}");
    assert_eq!(repo.snapshot(), before, "the check changed a file");
}

#[test]
fn adding_yourself_to_a_role_without_a_change_is_an_unapproved_policy_change() {
    let (repo, _) = proposed("");
    let policy = replaced(
        &repo.read(".changes.toml"),
        "approver = [\"lee@example.com\"]",
        "approver = [\"lee@example.com\", \"ada@example.com\"]",
    );
    let commit = commit_policy(&repo, &policy, "Let Ada approve too");
    policy_change_caught(&repo, &commit);
}

#[test]
fn a_policy_change_under_an_approved_change_is_clean() {
    let (repo, first) = proposed("");
    lee_approves(&repo, &first, LATER);
    let id = draft(&repo, ADA, "Tighten the policy");
    assert_eq!(id, "CHG-2026-0002");
    act(&repo, ADA, &["submit", &id]);
    repo.commit_all_as(LATER, ADA, &format!("Propose {id}"));
    lee_approves(&repo, &id, LATER);
    let policy = replaced(
        &repo.read(".changes.toml"),
        "approver = [\"lee@example.com\"]",
        "approver = [\"lee@example.com\", \"sam@example.com\"]",
    );
    commit_policy(&repo, &policy, &format!("{id}: tighten the policy"));
    // The adoption commit, which added .changes.toml, is no finding either.
    clean(&repo);
}

/// A pull request's range check of a policy edit under a change approved before the
/// range: the approval's commit lies outside, where the main branch's check judged it.
#[test]
fn a_policy_edit_under_a_change_approved_before_the_range_passes_the_range_check() {
    let (repo, id) = approved("");
    repo.git(&["checkout", "-q", "-b", "tighten"]);
    let policy = replaced(
        &repo.read(".changes.toml"),
        "approver = [\"lee@example.com\"]",
        "approver = [\"lee@example.com\", \"sam@example.com\"]",
    );
    commit_policy(&repo, &policy, &format!("{id}: name Sam an approver"));
    let (exit, findings) = check(&repo, &["--range", "main..tighten"]);
    assert!(exit == 0 && findings.is_empty(), "{}", listed(&findings));
}

/// The approval that covers a policy edit forged in the edit's own commit, which
/// also turns verification off: the approval proves nothing, so neither does it.
#[test]
fn a_policy_edit_covered_by_an_approval_forged_in_its_own_commit_is_unapproved() {
    let (repo, id) = proposed("");
    act(&repo, LEE, &["approve", &id]);
    let policy = format!(
        "{}[approvals]\nverify = \"none\"\n",
        repo.read(".changes.toml")
    );
    let commit = commit_policy(&repo, &policy, &format!("{id}: approve"));
    policy_change_caught(&repo, &commit);
}

/// A policy edit that makes Ada an approver, approved by Ada: judged by the roster
/// before the edit, her approval does not count.
#[test]
fn a_policy_edit_approved_by_the_person_it_empowers_is_unapproved() {
    let (repo, _) = proposed("");
    let id = draft(
        &repo,
        ("Bob B", "bob@example.com"),
        "Add Ada to the approvers",
    );
    act(&repo, ("Bob B", "bob@example.com"), &["submit", &id]);
    repo.write(
        ".changes.toml",
        &replaced(
            &repo.read(".changes.toml"),
            "approver = [\"lee@example.com\"]",
            "approver = [\"lee@example.com\", \"ada@example.com\"]",
        ),
    );
    repo.commit_all_as(
        LATER,
        ("Bob B", "bob@example.com"),
        &format!("{id}: add Ada"),
    );
    let commit = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.chg_at(LATER, ADA.0, ADA.1, &["approve", &id, "--commit"])
        .assert()
        .success();
    policy_change_caught(&repo, &commit);
}

/// A merge with an unrelated history (an orphan branch) that edits the policy on
/// the way is a change of the policy like any other.
#[test]
fn a_policy_edit_inside_a_merge_of_an_unrelated_history_is_unapproved() {
    let (repo, _) = proposed("");
    repo.git(&["checkout", "-q", "--orphan", "evil"]);
    repo.git(&["rm", "-q", "-r", "-f", "."]);
    repo.write("README", "x\n");
    repo.commit_all_as(LATER, ADA, "Start over");
    repo.git_at(
        LATER,
        &[
            "merge",
            "-q",
            "--allow-unrelated-histories",
            "--no-commit",
            "main",
        ],
    );
    repo.write(
        ".changes.toml",
        &replaced(
            &repo.read(".changes.toml"),
            "approver = [\"lee@example.com\"]",
            "approver = [\"lee@example.com\", \"ada@example.com\"]",
        ),
    );
    repo.commit_all_as(LATER, ADA, "Merge main");
    let commit = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "evil"]);
    policy_change_caught(&repo, &commit);
}

// 8. Shallow history.

/// A repository with a handful of commits: the change proposed, approved, worked on.
fn some_history() -> TestRepo {
    let (repo, id) = approved("");
    for n in 1..=3 {
        repo.write(&format!("src/part{n}.rs"), "// work\n");
        repo.commit_all_as(LATER, ADA, &format!("{id}: part {n}"));
    }
    repo
}

#[test]
fn a_shallow_clone_cannot_be_checked_in_full() {
    let origin = some_history();
    let clone = TestRepo::clone_of(&origin, &["--depth", "1"]);
    let before = clone.snapshot();
    let (code, stdout, stderr) = outcome(&mut clone.chg(&["check"]));
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    // Nothing written: not the work tree, and no cache of a history it refused.
    assert_eq!(clone.snapshot(), before);
    assert!(!clone.path().join(".git/chg/cache").exists());
}

#[test]
fn a_linked_worktree_of_a_shallow_clone_is_as_shallow_as_the_clone() {
    let origin = some_history();
    let clone = TestRepo::clone_of(&origin, &["--depth", "1"]);
    // git keeps the list of cut commits once, beside the objects every worktree shares.
    let worktree = TestRepo::bare_dir();
    let place = worktree.path().to_str().unwrap();
    clone.git(&["worktree", "add", "-q", "--detach", place]);
    let before = worktree.snapshot();
    let (code, stdout, stderr) = outcome(&mut worktree.chg(&["check"]));
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    assert_eq!(worktree.snapshot(), before);
}

#[test]
fn a_range_inside_a_shallow_clone_s_history_is_checked() {
    let origin = some_history();
    let clone = TestRepo::clone_of(&origin, &["--depth", "3"]);
    let (code, stdout, stderr) = outcome(&mut clone.chg(&["check", "--range", "HEAD~1..HEAD"]));
    assert_ne!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
}

// 9. Records that vanish from the register.

/// A change deployed and committed on main; returns the repository and its ID.
fn deployed() -> (TestRepo, String) {
    let (repo, id) = approved("");
    for args in [&["start", &id][..], &["deploy", &id, "--env", "production"]] {
        repo.chg_at(LATER, ADA.0, ADA.1, args).assert().success();
    }
    repo.commit_all_as(LATER, ADA, &format!("Deploy {id}"));
    (repo, id)
}

#[test]
fn a_deployed_record_removed_from_the_register_is_reported() {
    let (repo, id) = deployed();
    repo.git(&["rm", "-q", &repo.record_path(&id)]);
    repo.commit_all_as(LATER, ADA, "Tidy the register");
    caught(&repo, "R008", &id);
}

/// Attack 9 by renaming: the record moved from where it lies to `to(its path)`; both
/// R008 and R009 are expected.
fn record_moved_to(to: impl Fn(&str) -> String) {
    let (repo, id) = deployed();
    let from = repo.record_path(&id);
    let to = to(&from);
    if let Some(dir) = Path::new(&to).parent() {
        std::fs::create_dir_all(repo.path().join(dir)).unwrap();
    }
    repo.git(&["mv", &from, &to]);
    repo.commit_all_as(LATER, ADA, "Tidy the register");
    let findings = caught(&repo, "R008", &id);
    assert!(has(&findings, "R009"), "no R009:\n{}", listed(&findings));
}

#[test]
fn a_record_renamed_to_yml_is_removed_and_stray() {
    record_moved_to(|path| path.replace(".yaml", ".yml"));
}

#[test]
fn a_record_renamed_to_bak_is_removed_and_stray() {
    record_moved_to(|path| format!("{path}.bak"));
}

#[test]
fn a_record_moved_into_a_subdirectory_is_removed_and_stray() {
    record_moved_to(|path| path.replace(".changes/", ".changes/old/"));
}

#[test]
fn a_deployed_record_left_in_place_is_clean() {
    let (repo, _) = deployed();
    clean(&repo);
}

// 10. One ID handed out twice, offline, in two clones.

/// Merges clone `b`'s main into `a`; `ours` resolves an add/add conflict by taking
/// `a`'s side.
fn merge_clone(a: &TestRepo, b: &TestRepo, ours: Option<&str>) {
    let url = format!("file://{}", b.path().display());
    a.git_at(LATER, &["fetch", "-q", &url, "main"]);
    let merge = a.try_git_at(
        LATER,
        &["merge", "-q", "--no-ff", "--no-commit", "FETCH_HEAD"],
    );
    if let Some(path) = ours {
        assert!(!merge.status.success(), "the merge should conflict");
        a.git_at(LATER, &["checkout", "--ours", "--", path]);
        a.git_at(LATER, &["add", path]);
    } else {
        assert!(
            merge.status.success(),
            "{}",
            String::from_utf8_lossy(&merge.stderr)
        );
    }
    a.commit_all_as(LATER, ADA, "Merge the other clone");
}

#[test]
fn one_id_created_in_two_clones_is_a_duplicate_after_the_merge() {
    let (a, _) = proposed("");
    let b = TestRepo::clone_of(&a, &[]);
    let left = draft(&a, ADA, "Left");
    a.commit_all(&format!("Propose {left}"));
    let right = draft(&b, LEE, "Right");
    b.commit_all_as(NOW, LEE, &format!("Propose {right}"));
    assert_eq!(left, right, "offline, both clones pick the same ID");
    merge_clone(&a, &b, Some(&a.record_path(&left)));
    caught(&a, "R002", &left);
}

/// Caught before the merge: the range check of the branch that took an ID its base
/// already holds says so, and renumbering the record there (same `created_at` and
/// `author`, a free ID) ends clean on both sides of the merge.
#[test]
fn an_id_taken_twice_is_caught_by_the_range_check_and_renumbering_ends_clean() {
    let (a, _) = proposed("");
    let b = TestRepo::clone_of(&a, &[]);
    let left = draft(&a, ADA, "Left");
    a.commit_all("Propose the left change");
    let right = draft(&b, LEE, "Right");
    b.commit_all_as(NOW, LEE, "Propose the right change");
    assert_eq!(left, right, "offline, both clones pick the same ID");
    let url = format!("file://{}", a.path().display());
    b.git_at(LATER, &["fetch", "-q", &url, "main:refs/remotes/a/main"]);
    let (exit, findings) = check(&b, &["--range", "a/main..HEAD"]);
    assert_eq!(exit, 1, "{}", listed(&findings));
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "R002" && f.message.contains("give this one a new ID")),
        "{}",
        listed(&findings)
    );
    let free = "CHG-2026-0003";
    let (from, to) = (
        b.record_path(&right),
        b.record_path(&right).replace(&right, free),
    );
    let text = replaced(
        &b.read(&from),
        &format!("id: {right}"),
        &format!("id: {free}"),
    );
    b.git(&["mv", &from, &to]);
    b.write(&to, &text);
    b.commit_all_as(
        LATER,
        LEE,
        "Renumber the right change: the left one took its ID",
    );
    let (exit, findings) = check(&b, &["--range", "a/main..HEAD"]);
    assert!(exit == 0 && findings.is_empty(), "{}", listed(&findings));
    merge_clone(&a, &b, None);
    clean(&a);
}

/// A change's proposal cherry-picked onto a release branch, which is later merged
/// back: the same record created twice is one creation copied.
#[test]
fn a_proposal_cherry_picked_onto_a_release_branch_is_one_creation() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_as(NOW, ADA, "Adopt chg");
    repo.git(&["branch", "release"]);
    let id = draft(&repo, ADA, "Backport the fix");
    act(&repo, ADA, &["submit", &id]);
    repo.commit_all_as(NOW, ADA, &format!("Propose {id}"));
    let proposal = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&["checkout", "-q", "release"]);
    repo.git_at(LATER, &["cherry-pick", "-x", &proposal]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git_at(
        LATER,
        &["merge", "-q", "--no-ff", "release", "-m", "Merge release"],
    );
    spared(&repo, "R002", &[]);
}

/// A proposal cherry-picked onto the main branch and edited there: the branch it
/// came from still creates the same change, not a second one under its ID.
#[test]
fn a_proposal_already_picked_onto_the_base_is_no_second_change_in_the_range_check() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_as(NOW, ADA, "Adopt chg");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let id = draft(&repo, ADA, "The fix");
    repo.commit_all_as(NOW, ADA, "Propose the fix");
    let proposal = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&["checkout", "-q", "main"]);
    repo.git_at(LATER, &["cherry-pick", &proposal]);
    let path = repo.record_path(&id);
    repo.write(
        &path,
        &replaced(&repo.read(&path), "description: d", "description: more"),
    );
    repo.commit_all_as(LATER, ADA, "Say more about the fix");
    repo.git(&["checkout", "-q", "feature"]);
    spared(&repo, "R002", &["--range", "main..feature"]);
}

#[test]
fn ids_created_one_after_another_in_two_clones_merge_clean() {
    let (a, _) = proposed("");
    let left = draft(&a, ADA, "Left");
    a.commit_all(&format!("Propose {left}"));
    let b = TestRepo::clone_of(&a, &[]);
    let right = draft(&b, LEE, "Right");
    assert_ne!(left, right);
    b.commit_all_as(NOW, LEE, &format!("Propose {right}"));
    merge_clone(&a, &b, None);
    clean(&a);
}
