//! `chg notes`: release notes from the register. The changes of a release are those
//! whose work (commits that change more than the register) landed in its range, as
//! git history says — never their dates — each as its record stood in the release's
//! own tree; a deployment's notes are the changes whose records say they went out
//! in it.

pub mod changelog;
mod span;

use crate::context::Context;
use crate::history::{Approvers, Reader, Reading, Trees};
use crate::model::{ChangeId, ChangeRecord, Class, Decision, RiskLevel, Status};
use crate::policy::notes::GroupBy;
use crate::policy::Policy;
use anyhow::Result;
use serde::Serialize;
use span::Span;
use std::collections::{BTreeMap, HashMap};

/// The notes of one release.
#[derive(Debug, Serialize)]
pub struct Notes {
    /// `[v1.4.0] - 2026-11-21`, or `[Unreleased]`: the `## ` heading in Markdown.
    pub heading: String,
    /// Where the range starts (a ref as given or the last tag); `None` for all history
    /// or a deployment.
    pub from: Option<String>,
    /// The commit the range ends at, or the deployment's ref.
    pub to: String,
    pub groups: Vec<Group>,
    /// Changes named by work in the range with no readable record where it ends, and
    /// record files that could not be read: reported, never skipped quietly.
    pub unrecorded: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub title: String,
    pub changes: Vec<Entry>,
}

/// One change as release notes show it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: ChangeId,
    pub title: String,
    pub class: Class,
    pub status: Status,
    /// As the policy derives it; `None` when not assessed.
    pub risk: Option<RiskLevel>,
    /// Who approved it, by email.
    pub approvers: Vec<String>,
    /// Its ADRs and the references of its evidence.
    pub links: Vec<String>,
    /// Its references in other systems, with their URLs (the policy's `[links]`).
    pub references: Vec<crate::policy::links::Resolved>,
    pub emergency: bool,
    /// Rolled back at some point, whatever its status now.
    pub rolled_back: bool,
}

impl Entry {
    fn of(policy: &Policy, r: &ChangeRecord) -> Entry {
        let approved = r
            .approvals
            .iter()
            .filter(|a| a.decision == Decision::Approved);
        let evidence = r.evidence.iter().map(|e| e.reference.clone());
        Entry {
            id: r.id.clone(),
            title: r.title.clone(),
            class: r.class,
            status: r.status,
            risk: policy.risk_level(r),
            approvers: approved.map(|a| a.by.clone()).collect(),
            links: r.adrs.iter().cloned().chain(evidence).collect(),
            references: policy.links_of(r),
            emergency: r.class == Class::Emergency || r.emergency.is_some(),
            rolled_back: r.status == Status::RolledBack
                || crate::policy::review::was_rolled_back(r),
        }
    }
}

/// The changes whose work landed in `spec` (`<from>..<to>`), as their records stood
/// at `<to>`; `cached` says whether the facts of earlier checks may be used.
pub fn landed(ctx: &Context, spec: &str, cached: bool) -> Result<Notes> {
    let (git, policy) = (&ctx.git, &ctx.policy);
    let span = Span::resolve(git, policy, spec)?;
    let reading = Reading {
        cached,
        work: true,
        ..Reading::default()
    };
    let walk = Reader::with(git, policy, reading).list(&span.scope)?;
    ctx.out.detail(walk.described());
    let mut progress = ctx.progress(crate::history::READING, walk.unread());
    let history = walk.read(&Approvers::default(), &mut progress)?;
    let mut named = HashMap::new();
    for c in history.commits.iter().filter(|c| c.is_work) {
        for id in &c.refs().ids {
            named.entry(id.key()).or_insert_with(|| id.clone());
        }
    }
    let mut ids: Vec<ChangeId> = named.into_values().collect();
    ids.sort();
    let (mut records, mut unrecorded) = (Vec::new(), Vec::new());
    let mut trees = Trees::new(git, policy);
    let to = span.to.parse().ok();
    for id in ids {
        match to.and_then(|to| trees.record_at(to, &id)) {
            Some(record) => records.push(record),
            None => unrecorded.push(id.to_string()),
        }
    }
    let Span {
        to,
        from_name,
        heading,
        ..
    } = span;
    Ok(Notes {
        heading,
        from: from_name,
        to,
        groups: grouped(policy, &records),
        unrecorded,
    })
}

/// The changes deployed to `environment` at `reference`, as the records in the
/// working tree say: a deployment is written down after it happened.
pub fn deployed(ctx: &Context, environment: &str, reference: &str) -> Result<Notes> {
    let (stored, unreadable) = ctx.store.load_all()?;
    let records: Vec<ChangeRecord> = (stored.into_iter().map(|s| s.record))
        .filter(|r| {
            r.deployments
                .iter()
                .any(|d| d.environment == environment && d.reference.as_deref() == Some(reference))
        })
        .collect();
    let heading = match ctx.git.resolve(reference) {
        Ok(commit) => span::dated(&ctx.git, &ctx.policy, reference, &commit),
        Err(_) => format!("[{reference}]"),
    };
    Ok(Notes {
        heading,
        from: None,
        to: reference.to_string(),
        groups: grouped(&ctx.policy, &records),
        unrecorded: unreadable.into_iter().map(|u| u.path).collect(),
    })
}

/// `records` in groups by what the policy's `[notes] group_by` names, in the order
/// of that field's values (classes and statuses as the lifecycle orders them), each
/// group by ID.
fn grouped(policy: &Policy, records: &[ChangeRecord]) -> Vec<Group> {
    let mut groups: BTreeMap<(usize, String), Vec<Entry>> = BTreeMap::new();
    for r in records {
        let entry = Entry::of(policy, r);
        for key in group_keys(policy.notes.group_by, &entry, r) {
            groups.entry(key).or_default().push(entry.clone());
        }
    }
    groups
        .into_iter()
        .map(|((_, title), mut changes)| {
            changes.sort_by(|a, b| a.id.cmp(&b.id));
            Group { title, changes }
        })
        .collect()
}

/// The groups a change goes in, each as its rank and title.
fn group_keys(by: GroupBy, entry: &Entry, r: &ChangeRecord) -> Vec<(usize, String)> {
    fn ranked<T: PartialEq + std::fmt::Display>(all: &[T], value: &T) -> (usize, String) {
        let rank = all.iter().position(|v| v == value).unwrap_or(usize::MAX);
        (rank, capitalised(&value.to_string()))
    }
    let last = |title: &str| (usize::MAX, title.to_string());
    match by {
        GroupBy::Class => vec![ranked(Class::ALL, &entry.class)],
        GroupBy::Status => vec![ranked(Status::ALL, &entry.status)],
        GroupBy::Risk => vec![match &entry.risk {
            Some(level) => ranked(RiskLevel::ALL, level),
            None => last("Unassessed"),
        }],
        GroupBy::Owner => vec![match &r.owner {
            Some(owner) => (0, owner.clone()),
            None => last("No owner"),
        }],
        GroupBy::Components if r.components.is_empty() => vec![last("No component")],
        GroupBy::Components => r.components.iter().map(|c| (0, c.clone())).collect(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
