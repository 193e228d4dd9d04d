use crate::common::{refused, TestRepo};

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
    repo.write(".changes.toml", "not = [valid");
    repo.chg(&["init", "--force"]).assert().success();
    assert!(repo.read(".changes.toml").contains("id_prefix = \"CHG\""));
    assert!(repo.path().join(format!(".changes/{id}.yaml")).exists());
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
