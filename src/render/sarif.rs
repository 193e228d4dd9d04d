//! `chg check --format sarif`: SARIF 2.1.0, as GitHub code scanning reads it, within
//! its limits, written to stdout as it is made.
//!
//! Code scanning refuses a run of more than 25,000 results and keeps only the first
//! 5,000, so a history that floods a rule is reported by its first findings, an equal
//! share per rule, and one result per rule counting the rest; a run-level
//! notification says so. `chg check --format json` keeps every finding.

use super::locate::{fingerprint, Locator};
use crate::history::History;
use crate::policy::{Policy, Severity};
use crate::rules::{Finding, Tree, REGISTRY};
use anyhow::Result;
use serde::ser::Serializer;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// Where every rule's documentation is, as `chg check --explain` prints it.
const RULES_PAGE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// Results one rule may have in a run.
pub const PER_RULE: usize = 1_000;
/// Results in a run, the aggregates included: what code scanning keeps of a run.
pub const PER_RUN: usize = 5_000;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "none",
    }
}

/// Writes the SARIF log of `findings` to stdout.
pub fn print(
    findings: &[Finding],
    policy: &Policy,
    tree: &dyn Tree,
    history: Option<&History>,
) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write(&mut out, findings, policy, tree, history)?;
    out.flush()?;
    Ok(())
}

fn write(
    out: &mut impl Write,
    findings: &[Finding],
    policy: &Policy,
    tree: &dyn Tree,
    history: Option<&History>,
) -> Result<()> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule).or_default() += 1;
    }
    let quotas = quotas(&counts);
    let mut taken: HashMap<&str, usize> = HashMap::new();
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            let n = taken.entry(f.rule).or_default();
            *n += 1;
            *n <= quotas[f.rule]
        })
        .collect();
    let locator = Results(Locator::new(&shown, policy, tree, history));
    let omitted: Vec<(&Finding, usize)> = counts
        .iter()
        .filter(|(rule, &count)| count > quotas[*rule])
        .filter_map(|(rule, &count)| {
            let first = findings.iter().find(|f| f.rule == *rule)?;
            Some((first, count - quotas[*rule]))
        })
        .collect();
    let notifications: Vec<Value> = if omitted.is_empty() {
        Vec::new()
    } else {
        vec![json!({
            "level": "warning",
            "descriptor": { "id": "results-capped" },
            "message": { "text": format!(
                "{} findings: this log holds {} of them (at most {PER_RULE} per rule, \
                 {PER_RUN} results in all, within what code scanning accepts) and one result \
                 per rule counting the rest; `chg check --format json` keeps every finding",
                findings.len(),
                shown.len()
            )}
        })]
    };
    let results = Stream(|| {
        shown
            .iter()
            .map(|f| locator.result(f))
            .chain(omitted.iter().map(|&(f, n)| locator.rest(f, n)))
    });
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.doc },
                "help": { "text": r.doc },
                "helpUri": RULES_PAGE,
                "defaultConfiguration": { "level": level(r.severity) }
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({ "driver": {
                "name": "chg",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules
            }}),
            invocations: json!([{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications
            }]),
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct Log<R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<R>; 1],
}

#[derive(Serialize)]
struct Run<R> {
    tool: Value,
    invocations: Value,
    results: R,
}

/// How many results each rule gets: all of its findings while the run has room,
/// else an equal share of the room left (at most [`PER_RULE`]), the rules with
/// fewest findings served first. One result per rule is kept back for the count of
/// what is left out.
fn quotas<'a>(counts: &BTreeMap<&'a str, usize>) -> HashMap<&'a str, usize> {
    let mut room = PER_RUN - counts.len();
    let mut by_size: Vec<(&str, usize)> = counts.iter().map(|(r, c)| (*r, *c)).collect();
    by_size.sort_by_key(|&(_, count)| count);
    let mut left = by_size.len();
    let mut quotas = HashMap::new();
    for (rule, count) in by_size {
        let quota = count.min(room / left).min(PER_RULE);
        room -= quota;
        left -= 1;
        quotas.insert(rule, quota);
    }
    quotas
}

/// A JSON array of whatever the iterator made by the closure yields, written as it
/// is yielded.
struct Stream<F>(F);

impl<F, I> Serialize for Stream<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Value>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Results as code scanning reads them, each at a file that exists.
struct Results<'a>(Locator<'a>);

impl Results<'_> {
    fn result(&self, f: &Finding) -> Value {
        let mut result = json!({
            "ruleId": f.rule,
            "ruleIndex": rule_index(f.rule),
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [location(&self.0.uri(f), f.line)]
        });
        let mut properties = serde_json::Map::new();
        if let Some(record) = &f.record {
            properties.insert("record".into(), json!(record));
        }
        if let Some(commit) = &f.commit {
            properties.insert("commit".into(), json!(commit));
            // Results about distinct commits are distinct alerts, wherever they point.
            result["locations"][0]["logicalLocations"] =
                json!([{ "name": commit, "fullyQualifiedName": commit, "kind": "resource" }]);
        }
        result["partialFingerprints"] = json!({ "chgFinding/v1": fingerprint(f) });
        if !properties.is_empty() {
            result["properties"] = Value::Object(properties);
        }
        result
    }

    /// One result counting the `n` findings of `first`'s rule left out.
    fn rest(&self, first: &Finding, n: usize) -> Value {
        json!({
            "ruleId": first.rule,
            "ruleIndex": rule_index(first.rule),
            "level": level(first.severity),
            "message": { "text": format!(
                "and {n} more {} {} findings: run `chg check --all`, or `chg check --format json`, for all of them",
                first.rule, first.name
            )},
            "locations": [location(crate::policy::FILE_NAME, None)],
            "partialFingerprints": { "chgOmitted/v1": first.rule },
            "properties": { "omitted": n }
        })
    }
}

fn rule_index(code: &str) -> usize {
    REGISTRY.iter().position(|r| r.code == code).unwrap_or(0)
}

fn location(uri: &str, line: Option<usize>) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": { "startLine": line.unwrap_or(1).max(1) }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_rule_keeps_all_its_findings_and_floods_share_the_rest() {
        let floods = ["H001", "H002", "H003", "H004", "H005", "H006", "H007"];
        let mut counts: BTreeMap<&str, usize> = floods.iter().map(|r| (*r, 10_000)).collect();
        counts.insert("R004", 3);
        counts.insert("L001", 500);
        let quotas = quotas(&counts);
        assert_eq!(quotas["R004"], 3);
        assert_eq!(quotas["L001"], 500);
        let share = (PER_RUN - counts.len() - 503) / floods.len();
        // An equal share, give or take the remainder of the division.
        assert!(
            floods
                .iter()
                .all(|r| (share..=share + 1).contains(&quotas[r])),
            "{quotas:?}"
        );
        assert!(quotas.values().sum::<usize>() + counts.len() <= PER_RUN);
    }

    #[test]
    fn no_rule_has_more_than_its_cap_however_much_room() {
        let counts = BTreeMap::from([("H002", 30_000), ("R004", 2)]);
        let quotas = quotas(&counts);
        assert_eq!(quotas["H002"], PER_RULE);
        assert_eq!(quotas["R004"], 2);
    }
}
