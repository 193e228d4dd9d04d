//! `[metrics]`: the rates and times a team holds itself to, written as people write
//! them (`"> 95%"`, `"< 1h"`), so `chg metrics` can say whether each is met.

use super::duration::PolicyDuration;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How a figure is compared with its bound.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Below,
    AtMost,
    Above,
    AtLeast,
}

impl Op {
    /// Splits the comparison off the front of `s`: `(op, the rest)`.
    fn split(s: &str) -> Option<(Op, &str)> {
        [
            ("<=", Op::AtMost),
            (">=", Op::AtLeast),
            ("<", Op::Below),
            (">", Op::Above),
        ]
        .into_iter()
        .find_map(|(sign, op)| s.trim().strip_prefix(sign).map(|rest| (op, rest.trim())))
    }

    fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Op::Below => value < bound,
            Op::AtMost => value <= bound,
            Op::Above => value > bound,
            Op::AtLeast => value >= bound,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Below => "<",
            Op::AtMost => "<=",
            Op::Above => ">",
            Op::AtLeast => ">=",
        })
    }
}

/// A bound on a percentage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateTarget {
    op: Op,
    percent: f64,
}

impl RateTarget {
    const fn new(op: Op, percent: f64) -> RateTarget {
        RateTarget { op, percent }
    }

    /// Whether `percent` (exact, not rounded) meets the target.
    pub fn met(&self, percent: f64) -> bool {
        self.op.holds(percent, self.percent)
    }
}

impl FromStr for RateTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a rate target: write e.g. \"> 95%\" or \"< 5%\"");
        let (op, rest) = Op::split(s).ok_or_else(bad)?;
        let number = rest.strip_suffix('%').ok_or_else(bad)?.trim();
        let percent: f64 = number.parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&percent) {
            return Err(bad());
        }
        Ok(RateTarget::new(op, percent))
    }
}

impl fmt::Display for RateTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}%", self.op, self.percent)
    }
}

/// A bound on how long something takes, in wall-clock units (`"< 1h"`, `"<= 5d"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeTarget {
    op: Op,
    bound: chrono::Duration,
}

impl TimeTarget {
    /// Whether `hours` (exact, not rounded) meets the target.
    pub fn met(&self, hours: f64) -> bool {
        self.op
            .holds(hours, self.bound.num_seconds() as f64 / 3600.0)
    }
}

impl FromStr for TimeTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{s}` is not a time target: write e.g. \"< 1h\" or \"<= 5d\" (units m, h, d, w)"
            )
        };
        let (op, rest) = Op::split(s).ok_or_else(bad)?;
        match rest.parse() {
            // Business days would need a clock the figures are not all measured on.
            Ok(PolicyDuration::Elapsed(bound)) => Ok(TimeTarget { op, bound }),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for TimeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op, PolicyDuration::Elapsed(self.bound))
    }
}

crate::serde_via_str!(RateTarget, TimeTarget);

/// `[metrics]`: targets for the rates and times `chg metrics` reports. The defaults are
/// seed 001 §11.2's rates; seed 003 §9.1 adds a change failure rate below 5 %. No time
/// target has a default. `"none"` drops a default target. A time target is judged on
/// the median.
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
    /// From a failed deployment to its restoration (DORA's time to restore).
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub restore_time: Option<TimeTarget>,
    /// From submit to approved, in business time.
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub approval_time: Option<TimeTarget>,
    /// From approved to the first deployment to the environment.
    #[serde(
        deserialize_with = "target_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_time: Option<TimeTarget>,
}

fn target_or_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr<Err = String>,
{
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
            restore_time: None,
            approval_time: None,
            deployment_time: None,
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
        let t: TimeTarget = "<= 24h".parse().unwrap();
        assert_eq!(t.to_string(), "<= 1d");
        assert!(t.met(24.0) && !t.met(24.01));
        let t: TimeTarget = "< 90m".parse().unwrap();
        assert!(t.met(1.49) && !t.met(1.5));
        for bad in ["1h", "< 2bd", "< 5%", "< soon"] {
            assert!(bad.parse::<TimeTarget>().is_err(), "{bad}");
        }
        let p: MetricsPolicy = toml::from_str("success_rate = \"none\"").unwrap();
        assert_eq!(p.success_rate, None);
        assert_eq!(p.rollback_rate, MetricsPolicy::default().rollback_rate);
    }
}
