use crate::common::{outcome, refused, TestRepo};

#[test]
fn init_writes_a_commented_policy_and_the_register_directory() {
    let repo = TestRepo::new();
    repo.chg(&["init"]).assert().success();
    let policy = repo.read(".changes.toml");
    assert!(policy.contains("id_prefix = \"CHG\""));
    assert!(
        policy.lines().any(|l| l.trim_start().starts_with('#')),
        "policy is commented"
    );
    assert!(repo.path().join(".changes").is_dir());
}

#[test]
fn init_twice_is_refused_without_force_and_changes_nothing() {
    let repo = TestRepo::new();
    repo.chg(&["init"]).assert().success();
    repo.write(".changes.toml", "[changes]\nid_prefix = \"CR\"\n");
    refused(&repo, repo.chg(&["init"]), 2, "already initialised");
    assert_eq!(
        repo.read(".changes.toml"),
        "[changes]\nid_prefix = \"CR\"\n"
    );
}

#[test]
fn init_force_rewrites_the_policy_and_keeps_records() {
    let repo = TestRepo::initialised();
    let id = repo.new_change("Keep me");
    let (place, record) = (repo.record_path(&id), repo.read(&repo.record_path(&id)));
    repo.write(".changes.toml", "not = [valid");
    repo.chg(&["init", "--force"]).assert().success();
    assert!(repo.read(".changes.toml").contains("id_prefix = \"CHG\""));
    let kept = std::fs::read_to_string(repo.path().join(&place));
    assert_eq!(kept.ok(), Some(record), "{place} was not kept as it was");
}

#[test]
fn an_unknown_preset_is_named_with_the_known_ones() {
    let repo = TestRepo::new();
    let stderr = refused(
        &repo,
        repo.chg(&["init", "--preset", "iso9001"]),
        2,
        "no preset named `iso9001`",
    );
    assert!(stderr.contains("default"), "{stderr}");
}

const SEED_PRESETS: [&str; 5] = [
    "itil-four-class",
    "risk-score",
    "risk-matrix",
    "pull-request",
    "rfc",
];

#[test]
fn every_seed_preset_starts_a_register_that_passes_chg_check() {
    for preset in SEED_PRESETS {
        let repo = TestRepo::new();
        repo.chg(&["init", "--preset", preset]).assert().success();
        let policy = repo.read(".changes.toml");
        assert!(
            policy.contains("modelled on"),
            "{preset} says what it models"
        );
        assert!(!policy.contains("\nbaseline ="), "{preset}: no commit yet");
        let check = repo.chg(&["check"]).assert().success();
        let out = String::from_utf8_lossy(&check.get_output().stdout).into_owned();
        assert!(out.contains("0 error(s), 0 warning(s)"), "{preset}: {out}");
    }
}

#[test]
fn a_seed_preset_adopted_in_a_repository_with_history_leaves_that_history_alone() {
    for preset in SEED_PRESETS {
        let repo = TestRepo::new();
        // Work from before the policy names no change, which these presets require.
        repo.write("src/app.txt", "v1\n");
        repo.commit_all("Before chg");
        repo.chg(&["init", "--preset", preset]).assert().success();
        assert!(
            !repo.read(".changes.toml").contains("\nbaseline ="),
            "{preset}: no baseline is needed"
        );
        repo.chg(&["check"]).assert().success();
        // The adoption commit is judged by the policy before it: none.
        repo.commit_all("Adopt chg without naming a change");
        repo.chg(&["check"]).assert().success();
        // ...while what comes after is held to the preset.
        repo.write("src/app.txt", "v2\n");
        repo.commit_all("Work without naming a change");
        let out = repo.chg(&["check"]).assert().code(1);
        let out = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(out.contains("H002"), "{preset}: {out}");
    }
}

#[test]
fn the_preset_list_says_which_policy_each_models() {
    let repo = TestRepo::new();
    // `refused` also checks that nothing was written.
    let stderr = refused(
        &repo,
        repo.chg(&["init", "--preset", "itil"]),
        2,
        "no preset named `itil`",
    );
    for preset in SEED_PRESETS {
        assert!(stderr.contains(preset), "{stderr}");
    }
    assert!(stderr.contains("change-request specification"), "{stderr}");
}

#[test]
fn the_adoption_docs_policies_md_shows_passes_chg_check() {
    // docs/policies.md, "Adopting a preset": the adoption commit names a change; where
    // the preset protects .changes.toml, a major one, which its approvers then approve.
    for (preset, class, subject) in [
        ("itil-four-class", "standard", "Adopt chg"),
        ("risk-score", "major", "Adopt chg"),
        ("risk-matrix", "major", "[CR-2026-001] Adopt chg"),
        ("pull-request", "standard", "Adopt chg"),
        ("rfc", "standard", "Adopt chg"),
    ] {
        let repo = TestRepo::new();
        repo.write("src/app.txt", "v1\n");
        repo.commit_all("Before chg");
        repo.chg(&["init", "--preset", preset]).assert().success();
        let id = repo.create(&[
            "--title",
            "Adopt change management",
            "--class",
            class,
            "--description",
            "Policy from the preset",
        ]);
        if class == "standard" {
            repo.chg(&["submit", &id]).assert().success();
        }
        repo.commit_all(&format!("{subject}\n\nChange: {id}"));
        let out = repo.chg(&["check"]).assert().success();
        let out = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(out.contains("0 error(s), 0 warning(s)"), "{preset}: {out}");
    }
}

#[test]
fn init_example_prints_every_key_documented_and_needs_no_repository() {
    let dir = TestRepo::bare_dir();
    let (code, stdout, _) = outcome(&mut dir.chg(&["init", "--example"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, chg::policy::EXAMPLE);
    assert!(chg::policy::Policy::from_toml(&stdout).is_ok());
    assert!(stdout.contains("[approvals]") && stdout.contains("# default"));
    let files = dir.snapshot();
    refused(
        &dir,
        dir.chg(&["init", "--example", "--preset", "rfc"]),
        2,
        "cannot be used with",
    );
    assert!(files == dir.snapshot());
}
