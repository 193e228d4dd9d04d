//! Policies `chg init --preset` writes, embedded from `fixtures/policies/`.

const PRESETS: &[(&str, &str)] = &[(
    "default",
    include_str!("../../fixtures/policies/default.toml"),
)];

/// The text of the preset called `name`.
pub fn text(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|(n, _)| *n).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_is_a_valid_policy() {
        for (name, text) in super::PRESETS {
            if let Err(e) = super::super::Policy::from_toml(text) {
                panic!("preset {name}: {e}");
            }
        }
    }
}
