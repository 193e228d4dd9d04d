//! Interactive questions for `chg new`, asked only when a person is at a terminal.

use super::args::RecordFlags;
use crate::error::Failure;
use crate::model::record::{Factor, RiskFactors};
use crate::model::{Class, Impact, Likelihood};
use crate::policy::risk::RiskMethod;
use crate::policy::Policy;
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

/// Asks for every answer the flags left out; an empty answer leaves a field empty.
pub fn fill(flags: &mut RecordFlags, policy: &Policy, color: bool) -> Result<()> {
    let colorful = ColorfulTheme::default();
    let theme: &dyn Theme = if color { &colorful } else { &SimpleTheme };
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
    let text = |prompt: &str| -> Result<Option<String>> {
        let answer: String = Input::with_theme(theme)
            .with_prompt(prompt)
            .allow_empty(true)
            .interact_text()
            .map_err(cancelled)?;
        Ok(Some(answer.trim().to_string()).filter(|s| !s.is_empty()))
    };
    if flags.description.is_none() {
        flags.description = text("Description (what and how; empty to fill in later)")?;
    }
    if flags.rollback.is_none() {
        flags.rollback = text("Rollback plan (how to undo it)")?;
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
