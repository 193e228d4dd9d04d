//! `chg set`: the record fields a script may write by name, and how a value typed on
//! the command line becomes one. The names are those a policy may require (so the two
//! lists cannot drift apart) and a few more that only hand edits reached before.
//!
//! A value is written into the record's JSON form and the record is read back through
//! the same typed model a file is read with, so nothing here can make a record that a
//! file could not hold.

use crate::clock::parse_user_time;
use crate::error::Failure;
use crate::model::record::email_of;
use crate::model::{ChangeRecord, Complexity, RiskLevel, Treatment};
use crate::policy::{requirement, Policy};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::{Map, Value};

/// Fields a script may set that no policy can require.
const MORE: &[&str] = &[
    "risk.justification",
    "emergency.retrospective_at",
    "review.steps",
    "review.duration",
    "review.impact",
    "review.root_cause",
    "review.preventive_measures",
    "schedule.start",
    "schedule.end",
];

/// Names a policy may require that are no single field, with where to go instead.
const GROUPS: &[(&str, &str)] = &[
    ("impact", "it is a group: set one of its fields, e.g. impact.users"),
    ("rollback", "set rollback.plan, the field this name stands for"),
    (
        "risk",
        "the policy derives it from the answers `chg assess` records (--likelihood and --impact, or --factor)",
    ),
    (
        "schedule",
        "set schedule.start (and schedule.end) while the change is proposed; `chg schedule` schedules an approved one",
    ),
];

/// Fields (and groups of fields, by prefix) that other commands write, each with the
/// command that does.
const OWNED: &[(&str, &str)] = &[
    ("id", "a change keeps the ID `chg new` gave it"),
    ("created_at", "`chg new` records it"),
    ("author", "`chg new` records it"),
    (
        "status",
        "the lifecycle verbs move a change: chg submit, approve, schedule, start, deploy, verify, close ...",
    ),
    ("transitions", "each lifecycle verb (chg submit, approve ...) appends one"),
    ("approvals", "`chg approve` and `chg reject` record them"),
    ("deployments", "`chg deploy` records them"),
    ("review", "`chg review` records it"),
    ("gate_evidence", "`chg evidence` records it"),
    ("risk.likelihood", "`chg assess --likelihood` records it"),
    ("risk.impact", "`chg assess --impact` records it"),
    ("risk.factors", "`chg assess --factor NAME=N` records them"),
    ("impact_areas", "`chg assess --impact-area` declares them"),
];

/// What a field holds, which decides how its value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, possibly many lines.
    Text,
    /// One line of text, not empty.
    Line,
    /// An email address, or `Name <email>`.
    Email,
    /// A list of words or paths.
    List,
    /// A list of email addresses.
    Emails,
    /// A list of tenants, or one word for all or none of them (`all`, `none`).
    Tenants,
    /// true or false.
    Flag,
    /// A date, YYYY-MM-DD.
    Date,
    /// A time, on the policy's clock when it has no offset.
    Time,
    /// One word of a closed vocabulary.
    Word(&'static [&'static str]),
}

impl Kind {
    fn is_list(self) -> bool {
        matches!(self, Kind::List | Kind::Emails | Kind::Tenants)
    }

    /// How values of this kind are written, for `--help`.
    fn form(self) -> String {
        match self {
            Kind::Text => "text".into(),
            Kind::Line => "one line".into(),
            Kind::Email => "email".into(),
            Kind::List => "list".into(),
            Kind::Emails => "list of emails".into(),
            Kind::Tenants => "list, or one word such as all".into(),
            Kind::Flag => "true|false".into(),
            Kind::Date => "YYYY-MM-DD".into(),
            Kind::Time => "time".into(),
            Kind::Word(words) => words.join("|"),
        }
    }
}

/// The kind of a settable field (the caller knows `name` is one).
fn kind_of(name: &str) -> Kind {
    match name {
        "title" => Kind::Line,
        "owner" => Kind::Email,
        "target_date" => Kind::Date,
        "emergency.retrospective_at" | "schedule.start" | "schedule.end" => Kind::Time,
        "components" | "environments" | "stakeholders" | "rollback.artifacts" | "adrs" => {
            Kind::List
        }
        "emergency.authorized_by" => Kind::Emails,
        "tenants" => Kind::Tenants,
        "rollback.tested" => Kind::Flag,
        "rollback.complexity" => Kind::Word(Complexity::SPELLINGS),
        "risk.level" => Kind::Word(RiskLevel::SPELLINGS),
        "risk.treatment" => Kind::Word(Treatment::SPELLINGS),
        _ => Kind::Text,
    }
}

/// Every field `chg set` writes, in the order a policy lists them, then the others.
pub fn settable() -> impl Iterator<Item = &'static str> {
    requirement::FIELDS
        .iter()
        .chain(MORE)
        .copied()
        .filter(|name| !GROUPS.iter().any(|(group, _)| group == name))
}

/// How values of `name` are written, if `chg set` writes it under `policy`.
pub fn form_of(name: &str, policy: &Policy) -> Option<String> {
    if let Some(kind) = name.strip_prefix("links.") {
        return policy.links.contains_key(kind).then(|| "one line".into());
    }
    if let Some(field) = name.strip_prefix("fields.") {
        return policy.fields.get(field).map(|d| d.kind.to_string());
    }
    settable().any(|n| n == name).then(|| kind_of(name).form())
}

/// The settable fields with the form of their values, one a line, for `--help`.
pub fn help() -> String {
    let lines: Vec<String> = settable()
        .map(|name| format!("  {name:<30} {}", kind_of(name).form()))
        .collect();
    format!(
        "Settable fields:\n{}\n  {:<30} one line\n  {:<30} as the policy declares it\n\nLists: `field=a,b` replaces the list, `field+=c` adds to it. `field=` with no \
         value clears the field. A value written @PATH is read from that file, @- from stdin. Times: RFC 3339, \
         `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` on the policy's clock. Status, approvals, deployments and the \
         other lifecycle fields are written by the lifecycle verbs; every other field by `chg edit`.\n\n\
         Examples:\n  chg set CHG-2026-0001 owner=lee@example.com\n  \
         chg set CHG-2026-0001 description=@notes/change.md\n  \
         chg set CHG-2026-0001 links.jira=OPS-123",
        lines.join("\n"),
        "links.<kind>",
        "fields.<name>"
    )
}

/// One `field=value` or `field+=value` from the command line, its value already read
/// from any file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub field: String,
    /// `+=`: add to a list rather than replace it.
    pub append: bool,
    pub value: String,
}

impl std::str::FromStr for Assignment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (left, value) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` is not of the form FIELD=VALUE or FIELD+=VALUE"))?;
        let (field, append) = match left.strip_suffix('+') {
            Some(field) => (field, true),
            None => (left, false),
        };
        let field = field.trim();
        if field.is_empty() {
            return Err(format!("`{s}` names no field; write FIELD=VALUE"));
        }
        Ok(Assignment {
            field: field.to_string(),
            append,
            value: value.to_string(),
        })
    }
}

/// Refuses a name `chg set` does not write, saying who does.
fn ensure_settable(name: &str) -> Result<Kind, Failure> {
    if settable().any(|n| n == name) {
        return Ok(kind_of(name));
    }
    let owner = |table: &'static [(&str, &'static str)]| {
        table.iter().find_map(|(field, why)| {
            let covers = name == *field
                || name
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'));
            covers.then_some(*why)
        })
    };
    if let Some(why) = owner(OWNED) {
        return Err(
            Failure::input(format!("`{name}` is not set by `chg set`: {why}"))
                .hint("`chg set --help` lists the fields it writes"),
        );
    }
    if let Some(why) = GROUPS
        .iter()
        .find_map(|(group, why)| (*group == name).then_some(*why))
    {
        return Err(Failure::input(format!("`{name}` cannot be set: {why}")));
    }
    Err(
        Failure::input(format!("`{name}` is not a field `chg set` writes"))
            .hint(format!(
                "settable fields: {}",
                settable().collect::<Vec<_>>().join(", ")
            ))
            .hint("`chg edit` changes any other part of a record by hand"),
    )
}

/// `record` with every assignment made in order, read back as a record; refuses an
/// unknown or lifecycle field, a link or field the policy does not declare, and a bad
/// value. Times without an offset are read on the policy's clock.
pub fn apply(
    record: &ChangeRecord,
    assignments: &[Assignment],
    policy: &Policy,
) -> Result<ChangeRecord, Failure> {
    let zone = policy.changes.timezone.0;
    let mut tree = serde_json::to_value(record).expect("records always serialise to JSON");
    for a in assignments {
        if let Some(new) = declared(a, policy) {
            let path: Vec<&str> = a.field.splitn(2, '.').collect();
            match new? {
                None => remove(&mut tree, &path),
                Some(value) => *slot(&mut tree, &path) = value,
            }
            continue;
        }
        let kind = ensure_settable(&a.field)?;
        let bad = |problem: String| Failure::input(format!("{}: {problem}", a.field));
        if a.append && !kind.is_list() {
            return Err(bad(format!(
                "`+=` adds to a list, and this field holds {}; write {}=VALUE",
                kind.form(),
                a.field
            )));
        }
        // A review is begun by `chg review`, which records who held it and when.
        if a.field.starts_with("review.") && record.review.is_none() {
            return Err(
                bad(format!("{} has no review to add it to", record.id)).hint(format!(
                    "record the review first: chg review {} --outcome ...",
                    record.id
                )),
            );
        }
        // A proposal carries the time it asks for; once approved, `chg schedule` moves
        // the change and holds the time to freezes and deployment windows.
        if a.field.starts_with("schedule.") && !crate::model::lifecycle::is_proposal(record.status)
        {
            return Err(bad(format!(
                "{} is {}: its proposed time is fixed",
                record.id, record.status
            ))
            .hint(format!(
                "chg schedule {} --start ... schedules it, checking freezes and deployment windows",
                record.id
            )));
        }
        let path: Vec<&str> = a.field.split('.').collect();
        let new = value_of(kind, &a.value, zone).map_err(bad)?;
        match new {
            None if a.append => {}
            None => remove(&mut tree, &path),
            Some(Value::Array(items)) if a.append => {
                let slot = slot(&mut tree, &path);
                let mut list = match slot.take() {
                    Value::Array(old) => old,
                    Value::String(word) => vec![Value::String(word)],
                    _ => Vec::new(),
                };
                list.extend(items);
                *slot = Value::Array(list);
            }
            Some(value) => *slot(&mut tree, &path) = value,
        }
    }
    serde_json::from_value(tree)
        .map_err(|e| Failure::input(format!("the record would not be valid: {e}")))
}

/// The JSON form of an assignment to `links.<kind>` or `fields.<name>`, checked
/// against what the policy declares (`None` inside clears it); `None` for any other
/// field. The name after the dot is taken whole: it is a key, not a path.
fn declared(a: &Assignment, policy: &Policy) -> Option<Result<Option<Value>, Failure>> {
    let (group, name) = a.field.split_once('.')?;
    let table = match group {
        "links" => "[links]",
        "fields" => "[fields.<name>]",
        _ => return None,
    };
    let undeclared = |problem: String| {
        Failure::input(problem).hint(format!("the policy declares them in {table}"))
    };
    Some(if a.append {
        Err(Failure::input(format!(
            "{}: `+=` adds to a list, and this field holds one value; write {}=VALUE",
            a.field, a.field
        )))
    } else if a.value.trim().is_empty() {
        Ok(None)
    } else if group == "links" {
        (policy.check_link(name, a.value.trim()))
            .map(|()| Some(Value::String(a.value.trim().to_string())))
            .map_err(undeclared)
    } else {
        (policy.declared_field(name).map_err(undeclared)).and_then(|d| {
            let value = (d.kind.parse(&a.value))
                .map_err(|e| Failure::input(format!("{}: {e}", a.field)))?;
            Ok(Some(serde_json::to_value(value).expect("a scalar is JSON")))
        })
    })
}

/// The JSON form of `raw` as a `kind` field holds it; `None` to clear the field.
fn value_of(kind: Kind, raw: &str, zone: Tz) -> Result<Option<Value>, String> {
    let word = raw.trim();
    if word.is_empty() {
        return match kind {
            Kind::Line => Err("it cannot be empty".into()),
            _ => Ok(None),
        };
    }
    let items = || -> Vec<String> {
        word.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(String::from)
            .collect()
    };
    let value = match kind {
        Kind::Text => Value::String(raw.to_string()),
        Kind::Line if word.contains('\n') => return Err("it is one line of text".into()),
        Kind::Line => Value::String(word.to_string()),
        Kind::Email => Value::String(email(word)?.to_string()),
        Kind::List => Value::from(items()),
        Kind::Emails => {
            let all = items();
            for item in &all {
                email(item)?;
            }
            Value::from(all)
        }
        Kind::Tenants if word.contains(',') => Value::from(items()),
        Kind::Tenants => Value::String(word.to_string()),
        Kind::Flag => Value::Bool(flag(word)?),
        Kind::Date => {
            let date: NaiveDate = word
                .parse()
                .map_err(|_| format!("`{word}` is not a date; write YYYY-MM-DD"))?;
            Value::String(date.to_string())
        }
        Kind::Time => Value::String(parse_user_time(word, zone)?.to_string()),
        Kind::Word(words) if words.contains(&word) => Value::String(word.to_string()),
        Kind::Word(words) => return Err(format!("`{word}` is not one of: {}", words.join(", "))),
    };
    Ok(Some(value))
}

/// `text` when it is an email address or `Name <email>`.
fn email(text: &str) -> Result<&str, String> {
    let address = email_of(text);
    let well_formed = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !address.contains(char::is_whitespace);
    if well_formed {
        Ok(text)
    } else {
        Err(format!("`{text}` is not an email address"))
    }
}

fn flag(word: &str) -> Result<bool, String> {
    match word.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(format!("`{word}` is not true or false")),
    }
}

/// The value at `path`, made (with the objects above it) when absent.
fn slot<'a>(tree: &'a mut Value, path: &[&str]) -> &'a mut Value {
    path.iter().fold(tree, |node, key| {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            unreachable!("made an object above")
        };
        map.entry(*key).or_insert(Value::Null)
    })
}

/// Takes the value at `path` out, and any object left empty by it: an empty
/// `emergency:` would read as one declared with nothing in it.
fn remove(tree: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let Value::Object(map) = tree else { return };
    match parents.split_first() {
        None => {
            map.remove(*last);
        }
        Some((first, _)) => {
            if let Some(child) = map.get_mut(*first) {
                remove(child, &path[1..]);
                if child.as_object().is_some_and(Map::is_empty) {
                    map.remove(*first);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Class;
    use crate::policy::risk::RiskPolicy;

    fn set(record: &ChangeRecord, assignments: &[&str]) -> Result<ChangeRecord, Failure> {
        let parsed: Vec<Assignment> = assignments.iter().map(|a| a.parse().unwrap()).collect();
        apply(record, &parsed, &Policy::default())
    }

    /// A value of `kind` that fills a field of it.
    fn sample(kind: Kind) -> &'static str {
        match kind {
            Kind::Text | Kind::Line | Kind::Tenants => "something",
            Kind::Email => "lee@example.com",
            Kind::List | Kind::Emails => "lee@example.com,pat@example.com",
            Kind::Flag => "true",
            Kind::Date => "2026-12-01",
            Kind::Time => "2026-12-01 10:00",
            Kind::Word(words) => words[0],
        }
    }

    #[test]
    fn every_field_a_policy_can_require_is_met_once_set_or_is_a_group() {
        let bare = crate::model::record::sample(Class::Normal);
        let risk = RiskPolicy::default();
        for name in requirement::FIELDS {
            if GROUPS.iter().any(|(group, _)| group == name) {
                continue;
            }
            let kind = kind_of(name);
            let record = set(&bare, &[&format!("{name}={}", sample(kind))])
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(requirement::is_met(&record, name, &risk), "{name}");
        }
    }

    #[test]
    fn clearing_a_nested_field_leaves_no_empty_group() {
        let bare = crate::model::record::sample(Class::Emergency);
        let set_once = set(&bare, &["emergency.incident=INC-1"]).unwrap();
        assert!(set_once.emergency.is_some());
        let cleared = set(&set_once, &["emergency.incident="]).unwrap();
        assert_eq!(cleared, bare);
    }

    #[test]
    fn lists_are_replaced_or_added_to() {
        let bare = crate::model::record::sample(Class::Normal);
        let r = set(&bare, &["stakeholders=ops, finance", "stakeholders+=legal"]).unwrap();
        assert_eq!(r.stakeholders, ["ops", "finance", "legal"]);
    }

    #[test]
    fn lifecycle_fields_and_unknown_names_are_refused_with_a_way_forward() {
        let bare = crate::model::record::sample(Class::Normal);
        let e = set(&bare, &["approvals=x"]).unwrap_err();
        assert!(e.message.contains("chg approve"), "{}", e.message);
        let e = set(&bare, &["risk.factors.users=2"]).unwrap_err();
        assert!(e.message.contains("chg assess"), "{}", e.message);
        let e = set(&bare, &["impact.user=x"]).unwrap_err();
        assert!(e.hints.iter().any(|h| h.contains("impact.users")));
        let e = set(&bare, &["rollback.tested+=true"]).unwrap_err();
        assert!(e.message.contains("`+=`"), "{}", e.message);
    }
}
