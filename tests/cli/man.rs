//! `chg man`: a manual page per command, from the definitions `--help` prints.

use crate::common::{outcome, refused, TestRepo};

#[test]
fn man_writes_a_page_for_chg_and_each_command() {
    let dir = TestRepo::bare_dir();
    let out = dir.path().join("man1");
    let (code, _, stderr) = outcome(&mut dir.chg(&["man", "--out", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("manual pages"), "{stderr}");
    let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert!(page("chg.1").contains(".TH chg 1"));
    let check = page("chg-check.1");
    assert!(check.contains("\\-\\-range"), "{check}");
    assert!(page("chg-freeze-start.1").contains("freeze start"));
    // One page per command that --help lists, and the groups' commands.
    let pages = std::fs::read_dir(&out).unwrap().count();
    assert!(pages > 30, "{pages}");
}

#[test]
fn man_refuses_a_file_as_its_directory_and_writes_nothing() {
    let dir = TestRepo::bare_dir();
    dir.write("taken", "x\n");
    let files = dir.snapshot();
    refused(
        &dir,
        dir.chg(&["man", "--out", "taken"]),
        2,
        "not a directory",
    );
    assert!(files == dir.snapshot());
}
