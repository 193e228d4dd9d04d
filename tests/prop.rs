//! Property tests of the parsers that read untrusted input: change records, freezes,
//! the policy and commit messages. Whatever the input (arbitrary bytes, or a valid
//! file mutated), each parser answers `Ok` or `Err` within a time and memory bound,
//! and never panics. Valid inputs come from `fixtures/` and a few seeds written here.
//!
//! Each property runs `PROPTEST_CASES` cases (256 by default); failures are not
//! persisted to files: a case that fails is kept as a regular test instead.

use chg::model::freeze::Freeze;
use chg::model::reference::{self, References};
use chg::model::ChangeRecord;
use chg::policy::Policy;
use chg::store::{self, Unreadable};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use regex::Regex;
use std::sync::mpsc;
use std::time::Duration;

/// Generous: a parse that takes this long on any input is a hang, not a slow machine.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The largest input generated: a register file is a few kilobytes.
const MAX_INPUT: usize = 1 << 20;
/// Peak memory of the whole test process. Inputs are at most 1 MiB, so a parser that
/// reaches this expands its input far beyond what a file can justify.
const MAX_PEAK_BYTES: u64 = 1 << 30;
/// The stack of a process's main thread on Linux, where chg parses.
const STACK: usize = 8 << 20;

fn config() -> Config {
    // The default takes PROPTEST_CASES, 256 when unset.
    Config {
        failure_persistence: None,
        // A hang costs TIME_LIMIT per shrinking step: stop shrinking after a few,
        // unless PROPTEST_MAX_SHRINK_TIME says otherwise.
        max_shrink_time: match Config::default().max_shrink_time {
            0 => 60_000,
            set => set,
        },
        ..Config::default()
    }
}

/// Runs `parse` on a thread with a main thread's stack and fails the case if it
/// panics, outlives [`TIME_LIMIT`], or the process's peak memory passes the bound.
fn bounded<T: Send + 'static>(
    input: &str,
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || send.send(parse()))
        .expect("a thread starts");
    let shown = || format!("{} bytes starting {:?}", input.len(), prefix(input));
    let out = match receive.recv_timeout(TIME_LIMIT) {
        Ok(out) => out,
        // The thread is left running: a hang cannot be stopped from outside.
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return Err(TestCaseError::fail(format!(
                "no answer within {TIME_LIMIT:?} for {}",
                shown()
            )))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(TestCaseError::fail(format!("panicked on {}", shown())))
        }
    };
    if let Some(peak) = peak_memory() {
        prop_assert!(
            peak < MAX_PEAK_BYTES,
            "peak memory {peak} bytes after {}",
            shown()
        );
    }
    Ok(out)
}

fn prefix(text: &str) -> &str {
    let end = (0..=text.len().min(200))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[..end]
}

/// The process's peak resident memory, where the system says (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

// ---- the parsers, as the library exposes them ----

fn parse_record(text: String) -> Result<Result<ChangeRecord, Unreadable>, TestCaseError> {
    let input = text.clone();
    bounded(&input, move || {
        store::parse(".changes/CHG-2026-0001.yaml", &text)
    })
}

fn parse_freeze(text: String) -> Result<Result<Freeze, Unreadable>, TestCaseError> {
    let input = text.clone();
    bounded(&input, move || {
        store::parse_as::<Freeze>(".changes/freezes/FRZ-2026-0001.yaml", &text)
    })
}

fn parse_policy(text: String) -> Result<Result<Policy, String>, TestCaseError> {
    let input = text.clone();
    bounded(&input, move || Policy::from_toml(&text))
}

fn parse_message(message: String, pattern: &Regex) -> Result<References, TestCaseError> {
    let (input, pattern) = (message.clone(), pattern.clone());
    let refs = bounded(&input, move || reference::parse(&message, &pattern))?;
    // Each change is named once, however often the message names it.
    for (i, id) in refs.ids.iter().enumerate() {
        prop_assert!(
            !refs.ids[..i].iter().any(|known| known.same_change(id)),
            "{id} listed twice in {refs:?}"
        );
    }
    Ok(refs)
}

/// A record or freeze that parses is written back by the commands that change it:
/// what is written must read back as the same value, or not be written at all.
fn round_trips<T>(value: T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + Send,
    T: Clone + 'static,
{
    let written = bounded("the value written back", {
        let value = value.clone();
        move || chg::model::yaml::file_text("", &value)
    })?;
    // Refused only for the size chg reads, which the text read may have filled.
    let Ok(written) = written else {
        return Ok(());
    };
    let again = store::parse_as::<T>("written", &written);
    prop_assert_eq!(
        again.as_ref().ok(),
        Some(&value),
        "written as:\n{}",
        written
    );
    Ok(())
}

/// chg builds a vetted document itself, by serde_yaml's rules, and leaves to serde_yaml
/// only what it does not take: both must give the same value or the same error.
fn built_alike<T>(text: String) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    let input = text.clone();
    let (ours, theirs) = bounded(&input, move || {
        // Every error of from_str is serde_yaml's, or the vetting's before either
        // builds: only a value built can differ.
        let Ok(ours) = chg::model::yaml::from_str::<T>(&text) else {
            return (String::new(), String::new());
        };
        // What from_str reads: the text after one byte order mark.
        let read = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let theirs = chg::model::yaml::built_by_serde_yaml::<T>(read);
        // Debug, not PartialEq: `.nan` is a value both build, unequal to itself.
        (
            format!("{:?}", Ok::<_, chg::model::yaml::YamlError>(ours)),
            format!("{theirs:?}"),
        )
    })?;
    prop_assert_eq!(
        ours,
        theirs,
        "built unlike serde_yaml from {}",
        prefix(&input)
    );
    Ok(())
}

// ---- valid inputs ----

/// A record using the YAML a person might write by hand: a comment header, anchors,
/// block scalars, quoting, CRLF-free.
const RECORD_SEED: &str = r#"# yaml-language-server: $schema=schema.json
# A note above the record.
id: CHG-2026-0042
title: "Rotate the TLS certificates: prod & staging"
class: normal
status: submitted
created_at: 2026-11-20T09:00:00Z
author: Ada Lovelace <ada@example.com>
owner: 'Lee <lee@example.com>'
description: |
  Replaces the certificates that expire in December.

  Two paragraphs, with a "quote" and a # that is not a comment.
rationale: >
  Folded text
  over lines.
components: [api, web]
environments:
- staging
- production
stakeholders: [api, web]
rollback:
  plan: Restore the previous bundle from the vault
test_plan: ~
transitions:
- from: draft
  to: submitted
  at: 2026-11-20T10:00:00+01:00
  by: ada@example.com
"#;

const FREEZE_SEED: &str = "id: FRZ-2026-0007
reason: 'Year-end: no changes but fixes'
starts: 2026-12-20T00:00:00Z
ends: 2027-01-04T00:00:00Z
declared_by: Rita <rita@example.com>
allow: [emergency, standard]
environments: [production]
ended_early:
  at: 2026-12-30T12:00:00Z
  by: rita@example.com
";

const MESSAGES: &[&str] = &[
    "CHG-2026-0001: add the asset_owner column\n\nBody naming CHG-2026-0002 too.\n",
    "Fix the login [CR-2025-001]\n\nSee [CR-2025-002] and CR-2025-003.\n\nChange: CHG-2026-0003, CHG-2026-0004\nCo-authored-by: Lee <lee@example.com>\n",
    "Tidy\n\nChange: not-an-id\nchange: chg-2026-0005\nSigned-off-by: Ada <ada@example.com>\n",
    "Merge branch 'feature'\n\n(cherry picked from commit 0123456789abcdef)\nChange: CHG-2026-0006\n",
];

fn fixture(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

fn fixture_names(dir: &str, ext: &str) -> Vec<String> {
    let full = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&full)
        .unwrap_or_else(|e| panic!("cannot list {full}: {e}"))
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .into_string()
                .unwrap()
        })
        .filter(|n| n.ends_with(ext))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    names.sort();
    names
}

/// The files and policies held by the rule fixtures.
struct RuleFixtures {
    records: Vec<String>,
    freezes: Vec<String>,
    policies: Vec<String>,
}

fn rule_fixtures() -> RuleFixtures {
    let mut found = RuleFixtures {
        records: Vec::new(),
        freezes: Vec::new(),
        policies: Vec::new(),
    };
    for name in fixture_names("fixtures/rules", ".yaml") {
        let doc: serde_yaml::Value = serde_yaml::from_str(&fixture(&name)).unwrap();
        if let Some(policy) = doc["policy"].as_str() {
            found.policies.push(policy.to_string());
        }
        let Some(files) = doc["files"].as_mapping() else {
            continue;
        };
        for (path, text) in files {
            let (Some(path), Some(text)) = (path.as_str(), text.as_str()) else {
                continue;
            };
            // Both kinds are `<dir>/<ID>.yaml`; freezes sit in `freezes/` under it.
            if path.contains("/freezes/FRZ-") {
                found.freezes.push(text.to_string());
            } else if path.ends_with(".yaml") && path.contains("/CHG-") {
                found.records.push(text.to_string());
            }
        }
    }
    found
}

/// Valid inputs of each kind, to mutate. Only those that parse are kept (a fail
/// fixture may hold a record that is wrong on purpose); [`seeds_parse`] checks
/// that enough remain.
struct Seeds {
    records: Vec<String>,
    freezes: Vec<String>,
    policies: Vec<String>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: std::sync::OnceLock<Seeds> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let found = rule_fixtures();
        let mut records = vec![RECORD_SEED.to_string()];
        records.extend(found.records);
        records.retain(|t| store::parse("seed", t).is_ok());
        let mut freezes = vec![FREEZE_SEED.to_string()];
        freezes.extend(found.freezes);
        freezes.retain(|t| store::parse_as::<Freeze>("seed", t).is_ok());
        let mut policies: Vec<String> = fixture_names("fixtures/policies", ".toml")
            .iter()
            .map(|n| fixture(n))
            .collect();
        policies.extend(found.policies);
        policies.retain(|t| Policy::from_toml(t).is_ok());
        Seeds {
            records,
            freezes,
            policies,
        }
    })
}

#[test]
fn seeds_parse() {
    assert!(store::parse("seed", RECORD_SEED).is_ok());
    assert!(store::parse_as::<Freeze>("seed", FREEZE_SEED).is_ok());
    let seeds = seeds();
    assert!(seeds.records.len() > 50, "{} records", seeds.records.len());
    assert!(seeds.freezes.len() > 3, "{} freezes", seeds.freezes.len());
    // Every preset, and the fixtures' policies.
    assert!(
        seeds.policies.len() > 20,
        "{} policies",
        seeds.policies.len()
    );
    let pattern = Regex::new(r"\[CR-\d{4}-\d{3}\]").unwrap();
    assert_eq!(reference::parse(MESSAGES[1], &pattern).ids.len(), 4);
}

/// Found by `freezes_mutated`: the YAML parser takes time quadratic in the depth of
/// nested flow collections (`[[[[…`, `{a: {a: …`), about 11 s for 40,000 levels in a
/// debug build, so a record or freeze holding a megabyte of `[` stalled every command
/// that reads the register, until nesting was bounded before parsing.
#[test]
fn a_megabyte_of_flow_nesting_is_refused_in_bounded_time() {
    for open in ["[", "{a: "] {
        let deep = open.repeat(MAX_INPUT / open.len());
        let record = parse_record(format!("adrs: {deep}\n{RECORD_SEED}"));
        assert!(matches!(record, Ok(Err(_))), "{record:?}");
        let freeze = parse_freeze(format!("{FREEZE_SEED}environments: {deep}\n"));
        assert!(matches!(freeze, Ok(Err(_))), "{freeze:?}");
    }
}

/// Found by `records_mutated`: a record of exactly the size chg reads, its last line
/// without a newline, was written back one byte larger, and no command could read it.
#[test]
fn a_record_that_would_outgrow_the_size_read_is_not_written() {
    let written = |record: &ChangeRecord| chg::model::yaml::to_string(record);
    let mut record = parse_record(RECORD_SEED.to_string()).unwrap().unwrap();
    let room = MAX_INPUT + 1 - written(&record).len();
    record.title.push_str(&"x".repeat(room));
    // As written but for its last newline: exactly the size read.
    let text = written(&record);
    let text = text.strip_suffix('\n').unwrap();
    assert_eq!(text.len(), MAX_INPUT);
    let read = parse_record(text.to_string()).unwrap().unwrap();
    assert!(chg::model::yaml::file_text("", &read).is_err());
    round_trips(read).unwrap();
}

// ---- mutations ----

/// Text that breaks YAML, TOML or commit messages in interesting ways.
const INJECTIONS: &[&str] = &[
    "&a ",
    "*a",
    "&a [*a, *a]",
    "<<: *a\n",
    "!!tag ",
    "!!binary ",
    "!!map ",
    "!<tag:yaml.org,2002:str> ",
    "[[[[",
    "]]]]",
    "{{{{",
    "}",
    "\0",
    "\u{feff}",
    "\r\n",
    "\r",
    "\t",
    ": ",
    "- ",
    "? ",
    "|",
    ">-",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    "#",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "~",
    "=",
    "[[classes.normal]]\n",
    "[rules]\n",
    "a.b.c = 1\n",
    "1e999",
    "-0",
    "nan",
    "99999999999999999999999",
    "2026-13-45T25:61:61Z",
    "9999-12-31T23:59:59+99:99",
    "CHG-",
    "CHG-2026-",
    "CHG-9999-999999999999",
    "[CR-2025-",
    "\n\nChange: ",
    "\nCo-authored-by: ",
    "\u{202e}",
    "\u{10ffff}",
    "é",
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    SetByte(Index, u8),
    Inject(Index, &'static str),
    DeleteLine(Index),
    DuplicateLine(Index, usize),
    SwapLines(Index, Index),
    /// A line of `len` copies of a character.
    LongLine(Index, char, usize),
    /// Indents a line by `depth` spaces.
    Indent(Index, usize),
    /// `depth` nested flow collections or block sequences.
    Nest(Index, usize, bool),
    /// Anchors `b0..b<levels>`, each a list of `width` aliases of the one before,
    /// defined at a line start and the last referenced elsewhere: an expansion bomb.
    AliasBomb(Index, Index, u8, u8),
    Truncate(Index),
    CrLf,
    Bom,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let long = prop_oneof![4 => 0usize..1000, 1 => 0usize..MAX_INPUT];
    // Nesting as deep as the whole input: refused at the depth limit, whatever its size.
    let deep = prop_oneof![4 => 0usize..200, 1 => 0usize..MAX_INPUT];
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        6 => (any::<Index>(), prop::sample::select(INJECTIONS))
            .prop_map(|(i, s)| Mutation::Inject(i, s)),
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => (any::<Index>(), 1usize..50).prop_map(|(i, n)| Mutation::DuplicateLine(i, n)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), prop::sample::select(&['a', ' ', ']', '-', 'é', '\''][..]), long)
            .prop_map(|(i, c, n)| Mutation::LongLine(i, c, n)),
        1 => (any::<Index>(), deep.clone()).prop_map(|(i, n)| Mutation::Indent(i, n)),
        1 => (any::<Index>(), deep, any::<bool>()).prop_map(|(i, n, f)| Mutation::Nest(i, n, f)),
        1 => (any::<Index>(), any::<Index>(), 1u8..12, 2u8..12)
            .prop_map(|(at, to, levels, width)| Mutation::AliasBomb(at, to, levels, width)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => Just(Mutation::CrLf),
        1 => Just(Mutation::Bom),
    ]
}

/// The byte offsets at which lines start (and the end), so line edits keep the rest.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    if *starts.last().unwrap() != bytes.len() {
        starts.push(bytes.len());
    }
    starts
}

/// The line `index` picks, as a byte range (empty text: an empty range).
fn line(bytes: &[u8], index: &Index) -> std::ops::Range<usize> {
    let starts = line_starts(bytes);
    if starts.len() < 2 {
        return 0..bytes.len();
    }
    let n = index.index(starts.len() - 1);
    starts[n]..starts[n + 1]
}

fn position(bytes: &[u8], index: &Index) -> usize {
    index.index(bytes.len() + 1)
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::FlipBit(i, bit) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        Mutation::SetByte(i, b) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::FlipBit(..) | Mutation::SetByte(..) => {}
        Mutation::Inject(i, s) => {
            let at = position(bytes, i);
            bytes.splice(at..at, s.bytes());
        }
        Mutation::DeleteLine(i) => {
            let range = line(bytes, i);
            bytes.drain(range);
        }
        Mutation::DuplicateLine(i, times) => {
            let range = line(bytes, i);
            let copy = bytes[range.clone()].repeat(*times);
            bytes.splice(range.end..range.end, copy);
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (line(bytes, a), line(bytes, b));
            let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
            if first.end <= second.start {
                let mut out = bytes[..first.start].to_vec();
                out.extend_from_slice(&bytes[second.clone()]);
                out.extend_from_slice(&bytes[first.end..second.start]);
                out.extend_from_slice(&bytes[first.clone()]);
                out.extend_from_slice(&bytes[second.end..]);
                *bytes = out;
            }
        }
        Mutation::LongLine(i, c, len) => {
            let at = line(bytes, i).start;
            let mut text = c.to_string().repeat(*len);
            text.push('\n');
            bytes.splice(at..at, text.into_bytes());
        }
        Mutation::Indent(i, depth) => {
            let at = line(bytes, i).start;
            bytes.splice(at..at, std::iter::repeat_n(b' ', *depth));
        }
        Mutation::Nest(i, depth, flow) => {
            let at = position(bytes, i);
            let nested = if *flow {
                format!("{}{}", "[".repeat(*depth), "]".repeat(*depth))
            } else {
                // Line d is indented 2d: cap the depth so the text stays near MAX_INPUT.
                (0..*depth.min(&1000))
                    .map(|d| format!("{}- ", " ".repeat(d * 2)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            bytes.splice(at..at, nested.into_bytes());
        }
        Mutation::AliasBomb(at, to, levels, width) => {
            let reference = format!("*b{}", levels - 1);
            let to = position(bytes, to);
            bytes.splice(to..to, reference.into_bytes());
            let at = line(bytes, at).start;
            bytes.splice(at..at, alias_bomb(*levels, *width).into_bytes());
        }
        Mutation::Truncate(i) => {
            let at = position(bytes, i);
            bytes.truncate(at);
        }
        Mutation::CrLf => {
            let mut out = Vec::with_capacity(bytes.len() * 2);
            for &b in bytes.iter() {
                if b == b'\n' {
                    out.push(b'\r');
                }
                out.push(b);
            }
            *bytes = out;
        }
        Mutation::Bom => {
            bytes.splice(0..0, "\u{feff}".bytes());
        }
    }
    bytes.truncate(MAX_INPUT);
}

/// `levels` anchors, each a list of `width` aliases of the one before: expanded, the
/// last is `width^levels` strings.
fn alias_bomb(levels: u8, width: u8) -> String {
    let mut text = format!("b0: &b0 [{}]\n", vec!["lol"; width.into()].join(", "));
    for level in 1..levels {
        let aliases = vec![format!("*b{}", level - 1); width.into()].join(", ");
        text.push_str(&format!("b{level}: &b{level} [{aliases}]\n"));
    }
    text
}

/// A seed and the mutations made to it. Shown as such when a case fails, which is
/// short and reproduces the case, where the text could be a megabyte.
#[derive(Debug, Clone)]
struct Mutated {
    seed: usize,
    mutations: Vec<Mutation>,
}

impl Mutated {
    /// The text, lossily decoded as chg decodes a staged file.
    fn text(&self, seeds: &[String]) -> String {
        let mut bytes = seeds[self.seed].clone().into_bytes();
        for m in &self.mutations {
            apply(&mut bytes, m);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// One of `seeds`, mutated one to eight times, lossily decoded as chg decodes a
/// staged file.
fn mutated(seeds: &[String]) -> impl Strategy<Value = Mutated> {
    (0..seeds.len(), prop::collection::vec(mutation(), 1..8))
        .prop_map(|(seed, mutations)| Mutated { seed, mutations })
}

/// A valid record with scalars at the edges of YAML's core schema (null, booleans,
/// numbers in each base, signs, leading zeros) in the places of each kind of value:
/// text, an optional text or date, a declared field, a risk factor's number, a list.
fn scalars() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "no",
        "yes",
        "0",
        "00",
        "007",
        "-0",
        "+0",
        "-007",
        "+7",
        "++7",
        "+-7",
        "-+7",
        "12",
        "-12",
        "0x1F",
        "0x",
        "-0x1F",
        "+0x1F",
        "0x+1",
        "0x-1",
        "-0x-1",
        "0o17",
        "0o8",
        "-0o17",
        "0b101",
        "0b2",
        "-0b101",
        "1.5",
        "-1.5",
        "+1.5",
        "1e3",
        "1E-3",
        ".5",
        "5.",
        ".inf",
        "-.inf",
        "+.inf",
        ".Inf",
        "-.INF",
        ".nan",
        ".NaN",
        "-.nan",
        "inf",
        "nan",
        "1_000",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
        "1e400",
        "2026-11-20",
        "2026-11-20T09:00:00Z",
        "'1'",
        "\"true\"",
        "'~'",
        "|\n  12\n",
    ];
    let word = || prop::sample::select(WORDS);
    // Fields the seed leaves out, so each may be given; `title` is given twice.
    let key = prop::sample::select(
        &[
            "monitoring",
            "target_date",
            "tenants",
            "implementation_plan",
            "title",
        ][..],
    );
    (key, word(), word(), word()).prop_map(|(key, a, b, c)| {
        format!("{RECORD_SEED}{key}: {a}\nfields: {{a: {b}, b: {c}}}\nrisk: {{factors: {{data: {b}}}}}\nimpact_areas:\n- {c}\n")
    })
}

/// Arbitrary bytes, lossily decoded.
fn bytes() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..4096)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Words of the formats glued together at random: reaches further into a parser
/// than random bytes, which mostly fail at the first byte.
fn tokens() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "id",
        "title",
        "class",
        "status",
        "allow",
        "starts",
        "ends",
        "approvals",
        "risk",
        "transitions",
        "[changes]",
        "[classes.major]",
        "requires",
        "pattern",
        "CHG-2026-0001",
        "FRZ-2026-0001",
        "2026-11-20T09:00:00Z",
        "normal",
        "emergency",
        "ada@example.com",
        "Ada <ada@example.com>",
        ": ",
        "= ",
        "\n",
        "\n  ",
        "\n- ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\"",
        "'",
        "&a",
        "*a",
        "!!str",
        "|",
        ">",
        "#",
        "~",
        "null",
        "true",
        "1",
        "-1",
        "Change:",
        "Co-authored-by:",
        "\n\n",
        "[CR-2025-001]",
    ];
    prop::collection::vec(prop::sample::select(WORDS), 0..200).prop_map(|w| w.concat())
}

fn default_pattern() -> Regex {
    Regex::new(&reference::pattern("CHG", 4, None)).unwrap()
}

fn decorated_pattern() -> Regex {
    Regex::new(r"\[CR-\d{4}-\d{3}\]").unwrap()
}

fn messages() -> &'static [String] {
    static MESSAGES_OWNED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MESSAGES_OWNED.get_or_init(|| MESSAGES.iter().map(|m| m.to_string()).collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn records_from_any_bytes(text in prop_oneof![bytes(), tokens()]) {
        if let Ok(record) = parse_record(text)? {
            round_trips(record)?;
        }
    }

    #[test]
    fn records_mutated(case in mutated(&seeds().records)) {
        let text = case.text(&seeds().records);
        built_alike::<ChangeRecord>(text.clone())?;
        built_alike::<serde_yaml::Value>(text.clone())?;
        if let Ok(record) = parse_record(text)? {
            round_trips(record)?;
        }
    }

    #[test]
    fn scalars_built_as_serde_yaml_builds_them(text in scalars()) {
        built_alike::<ChangeRecord>(text.clone())?;
        built_alike::<serde_yaml::Value>(text)?;
    }

    #[test]
    fn any_yaml_built_as_serde_yaml_builds_it(text in prop_oneof![bytes(), tokens()]) {
        built_alike::<serde_yaml::Value>(text)?;
    }

    #[test]
    fn freezes_from_any_bytes(text in prop_oneof![bytes(), tokens()]) {
        if let Ok(freeze) = parse_freeze(text)? {
            round_trips(freeze)?;
        }
    }

    #[test]
    fn freezes_mutated(case in mutated(&seeds().freezes)) {
        let text = case.text(&seeds().freezes);
        built_alike::<Freeze>(text.clone())?;
        if let Ok(freeze) = parse_freeze(text)? {
            round_trips(freeze)?;
        }
    }

    #[test]
    fn policies_from_any_bytes(text in prop_oneof![bytes(), tokens()]) {
        // Either answer will do: the property is that there is one.
        let _ = parse_policy(text)?;
    }

    #[test]
    fn policies_mutated(case in mutated(&seeds().policies)) {
        // Either answer will do: the property is that there is one.
        let _ = parse_policy(case.text(&seeds().policies))?;
    }

    #[test]
    fn messages_from_any_bytes(text in prop_oneof![bytes(), tokens()]) {
        parse_message(text.clone(), &default_pattern())?;
        parse_message(text, &decorated_pattern())?;
    }

    #[test]
    fn messages_mutated(case in mutated(messages())) {
        let text = case.text(messages());
        parse_message(text.clone(), &default_pattern())?;
        parse_message(text, &decorated_pattern())?;
    }

    #[test]
    fn default_pattern_of_any_prefix(
        prefix in prop::collection::vec(any::<char>(), 0..40),
        case in mutated(messages()),
    ) {
        let text = case.text(messages());
        // A prefix the policy names: its pattern either compiles or is refused.
        let prefix = String::from_iter(prefix);
        if let Ok(pattern) = Regex::new(&reference::pattern(&prefix, 4, None)) {
            parse_message(text, &pattern)?;
        }
    }
}
