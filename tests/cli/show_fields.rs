//! `chg show` prints every field an approval covers, so that a reviewer approves
//! what they see, and the gate evidence recorded after approval with who, when and
//! where; text from the record reaches the terminal escaped.

use crate::common::{outcome, stdout_of, TestRepo};

#[test]
fn show_prints_impact_notes_assessment_details_and_gate_evidence() {
    let repo = TestRepo::initialised();
    let id = repo.complete_change("Rotate the signing keys", "emergency");
    let path = format!(".changes/{id}.yaml");
    let extra = "tenants: [acme, globex]\n\
        stakeholders: [security team]\n\
        impact:\n  security: keys rotate under load\n  data: \"none\\e[8m hidden\"\n  users: one re-login\n\
        risk:\n  likelihood: likely\n  impact: minor\n  level: medium\n  justification: rehearsed twice\n\
        emergency:\n  incident: INC-42\n  authorized_by: [lee@example.com]\n  root_cause: leaked key\n  preventive_action: vault only\n";
    repo.write(&path, &format!("{}{extra}", repo.read(&path)));
    let text = repo.read(&path);
    let text = text.replace(
        "rollback:\n",
        "rollback:\n  tested: true\n  complexity: easy\n",
    );
    repo.write(&path, &text);
    stdout_of(&mut repo.chg(&[
        "evidence",
        &id,
        "--kind",
        "backup-snapshot",
        "--ref",
        "https://backups.example.com/77",
        "--note",
        "restored in staging",
    ]));
    let before = repo.snapshot();

    let (code, show, err) = outcome(&mut repo.chg(&["show", &id]));

    assert_eq!(code, 0, "{err}");
    for seen in [
        "acme, globex",
        "security team",
        "security: keys rotate under load",
        "data: none\\e[8m hidden",
        "users: one re-login",
        "likelihood likely, impact minor",
        "rehearsed twice",
        "Rollback tested",
        "easy",
        "INC-42",
        "Authorized by",
        "leaked key",
        "vault only",
        "backup-snapshot by ada@example.com at 2026-11-21T10:30:00Z: \
         https://backups.example.com/77 (restored in staging)",
    ] {
        assert!(show.contains(seen), "show lacks {seen:?}:\n{show}");
    }
    assert!(
        !show.contains('\u{1b}'),
        "an escape reached the terminal:\n{show}"
    );
    assert!(before == repo.snapshot(), "show changed files");
}
