//! `chg audit` over the scripted year (see `year.rs` for the timeline the expected
//! values are worked out from).

use crate::common::{outcome, refused, stdout_of, TestRepo};
use crate::year::{self, Year};
use serde::Deserialize;

fn year() -> &'static Year {
    year::shared()
}

fn audit(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    let mut cmd = repo.chg(&all);
    cmd.env("CHG_NOW", year::NOW);
    stdout_of(&mut cmd)
}

#[derive(Debug, Deserialize)]
struct Report {
    schema: u32,
    changes: Vec<Entry>,
    unmanaged: Vec<Unmanaged>,
    unreadable: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    id: String,
    class: String,
    risk: Option<String>,
    status: String,
    author: String,
    approval: String,
    approvals: Vec<Approval>,
    implemented_at: Option<String>,
    commits: Vec<String>,
    deployments: Vec<Deployment>,
    rollback: Rollback,
    review: Option<Review>,
    findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
struct Approval {
    role: String,
    by: String,
    commit: Option<String>,
    commit_author: Proof,
    roster: Proof,
    digest: Proof,
}

#[derive(Debug, Deserialize)]
struct Proof {
    verdict: String,
    how: String,
}

#[derive(Debug, Deserialize)]
struct Deployment {
    environment: String,
    at: String,
    outcome: String,
}

#[derive(Debug, Deserialize)]
struct Rollback {
    plan: bool,
    tested: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Review {
    at: String,
    late: bool,
}

#[derive(Debug, Deserialize)]
struct Unmanaged {
    commit: String,
    committed: Option<String>,
    author: String,
    subject: String,
}

#[derive(Debug, Deserialize)]
struct Finding {
    rule: String,
    message: String,
}

fn json(args: &[&str]) -> Report {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&audit(&year().repo, &all)).expect("the audit JSON reads back")
}

fn entry<'a>(report: &'a Report, id: &str) -> &'a Entry {
    report
        .changes
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the audit"))
}

fn rules(e: &Entry) -> Vec<&str> {
    e.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn the_year_s_audit_has_a_row_per_change_with_how_each_approval_is_proven() {
    let y = year();
    let r = json(&["--since", "2026-01-01", "--until", "2026-12-31"]);
    assert_eq!(r.schema, 1);
    let ids: Vec<&str> = r.changes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "CHG-2026-0001",
            "CHG-2026-0002",
            "CHG-2026-0003",
            "CHG-2026-0004",
            "CHG-2026-0005",
            "CHG-2026-0006",
            "CHG-2026-0007"
        ]
    );

    // 0001: Lee's approval was committed by Lee, who held the role; content unchanged.
    let c1 = entry(&r, "CHG-2026-0001");
    assert_eq!(
        (c1.class.as_str(), c1.risk.as_deref()),
        ("normal", Some("low"))
    );
    assert_eq!(c1.status, "closed");
    assert_eq!(c1.author, "Ada Lovelace <ada@example.com>");
    assert_eq!(c1.approval, "complete");
    let a = &c1.approvals[0];
    assert_eq!(
        (a.role.as_str(), a.by.as_str()),
        ("approver", "lee@example.com")
    );
    assert!(a.commit.is_some());
    for proof in [&a.commit_author, &a.roster, &a.digest] {
        assert_eq!(proof.verdict, "proven", "{proof:?}");
    }
    // Implemented when the work commit reached main; the approval commit is no work.
    assert_eq!(c1.implemented_at.as_deref(), Some("2026-01-07T11:00:00Z"));
    assert_eq!(c1.commits, [y.commits["c1-work"].clone()]);
    assert_eq!(c1.deployments.len(), 1);
    assert_eq!(
        (
            c1.deployments[0].environment.as_str(),
            c1.deployments[0].at.as_str(),
            c1.deployments[0].outcome.as_str()
        ),
        ("production", "2026-01-08T10:00:00Z", "success")
    );
    assert!(c1.rollback.plan);
    assert_eq!(c1.rollback.tested, None);
    assert!(c1.findings.is_empty(), "{:?}", c1.findings);

    // 0002: work on a branch is implemented when its merge reached main; two
    // approvals, the review came late, the approval breached the SLA.
    let c2 = entry(&r, "CHG-2026-0002");
    assert_eq!(c2.implemented_at.as_deref(), Some("2026-02-09T15:00:00Z"));
    assert_eq!(c2.commits, [y.commits["c2-work"].clone()]);
    let roles: Vec<&str> = c2.approvals.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, ["approver", "cab"]);
    assert!(c2
        .approvals
        .iter()
        .all(|a| a.commit_author.verdict == "proven"));
    let review = c2.review.as_ref().expect("a review");
    assert_eq!(
        (review.at.as_str(), review.late),
        ("2026-02-20T10:00:00Z", true)
    );
    assert_eq!(rules(c2), ["L003", "P006"]);

    // 0003: pre-approved, no approvals to prove.
    let c3 = entry(&r, "CHG-2026-0003");
    assert_eq!(c3.approval, "pre-approved");
    assert!(c3.approvals.is_empty());
    assert_eq!(c3.implemented_at.as_deref(), Some("2026-03-03T09:00:00Z"));

    // 0004: emergency, a failed deployment then a good one, review on time.
    let c4 = entry(&r, "CHG-2026-0004");
    assert_eq!(
        (c4.class.as_str(), c4.risk.as_deref()),
        ("emergency", Some("high"))
    );
    let outcomes: Vec<&str> = c4.deployments.iter().map(|d| d.outcome.as_str()).collect();
    assert_eq!(outcomes, ["failed", "success"]);
    assert!(!c4.review.as_ref().expect("a review").late);
    assert!(c4.findings.is_empty(), "{:?}", c4.findings);

    // 0005: Ada committed Lee's approval: the commit author does not match.
    let c5 = entry(&r, "CHG-2026-0005");
    let a = &c5.approvals[0];
    assert_eq!(a.commit_author.verdict, "failed");
    assert!(
        a.commit_author.how.contains("authored by ada@example.com"),
        "{}",
        a.commit_author.how
    );
    assert_eq!(a.roster.verdict, "proven");
    assert_eq!(a.digest.verdict, "proven");
    assert_eq!(c5.status, "closed");
    // The move the approval made is Lee's on record, and not proven his either.
    assert_eq!(rules(c5), ["P004", "P009"]);
    assert!(
        c5.findings[1].message.starts_with(
            "the move submitted → approved at 2026-05-05T09:00:00Z by lee@example.com"
        ) && c5.findings[1]
            .message
            .ends_with("authored by ada@example.com"),
        "{:?}",
        c5.findings
    );

    // 0006: still waiting for its approver, past the SLA.
    let c6 = entry(&r, "CHG-2026-0006");
    assert_eq!(c6.approval, "missing: approver");
    assert_eq!(c6.implemented_at, None);
    assert_eq!(rules(c6), ["P006"]);

    // 0007: deployed, its review overdue.
    assert_eq!(rules(entry(&r, "CHG-2026-0007")), ["L003"]);

    // The commit naming no change is listed, with its author and time.
    assert_eq!(r.unmanaged.len(), 1);
    let u = &r.unmanaged[0];
    assert_eq!(u.commit, y.commits["unmanaged"]);
    assert_eq!(
        (
            u.committed.as_deref(),
            u.author.as_str(),
            u.subject.as_str()
        ),
        (
            Some("2026-06-10T12:00:00Z"),
            "ada@example.com",
            "Tweak the README"
        )
    );
    assert!(r.unreadable.is_empty());
}

#[test]
fn a_window_holds_the_changes_active_in_it_and_its_unmanaged_commits() {
    let r = json(&["--since", "2026-04-01", "--until", "2026-06-30"]);
    let ids: Vec<&str> = r.changes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["CHG-2026-0004", "CHG-2026-0005"]);
    assert_eq!(r.unmanaged.len(), 1);

    let r = json(&["--since", "2026-07-01", "--until", "2026-09-30"]);
    let ids: Vec<&str> = r.changes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["CHG-2026-0006"]);
    assert!(r.unmanaged.is_empty());
}

#[test]
fn a_window_with_no_changes_is_an_empty_report_not_an_error() {
    let repo = &year().repo;
    let r = json(&["--since", "2025-01-01", "--until", "2025-12-31"]);
    assert!(r.changes.is_empty() && r.unmanaged.is_empty());
    let table = audit(repo, &["--since", "2025-01-01", "--until", "2025-12-31"]);
    assert!(table.contains("no changes in the window"), "{table}");
}

#[test]
fn the_csv_has_one_row_per_change_then_the_unmanaged_commits() {
    let text = audit(&year().repo, &["--format", "csv", "--until", "2026-12-31"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8, "{text}");
    let kinds: Vec<&str> = rows.iter().map(|r| &r[column("kind")]).collect();
    assert_eq!(kinds[..7], ["change"; 7]);
    assert_eq!(kinds[7], "unmanaged-commit");
    let c2 = &rows[1];
    assert_eq!(&c2[column("id")], "CHG-2026-0002");
    assert_eq!(&c2[column("title")], "Move assets to the new cluster");
    // Lists are joined in one cell: two approvals, each with how it is proven.
    let approvals = &c2[column("approvals")];
    assert_eq!(approvals.split("; commit author").count(), 1, "{approvals}");
    assert!(
        approvals.starts_with("approver by lee@example.com"),
        "{approvals}"
    );
    assert!(approvals.contains("cab by cam@example.com"), "{approvals}");
    assert!(approvals.contains("commit author proven"), "{approvals}");
    assert_eq!(&c2[column("implemented_at")], "2026-02-09T15:00:00Z");
    assert_eq!(&rows[7][column("title")], "Tweak the README");
}

#[test]
fn the_markdown_report_reads_as_a_report() {
    let text = audit(&year().repo, &["--format", "markdown"]);
    assert!(text.starts_with("# Change audit\n"), "{text}");
    assert!(
        text.contains("## CHG-2026-0005 — Cache asset lookups"),
        "{text}"
    );
    assert!(
        text.contains("| Commit author | Roster | Digest |"),
        "{text}"
    );
    assert!(text.contains("✗ added in"), "{text}");
    assert!(text.contains("## Unmanaged commits"), "{text}");
    assert!(text.contains("Tweak the README"), "{text}");
}

#[test]
fn a_record_that_cannot_be_read_is_reported_not_dropped() {
    let repo = TestRepo::initialised();
    repo.write(".changes/CHG-2026-0009.yaml", "id: [unclosed\n");
    let out = stdout_of(
        repo.chg(&["audit", "--format", "json"])
            .env("CHG_NOW", year::NOW),
    );
    let r: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(r.unreadable.len(), 1);
    assert_eq!(r.unreadable[0].rule, "R001");
    assert!(!r.unreadable[0].message.is_empty());
    let table = stdout_of(&mut repo.chg(&["audit"]));
    assert!(
        table.contains("unreadable: .changes/CHG-2026-0009.yaml"),
        "{table}"
    );
}

#[test]
fn bad_windows_are_refused_and_change_nothing() {
    let repo = TestRepo::initialised();
    refused(
        &repo,
        repo.chg(&["audit", "--since", "2026-07-01", "--until", "2026-06-30"]),
        2,
        "--since 2026-07-01 is not before --until 2026-06-30",
    );
    refused(
        &repo,
        repo.chg(&["audit", "--since", "last tuesday"]),
        2,
        "--since: `last tuesday` is not a time",
    );
    refused(
        &repo,
        repo.chg(&["audit", "--format", "pdf"]),
        2,
        "invalid value 'pdf'",
    );
}

#[test]
fn the_table_marks_each_approval_proof() {
    let (code, out, _) = outcome(
        year()
            .repo
            .chg(&["audit", "--since", "2026-05-01", "--until", "2026-05-31"])
            .env("CHG_NOW", year::NOW),
    );
    assert_eq!(code, 0);
    // Lee's approval of 0005: commit author failed, roster and digest proven.
    assert!(out.contains("approver: lee@example.com ✗✓✓"), "{out}");
    assert!(out.contains("1 change(s), 0 unmanaged commit(s)"), "{out}");
}

#[test]
fn a_shallow_clone_leaves_approvals_beyond_its_boundary_unproven_not_forged() {
    let (upstream, id) = TestRepo::awaiting_lee(
        "[approvals]\nverify = \"commit-author\"\n[commits]\nreference = \"required\"\nexempt = [\".changes/**\", \".changes.toml\"]\n",
    );
    upstream
        .chg_as(
            "Lee Approver",
            "lee@example.com",
            &["approve", &id, "--commit"],
        )
        .assert()
        .success();
    upstream.write("src/a.sql", "x\n");
    upstream.commit_all(&format!("{id}: add the column"));

    let clone = TestRepo::bare_dir();
    let url = format!("file://{}", upstream.path().display());
    clone.git(&["clone", "-q", "--depth", "1", &url, "."]);
    // The boundary commit, by Ada, holds Lee's approval in its tree: it did not add
    // it. The check refuses to pass on a cut history; the audit reports what it can.
    let (code, stdout, stderr) = outcome(&mut clone.chg(&["check"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    let out = stdout_of(&mut clone.chg(&["audit", "--format", "json"]));
    let r: Report = serde_json::from_str(&out).unwrap();
    let a = &r.changes[0].approvals[0];
    assert_eq!(a.commit_author.verdict, "unproven", "{a:?}");
    assert!(a.commit_author.how.contains("shallow clone"), "{a:?}");
    assert!(r.unmanaged.is_empty());
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_as_formulas_stay_text() {
    let repo = TestRepo::initialised();
    repo.create(&[
        "--title",
        "=HYPERLINK(\"http://x\",\"click\")",
        "--class",
        "standard",
    ]);
    let text = stdout_of(&mut repo.chg(&["audit", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[2], "'=HYPERLINK(\"http://x\",\"click\")");
}
