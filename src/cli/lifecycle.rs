//! The lifecycle verbs: submit, assess, schedule, start, deploy, verify, rollback,
//! review, close, cancel, revise. Each loads the record, asks `workflow` to make the
//! move, and saves only if the move was allowed.

use super::args::{keyword, text, yes_or_no, ImpactAreaFlags, RiskFlags};
use super::values;
use crate::calendar::Calendar;
use crate::clock::parse_user_time;
use crate::context::Context;
use crate::error::Failure;
use crate::model::record::Deployment;
use crate::model::{ChangeId, ChangeRecord, DeployOutcome, ReviewOutcome, Timestamp};
use crate::workflow::{self, Actor, ReviewInput};
use anyhow::Result;

/// Loads `id`, applies `change` as the acting identity now, and saves the record,
/// holding the record's lock throughout. A refused change leaves the file untouched.
/// Returns the record and how many transitions it had before.
pub(super) fn apply_quietly(
    ctx: &Context,
    id: &ChangeId,
    change: impl FnOnce(&mut ChangeRecord, &Actor) -> Result<(), Failure>,
) -> Result<(ChangeRecord, usize)> {
    let actor = ctx.actor()?;
    let _lock = crate::store::lock(&ctx.git.chg_dir().join("locks"), &id.to_string())?;
    let mut record = ctx.store.load(id)?;
    let before = record.transitions.len();
    change(&mut record, &actor)?;
    ctx.store.save(&record)?;
    Ok((record, before))
}

/// Tells what a move did: each new transition on stderr, the ID and status on stdout.
pub(super) fn report(ctx: &Context, record: &ChangeRecord, before: usize) -> Result<()> {
    for t in &record.transitions[before..] {
        let note = t
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        ctx.out
            .status(format_args!("{}: {} → {}{note}", record.id, t.from, t.to));
    }
    crate::render::print(&format!("{} {}", record.id, record.status))
}

/// [`apply_quietly`], then [`report`].
pub(super) fn apply(
    ctx: &Context,
    id: &ChangeId,
    change: impl FnOnce(&mut ChangeRecord, &Actor) -> Result<(), Failure>,
) -> Result<ChangeRecord> {
    let (record, before) = apply_quietly(ctx, id, change)?;
    report(ctx, &record, before)?;
    Ok(record)
}

/// Submit a draft for assessment and approval.
///
/// Refused (exit 1) while anything the class requires is missing; a non-standard
/// change without a rollback plan is always refused. A change that needs no approver
/// (pre-approved class, auto-approved risk) goes straight to approved.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg submit CHG-2026-0001")]
pub struct SubmitArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
}

pub fn submit(ctx: &Context, args: SubmitArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| workflow::submit(r, &ctx.policy, a)).map(drop)
}

/// Record the risk assessment: likelihood and impact, or scored factors, and what is
/// done about the risk (treatment and mitigation); and the areas the change affects.
///
/// A submitted change becomes assessed. Changing the risk after approval is refused:
/// the approvals were given to the old assessment.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg assess CHG-2026-0001 --likelihood unlikely --impact minor\n  chg assess CHG-2026-0001 --factor data=2"
)]
pub struct AssessArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    #[command(flatten)]
    risk: RiskFlags,
    #[command(flatten)]
    impact_areas: ImpactAreaFlags,
}

pub fn assess(ctx: &Context, args: AssessArgs) -> Result<()> {
    if args.risk.is_empty() && args.impact_areas.areas.is_empty() {
        return Err(Failure::input(
            "nothing to assess: give --likelihood and --impact, or --factor NAME=N, or --treatment and --mitigation, or --impact-area",
        )
        .into());
    }
    let areas = args.impact_areas.checked(&ctx.policy)?;
    let record = apply(ctx, &args.id, |r, a| {
        let answers = |risk: &mut _| args.risk.apply_to(risk);
        workflow::assess(r, &ctx.policy, a, answers, &areas)
    })?;
    match ctx.policy.risk_level(&record) {
        Some(level) => ctx.out.status(format_args!("{}: risk {level}", record.id)),
        None if !args.risk.is_empty() => ctx.out.status(format_args!(
            "{}: not enough answers yet to derive a risk level",
            record.id
        )),
        None => {}
    }
    if !areas.is_empty() {
        let declared = record.impact_areas.join(", ");
        ctx.out
            .status(format_args!("{}: impact areas {declared}", record.id));
    }
    Ok(())
}

/// Schedule an approved change. Times: RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`
/// in the policy's time zone.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg schedule CHG-2026-0001 --start \"2026-11-24 06:00\" --end \"2026-11-24 08:00\""
)]
pub struct ScheduleArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// When the work is planned to start; refused inside a freeze or outside the
    /// deployment windows for the change's risk.
    #[arg(long, value_name = "TIME")]
    start: String,
    /// When it is planned to end; the whole span is checked against freezes.
    #[arg(long, value_name = "TIME")]
    end: Option<String>,
}

pub fn schedule(ctx: &Context, args: ScheduleArgs) -> Result<()> {
    let zone = ctx.policy.changes.timezone.0;
    let parse = |flag: &str, t: &str| -> Result<Timestamp> {
        parse_user_time(t, zone).map_err(|e| Failure::input(format!("--{flag}: {e}")).into())
    };
    let start = parse("start", &args.start)?;
    let end = args.end.as_deref().map(|t| parse("end", t)).transpose()?;
    let freezes = ctx.store.freezes()?;
    let calendar = Calendar::new(&ctx.policy, &freezes);
    apply(ctx, &args.id, |r, a| {
        workflow::schedule(r, &ctx.policy, &calendar, a, start, end)
    })
    .map(drop)
}

/// Begin implementing an approved (or scheduled) change; emergencies may start before approval.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg start CHG-2026-0001")]
pub struct StartArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
}

pub fn start(ctx: &Context, args: StartArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| workflow::start(r, &ctx.policy, a)).map(drop)
}

/// Record a deployment to an environment.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg deploy CHG-2026-0001 --env production --ref v1.4.0\n  chg deploy CHG-2026-0001 --env production --ref v1.4.0 --outcome failed"
)]
pub struct DeployArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// The environment deployed to, e.g. production.
    #[arg(long = "env", value_name = "ENV", add = values::environments())]
    environment: String,
    /// What was deployed: a tag, a commit, a build ID.
    #[arg(long = "ref", value_name = "REV")]
    reference: Option<String>,
    /// success or failed.
    #[arg(long, value_parser = keyword::<DeployOutcome>,
        add = values::spellings(DeployOutcome::SPELLINGS), default_value = "success")]
    outcome: DeployOutcome,
    /// A note kept with the deployment (a run URL, what was seen).
    #[arg(long)]
    note: Option<String>,
}

pub fn deploy(ctx: &Context, args: DeployArgs) -> Result<()> {
    let freezes = ctx.store.freezes()?;
    let calendar = Calendar::new(&ctx.policy, &freezes);
    apply(ctx, &args.id, |r, a| {
        let deployment = Deployment {
            environment: args.environment,
            at: a.at,
            by: a.who.email.clone(),
            reference: args.reference,
            outcome: args.outcome,
            note: args.note,
        };
        workflow::deploy(r, &ctx.policy, &calendar, a, deployment)
    })
    .map(drop)
}

/// Confirm a deployed change works as intended.
///
/// Refused (exit 1) while the last deployment failed, before the class's
/// `verify_after` has passed since it, and while a deployment is dated after now.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg verify CHG-2026-0001 --note \"error rate flat for 30 minutes\""
)]
pub struct VerifyArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// How it was verified, kept with the transition.
    #[arg(long)]
    note: Option<String>,
}

pub fn verify(ctx: &Context, args: VerifyArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| {
        workflow::verify(r, &ctx.policy, a, args.note)
    })
    .map(drop)
}

/// Record that a deployed change was rolled back.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg rollback CHG-2026-0001 --reason \"5xx spike\"")]
pub struct RollbackArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// Why it was rolled back (the trigger, what was seen); `@path` reads a file.
    #[arg(long, value_parser = text)]
    reason: String,
}

pub fn rollback(ctx: &Context, args: RollbackArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| {
        workflow::rollback(r, &ctx.policy, a, args.reason)
    })
    .map(drop)
}

/// Record the post-implementation review (required for major and emergency by default).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg review CHG-2026-0001 --outcome achieved --lessons \"Backfill owners first\""
)]
pub struct ReviewArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// achieved, partially or not-achieved.
    #[arg(long, value_parser = keyword::<ReviewOutcome>,
        add = values::spellings(ReviewOutcome::SPELLINGS))]
    outcome: ReviewOutcome,
    /// Effects the change had besides the intended ones.
    #[arg(long, value_parser = text)]
    side_effects: Option<String>,
    /// What monitoring showed after deployment.
    #[arg(long, value_parser = text)]
    monitoring_findings: Option<String>,
    /// What to do differently next time.
    #[arg(long, value_parser = text)]
    lessons: Option<String>,
    /// Runbooks or playbooks updated because of it.
    #[arg(long, value_parser = text)]
    playbook_updates: Option<String>,
    /// Incidents or downtime the change caused.
    #[arg(long, value_parser = text)]
    incidents: Option<String>,
    /// yes or no: whether the change introduced a regression (counted by `chg metrics`).
    #[arg(long, value_parser = yes_or_no, value_name = "yes|no")]
    regression: Option<bool>,
    /// After a rollback: the steps it took.
    #[arg(long, value_parser = text)]
    steps: Option<String>,
    /// After a rollback: how long it took, e.g. "40 minutes".
    #[arg(long, value_parser = text)]
    duration: Option<String>,
    /// After a rollback: the impact on users and systems meanwhile.
    #[arg(long, value_parser = text)]
    impact: Option<String>,
    /// After a rollback: why the change failed.
    #[arg(long, value_parser = text)]
    root_cause: Option<String>,
    /// After a rollback: what keeps it from failing so again.
    #[arg(long, value_parser = text)]
    preventive_measures: Option<String>,
}

pub fn review(ctx: &Context, args: ReviewArgs) -> Result<()> {
    let input = ReviewInput {
        outcome: args.outcome,
        side_effects: args.side_effects,
        monitoring_findings: args.monitoring_findings,
        lessons: args.lessons,
        playbook_updates: args.playbook_updates,
        incidents: args.incidents,
        regression: args.regression,
        steps: args.steps,
        duration: args.duration,
        impact: args.impact,
        root_cause: args.root_cause,
        preventive_measures: args.preventive_measures,
    };
    apply(ctx, &args.id, |r, a| {
        workflow::review(r, &ctx.policy, a, input)
    })
    .map(drop)
}

/// Close a verified or rolled-back change (refused while a required review is missing).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg close CHG-2026-0001")]
pub struct CloseArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
}

pub fn close(ctx: &Context, args: CloseArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| workflow::close(r, &ctx.policy, a)).map(drop)
}

/// Withdraw a change that has not been deployed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chg cancel CHG-2026-0001 --reason \"Superseded by a smaller change\""
)]
pub struct CancelArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
    /// Why it is withdrawn; `@path` reads a file.
    #[arg(long, value_parser = text)]
    reason: String,
}

pub fn cancel(ctx: &Context, args: CancelArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| {
        workflow::cancel(r, &ctx.policy, a, args.reason)
    })
    .map(drop)
}

/// Take a rejected change back to draft, to revise and submit again.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  chg revise CHG-2026-0001")]
pub struct ReviseArgs {
    /// The change, e.g. CHG-2026-0007 (its file name under .changes/).
    #[arg(value_parser = keyword::<ChangeId>, add = values::change_ids())]
    id: ChangeId,
}

pub fn revise(ctx: &Context, args: ReviseArgs) -> Result<()> {
    apply(ctx, &args.id, |r, a| workflow::revise(r, &ctx.policy, a)).map(drop)
}
