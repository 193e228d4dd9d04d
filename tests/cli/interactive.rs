//! `chg new` driven through a real pseudo-terminal, as a person would answer it.

use crate::common::TestRepo;
use rexpect::session::spawn_command;

#[test]
fn new_in_a_terminal_asks_for_what_is_missing_and_writes_the_answers() {
    let repo = TestRepo::initialised();
    let mut cmd = repo.chg_process(&["--no-color", "new"]);
    cmd.env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();

    p.exp_string("Title").unwrap();
    p.send_line("Rotate the API signing key").unwrap();
    p.exp_string("Class").unwrap();
    // Default is normal; one step down picks major.
    p.send("\x1b[B").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Description").unwrap();
    p.send_line("Replace the key in the vault and restart the API")
        .unwrap();
    p.exp_string("Rollback plan").unwrap();
    p.send_line("Restore the previous key version").unwrap();
    p.exp_string("Likelihood").unwrap();
    p.send("\x1b[B").unwrap(); // possible -> likely
    p.send_line("").unwrap();
    p.exp_string("Impact").unwrap();
    p.send_line("").unwrap(); // moderate
    p.exp_string("CHG-2026-0001").unwrap();
    p.exp_eof().unwrap();

    let yaml = repo.read(".changes/CHG-2026-0001.yaml");
    for expected in [
        "title: Rotate the API signing key",
        "class: major",
        "description: Replace the key in the vault and restart the API",
        "plan: Restore the previous key version",
        "likelihood: likely",
        "impact: moderate",
    ] {
        assert!(
            yaml.contains(expected),
            "record lacks {expected:?}:\n{yaml}"
        );
    }
}
