//! The file a record's `adrs` entry names. A path with a directory part is relative
//! to the repository root. A bare file name (`0001-use-x.md`) is looked for in the ADR
//! directory — `[adr] dir`; without it the directory adr-tools' `.adr-dir` names; else
//! doc/adr, docs/adr and docs/decisions, in that order — and then at the root. Every
//! read goes through the tree, which keeps it inside the repository.

use crate::policy::AdrPolicy;
use crate::rules::Tree;

/// Where ADRs are kept when neither the policy nor `.adr-dir` says.
const DEFAULT_DIRS: &[&str] = &["doc/adr", "docs/adr", "docs/decisions"];

/// The repository paths `path` may name, in the order they are tried.
pub fn candidates(tree: &dyn Tree, policy: &AdrPolicy, path: &str) -> Vec<String> {
    if path.contains('/') {
        return vec![path.to_string()];
    }
    let dirs: Vec<String> = match &policy.dir {
        Some(dir) => vec![dir.clone()],
        None => match tree.read(".adr-dir") {
            Some(text) if !text.trim().is_empty() => vec![text.trim().to_string()],
            _ => DEFAULT_DIRS.iter().map(|d| d.to_string()).collect(),
        },
    };
    dirs.iter()
        .map(|d| format!("{}/{path}", d.trim_end_matches('/')))
        .chain([path.to_string()])
        .collect()
}

/// The path found and its text, if `path` names a file chg may read.
pub fn load(tree: &dyn Tree, policy: &AdrPolicy, path: &str) -> Option<(String, String)> {
    candidates(tree, policy, path)
        .into_iter()
        .find_map(|p| tree.read(&p).map(|text| (p, text)))
}
