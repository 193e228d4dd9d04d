use crate::common::{stdout_of, TestRepo};

fn repo_with_three_changes() -> TestRepo {
    let repo = TestRepo::initialised();
    repo.chg(&["new", "--title", "Routine patch", "--class", "standard"])
        .assert()
        .success();
    repo.chg_as(
        "Lee",
        "lee@example.com",
        &[
            "new",
            "--title",
            "Schema change, with \"quotes\", and commas",
            "--class",
            "major",
            "--likelihood",
            "likely",
            "--impact",
            "major",
        ],
    )
    .assert()
    .success();
    repo.chg(&[
        "new",
        "--title",
        "New feature",
        "--class",
        "normal",
        "--likelihood",
        "rare",
        "--impact",
        "minor",
    ])
    .assert()
    .success();
    repo
}

#[test]
fn list_shows_a_table_with_derived_risk() {
    let repo = repo_with_three_changes();
    let table = stdout_of(&mut repo.chg(&["list"]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].contains("ID") && lines[0].contains("Risk"),
        "{table}"
    );
    assert!(
        lines[2].contains("CHG-2026-0002")
            && lines[2].contains("major")
            && lines[2].contains("high"),
        "{table}"
    );
    assert!(
        lines[3].contains("CHG-2026-0003") && lines[3].contains("low"),
        "{table}"
    );
}

#[test]
fn list_filters_by_status_class_risk_and_mine() {
    let repo = repo_with_three_changes();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--format", "csv"];
        all.extend_from_slice(args);
        stdout_of(&mut repo.chg(&all))
            .lines()
            .skip(1)
            .map(|l| l[..13].to_string())
            .collect()
    };
    assert_eq!(ids(&["--class", "major"]), ["CHG-2026-0002"]);
    assert_eq!(ids(&["--risk", "low"]), ["CHG-2026-0003"]);
    assert_eq!(
        ids(&["--risk", "low", "--risk", "high"]),
        ["CHG-2026-0002", "CHG-2026-0003"]
    );
    assert_eq!(ids(&["--status", "draft"]).len(), 3);
    assert!(ids(&["--status", "approved"]).is_empty());
    assert_eq!(ids(&["--mine"]), ["CHG-2026-0001", "CHG-2026-0003"]);
}

#[test]
fn list_json_is_the_records_and_csv_parses() {
    let repo = repo_with_three_changes();
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut repo.chg(&["list", "--format", "json"]))).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[1]["class"], "major");
    assert_eq!(records[1]["risk"]["likelihood"], "likely");

    let text = stdout_of(&mut repo.chg(&["list", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][6], "Schema change, with \"quotes\", and commas");
    assert_eq!(&rows[1][3], "high");
}

#[test]
fn show_prints_table_yaml_and_json() {
    let repo = repo_with_three_changes();
    let table = stdout_of(&mut repo.chg(&["show", "CHG-2026-0002"]));
    assert!(table.contains("high (derived)"), "{table}");
    assert!(
        table.contains("Missing") && table.contains("rollback.plan"),
        "{table}"
    );
    let yaml = stdout_of(&mut repo.chg(&["show", "CHG-2026-0002", "--format", "yaml"]));
    // The file's first line is the schema modeline, which is not part of the record.
    let file = repo.read(".changes/CHG-2026-0002.yaml");
    assert_eq!(
        Some(yaml.as_str()),
        file.strip_prefix(&repo.modeline_of("CHG-2026-0002"))
    );
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&mut repo.chg(&[
        "show",
        "CHG-2026-0002",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["author"], "Lee <lee@example.com>");
}

#[test]
fn global_dash_c_runs_elsewhere_and_quiet_silences_status() {
    let repo = repo_with_three_changes();
    let elsewhere = tempfile::TempDir::new().unwrap();
    let mut cmd = repo.chg(&[
        "-C",
        repo.path().to_str().unwrap(),
        "list",
        "--format",
        "csv",
    ]);
    cmd.current_dir(elsewhere.path());
    assert_eq!(stdout_of(&mut cmd).lines().count(), 4);

    let out = repo
        .chg(&["-q", "new", "--title", "t", "--class", "normal"])
        .assert()
        .success();
    assert!(out.get_output().stderr.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        format!("CHG-2026-0004 {}\n", repo.record_path("CHG-2026-0004"))
    );
}

#[test]
fn show_as_yaml_reads_no_freeze_and_the_table_still_needs_them() {
    let repo = TestRepo::initialised();
    let id = repo.complete_change("Add the column", "normal");
    repo.write(".changes/freezes/FRZ-2026-0001.yaml", "reason: [unclosed\n");
    let out = repo
        .chg(&["show", &id, "--format", "yaml"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains(&format!("id: {id}")));
    // Moves are judged against freezes: one that cannot be read stops them.
    crate::common::refused(&repo, repo.chg(&["show", &id]), 2, "cannot read a freeze");
}
