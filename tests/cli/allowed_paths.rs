//! Paths the policies allow end clean, with nothing typed into a record by hand. An
//! emergency fixed first and recorded after, within the time the policy gives: the
//! commit-msg hook lets the fix through when its message declares the emergency, and
//! once the record is committed in time `chg check` is clean — a late record is
//! L006's to report, not work landed before approval. A freeze declared by committing
//! its file names no change: records and freezes are the register's own business.

use crate::common::{findings_at, TestRepo, NOW};
use crate::hooks::{commit_passes, commit_refused, hooked_repo};

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const FIX: &str = "Stop the checkout outage\n\nChange: CHG-2026-0002";

#[test]
fn the_hook_lets_a_declared_emergency_fix_name_a_change_not_yet_recorded() {
    let repo = hooked_repo();
    repo.write("src/fix.rs", "// the fix\n");
    repo.git(&["add", "src/fix.rs"]);
    commit_refused(
        &repo,
        &["commit", "-q", "-m", FIX],
        "CHG-2026-0002, which has no record",
    );
    let declared = format!("{FIX}\nEmergency: checkout is down");
    commit_passes(&repo, &["commit", "-q", "-m", &declared]);
}

/// The pull-request preset (records within 24 hours of the fix), adopted.
fn adopted() -> TestRepo {
    let repo = TestRepo::new();
    repo.chg(&["init", "--preset", "pull-request"])
        .assert()
        .success();
    let id = repo.complete_change("Adopt change management", "standard");
    repo.chg(&["submit", &id]).assert().success();
    repo.commit_all_as(
        "2026-11-20T08:00:00Z",
        ADA,
        &format!("Adopt chg\n\nChange: {id}"),
    );
    repo
}

fn fixed_then_recorded(repo: &TestRepo, recorded: &str) -> Vec<crate::common::Finding> {
    repo.write("src/fix.rs", "// the fix\n");
    repo.commit_all_as(
        "2026-11-20T09:00:00Z",
        ADA,
        &format!("{FIX}\nEmergency: checkout is down"),
    );
    let made = crate::common::stdout_of(&mut repo.chg_at(
        recorded,
        ADA.0,
        ADA.1,
        &[
            "new",
            "--no-input",
            "--title",
            "Stop the checkout outage",
            "--class",
            "emergency",
            "--description",
            "d",
            "--rollback",
            "revert",
            "--incident",
            "INC-42",
            "--authorized-by",
            "lee@example.com",
        ],
    ));
    assert!(made.starts_with("CHG-2026-0002"), "{made}");
    repo.commit_all_as(recorded, ADA, "Record CHG-2026-0002");
    findings_at(repo, NOW).1
}

fn rules(findings: &[crate::common::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn an_emergency_recorded_in_time_after_its_fix_landed_is_no_work_landed_early() {
    let repo = adopted();
    let findings = fixed_then_recorded(&repo, "2026-11-20T11:00:00Z");
    let rules = rules(&findings);
    for rule in ["H001", "H004", "L006"] {
        assert!(!rules.contains(&rule), "{findings:?}");
    }
}

#[test]
fn an_emergency_recorded_late_is_reported_as_late_only() {
    let repo = adopted();
    let findings = fixed_then_recorded(&repo, "2026-11-22T11:00:00Z");
    let rules = rules(&findings);
    assert!(rules.contains(&"L006"), "{findings:?}");
    assert!(!rules.contains(&"H004"), "{findings:?}");
}

#[test]
fn a_freeze_declared_now_is_committed_without_naming_a_change() {
    let repo = adopted();
    let ceo = ("Cleo Chief", "ceo@example.com");
    let declared = crate::common::stdout_of(&mut repo.chg_at(
        "2026-11-20T10:00:00Z",
        ceo.0,
        ceo.1,
        &[
            "freeze",
            "start",
            "--reason",
            "Year-end close",
            "--until",
            "2026-11-27T00:00:00Z",
        ],
    ));
    assert!(!declared.is_empty());
    repo.commit_all_as("2026-11-20T10:01:00Z", ceo, "Freeze for the year-end close");
    let (_, findings) = findings_at(&repo, NOW);
    assert!(
        !rules(&findings)
            .iter()
            .any(|r| ["H002", "F001"].contains(r)),
        "{findings:?}"
    );
    // Work during the freeze still needs its change, and the freeze holds it back.
    repo.write("src/late.rs", "// work\n");
    repo.commit_all_as("2026-11-20T11:00:00Z", ADA, "Work during the freeze");
    let (_, findings) = findings_at(&repo, NOW);
    assert!(rules(&findings).contains(&"H002"), "{findings:?}");
}
