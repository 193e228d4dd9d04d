//! `chg audit`: the register as evidence. One entry per change active in a window —
//! what was asked, how risky, who approved and how each approval is proven, when the
//! work reached the mainline, where it was deployed, its evidence (and who recorded
//! what `chg evidence` recorded, as proven), whether it can be rolled back,
//! its ADRs and review, and what `chg check` still finds — then the commits that
//! reached the mainline naming no change. Definitions: docs/auditor.md, ADR 0005.

mod proof;

pub use proof::{ApprovalProof, Proof, Verdict};

use crate::adr;
use crate::check::Snapshot;
use crate::git::CommitId;
use crate::git::Git;
use crate::history::entries;
use crate::history::CommitFacts;
use crate::model::ChangeKey;
use crate::model::{ChangeRecord, Class, DeployOutcome, ReviewOutcome, RiskLevel, Status};
use crate::policy::links::Resolved;
use crate::policy::{approval, Policy};
use crate::rules::{self, Finding, Tree};
use crate::window::Window;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Bumped when a field changes meaning, so scripts can tell.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub schema: u32,
    pub generated_at: DateTime<Utc>,
    pub window: Window,
    /// What the reader should know about the history read (a shallow clone ...).
    pub notes: Vec<String>,
    pub changes: Vec<Entry>,
    /// Over every change: approvals, moves and deployments by what proves them.
    pub proofs: Tally,
    /// Commits that needed a change reference and name none, made in the window.
    pub unmanaged: Vec<Unmanaged>,
    /// Record and freeze files that could not be read (R001): never left out.
    pub unreadable: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub class: Class,
    /// The level that counts: the higher of declared and derived, unless the risk
    /// authority accepted the lower.
    pub risk: Option<RiskLevel>,
    pub status: Status,
    pub author: String,
    pub owner: Option<String>,
    pub created_at: String,
    /// `complete`, `pre-approved`, `auto-approved`, or `missing: <roles>`.
    pub approval: String,
    /// Each approval requirement, with who fills it so far.
    pub requirements: Vec<RequirementRow>,
    pub approvals: Vec<ApprovalProof>,
    pub test_plan: bool,
    /// `kind: ref` of each piece of evidence given with the proposal.
    pub evidence: Vec<String>,
    /// The record's links to other systems, each with its URL.
    pub links: Vec<Resolved>,
    /// Evidence recorded with `chg evidence`, with its proof.
    pub gate_evidence: Vec<EvidenceRow>,
    /// Committer time of the oldest mainline commit that brought in work naming it.
    pub implemented_at: Option<DateTime<Utc>>,
    /// Commits naming the change that carry work (not only register edits), oldest
    /// first.
    pub commits: Vec<String>,
    pub environments: Vec<String>,
    pub deployments: Vec<DeploymentRow>,
    /// Every lifecycle move, with its proof.
    pub moves: Vec<MoveRow>,
    pub rollback: Readiness,
    pub adrs: Vec<AdrRow>,
    pub review: Option<ReviewRow>,
    /// What `chg check` finds about the change today.
    pub findings: Vec<Finding>,
}

/// One requirement ("2 of cab") and the current approvals that count towards it.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementRow {
    pub need: String,
    pub count: usize,
    pub roles: Vec<String>,
    pub approved_by: Vec<String>,
    pub met: bool,
}

impl From<&approval::Standing<'_>> for RequirementRow {
    fn from(s: &approval::Standing) -> RequirementRow {
        RequirementRow {
            need: s.need.to_string(),
            count: s.need.count,
            roles: s.need.roles.clone(),
            approved_by: s.by.iter().map(|a| a.by.clone()).collect(),
            met: s.is_met(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeploymentRow {
    pub environment: String,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub outcome: DeployOutcome,
    /// Whether the commit that recorded it proves `by` made it.
    pub made_by: Proof,
}

/// Evidence recorded with `chg evidence` and whether the commit that recorded it
/// proves who recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub note: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
    pub made_by: Proof,
}

/// A lifecycle move and whether the commit that recorded it proves who made it.
#[derive(Debug, Clone, Serialize)]
pub struct MoveRow {
    pub from: Status,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub by: String,
    pub made_by: Proof,
}

/// How many approvals, moves and deployments are proven, failed or unproven.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Tally {
    pub proven: usize,
    pub failed: usize,
    pub unproven: usize,
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Proven => self.proven += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Unproven => self.unproven += 1,
        }
    }

    /// What an entry's approvals, moves and deployments prove.
    fn of(e: &Entry) -> Tally {
        let mut tally = Tally::default();
        e.approvals.iter().for_each(|a| tally.add(a.verdict()));
        e.moves.iter().for_each(|m| tally.add(m.made_by.verdict));
        e.deployments
            .iter()
            .for_each(|d| tally.add(d.made_by.verdict));
        tally
    }
}

/// Whether the change could be undone: a plan, its artifacts in the tree, a test.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub plan: bool,
    /// Each artifact path with whether it exists in the working tree.
    pub artifacts: Vec<(String, bool)>,
    pub tested: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdrRow {
    pub path: String,
    pub found: bool,
    /// As the ADR states it (front matter, bullet or section).
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub at: String,
    pub by: String,
    pub outcome: ReviewOutcome,
    /// Held after the policy's `post_review_within` deadline.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unmanaged {
    pub commit: String,
    pub committed: Option<DateTime<Utc>>,
    pub author: String,
    pub subject: String,
}

/// What an audit reads.
pub struct Sources<'a> {
    pub policy: &'a Policy,
    pub snapshot: &'a Snapshot,
    /// The tree records' files are read from (artifacts, ADRs).
    pub tree: &'a dyn Tree,
    pub git: &'a Git,
}

/// The audit of the changes active in `window`, as of `now`.
pub fn build(src: &Sources, window: Window, now: DateTime<Utc>) -> Audit {
    let (loaded, history) = (&src.snapshot.loaded, src.snapshot.history.as_ref());
    // What `chg check` finds now, over the same register and history.
    let all = loaded.findings(src.policy, src.tree, now, history);
    // Indexed once: a register of thousands of changes over a long history.
    let mut work: HashMap<ChangeKey, Vec<&CommitFacts>> = HashMap::new();
    for c in history
        .iter()
        .flat_map(|h| &h.commits)
        .filter(|c| c.is_work)
    {
        for id in &c.refs().ids {
            work.entry(id.key()).or_default().push(c);
        }
    }
    let mut findings: HashMap<&str, Vec<Finding>> = HashMap::new();
    for f in &all {
        if let Some(record) = &f.record {
            findings.entry(record).or_default().push(f.clone());
        }
    }
    let mut changes: Vec<Entry> = loaded
        .records
        .iter()
        .filter(|s| active_in(&s.record, window))
        .map(|s| {
            let r = &s.record;
            let naming = work.get(&r.id.key()).map_or(&[][..], Vec::as_slice);
            let found = findings
                .remove(r.id.to_string().as_str())
                .unwrap_or_default();
            entry(src, r, naming, found)
        })
        .collect();
    changes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut proofs = Tally::default();
    for tally in changes.iter().map(Tally::of) {
        proofs.proven += tally.proven;
        proofs.failed += tally.failed;
        proofs.unproven += tally.unproven;
    }
    Audit {
        schema: SCHEMA,
        generated_at: now,
        window,
        notes: src.snapshot.notes.clone(),
        changes,
        proofs,
        unmanaged: unmanaged(src, window),
        unreadable: all.iter().filter(|f| f.rule == "R001").cloned().collect(),
    }
}

/// Whether anything happened to the change inside the window.
fn active_in(r: &ChangeRecord, window: Window) -> bool {
    let mut times = vec![r.created_at];
    times.extend(r.transitions.iter().map(|t| t.at));
    times.extend(r.approvals.iter().map(|a| a.at));
    times.extend(r.deployments.iter().map(|d| d.at));
    times.extend(r.gate_evidence.iter().map(|g| g.at));
    times.extend(r.review.iter().map(|v| v.at));
    times.iter().any(|t| window.contains(t.utc()))
}

/// The entry of one change, given the commits carrying work for it and its findings.
fn entry(
    src: &Sources,
    r: &ChangeRecord,
    naming: &[&CommitFacts],
    findings: Vec<Finding>,
) -> Entry {
    let policy = src.policy;
    let history = src.snapshot.history.as_ref();
    let made_by = |entry, by: &str| proof::made_by(history, policy, &r.id, &entry, by).1;
    let approvals = proof::approvals(r, policy, history);
    // Where the requirements stand on the approvals git does not refute: one whose
    // commit or roster proof failed (a name typed into the YAML) is listed, but fills
    // nothing.
    let mut standing = r.clone();
    let mut verdicts = approvals.iter().map(ApprovalProof::verdict);
    standing
        .approvals
        .retain(|_| verdicts.next() != Some(Verdict::Failed));
    let counted = approval::state(&standing, policy);
    let approval = match counted.waiver {
        Some(approval::Waiver::PreApproved) => "pre-approved".to_string(),
        Some(approval::Waiver::AutoApproved) => "auto-approved".to_string(),
        None if counted.is_complete() => "complete".to_string(),
        None => format!("missing: {}", counted.missing().join(", ")),
    };
    Entry {
        id: r.id.to_string(),
        title: r.title.clone(),
        class: r.class,
        risk: policy.risk_level(r),
        status: r.status,
        author: r.author.clone(),
        owner: r.owner.clone(),
        created_at: r.created_at.to_string(),
        approval,
        requirements: counted.standings.iter().map(RequirementRow::from).collect(),
        approvals,
        test_plan: r.test_plan.as_deref().is_some_and(|t| !t.trim().is_empty()),
        evidence: r
            .evidence
            .iter()
            .map(|e| format!("{}: {}", e.kind, e.reference))
            .collect(),
        links: policy.links_of(r),
        gate_evidence: gate_evidence(r, made_by),
        implemented_at: implemented_at(src.git, naming),
        commits: oldest_first(naming),
        environments: r.environments.clone(),
        deployments: r
            .deployments
            .iter()
            .map(|d| DeploymentRow {
                environment: d.environment.clone(),
                at: d.at.utc(),
                by: d.by.clone(),
                reference: d.reference.clone(),
                outcome: d.outcome,
                made_by: made_by(entries::deployment(d), &d.by),
            })
            .collect(),
        moves: r
            .transitions
            .iter()
            .map(|t| MoveRow {
                from: t.from,
                to: t.to,
                at: t.at.utc(),
                by: t.by.clone(),
                made_by: made_by(entries::transition(t), &t.by),
            })
            .collect(),
        rollback: Readiness {
            plan: r
                .rollback
                .plan
                .as_deref()
                .is_some_and(|p| !p.trim().is_empty()),
            artifacts: r
                .rollback
                .artifacts
                .iter()
                .map(|p| (p.clone(), src.tree.exists(p)))
                .collect(),
            tested: r.rollback.tested,
        },
        adrs: r
            .adrs
            .iter()
            .map(|path| {
                let text = adr::locate::load(src.tree, &src.policy.adr, path);
                AdrRow {
                    path: path.clone(),
                    found: text.is_some(),
                    status: text.and_then(|(_, t)| adr::parse(&t).status),
                }
            })
            .collect(),
        review: r.review.as_ref().map(|v| ReviewRow {
            at: v.at.to_string(),
            by: v.by.clone(),
            outcome: v.outcome,
            late: crate::followup::post_review(r, policy).is_some_and(|d| d.late().is_some()),
        }),
        findings,
    }
}

/// The evidence recorded on `r` with `chg evidence`, each proven by `made_by`.
fn gate_evidence(
    r: &ChangeRecord,
    made_by: impl Fn(entries::Entry, &str) -> Proof,
) -> Vec<EvidenceRow> {
    // `entries::of` lists a record's gate evidence in its order, as history keys it.
    let keyed = entries::of(r)
        .into_iter()
        .filter(|e| e.kind == entries::Kind::GateEvidence);
    (r.gate_evidence.iter().zip(keyed))
        .map(|(g, entry)| EvidenceRow {
            kind: g.kind.clone(),
            reference: g.reference.clone(),
            note: g.note.clone(),
            by: g.by.clone(),
            at: g.at.utc(),
            made_by: made_by(entry, &g.by),
        })
        .collect()
}

/// The committer time of the oldest mainline commit that brought in one of `naming`:
/// when the work reached the mainline (a merge's own time, not its branch's).
fn implemented_at(git: &Git, naming: &[&CommitFacts]) -> Option<DateTime<Utc>> {
    let mut mainline: Vec<CommitId> = naming.iter().filter_map(|c| c.mainline).collect();
    mainline.sort_unstable();
    mainline.dedup();
    mainline
        .into_iter()
        .filter_map(|m| {
            let time = naming
                .iter()
                .find(|c| c.id == m)
                .and_then(|c| c.committed())
                .map(|t| t.timestamp());
            let time = time.or_else(|| git.commit(m).ok().map(|c| c.committed))?;
            DateTime::from_timestamp(time, 0)
        })
        .min()
}

fn oldest_first(naming: &[&CommitFacts]) -> Vec<String> {
    let mut commits: Vec<(Option<DateTime<Utc>>, CommitId)> =
        naming.iter().map(|c| (c.committed(), c.id)).collect();
    commits.sort();
    commits.into_iter().map(|(_, id)| id.to_string()).collect()
}

/// The commits H002 reports (they needed a reference and name no change), made in
/// the window; listed whatever severity the policy gives H002.
fn unmanaged(src: &Sources, window: Window) -> Vec<Unmanaged> {
    let history = src.snapshot.history.as_ref();
    let Some(history) = history else {
        return Vec::new();
    };
    let mut rows: Vec<Unmanaged> = rules::unreferenced(history)
        .filter(|c| c.committed().is_none_or(|t| window.contains(t)))
        .map(|c| Unmanaged {
            commit: c.id.to_string(),
            committed: c.committed(),
            author: c.author_email().to_string(),
            subject: c.subject().to_string(),
        })
        .collect();
    rows.sort_by(|a, b| (a.committed, &a.commit).cmp(&(b.committed, &b.commit)));
    rows
}
