//! `chg check` output: grouped for people, a stable JSON document for scripts.

use super::bold;
use crate::policy::Severity;
use crate::rules::{Finding, Rule};
use serde::Serialize;

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

/// Findings grouped by record (then those about no record), and a summary line.
pub fn human(findings: &[Finding], summary: Summary, color: bool) -> String {
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
            out.push_str(&bold(&title, color));
            out.push('\n');
            current = Some(group);
        }
        let place = match (&f.path, f.line, &f.record) {
            (Some(p), Some(l), _) => format!(" ({p}:{l})"),
            (Some(p), None, Some(id)) if !p.contains(id.as_str()) => format!(" ({p})"),
            _ => String::new(),
        };
        let commit = f
            .commit
            .as_deref()
            .map(|c| format!(" [{}]", &c[..c.len().min(10)]))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {} {}{commit}: {}{place}\n",
            severity_word(f.severity, color),
            f.rule,
            f.name,
            f.message
        ));
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

#[derive(Serialize)]
struct Document<'a> {
    findings: &'a [Finding],
    summary: Summary,
}

/// `{"findings":[...],"summary":{...}}` (SPEC §5).
pub fn json(findings: &[Finding], summary: Summary) -> String {
    super::json(&Document { findings, summary })
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
