//! `chg metrics`: what a change board reads — volume, success, emergency and rollback
//! rates against seed 001's targets, lead, approval and deployment times, DORA's
//! figures, each against the policy's targets, and the follow-ups overdue now. Every figure is computed from the records (and, for DORA's
//! lead time, the commits naming each change); definitions in docs/auditor.md.

mod period;
mod stats;

pub use period::Period;
pub use stats::Spread;

use crate::followup::{self, first_move_to};
use crate::history::History;
use crate::model::record::Deployment;
use crate::model::ChangeKey;
use crate::model::{ChangeRecord, Class, DeployOutcome, RiskLevel, Status};
use crate::policy::approval;
use crate::policy::target::{RateTarget, TimeTarget};
use crate::policy::Policy;
use crate::window::Window;
use chrono::{DateTime, Utc};
use serde::Serialize;
use stats::{business_days, hours, round};
use std::collections::{BTreeMap, HashMap};

/// Bumped when a figure changes meaning.
pub const SCHEMA: u32 = 1;

/// A share of a population, against a target when the policy world has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub count: usize,
    pub of: usize,
    pub percent: Option<f64>,
    /// The policy's target (`[metrics]`, seed 001 §11.2 by default), e.g. `> 95%`.
    pub target: Option<String>,
    /// Whether the target is met; unknown with nothing to count.
    pub met: Option<bool>,
}

impl Rate {
    fn new(count: usize, of: usize, target: Option<RateTarget>) -> Rate {
        let exact = (of > 0).then(|| count as f64 * 100.0 / of as f64);
        Rate {
            count,
            of,
            percent: exact.map(round),
            target: target.map(|t| t.to_string()),
            // Judged before rounding: 2.997 % meets "< 3 %".
            met: target.and_then(|t| exact.map(|p| t.met(p))),
        }
    }
}

/// How long something took, against a target when the policy sets one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timed {
    #[serde(flatten)]
    pub spread: Spread,
    /// The policy's target (`[metrics]`), e.g. `< 1h`.
    pub target: Option<String>,
    /// Whether the median meets the target; unknown with nothing measured.
    pub met: Option<bool>,
}

impl Timed {
    /// `values` counted in units of `unit_hours` hours (1 for hours, 24 for days).
    fn new(values: Vec<f64>, unit_hours: f64, target: Option<TimeTarget>) -> Timed {
        let (spread, median) = Spread::with_median(values);
        Timed {
            spread,
            target: target.map(|t| t.to_string()),
            // The median, not the mean: one stuck change must not hide how the rest went.
            met: target.and_then(|t| median.map(|m| t.met(m * unit_hours))),
        }
    }
}

/// DORA's four keys, for deployments to one environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dora {
    pub deployments: usize,
    pub per_week: Option<f64>,
    pub change_failure_rate: Rate,
    /// From the first commit naming a change to its first successful deployment.
    pub lead_time_hours: Spread,
    /// From a failed deployment to the next successful one, or the rollback.
    pub restore_hours: Timed,
    /// Failed deployments not yet followed by either.
    pub unrestored: usize,
}

/// The figures of one period (or the whole window).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Changes created in the period.
    pub requested: usize,
    pub by_class: BTreeMap<Class, usize>,
    pub by_risk: BTreeMap<RiskLevel, usize>,
    /// Requested changes with no risk level, declared or derived.
    pub unassessed: usize,
    /// Changes first deployed to the environment in the period: the population of
    /// the three rates.
    pub deployed: usize,
    pub success_rate: Rate,
    pub emergency_rate: Rate,
    pub rollback_rate: Rate,
    /// Submit to first deployment to the environment, for those changes.
    pub lead_time_hours: Spread,
    /// Approved to first deployment to the environment, for those changes approved
    /// before it.
    pub deployment_time_hours: Timed,
    /// Submit to approved in business days, for changes approved in the period that
    /// needed an approver.
    pub approval_business_days: Timed,
    /// Of those, the ones approved after their risk level's SLA.
    pub sla_breaches: Vec<String>,
    /// Post-implementation reviews held in the period after their deadline.
    pub late_reviews: Vec<String>,
    /// Of the reviews held in the period that say whether the change regressed
    /// (`chg review --regression`), those that say it did (seed 002 §16.1).
    pub regression_rate: Rate,
    pub dora: Dora,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    pub period: String,
    pub window: Window,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Follow-ups past their deadline now, whatever the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Overdue {
    pub approvals: Vec<String>,
    pub reviews: Vec<String>,
    pub emergency_approvals: Vec<String>,
    pub retrospectives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub schema: u32,
    pub generated_at: DateTime<Utc>,
    /// The window, its open ends closed: from the first record, until now.
    pub window: Window,
    /// The environment DORA's figures count.
    pub environment: String,
    pub total: Figures,
    pub periods: Vec<PeriodFigures>,
    pub overdue: Overdue,
}

/// What the metrics are computed from.
pub struct Sources<'a> {
    pub policy: &'a Policy,
    pub records: Vec<&'a ChangeRecord>,
    pub history: Option<&'a History>,
    /// The environment the rates, lead time and DORA count (`production` by default).
    pub environment: &'a str,
}

pub fn build(src: &Sources, window: Window, by: Option<Period>, now: DateTime<Utc>) -> Metrics {
    let zone = src.policy.changes.timezone.0;
    // Open ends close at now and at the oldest record, never crossing each other.
    let until = window
        .until
        .unwrap_or_else(|| window.since.map_or(now, |s| s.max(now)));
    let since = window.since.unwrap_or_else(|| {
        src.records
            .iter()
            .map(|r| r.created_at.utc())
            .min()
            .unwrap_or(now)
            .min(until)
    });
    let window = Window {
        since: Some(since),
        until: Some(until),
    };
    let first_commits = first_commits(src.history);
    let figures = |w: Window| figures(src, &first_commits, w);
    let periods = by
        .map(|p| {
            p.split(since, until, zone)
                .into_iter()
                .map(|(period, w)| PeriodFigures {
                    period,
                    window: w,
                    figures: figures(w),
                })
                .collect()
        })
        .unwrap_or_default();
    Metrics {
        schema: SCHEMA,
        generated_at: now,
        window,
        environment: src.environment.to_string(),
        total: figures(window),
        periods,
        overdue: overdue(src, now),
    }
}

/// When the oldest commit carrying work for each change was committed.
fn first_commits(history: Option<&History>) -> HashMap<ChangeKey, DateTime<Utc>> {
    let mut first: HashMap<_, DateTime<Utc>> = HashMap::new();
    let commits = history.map(|h| h.commits.as_slice()).unwrap_or_default();
    for c in commits.iter().filter(|c| c.is_work) {
        let Some(at) = c.committed() else { continue };
        for id in &c.refs().ids {
            first
                .entry(id.key())
                .and_modify(|t| *t = (*t).min(at))
                .or_insert(at);
        }
    }
    first
}

fn ids(records: impl Iterator<Item = impl std::ops::Deref<Target = ChangeRecord>>) -> Vec<String> {
    records.map(|r| r.id.to_string()).collect()
}

fn figures(src: &Sources, first_commits: &HashMap<ChangeKey, DateTime<Utc>>, w: Window) -> Figures {
    let policy = src.policy;
    let zone = policy.changes.timezone.0;
    let requested: Vec<&ChangeRecord> = src
        .records
        .iter()
        .copied()
        .filter(|r| w.contains(r.created_at.utc()))
        .collect();
    let mut by_class: BTreeMap<Class, usize> = Class::ALL.iter().map(|c| (*c, 0)).collect();
    let mut by_risk: BTreeMap<RiskLevel, usize> = RiskLevel::ALL.iter().map(|l| (*l, 0)).collect();
    let mut unassessed = 0;
    for r in &requested {
        *by_class.entry(r.class).or_default() += 1;
        match policy.risk_level(r) {
            Some(level) => *by_risk.entry(level).or_default() += 1,
            None => unassessed += 1,
        }
    }

    // The rates count what reached the environment that matters (`--env`): a change
    // whose staging attempt failed was caught where it should be.
    let env = src.environment;
    let deployed: Vec<&ChangeRecord> = src
        .records
        .iter()
        .copied()
        .filter(|r| {
            deployments_to(r, env)
                .next()
                .is_some_and(|d| w.contains(d.at.utc()))
        })
        .collect();
    let rolled_back = crate::policy::review::was_rolled_back;
    let succeeded = deployed
        .iter()
        .filter(|r| {
            !rolled_back(r) && deployments_to(r, env).all(|d| d.outcome == DeployOutcome::Success)
        })
        .count();
    let emergencies = deployed
        .iter()
        .filter(|r| r.class == Class::Emergency)
        .count();
    let rollbacks = deployed.iter().filter(|r| rolled_back(r)).count();
    let lead = deployed
        .iter()
        .filter_map(|r| {
            let submitted = first_move_to(r, Status::Submitted)?.utc();
            Some(hours(submitted, deployments_to(r, env).next()?.at.utc()))
        })
        .collect();
    let deployment_time = deployed
        .iter()
        .filter_map(|r| {
            let approved = first_move_to(r, Status::Approved)?.utc();
            let at = deployments_to(r, env).next()?.at.utc();
            (approved <= at).then(|| hours(approved, at))
        })
        .collect();

    let approved: Vec<&ChangeRecord> = src
        .records
        .iter()
        .copied()
        .filter(|r| {
            first_move_to(r, Status::Approved).is_some_and(|t| w.contains(t.utc()))
                && needs_approver(r, policy)
        })
        .collect();
    let approval_days = approved
        .iter()
        .filter_map(|r| {
            let submitted = first_move_to(r, Status::Submitted)?.utc();
            let at = first_move_to(r, Status::Approved)?.utc();
            Some(business_days(submitted, at, zone))
        })
        .collect();
    let sla_breaches = ids(approved
        .iter()
        .copied()
        .filter(|r| followup::approval_sla(r, policy).is_some_and(|d| d.late().is_some())));
    let reviewed = || {
        (src.records.iter().copied())
            .filter(|r| r.review.as_ref().is_some_and(|v| w.contains(v.at.utc())))
    };
    let late_reviews =
        ids(reviewed()
            .filter(|r| followup::post_review(r, policy).is_some_and(|d| d.late().is_some())));
    let answers: Vec<bool> = reviewed()
        .filter_map(|r| r.review.as_ref()?.regression)
        .collect();
    let regressions = answers.iter().filter(|regressed| **regressed).count();

    Figures {
        requested: requested.len(),
        by_class,
        by_risk,
        unassessed,
        deployed: deployed.len(),
        success_rate: Rate::new(succeeded, deployed.len(), policy.metrics.success_rate),
        emergency_rate: Rate::new(emergencies, deployed.len(), policy.metrics.emergency_rate),
        rollback_rate: Rate::new(rollbacks, deployed.len(), policy.metrics.rollback_rate),
        lead_time_hours: Spread::of(lead),
        deployment_time_hours: Timed::new(deployment_time, 1.0, policy.metrics.deployment_time),
        approval_business_days: Timed::new(approval_days, 24.0, policy.metrics.approval_time),
        sla_breaches,
        late_reviews,
        regression_rate: Rate::new(regressions, answers.len(), policy.metrics.regression_rate),
        dora: dora(src, first_commits, w),
    }
}

/// The change's deployments to `env`, in order.
fn deployments_to<'r>(r: &'r ChangeRecord, env: &'r str) -> impl Iterator<Item = &'r Deployment> {
    r.deployments.iter().filter(move |d| d.environment == env)
}

/// Whether someone had to approve the change (not waived, some role required).
fn needs_approver(r: &ChangeRecord, policy: &Policy) -> bool {
    let (waiver, roles) = approval::requirement(r, policy);
    waiver.is_none() && !roles.is_empty()
}

fn dora(src: &Sources, first_commits: &HashMap<ChangeKey, DateTime<Utc>>, w: Window) -> Dora {
    let env = src.environment;
    let mut deployments = 0;
    let mut failures = 0;
    let mut restore = Vec::new();
    let mut unrestored = 0;
    let mut lead = Vec::new();
    for r in &src.records {
        let to_env: Vec<_> = deployments_to(r, env).collect();
        let rollback = first_move_to(r, Status::RolledBack).map(|t| t.utc());
        for (i, d) in to_env.iter().enumerate() {
            let at = d.at.utc();
            if !w.contains(at) {
                continue;
            }
            deployments += 1;
            let next = to_env.get(i + 1).map(|n| n.at.utc());
            // A deployment fails when it says so, or when it is the one a rollback undid.
            let undone = rollback.is_some_and(|rb| rb >= at && next.is_none_or(|n| n > rb));
            if d.outcome != DeployOutcome::Failed && !undone {
                continue;
            }
            failures += 1;
            let recovered = to_env[i + 1..]
                .iter()
                .find(|n| n.outcome == DeployOutcome::Success)
                .map(|n| n.at.utc());
            let restored = match (recovered, rollback.filter(|rb| *rb >= at)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match restored {
                Some(t) => restore.push(hours(at, t)),
                None => unrestored += 1,
            }
        }
        let first_success = to_env.iter().find(|d| d.outcome == DeployOutcome::Success);
        if let (Some(d), Some(commit)) = (first_success, first_commits.get(&r.id.key())) {
            let at = d.at.utc();
            if w.contains(at) && *commit <= at {
                lead.push(hours(*commit, at));
            }
        }
    }
    let weeks = match (w.since, w.until) {
        (Some(s), Some(u)) if u > s => Some((u - s).num_seconds() as f64 / (7.0 * 86_400.0)),
        _ => None,
    };
    Dora {
        deployments,
        per_week: weeks.map(|weeks| round(deployments as f64 / weeks)),
        change_failure_rate: Rate::new(
            failures,
            deployments,
            src.policy.metrics.change_failure_rate,
        ),
        lead_time_hours: Spread::of(lead),
        restore_hours: Timed::new(restore, 1.0, src.policy.metrics.restore_time),
        unrestored,
    }
}

fn overdue(src: &Sources, now: DateTime<Utc>) -> Overdue {
    let policy = src.policy;
    let records = || src.records.iter().copied();
    let late = |duty: Option<followup::Duty>| duty.is_some_and(|d| d.is_overdue(now));
    Overdue {
        approvals: ids(records().filter(|r| followup::awaits_approval_past_sla(r, policy, now))),
        reviews: ids(records().filter(|r| late(followup::post_review(r, policy)))),
        emergency_approvals: ids(
            records().filter(|r| late(followup::emergency_approval(r, policy)))
        ),
        retrospectives: ids(records().filter(|r| late(followup::retrospective(r, policy)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_judged_before_rounding() {
        let targets = crate::policy::target::MetricsPolicy::default();
        let r = Rate::new(30, 1001, targets.rollback_rate);
        assert_eq!((r.percent, r.met), (Some(3.0), Some(true)));
        let r = Rate::new(0, 0, targets.success_rate);
        assert_eq!((r.percent, r.met), (None, None));
    }
}
