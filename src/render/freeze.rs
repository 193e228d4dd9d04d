//! Freezes as a table or JSON, with where each stands now and the time left.

use crate::model::freeze::{Freeze, Phase};
use crate::model::Class;
use crate::policy::recurring::{Every, Occurrence};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    freeze: &'a Freeze,
    state: &'static str,
    /// Seconds until it starts (upcoming) or ends (in force).
    seconds_left: Option<i64>,
}

fn state(phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => "upcoming",
        Phase::Active => "in force",
        Phase::Over => "over",
    }
}

/// Seconds to the next change of state: its start, or its end.
fn left(freeze: &Freeze, now: DateTime<Utc>) -> Option<i64> {
    match freeze.phase(now) {
        Phase::Upcoming => Some((freeze.starts.utc() - now).num_seconds()),
        Phase::Active => freeze.until().map(|until| (until - now).num_seconds()),
        Phase::Over => None,
    }
}

/// `3d 4h`, `5h 20m`, `12m`: precise enough to plan by.
fn span(seconds: i64) -> String {
    let d = Duration::seconds(seconds);
    let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    match (days, hours) {
        (0, 0) => format!("{}m", minutes.max(1)),
        (0, _) => format!("{hours}h {minutes}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// The current or next occurrence of a recurring freeze.
#[derive(Serialize)]
struct RecurringRow<'a> {
    every: Every,
    reason: &'a str,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    allow: &'a [Class],
    environments: &'a [String],
    state: &'static str,
    seconds_left: i64,
}

fn recurring_row<'a>(
    o: &Occurrence<'a>,
    allow: &'a [Class],
    now: DateTime<Utc>,
) -> RecurringRow<'a> {
    let (phase, until) = if now < o.starts {
        (Phase::Upcoming, o.starts)
    } else {
        (Phase::Active, o.ends)
    };
    RecurringRow {
        every: o.rule.every,
        reason: &o.rule.reason,
        starts: o.starts,
        ends: o.ends,
        allow: o.rule.allowed(allow),
        environments: &o.rule.environments,
        state: state(phase),
        seconds_left: (until - now).num_seconds(),
    }
}

/// `allow` is the policy's default for recurring freezes that name no classes.
pub fn json(
    freezes: &[&Freeze],
    recurring: &[Occurrence],
    allow: &[Class],
    now: DateTime<Utc>,
) -> String {
    let rows: Vec<Row> = freezes
        .iter()
        .map(|f| Row {
            freeze: f,
            state: state(f.phase(now)),
            seconds_left: left(f, now),
        })
        .collect();
    let recurring: Vec<RecurringRow> = recurring
        .iter()
        .map(|o| recurring_row(o, allow, now))
        .collect();
    super::json(&serde_json::json!({ "freezes": rows, "recurring": recurring }))
}

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "all".into()
    } else {
        items.join(",")
    }
}

pub fn table(
    freezes: &[&Freeze],
    recurring: &[Occurrence],
    allow: &[Class],
    now: DateTime<Utc>,
    zone: Tz,
) -> String {
    if freezes.is_empty() && recurring.is_empty() {
        return "no freezes\n".into();
    }
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let mut table = super::plain_table();
    table.set_header([
        "ID", "STATE", "FROM", "UNTIL", "LEFT", "ALLOW", "ENV", "REASON",
    ]);
    for f in freezes {
        let left = match (f.phase(now), left(f, now)) {
            (Phase::Upcoming, Some(s)) => format!("starts in {}", span(s)),
            (Phase::Active, Some(s)) => format!("{} left", span(s)),
            (Phase::Active, None) => "no end".into(),
            _ => String::new(),
        };
        let allowed: Vec<String> = f.allow.iter().map(ToString::to_string).collect();
        table.add_row(super::escaped([
            f.id.to_string(),
            state(f.phase(now)).to_string(),
            local(f.starts.utc()),
            f.until().map(local).unwrap_or_else(|| "-".into()),
            left,
            allowed.join(","),
            listed(&f.environments),
            f.reason.clone(),
        ]));
    }
    for o in recurring {
        let row = recurring_row(o, allow, now);
        let left = match row.state {
            "upcoming" => format!("starts in {}", span(row.seconds_left)),
            _ => format!("{} left", span(row.seconds_left)),
        };
        let allowed: Vec<String> = row.allow.iter().map(ToString::to_string).collect();
        table.add_row(super::escaped([
            format!("{} (recurring)", row.every),
            row.state.to_string(),
            local(row.starts),
            local(row.ends),
            left,
            allowed.join(","),
            listed(row.environments),
            row.reason.to_string(),
        ]));
    }
    format!("{table}\n(times in {})\n", zone.name())
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_at_a_glance() {
        assert_eq!(span(30), "1m");
        assert_eq!(span(5 * 3600 + 20 * 60), "5h 20m");
        assert_eq!(span(3 * 86400 + 4 * 3600 + 59), "3d 4h");
    }
}
