//! Interactive questions for `chg new`, asked only when a person is at a terminal.

use super::args::RecordFlags;
use crate::error::Failure;
use crate::model::record::{Factor, RiskFactors};
use crate::model::{ChangeRecord, Class, Impact, Likelihood};
use crate::policy::requirement;
use crate::policy::risk::RiskMethod;
use crate::policy::Policy;
use crate::workflow::set::{self, Assignment};
use anyhow::Result;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Input, Select};

/// What each class means, shown beside the choice.
fn class_hint(class: Class) -> &'static str {
    match class {
        Class::Standard => "routine, low risk, pre-approved",
        Class::Normal => "planned, needs assessment and approval",
        Class::Major => "high risk or high impact, more approvers and a review",
        Class::Emergency => "fixes an active incident; approval may follow",
    }
}

/// What a score of 1, 2 and 3 means for each factor (as the risk-score preset defines them).
fn factor_hints(name: &str) -> [&'static str; 3] {
    match name {
        "systems" => [
            "single component",
            "multiple components",
            "critical infrastructure",
        ],
        "users" => [
            "none or minimal",
            "some users affected",
            "all users affected",
        ],
        "data" => ["no data changes", "data format changes", "data migration"],
        "reversibility" => [
            "easy rollback",
            "moderate rollback",
            "complex or impossible",
        ],
        _ => [
            "no security change",
            "minor security change",
            "security controls affected",
        ],
    }
}

fn cancelled(e: dialoguer::Error) -> anyhow::Error {
    Failure::input(format!("no answer ({e}): nothing was written")).into()
}

/// The theme questions are asked in.
fn theme(color: bool) -> Box<dyn Theme> {
    if color {
        Box::new(ColorfulTheme::default())
    } else {
        Box::new(SimpleTheme)
    }
}

/// Asks for the title, class and risk answers the flags left out.
pub fn fill(flags: &mut RecordFlags, policy: &Policy, color: bool) -> Result<()> {
    let theme = &*theme(color);
    if flags.title.is_none() {
        let title: String = Input::with_theme(theme)
            .with_prompt("Title (one line: what changes)")
            .validate_with(|s: &String| {
                if s.trim().is_empty() {
                    Err("a title is needed")
                } else {
                    Ok(())
                }
            })
            .interact_text()
            .map_err(cancelled)?;
        flags.title = Some(title.trim().to_string());
    }
    if flags.class.is_none() {
        let items: Vec<String> = Class::ALL
            .iter()
            .map(|c| format!("{c:<10} {}", class_hint(*c)))
            .collect();
        let picked = Select::with_theme(theme)
            .with_prompt("Class")
            .items(&items)
            .default(1)
            .interact()
            .map_err(cancelled)?;
        flags.class = Some(Class::ALL[picked]);
    }
    // Standard changes need no formal risk assessment.
    if flags.class != Some(Class::Standard) && flags.risk.rates_nothing() {
        match policy.risk.method {
            RiskMethod::Matrix => {
                let likelihood =
                    select(theme, "Likelihood that it goes wrong", Likelihood::ALL, 2)?;
                let impact = select(theme, "Impact if it does", Impact::ALL, 2)?;
                flags.risk.likelihood = Some(likelihood);
                flags.risk.impact = Some(impact);
            }
            RiskMethod::Score => {
                for name in RiskFactors::NAMES {
                    let hints = factor_hints(name);
                    let items: Vec<String> =
                        (1..=3).map(|n| format!("{n} {}", hints[n - 1])).collect();
                    let picked = Select::with_theme(theme)
                        .with_prompt(format!("Risk factor: {name}"))
                        .items(&items)
                        .default(0)
                        .interact()
                        .map_err(cancelled)?;
                    let score = Factor::try_from(picked as u8 + 1).map_err(Failure::input)?;
                    flags.risk.factors.push((name.to_string(), score));
                }
            }
        }
    }
    Ok(())
}

/// Fields whose text runs to paragraphs: written in the editor.
const LONG: &[&str] = &[
    "description",
    "rationale",
    "test_plan",
    "rollback.plan",
    "implementation_plan",
];

/// Asks for each field the policy requires of `proposal`'s class that it lacks and
/// `chg set` writes (the others have their own commands), reading each answer as
/// `chg set` reads a value. An empty answer leaves the field for later.
pub fn complete(mut proposal: ChangeRecord, policy: &Policy, color: bool) -> Result<ChangeRecord> {
    let theme = &*theme(color);
    let with = |record: &ChangeRecord, field: &str, value: &str| {
        let answer = Assignment {
            field: field.to_string(),
            append: false,
            value: value.to_string(),
        };
        set::apply(record, &[answer], policy)
    };
    for name in requirement::missing(&proposal, policy) {
        // The group stands for its plan, as `chg set` says.
        let field = if name == "rollback" {
            "rollback.plan"
        } else {
            &name
        };
        let Some(form) = set::form_of(field, policy) else {
            continue;
        };
        if requirement::is_met(&proposal, field, &policy.risk) {
            continue;
        }
        let answer = if LONG.contains(&field) {
            edited(field)?
        } else {
            Input::with_theme(theme)
                .with_prompt(format!("{field} ({form}; empty to fill in later)"))
                .allow_empty(true)
                .validate_with(|answer: &String| -> Result<(), String> {
                    let answered = !answer.trim().is_empty();
                    match answered.then(|| with(&proposal, field, answer)) {
                        Some(Err(e)) => Err(e.message),
                        _ => Ok(()),
                    }
                })
                .interact_text()
                .map_err(cancelled)?
        };
        if !answer.trim().is_empty() {
            proposal = with(&proposal, field, &answer)?;
        }
    }
    Ok(proposal)
}

/// The text the user writes for `field` in the editor; comment lines left out.
fn edited(field: &str) -> Result<String> {
    let cannot =
        |e: std::io::Error| Failure::input(format!("cannot write a file for the editor: {e}"));
    let file = tempfile::Builder::new()
        .prefix("chg-new-")
        .suffix(".md")
        .tempfile()
        .map_err(cannot)?;
    let header = format!(
        "# {field}: write it below, over as many lines as it needs.\n# Lines starting with # are left out; leave it empty to fill it in later.\n"
    );
    std::fs::write(file.path(), header).map_err(cannot)?;
    super::editor::open(file.path(), "nothing was written")?;
    let text = std::fs::read_to_string(file.path()).map_err(cannot)?;
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    Ok(kept.join("\n").trim().to_string())
}

fn select<T: Copy + std::fmt::Display>(
    theme: &dyn Theme,
    prompt: &str,
    all: &[T],
    default: usize,
) -> Result<T> {
    let items: Vec<String> = all.iter().map(ToString::to_string).collect();
    let picked = Select::with_theme(theme)
        .with_prompt(prompt)
        .items(&items)
        .default(default)
        .interact()
        .map_err(cancelled)?;
    Ok(all[picked])
}
