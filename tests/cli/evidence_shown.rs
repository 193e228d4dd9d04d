//! Evidence recorded with `chg evidence` where it is asked for and where it is read:
//! it meets a class's `requires = ["evidence:<kind>"]` at `chg submit`, the command
//! warns only of a kind nothing asks for, and `chg audit` (every format) and `chg log`
//! list it with who recorded it and whether git proves it.

use crate::common::{findings_at, outcome, refused, stdout_of, TestRepo, Who, NOW};

const QA: Who = ("Quinn QA", "quinn@example.com");
const LEE: Who = ("Lee", "lee@example.com");
const ADA: Who = ("Ada Lovelace", "ada@example.com");
const STAGING_RUN: &str = "https://staging.example.com/run/7";

/// A committed normal draft whose class requires evidence of staging validation.
fn draft_requiring_staging_validation() -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        "[roles]\napprover = [\"lee@example.com\"]\n[classes.normal]\n\
         requires = [\"description\", \"evidence:staging-validation\"]\napprovals = [\"approver\"]\n",
    );
    repo.commit_all("Adopt chg");
    let id = repo.complete_change("Add the column", "normal");
    repo.commit_all(&format!("Draft {id}"));
    (repo, id)
}

/// `chg evidence <id> --kind <kind> --ref <url>` as `who`: exit code, stdout, stderr.
fn record_evidence(repo: &TestRepo, who: Who, id: &str, kind: &str) -> (i32, String, String) {
    outcome(&mut repo.chg_as(
        who.0,
        who.1,
        &["evidence", id, "--kind", kind, "--ref", STAGING_RUN],
    ))
}

#[test]
fn submit_is_refused_until_chg_evidence_records_the_required_kind() {
    let (repo, id) = draft_requiring_staging_validation();
    let stderr = refused(
        &repo,
        repo.chg(&["submit", &id]),
        1,
        &format!("{id} cannot be submitted; it lacks: evidence:staging-validation"),
    );
    assert!(
        stderr.contains(&format!(
            "`chg evidence {id} --kind staging-validation --ref <url>` records it"
        )),
        "{stderr}"
    );

    let (code, out, err) = record_evidence(&repo, QA, &id, "staging-validation");
    assert_eq!(
        (code, out.as_str()),
        (0, format!("{id} draft\n").as_str()),
        "{err}"
    );
    // The class's requires asks for this kind: no warning of a typo.
    assert!(!err.contains("warning"), "{err}");

    let out = stdout_of(&mut repo.chg(&["submit", &id]));
    assert_eq!(out, format!("{id} submitted\n"));
    let record = repo.read(&format!(".changes/{id}.yaml"));
    assert!(record.contains("status: submitted"), "{record}");
    repo.commit_all(&format!("Submit {id}"));
    // Past draft, the requirement is still met: R004 has nothing to say.
    let (_, findings) = findings_at(&repo, NOW);
    assert!(!findings.iter().any(|f| f.rule == "R004"), "{findings:#?}");
}

#[test]
fn a_kind_neither_requires_nor_gates_name_is_recorded_with_a_warning() {
    let (repo, id) = draft_requiring_staging_validation();
    let (code, out, err) = record_evidence(&repo, QA, &id, "staging-validaton");
    assert_eq!((code, out.as_str()), (0, format!("{id} draft\n").as_str()));
    assert!(
        err.contains(
            "warning: neither the requires nor a gate of a normal change asks for \
             evidence:staging-validaton; check the kind for a typo ([classes.normal] in .changes.toml)"
        ),
        "{err}"
    );
    // The misspelt kind meets nothing: submit still names what is lacking.
    refused(
        &repo,
        repo.chg(&["submit", &id]),
        1,
        "it lacks: evidence:staging-validation",
    );
}

/// The draft with evidence recorded and committed by Quinn (proven), then evidence
/// recorded by Ada and committed by Lee (not proven to be Ada's).
fn with_two_pieces_of_evidence() -> (TestRepo, String) {
    let (repo, id) = draft_requiring_staging_validation();
    let honest = [
        "evidence",
        &id,
        "--kind",
        "staging-validation",
        "--ref",
        STAGING_RUN,
    ];
    repo.chg_committed(NOW, QA, &honest, &format!("{id}: staging validated"));
    let (code, _, err) = record_evidence(&repo, ADA, &id, "smoke");
    assert_eq!(code, 0, "{err}");
    repo.commit_all_as(NOW, LEE, &format!("{id}: smoke tested"));
    (repo, id)
}

/// Asserts that `shown` (one format's evidence cell) lists the staging run QA proved
/// as `proven` and then, after `sep`, the smoke run Ada recorded as `failed`.
fn shows_both_runs(shown: &str, proven: &str, sep: &str, failed: &str) {
    assert!(
        shown.contains(&format!(
            "staging-validation: {STAGING_RUN} by {} at 2026-11-21 10:30Z {proven} added in",
            QA.1
        )),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "{sep}smoke: {STAGING_RUN} by {} at 2026-11-21 10:30Z {failed} added in",
            ADA.1
        )),
        "{shown}"
    );
}

#[test]
fn the_audit_lists_recorded_evidence_with_who_when_and_its_proof_in_every_format() {
    let (repo, id) = with_two_pieces_of_evidence();
    let audit = |format: &str| stdout_of(&mut repo.chg(&["audit", "--format", format]));

    let doc: serde_json::Value = serde_json::from_str(&audit("json")).unwrap();
    let change = &doc["changes"][0];
    assert_eq!(change["id"].as_str(), Some(id.as_str()));
    let rows = change["gate_evidence"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{change}");
    let (proven, forged) = (&rows[0], &rows[1]);
    assert_eq!(proven["kind"], "staging-validation");
    assert_eq!(proven["ref"], STAGING_RUN);
    assert_eq!(proven["by"], QA.1);
    assert_eq!(proven["at"], NOW);
    assert_eq!(proven["made_by"]["verdict"], "proven", "{proven}");
    let how = proven["made_by"]["how"].as_str().unwrap();
    assert!(how.ends_with(&format!("made by {}", QA.1)), "{how}");
    assert_eq!(forged["kind"], "smoke");
    assert_eq!(forged["by"], ADA.1);
    assert_eq!(forged["made_by"]["verdict"], "failed", "{forged}");
    let how = forged["made_by"]["how"].as_str().unwrap();
    assert!(how.ends_with(&format!("authored by {}", LEE.1)), "{how}");

    let csv = audit("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let column = (reader.headers().unwrap().iter())
        .position(|h| h == "evidence")
        .unwrap();
    let row = reader.records().next().unwrap().unwrap();
    shows_both_runs(&row[column], "proven –", "; ", "failed –");

    let md = audit("markdown");
    let line = md.lines().find(|l| l.starts_with("| Evidence |")).unwrap();
    shows_both_runs(line, "✓", "<br>", "✗");

    let table = audit("table");
    assert!(table.contains("Evidence"), "{table}");
    assert!(table.contains("staging-validation:"), "{table}");
    assert!(table.contains("deployments, evidence: ✓ ✗ ?"), "{table}");
}

#[test]
fn evidence_not_yet_committed_is_listed_as_unproven() {
    let (repo, id) = draft_requiring_staging_validation();
    let (code, _, err) = record_evidence(&repo, QA, &id, "staging-validation");
    assert_eq!(code, 0, "{err}");
    let json = stdout_of(&mut repo.chg(&["audit", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = &doc["changes"][0]["gate_evidence"][0];
    assert_eq!(row["made_by"]["verdict"], "unproven", "{row}");
}

#[test]
fn the_log_lists_recorded_evidence_with_who_recorded_it() {
    let (repo, id) = with_two_pieces_of_evidence();
    let text = stdout_of(&mut repo.chg(&["log", &id]));
    let line = text
        .lines()
        .find(|l| l.contains("evidence staging-validation recorded"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("2026-11-21 10:30"), "{line}");
    assert!(line.contains(QA.1), "{line}");
    assert!(line.contains(STAGING_RUN), "{line}");

    let json = stdout_of(&mut repo.chg(&["log", &id, "--format", "json"]));
    let events: serde_json::Value = serde_json::from_str(&json).unwrap();
    let evidence: Vec<&serde_json::Value> = (events.as_array().unwrap().iter())
        .filter(|e| e["kind"] == "evidence")
        .collect();
    assert_eq!(evidence.len(), 2, "{events}");
    assert_eq!(evidence[0]["who"], QA.1);
    assert_eq!(evidence[0]["at"], NOW);
    assert_eq!(
        evidence[1]["what"],
        format!("evidence smoke recorded: {STAGING_RUN}")
    );
}
