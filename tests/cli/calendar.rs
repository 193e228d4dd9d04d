//! `chg calendar`: the forward schedule as a table, an iCalendar file a real parser
//! reads with the same UIDs on every run, and a well-formed, self-contained page.

use crate::ci_files::tool;
use crate::common::{complete_args, outcome, refused, stdout_of, TestRepo};
use crate::lifecycle::RITA;
use std::io::Write;
use std::process::{Command, Stdio};

/// A Berlin clock, windows on weekdays only, a recurring month-end freeze; normal
/// changes need no approver, so that one can be scheduled in two commands.
const POLICY: &str = r#"
[changes]
timezone = "Europe/Berlin"

[roles]
release-manager = ["rita@example.com"]

[classes.normal]
approvals = []

[windows]
monday = [{ from = "09:00", to = "17:00", max_risk = "medium" }]
tuesday = [{ from = "09:00", to = "17:00" }]
wednesday = [{ from = "09:00", to = "17:00" }]
thursday = [{ from = "09:00", to = "17:00" }]
friday = []

[[freeze.recurring]]
every = "month-end"
last_days = 1
reason = "Billing run"
"#;

/// Record text written to break each output: ICS separators, markup, a control.
const TITLE: &str = "Swap <b>db</b>, \"main\"; & 'cache' \\ \u{1b}[8m";

/// A repository with a normal change scheduled Tuesday 2026-11-24 10:00–12:00 Berlin
/// and a freeze Rita declared for Wednesday 2026-11-25; returns it and the change.
fn planned() -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all("Add the change policy");
    let id = repo.create(&complete_args(TITLE, "normal"));
    repo.chg(&["submit", &id]).assert().success();
    let schedule = [
        "schedule",
        &id,
        "--start",
        "2026-11-24 10:00",
        "--end",
        "2026-11-24 12:00",
    ];
    repo.chg(&schedule).assert().success();
    let freeze = [
        "freeze",
        "start",
        "--reason",
        "Release 4.2",
        "--from",
        "2026-11-25",
        "--until",
        "2026-11-26",
    ];
    repo.chg_as(RITA.0, RITA.1, &freeze).assert().success();
    repo.commit_all("Plan the week");
    (repo, id)
}

fn calendar(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["calendar"];
    all.extend_from_slice(args);
    stdout_of(&mut repo.chg(&all))
}

const WEEK: [&str; 4] = ["--from", "2026-11-23", "--until", "2026-11-30"];

#[test]
fn the_table_shows_each_day_s_windows_freezes_and_changes() {
    let (repo, id) = planned();
    let table = calendar(&repo, &WEEK);
    let row = |day: &str| {
        let line = table.lines().find(|l| l.contains(day));
        line.unwrap_or_else(|| panic!("no {day}: {table}"))
            .to_string()
    };
    assert!(row("Mon 2026-11-23").contains("09:00–17:00 up to medium risk"));
    assert!(row("Tue 2026-11-24").contains("09:00–17:00 any risk"));
    assert!(row("Tue 2026-11-24").contains(&id), "{table}");
    assert!(row("Wed 2026-11-25").contains("FRZ-2026-0001 Release 4.2"));
    assert!(row("Fri 2026-11-27").contains("none"), "{table}");
    assert!(row("Sun 2026-11-29").contains("none"), "{table}");
    assert!(row("Mon 2026-11-30").contains("month-end freeze: Billing run"));
    let tuesday = table
        .lines()
        .any(|l| l.trim_start().starts_with("Tue 2026-12-01"));
    assert!(!tuesday, "--until is the last day: {table}");
    let planned = "Tue 2026-11-24 10:00 – Tue 2026-11-24 12:00; scheduled, normal change";
    assert!(table.contains(planned), "{table}");
    // The control character is spelled out, not sent to the terminal.
    assert!(
        table.contains("\\e[8m") && !table.contains('\u{1b}'),
        "{table}"
    );
    assert!(table.contains("(times in Europe/Berlin)"));
}

#[test]
fn by_default_it_shows_four_weeks_from_today_on_the_policy_clock() {
    let (repo, _) = planned();
    // 2026-11-21 23:30 UTC is already Sunday the 22nd in Berlin.
    let mut cmd = repo.chg(&["calendar"]);
    cmd.env("CHG_NOW", "2026-11-21T23:30:00Z");
    let table = stdout_of(&mut cmd);
    let days: Vec<&str> = (table.lines())
        .filter(|l| l.contains(" 202"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|d| d.len() == 10 && d.starts_with("202"))
        .collect();
    assert_eq!(days.first(), Some(&"2026-11-22"), "{table}");
    assert_eq!(days.last(), Some(&"2026-12-19"), "{table}");
}

/// A Python script on stdin run with `python`, its stdout.
fn python(python: &std::path::Path, script: &str, input: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input");
    std::fs::write(&file, input).unwrap();
    let mut child = Command::new(python)
        .arg("-")
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Each event as `UID|DTSTART|DTEND|SUMMARY|CATEGORIES`, read by the icalendar package.
const READ_ICS: &str = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for e in cal.walk("VEVENT"):
    end = e.get("DTEND")
    cats = e.get("CATEGORIES")
    print("|".join([str(e["UID"]), e["DTSTART"].dt.isoformat(),
                    end.dt.isoformat() if end else "-", str(e["SUMMARY"]),
                    ",".join(str(c) for c in cats.cats)]))
"#;

#[test]
fn ics_parses_with_an_icalendar_parser_and_keeps_each_uid_across_runs() {
    let test = "calendar::ics_parses_with_an_icalendar_parser_and_keeps_each_uid_across_runs";
    let (repo, id) = planned();
    let ics = calendar(&repo, &[&WEEK[..], &["--format", "ics"]].concat());
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{ics}"
    );
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "bare LF in {ics:?}"
    );
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "unfolded: {ics}");
    assert!(ics.contains("DTSTART:20261124T090000Z\r\n"), "{ics}");

    // A day later and after the change moves, each event keeps its UID.
    repo.chg(&["schedule", &id, "--start", "2026-11-26 09:30"])
        .assert()
        .success();
    let mut later = repo.chg(&["calendar", "--format", "ics", "--from", "2026-11-23"]);
    later.env("CHG_NOW", "2026-11-22T08:00:00Z");
    let again = stdout_of(&mut later);
    let uids = |text: &str| -> Vec<String> {
        let unfolded = text.replace("\r\n ", "");
        let mut uids: Vec<String> = (unfolded.lines())
            .filter_map(|l| l.strip_prefix("UID:"))
            .map(String::from)
            .collect();
        uids.sort();
        uids
    };
    assert_eq!(uids(&ics).len(), 3, "{ics}");
    assert_eq!(uids(&ics), uids(&again));
    assert!(again.contains("DTSTART:20261126T083000Z\r\n"), "{again}");

    let Some(py) = tool("venv/bin/python", test) else {
        return;
    };
    // A tools directory made before the parser was added to it has Python without it.
    let has_parser = std::process::Command::new(&py)
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_parser {
        eprintln!("SKIPPED {test}: the icalendar package is not installed (`.ci/run` installs it)");
        return;
    }
    let events = python(&py, READ_ICS, &ics);
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), 3, "{events}");
    assert!(
        lines[0].starts_with(&format!("{id}-"))
            && lines[0].contains("|2026-11-24T09:00:00+00:00|2026-11-24T11:00:00+00:00|")
            && lines[0].contains(&format!(
                "|{id} Swap <b>db</b>, \"main\"; & 'cache' \\ \\e[8m|CHANGE"
            )),
        "{events}"
    );
    assert!(
        lines[1].contains("FRZ-2026-0001 Release 4.2|FREEZE"),
        "{events}"
    );
    assert!(lines[2].contains("Billing run|FREEZE"), "{events}");
    let parsed_again = python(&py, READ_ICS, &again);
    let uid = |line: &str| line.split('|').next().unwrap().to_string();
    for line in &lines {
        assert!(
            parsed_again.lines().any(|l| uid(l) == uid(line)),
            "{line} lost its UID: {parsed_again}"
        );
    }
}

/// Parses the file as XML: a page that is not well-formed fails.
const READ_XHTML: &str = r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = {"h": "http://www.w3.org/1999/xhtml"}
print(len(root.findall(".//h:tbody/h:tr", ns)))
for li in root.iter("{http://www.w3.org/1999/xhtml}li"):
    print(li[0].text)
"#;

#[test]
fn the_page_is_well_formed_self_contained_and_shows_record_text_as_text() {
    let test = "calendar::the_page_is_well_formed_self_contained_and_shows_record_text_as_text";
    let (repo, id) = planned();
    let html = calendar(&repo, &[&WEEK[..], &["--format", "html"]].concat());
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        !html.contains("<b>db") && !html.contains('\u{1b}'),
        "{html}"
    );
    assert!(html.contains("Swap &lt;b&gt;db&lt;/b&gt;, &quot;main&quot;; &amp; &#39;cache&#39;"));
    for external in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "{external} in {html}");
    }
    let Some(py) = which("python3", test) else {
        return;
    };
    let read = python(&py, READ_XHTML, &html);
    let mut lines = read.lines();
    assert_eq!(lines.next(), Some("8"), "one row a day: {read}");
    let items: Vec<&str> = lines.collect();
    assert!(
        items.contains(&format!("{id} Swap <b>db</b>, \"main\"; & 'cache' \\ \\e[8m").as_str()),
        "{items:?}"
    );
}

/// `program` on PATH, or a visible notice that `test` is skipped.
fn which(program: &str, test: &str) -> Option<std::path::PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("SKIPPED {test}: {program} is not on PATH");
    }
    found
}

#[test]
fn a_headless_browser_renders_the_page() {
    let test = "calendar::a_headless_browser_renders_the_page";
    let (repo, id) = planned();
    let html = calendar(&repo, &[&WEEK[..], &["--format", "html"]].concat());
    let Some(browser) = which("chromium", test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("calendar.html");
    std::fs::write(&page, &html).unwrap();
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The browser built the table and kept the title as text, not as markup.
    assert_eq!(dom.matches("<td class=\"day\">").count(), 8, "{dom}");
    assert!(
        dom.contains(&format!("{id} Swap &lt;b&gt;db&lt;/b&gt;")),
        "{dom}"
    );
}

#[test]
fn bad_days_are_refused_and_change_nothing() {
    let (repo, _) = planned();
    let cases: [(&[&str], &str); 7] = [
        (&["--from", "tomorrow"], "--from: `tomorrow` is not a date"),
        (
            &["--until", "2026-02-30"],
            "--until: `2026-02-30` is not a date",
        ),
        (
            &["--from=-0001-12-01"],
            "--from: `-0001-12-01` is not a date",
        ),
        (
            &["--from", "2026-12-01", "--until", "2026-11-30"],
            "--until 2026-11-30 is before --from 2026-12-01",
        ),
        (
            &["--from", "2026-01-01", "--until", "2027-01-02"],
            "is more than 366 days",
        ),
        (
            &["--from", "2026-01-01", "--until", "9999-12-31"],
            "is more than 366 days",
        ),
        (&["--format", "pdf"], "invalid value 'pdf'"),
    ];
    for (args, needle) in cases {
        let mut all = vec!["calendar"];
        all.extend_from_slice(args);
        let stderr = refused(&repo, repo.chg(&all), 2, needle);
        assert!(stderr.contains("error"), "{stderr}");
    }
    let (code, stdout, _) = outcome(&mut repo.chg(&["calendar", "--until", "2026-11-21"]));
    assert_eq!(code, 0, "a single day is a schedule");
    assert!(stdout.contains("Sat 2026-11-21"), "{stdout}");
    let year = ["calendar", "--from", "2026-01-01", "--until", "2027-01-01"];
    let (code, _, _) = outcome(&mut repo.chg(&year));
    assert_eq!(code, 0, "366 days are the most, and allowed");
}

#[test]
fn an_unreadable_record_or_freeze_is_never_shown_as_a_complete_schedule() {
    let (repo, id) = planned();
    repo.write(".changes/CHG-2026-0009.yaml", "id: [not, a, record\n");
    let before = repo.snapshot();
    let (code, stdout, stderr) = outcome(&mut repo.chg(&["calendar"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.contains(&id), "what can be read is shown: {stdout}");
    assert!(stderr.contains("CHG-2026-0009.yaml"), "{stderr}");
    assert!(stderr.contains("could not be read"), "{stderr}");
    assert!(before == repo.snapshot());
    std::fs::remove_file(repo.path().join(".changes/CHG-2026-0009.yaml")).unwrap();

    repo.write(".changes/freezes/FRZ-2026-0009.yaml", "reason: [\n");
    refused(&repo, repo.chg(&["calendar"]), 2, "cannot read a freeze");
}
