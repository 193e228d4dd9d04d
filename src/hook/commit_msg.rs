//! The commit-msg hook: the changes a message names have records in the index
//! (H001) and were still open before this commit (H005), the message names what the
//! staged paths need (H002, H003), and no freeze in force holds back the changes it
//! names (F001). Each check is a function of the message and the staged state.

use super::message::Message;
use super::staged::Staged;
use super::{Findings, Verdict};
use crate::calendar::{Calendar, Frozen};
use crate::model::lifecycle::is_inactive;
use crate::model::ChangeId;
use crate::policy::Policy;
use crate::store::{parse, Store, Stored, Unreadable};
use chrono::{DateTime, Utc};

/// The records of the changes a message names, as staged.
pub struct Named {
    pub records: Vec<Stored>,
    pub unreadable: Vec<Unreadable>,
    /// Named changes with no record file in the index.
    pub unknown: Vec<ChangeId>,
}

impl Named {
    pub fn load(store: &Store, message: &Message, staged: &Staged) -> Named {
        let mut names = Vec::new();
        let mut unknown = Vec::new();
        for id in &message.refs.ids {
            match staged.record_name(id) {
                Some(name) => names.push(name),
                None => unknown.push(id.clone()),
            }
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (records, unreadable) = staged.load(store, &names);
        Named {
            records,
            unreadable,
            unknown,
        }
    }
}

/// Every check of the commit-msg hook, on `message` and what is staged.
pub fn check(
    policy: &Policy,
    store: &Store,
    message: &Message,
    staged: &Staged,
    now: DateTime<Utc>,
) -> Verdict {
    let named = Named::load(store, message, staged);
    let mut findings = Findings::new(policy);
    let mut notes = Vec::new();
    if crate::model::reference::emergency(&message.text).is_some() {
        // The fix goes first; its record follows. `chg check` reports the reference
        // until the record is committed, and a record made late (L006).
        for id in &named.unknown {
            notes.push(format!(
                "{id} has no record yet: an emergency fix may come first, and `chg new --class emergency` must record it within the time the policy gives"
            ));
        }
    }
    let digits = policy.changes.id_digits;
    unknown(message, &named, notes.is_empty(), digits, &mut findings);
    inactive(staged, &named, &mut findings);
    frozen(policy, store, staged, &named, now, &mut findings);
    if !staged.merging {
        missing(policy, message, staged, &mut findings);
        protected(policy, staged, &named, &mut findings);
    }
    Verdict {
        findings: findings.into_vec(),
        records: named.records.len() + named.unreadable.len(),
        notes,
    }
}

/// H001: named changes without a record (unless `records_owed` is false: an
/// emergency fix declared so, whose records follow), `Change:` trailers that hold
/// no ID, and IDs whose numbers do not have the register's `digits`; a named record
/// that cannot be read is reported as such (R001), never passed over.
fn unknown(
    message: &Message,
    named: &Named,
    records_owed: bool,
    digits: usize,
    findings: &mut Findings,
) {
    for id in named.unknown.iter().filter(|_| records_owed) {
        findings.add(
            "H001",
            Some(id),
            None,
            format!("the message names {id}, which has no record in the index: stage its record or correct the ID"),
        );
    }
    for bad in &message.refs.malformed {
        findings.add(
            "H001",
            None,
            None,
            format!("the message has `Change: {bad}`, which is not a change ID"),
        );
    }
    for id in &message.refs.misshapen {
        let note = crate::model::reference::misshapen_note(id, digits);
        findings.add("H001", Some(id), None, format!("the message names {note}"));
    }
    for u in &named.unreadable {
        let id = u.change();
        findings.add("R001", id.as_ref(), Some(&u.path), u.to_string());
    }
}

/// H005: a named change that was already rejected, cancelled or closed before this
/// commit — as HEAD holds its record, so the commit that closes a change may name it.
fn inactive(staged: &Staged, named: &Named, findings: &mut Findings) {
    for s in named
        .records
        .iter()
        .filter(|s| is_inactive(s.record.status))
    {
        let name = staged.in_register(&s.path).unwrap_or_default();
        let status = if staged.changes(name) {
            let before = staged
                .at_head(name)
                .and_then(|text| parse(&s.path, &text).ok());
            match before {
                Some(before) if is_inactive(before.status) => before.status,
                _ => continue,
            }
        } else {
            s.record.status
        };
        findings.add(
            "H005",
            Some(&s.record.id),
            Some(&s.path),
            format!(
                "the message names {}, which was already {status}: open a new change for this work",
                s.record.id
            ),
        );
    }
}

/// F001: a named change whose class a freeze in force (as staged, or recurring by the
/// policy) does not allow. A freeze file that cannot be read could be one in force, so
/// it is reported (R001).
fn frozen(
    policy: &Policy,
    store: &Store,
    staged: &Staged,
    named: &Named,
    now: DateTime<Utc>,
    findings: &mut Findings,
) {
    let (freezes, unreadable) = store.load_staged_freezes(&staged.index);
    for u in &unreadable {
        findings.add("R001", None, Some(&u.path), u.to_string());
    }
    let calendar = Calendar::new(policy, freezes.iter().map(|f| &f.freeze));
    for s in &named.records {
        let class = s.record.class;
        let Some(frozen) = calendar.frozen(class, None, now, now) else {
            continue;
        };
        let (path, remedy) = match frozen {
            Frozen::Declared(f) => (
                freezes
                    .iter()
                    .find(|s| s.freeze.id == f.id)
                    .map(|s| s.path.as_str()),
                "commit after it ends, or ask the release manager to end it",
            ),
            Frozen::Recurring(_) => (Some(crate::policy::FILE_NAME), "commit after it ends"),
        };
        findings.add(
            "F001",
            Some(&s.record.id),
            path,
            format!(
                "{} is in force and allows no {class} changes such as {}: {remedy}",
                frozen.described(),
                s.record.id
            ),
        );
    }
}

/// H002: a commit whose paths are not all exempt names a change.
fn missing(policy: &Policy, message: &Message, staged: &Staged, findings: &mut Findings) {
    let Some(demand) = policy.reference_demand() else {
        return;
    };
    if message.refs.ids.is_empty() && demand.applies_to(&staged.paths) {
        findings.add(
            "H002",
            None,
            None,
            format!(
                "the message \"{}\" names no change: name one in it, or in a `Change: <ID>` trailer",
                message.subject()
            ),
        );
    }
}

/// H003: for each protected path the commit touches, a named change qualifies.
fn protected(policy: &Policy, staged: &Staged, named: &Named, findings: &mut Findings) {
    for protection in policy.protections() {
        let Some(path) = protection.touched(&staged.paths) else {
            continue;
        };
        if !named.records.iter().any(|s| protection.admits(&s.record)) {
            findings.add(
                "H003",
                None,
                Some(path),
                format!(
                    "{path} is protected by {}, but the message names no {}{}",
                    protection.glob,
                    protection.wants(),
                    protection.remedy()
                ),
            );
        }
    }
}
