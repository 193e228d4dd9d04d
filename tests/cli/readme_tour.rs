//! The README's quick tour runs top to bottom: every command of its `sh` blocks, in
//! order, in one fresh repository, exits as the README says (0 unless a trailing
//! `# exits <code>` comment says otherwise).
//!
//! What the README leaves to the reader, the test supplies, and nothing more:
//! - the repository is a clone of one with a single commit, as a team's is, so
//!   `origin/main` exists for `chg check --range`;
//! - `chg` is the binary under test, first on `PATH`, in the scrubbed environment of
//!   [`TestRepo`] (Ada's identity in the repository's config);
//! - the editor (`$EDITOR`, `$VISUAL`) is `true`, which saves a file unchanged;
//! - time passes between the tour's sections: each runs at the clock [`CLOCK`] gives
//!   its heading (`CHG_NOW`, and the dates of the commits it makes), as days pass
//!   between proposing, approving and shipping a change.

use crate::common::TestRepo;
use crate::docs::{blocks, read};
use std::path::Path;

/// When each section of the tour runs, by the start of its `###` heading.
const CLOCK: [(&str, &str); 6] = [
    ("A developer", "2026-11-21T10:30:00Z"),
    ("The change moves", "2026-11-21T11:00:00Z"),
    ("A reviewer", "2026-11-23T09:00:00Z"),
    ("A release manager", "2026-11-24T06:30:00Z"),
    ("An auditor", "2026-11-25T09:00:00Z"),
    ("CI", "2026-11-25T10:00:00Z"),
];

/// One command of the tour: where it is, what it runs, and the exit code it must have.
#[derive(Debug, PartialEq)]
struct Step {
    line: usize,
    command: String,
    exit: i32,
}

/// The `## Quick tour` section of the README (up to the next `## ` heading) and the
/// line of the README it starts on.
fn tour(readme: &str) -> (String, usize) {
    let start = readme
        .lines()
        .position(|l| l == "## Quick tour")
        .expect("README.md has no `## Quick tour`");
    let section: Vec<&str> = readme
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with("## "))
        .collect();
    (section.join("\n") + "\n", start + 2)
}

/// The commands of a block: continuation lines joined, comments stripped, output
/// lines (`# ...` and `CHG-...`) skipped.
fn steps(text: &str, first_line: usize) -> Vec<Step> {
    let mut found = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let (line, joined) = match pending.take() {
            Some((at, before)) => (at, format!("{before} {}", raw.trim())),
            None => (first_line + n, raw.trim().to_string()),
        };
        if let Some(head) = joined.strip_suffix('\\') {
            pending = Some((line, head.trim_end().to_string()));
            continue;
        }
        if joined.is_empty() || joined.starts_with('#') || joined.starts_with("CHG-") {
            continue;
        }
        let (command, comment) = split_comment(&joined);
        let exit = comment
            .and_then(|c| c.strip_prefix("exits "))
            .map(|code| code.split_whitespace().next().unwrap().parse().unwrap())
            .unwrap_or(0);
        found.push(Step {
            line,
            command: command.to_string(),
            exit,
        });
    }
    assert!(pending.is_none(), "a block ends in a continuation line");
    found
}

/// A command line and its trailing `# comment`, if any: a `#` after white space and
/// outside quotes starts it.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => {
                return (line[..at].trim_end(), Some(line[at + 1..].trim()));
            }
            _ => {}
        }
        previous = c;
    }
    (line, None)
}

/// The clock of the section a block at `line` of `section` is in.
fn clock_at(section: &str, line: usize) -> &'static str {
    let heading = section
        .lines()
        .take(line)
        .filter_map(|l| l.strip_prefix("### "))
        .last()
        .expect("a tour block before any `###` heading");
    CLOCK
        .iter()
        .find(|(start, _)| heading.starts_with(start))
        .unwrap_or_else(|| panic!("no clock for the tour's section {heading:?}"))
        .1
}

/// Single-quoted for `sh`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The tour as one `sh` script, so that what a line exports holds for the lines after
/// it: each step echoes where it is, runs, and stops the script when its exit code is
/// not the README's.
fn script(readme: &str) -> (String, usize) {
    let (section, offset) = tour(readme);
    let mut out = String::new();
    let mut count = 0;
    for block in blocks(&section).into_iter().filter(|b| b.lang == "sh") {
        let when = clock_at(&section, block.line);
        out.push_str(&format!(
            "export CHG_NOW={when} GIT_AUTHOR_DATE={when} GIT_COMMITTER_DATE={when}\n"
        ));
        for step in steps(&block.text, offset + block.line - 1) {
            let Step {
                line,
                command,
                exit,
            } = step;
            let label = quoted(&format!("README.md:{line}: {command}"));
            out.push_str(&format!(
                "echo \"+ \"{label} >&2\n{command}\ncode=$?\n\
                 [ $code -eq {exit} ] || {{ echo {label}\" exited $code, not {exit}\" >&2; exit 1; }}\n"
            ));
            count += 1;
        }
    }
    (out, count)
}

#[test]
fn the_readme_quick_tour_runs_top_to_bottom() {
    let (script, count) = script(&read(Path::new("README.md")));
    assert!(count > 30, "only {count} commands in the tour");
    let origin = TestRepo::new();
    origin.write("README.md", "# Our service\n");
    origin.commit_all("Start the service");
    let repo = TestRepo::clone_of(&origin, &[]);
    let chg_dir = Path::new(env!("CARGO_BIN_EXE_chg")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(chg_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = repo
        .program("sh")
        .args(["-c", &script])
        .env("PATH", path)
        .env("EDITOR", "true")
        .env("VISUAL", "true")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the tour stopped:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_tour_reader_joins_lines_strips_comments_and_skips_output() {
    let block = "chg new --title \"A # B\" \\\n    --class normal   # a comment\n\
                 # CHG-2026-0001 .changes/CHG-2026-0001.yaml\nCHG-2026-0001\n\n\
                 git commit -m 'x'   # exits 1\n";
    let found = steps(block, 10);
    assert_eq!(
        found,
        [
            Step {
                line: 10,
                command: "chg new --title \"A # B\" --class normal".into(),
                exit: 0,
            },
            Step {
                line: 15,
                command: "git commit -m 'x'".into(),
                exit: 1,
            },
        ]
    );
    assert_eq!(quoted("it's"), r"'it'\''s'");
}
