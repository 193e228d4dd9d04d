//! The schedule as one self-contained web page: inline style, no scripts, nothing
//! fetched, so that it reads the same opened from disk. It is XHTML as well as HTML,
//! so an XML parser can prove it well-formed. Titles and reasons are anyone's text:
//! every one is escaped.

use crate::schedule::{Day, Event, Schedule};
use chrono::{DateTime, Utc};

const STYLE: &str = "
body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f24; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
p.note { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr.frozen td { background: #fff1f0; }
td.day { white-space: nowrap; }
tr.weekend td.day { color: #57606a; }
ul { margin: 0; padding-left: 1.1em; }
.freeze { color: #a40e26; font-weight: 600; }
.facts { color: #57606a; font-size: 0.9em; }
";

/// `text` safe in an element or an attribute, hidden characters spelled out.
fn escape(text: &str) -> String {
    let shown = crate::render::escape(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn item(out: &mut String, event: &Event, schedule: &Schedule) {
    let class = if event.is_freeze() {
        "freeze"
    } else {
        "change"
    };
    // Only a URL the policy's template made is a link; the reference is its text.
    let links: String = (super::links(event).iter())
        .map(|l| {
            let text = escape(&format!("{}: {}", l.kind, l.id));
            match &l.url {
                Some(url) => format!(" <a href=\"{}\">{text}</a>", escape(url)),
                None => format!(" {text}"),
            }
        })
        .collect();
    out.push_str(&format!(
        "<li><span class=\"{class}\">{}</span>{links}<br/><span class=\"facts\">{}; {}</span></li>",
        escape(&super::name(event)),
        escape(&super::when(event, schedule.zone)),
        escape(&super::facts(event)),
    ));
}

fn list(out: &mut String, events: &[&Event], schedule: &Schedule) {
    out.push_str("<td>");
    if !events.is_empty() {
        out.push_str("<ul>");
        for event in events {
            item(out, event, schedule);
        }
        out.push_str("</ul>");
    }
    out.push_str("</td>");
}

fn row(out: &mut String, day: &Day, schedule: &Schedule) {
    use chrono::Datelike;
    let (freezes, changes) = schedule.on(day);
    let mut classes = Vec::new();
    if !freezes.is_empty() {
        classes.push("frozen");
    }
    if day.date.weekday().number_from_monday() > 5 {
        classes.push("weekend");
    }
    out.push_str(&format!(
        "<tr class=\"{}\"><td class=\"day\">{}</td><td>{}</td>",
        classes.join(" "),
        day.date.format("%a %Y-%m-%d"),
        escape(&super::windows(day).join(", ")),
    ));
    list(out, &freezes, schedule);
    list(out, &changes, schedule);
    out.push_str("</tr>\n");
}

/// The page; `now` is when it was made.
pub fn render(schedule: &Schedule, now: DateTime<Utc>) -> String {
    let last = schedule.until.pred_opt().unwrap_or(schedule.until);
    let title = format!("Change schedule {} to {}", schedule.from, last);
    let mut out = format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n\
         <meta charset=\"utf-8\"/>\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p class=\"note\">Times in {}. Made {}.</p>\n\
         <table>\n<thead><tr><th>Day</th><th>Deployment windows</th><th>Freezes</th><th>Changes</th></tr></thead>\n<tbody>\n",
        escape(schedule.zone.name()),
        now.with_timezone(&schedule.zone).format("%Y-%m-%d %H:%M"),
    );
    for day in &schedule.days {
        row(&mut out, day, schedule);
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_text_stays_text() {
        assert_eq!(
            escape("<script>x('a\" & b')</script>"),
            "&lt;script&gt;x(&#39;a&quot; &amp; b&#39;)&lt;/script&gt;"
        );
    }
}
