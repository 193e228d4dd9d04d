//! Records as a table of many, a CSV, or the detail of one.

use super::{bold, escape, escaped, inert, plain_table};
use crate::model::record::Tenants;
use crate::model::{ChangeRecord, Decision};
use crate::policy::acceptance::Basis;
use crate::policy::approval::{self, Waiver};
use crate::policy::{requirement, Policy};
use crate::workflow::{self, Offer};
use anyhow::Result;

const COLUMNS: [&str; 7] = ["ID", "Status", "Class", "Risk", "Owner", "Created", "Title"];

fn row(record: &ChangeRecord, policy: &Policy) -> [String; 7] {
    [
        record.id.to_string(),
        record.status.to_string(),
        record.class.to_string(),
        policy
            .risk_level(record)
            .map_or_else(|| "-".into(), |l| l.to_string()),
        record
            .owner
            .clone()
            .unwrap_or_else(|| record.author_email().to_string()),
        record.created_at.0.format("%Y-%m-%d").to_string(),
        record.title.clone(),
    ]
}

/// `chg list`: one line per record.
pub fn table(records: &[ChangeRecord], policy: &Policy, color: bool) -> String {
    if records.is_empty() {
        return "no changes\n".into();
    }
    let mut table = plain_table();
    table.set_header(COLUMNS.map(|c| bold(c, color)));
    for record in records {
        table.add_row(escaped(row(record, policy)));
    }
    format!("{}\n", table.trim_fmt())
}

/// `chg list --format csv`: a header and one row per record.
pub fn csv(records: &[ChangeRecord], policy: &Policy) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS.map(str::to_lowercase))?;
    for record in records {
        writer.write_record(row(record, policy).iter().map(|c| inert(c)))?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// `chg show`: the record as a person reads it, with what the policy says of it.
/// `offers` are the moves tried for the person running it; `None` when who that is
/// is unknown, and then every legal move is listed untried.
pub fn detail(
    record: &ChangeRecord,
    policy: &Policy,
    offers: Option<&[Offer]>,
    color: bool,
) -> String {
    let mut table = plain_table();
    let mut field = |name: &str, value: String| {
        if !value.trim().is_empty() {
            table.add_row([bold(name, color), escape(&value).into_owned()]);
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    field("ID", record.id.to_string());
    field("Title", record.title.clone());
    field("Class", record.class.to_string());
    field("Status", record.status.to_string());
    field("Author", record.author.clone());
    field("Owner", opt(&record.owner));
    field("Created", record.created_at.to_string());
    field(
        "Target date",
        record
            .target_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    field("Description", opt(&record.description));
    field("Rationale", opt(&record.rationale));
    field("Components", record.components.join(", "));
    field("Environments", record.environments.join(", "));
    field("Tenants", tenants(record));
    field("Stakeholders", record.stakeholders.join(", "));
    field("Impact areas", record.impact_areas.join(", "));
    field("Impact", impact_notes(record));
    field("Risk", risk_line(record, policy));
    field("Risk answers", risk_answers(record));
    field("Justification", opt(&record.risk.justification));
    field(
        "Treatment",
        record
            .risk
            .treatment
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    field("Mitigation", opt(&record.risk.mitigation));
    field("Rollback", opt(&record.rollback.plan));
    field("Rollback artifacts", record.rollback.artifacts.join(", "));
    field(
        "Rollback tested",
        record
            .rollback
            .tested
            .map(|t| if t { "yes" } else { "no" }.to_string())
            .unwrap_or_default(),
    );
    field(
        "Rollback complexity",
        record
            .rollback
            .complexity
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    field("Test plan", opt(&record.test_plan));
    field("Monitoring", opt(&record.monitoring));
    field("Implementation", opt(&record.implementation_plan));
    field("ADRs", record.adrs.join(", "));
    field(
        "Evidence",
        record
            .evidence
            .iter()
            .map(|e| format!("{}: {}{}", e.kind, e.reference, noted(&e.note)))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    field("Links", links(record, policy));
    field(
        "Fields",
        (record.fields.iter())
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    emergency(record, &mut field);
    field("Missing", requirement::missing(record, policy).join(", "));
    field("Approvals", approvals(record, policy));
    field("Deployments", deployments(record));
    field("Gate evidence", gate_evidence(record));
    field("Next", next(record, offers));
    format!("{}\n", table.trim_fmt())
}

/// Each link, one a line, with its URL from the policy's template.
fn links(record: &ChangeRecord, policy: &Policy) -> String {
    (policy.links_of(record).iter())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The moves from here, one a line, each refused one with the reason it would be.
fn next(record: &ChangeRecord, offers: Option<&[Offer]>) -> String {
    let Some(offers) = offers else {
        let verbs: Vec<String> = (workflow::acts(record).iter())
            .map(|act| format!("chg {}", workflow::command(act)))
            .collect();
        return match verbs.as_slice() {
            [] => "nothing: the change is final".into(),
            _ => format!(
                "{} (who may make them is unknown: git has no user.email)",
                verbs.join(", ")
            ),
        };
    };
    if offers.is_empty() {
        return "nothing: the change is final".into();
    }
    let lines: Vec<String> = offers
        .iter()
        .map(|o| match &o.refusal {
            None => format!("chg {}", o.command),
            Some(why) => format!("chg {} — not now: {why}", o.command),
        })
        .collect();
    lines.join("\n")
}

/// One line per decision (current or stale), then the roles still needed.
fn approvals(record: &ChangeRecord, policy: &Policy) -> String {
    let state = approval::state(record, policy);
    let mut lines: Vec<String> = record
        .approvals
        .iter()
        .map(|a| {
            let mark = if a.decision == Decision::Rejected {
                "rejected"
            } else if state.current.iter().any(|c| std::ptr::eq(*c, a)) {
                "approved"
            } else {
                "STALE"
            };
            format!("{mark}: {} by {} at {}", a.role, a.by, a.at)
        })
        .collect();
    match state.waiver {
        Some(Waiver::PreApproved) => lines.push("none needed: pre-approved class".into()),
        Some(Waiver::AutoApproved) => lines.push("none needed: risk level auto-approved".into()),
        None if !state.missing().is_empty() => {
            lines.push(format!("needed: {}", state.missing().join(", ")))
        }
        None => {}
    }
    lines.join("\n")
}

fn deployments(record: &ChangeRecord) -> String {
    let lines: Vec<String> = record
        .deployments
        .iter()
        .map(|d| {
            format!(
                "{} {} at {} by {}{}",
                d.environment,
                d.outcome,
                d.at,
                d.by,
                d.reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    lines.join("\n")
}

/// Each piece of gate evidence with everything recorded of it: where it is and what
/// was seen, by whom and when.
fn gate_evidence(record: &ChangeRecord) -> String {
    let lines: Vec<String> = record
        .gate_evidence
        .iter()
        .map(|e| {
            let at = e.reference.as_deref().map(|r| format!(": {r}"));
            format!(
                "{} by {} at {}{}{}",
                e.kind,
                e.by,
                e.at,
                at.unwrap_or_default(),
                noted(&e.note)
            )
        })
        .collect();
    lines.join("\n")
}

/// ` (note)` after an item, or nothing.
fn noted(note: &Option<String>) -> String {
    note.as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default()
}

fn tenants(record: &ChangeRecord) -> String {
    match &record.tenants {
        None => String::new(),
        Some(Tenants::Text(text)) => text.clone(),
        Some(Tenants::List(list)) => list.join(", "),
    }
}

/// The free-text impact assessments, one `area: text` line each.
fn impact_notes(record: &ChangeRecord) -> String {
    let i = record.impact();
    let notes = [
        ("security", &i.security),
        ("data", &i.data),
        ("ai boundary", &i.ai_boundary),
        ("tenants", &i.tenants),
        ("availability", &i.availability),
        ("performance", &i.performance),
        ("compliance", &i.compliance),
        ("operational", &i.operational),
        ("systems", &i.systems),
        ("users", &i.users),
    ];
    let lines: Vec<String> = notes
        .iter()
        .filter_map(|(area, text)| text.as_deref().map(|t| format!("{area}: {t}")))
        .collect();
    lines.join("\n")
}

/// The answers the risk level is derived from: likelihood, impact and factor scores.
fn risk_answers(record: &ChangeRecord) -> String {
    let risk = &record.risk;
    let mut answers: Vec<String> = Vec::new();
    answers.extend(risk.likelihood.map(|l| format!("likelihood {l}")));
    answers.extend(risk.impact.map(|i| format!("impact {i}")));
    answers.extend(
        risk.factors
            .entries()
            .iter()
            .filter_map(|(name, f)| f.map(|f| format!("{name} {}", f.value()))),
    );
    answers.join(", ")
}

/// What an emergency change records: the incident, who authorised it beforehand, and
/// its follow-up.
fn emergency(record: &ChangeRecord, field: &mut impl FnMut(&str, String)) {
    let Some(e) = &record.emergency else {
        return;
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    field("Incident", opt(&e.incident));
    field("Authorized by", e.authorized_by.join(", "));
    field("Root cause", opt(&e.root_cause));
    field("Preventive action", opt(&e.preventive_action));
    field(
        "Retrospective",
        e.retrospective_at
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
}

fn risk_line(record: &ChangeRecord, policy: &Policy) -> String {
    let shown = |level: Option<crate::model::RiskLevel>| level.map(|l| l.to_string());
    let l = shown(record.risk.level).unwrap_or_default();
    let d = shown(policy.risk.derive(&record.risk)).unwrap_or_default();
    match policy.risk_basis(record) {
        Basis::NotAssessed => "not assessed".into(),
        Basis::Derived => format!("{d} (derived)"),
        Basis::Matches => format!("{l} (declared, matches derived)"),
        Basis::Unaccepted => format!("{l} (declared; derived: {d}; {})", awaiting(policy)),
        Basis::Accepted => format!("{l} (declared; derived: {d}; accepted)"),
        Basis::DeclaredAbove => format!("{l} (declared; derived: {d})"),
        Basis::Underivable => format!("{l} (declared; not enough to derive)"),
    }
}

/// What a lower declared level waits for, for `chg show`.
fn awaiting(policy: &Policy) -> String {
    match policy.risk.authority.as_slice() {
        [] => "held to the derived level: the policy names no risk authority".into(),
        roles => format!(
            "held to the derived level until the risk authority ({}) approves",
            roles.join(" or ")
        ),
    }
}

/// `chg log`: one line per event, oldest first.
pub fn timeline(events: &[crate::timeline::Event], color: bool) -> String {
    if events.is_empty() {
        return "no history yet: the record has not been committed\n".into();
    }
    let mut table = plain_table();
    table.set_header(["When", "Kind", "Commit", "Who", "What"].map(|c| bold(c, color)));
    for e in events {
        let commit = e
            .commit
            .as_deref()
            .map(|c| c[..c.len().min(10)].to_string())
            .unwrap_or_default();
        table.add_row(escaped([
            e.at.0.format("%Y-%m-%d %H:%M").to_string(),
            e.kind.to_string(),
            commit,
            e.who.clone(),
            e.what.clone(),
        ]));
    }
    format!("{}\n", table.trim_fmt())
}
