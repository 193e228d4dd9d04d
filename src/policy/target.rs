//! `[metrics]`: the rates a team holds itself to, written as people write them
//! (`"> 95%"`, `"< 5%"`), so `chg metrics` can say whether each is met.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A bound on a percentage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateTarget {
    op: Op,
    percent: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Below,
    AtMost,
    Above,
    AtLeast,
}

impl RateTarget {
    const fn new(op: Op, percent: f64) -> RateTarget {
        RateTarget { op, percent }
    }

    /// Whether `percent` (exact, not rounded) meets the target.
    pub fn met(&self, percent: f64) -> bool {
        match self.op {
            Op::Below => percent < self.percent,
            Op::AtMost => percent <= self.percent,
            Op::Above => percent > self.percent,
            Op::AtLeast => percent >= self.percent,
        }
    }
}

impl FromStr for RateTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a rate target: write e.g. \"> 95%\" or \"< 5%\"");
        let s = s.trim();
        let (op, rest) = [
            ("<=", Op::AtMost),
            (">=", Op::AtLeast),
            ("<", Op::Below),
            (">", Op::Above),
        ]
        .into_iter()
        .find_map(|(sign, op)| s.strip_prefix(sign).map(|rest| (op, rest)))
        .ok_or_else(bad)?;
        let number = rest.trim().strip_suffix('%').ok_or_else(bad)?.trim();
        let percent: f64 = number.parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&percent) {
            return Err(bad());
        }
        Ok(RateTarget::new(op, percent))
    }
}

impl fmt::Display for RateTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.op {
            Op::Below => "<",
            Op::AtMost => "<=",
            Op::Above => ">",
            Op::AtLeast => ">=",
        };
        write!(f, "{sign} {}%", self.percent)
    }
}

impl Serialize for RateTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RateTarget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// `[metrics]`: targets for the rates `chg metrics` reports. The defaults are seed
/// 001 §11.2's; seed 003 §9.1 adds a change failure rate below 5 %. `"none"` drops a
/// default target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsPolicy {
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub success_rate: Option<RateTarget>,
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub emergency_rate: Option<RateTarget>,
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub rollback_rate: Option<RateTarget>,
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub change_failure_rate: Option<RateTarget>,
    /// Share of reviewed changes that introduced a regression (seed 002 §16.1).
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub regression_rate: Option<RateTarget>,
}

fn target_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RateTarget>, D::Error> {
    match String::deserialize(d)?.as_str() {
        "none" => Ok(None),
        text => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

impl Default for MetricsPolicy {
    fn default() -> Self {
        MetricsPolicy {
            success_rate: Some(RateTarget::new(Op::Above, 95.0)),
            emergency_rate: Some(RateTarget::new(Op::Below, 5.0)),
            rollback_rate: Some(RateTarget::new(Op::Below, 3.0)),
            change_failure_rate: None,
            regression_rate: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_and_print_as_people_write_them() {
        let t: RateTarget = "<10%".parse().unwrap();
        assert_eq!(t.to_string(), "< 10%");
        assert!(t.met(9.99) && !t.met(10.0));
        let t: RateTarget = ">= 95 %".parse().unwrap();
        assert!(t.met(95.0));
        for bad in ["95%", "> 95", "> lots%", "< 120%"] {
            assert!(bad.parse::<RateTarget>().is_err(), "{bad}");
        }
        let p: MetricsPolicy = toml::from_str("success_rate = \"none\"").unwrap();
        assert_eq!(p.success_rate, None);
        assert_eq!(p.rollback_rate, MetricsPolicy::default().rollback_rate);
    }
}
