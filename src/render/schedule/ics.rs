//! The schedule as an iCalendar file (RFC 5545) a team subscribes to: one event per
//! change and per freeze, times in UTC, each with a UID that stays the same from run
//! to run so that a calendar updates its events rather than adding them again.

use crate::schedule::{Event, Schedule, What};
use chrono::{DateTime, Utc};

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11),
/// and characters that would hide or disguise text spelled out first.
fn text(value: &str) -> String {
    let shown = crate::render::escape(value);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets, never inside a character (§3.1), ended CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            // The space that starts a continuation counts.
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn event(out: &mut String, e: &Event, schedule_end: DateTime<Utc>, now: DateTime<Utc>) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", text(&e.uid)));
    line(out, &format!("DTSTAMP:{}", stamp(now)));
    line(out, &format!("DTSTART:{}", stamp(e.starts)));
    // A change with no planned end is a moment; a freeze with no end runs to the end
    // of the schedule, and says so.
    match e.ends {
        Some(end) if end == e.starts => {}
        end => line(
            out,
            &format!("DTEND:{}", stamp(end.unwrap_or(schedule_end))),
        ),
    }
    line(out, &format!("SUMMARY:{}", text(&super::name(e))));
    let mut description = super::facts(e);
    if e.ends.is_none() {
        description.push_str("; no end set");
    }
    for link in super::links(e) {
        description.push_str(&format!("\n{link}"));
    }
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    // An event has one URL: the first link's. It is the policy's template with the
    // reference percent-encoded, so it holds nothing a content line must escape.
    if let Some(url) = super::links(e).iter().find_map(|l| l.url.as_ref()) {
        line(out, &format!("URL:{url}"));
    }
    let category = match e.what {
        What::Change { .. } => "CHANGE",
        What::Freeze { .. } => "FREEZE",
    };
    line(out, &format!("CATEGORIES:{category}"));
    line(out, "END:VEVENT");
}

/// The calendar; `now` is its DTSTAMP.
pub fn render(schedule: &Schedule, now: DateTime<Utc>) -> String {
    let end = schedule.end();
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//chg//change schedule//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, "X-WR-CALNAME:Change schedule");
    line(&mut out, &format!("X-WR-TIMEZONE:{}", schedule.zone.name()));
    for e in &schedule.events {
        event(&mut out, e, end, now);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(text("x\u{1b}[8m"), "x\\\\e[8m");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for folded in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(folded.len() <= 75, "{folded:?} is {} octets", folded.len());
        }
        let unfolded = out.trim_end().replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}", "é".repeat(60)));
    }
}
