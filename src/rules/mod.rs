//! The rules of `chg check` (SPEC §5): one file per rule holding its code, name,
//! default severity, documentation and check, and the registry that lists them.
//!
//! A rule looks at a [`Register`] — the records, the files they point at, the policy
//! and the time — and reports [`Finding`]s. The engine applies the policy's severity
//! overrides; rules never decide severity themselves.

mod a001_adr_missing;
mod a002_adr_not_found;
mod a003_adr_incomplete;
mod a004_adr_not_accepted;
mod f001_commit_during_freeze;
mod f002_deploy_during_freeze;
mod f003_deploy_outside_window;
mod f004_freeze_not_time_bound;
mod f005_deployment_ref_invalid;
mod h001_unknown_change_reference;
mod h002_missing_change_reference;
mod h003_protected_path_class;
mod h004_landed_before_approval;
mod h005_reference_to_inactive_change;
mod h006_entry_rewritten;
mod h007_entry_backdated;
mod h008_policy_change_unapproved;
mod l001_invalid_transition;
mod l002_emergency_followup_overdue;
mod l003_post_review_overdue;
mod l004_lead_time_violation;
mod l005_verified_too_soon;
mod l006_record_late;
mod l007_gate_not_met;
mod l008_closed_before_monitoring;
mod p001_approvals_insufficient;
mod p002_approver_not_in_role;
mod p003_self_approval;
mod p004_approval_unverified;
mod p005_approval_stale;
mod p006_approval_sla_breached;
mod p007_move_not_permitted;
mod p008_impact_area_unknown;
mod p009_move_unverified;
mod p010_risk_not_accepted;
mod p011_emergency_authorizer_not_in_role;
mod r001_invalid_record;
mod r002_duplicate_id;
mod r003_id_filename_mismatch;
mod r004_missing_requirement;
mod r005_missing_rollback_plan;
mod r006_risk_level_mismatch;
mod r007_missing_rollback_artifact;
mod r008_record_removed;
mod r009_stray_file;
mod r010_undeclared_link_or_field;

use crate::calendar::Calendar;
use crate::history::History;
use crate::model::{ChangeId, ChangeRecord, Class, Status, Timestamp};
use crate::policy::approval::{self, ApprovalState};
use crate::policy::moves::Act;
use crate::policy::{Policy, Severity};
use crate::store::{Stored, StoredFreeze, Stray, Unreadable};
use chrono::{DateTime, Utc};
pub(crate) use h002_missing_change_reference::unreferenced;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One rule of `chg check`.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters and how to fix a finding; printed by `chg check --explain`.
    pub doc: &'static str,
    pub check: fn(&Register, &mut Report),
}

/// Every rule, in code order.
pub const REGISTRY: &[&Rule] = &[
    &r001_invalid_record::RULE,
    &r002_duplicate_id::RULE,
    &r003_id_filename_mismatch::RULE,
    &r004_missing_requirement::RULE,
    &r005_missing_rollback_plan::RULE,
    &r006_risk_level_mismatch::RULE,
    &r007_missing_rollback_artifact::RULE,
    &r008_record_removed::RULE,
    &r009_stray_file::RULE,
    &r010_undeclared_link_or_field::RULE,
    &a001_adr_missing::RULE,
    &a002_adr_not_found::RULE,
    &a003_adr_incomplete::RULE,
    &a004_adr_not_accepted::RULE,
    &p001_approvals_insufficient::RULE,
    &p002_approver_not_in_role::RULE,
    &p003_self_approval::RULE,
    &p004_approval_unverified::RULE,
    &p005_approval_stale::RULE,
    &p006_approval_sla_breached::RULE,
    &p007_move_not_permitted::RULE,
    &p008_impact_area_unknown::RULE,
    &p009_move_unverified::RULE,
    &p010_risk_not_accepted::RULE,
    &p011_emergency_authorizer_not_in_role::RULE,
    &h001_unknown_change_reference::RULE,
    &h002_missing_change_reference::RULE,
    &h003_protected_path_class::RULE,
    &h004_landed_before_approval::RULE,
    &h005_reference_to_inactive_change::RULE,
    &h006_entry_rewritten::RULE,
    &h007_entry_backdated::RULE,
    &h008_policy_change_unapproved::RULE,
    &l001_invalid_transition::RULE,
    &l002_emergency_followup_overdue::RULE,
    &l003_post_review_overdue::RULE,
    &l004_lead_time_violation::RULE,
    &l005_verified_too_soon::RULE,
    &l006_record_late::RULE,
    &l007_gate_not_met::RULE,
    &l008_closed_before_monitoring::RULE,
    &f001_commit_during_freeze::RULE,
    &f002_deploy_during_freeze::RULE,
    &f003_deploy_outside_window::RULE,
    &f004_freeze_not_time_bound::RULE,
    &f005_deployment_ref_invalid::RULE,
];

pub fn find(code: &str) -> Option<&'static Rule> {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Files as they stand in the tree being checked (working tree, index, a commit).
pub trait Tree {
    /// Whether a file exists at `path` (relative to the root; never outside it).
    fn exists(&self, path: &str) -> bool;
    fn read(&self, path: &str) -> Option<String>;
    /// The same tree, where it can be read from more than one thread at once.
    fn shared(&self) -> Option<&(dyn Tree + Sync)> {
        None
    }
}

/// What the rules look at.
pub struct Register<'a> {
    pub policy: &'a Policy,
    pub records: &'a [Stored],
    pub freezes: &'a [StoredFreeze],
    pub unreadable: &'a [Unreadable],
    /// Entries of the records directory that chg does not read (R009).
    pub strays: &'a [Stray],
    pub tree: &'a dyn Tree,
    pub now: DateTime<Utc>,
    /// What history says, when the check reads it.
    pub history: Option<&'a History>,
    /// The records' digests, as the rules ask them.
    pub digests: Digests<'a>,
}

/// The digests of a register's records, worked out ahead or when first asked:
/// several rules ask the approval state of every record, and digesting the record
/// is most of it.
#[derive(Default)]
pub struct Digests<'a> {
    /// Worked out ahead, by place in the register: borrowed, so that each thread
    /// running rules reads the same ones.
    ahead: &'a [Option<String>],
    /// Worked out when first asked, by place.
    asked: RefCell<HashMap<usize, Rc<str>>>,
}

/// A digest as [`Digests`] holds it.
enum Digest<'a> {
    Ahead(&'a str),
    Asked(Rc<str>),
}

impl AsRef<str> for Digest<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Digest::Ahead(digest) => digest,
            Digest::Asked(digest) => digest,
        }
    }
}

impl<'a> Digests<'a> {
    /// With the digests worked out ahead, by place in the register.
    pub fn known(ahead: &'a [Option<String>]) -> Digests<'a> {
        Digests {
            ahead,
            asked: RefCell::default(),
        }
    }

    /// The digest of `stored`, known by its place `at` in the register: two records
    /// may share a path (the stages of a conflict in the index).
    fn of(&self, at: usize, stored: &Stored) -> Digest<'a> {
        if let Some(Some(ahead)) = self.ahead.get(at) {
            return Digest::Ahead(ahead);
        }
        if let Some(asked) = self.asked.borrow().get(&at) {
            return Digest::Asked(Rc::clone(asked));
        }
        let digest: Rc<str> = crate::model::digest::of(&stored.record).into();
        (self.asked.borrow_mut()).insert(at, Rc::clone(&digest));
        Digest::Asked(digest)
    }
}

impl<'a> Register<'a> {
    /// The freezes on file and the policy's recurring ones, as commands judge them.
    fn calendar(&self) -> Calendar<'a> {
        Calendar::new(self.policy, self.freezes.iter().map(|s| &s.freeze))
    }

    /// The approval state of the register's record at `at`.
    fn approval_state(&self, at: usize) -> ApprovalState<'a> {
        let stored = &self.records[at];
        approval::state_digested(&stored.record, || self.digests.of(at, stored), self.policy)
    }
}

/// A finding as reported: SPEC §5's JSON shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub record: Option<String>,
    pub commit: Option<String>,
    pub path: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

/// Collects the findings of one rule at a time.
pub struct Report {
    rule: &'static Rule,
    findings: Vec<Finding>,
}

impl Report {
    /// A finding about a record, located at its file.
    pub fn on(&mut self, stored: &Stored, message: impl Into<String>) {
        self.at(
            Some(stored.record.id.to_string()),
            Some(stored.path.clone()),
            None,
            message,
        );
    }

    /// A finding about a commit.
    pub fn commit(
        &mut self,
        commit: &crate::git::CommitId,
        record: Option<&ChangeId>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            rule: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            record: record.map(ToString::to_string),
            commit: Some(commit.to_string()),
            path: None,
            line: None,
            message: message.into(),
        });
    }

    /// A finding about a freeze, located at its file.
    pub fn on_freeze(&mut self, stored: &StoredFreeze, message: impl Into<String>) {
        self.at(
            Some(stored.freeze.id.to_string()),
            Some(stored.path.clone()),
            None,
            message,
        );
    }

    /// A finding with whatever location it has.
    pub fn at(
        &mut self,
        record: Option<String>,
        path: Option<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            rule: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            record,
            commit: None,
            path,
            line,
            message: message.into(),
        });
    }
}

/// A rule's severity under `policy`: its `[rules]` override, else its default.
pub fn severity(policy: &Policy, rule: &Rule) -> Severity {
    policy
        .rules
        .get(rule.code)
        .copied()
        .unwrap_or(rule.severity)
}

/// Runs every rule whose severity the policy does not turn off, and returns the
/// findings with the policy's severities, ordered by record, path, then rule.
pub fn run(register: &Register) -> Vec<Finding> {
    in_order(run_taken(register, &AtomicUsize::new(0)))
}

/// [`run`] on this thread and one more, each taking the next rule not yet taken: the
/// rules over a million commits take over half a second, and the other core is idle
/// by then. Each thread reads through a [`Register`] of its own, made by `register`
/// (with digests of its own). Where no thread can be started, this one runs them all.
pub fn run_on_two<'a>(register: impl Fn() -> Register<'a> + Sync) -> Vec<Finding> {
    let next = AtomicUsize::new(0);
    let found = std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .spawn_scoped(scope, || run_taken(&register(), &next))
            .ok();
        let mut found = run_taken(&register(), &next);
        found.extend(other.map(crate::threads::joined).unwrap_or_default());
        found
    });
    in_order(found)
}

/// The findings of the rules a thread took from `next`.
fn run_taken(register: &Register, next: &AtomicUsize) -> Vec<Finding> {
    let mut found = Vec::new();
    while let Some(rule) = REGISTRY.get(next.fetch_add(1, Ordering::Relaxed)) {
        found.extend(run_one(register, rule));
    }
    found
}

/// The findings of one rule, with the policy's severity; none when it turns the rule
/// off.
fn run_one(register: &Register, rule: &'static Rule) -> Vec<Finding> {
    let severity = severity(register.policy, rule);
    if severity == Severity::Off {
        return Vec::new();
    }
    let mut report = Report {
        rule,
        findings: Vec::new(),
    };
    (rule.check)(register, &mut report);
    (report.findings.into_iter())
        .map(|f| Finding { severity, ..f })
        .collect()
}

/// Findings ordered by record, path, then rule. A rule's findings all come from
/// the one thread that ran it, in the order it found them, so which thread ran
/// which rule changes nothing.
fn in_order(mut all: Vec<Finding>) -> Vec<Finding> {
    all.sort_by(|a, b| (&a.record, &a.path, a.rule).cmp(&(&b.record, &b.path, b.rule)));
    all
}

/// Checks that `[rules]` in the policy names only rules that exist.
pub fn check_overrides(policy: &Policy) -> Result<(), String> {
    match policy.rules.keys().find(|code| find(code).is_none()) {
        Some(code) => Err(format!(
            "[rules] names `{code}`, which is not a rule; `chg check --explain <CODE>` documents each, codes: {}",
            REGISTRY.iter().map(|r| r.code).collect::<Vec<_>>().join(" ")
        )),
        None => Ok(()),
    }
}

/// Records past draft that are still live or finished, not withdrawn.
fn is_proposed(record: &ChangeRecord) -> bool {
    !matches!(
        record.status,
        Status::Draft | Status::Cancelled | Status::Rejected
    )
}

/// Records that should by now hold every approval they owe — past approval, or for
/// an emergency change (which may run ahead of approval) once closed — and do not,
/// with their approval state.
fn approvals_lacking<'a>(
    reg: &'a Register,
) -> impl Iterator<Item = (&'a Stored, ApprovalState<'a>)> {
    (reg.records.iter().enumerate())
        .filter(|(_, s)| match s.record.class {
            Class::Emergency => s.record.status == Status::Closed,
            _ => crate::model::lifecycle::is_approved(s.record.status),
        })
        .map(|(at, s)| (s, reg.approval_state(at)))
        .filter(|(_, state)| !state.is_complete())
}

/// Every approval given (not a rejection) in the register, with its record.
fn approvals_given(
    records: &[Stored],
) -> impl Iterator<Item = (&Stored, &crate::model::record::Approval)> {
    records.iter().flat_map(|s| {
        s.record
            .approvals
            .iter()
            .filter(|a| a.decision == crate::model::Decision::Approved)
            .map(move |a| (s, a))
    })
}

/// The record in the register for a change a commit names, however it was written.
/// The records by the change they hold (IDs of different widths name one change),
/// the first where two hold one: looked up once per reference in history.
fn by_change<'a>(reg: &Register<'a>) -> HashMap<crate::model::ChangeKey, &'a Stored> {
    let mut map = HashMap::new();
    for s in reg.records {
        map.entry(s.record.id.key()).or_insert(s);
    }
    map
}

/// Every move the record says was made: what, by whom, when (P007, L007).
fn moves_made(record: &ChangeRecord) -> Vec<(Act<'_>, &str, Timestamp)> {
    // `chg deploy` writes the first deployment and its transition together, with one
    // person and time: the deployment, which names the environment, stands for both.
    let deployed_with = |by: &str, at: Timestamp| {
        record
            .deployments
            .iter()
            .any(|d| d.at == at && crate::model::record::same_email(&d.by, by))
    };
    let transitions = record.transitions.iter().filter_map(|t| {
        let verb = crate::model::lifecycle::command_for(t.from, t.to)?;
        let duplicate = t.to == Status::Deployed && deployed_with(&t.by, t.at);
        (!duplicate).then_some((Act::of(verb), t.by.as_str(), t.at))
    });
    let deployments = record
        .deployments
        .iter()
        .map(|d| (Act::deploy(&d.environment), d.by.as_str(), d.at));
    let review = record
        .review
        .iter()
        .map(|r| (Act::of(crate::model::Move::Review), r.by.as_str(), r.at));
    transitions.chain(deployments).chain(review).collect()
}

/// A matcher for policy globs (validated when the policy was loaded).
fn globs(patterns: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        if let Ok(glob) = globset::Glob::new(p) {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

#[cfg(test)]
mod tests;
