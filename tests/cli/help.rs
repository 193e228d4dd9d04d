//! Every command's `--help` stands alone: it shows examples, each of which parses
//! (run with `--help` appended, so its command, flags and values are read but
//! nothing runs), and documents `--format` and its values wherever it exists.

use crate::common::{outcome, TestRepo};
use crate::docs::{help, subcommands};

/// Every command path below `chg` (`["hook", "run", "pre-commit"]`...) with its
/// `--help`, `chg` itself first (with the empty path).
pub(crate) fn every_help(dir: &TestRepo) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let mut pending = vec![Vec::<String>::new()];
    while let Some(path) = pending.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(dir, &args, &[]).unwrap();
        for sub in subcommands(&text) {
            let mut child = path.clone();
            child.push(sub);
            pending.push(child);
        }
        found.push((path, text));
    }
    found
}

/// The example command lines of a `--help`: the lines after `Examples:` up to a blank
/// line, those that run chg.
fn examples(help: &str) -> Vec<String> {
    help.split("Examples:\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .filter(|l| l.starts_with("chg "))
        .map(str::to_string)
        .collect()
}

/// The arguments a shell would pass to chg on `line` (`chg ...`): quotes removed, up
/// to a comment, redirection or pipe.
fn chg_args(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => word.get_or_insert_default().push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, '#' | '>' | '<' | '|') if word.is_none() => break,
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words.split_off(1.min(words.len()))
}

#[test]
fn every_command_help_shows_examples_that_parse() {
    let dir = TestRepo::bare_dir();
    let helps = every_help(&dir);
    assert!(helps.len() > 35, "only {} commands", helps.len());
    let mut failures = Vec::new();
    for (path, text) in helps.iter().filter(|(path, _)| !path.is_empty()) {
        let name = format!("chg {}", path.join(" "));
        let shown = examples(text);
        if shown.is_empty() {
            failures.push(format!("`{name} --help` shows no example"));
        }
        for example in shown {
            let mut args = chg_args(&example);
            if args.first() != path.first() {
                failures.push(format!("`{name} --help`: `{example}` runs another command"));
            }
            args.push("--help".into());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, _, stderr) = outcome(&mut dir.chg(&args));
            if code != 0 {
                failures.push(format!(
                    "`{name} --help`: `{example}` does not parse: {stderr}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_format_option_says_what_its_values_are() {
    let dir = TestRepo::bare_dir();
    let mut seen = 0;
    for (path, text) in every_help(&dir) {
        let Some((_, after)) = text.split_once("--format <FORMAT>") else {
            continue;
        };
        seen += 1;
        let described = after.trim_start();
        assert!(
            !described.starts_with('['),
            "chg {} --help: --format has no description",
            path.join(" ")
        );
        assert!(
            after.contains("possible values:") || after.contains("Possible values:"),
            "chg {} --help: --format lists no values",
            path.join(" ")
        );
    }
    assert!(seen >= 9, "--format found in only {seen} commands");
}

#[test]
fn the_example_reader_splits_as_a_shell_would() {
    assert_eq!(
        chg_args(r#"chg new --title "Add a # column" --class normal   # a comment"#),
        ["new", "--title", "Add a # column", "--class", "normal"]
    );
    assert_eq!(
        chg_args("chg list --format csv > register.csv"),
        ["list", "--format", "csv"]
    );
    assert_eq!(
        chg_args("chg hook run pre-push origin < refs | tee log"),
        ["hook", "run", "pre-push", "origin"]
    );
    assert_eq!(chg_args("chg freeze end ''"), ["freeze", "end", ""]);
    assert_eq!(
        examples("About\n\nExamples:\n  chg a\n  git b\n  chg c x\n\nMore: chg d\n"),
        ["chg a", "chg c x"]
    );
}
