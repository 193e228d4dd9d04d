//! `chg log`: a change's story as git tells it — the commits that wrote its record
//! (and what each changed), the commits that name it, and its deployments.

use crate::git::Git;
use crate::model::reference;
use crate::model::{ChangeId, ChangeRecord, Timestamp};
use crate::policy::Policy;
use crate::store::parse;
use anyhow::Result;
use chrono::{TimeZone, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: Timestamp,
    /// `record`, `commit` or `deployment`.
    pub kind: &'static str,
    pub commit: Option<String>,
    pub who: String,
    pub what: String,
}

/// What a commit did to the record: created it, moved it, added approvals, edited it.
fn describe(old: Option<&ChangeRecord>, new: Option<&ChangeRecord>) -> String {
    let (Some(old), Some(new)) = (old, new) else {
        return match new {
            Some(new) => format!("record created ({})", new.status),
            None => "record deleted".into(),
        };
    };
    let mut parts = Vec::new();
    if old.status != new.status {
        parts.push(format!("{} → {}", old.status, new.status));
    }
    for a in new.approvals.iter().filter(|a| !old.approvals.contains(a)) {
        parts.push(format!("{} as {} by {}", a.decision, a.role, a.by));
    }
    if new.review.is_some() && old.review.is_none() {
        parts.push("post-implementation review".into());
    }
    if parts.is_empty() {
        parts.push("record edited".into());
    }
    parts.join("; ")
}

pub fn of(git: &Git, policy: &Policy, id: &ChangeId, record: &ChangeRecord) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    let path = format!("{}/{}", policy.changes.dir, id.file_name());
    let pattern = policy.reference_pattern();
    if let Some(head) = git.head() {
        git.walk(&head, &[], |c| {
            let when = Timestamp::from(Utc.timestamp_opt(c.time, 0).single().unwrap_or_default());
            let who = format!("{} <{}>", c.author_name, c.author_email);
            let subject = c.message.lines().next().unwrap_or("").to_string();
            let parent_tree = c.parents.first().and_then(|p| git.tree_of(p));
            let now = git.entry_in(&c.tree, &path);
            let before = parent_tree.and_then(|t| git.entry_in(&t, &path));
            if c.parents.len() <= 1 && now != before {
                let read = |blob: Option<&String>| {
                    parse(&path, &String::from_utf8_lossy(&git.blob(blob?)?)).ok()
                };
                let what = describe(read(before.as_ref()).as_ref(), read(now.as_ref()).as_ref());
                events.push(Event {
                    at: when,
                    kind: "record",
                    commit: Some(c.id.clone()),
                    who,
                    what,
                });
            } else if reference::parse(&c.message, &pattern)
                .ids
                .iter()
                .any(|r| r.same_change(id))
            {
                events.push(Event {
                    at: when,
                    kind: "commit",
                    commit: Some(c.id.clone()),
                    who,
                    what: subject,
                });
            }
            Ok(())
        })?;
    }
    for d in &record.deployments {
        let reference = d
            .reference
            .as_deref()
            .map(|r| format!(" at {r}"))
            .unwrap_or_default();
        events.push(Event {
            at: d.at,
            kind: "deployment",
            commit: None,
            who: d.by.clone(),
            what: format!("deployed to {}{reference}: {}", d.environment, d.outcome),
        });
    }
    events.sort_by_key(|e| e.at);
    Ok(events)
}
