//! `chg metrics` as a table: one row per figure, one column per period and the total.

use super::{bold, minute, plain_table};
use crate::metrics::{Figures, Metrics, Rate, Spread, Timed};
use crate::model::{Class, RiskLevel};

/// `, met` or `, not met` when there is a target and something to judge.
fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => ", met",
        Some(false) => ", not met",
        None => "",
    }
}

fn rate(r: &Rate) -> String {
    let Some(p) = r.percent else {
        return "-".into();
    };
    format!("{p:.1}% ({}/{}){}", r.count, r.of, verdict(r.met))
}

/// A spread, judged against its target.
fn timed(t: &Timed, unit: &str) -> String {
    format!("{}{}", spread(&t.spread, unit), verdict(t.met))
}

/// `median / p90` with a unit.
fn spread(s: &Spread, unit: &str) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!("{m:.1}{unit} / {p:.1}{unit} (n={})", s.count),
        _ => "-".into(),
    }
}

fn listed(ids: &[String]) -> String {
    if ids.is_empty() {
        "0".into()
    } else {
        format!("{} ({})", ids.len(), ids.join(", "))
    }
}

type Cell = Box<dyn Fn(&Figures) -> String>;

fn row(name: impl Into<String>, cell: impl Fn(&Figures) -> String + 'static) -> (String, Cell) {
    (name.into(), Box::new(cell))
}

/// A row's name, with the policy's target for its figure when it sets one.
fn named(name: &str, target: &Option<String>) -> String {
    match target {
        Some(target) => format!("{name} ({target})"),
        None => name.to_string(),
    }
}

fn rows(environment: &str, total: &Figures) -> Vec<(String, Cell)> {
    let mut rows = vec![row("Requested", |f| f.requested.to_string())];
    for &class in Class::ALL {
        rows.push(row(format!("  {class}"), move |f| {
            f.by_class
                .get(&class)
                .copied()
                .unwrap_or_default()
                .to_string()
        }));
    }
    for &level in RiskLevel::ALL {
        rows.push(row(format!("  {level} risk"), move |f| {
            f.by_risk
                .get(&level)
                .copied()
                .unwrap_or_default()
                .to_string()
        }));
    }
    rows.extend([
        row("  unassessed", |f| f.unassessed.to_string()),
        row("Deployed", |f| f.deployed.to_string()),
        row(named("Success rate", &total.success_rate.target), |f| {
            rate(&f.success_rate)
        }),
        row(named("Emergency rate", &total.emergency_rate.target), |f| {
            rate(&f.emergency_rate)
        }),
        row(named("Rollback rate", &total.rollback_rate.target), |f| {
            rate(&f.rollback_rate)
        }),
        row("Lead time submit→deploy, median / p90", |f| {
            spread(&f.lead_time_hours, "h")
        }),
        row(
            named(
                "Deployment time approve→deploy",
                &total.deployment_time_hours.target,
            ),
            |f| timed(&f.deployment_time_hours, "h"),
        ),
        row(
            named(
                "Approval time, business days",
                &total.approval_business_days.target,
            ),
            |f| timed(&f.approval_business_days, "bd"),
        ),
        row("Approval SLA breaches", |f| listed(&f.sla_breaches)),
        row("Late reviews", |f| listed(&f.late_reviews)),
        row(
            named("Regression rate of reviews", &total.regression_rate.target),
            |f| rate(&f.regression_rate),
        ),
        row(format!("DORA ({environment}): deployments"), |f| {
            f.dora.deployments.to_string()
        }),
        row("  per week", |f| {
            f.dora
                .per_week
                .map_or_else(|| "-".into(), |w| format!("{w:.2}"))
        }),
        row("  change failure rate", |f| {
            rate(&f.dora.change_failure_rate)
        }),
        row("  lead time commit→deploy", |f| {
            spread(&f.dora.lead_time_hours, "h")
        }),
        row(
            named("  time to restore", &total.dora.restore_hours.target),
            |f| timed(&f.dora.restore_hours, "h"),
        ),
        row("  not yet restored", |f| f.dora.unrestored.to_string()),
    ]);
    rows
}

pub fn table(m: &Metrics, color: bool) -> String {
    let mut columns: Vec<(&str, &Figures)> = m
        .periods
        .iter()
        .map(|p| (p.period.as_str(), &p.figures))
        .collect();
    columns.push(("Total", &m.total));
    let mut table = plain_table();
    let mut header = vec![String::new()];
    header.extend(columns.iter().map(|(name, _)| bold(name, color)));
    table.set_header(header);
    for (name, cell) in rows(&m.environment, &m.total) {
        let mut cells = vec![name];
        cells.extend(columns.iter().map(|(_, f)| cell(f)));
        table.add_row(cells);
    }
    let mut out = format!(
        "{}\nwindow {} to {}\n",
        table.trim_fmt(),
        minute(m.window.since),
        minute(m.window.until)
    );
    let o = &m.overdue;
    out.push_str(&format!(
        "\n{}\n  approvals past SLA: {}\n  post-implementation reviews: {}\n  emergency approvals: {}\n  emergency retrospectives: {}\n",
        bold(&format!("Overdue at {}", minute(Some(m.generated_at))), color),
        listed(&o.approvals),
        listed(&o.reviews),
        listed(&o.emergency_approvals),
        listed(&o.retrospectives)
    ));
    out
}
