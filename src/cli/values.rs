//! What the shell is offered when completing an argument's value.
//!
//! Called while the user presses Tab, so every source is cheap: IDs are the file
//! names in the records directory (no record is parsed, no history read), and any
//! failure (no repository, a broken policy) offers nothing rather than an error.

use crate::git::Git;
use crate::policy::Policy;
use crate::store::Store;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use std::collections::BTreeSet;
use std::path::Path;

/// The IDs of the changes in the register of the current directory.
pub fn change_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| ids_in(|_, store| store.record_files().ok()))
}

/// The IDs of the freezes declared in the register of the current directory.
pub fn freeze_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        ids_in(|root, store| {
            let names = std::fs::read_dir(root.join(store.freezes_dir())).ok()?;
            Some(
                names
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect(),
            )
        })
    })
}

/// The environments the policy names (deployment windows, recurring freezes).
pub fn environments() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let Some((_, policy)) = register() else {
            return Vec::new();
        };
        let named: BTreeSet<&String> = policy
            .windows
            .environments
            .iter()
            .chain(policy.freeze.recurring.iter().flat_map(|r| &r.environments))
            .collect();
        (named.into_iter())
            .filter(|name| is_plain_word(name))
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// Whether a shell reads `word` as itself. The policy may come from anyone, and the
/// shell puts a completed word on the command line unquoted: `$(…)`, a backquote, a
/// `;` or a glob in it would run or expand once the user presses Enter.
fn is_plain_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.:/@+=,".contains(c))
}

/// The codes of `chg check`'s rules, each with its one-line summary.
pub fn rule_codes() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        crate::rules::REGISTRY
            .iter()
            .map(|r| CompletionCandidate::new(r.code).help(Some(r.summary.into())))
            .collect()
    })
}

/// The policy presets `chg init --preset` knows.
pub fn presets() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        crate::policy::preset::described()
            .map(|(name, about)| CompletionCandidate::new(name).help(Some(about.into())))
            .collect()
    })
}

/// The words of a closed vocabulary (classes, outcomes, risk words ...).
pub fn spellings(words: &'static [&'static str]) -> ArgValueCandidates {
    ArgValueCandidates::new(move || words.iter().map(CompletionCandidate::new).collect())
}

/// The repository around the current directory and its policy, if both can be read.
fn register() -> Option<(Git, Policy)> {
    let git = Git::discover(&std::env::current_dir().ok()?).ok()?;
    let policy = Policy::load(git.root()).ok()?;
    Some((git, policy))
}

/// The IDs named by the `<ID>.yaml` files `files` lists (paths under some directory
/// of the register), sorted.
fn ids_in(files: impl Fn(&Path, &Store) -> Option<Vec<String>>) -> Vec<CompletionCandidate> {
    let Some((git, policy)) = register() else {
        return Vec::new();
    };
    let store = Store::new(git.root(), &policy);
    let ids: BTreeSet<String> = (files(git.root(), &store).unwrap_or_default().iter())
        .filter_map(|rel| crate::store::change_of_place(rel))
        .map(|id| id.to_string())
        .collect();
    ids.into_iter().map(CompletionCandidate::new).collect()
}
