//! How commit messages name changes: `Change:` and `Co-authored-by:` are read from
//! the trailer block only, as git reads trailers, so a subject, prose or a code sample
//! that starts a line with `change:` names nothing.

use crate::common::{findings_at, Finding, TestRepo, NOW};
use crate::hooks::{commit_passes, commit_refused, hooked_repo};
use crate::lifecycle::LEE;

/// A repository whose policy asks `reference`, with `chg init` committed.
fn repo_asking(reference: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        &format!("[commits]\nreference = \"{reference}\"\nexempt = [\".changes.toml\"]\n"),
    );
    repo.commit_all("Adopt chg");
    repo
}

/// Commits a new file `src/<name>` with `message`.
fn work(repo: &TestRepo, name: &str, message: &str) {
    repo.write(&format!("src/{name}"), "// work\n");
    repo.commit_all(message);
}

fn of_rule<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn change_at_the_start_of_a_subject_or_of_a_prose_line_names_nothing() {
    let repo = repo_asking("optional");
    work(&repo, "a.rs", "Change: bump the default timeout");
    work(
        &repo,
        "b.rs",
        "Keep the cache readable\n\nThe old reader would\nchange: the format of the cache files without a\nversion bump.\n\nFor example:\n\n    Change: banana\n",
    );
    let (code, findings) = findings_at(&repo, NOW);
    assert!(of_rule(&findings, "H001").is_empty(), "{findings:?}");
    assert_eq!(code, 0, "{findings:?}");
}

#[test]
fn a_change_trailer_holding_words_is_one_finding_with_its_whole_value() {
    let repo = repo_asking("optional");
    work(&repo, "a.rs", "Fix the cache\n\nChange: CHG-26-1 banana");
    let (code, findings) = findings_at(&repo, NOW);
    let h001 = of_rule(&findings, "H001");
    assert_eq!(h001.len(), 1, "{findings:?}");
    assert!(
        h001[0]
            .message
            .ends_with("has `Change: CHG-26-1 banana`, which is not a change ID"),
        "{}",
        h001[0].message
    );
    assert_eq!(code, 1);
}

#[test]
fn a_change_trailer_in_the_trailer_block_references_and_one_in_prose_does_not() {
    // The pattern asks for brackets: a bare ID names a change only in a trailer.
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[commits]\nreference = \"required\"\npattern = '\\[CHG-\\d{4}-\\d{4}\\]'\nexempt = [\".changes.toml\", \".changes/**\"]\n",
    );
    repo.commit_all("Adopt chg");
    let id = repo.new_change("Add the column");
    repo.commit_all("Propose the column");
    work(
        &repo,
        "a.rs",
        &format!("Add the column\n\nIt holds the owner.\n\nChange: {id}\nSigned-off-by: Ada Lovelace <ada@example.com>"),
    );
    let (_, findings) = findings_at(&repo, NOW);
    assert!(of_rule(&findings, "H002").is_empty(), "{findings:?}");
    work(
        &repo,
        "b.rs",
        &format!("Fill the column\n\nChange: {id}\nwill follow, once it is approved.\n"),
    );
    let (code, findings) = findings_at(&repo, NOW);
    let h002 = of_rule(&findings, "H002");
    assert_eq!(h002.len(), 1, "{findings:?}");
    assert!(h002[0].message.contains("Fill the column"), "{h002:?}");
    assert_eq!(code, 1);
}

#[test]
fn the_commit_msg_hook_takes_a_subject_starting_change_for_a_subject() {
    let repo = hooked_repo();
    repo.write("docs/notes.md", "notes\n");
    repo.git(&["add", "docs/notes.md"]);
    // The same words in the trailer block are a trailer that names no change.
    let said = commit_refused(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Tune\n\nChange: bump the default timeout",
        ],
        "H001 unknown-change-reference",
    );
    assert_eq!(said.matches("H001").count(), 1, "{said}");
    assert!(
        said.contains(
            "the message has `Change: bump the default timeout`, which is not a change ID"
        ),
        "{said}"
    );
    commit_passes(
        &repo,
        &["commit", "-q", "-m", "Change: bump the default timeout"],
    );
}

#[test]
fn co_authored_by_in_prose_makes_no_co_author() {
    let (repo, id) = TestRepo::awaiting_lee("");
    work(
        &repo,
        "a.rs",
        &format!("Add the column\n\nLee helped; we would write\nCo-authored-by: Lee Lead <lee@example.com>\nbut he only reviewed.\n\nChange: {id}"),
    );
    repo.chg_as(LEE.0, LEE.1, &["approve", &id, "--commit"])
        .assert()
        .success();
    let (_, findings) = findings_at(&repo, NOW);
    assert!(of_rule(&findings, "P003").is_empty(), "{findings:?}");
    // In the trailer block, the same line makes Lee a co-author of the work.
    work(
        &repo,
        "b.rs",
        &format!("Fill the column\n\nChange: {id}\nCo-authored-by: Lee Lead <lee@example.com>"),
    );
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(of_rule(&findings, "P003").len(), 1, "{findings:?}");
    assert_eq!(code, 1);
}

#[test]
fn the_commit_msg_hook_reads_the_message_in_the_commit_encoding() {
    let repo = hooked_repo();
    repo.git(&["config", "i18n.commitEncoding", "ISO-8859-1"]);
    repo.write("src/a.rs", "// work\n");
    repo.git(&["add", "src/a.rs"]);
    let file = repo.path().join(".git").join("MESSAGE");
    std::fs::write(&file, b"R\xe9sum\xe9 du jour\n").unwrap();
    let said = commit_refused(
        &repo,
        &["commit", "-q", "-F", file.to_str().unwrap()],
        "H002 missing-change-reference",
    );
    assert!(
        said.contains("the message \"Résumé du jour\" names no change"),
        "{said}"
    );
}

#[test]
fn a_commit_whose_only_trailer_is_malformed_is_unmanaged_with_its_date_author_and_subject() {
    let repo = repo_asking("required");
    work(&repo, "a.rs", "Fix the cache\n\nChange: banana");
    let (_, findings) = findings_at(&repo, NOW);
    let h002 = of_rule(&findings, "H002");
    assert_eq!(h002.len(), 1, "{findings:?}");
    assert!(
        h002[0].message.contains("\"Fix the cache\""),
        "{}",
        h002[0].message
    );
    let audit = crate::common::stdout_of(&mut repo.chg(&["audit", "--format", "json"]));
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let unmanaged = &audit["unmanaged"][0];
    assert_eq!(unmanaged["subject"], "Fix the cache", "{audit}");
    assert_eq!(unmanaged["author"], "ada@example.com", "{audit}");
    assert!(unmanaged["committed"].is_string(), "{audit}");
}

#[test]
fn a_record_that_cannot_be_read_is_one_r001_not_an_h001_for_each_commit_naming_it() {
    let repo = repo_asking("optional");
    let id = repo.new_change("Add the column");
    repo.commit_all(&format!("Propose {id}"));
    work(&repo, "a.rs", &format!("Add the column\n\nChange: {id}"));
    work(&repo, "b.rs", &format!("Fill the column\n\nChange: {id}"));
    repo.write(&format!(".changes/{id}.yaml"), "title: [unclosed\n");
    let (_, findings) = findings_at(&repo, NOW);
    assert!(of_rule(&findings, "H001").is_empty(), "{findings:?}");
    assert_eq!(of_rule(&findings, "R001").len(), 1, "{findings:?}");
}
