//! The forward schedule as a terminal table, an iCalendar file or a web page. The
//! words for an event and a day's windows are made here once, for all three.

pub mod html;
pub mod ics;

use crate::model::{Class, RiskLevel};
use crate::policy::links::Resolved;
use crate::policy::windows::Window;
use crate::schedule::{Day, Event, Schedule, What};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What an event is called: `CHG-2026-0001 Add the column`, `FRZ-2026-0001 Year end`.
pub(crate) fn name(event: &Event) -> String {
    match &event.what {
        What::Change { id, .. } | What::Freeze { id: Some(id), .. } => {
            format!("{id} {}", event.title)
        }
        What::Freeze { id: None, .. } => event.title.clone(),
    }
}

/// A change's links to other systems; none for a freeze.
pub(crate) fn links(event: &Event) -> &[Resolved] {
    match &event.what {
        What::Change { links, .. } => links,
        What::Freeze { .. } => &[],
    }
}

fn listed(classes: &[Class]) -> String {
    if classes.is_empty() {
        "nothing".into()
    } else {
        let names: Vec<String> = classes.iter().map(Class::to_string).collect();
        names.join(", ")
    }
}

/// Its facts in a line: `scheduled, normal change, medium risk`, or what a freeze lets
/// through and where.
pub(crate) fn facts(event: &Event) -> String {
    match &event.what {
        What::Change {
            status,
            class,
            risk,
            ..
        } => {
            let risk = risk.map_or("risk not assessed".into(), |r| format!("{r} risk"));
            format!("{status}, {class} change, {risk}")
        }
        What::Freeze {
            allow,
            environments,
            ..
        } => {
            let place = if environments.is_empty() {
                "every environment".into()
            } else {
                environments.join(", ")
            };
            format!("freeze in {place}; allows {}", listed(allow))
        }
    }
}

/// When it runs on the policy's clock: `Tue 2026-11-24 06:00 – Tue 2026-11-24 08:00`.
pub(crate) fn when(event: &Event, zone: Tz) -> String {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%a %Y-%m-%d %H:%M");
    match event.ends {
        Some(end) if end == event.starts => format!("from {}", local(event.starts)),
        Some(end) => format!("{} – {}", local(event.starts), local(end)),
        None => format!("{} – no end", local(event.starts)),
    }
}

fn window(w: &Window) -> String {
    let risk = match w.max_risk {
        RiskLevel::Critical => "any risk".into(),
        max => format!("up to {max} risk"),
    };
    format!("{}–{} {risk}", w.from, w.to)
}

/// A day's deployment windows in words.
pub(crate) fn windows(day: &Day) -> Vec<String> {
    match &day.windows {
        None => vec!["any time".into()],
        Some(open) if open.is_empty() => vec!["none".into()],
        Some(open) => open.iter().map(window).collect(),
    }
}

/// The days, one row each: their windows, the freezes and the changes on them.
pub fn table(schedule: &Schedule) -> String {
    let mut table = super::plain_table();
    table.set_header(["DAY", "WINDOWS", "FROZEN", "CHANGES"]);
    for day in &schedule.days {
        let (freezes, changes) = schedule.on(day);
        let names = |events: Vec<&Event>| -> String {
            let names: Vec<String> = events.into_iter().map(name).collect();
            names.join("\n")
        };
        table.add_row(super::escaped([
            day.date.format("%a %Y-%m-%d").to_string(),
            windows(day).join("\n"),
            names(freezes),
            names(changes),
        ]));
    }
    let mut text = format!("{table}\n");
    if !schedule.events.is_empty() {
        text.push('\n');
    }
    for event in &schedule.events {
        let line = format!(
            "{}: {}; {}",
            name(event),
            when(event, schedule.zone),
            facts(event)
        );
        text.push_str(&super::escape(&line));
        text.push('\n');
    }
    text.push_str(&format!("(times in {})\n", schedule.zone.name()));
    text
}
