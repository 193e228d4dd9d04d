//! Risk derivation: the level a record's assessment implies under the policy's method.

use crate::model::record::RiskAssessment;
use crate::model::{Impact, Likelihood, RiskLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use RiskLevel::{Critical as C, High as H, Low as L, Medium as M};

/// Seed 002 §5.2: rows rare → almost-certain, columns negligible → catastrophic.
pub const DEFAULT_MATRIX: [[RiskLevel; 5]; 5] = [
    [L, L, L, M, M],
    [L, L, M, M, H],
    [L, L, M, H, H],
    [L, M, H, H, C],
    [M, H, H, C, C],
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskMethod {
    /// Likelihood × impact, ISO 31000 (seed 002).
    #[default]
    Matrix,
    /// Five factors scored 1–3, total 5–15 (seed 001).
    Score,
}

/// `[risk]`: how a record's risk level is derived.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskPolicy {
    pub method: RiskMethod,
    /// Rows of the matrix that differ from seed 002's, keyed by likelihood.
    pub matrix: BTreeMap<Likelihood, [RiskLevel; 5]>,
    pub score: ScoreThresholds,
    /// Roles whose approval accepts a declared level below the derived one; with none,
    /// the higher level always counts. See [`super::acceptance`].
    pub authority: Vec<String>,
}

/// `[risk.score]`: the lowest total of each level above low (seed 001 §3.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoreThresholds {
    pub medium: u8,
    pub high: u8,
    /// Seed 001 reads "12-15: High risk/Critical"; unset, no total is critical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<u8>,
}

impl Default for ScoreThresholds {
    fn default() -> Self {
        ScoreThresholds {
            medium: 8,
            high: 12,
            critical: None,
        }
    }
}

impl RiskPolicy {
    /// The matrix cell for a likelihood and an impact, with the policy's overrides.
    pub fn matrix_level(&self, likelihood: Likelihood, impact: Impact) -> RiskLevel {
        let row = self
            .matrix
            .get(&likelihood)
            .unwrap_or(&DEFAULT_MATRIX[likelihood.index()]);
        row[impact.index()]
    }

    /// The level a total factor score falls in.
    pub fn score_level(&self, total: u8) -> RiskLevel {
        let t = &self.score;
        match total {
            n if t.critical.is_some_and(|c| n >= c) => C,
            n if n >= t.high => H,
            n if n >= t.medium => M,
            _ => L,
        }
    }

    /// The derived level, when the assessment holds everything the method needs.
    pub fn derive(&self, risk: &RiskAssessment) -> Option<RiskLevel> {
        match self.method {
            RiskMethod::Matrix => Some(self.matrix_level(risk.likelihood?, risk.impact?)),
            RiskMethod::Score => Some(self.score_level(risk.factors.total()?)),
        }
    }

    /// The level the assessment claims: the declared one, else the derived one. What
    /// the policy holds a change to is [`Policy::risk_level`](super::Policy::risk_level),
    /// which does not let a requester lower it alone.
    pub fn effective(&self, risk: &RiskAssessment) -> Option<RiskLevel> {
        risk.level.or_else(|| self.derive(risk))
    }

    /// A declared level that differs from the derived one with no justification:
    /// `(declared, derived)`.
    pub fn unjustified(&self, risk: &RiskAssessment) -> Option<(RiskLevel, RiskLevel)> {
        let declared = risk.level?;
        let derived = self.derive(risk)?;
        let justified = risk
            .justification
            .as_deref()
            .is_some_and(|j| !j.trim().is_empty());
        (declared != derived && !justified).then_some((declared, derived))
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        let t = &self.score;
        let ordered =
            5 < t.medium && t.medium < t.high && t.critical.is_none_or(|c| t.high < c && c <= 15);
        if !ordered || t.high > 15 {
            return Err(
                "risk.score: thresholds must rise within 6..=15 (medium < high < critical)".into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 002's table, written out cell by cell as the seed prints it.
    const SEED_002: &str = "\
        almost-certain: medium high high critical critical
        likely: low medium high high critical
        possible: low low medium high high
        unlikely: low low medium medium high
        rare: low low low medium medium";

    #[test]
    fn every_cell_of_the_default_matrix_matches_seed_002() {
        let policy = RiskPolicy::default();
        let mut cells = 0;
        for line in SEED_002.lines() {
            let (row, levels) = line.trim().split_once(": ").unwrap();
            let likelihood: Likelihood = row.parse().unwrap();
            for (impact, level) in Impact::ALL.iter().zip(levels.split(' ')) {
                let expected: RiskLevel = level.parse().unwrap();
                assert_eq!(
                    policy.matrix_level(likelihood, *impact),
                    expected,
                    "{row} × {impact}"
                );
                cells += 1;
            }
        }
        assert_eq!(cells, 25);
    }

    #[test]
    fn named_cells_from_the_issue() {
        let p = RiskPolicy::default();
        assert_eq!(p.matrix_level(Likelihood::Likely, Impact::Major), H);
        assert_eq!(p.matrix_level(Likelihood::Rare, Impact::Catastrophic), M);
        assert_eq!(p.matrix_level(Likelihood::AlmostCertain, Impact::Major), C);
    }

    #[test]
    fn score_thresholds_at_their_edges() {
        let p = RiskPolicy::default();
        assert_eq!(p.score_level(5), L);
        assert_eq!(p.score_level(7), L);
        assert_eq!(p.score_level(8), M);
        assert_eq!(p.score_level(11), M);
        assert_eq!(p.score_level(12), H);
        assert_eq!(p.score_level(15), H);
        let with_critical = RiskPolicy {
            score: ScoreThresholds {
                critical: Some(14),
                ..ScoreThresholds::default()
            },
            ..RiskPolicy::default()
        };
        assert_eq!(with_critical.score_level(13), H);
        assert_eq!(with_critical.score_level(14), C);
    }

    #[test]
    fn a_row_override_replaces_only_that_row() {
        let mut p = RiskPolicy::default();
        p.matrix.insert(Likelihood::Rare, [L; 5]);
        assert_eq!(p.matrix_level(Likelihood::Rare, Impact::Catastrophic), L);
        assert_eq!(p.matrix_level(Likelihood::Likely, Impact::Major), H);
    }
}
