//! `chg check` output: grouped for people, a stable JSON document for scripts.

use super::{bold, Shown};
use crate::policy::Severity;
use crate::rules::{Finding, Rule};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts that close every report.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub records: usize,
}

impl Summary {
    pub fn of(findings: &[Finding], records: usize) -> Summary {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            records,
        }
    }
}

fn severity_word(severity: Severity, color: bool) -> String {
    let word = severity.to_string();
    let code = match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Off => "0",
    };
    if color {
        format!("\x1b[{code}m{word:<7}\x1b[0m")
    } else {
        format!("{word:<7}")
    }
}

/// How many findings of one rule the human report lists before it counts the rest.
pub const SHOWN_PER_RULE: usize = 10;

/// Rules that judge every commit in history: when they flood, it is usually history
/// from before the policy was adopted.
const HISTORY_RULES: &[&str] = &["H001", "H002", "H003"];

/// Findings grouped by record (then those about no record), and a summary line.
/// Unless `all`, a rule with more than [`SHOWN_PER_RULE`] findings is pulled out of
/// that grouping into a section of its own: its count, its first findings, and how
/// to see or stop the rest.
pub fn human(findings: &[Finding], summary: Summary, color: bool, all: bool) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule).or_default() += 1;
    }
    let flooding = |rule: &str| !all && counts[rule] > SHOWN_PER_RULE;
    let (floods, few): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| flooding(f.rule));
    let mut out = by_record(&few, color);
    for (&rule, &count) in counts.iter().filter(|(rule, _)| flooding(rule)) {
        let mut of_rule = floods.iter().filter(|f| f.rule == rule);
        let first = of_rule.next().expect("a flooding rule has findings");
        if !out.is_empty() {
            out.push('\n');
        }
        let heading = format!("{rule} {}: {}", first.name, counted(count, first.severity));
        out.push_str(&bold(&heading, color));
        out.push('\n');
        for f in std::iter::once(first).chain(of_rule.take(SHOWN_PER_RULE - 1)) {
            out.push_str(&line(f, color, place_alone(f)));
        }
        out.push_str(&format!(
            "  … and {} more: `chg check --all` lists them all, `chg check --format json` keeps them for scripts\n",
            count - SHOWN_PER_RULE
        ));
        out.push_str(&format!("  hint: {}\n", remedy(rule)));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!(
        "{} error(s), {} warning(s); {} record(s) checked\n",
        summary.errors, summary.warnings, summary.records
    ));
    out
}

/// "1 error", "30000 errors".
fn counted(count: usize, severity: Severity) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{count} {severity}{s}")
}

/// What to do about a rule that floods.
fn remedy(rule: &str) -> String {
    if HISTORY_RULES.contains(&rule) {
        "each commit is held to the policy its parent had, so these were made under a \
policy that asked this of them: reword commits not yet pushed to name their change; to \
leave older history unjudged, set `[changes] baseline` in .changes.toml to the last \
commit not to judge"
            .into()
    } else {
        format!("`chg check --explain {rule}` says how to fix one")
    }
}

/// The findings grouped by record, then those about no record by path.
fn by_record(findings: &[&Finding], color: bool) -> String {
    let mut out = String::new();
    let mut current: Option<(&Option<String>, &Option<String>)> = None;
    for f in findings {
        let group = (&f.record, &f.path);
        if current.map(|(r, _)| r) != Some(group.0)
            || (f.record.is_none() && current != Some(group))
        {
            let title = match (&f.record, &f.path) {
                (Some(id), Some(path)) if path.contains(id.as_str()) => format!("{id}  {path}"),
                (Some(id), _) => id.clone(),
                (None, Some(path)) => path.clone(),
                (None, None) => "(repository)".into(),
            };
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&bold(&Shown(&title).to_string(), color));
            out.push('\n');
            current = Some(group);
        }
        let place = match (&f.path, f.line, &f.record) {
            (Some(p), Some(l), _) => format!(" ({p}:{l})"),
            (Some(p), None, Some(id)) if !p.contains(id.as_str()) => format!(" ({p})"),
            _ => String::new(),
        };
        out.push_str(&line(f, color, place));
    }
    out
}

/// Where a finding listed under its rule (not under a record heading) is.
fn place_alone(f: &Finding) -> String {
    match (&f.path, f.line, &f.record) {
        (Some(p), Some(l), _) => format!(" ({p}:{l})"),
        (Some(p), None, _) => format!(" ({p})"),
        (None, _, Some(id)) => format!(" ({id})"),
        (None, _, None) => String::new(),
    }
}

/// One finding: severity, rule, commit, message, and `place` after it.
fn line(f: &Finding, color: bool, place: String) -> String {
    let commit = f
        .commit
        .as_deref()
        .map(|c| format!(" [{}]", &c[..c.len().min(10)]))
        .unwrap_or_default();
    format!(
        "  {} {} {}{commit}: {}{}\n",
        severity_word(f.severity, color),
        f.rule,
        f.name,
        Shown(&f.message),
        Shown(&place)
    )
}

#[derive(Serialize)]
struct Document<'a> {
    findings: &'a [Finding],
    summary: Summary,
}

/// `{"findings":[...],"summary":{...}}` (SPEC §5), every finding, written to stdout
/// as it is made.
pub fn print_json(findings: &[Finding], summary: Summary) -> anyhow::Result<()> {
    super::print_json(&Document { findings, summary })
}

/// `chg check --explain`: a rule's documentation.
pub fn explain(rule: &Rule) -> String {
    let severity = match rule.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "off",
    };
    format!(
        "{} {} (default severity: {severity})\n\n{}.\n\n{}\n\nChange its severity in .changes.toml:\n  [rules]\n  {} = \"warning\"   # error | warning | off\n",
        rule.code,
        rule.name,
        capitalise(rule.summary),
        wrap(rule.doc, 80),
        rule.code
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &'static str, record: &str) -> Finding {
        Finding {
            rule,
            name: "a-rule",
            severity: Severity::Warning,
            record: Some(record.into()),
            commit: None,
            path: None,
            line: None,
            message: "says so".into(),
        }
    }

    #[test]
    fn a_rule_over_the_limit_gets_its_own_section_and_the_rest_stay_by_record() {
        let mut findings: Vec<Finding> = (1..=12)
            .map(|i| finding("R004", &format!("CHG-2026-{i:04}")))
            .collect();
        findings.push(finding("L001", "CHG-2026-0001"));
        let summary = Summary::of(&findings, 12);
        let text = human(&findings, summary, false, false);
        assert!(
            text.starts_with("CHG-2026-0001\n  warning L001 a-rule: says so\n\nR004 a-rule: 12 warnings\n  warning R004 a-rule: says so (CHG-2026-0001)\n"),
            "{text}"
        );
        assert_eq!(text.matches("warning R004").count(), SHOWN_PER_RULE);
        assert!(
            text.contains("  … and 2 more: `chg check --all`")
                && text.contains("  hint: `chg check --explain R004` says how to fix one\n"),
            "{text}"
        );
        assert!(text.ends_with("\n0 error(s), 13 warning(s); 12 record(s) checked\n"));

        let all = human(&findings, summary, false, true);
        assert_eq!(all.matches("warning R004").count(), 12);
        assert!(
            !all.contains("more:") && !all.contains("R004 a-rule: 12"),
            "{all}"
        );
    }
}
