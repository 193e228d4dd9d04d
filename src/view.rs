//! What `chg show` works out about a record for people, as data for scripts: the
//! `derived` object `chg show --format json` and `chg list --format json` add to each
//! record. Every value comes from the functions the human view and the workflow use;
//! docs/json.md describes the shape, which only grows.

use crate::audit::RequirementRow;
use crate::calendar::Calendar;
use crate::context::Context;
use crate::followup::{self, Duty};
use crate::model::record::Approval;
use crate::model::{ChangeRecord, RiskLevel, Timestamp};
use crate::policy::acceptance::Basis;
use crate::policy::approval::{self, Waiver};
use crate::policy::links::Resolved;
use crate::policy::{requirement, Policy};
use crate::workflow::{self, Actor};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A record as stored, its keys at the top level, with what the policy says of it.
#[derive(Debug, Serialize)]
pub struct Viewed<'a> {
    #[serde(flatten)]
    pub record: &'a ChangeRecord,
    pub derived: Derived,
}

#[derive(Debug, Serialize)]
pub struct Derived {
    pub risk: Risk,
    /// What the class requires before the change leaves draft and it lacks.
    pub missing: Vec<String>,
    pub approval: ApprovalView,
    /// The gates of the moves legal from here that ask for anything.
    pub gates: Vec<Gate>,
    /// Each deadline the change owes or owed.
    pub deadlines: Vec<Deadline>,
    /// Whom `next` was tried for; `None` when git names nobody, and then every legal
    /// move is listed untried.
    pub next_for: Option<String>,
    pub next: Vec<NextMove>,
    /// The record's links with the URL the policy's template makes of each.
    pub links: Vec<Resolved>,
}

#[derive(Debug, Serialize)]
pub struct Risk {
    /// The level approvals, waivers, gates, windows and SLAs are held to.
    pub level: Option<RiskLevel>,
    pub declared: Option<RiskLevel>,
    pub derived: Option<RiskLevel>,
    /// `declared` or `derived`: which of the two `level` is.
    pub counts: Option<&'static str>,
    pub basis: Basis,
    /// The roles whose approval would accept a lower declared level.
    pub authority: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ApprovalView {
    /// Every requirement met (also when a waiver leaves none).
    pub complete: bool,
    pub waiver: Option<Waiver>,
    pub requirements: Vec<RequirementRow>,
    /// The requirements not yet met, as `chg show` words them.
    pub waiting: Vec<String>,
    /// Approvals given to content that has since changed.
    pub stale: Vec<Given>,
    /// Current approvals that count towards no requirement.
    pub discounted: Vec<Given>,
}

/// An approval that does not count, and why.
#[derive(Debug, Serialize)]
pub struct Given {
    pub role: String,
    pub by: String,
    pub at: Timestamp,
    pub reason: String,
}

impl Given {
    fn of(a: &Approval, reason: &str) -> Given {
        Given {
            role: a.role.clone(),
            by: a.by.clone(),
            at: a.at,
            reason: reason.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Gate {
    /// The move, as the command after `chg` that makes it.
    #[serde(rename = "move")]
    pub act: String,
    pub asks: Vec<String>,
    /// What it asks that the record lacks now.
    pub unmet: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Deadline {
    /// `approval-sla`, `emergency-approval`, `retrospective` or `post-review`.
    pub duty: &'static str,
    /// The policy's duration, e.g. `2d` or `5bd`.
    pub within: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// Still owed and past due.
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct NextMove {
    pub command: String,
    /// Whether the workflow would make it now; `None` when untried.
    pub allowed: Option<bool>,
    pub refusal: Option<String>,
}

/// What a change owes under a policy, if anything.
type Owed = fn(&ChangeRecord, &Policy) -> Option<Duty>;

/// The duties a change may owe, by the name the view gives them.
const DUTIES: [(&str, Owed); 4] = [
    ("approval-sla", followup::approval_sla),
    ("emergency-approval", followup::emergency_approval),
    ("retrospective", followup::retrospective),
    ("post-review", followup::post_review),
];

/// What the policy says of `record` at `now`, with the moves tried for `actor`.
pub fn derive(
    record: &ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
) -> Derived {
    let at = Timestamp::from(now);
    Derived {
        risk: risk(record, policy),
        missing: requirement::missing(record, policy),
        approval: approval_view(record, policy),
        gates: (workflow::acts(record).iter())
            .map(|act| Gate {
                act: workflow::command(act),
                asks: (policy.gate(record, *act).into_iter())
                    .map(String::from)
                    .collect(),
                unmet: policy.gate_unmet(record, *act, at),
            })
            .filter(|g| !g.asks.is_empty())
            .collect(),
        deadlines: (DUTIES.iter())
            .filter_map(|(duty, owed)| Some(deadline(duty, owed(record, policy)?, now)))
            .collect(),
        next_for: actor.map(|a| a.who.email.clone()),
        next: next(record, policy, calendar, actor),
        links: policy.links_of(record),
    }
}

fn risk(record: &ChangeRecord, policy: &Policy) -> Risk {
    let basis = policy.risk_basis(record);
    let counts = match basis {
        Basis::NotAssessed => None,
        Basis::Derived | Basis::Unaccepted => Some("derived"),
        _ => Some("declared"),
    };
    Risk {
        level: policy.risk_level(record),
        declared: record.risk.level,
        derived: policy.risk.derive(&record.risk),
        counts,
        basis,
        authority: policy.risk.authority.clone(),
    }
}

fn approval_view(record: &ChangeRecord, policy: &Policy) -> ApprovalView {
    let state = approval::state(record, policy);
    ApprovalView {
        complete: state.is_complete(),
        waiver: state.waiver,
        requirements: state.standings.iter().map(RequirementRow::from).collect(),
        waiting: state.missing(),
        stale: (state.stale.iter())
            .map(|a| Given::of(a, "given to content that has since changed"))
            .collect(),
        discounted: (state.discounted.iter())
            .map(|(a, why)| Given::of(a, why))
            .collect(),
    }
}

fn deadline(duty: &'static str, d: Duty, now: DateTime<Utc>) -> Deadline {
    Deadline {
        duty,
        within: d.within.map(|w| w.to_string()),
        due: d.due,
        done: d.done.is_some(),
        done_at: d.done.flatten(),
        overdue: d.is_overdue(now),
    }
}

/// The moves from here, tried for `actor` as `chg show` tries them; untried without.
fn next(
    record: &ChangeRecord,
    policy: &Policy,
    calendar: &Calendar,
    actor: Option<&Actor>,
) -> Vec<NextMove> {
    let Some(actor) = actor else {
        return (workflow::acts(record).iter())
            .map(|act| NextMove {
                command: format!("chg {}", workflow::command(act)),
                allowed: None,
                refusal: None,
            })
            .collect();
    };
    workflow::offers(record, policy, calendar, actor)
        .into_iter()
        .map(|o| NextMove {
            command: format!("chg {}", o.command),
            allowed: Some(o.refusal.is_none()),
            refusal: o.refusal,
        })
        .collect()
}

/// Each record with what the policy says of it, its moves tried for whoever runs
/// the command (none without a git identity).
pub fn all<'a>(ctx: &Context, records: &'a [ChangeRecord]) -> anyhow::Result<Vec<Viewed<'a>>> {
    let freezes = ctx.store.freezes()?;
    let calendar = Calendar::new(&ctx.policy, &freezes);
    let actor = ctx.actor().ok();
    let now = ctx.clock.now();
    Ok((records.iter())
        .map(|record| Viewed {
            record,
            derived: derive(record, &ctx.policy, &calendar, actor.as_ref(), now),
        })
        .collect())
}
