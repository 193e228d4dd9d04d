//! The forward schedule of change: what is planned, what is frozen and when deployments
//! may happen, day by day over the coming weeks, on the policy's clock (`chg calendar`).
//! Judging one moment stays in `calendar`; this lays the same facts out over days.

use crate::error::Failure;
use crate::model::freeze::Freeze;
use crate::model::{ChangeRecord, Class, RiskLevel, Status};
use crate::policy::duration::start_of_day;
use crate::policy::windows::Window;
use crate::policy::Policy;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

/// The most days one schedule covers: a year, enough to plan by and small enough to
/// print.
pub const MAX_DAYS: u64 = 366;

/// Something on the schedule: a planned change or a freeze.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    Change {
        id: String,
        status: Status,
        class: Class,
        /// `None`: not yet assessed.
        risk: Option<RiskLevel>,
        /// Its references in other systems, with the policy's URLs.
        links: Vec<crate::policy::links::Resolved>,
    },
    /// A declared freeze (its ID) or an occurrence of a recurring one (`None`).
    Freeze {
        id: Option<String>,
        allow: Vec<Class>,
        environments: Vec<String>,
    },
}

/// One event: `[starts, ends)`; `ends == starts` is a change with no planned end,
/// `ends == None` a freeze with no end.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The same for the same change or freeze on every run, so that a calendar that
    /// imports the schedule again updates the event rather than adding another.
    pub uid: String,
    pub what: What,
    /// The change's title or the freeze's reason: anyone's text, escaped by renderers.
    pub title: String,
    pub starts: DateTime<Utc>,
    pub ends: Option<DateTime<Utc>>,
}

impl Event {
    pub fn is_freeze(&self) -> bool {
        matches!(self.what, What::Freeze { .. })
    }

    /// Whether some of it falls in `[from, to)`; a change with no planned end, when
    /// it starts there.
    fn touches(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        match self.ends {
            Some(end) if end == self.starts => from <= self.starts && self.starts < to,
            end => self.starts < to && end.is_none_or(|end| end > from),
        }
    }
}

/// One day on the policy's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    /// The deployment windows of its weekday; `None` when the policy sets none, so
    /// deployments may happen any time. Empty: no window that day.
    pub windows: Option<Vec<Window>>,
    /// Indexes into [`Schedule::events`] of what falls on it, in order.
    pub events: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub zone: Tz,
    /// The first day, and the day after the last.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Ordered by start.
    pub events: Vec<Event>,
    pub days: Vec<Day>,
}

impl Schedule {
    /// The instant it ends: the first of the day after its last.
    pub fn end(&self) -> DateTime<Utc> {
        midnight(self.until, self.zone)
    }

    /// The freezes and the changes on `day`, each in order.
    pub fn on(&self, day: &Day) -> (Vec<&Event>, Vec<&Event>) {
        (day.events.iter())
            .map(|&i| &self.events[i])
            .partition(|e| e.is_freeze())
    }
}

/// The first instant of `day` on `zone`'s clock.
fn midnight(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    start_of_day(day, &zone).with_timezone(&Utc)
}

/// A short digest of `parts`, to make UIDs unique across repositories without
/// depending on when the schedule is made.
fn digest(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Changes scheduled or under way with a planned start.
fn changes(policy: &Policy, records: &[ChangeRecord]) -> Vec<Event> {
    records
        .iter()
        .filter(|r| matches!(r.status, Status::Scheduled | Status::Implementing))
        .filter_map(|r| {
            let planned = r.schedule.as_ref()?;
            let id = r.id.to_string();
            let starts = planned.start.utc();
            Some(Event {
                // The record's creation never changes, and tells apart two
                // repositories' changes of one ID.
                uid: format!("{id}-{}@chg", digest(&[&id, &r.created_at.to_string()])),
                what: What::Change {
                    id,
                    status: r.status,
                    class: r.class,
                    risk: policy.risk_level(r),
                    links: policy.links_of(r),
                },
                title: r.title.clone(),
                starts,
                ends: Some(planned.end.map_or(starts, |t| t.utc()).max(starts)),
            })
        })
        .collect()
}

fn declared(freezes: &[Freeze]) -> Vec<Event> {
    freezes
        .iter()
        .map(|f| {
            let id = f.id.to_string();
            Event {
                uid: format!("{id}-{}@chg", digest(&[&id, &f.declared_by])),
                what: What::Freeze {
                    id: Some(id),
                    allow: f.allow.clone(),
                    environments: f.environments.clone(),
                },
                title: f.reason.clone(),
                starts: f.starts.utc(),
                ends: f.until(),
            }
        })
        .collect()
}

/// Every occurrence of the policy's recurring freezes that begins before `to` and
/// ends after `from`.
fn recurring(policy: &Policy, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
    let zone = policy.changes.timezone.0;
    let mut events = Vec::new();
    for rule in &policy.freeze.recurring {
        let mut at = from;
        loop {
            let o = rule.next(at, zone);
            if o.starts >= to {
                break;
            }
            let first = o.starts.with_timezone(&zone).date_naive().to_string();
            events.push(Event {
                uid: format!(
                    "freeze-{}-{first}-{}@chg",
                    rule.every,
                    digest(&[&rule.every.to_string(), &rule.reason])
                ),
                what: What::Freeze {
                    id: None,
                    allow: rule.allowed(&policy.freeze.allow).to_vec(),
                    environments: rule.environments.clone(),
                },
                title: format!("{} freeze: {}", rule.every, rule.reason),
                starts: o.starts,
                ends: Some(o.ends),
            });
            at = o.ends;
        }
    }
    events
}

/// A day of the years 1 to 9999, the ones every calendar app reads.
fn date(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| {
            Failure::input(format!("--{flag}: `{text}` is not a date"))
                .hint("write the day as YYYY-MM-DD, e.g. 2026-12-01")
        })
}

/// The days `[from, until)` that `--from` and `--until` (the last day shown) ask for:
/// from today, four weeks by default, at most [`MAX_DAYS`].
pub fn days(
    from: Option<&str>,
    until: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), Failure> {
    let from = from.map(|t| date("from", t)).transpose()?;
    let from = from.unwrap_or(today);
    let last = match until {
        Some(t) => date("until", t)?,
        None => from.checked_add_days(Days::new(27)).unwrap_or(from),
    };
    if last < from {
        return Err(
            Failure::input(format!("--until {last} is before --from {from}"))
                .hint("give the later day to --until"),
        );
    }
    match last.checked_add_days(Days::new(1)) {
        Some(until) if (until - from).num_days() <= MAX_DAYS as i64 => Ok((from, until)),
        _ => Err(Failure::input(format!(
            "--from {from} --until {last} is more than {MAX_DAYS} days"
        ))
        .hint("show a year or less at a time")),
    }
}

/// The schedule of the days `[from, until)` (at most [`MAX_DAYS`]): the changes
/// scheduled or implementing with a planned start, declared and recurring freezes,
/// and each day's windows.
pub fn build(
    policy: &Policy,
    records: &[ChangeRecord],
    freezes: &[Freeze],
    from: NaiveDate,
    until: NaiveDate,
) -> Schedule {
    let zone = policy.changes.timezone.0;
    let (start, end) = (midnight(from, zone), midnight(until, zone));
    let mut events: Vec<Event> = changes(policy, records)
        .into_iter()
        .chain(declared(freezes))
        .chain(recurring(policy, start, end))
        .filter(|e| e.touches(start, end))
        .collect();
    events.sort_by(|a, b| (a.starts, &a.uid).cmp(&(b.starts, &b.uid)));
    let windows = &policy.windows;
    let days = from
        .iter_days()
        .take_while(|d| *d < until)
        .take(MAX_DAYS as usize)
        .map(|date| {
            let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
            let (_, listed) = windows.days()[date.weekday().num_days_from_monday() as usize];
            Day {
                date,
                windows: windows
                    .are_set()
                    .then(|| listed.cloned().unwrap_or_default()),
                events: (0..events.len())
                    .filter(|&i| events[i].touches(midnight(date, zone), midnight(next, zone)))
                    .collect(),
            }
        })
        .collect();
    Schedule {
        zone,
        from,
        until,
        events,
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(extra: &str) -> Policy {
        Policy::from_toml(&format!("[changes]\ntimezone = \"Europe/Berlin\"\n{extra}")).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn recurring_freezes_appear_on_each_of_their_days_on_the_policy_clock() {
        let p = policy(
            "[[freeze.recurring]]\nevery = \"month-end\"\nlast_days = 2\nreason = \"billing\"",
        );
        let s = build(&p, &[], &[], day("2026-11-25"), day("2027-01-05"));
        let frozen: Vec<NaiveDate> = (s.days.iter())
            .filter(|d| !d.events.is_empty())
            .map(|d| d.date)
            .collect();
        let expected = ["2026-11-29", "2026-11-30", "2026-12-30", "2026-12-31"];
        assert_eq!(frozen, expected.map(day));
        assert_eq!(s.events.len(), 2);
        assert_eq!(s.events[0].uid, {
            let d = digest(&["month-end", "billing"]);
            format!("freeze-month-end-2026-11-29-{d}@chg")
        });
        // Midnight in Berlin, an hour before midnight UTC.
        assert_eq!(s.events[0].starts.to_rfc3339(), "2026-11-28T23:00:00+00:00");
    }

    #[test]
    fn each_day_carries_its_weekday_s_windows_or_none_when_the_policy_sets_none() {
        let p = policy("[windows]\nmonday = [{ from = \"09:00\", to = \"17:00\" }]");
        // 2026-11-23 is a Monday.
        let s = build(&p, &[], &[], day("2026-11-23"), day("2026-11-25"));
        assert_eq!(s.days.len(), 2);
        assert_eq!(s.days[0].windows.as_ref().map(Vec::len), Some(1));
        assert_eq!(s.days[1].windows, Some(Vec::new()));
        let open = build(&policy(""), &[], &[], day("2026-11-23"), day("2026-11-24"));
        assert_eq!(open.days[0].windows, None);
    }

    fn planned(status: Status, start: &str, end: Option<&str>) -> ChangeRecord {
        let mut r = crate::model::record::sample(Class::Normal);
        r.status = status;
        r.schedule = Some(crate::model::record::Schedule {
            start: start.parse().unwrap(),
            end: end.map(|e| e.parse().unwrap()),
        });
        r
    }

    #[test]
    fn only_changes_scheduled_or_under_way_are_shown_and_one_with_no_end_on_its_day() {
        let records = [
            planned(Status::Implementing, "2026-11-23T23:30:00Z", None),
            planned(Status::Deployed, "2026-11-23T10:00:00Z", None),
            planned(
                Status::Scheduled,
                "2026-11-24T10:00:00Z",
                Some("2026-11-25T10:00:00Z"),
            ),
        ];
        let s = build(
            &policy(""),
            &records,
            &[],
            day("2026-11-23"),
            day("2026-11-27"),
        );
        assert_eq!(s.events.len(), 2);
        // 23:30 UTC is already the 24th in Berlin; a two-day span is on both days.
        let on = |i: usize| s.days[i].events.clone();
        assert_eq!(
            (on(0), on(1), on(2), on(3)),
            (vec![], vec![0, 1], vec![1], vec![])
        );
        assert_eq!(s.events[0].ends, Some(s.events[0].starts));
    }

    #[test]
    fn a_freeze_with_no_end_runs_through_the_schedule_and_one_ended_early_stops() {
        let yaml = |extra: &str| -> Freeze {
            serde_yaml::from_str(&format!(
                "id: FRZ-2026-0001\nreason: r\nstarts: 2026-11-24T00:00:00Z\n\
                 declared_by: R <r@x>\nallow: [emergency]\n{extra}"
            ))
            .unwrap()
        };
        let open = build(
            &policy(""),
            &[],
            &[yaml("")],
            day("2026-11-23"),
            day("2026-11-30"),
        );
        let frozen = |s: &Schedule| s.days.iter().filter(|d| !d.events.is_empty()).count();
        assert_eq!(frozen(&open), 6);
        assert_eq!(open.events[0].ends, None);
        let early = yaml(
            "ends: 2026-12-24T00:00:00Z\nended_early: {at: 2026-11-25T12:00:00Z, by: R <r@x>}",
        );
        let s = build(
            &policy(""),
            &[],
            &[early],
            day("2026-11-23"),
            day("2026-11-30"),
        );
        assert_eq!(frozen(&s), 2);
    }

    #[test]
    fn a_schedule_never_runs_past_its_longest() {
        let s = build(&policy(""), &[], &[], day("2026-01-01"), day("2099-01-01"));
        assert_eq!(s.days.len() as u64, MAX_DAYS);
    }
}
