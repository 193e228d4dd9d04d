//! `chg completions`: a script for each shell that asks chg for the words, and the
//! answers chg gives when the shell asks (`COMPLETE=<shell> chg -- <words>`).

use crate::common::{outcome, stdout_of, TestRepo};

/// What chg offers as the last of `words` (after `chg`), asked as fish asks: one
/// candidate a line, a tab before its description.
fn offered(repo: &TestRepo, words: &[&str]) -> Vec<String> {
    let mut all = vec!["--", "chg"];
    all.extend(words);
    let out = stdout_of(repo.chg(&all).env("COMPLETE", "fish"));
    out.lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// A repository holding two changes and one freeze, nothing committed after them.
fn register_of_two() -> (TestRepo, [String; 2]) {
    let repo = TestRepo::initialised();
    let first = repo.new_change("Add the column");
    let second = repo.new_change("Drop the index");
    repo.chg(&[
        "freeze",
        "start",
        "--reason",
        "Release",
        "--until",
        "2026-11-25",
    ])
    .assert()
    .success();
    (repo, [first, second])
}

#[test]
fn every_shell_gets_a_script_that_asks_chg_for_the_words() {
    let dir = TestRepo::bare_dir();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&mut dir.chg(&["completions", shell]));
        assert!(script.contains("COMPLETE"), "{shell}:\n{script}");
        assert!(script.contains(shell), "{shell}:\n{script}");
        assert!(script.contains("chg"), "{shell}:\n{script}");
    }
}

#[test]
fn subcommands_and_flags_are_offered_outside_a_repository() {
    let dir = TestRepo::bare_dir();
    let words = offered(&dir, &["ap"]);
    assert_eq!(words, ["approve"]);
    let flags = offered(&dir, &["new", "--no-i"]);
    assert_eq!(flags, ["--no-input"]);
}

#[test]
fn change_ids_are_offered_wherever_a_change_is_named() {
    let (repo, ids) = register_of_two();
    for words in [
        &["show", ""][..],
        &["edit", ""],
        &["submit", ""],
        &["approve", ""],
        &["log", ""],
        &["check", "--record", ""],
    ] {
        let offered = offered(&repo, words);
        for id in &ids {
            assert!(offered.contains(id), "{words:?} lacks {id}: {offered:?}");
        }
        assert!(
            !offered.iter().any(|w| w.starts_with("FRZ-")),
            "{words:?} offers a freeze: {offered:?}"
        );
    }
    assert_eq!(offered(&repo, &["show", &ids[1]]), [ids[1].clone()]);
}

#[test]
fn freeze_ids_are_offered_to_end_a_freeze() {
    let (repo, _) = register_of_two();
    assert_eq!(offered(&repo, &["freeze", "end", "FRZ"]), ["FRZ-2026-0001"]);
}

#[test]
fn closed_vocabularies_are_offered() {
    let (repo, _) = register_of_two();
    assert_eq!(
        offered(&repo, &["new", "--class", ""]),
        ["standard", "normal", "major", "emergency"]
    );
    assert_eq!(
        offered(&repo, &["review", "X", "--outcome", ""]),
        ["achieved", "partially", "not-achieved"]
    );
    assert_eq!(
        offered(&repo, &["new", "--likelihood", "al"]),
        ["almost-certain"]
    );
    assert_eq!(offered(&repo, &["list", "--risk", "c"]), ["critical"]);
    assert_eq!(offered(&repo, &["check", "--format", "s"]), ["sarif"]);
}

#[test]
fn rule_codes_are_offered_to_explain_with_their_summary() {
    let dir = TestRepo::bare_dir();
    let out = stdout_of(
        dir.chg(&["--", "chg", "check", "--explain", "R00"])
            .env("COMPLETE", "fish"),
    );
    assert!(
        out.lines().any(|l| l.starts_with("R001\t")),
        "no R001 with its summary:\n{out}"
    );
    assert!(out.lines().all(|l| l.starts_with("R00")), "{out}");
}

#[test]
fn environments_named_by_the_policy_are_offered() {
    let repo = TestRepo::initialised();
    repo.write(
        ".changes.toml",
        "[windows]\nenvironments = [\"production\", \"eu-production\"]\n",
    );
    assert_eq!(
        offered(&repo, &["deploy", "X", "--env", ""]),
        ["eu-production", "production"]
    );
}

/// Environment names come from a policy anyone may propose, and a shell puts the
/// word it completes onto the command line as it is: a name holding shell syntax
/// (`$(…)`, a backquote, `;`, a glob, a line break) would run once the user presses
/// Enter. Such names are not offered.
#[test]
fn environments_holding_shell_syntax_are_not_offered() {
    let repo = TestRepo::initialised();
    repo.write(
        ".changes.toml",
        "[windows]\nenvironments = [\"production\", \"prod$(touch pwned)\", \"prod`id`\", \
         \"prod;id\", \"prod*\", \"prod\\nid\", \"prod id\", \"prod'x\", \"eu-prod.1\"]\n",
    );
    assert_eq!(
        offered(&repo, &["deploy", "X", "--env", ""]),
        ["eu-prod.1", "production"]
    );
}

#[test]
fn outside_a_repository_no_id_is_offered_and_nothing_fails() {
    let dir = TestRepo::bare_dir();
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, stderr) = outcome(
            dir.chg(&["--", "chg", "show", "CHG"])
                .env("COMPLETE", shell)
                .env("_CLAP_COMPLETE_INDEX", "2"),
        );
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stderr.is_empty(), "{shell}: {stderr}");
        assert!(stdout.trim().is_empty(), "{shell}: {stdout}");
    }
}

#[test]
fn a_broken_policy_offers_no_id_and_fails_nothing() {
    let (repo, _) = register_of_two();
    repo.write(".changes.toml", "[changes\n");
    let (code, stdout, stderr) = outcome(
        repo.chg(&["--", "chg", "show", "CHG"])
            .env("COMPLETE", "fish"),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.trim().is_empty(), "{stdout}");
}

#[test]
fn bash_is_answered_for_the_word_under_the_cursor() {
    let (repo, ids) = register_of_two();
    let out = stdout_of(
        repo.chg(&["--", "chg", "approve", "CHG", "--comment"])
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", "2")
            .env("_CLAP_IFS", "\n"),
    );
    let words: Vec<&str> = out.lines().collect();
    assert_eq!(words, ids.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn bash_through_the_installed_script_offers_the_ids() {
    let (repo, ids) = register_of_two();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_chg"))
        .parent()
        .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let script = r#"source <(chg completions bash)
COMP_WORDS=(chg approve CHG); COMP_CWORD=2; COMP_TYPE=9
_clap_complete_chg chg CHG approve
printf '%s\n' "${COMPREPLY[@]}""#;
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env_clear()
        .env("PATH", path)
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().collect::<Vec<_>>(), ids);
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_known_ones() {
    let dir = TestRepo::bare_dir();
    let before = dir.snapshot();
    let (code, stdout, stderr) = outcome(&mut dir.chg(&["completions", "tcsh"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(
        stderr.contains("bash, elvish, fish, powershell, zsh"),
        "{stderr}"
    );
    assert!(before == dir.snapshot());
}

#[test]
fn the_help_says_where_each_script_goes() {
    let dir = TestRepo::bare_dir();
    let help = stdout_of(&mut dir.chg(&["completions", "--help"]));
    for place in [
        "~/.local/share/bash-completion/completions/chg",
        "~/.config/fish/completions/chg.fish",
        "$PROFILE",
    ] {
        assert!(help.contains(place), "help lacks {place}:\n{help}");
    }
}
