//! `chg completions`: a script for each shell clap_complete knows, anywhere.

use crate::common::{outcome, stdout_of, TestRepo};

#[test]
fn every_shell_gets_a_script_naming_the_subcommands_outside_a_repository() {
    let dir = TestRepo::bare_dir();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&mut dir.chg(&["completions", shell]));
        for word in ["approve", "check", "freeze", "completions", "no-input"] {
            assert!(script.contains(word), "{shell} lacks {word}:\n{script}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_known_ones() {
    let dir = TestRepo::bare_dir();
    let (code, stdout, stderr) = outcome(&mut dir.chg(&["completions", "tcsh"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(
        stderr.contains("bash, elvish, fish, powershell, zsh"),
        "{stderr}"
    );
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
