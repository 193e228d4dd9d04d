//! Policies `chg init --preset` writes, embedded from `fixtures/policies/`. Each of the
//! five modelled presets explains, key by key, what the policy it models asks;
//! docs/policies.md maps every clause of each policy to its key and rule.

/// Name, the policy it follows, and its text.
const PRESETS: &[(&str, &str, &str)] = &[
    (
        "default",
        "chg's defaults, spelled out",
        include_str!("../../fixtures/policies/default.toml"),
    ),
    (
        "itil-four-class",
        "four-class ITIL-style protocol: standard/normal/major/emergency, ADRs, post-implementation reviews",
        include_str!("../../fixtures/policies/itil-four-class.toml"),
    ),
    (
        "risk-score",
        "risk-scored policy: five-factor risk score, approval matrix, SLAs, weekday windows",
        include_str!("../../fixtures/policies/risk-score.toml"),
    ),
    (
        "risk-matrix",
        "change-request specification: 5x5 risk matrix, low risk auto-approved, [CR-YYYY-NNN] commits",
        include_str!("../../fixtures/policies/risk-matrix.toml"),
    ),
    (
        "pull-request",
        "pull-request policy: reviews, lead times, separation of duties",
        include_str!("../../fixtures/policies/pull-request.toml"),
    ),
    (
        "rfc",
        "RFC policy: requests for change with owner and target date, 48 h emergency review",
        include_str!("../../fixtures/policies/rfc.toml"),
    ),
];

/// The text of the preset called `name`.
pub fn text(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, text)| *text)
}

/// Each preset's name and what it follows.
pub fn described() -> impl Iterator<Item = (&'static str, &'static str)> {
    PRESETS.iter().map(|(name, about, _)| (*name, *about))
}

/// `name: what it follows`, one per preset, for help and errors.
pub fn list() -> Vec<String> {
    described()
        .map(|(name, about)| format!("{name}: {about}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn every_preset_is_a_valid_policy_that_sets_no_baseline() {
        for (name, _, text) in PRESETS {
            match Policy::from_toml(text) {
                Ok(policy) => assert_eq!(policy.changes.baseline, None, "{name}"),
                Err(e) => panic!("preset {name}: {e}"),
            }
        }
    }

    #[test]
    fn modelled_presets_explain_every_key() {
        let mut silent = Vec::new();
        for (name, _, text) in PRESETS.iter().filter(|(n, _, _)| *n != "default") {
            for line in text.lines() {
                let key = line.trim_start();
                let is_key = !key.starts_with('#') && key.contains(" = ");
                // An array's items carry the comments when it spans lines; a quoted
                // key ("deploy:production" = ...) is a key like any other.
                let item = key.starts_with('"') && !key.contains("\" = ");
                let continues = item || key.starts_with(']') || key.ends_with('[');
                if is_key && !continues && !line.contains('#') {
                    silent.push(format!("{name}: {line}"));
                }
            }
        }
        assert!(
            silent.is_empty(),
            "keys that explain nothing:\n{}",
            silent.join("\n")
        );
    }
}
