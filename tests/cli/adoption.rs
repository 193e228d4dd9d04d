//! Adopting chg in a repository with history: each commit is held to the policy its
//! parent had, so adopting through a pull request, or tightening the policy later,
//! leaves the verdict on older commits as it was — and starting a branch from old
//! history is no way around the policy.

use crate::common::{findings_at, outcome, replaced, Finding, TestRepo, NOW};

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");

/// The default policy, with every commit asked to name a change.
fn requiring(repo: &TestRepo) {
    repo.chg(&["init"]).assert().success();
    tighten(repo);
}

/// The policy in the working tree, with every commit asked to name a change.
fn tighten(repo: &TestRepo) {
    let policy = repo.read(".changes.toml");
    let strict = replaced(
        &policy,
        "reference = \"optional\"",
        "reference = \"required\"",
    );
    repo.write(".changes.toml", &strict);
}

/// A repository with one commit of work and no policy.
fn old_repository() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/app.rs", "fn main() {}\n");
    repo.commit_all_as("2026-11-02T09:00:00Z", ADA, "Import the app");
    repo
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// Unreviewed work committed on a new branch `old` begun at `base` (left checked
/// out), naming no change; returns its commit.
fn unreviewed_on_old(repo: &TestRepo, base: &str) -> String {
    repo.git(&["checkout", "-q", "-b", "old", base]);
    repo.write("src/backdoor.rs", "// unreviewed\n");
    repo.commit_all_as("2026-11-03T10:00:00Z", ADA, "Quietly add a module");
    head(repo)
}

/// The findings of rule `code`, by the commits they name.
fn commits_of(findings: &[Finding], code: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.rule == code)
        .filter_map(|f| f.commit.clone())
        .collect()
}

#[test]
fn adopting_through_a_pull_request_while_main_moves_on_leaves_main_clean() {
    let repo = old_repository();
    // The adoption pull request, as the README shows it, stays open for days...
    repo.git(&["checkout", "-q", "-b", "adopt"]);
    repo.chg(&["init", "--preset", "pull-request"])
        .assert()
        .success();
    assert!(repo
        .read(".changes.toml")
        .contains("\nreference = \"required\""));
    let id = repo.complete_change("Adopt change management", "standard");
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all_as(
        "2026-11-02T10:00:00Z",
        ADA,
        &format!("Adopt change management\n\nChange: {id}"),
    );
    repo.chg(&["check", "--range", "main..adopt"])
        .assert()
        .success();
    repo.git(&["checkout", "-q", "main"]);
    // ...while main moves on, none of it naming a change.
    repo.work_on_branch("parser", "2026-11-03T10:00:00Z", "Fix the parser");
    repo.merge_at("2026-11-04T10:00:00Z", "parser", "Merge the parser fix");
    repo.write("src/cache.rs", "// tuned\n");
    repo.commit_all_as("2026-11-05T10:00:00Z", ADA, "Tune the cache");
    // Git cannot tell which side of a merge was the main one: the merge that joins the
    // history without the policy to the one with it answers for the former, so it
    // names the adoption's change.
    let merged = |message: &str| {
        repo.merge_at("2026-11-06T10:00:00Z", "adopt", message);
        let findings = findings_at(&repo, NOW);
        repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
        findings
    };
    let (_, findings) = merged("Merge the adoption of chg");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0]
        .message
        .contains("\"Merge the adoption of chg\" names no change"));
    let (code, findings) = merged(&format!("Merge the adoption of chg\n\nChange: {id}"));
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    repo.merge_at(
        "2026-11-06T10:00:00Z",
        "adopt",
        &format!("Merge the adoption of chg\n\nChange: {id}"),
    );
    repo.chg(&["audit", "--format", "json"]).assert().success();

    // From the merge on, the policy holds.
    repo.write("src/cache.rs", "// tuned again\n");
    repo.commit_all_as("2026-11-07T10:00:00Z", ADA, "Tune the cache again");
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    assert_eq!(commits_of(&findings, "H002"), [head(&repo)], "{findings:?}");
    assert_eq!(findings.len(), 1, "{findings:?}");
}

#[test]
fn a_branch_begun_before_adoption_answers_for_its_work_in_the_merge() {
    let repo = old_repository();
    let before = head(&repo);
    requiring(&repo);
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    // Work made on a branch from before the policy existed: no policy judges it...
    let work = unreviewed_on_old(&repo, &before);
    repo.git(&["checkout", "-q", "main"]);
    repo.merge_at("2026-11-03T11:00:00Z", "old", "Merge branch old");

    // ...so the merge that lands it answers for it.
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    assert_eq!(commits_of(&findings, "H002"), [head(&repo)], "{findings:?}");
    assert!(
        !findings.iter().any(|f| f.commit.as_deref() == Some(&work)),
        "the branch's own commit is not judged: {findings:?}"
    );
}

#[test]
fn a_merge_that_lands_old_work_under_an_unapproved_change_is_work_landed_early() {
    let repo = old_repository();
    let before = head(&repo);
    requiring(&repo);
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    let id = propose(&repo, "normal");
    repo.git(&["checkout", "-q", "-b", "old", &before]);
    repo.write("src/module.rs", "// the module\n");
    repo.commit_all_as("2026-11-03T10:00:00Z", ADA, "Add the module");
    repo.git(&["checkout", "-q", "main"]);
    repo.merge_at(
        "2026-11-03T11:00:00Z",
        "old",
        &format!("Merge branch old for {id}"),
    );

    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    assert_eq!(commits_of(&findings, "H004"), [head(&repo)], "{findings:?}");
    assert!(commits_of(&findings, "H002").is_empty(), "{findings:?}");
}

#[test]
fn requiring_references_later_leaves_older_commits_alone_and_keeps_what_was_read() {
    let repo = old_repository();
    repo.chg(&["init"]).assert().success();
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    for n in 1..=3 {
        repo.write("src/app.rs", &format!("// version {n}\n"));
        repo.commit_all_as("2026-11-03T10:00:00Z", ADA, &format!("Edit {n}"));
    }
    let read = |repo: &TestRepo| {
        let (code, _, stderr) = outcome(&mut repo.chg(&["check", "-v"]));
        let line = stderr
            .lines()
            .find(|l| l.contains("commits in scope"))
            .unwrap_or_else(|| panic!("no history line in: {stderr}"))
            .to_string();
        (code, line)
    };
    let (code, line) = read(&repo);
    assert_eq!(code, 0, "{line}");
    assert!(
        line.contains("5 commits in scope, 5 of them read"),
        "{line}"
    );

    // Tightening the policy judges the commits after it, not the ones before.
    tighten(&repo);
    repo.commit_all_as("2026-11-04T10:00:00Z", ADA, "Require change references");
    let (_, line) = read(&repo);
    assert!(
        line.contains("6 commits in scope, 1 of them read"),
        "{line}"
    );
    let (_, findings) = findings_at(&repo, NOW);
    assert!(commits_of(&findings, "H002").is_empty(), "{findings:?}");

    repo.write("src/app.rs", "// version 4\n");
    repo.commit_all_as("2026-11-05T10:00:00Z", ADA, "Edit 4");
    let (_, findings) = findings_at(&repo, NOW);
    assert_eq!(commits_of(&findings, "H002"), [head(&repo)], "{findings:?}");
}

/// A repository under the default policy with `src/auth/**` protected from the start
/// or not, and a standard change to name.
fn adopted_with(protect: bool) -> (TestRepo, String) {
    let repo = old_repository();
    repo.chg(&["init"]).assert().success();
    if protect {
        protect_auth(&repo);
    }
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    let id = propose(&repo, "standard");
    (repo, id)
}

/// A draft change of `class`, committed by Ada in a commit that names it.
fn propose(repo: &TestRepo, class: &str) -> String {
    let id = repo.complete_change("Tidy the code", class);
    repo.commit_all_as("2026-11-02T11:00:00Z", ADA, &format!("Propose {id}"));
    id
}

fn protect_auth(repo: &TestRepo) {
    let policy = repo.read(".changes.toml");
    let protected = "[commits.protected.\"src/auth/**\"]\nmin_class = \"normal\"\n";
    repo.write(".changes.toml", &format!("{policy}\n{protected}"));
}

/// Work on `branch`, begun at `base`: a file under `src/auth/`, naming `id`.
fn auth_work_on(repo: &TestRepo, branch: &str, base: &str, id: &str) -> String {
    repo.git(&["checkout", "-q", "-b", branch, base]);
    repo.write(&format!("src/auth/{branch}.rs"), "// login\n");
    repo.commit_all_as(
        "2026-11-03T10:00:00Z",
        ADA,
        &format!("Touch login\n\nChange: {id}"),
    );
    let work = head(repo);
    repo.git(&["checkout", "-q", "main"]);
    work
}

#[test]
fn a_branch_begun_before_a_rule_was_tightened_meets_it_where_it_lands() {
    let (repo, id) = adopted_with(false);
    let before = head(&repo);
    protect_auth(&repo);
    repo.commit_all_as("2026-11-02T12:00:00Z", ADA, "Protect the login code");
    // Begun before the protection, the branch's own commit is held to the policy of
    // its day; the merge that lands it after the protection answers for it.
    let work = auth_work_on(&repo, "login", &before, &id);
    repo.merge_at("2026-11-03T11:00:00Z", "login", "Merge branch login");
    let (_, findings) = findings_at(&repo, NOW);
    assert_eq!(commits_of(&findings, "H003"), [head(&repo)], "{findings:?}");
    assert!(!commits_of(&findings, "H003").contains(&work));
}

#[test]
fn a_branch_begun_under_the_same_rules_lands_without_its_merge_answering() {
    let (repo, id) = adopted_with(true);
    let base = head(&repo);
    // A roster or a comment changes nothing a commit is judged by.
    let policy = repo.read(".changes.toml");
    repo.write(
        ".changes.toml",
        &format!("# Reviewed in November\n{policy}"),
    );
    repo.commit_all_as("2026-11-02T12:00:00Z", ADA, "Comment the policy");
    let work = auth_work_on(&repo, "login", &base, &id);
    repo.merge_at("2026-11-03T11:00:00Z", "login", "Merge branch login");
    let (_, findings) = findings_at(&repo, NOW);
    // The work itself is judged (a standard change may not touch protected code);
    // the merge is not.
    assert_eq!(commits_of(&findings, "H003"), [work], "{findings:?}");
}

#[test]
fn main_merged_into_a_branch_begun_before_adoption_and_fast_forwarded_answers_for_it() {
    let repo = old_repository();
    let before = head(&repo);
    requiring(&repo);
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    // The branch takes main in, so its own commit is the merge's first parent, and
    // main is fast-forwarded onto the merge.
    unreviewed_on_old(&repo, &before);
    repo.merge_at("2026-11-03T11:00:00Z", "main", "Merge main");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "old"]);
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    assert_eq!(commits_of(&findings, "H002"), [head(&repo)], "{findings:?}");
    let h002 = findings.iter().find(|f| f.rule == "H002").unwrap();
    assert!(
        h002.message.contains("\"Merge main\" names no change"),
        "{h002:?}"
    );
}

#[test]
fn a_merge_that_drops_the_policy_with_an_unrelated_history_changes_the_policy() {
    let repo = old_repository();
    requiring(&repo);
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    repo.git(&["checkout", "-q", "--orphan", "bare"]);
    repo.git(&["rm", "-rq", "--cached", "."]);
    std::fs::remove_dir_all(repo.path().join(".changes")).unwrap();
    std::fs::remove_file(repo.path().join(".changes.toml")).unwrap();
    std::fs::remove_dir_all(repo.path().join("src")).unwrap();
    repo.write("other.txt", "o\n");
    repo.commit_all_as("2026-11-03T10:00:00Z", ADA, "Another history");
    repo.git(&["checkout", "-q", "main"]);
    let merge = [
        "merge",
        "-q",
        "--allow-unrelated-histories",
        "--no-commit",
        "bare",
    ];
    repo.git_at("2026-11-03T11:00:00Z", &merge);
    repo.git(&["rm", "-q", ".changes.toml"]);
    repo.commit_staged_as("2026-11-03T11:00:00Z", ADA, "Merge another history");
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    assert_eq!(commits_of(&findings, "H008"), [head(&repo)], "{findings:?}");
}

#[test]
fn commits_under_a_policy_that_does_not_parse_are_judged_by_todays_every_time() {
    let repo = old_repository();
    repo.chg(&["init"]).assert().success();
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Adopt chg");
    let good = repo.read(".changes.toml");
    repo.write(".changes.toml", &format!("{good}\nbogus_top_level = 1\n"));
    repo.commit_all_as("2026-11-02T11:00:00Z", ADA, "Break the policy");
    repo.write("src/w.rs", "// w\n");
    repo.commit_all_as("2026-11-02T12:00:00Z", ADA, "Work under a broken policy");
    let work = head(&repo);
    repo.write(".changes.toml", &good);
    repo.commit_all_as("2026-11-02T13:00:00Z", ADA, "Mend the policy");
    // A check fills the cache while today's policy asks nothing of references...
    findings_at(&repo, NOW);
    // ...then today's asks for them: the cached check agrees with a fresh one.
    tighten(&repo);
    repo.commit_all_as("2026-11-02T14:00:00Z", ADA, "Require change references");
    let (_, cached) = findings_at(&repo, NOW);
    let (_, fresh) = crate::common::findings_with(&repo, NOW, &["--no-cache"]);
    assert!(commits_of(&cached, "H002").contains(&work), "{cached:?}");
    assert_eq!(commits_of(&cached, "H002"), commits_of(&fresh, "H002"));
}
