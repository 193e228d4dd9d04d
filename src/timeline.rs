//! `chg log`: a change's story as git tells it — the commits that wrote its record
//! (and what each changed), the commits that name it, its deployments and the
//! evidence recorded with `chg evidence`.
//!
//! Read as `chg check` reads history (from the baseline, through the cache of
//! earlier checks), so that only the commits of this change are read from git.

use crate::context::Context;
use crate::git::{CommitId, Git, RawCommit};
use crate::history::{Approvers, History, Reader, Reading, Scope, Trees};
use crate::model::{ChangeId, ChangeRecord, Timestamp};
use crate::policy::Policy;
use anyhow::Result;
use chrono::{TimeZone, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: Timestamp,
    /// `record`, `commit`, `deployment` or `evidence`.
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

/// The story of change `id`, whose record in the working tree is `record`; `cached`
/// says whether the facts of earlier checks may be used.
pub fn of(ctx: &Context, id: &ChangeId, record: &ChangeRecord, cached: bool) -> Result<Vec<Event>> {
    let (git, policy) = (&ctx.git, &ctx.policy);
    let scope = Scope::resolve(git, policy, None)?;
    let mut events = Vec::new();
    if scope.tip.is_some() {
        let reading = Reading {
            cached,
            register: true,
            ..Reading::default()
        };
        if let Some(baseline) = &policy.changes.baseline {
            ctx.out.status(format_args!(
                "history up to the baseline {} is not read, as in `chg check`",
                &baseline[..baseline.len().min(10)]
            ));
        }
        let walk = Reader::with(git, policy, reading).list(&scope)?;
        ctx.out.detail(walk.described());
        let mut progress = ctx.progress(crate::history::READING, walk.unread());
        let history = walk.read(&Approvers::default(), &mut progress)?;
        events = commits(git, policy, id, &history)?;
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
    for g in &record.gate_evidence {
        let what = g.reference.as_deref().or(g.note.as_deref()).unwrap_or("-");
        events.push(Event {
            at: g.at,
            kind: "evidence",
            commit: None,
            who: g.by.clone(),
            what: format!("evidence {} recorded: {what}", g.kind),
        });
    }
    events.sort_by_key(|e| e.at);
    Ok(events)
}

/// The commits of `history` that wrote the record of `id` (and what each changed),
/// then those that name it; each read from git, and only these.
fn commits(git: &Git, policy: &Policy, id: &ChangeId, history: &History) -> Result<Vec<Event>> {
    // The record as the trees hold it, at whichever of its places: a register may
    // move between layouts.
    let mut trees = Trees::new(git, policy);
    let event = |c: &RawCommit, kind, what| Event {
        at: Timestamp::from(Utc.timestamp_opt(c.time, 0).single().unwrap_or_default()),
        kind,
        commit: Some(c.id.to_string()),
        who: format!("{} <{}>", c.author_name, c.author_email),
        what,
    };
    let mut events = Vec::new();
    let mut wrote = Vec::new();
    for commit in &history.register {
        let c = git.commit(*commit)?;
        let now = trees.record_version(c.id, id);
        let before = c.parents.first().and_then(|&p| trees.record_version(p, id));
        if now == before {
            continue;
        }
        let read = |version: Option<CommitId>| trees.record_of_version(&id.file_name(), &version?);
        let what = describe(read(before).as_ref(), read(now).as_ref());
        events.push(event(&c, "record", what));
        wrote.push(*commit);
    }
    let naming = (history.commits.iter())
        .filter(|c| !wrote.contains(&c.id) && c.refs().ids.iter().any(|r| r.same_change(id)));
    for named in naming {
        let c = git.commit(named.id)?;
        let subject = c.message.lines().next().unwrap_or("").to_string();
        events.push(event(&c, "commit", subject));
    }
    Ok(events)
}
