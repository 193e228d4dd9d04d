//! Links to other systems (`links:`) and fields a team declares (`fields:`): written
//! by `chg new` and `chg set` only as the policy declares them, required per class,
//! reported by `chg check` when written by hand, and shown everywhere with the URL the
//! policy's template makes, the reference encoded or escaped for each output.

use crate::common::{findings_at, outcome, refused, stdout_of, TestRepo, NOW};
use serde_json::{json, Value};

const POLICY: &str = r#"
[links]
jira = "https://example.atlassian.net/browse/{id}"
incident = "https://status.example.com/incidents?id={id}"

[fields.cost_center]
type = "string"
description = "The cost centre the work is booked to"

[fields.budget]
type = "number"

[fields.region]
type = ["eu", "us"]

[classes.normal]
approvals = []
requires = ["description", "links.jira", "fields.cost_center"]
"#;

/// A reference written to break each output: markup, a quote, the placeholder itself.
const HOSTILE: &str = "\"><script>alert(1)</script>{id}&x=1";
/// [`HOSTILE`] as it appears in a URL.
const ENCODED: &str = "%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%7Bid%7D%26x%3D1";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Adopt chg with links and fields");
    repo
}

/// A normal change with a description and rollback plan, and `extra` flags.
fn proposed(repo: &TestRepo, extra: &[&str]) -> String {
    let mut args = vec![
        "--title",
        "Move the EU tenants",
        "--class",
        "normal",
        "--description",
        "d",
        "--rollback",
        "revert",
    ];
    args.extend_from_slice(extra);
    repo.create(&args)
}

fn shown(repo: &TestRepo, id: &str) -> Value {
    serde_json::from_str(&stdout_of(&mut repo.chg(&["show", id, "--format", "json"]))).unwrap()
}

/// A hand-written normal change in `status` whose YAML ends with `tail`, committed.
fn hand_written(repo: &TestRepo, status: &str, tail: &str) -> String {
    let id = "CHG-2026-0001";
    repo.write(
        &format!(".changes/{id}.yaml"),
        &format!(
            "id: {id}\ntitle: Move the EU tenants\nclass: normal\nstatus: {status}\n\
             created_at: 2026-11-20T09:00:00Z\nauthor: Ada <ada@example.com>\n\
             description: d\nrollback:\n  plan: revert\n{tail}"
        ),
    );
    repo.commit_all(&format!("Propose {id}"));
    id.to_string()
}

#[test]
fn links_and_fields_are_written_by_new_and_set_and_shown_with_their_urls() {
    let repo = repo();
    let id = proposed(
        &repo,
        &[
            "--link",
            "jira=OPS-123",
            "--field",
            "cost_center=CC-12",
            "--field",
            "budget=1200",
        ],
    );
    stdout_of(&mut repo.chg(&["set", &id, "links.incident=INC-9", "fields.region=eu"]));
    let yaml = repo.read(&format!(".changes/{id}.yaml"));
    assert!(
        yaml.contains("links:\n  incident: INC-9\n  jira: OPS-123\n"),
        "{yaml}"
    );
    assert!(yaml.contains("budget: 1200\n"), "{yaml}");

    let r = shown(&repo, &id);
    assert_eq!(r["links"], json!({"jira": "OPS-123", "incident": "INC-9"}));
    assert_eq!(
        r["fields"],
        json!({"cost_center": "CC-12", "budget": 1200, "region": "eu"})
    );
    assert_eq!(
        r["derived"]["links"],
        json!([
            {"kind": "incident", "id": "INC-9", "url": "https://status.example.com/incidents?id=INC-9"},
            {"kind": "jira", "id": "OPS-123", "url": "https://example.atlassian.net/browse/OPS-123"}
        ])
    );
    assert_eq!(r["derived"]["missing"], json!([]));
    let text = stdout_of(&mut repo.chg(&["show", &id]));
    assert!(
        text.contains("jira: OPS-123 https://example.atlassian.net/browse/OPS-123"),
        "{text}"
    );
    assert!(text.contains("cost_center: CC-12"), "{text}");

    // An empty value clears a link or a field.
    stdout_of(&mut repo.chg(&["set", &id, "links.incident=", "fields.region="]));
    let r = shown(&repo, &id);
    assert_eq!(r["links"], json!({"jira": "OPS-123"}));
    assert!(r["fields"].get("region").is_none(), "{r}");
}

#[test]
fn a_required_link_or_field_is_refused_by_submit_and_reported_for_a_hand_written_record() {
    let repo = repo();
    let id = proposed(&repo, &["--field", "cost_center=CC-12"]);
    refused(&repo, repo.chg(&["submit", &id]), 1, "links.jira");
    stdout_of(&mut repo.chg(&["set", &id, "links.jira=OPS-1"]));
    repo.chg(&["submit", &id]).assert().success();

    let other = repo_with_hand_written("submitted", "links:\n  jira: OPS-2\n");
    let (code, findings) = findings_at(&other, NOW);
    assert_eq!(code, 1);
    let r004: Vec<_> = findings.iter().filter(|f| f.rule == "R004").collect();
    assert_eq!(r004.len(), 1, "{findings:?}");
    assert!(
        r004[0].message.contains("fields.cost_center"),
        "{}",
        r004[0].message
    );
    assert!(
        !r004[0].message.contains("links.jira"),
        "{}",
        r004[0].message
    );
}

fn repo_with_hand_written(status: &str, tail: &str) -> TestRepo {
    let repo = repo();
    hand_written(&repo, status, tail);
    repo
}

#[test]
fn an_undeclared_kind_or_field_or_a_value_of_the_wrong_type_is_refused_and_nothing_changes() {
    let repo = repo();
    let new = |flag: &str, value: &str| {
        let mut cmd = repo.chg(&["new", "--no-input", "--title", "t", "--class", "normal"]);
        cmd.args([flag, value]);
        cmd
    };
    refused(
        &repo,
        new("--link", "jria=OPS-1"),
        2,
        "links.jria: not a kind of link the policy declares; its kinds: incident, jira",
    );
    refused(
        &repo,
        new("--field", "colour=red"),
        2,
        "fields.colour: not a field the policy declares",
    );
    refused(
        &repo,
        new("--field", "budget=lots"),
        2,
        "fields.budget: `lots` is not a number",
    );
    let id = proposed(&repo, &[]);
    repo.commit_all("Propose");
    for (assignment, needle) in [
        ("links.jria=OPS-1", "not a kind of link the policy declares"),
        ("fields.colour=red", "not a field the policy declares"),
        (
            "fields.region=asia",
            "`asia` is not a value of type one of eu|us",
        ),
        (
            "fields.cost_center=two\nlines",
            "is not a value of type string",
        ),
        ("links.jira=OPS-1\nOPS-2", "a reference is one line of text"),
        ("links.jira+=OPS-1", "`+=` adds to a list"),
    ] {
        refused(&repo, repo.chg(&["set", &id, assignment]), 2, needle);
    }
    // A policy declaring none says so.
    let bare = TestRepo::initialised();
    let plain = bare.new_change("t");
    refused(
        &bare,
        bare.chg(&["set", &plain, "links.jira=OPS-1"]),
        2,
        "the policy declares no kinds of link ([links])",
    );
}

#[test]
fn a_hand_edit_adding_an_undeclared_kind_is_not_saved() {
    let repo = repo();
    let id = proposed(&repo, &[]);
    let mut cmd = repo.chg(&["edit", &id]);
    cmd.env("EDITOR", "sed -i -e '$a links: {jria: OPS-1}'");
    refused(
        &repo,
        cmd,
        2,
        "links.jria: not a kind of link the policy declares",
    );
}

#[test]
fn a_hand_written_undeclared_kind_or_field_is_reported_by_r010() {
    let repo = repo_with_hand_written(
        "draft",
        "links:\n  jria: OPS-1\n  jira: \"a\\nb\"\nfields:\n  cost_center: CC-1\n  budget: lots\n  colour: red\n",
    );
    let (code, findings) = findings_at(&repo, NOW);
    assert_eq!(code, 1);
    let mut r010: Vec<&str> = (findings.iter())
        .filter(|f| f.rule == "R010")
        .map(|f| f.message.as_str())
        .collect();
    r010.sort_unstable();
    assert_eq!(r010.len(), 4, "{findings:?}");
    assert!(
        r010[0].contains("fields.budget: `lots` is not a value of type number"),
        "{r010:?}"
    );
    assert!(
        r010[1].contains("fields.colour: not a field the policy declares"),
        "{r010:?}"
    );
    assert!(
        r010[2].contains("links.jira: a reference is one line"),
        "{r010:?}"
    );
    assert!(
        r010[3].contains("links.jria: not a kind of link"),
        "{r010:?}"
    );
    // `chg edit`'s vetting leaves what the record already had to the rule: another
    // field can still be set.
    stdout_of(&mut repo.chg(&["set", "CHG-2026-0001", "owner=lee@example.com"]));
}

#[test]
fn a_hostile_reference_is_encoded_or_escaped_in_every_output() {
    let repo = repo();
    repo.git(&["tag", "v0"]);
    let id = proposed(&repo, &["--field", "cost_center=CC-12"]);
    stdout_of(&mut repo.chg(&["set", &id, &format!("links.jira={HOSTILE}")]));
    repo.chg(&["submit", &id]).assert().success();
    repo.chg(&[
        "schedule",
        &id,
        "--start",
        "2026-11-24 10:00",
        "--end",
        "2026-11-24 12:00",
    ])
    .assert()
    .success();
    repo.commit_all(&format!("Plan {id}"));
    repo.write("src/tenants.sql", "-- move\n");
    repo.commit_all(&format!("{id}: move the tenants"));
    let url = format!("https://example.atlassian.net/browse/{ENCODED}");

    let r = shown(&repo, &id);
    assert_eq!(r["links"]["jira"], HOSTILE);
    assert_eq!(r["derived"]["links"][0]["url"], url.as_str());
    assert!(stdout_of(&mut repo.chg(&["show", &id])).contains(&url));

    let audit = outcome(&mut repo.chg(&["audit", "--format", "json"])).1;
    let audit: Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(audit["changes"][0]["links"][0]["url"], url.as_str());
    let csv = outcome(&mut repo.chg(&["audit", "--format", "csv"])).1;
    assert!(csv.lines().next().unwrap().ends_with(",links"), "{csv}");
    assert!(csv.contains(&url), "{csv}");
    let markdown = outcome(&mut repo.chg(&["audit", "--format", "markdown"])).1;
    assert!(markdown.contains("| Links | jira: "), "{markdown}");
    assert!(markdown.contains(&url), "{markdown}");

    let notes = stdout_of(&mut repo.chg(&["notes", "v0..HEAD"]));
    assert!(
        notes.contains(&format!(
            "Move the EU tenants ({id}) [jira: \"\\>\\<script\\>alert(1)\\</script\\>{{id}}&x=1]({url})"
        )),
        "{notes}"
    );
    assert!(!notes.contains("<script>"), "{notes}");

    let week = [
        "calendar",
        "--from",
        "2026-11-23",
        "--until",
        "2026-11-30",
        "--format",
    ];
    let html = stdout_of(&mut repo.chg(&[&week[..], &["html"]].concat()));
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains(&format!(
            "<a href=\"{url}\">jira: &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{id}}&amp;x=1</a>"
        )),
        "{html}"
    );
    let ics = stdout_of(&mut repo.chg(&[&week[..], &["ics"]].concat())).replace("\r\n ", "");
    assert!(ics.contains(&format!("\r\nURL:{url}\r\n")), "{ics}");
    assert!(
        ics.contains("\\njira: \"><script>alert(1)</script>{id}&x=1 https://"),
        "{ics}"
    );
}

#[test]
fn chg_schema_in_a_repository_names_the_policy_s_links_and_fields() {
    let repo = repo();
    let schema: Value = serde_json::from_str(&stdout_of(&mut repo.chg(&["schema"]))).unwrap();
    let links = &schema["properties"]["links"];
    assert_eq!(links["additionalProperties"], json!(false));
    assert_eq!(links["properties"]["jira"]["type"], "string");
    let fields = &schema["properties"]["fields"];
    assert_eq!(fields["additionalProperties"], json!(false));
    assert_eq!(fields["properties"]["budget"]["type"], "number");
    assert_eq!(fields["properties"]["region"]["enum"], json!(["eu", "us"]));
    assert_eq!(
        fields["properties"]["cost_center"]["description"],
        "The cost centre the work is booked to"
    );
    // What --write puts next to the records is what it prints.
    let written = stdout_of(&mut repo.chg(&["schema", "--write"]));
    assert_eq!(
        repo.read(written.trim()),
        stdout_of(&mut repo.chg(&["schema"]))
    );
}

#[test]
fn a_link_added_after_approval_leaves_it_current_and_a_field_does_not() {
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        &(POLICY.replace(
            "approvals = []\nrequires = [\"description\", \"links.jira\", \"fields.cost_center\"]",
            "approvals = [\"approver\"]",
        ) + "[roles]\napprover = [\"lee@example.com\"]\n"),
    );
    repo.commit_all("Adopt chg");
    let id = proposed(&repo, &[]);
    repo.chg(&["submit", &id]).assert().success();
    repo.chg_as("Lee Lead", "lee@example.com", &["approve", &id])
        .assert()
        .success();
    let (_, _, stderr) = outcome(&mut repo.chg(&["set", &id, "links.jira=OPS-1"]));
    assert!(!stderr.contains("stale"), "{stderr}");
    assert_eq!(shown(&repo, &id)["status"], "approved");
    let (_, _, stderr) = outcome(&mut repo.chg(&["set", &id, "fields.budget=10"]));
    assert!(stderr.contains("approvals now stale"), "{stderr}");
}

#[test]
fn new_in_a_terminal_asks_for_a_required_link_and_field() {
    use rexpect::session::spawn_command;
    let repo = TestRepo::new();
    repo.write(
        ".changes.toml",
        &POLICY.replace(
            "requires = [\"description\", \"links.jira\", \"fields.cost_center\"]",
            "requires = [\"description\", \"links.jira\", \"fields.budget\"]",
        ),
    );
    repo.commit_all("Adopt chg");
    let mut cmd = repo.chg_process(&[
        "--no-color",
        "new",
        "--title",
        "Move the EU tenants",
        "--class",
        "normal",
        "--description",
        "d",
        "--rollback",
        "revert",
        "--likelihood",
        "possible",
        "--impact",
        "minor",
    ]);
    cmd.env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("links.jira (one line").unwrap();
    p.send_line("OPS-7").unwrap();
    p.exp_string("fields.budget (number").unwrap();
    p.send_line("twelve").unwrap();
    p.exp_string("`twelve` is not a number").unwrap();
    p.send("\x15").unwrap(); // clear the line
    p.send_line("12").unwrap();
    p.exp_string("CHG-2026-0001").unwrap();
    p.exp_eof().unwrap();
    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    assert!(yaml.contains("links:\n  jira: OPS-7\n"), "{yaml}");
    assert!(yaml.contains("fields:\n  budget: 12\n"), "{yaml}");
}

#[test]
fn a_bad_link_or_field_declaration_is_a_configuration_error_naming_the_file() {
    let jira = "jira = \"https://example.atlassian.net/browse/{id}\"";
    let required = "requires = [\"description\", \"links.jira\", \"fields.cost_center\"]";
    for (from, to, says) in [
        (
            jira,
            "jira = \"ftp://example.com/{id}\"",
            "is not an http(s) URL",
        ),
        (
            jira,
            "jira = \"https://example.com/a b/{id}\"",
            "has a space or a control character",
        ),
        (
            jira,
            "jira = \"https://example.com/browse\"",
            "where the reference goes",
        ),
        (
            jira,
            "jira = \"https://example.atlassian.net/browse/{id}\"\nPR = \"https://example.com/{id}\"",
            "is not a link kind",
        ),
        (
            "type = \"number\"",
            "type = \"money\"",
            "is not a field type",
        ),
        (
            "type = [\"eu\", \"us\"]",
            "type = []",
            "an empty list allows no value",
        ),
        ("[fields.budget]", "[fields.Budget]", "not a field name"),
        (
            required,
            "requires = [\"links.jria\"]",
            "declares no kind `jria`",
        ),
        (
            required,
            "requires = [\"fields.cc\"]",
            "not a field the policy declares",
        ),
    ] {
        let repo = repo();
        let id = proposed(
            &repo,
            &["--link", "jira=OPS-1", "--field", "cost_center=CC-1"],
        );
        let policy = repo.read(".changes.toml");
        assert!(policy.contains(from), "{from}");
        repo.write(".changes.toml", &policy.replacen(from, to, 1));
        let stderr = refused(
            &repo,
            repo.chg(&["set", &id, "fields.cost_center=CC-2"]),
            2,
            says,
        );
        assert!(stderr.contains(".changes.toml"), "{to}: {stderr}");
    }
}
