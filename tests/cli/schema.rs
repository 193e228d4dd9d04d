//! `chg schema`, the schema file `chg init` writes, and the modeline that points
//! records at it.

use crate::common::{modeline_at, outcome, refused, snapshot_of, stdout_of, TestRepo};
use crate::lifecycle::{propose, repo, status_of, LEE, RITA, SAM};
use serde_json::{json, Value};

/// The schema as `chg schema` prints it, run outside any repository.
fn printed_schema() -> String {
    stdout_of(&mut TestRepo::bare_dir().chg(&["schema"]))
}

/// The printed schema, compiled (which checks it against the 2020-12 metaschema).
fn validator() -> (boon::Schemas, boon::SchemaIndex) {
    let schema: Value = serde_json::from_str(&printed_schema()).expect("the schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource("urn:chg-record", schema).unwrap();
    let index = compiler.compile("urn:chg-record", &mut schemas).unwrap();
    (schemas, index)
}

/// A record file as JSON, the way an editor's YAML language server sees it.
fn as_json(repo: &TestRepo, id: &str) -> Value {
    serde_yaml::from_str(&repo.read(&format!(".changes/{id}.yaml"))).unwrap()
}

fn run(repo: &TestRepo, who: (&str, &str), args: &[&str]) {
    repo.chg_as(who.0, who.1, args).assert().success();
}

/// A major change with nearly every field filled, taken through its whole life.
fn lived_record(repo: &TestRepo) -> String {
    repo.write("migrations/0042_down.sql", "DROP COLUMN asset_owner;\n");
    repo.write("docs/adr/0007-asset-owner.md", "# Asset owner\n");
    let id = propose(
        repo,
        "major",
        &[
            "--component",
            "assets",
            "--env",
            "production",
            "--owner",
            "lee@example.com",
            "--target-date",
            "2026-12-01",
            "--rollback-artifact",
            "migrations/0042_down.sql",
            "--monitoring",
            "Error rate",
            "--implementation-plan",
            "1. migrate",
            "--adr",
            "docs/adr/0007-asset-owner.md",
            "--evidence",
            "staging-validation=https://ci.example.com/run/881",
            "--likelihood",
            "possible",
            "--impact",
            "minor",
            "--factor",
            "data=3",
        ],
    );
    repo.chg(&["submit", &id]).assert().success();
    run(repo, LEE, &["approve", &id, "--comment", "Looks safe"]);
    run(repo, SAM, &["approve", &id, "--role", "security"]);
    run(
        repo,
        RITA,
        &[
            "schedule",
            &id,
            "--start",
            "2026-11-24 06:00",
            "--end",
            "2026-11-24 08:00",
        ],
    );
    run(repo, RITA, &["start", &id]);
    run(
        repo,
        RITA,
        &["deploy", &id, "--env", "production", "--ref", "v1.4.0"],
    );
    run(repo, RITA, &["verify", &id, "--note", "error rate flat"]);
    run(
        repo,
        LEE,
        &[
            "review",
            &id,
            "--outcome",
            "achieved",
            "--side-effects",
            "none",
            "--monitoring-findings",
            "flat",
            "--lessons",
            "stage longer",
            "--playbook-updates",
            "none",
        ],
    );
    run(repo, RITA, &["close", &id]);
    assert_eq!(status_of(repo, &id), "closed");
    id
}

#[test]
fn the_schema_is_printed_without_a_repository_and_is_a_valid_json_schema() {
    let printed = printed_schema();
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/schema/record.schema.json"
    ))
    .unwrap();
    assert_eq!(printed, fixture);
    let schema: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    validator();
}

#[test]
fn a_record_that_lived_through_its_lifecycle_is_valid() {
    let repo = repo();
    let id = lived_record(&repo);
    let record = as_json(&repo, &id);
    for field in [
        "approvals",
        "transitions",
        "deployments",
        "review",
        "schedule",
    ] {
        assert!(record.get(field).is_some(), "{field} is filled: {record}");
    }
    let (schemas, index) = validator();
    if let Err(e) = schemas.validate(&record, index) {
        panic!("{e:#}\n{record:#}");
    }
}

#[test]
fn an_unknown_key_a_bad_word_or_a_malformed_id_is_invalid_here_as_for_chg() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let path = format!(".changes/{id}.yaml");
    let (schemas, index) = validator();
    let valid = as_json(&repo, &id);
    assert!(schemas.validate(&valid, index).is_ok());
    for (what, key, value) in [
        ("unknown key", "colour", json!("red")),
        ("bad class", "class", json!("huge")),
        ("malformed id", "id", json!("CHG-26-0001")),
        (
            "factor out of range",
            "risk",
            json!({"factors": {"data": 4}}),
        ),
    ] {
        let mut bad = valid.clone();
        bad[key] = value;
        assert!(schemas.validate(&bad, index).is_err(), "{what} passed");
        // chg refuses each of them too: here the schema is exactly as strict as chg.
        repo.write(&path, &serde_yaml::to_string(&bad).unwrap());
        let (code, _, stderr) = outcome(&mut repo.chg(&["show", &id]));
        assert_eq!(code, 2, "{what}: {stderr}");
    }
}

#[test]
fn new_records_start_with_the_modeline_and_moves_keep_it_and_other_comments() {
    let repo = repo();
    let id = propose(&repo, "normal", &[]);
    let path = repo.record_path(&id);
    // Relative to the record: `schema.json` flat, `../../schema.json` fanned out.
    let modeline = repo.modeline_of(&id);
    assert!(
        repo.read(&path).starts_with(&modeline),
        "{}",
        repo.read(&path)
    );
    repo.chg(&["submit", &id]).assert().success();
    assert!(
        repo.read(&path).starts_with(&modeline),
        "{}",
        repo.read(&path)
    );
    run(&repo, LEE, &["approve", &id]);
    let approved = repo.read(&path);
    assert!(approved.starts_with(&modeline), "{approved}");
    assert!(approved.contains("digest: sha256:"), "{approved}");
    // A note added above the record by hand is not content: the approval stays valid.
    let note = "# Discussed at the CAB on 2026-11-20.\n";
    repo.write(
        &path,
        &approved.replacen(&modeline, &format!("{modeline}{note}"), 1),
    );
    run(&repo, RITA, &["start", &id]);
    assert_eq!(status_of(&repo, &id), "implementing");
    assert!(repo.read(&path).starts_with(&format!("{modeline}{note}")));
}

#[test]
fn init_writes_the_schema_next_to_the_records() {
    let repo = TestRepo::new();
    let (code, _, stderr) = outcome(&mut repo.chg(&["init"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(".changes/schema.json"), "{stderr}");
    assert_eq!(repo.read(".changes/schema.json"), printed_schema());
}

#[test]
fn schema_write_replaces_the_file_in_the_policys_records_directory() {
    let repo = TestRepo::new();
    repo.write(".changes.toml", "[changes]\ndir = \"ops/changes\"\n");
    repo.write("ops/changes/schema.json", "{\"old\": true}\n");
    let out = stdout_of(&mut repo.chg(&["schema", "--write"]));
    assert_eq!(out, "ops/changes/schema.json\n");
    assert_eq!(repo.read("ops/changes/schema.json"), printed_schema());
    // A record made there points at it.
    let id = repo.new_change("Uses the schema");
    let name = format!("{id}.yaml");
    let path = snapshot_of(repo.path())
        .into_keys()
        .find(|p| p.starts_with("ops/changes") && p.ends_with(&name))
        .expect("the record in ops/changes");
    let path = path.to_str().unwrap();
    let text = repo.read(path);
    assert!(
        text.starts_with(&modeline_at("ops/changes", path)),
        "{text}"
    );
}

#[test]
fn schema_write_outside_a_repository_is_an_input_error() {
    let dir = TestRepo::bare_dir();
    let stderr = refused(
        &dir,
        dir.chg(&["schema", "--write"]),
        2,
        "not a git repository",
    );
    assert!(stderr.contains("git init"), "{stderr}");
}

#[test]
fn schema_write_over_a_directory_is_refused_and_changes_nothing() {
    let repo = TestRepo::initialised();
    std::fs::remove_file(repo.path().join(".changes/schema.json")).unwrap();
    repo.write(".changes/schema.json/keep", "mine\n");
    refused(
        &repo,
        repo.chg(&["schema", "--write"]),
        2,
        "cannot write .changes/schema.json",
    );
}
