//! A year of change management, scripted with pinned dates and four people, that the
//! audit and metrics tests read. Every figure they assert is worked out by hand from
//! the timeline below (all times UTC, the policy's zone).
//!
//! | change | class, risk | what happens |
//! |---|---|---|
//! | 0001 | normal, low | submitted Mon 5 Jan 10:00, approved by Lee (own commit) Tue 10:00, work Wed 7 Jan 11:00, deployed Thu 8 Jan 10:00, closed |
//! | 0002 | major, medium | submitted Mon 2 Feb 09:00, Lee Tue, Cam Thu 5 Feb 09:00 (3 bd: past the 2 bd SLA), work on a branch Fri 6 Feb merged Mon 9 Feb 15:00, deployed Tue 10 Feb 10:00, review Fri 20 Feb (due 15 Feb: late) |
//! | 0003 | standard | submitted Mon 2 Mar 09:00 (pre-approved), work Tue 3 Mar, deployed Wed 4 Mar 09:00 |
//! | 0004 | emergency, high | submitted and started Mon 6 Apr 02:00/02:10, work 02:30, deploy 03:00 failed, 03:30 succeeded, approved 12:00, review Tue 7 Apr |
//! | 0005 | normal, medium | submitted Mon 4 May 09:00, Lee's approval committed by Ada Tue 09:30, work Wed 6 May, deployed Thu 7 May 09:00, rolled back 11:00 |
//! | —    | | Wed 10 Jun: a README commit naming no change (unmanaged) |
//! | 0006 | normal, low | submitted Wed 1 Jul 09:00, never approved (past its 1 bd SLA) |
//! | 0007 | major, low | submitted Mon 2 Nov 09:00, approved 10:00 and 11:00, work Tue 3 Nov, deployed Wed 4 Nov 09:00, no review (due 9 Nov: overdue) |

use crate::common::{stdout_of, TestRepo, Who};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The reports are made at this time.
pub const NOW: &str = "2026-12-31T12:00:00Z";

pub const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
pub const LEE: (&str, &str) = ("Lee Approver", "lee@example.com");
pub const CAM: (&str, &str) = ("Cam Board", "cam@example.com");
pub const RITA: (&str, &str) = ("Rita Release", "rita@example.com");

/// The year's policy, for tests that read it with targets of their own.
pub const POLICY: &str = r#"
[changes]
timezone = "UTC"

[roles]
approver = ["lee@example.com"]
cab = ["cam@example.com"]
release-manager = ["rita@example.com"]

[classes.standard]
pre_approved = true
requires = ["description"]

[classes.normal]
requires = ["description", "rollback.plan"]
approvals = ["approver"]

[classes.major]
requires = ["description", "rollback.plan"]
approvals = ["approver", "cab"]
post_review = "required"
post_review_within = "5d"

[classes.emergency]
requires = ["description", "rollback.plan"]
approvals = ["approver"]
post_review = "required"
approval_within = "24h"
post_review_within = "48h"

[approvals]
separation_of_duties = true
verify = "commit-author"
sla = { low = "1bd", medium = "2bd", high = "3bd", critical = "5bd" }

[commits]
reference = "required"
exempt = [".changes/**", ".changes.toml"]
"#;

/// The scripted repository, and its notable commits by name.
pub struct Year {
    pub repo: TestRepo,
    pub commits: HashMap<&'static str, String>,
}

impl Year {
    fn chg(&self, when: &str, who: (&str, &str), args: &[&str]) {
        self.repo
            .chg_at(when, who.0, who.1, args)
            .assert()
            .success();
    }

    /// `who` makes a move with `chg args` at `when` and commits the record as themself.
    fn step(&self, when: &str, who: Who, args: &[&str]) {
        let id = args[1];
        let message = format!("{id}: {}\n\nChange: {id}", args[0]);
        self.repo.chg_committed(when, who, args, &message);
    }

    /// `chg new` with `args` at `when`, then submit; returns nothing: IDs are sequential.
    fn propose(&self, when: &str, args: &[&str]) -> String {
        let mut all = vec![
            "new",
            "--no-input",
            "--description",
            "d",
            "--env",
            "production",
        ];
        all.extend_from_slice(args);
        let out = stdout_of(&mut self.repo.chg_at(when, ADA.0, ADA.1, &all));
        let id = out.split_whitespace().next().unwrap().to_string();
        self.chg(when, ADA, &["submit", &id]);
        self.repo
            .commit_all_at(when, &format!("Propose {id}\n\nChange: {id}"));
        id
    }

    fn work(&mut self, name: &'static str, when: &str, file: &str, message: &str) {
        self.repo.write(file, &format!("{message}\n"));
        self.repo.commit_all_at(when, message);
        let id = self.repo.git(&["rev-parse", "HEAD"]).trim().to_string();
        self.commits.insert(name, id);
    }

    fn record(&self, when: &str, id: &str, what: &str) {
        self.repo
            .commit_all_at(when, &format!("{id}: {what}\n\nChange: {id}"));
    }
}

/// The year, built once per test run and only read by the tests.
pub fn shared() -> &'static Year {
    static YEAR: OnceLock<Year> = OnceLock::new();
    YEAR.get_or_init(build)
}

/// Builds the year (takes a few seconds: some forty commands).
fn build() -> Year {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_at("2026-01-02T09:00:00Z", "Adopt chg");
    let mut y = Year {
        repo,
        commits: HashMap::new(),
    };
    let low = ["--likelihood", "rare", "--impact", "minor"];
    let medium = ["--likelihood", "unlikely", "--impact", "moderate"];
    let high = ["--likelihood", "likely", "--impact", "moderate"];
    let rollback = ["--rollback", "revert"];

    // 0001: normal, low.
    let c1 = y.propose(
        "2026-01-05T10:00:00Z",
        &[
            &["--title", "Add asset_owner", "--class", "normal"][..],
            &low,
            &rollback,
        ]
        .concat(),
    );
    y.chg("2026-01-06T10:00:00Z", LEE, &["approve", &c1, "--commit"]);
    y.work(
        "c1-work",
        "2026-01-07T11:00:00Z",
        "src/assets.sql",
        "Add the asset_owner column\n\nChange: CHG-2026-0001",
    );
    y.step("2026-01-08T09:00:00Z", ADA, &["start", &c1]);
    y.step(
        "2026-01-08T10:00:00Z",
        RITA,
        &["deploy", &c1, "--env", "production"],
    );
    y.step("2026-01-08T12:00:00Z", RITA, &["verify", &c1]);
    y.step("2026-01-09T09:00:00Z", ADA, &["close", &c1]);

    // 0002: major, medium; approved late; work merged from a branch; late review.
    let c2 = y.propose(
        "2026-02-02T09:00:00Z",
        &[
            &[
                "--title",
                "Move assets to the new cluster",
                "--class",
                "major",
            ][..],
            &medium,
            &rollback,
        ]
        .concat(),
    );
    y.chg("2026-02-03T09:00:00Z", LEE, &["approve", &c2, "--commit"]);
    y.chg("2026-02-05T09:00:00Z", CAM, &["approve", &c2, "--commit"]);
    y.repo.git(&["checkout", "-q", "-b", "cluster"]);
    y.work(
        "c2-work",
        "2026-02-06T10:00:00Z",
        "infra/cluster.tf",
        "Move to the new cluster (CHG-2026-0002)",
    );
    y.repo.git(&["checkout", "-q", "main"]);
    y.repo
        .merge_at("2026-02-09T15:00:00Z", "cluster", "Merge branch 'cluster'");
    let merge = y.repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    y.commits.insert("c2-merge", merge);
    y.step("2026-02-10T09:00:00Z", ADA, &["start", &c2]);
    y.step(
        "2026-02-10T10:00:00Z",
        RITA,
        &["deploy", &c2, "--env", "production"],
    );
    y.step("2026-02-10T12:00:00Z", RITA, &["verify", &c2]);
    y.step(
        "2026-02-20T10:00:00Z",
        ADA,
        &["review", &c2, "--outcome", "achieved"],
    );
    y.step("2026-02-21T09:00:00Z", ADA, &["close", &c2]);

    // 0003: standard, pre-approved.
    let c3 = y.propose(
        "2026-03-02T09:00:00Z",
        &[
            "--title",
            "Rotate the TLS certificate",
            "--class",
            "standard",
        ],
    );
    y.work(
        "c3-work",
        "2026-03-03T09:00:00Z",
        "certs/site.pem",
        "Rotate the certificate\n\nChange: CHG-2026-0003",
    );
    y.step("2026-03-04T08:00:00Z", ADA, &["start", &c3]);
    y.step(
        "2026-03-04T09:00:00Z",
        RITA,
        &["deploy", &c3, "--env", "production"],
    );
    y.step("2026-03-04T10:00:00Z", RITA, &["verify", &c3]);
    y.step("2026-03-05T09:00:00Z", ADA, &["close", &c3]);

    // 0004: emergency, high: deployed first (one failed attempt), approved after.
    let c4 = y.propose(
        "2026-04-06T02:00:00Z",
        &[
            &[
                "--title",
                "Patch the login bypass",
                "--class",
                "emergency",
                "--incident",
                "INC-7",
            ][..],
            &high,
            &rollback,
        ]
        .concat(),
    );
    y.step("2026-04-06T02:10:00Z", ADA, &["start", &c4]);
    y.work(
        "c4-work",
        "2026-04-06T02:30:00Z",
        "src/login.rs",
        "Fix the login bypass\n\nChange: CHG-2026-0004",
    );
    y.step(
        "2026-04-06T03:00:00Z",
        RITA,
        &["deploy", &c4, "--env", "production", "--outcome", "failed"],
    );
    y.step(
        "2026-04-06T03:30:00Z",
        RITA,
        &["deploy", &c4, "--env", "production"],
    );
    y.record("2026-04-06T03:30:00Z", &c4, "deployed");
    y.chg("2026-04-06T12:00:00Z", LEE, &["approve", &c4, "--commit"]);
    y.step(
        "2026-04-07T10:00:00Z",
        ADA,
        &["review", &c4, "--outcome", "achieved"],
    );
    y.step("2026-04-07T11:00:00Z", RITA, &["verify", &c4]);
    y.step("2026-04-07T12:00:00Z", ADA, &["close", &c4]);

    // 0005: normal, medium: the approval is committed by Ada, not Lee; rolled back.
    let c5 = y.propose(
        "2026-05-04T09:00:00Z",
        &[
            &["--title", "Cache asset lookups", "--class", "normal"][..],
            &medium,
            &rollback,
        ]
        .concat(),
    );
    y.chg("2026-05-05T09:00:00Z", LEE, &["approve", &c5]);
    y.record("2026-05-05T09:30:00Z", &c5, "record Lee's approval");
    y.work(
        "c5-work",
        "2026-05-06T09:00:00Z",
        "src/cache.rs",
        "Cache asset lookups\n\nChange: CHG-2026-0005",
    );
    y.step("2026-05-07T08:00:00Z", ADA, &["start", &c5]);
    y.step(
        "2026-05-07T09:00:00Z",
        RITA,
        &["deploy", &c5, "--env", "production"],
    );
    y.step(
        "2026-05-07T11:00:00Z",
        RITA,
        &["rollback", &c5, "--reason", "latency rose"],
    );
    y.step("2026-05-08T09:00:00Z", ADA, &["close", &c5]);

    // A commit that names no change.
    y.work(
        "unmanaged",
        "2026-06-10T12:00:00Z",
        "README.md",
        "Tweak the README",
    );

    // 0006: waits for approval past its SLA.
    y.propose(
        "2026-07-01T09:00:00Z",
        &[
            &["--title", "Archive old assets", "--class", "normal"][..],
            &low,
            &rollback,
        ]
        .concat(),
    );

    // 0007: major, deployed, its review never held.
    let c7 = y.propose(
        "2026-11-02T09:00:00Z",
        &[
            &["--title", "Retire the old cluster", "--class", "major"][..],
            &low,
            &rollback,
        ]
        .concat(),
    );
    y.chg("2026-11-02T10:00:00Z", LEE, &["approve", &c7, "--commit"]);
    y.chg("2026-11-02T11:00:00Z", CAM, &["approve", &c7, "--commit"]);
    y.work(
        "c7-work",
        "2026-11-03T09:00:00Z",
        "infra/old.tf",
        "Retire the old cluster\n\nChange: CHG-2026-0007",
    );
    y.step("2026-11-04T08:00:00Z", ADA, &["start", &c7]);
    y.step(
        "2026-11-04T09:00:00Z",
        RITA,
        &["deploy", &c7, "--env", "production"],
    );
    y
}
