//! `chg audit` as a terminal table, JSON, CSV (one row per change) or a Markdown report.

use super::{bold, escape, escaped, inert, minute, plain_table, Shown};
use crate::audit::{ApprovalProof, Audit, Entry, Proof, Readiness};
use crate::git::short;
use crate::model::Decision;
use crate::rules::Finding;
use anyhow::Result;
use chrono::{DateTime, Utc};

/// `✓✓✓`: commit author, roster before the commit, digest.
fn marks(a: &ApprovalProof) -> String {
    [&a.commit_author, &a.roster, &a.digest]
        .iter()
        .map(|p| p.verdict.mark())
        .collect()
}

fn approvals_line(a: &ApprovalProof) -> String {
    match a.decision {
        Decision::Approved => format!("{}: {} {}", a.role, a.by, marks(a)),
        other => format!("{}: {} {other} {}", a.role, a.by, marks(a)),
    }
}

/// Each approval with its marks, and what is still missing or why none is needed.
fn approvals_cell(e: &Entry) -> String {
    let mut lines: Vec<String> = e.approvals.iter().map(approvals_line).collect();
    if e.approval != "complete" || lines.is_empty() {
        lines.push(e.approval.clone());
    }
    lines.join("\n")
}

/// How each approval is proven, spelled out for a spreadsheet or a report.
fn approval_detail(a: &ApprovalProof) -> String {
    let proof = |name: &str, p: &Proof| format!("{name} {}", worded(p));
    format!(
        "{} by {} at {} ({}): {}; {}; {}",
        a.role,
        a.by,
        a.at,
        a.decision,
        proof("commit author", &a.commit_author),
        proof("roster", &a.roster),
        proof("digest", &a.digest)
    )
}

fn deployments(e: &Entry) -> Vec<String> {
    e.deployments
        .iter()
        .map(|d| {
            let mark = d.made_by.verdict.mark();
            format!(
                "{} {} {} {mark}",
                d.environment,
                minute(Some(d.at)),
                d.outcome
            )
        })
        .collect()
}

/// Each piece of evidence: given with the proposal as `kind: ref`; recorded with
/// `chg evidence` with who and when, then whether git proves who recorded it, as
/// `shown` spells a proof.
fn evidence(e: &Entry, shown: fn(&Proof) -> String) -> Vec<String> {
    let recorded = e.gate_evidence.iter().map(|g| {
        let what = g.reference.as_deref().or(g.note.as_deref()).unwrap_or("-");
        format!(
            "{}: {what} by {} at {} {}",
            g.kind,
            g.by,
            minute(Some(g.at)),
            shown(&g.made_by)
        )
    });
    e.evidence.iter().cloned().chain(recorded).collect()
}

/// Each link as `kind: id url`.
fn links(e: &Entry) -> Vec<String> {
    e.links.iter().map(ToString::to_string).collect()
}

/// A proof as one mark, for the terminal table.
fn mark(p: &Proof) -> String {
    p.verdict.mark().into()
}

/// A proof as its mark and reason, for a report.
fn marked(p: &Proof) -> String {
    format!("{} {}", p.verdict.mark(), p.how)
}

/// A proof as its verdict and reason, for a spreadsheet.
fn worded(p: &Proof) -> String {
    format!("{} – {}", p.verdict.word(), p.how)
}

fn readiness(r: &Readiness) -> String {
    let mut parts = vec![if r.plan { "plan" } else { "no plan" }.to_string()];
    if !r.artifacts.is_empty() {
        let present = r.artifacts.iter().filter(|(_, ok)| *ok).count();
        parts.push(format!("{present}/{} artifacts", r.artifacts.len()));
    }
    parts.push(
        match r.tested {
            Some(true) => "tested",
            Some(false) => "not tested",
            None => "test not stated",
        }
        .into(),
    );
    parts.join(", ")
}

fn adrs(e: &Entry) -> Vec<String> {
    e.adrs
        .iter()
        .map(|a| match (&a.status, a.found) {
            (_, false) => format!("{} (not found)", a.path),
            (Some(s), true) => format!("{} ({s})", a.path),
            (None, true) => format!("{} (no status)", a.path),
        })
        .collect()
}

fn review(e: &Entry) -> String {
    e.review.as_ref().map_or_else(
        || "-".into(),
        |r| {
            let late = if r.late { ", late" } else { "" };
            format!("{} by {} at {}{late}", r.outcome, r.by, r.at)
        },
    )
}

fn finding_line(f: &Finding) -> String {
    format!("{} {}: {}", f.rule, f.severity, f.message)
}

/// How many approvals, moves and deployments git proves were made by whom they name.
fn proofs(audit: &Audit) -> String {
    let t = audit.proofs;
    format!(
        "approvals, moves and deployments: {} proven, {} failed, {} unproven\n",
        t.proven, t.failed, t.unproven
    )
}

fn window(audit: &Audit) -> String {
    format!(
        "window {} to {}; generated {}",
        minute(audit.window.since),
        minute(audit.window.until),
        minute(Some(audit.generated_at))
    )
}

/// The terminal view: one row per change, then the unmanaged commits.
pub fn table(audit: &Audit, color: bool) -> String {
    let mut out = String::new();
    for note in &audit.notes {
        out.push_str(&format!("note: {}\n", Shown(note)));
    }
    if audit.changes.is_empty() {
        out.push_str("no changes in the window\n");
    } else {
        let mut table = plain_table();
        table.set_header(
            [
                "ID",
                "Class",
                "Risk",
                "Status",
                "Approvals",
                "Implemented",
                "Deployments",
                "Evidence",
                "Rollback",
                "ADRs",
                "Review",
                "Findings",
            ]
            .map(|c| bold(c, color)),
        );
        for e in &audit.changes {
            table.add_row(escaped([
                e.id.clone(),
                e.class.to_string(),
                e.risk.map_or_else(|| "-".into(), |r| r.to_string()),
                e.status.to_string(),
                approvals_cell(e),
                minute(e.implemented_at),
                deployments(e).join("\n"),
                evidence(e, mark).join("\n"),
                readiness(&e.rollback),
                adrs(e).join("\n"),
                review(e),
                e.findings.len().to_string(),
            ]));
        }
        out.push_str(&format!("{}\n", table.trim_fmt()));
        out.push_str("approvals: ✓ proven, ✗ failed, ? unproven — commit author, roster before the commit, digest\n");
        out.push_str(
            "deployments, evidence: ✓ ✗ ? — whether the commit that recorded it proves who deployed or recorded it\n",
        );
    }
    if !audit.unmanaged.is_empty() {
        out.push_str(&format!("\n{}\n", bold("Unmanaged commits", color)));
        let mut table = plain_table();
        for u in &audit.unmanaged {
            table.add_row(escaped([
                short(&u.commit).to_string(),
                minute(u.committed),
                u.author.clone(),
                u.subject.clone(),
            ]));
        }
        out.push_str(&format!("{}\n", table.trim_fmt()));
    }
    for f in &audit.unreadable {
        out.push_str(&format!(
            "unreadable: {}: {}\n",
            Shown(f.path.as_deref().unwrap_or("-")),
            Shown(&f.message)
        ));
    }
    out.push_str(&proofs(audit));
    out.push_str(&format!(
        "{} change(s), {} unmanaged commit(s), {} unreadable file(s); {}\n",
        audit.changes.len(),
        audit.unmanaged.len(),
        audit.unreadable.len(),
        window(audit)
    ));
    out
}

/// Columns are only ever added at the end, so scripts reading by position keep working.
const CSV_COLUMNS: [&str; 24] = [
    "kind",
    "id",
    "title",
    "class",
    "risk",
    "status",
    "author",
    "owner",
    "created_at",
    "approval",
    "approvals",
    "test_plan",
    "evidence",
    "implemented_at",
    "commits",
    "environments",
    "deployments",
    "rollback_plan",
    "rollback_artifacts",
    "rollback_tested",
    "adrs",
    "review",
    "findings",
    "links",
];

fn csv_row(e: &Entry) -> [String; 24] {
    let join = |v: Vec<String>| v.join("; ");
    [
        "change".into(),
        e.id.clone(),
        e.title.clone(),
        e.class.to_string(),
        e.risk.map(|r| r.to_string()).unwrap_or_default(),
        e.status.to_string(),
        e.author.clone(),
        e.owner.clone().unwrap_or_default(),
        e.created_at.clone(),
        e.approval.clone(),
        join(e.approvals.iter().map(approval_detail).collect()),
        e.test_plan.to_string(),
        join(evidence(e, worded)),
        e.implemented_at.map(rfc3339).unwrap_or_default(),
        join(e.commits.clone()),
        join(e.environments.clone()),
        join(deployments(e)),
        e.rollback.plan.to_string(),
        join(
            e.rollback
                .artifacts
                .iter()
                .map(|(p, ok)| format!("{p} ({})", if *ok { "present" } else { "missing" }))
                .collect(),
        ),
        e.rollback.tested.map(|t| t.to_string()).unwrap_or_default(),
        join(adrs(e)),
        e.review.as_ref().map(|_| review(e)).unwrap_or_default(),
        join(e.findings.iter().map(finding_line).collect()),
        join(links(e)),
    ]
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One row per change (lists joined with `; `), then a row per unmanaged commit and per
/// unreadable file, told apart by the `kind` column.
pub fn csv(audit: &Audit) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for e in &audit.changes {
        writer.write_record(csv_row(e).map(|c| inert(&c)))?;
    }
    for u in &audit.unmanaged {
        let mut row: [String; 24] = Default::default();
        row[0] = "unmanaged-commit".into();
        row[1] = u.commit.clone();
        row[2] = u.subject.clone();
        row[6] = u.author.clone();
        row[8] = u.committed.map(rfc3339).unwrap_or_default();
        writer.write_record(row.map(|c| inert(&c)))?;
    }
    for f in &audit.unreadable {
        let mut row: [String; 24] = Default::default();
        row[0] = "unreadable".into();
        row[1] = f
            .record
            .clone()
            .or_else(|| f.path.clone())
            .unwrap_or_default();
        row[22] = finding_line(f);
        writer.write_record(row.map(|c| inert(&c)))?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A cell of a Markdown table: controls and pipes escaped, lines joined.
fn cell(text: &str) -> String {
    escape(text).replace('|', "\\|").replace('\n', "<br>")
}

fn md_row(cells: &[String]) -> String {
    format!(
        "| {} |\n",
        cells
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// A report to read or attach: a summary, a section per change, then what is unmanaged.
pub fn markdown(audit: &Audit) -> String {
    let mut out = String::from("# Change audit\n\n");
    out.push_str(&format!(
        "{} change(s), {} unmanaged commit(s), {} unreadable file(s); {}.\n\n",
        audit.changes.len(),
        audit.unmanaged.len(),
        audit.unreadable.len(),
        window(audit)
    ));
    out.push_str(&format!("{}\n", proofs(audit)));
    for note in &audit.notes {
        out.push_str(&format!("> Note: {}\n\n", Shown(note)));
    }
    for e in &audit.changes {
        out.push_str(&format!(
            "## {} — {}\n\n| | |\n|---|---|\n",
            e.id,
            cell(&e.title)
        ));
        let facts = [
            ("Class", e.class.to_string()),
            ("Risk", e.risk.map_or_else(|| "-".into(), |r| r.to_string())),
            ("Status", e.status.to_string()),
            ("Author", e.author.clone()),
            ("Owner", e.owner.clone().unwrap_or_else(|| "-".into())),
            ("Created", e.created_at.clone()),
            ("Approval", e.approval.clone()),
            ("Test plan", if e.test_plan { "yes" } else { "no" }.into()),
            ("Evidence", evidence(e, marked).join("\n")),
            ("Links", links(e).join("\n")),
            ("Implemented", minute(e.implemented_at)),
            (
                "Commits",
                e.commits
                    .iter()
                    .map(|c| short(c))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("Environments", e.environments.join(", ")),
            ("Deployments", deployments(e).join("\n")),
            ("Rollback", readiness(&e.rollback)),
            ("ADRs", adrs(e).join("\n")),
            ("Review", review(e)),
        ];
        for (name, value) in facts {
            let value = if value.is_empty() { "-".into() } else { value };
            out.push_str(&md_row(&[name.into(), value]));
        }
        if !e.approvals.is_empty() {
            out.push_str("\n| Role | By | At | Decision | Commit author | Roster | Digest |\n|---|---|---|---|---|---|---|\n");
            for a in &e.approvals {
                out.push_str(&md_row(&[
                    a.role.clone(),
                    a.by.clone(),
                    a.at.clone(),
                    a.decision.to_string(),
                    marked(&a.commit_author),
                    marked(&a.roster),
                    marked(&a.digest),
                ]));
            }
        }
        if !e.findings.is_empty() {
            out.push_str("\nOpen findings:\n\n");
            for f in &e.findings {
                out.push_str(&format!("- {}\n", Shown(&finding_line(f))));
            }
        }
        out.push('\n');
    }
    out.push_str("## Unmanaged commits\n\n");
    if audit.unmanaged.is_empty() {
        out.push_str("None in the window.\n");
    } else {
        out.push_str("| Commit | Committed | Author | Subject |\n|---|---|---|---|\n");
        for u in &audit.unmanaged {
            out.push_str(&md_row(&[
                short(&u.commit).into(),
                minute(u.committed),
                u.author.clone(),
                u.subject.clone(),
            ]));
        }
    }
    if !audit.unreadable.is_empty() {
        out.push_str("\n## Files that could not be read\n\n");
        for f in &audit.unreadable {
            out.push_str(&format!(
                "- {}: {}\n",
                Shown(f.path.as_deref().unwrap_or("-")),
                Shown(&f.message)
            ));
        }
    }
    out
}
