//! `[windows]`: when deployments may happen, per weekday, and up to which risk.

use super::zone::TimeOfDay;
use crate::model::{Class, RiskLevel};
use serde::{Deserialize, Serialize};

/// One open window on a weekday, in the policy's time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
    /// The highest risk level deployed in this window (default: any).
    #[serde(default = "highest_risk")]
    pub max_risk: RiskLevel,
}

fn highest_risk() -> RiskLevel {
    RiskLevel::Critical
}

fn emergency_only() -> Vec<Class> {
    vec![Class::Emergency]
}

/// With no weekday listed there are no windows: deployments may happen any time.
/// Once any weekday is listed, a weekday left out has no window at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Windows {
    /// Classes that may deploy outside every window (seed 001 §9.1: emergency only).
    #[serde(default = "emergency_only")]
    pub allow: Vec<Class>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuesday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wednesday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thursday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturday: Option<Vec<Window>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunday: Option<Vec<Window>>,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            allow: emergency_only(),
            monday: None,
            tuesday: None,
            wednesday: None,
            thursday: None,
            friday: None,
            saturday: None,
            sunday: None,
        }
    }
}

impl Windows {
    /// The weekdays in order Monday..Sunday with their windows, if listed.
    pub fn days(&self) -> [(&'static str, Option<&Vec<Window>>); 7] {
        [
            ("monday", self.monday.as_ref()),
            ("tuesday", self.tuesday.as_ref()),
            ("wednesday", self.wednesday.as_ref()),
            ("thursday", self.thursday.as_ref()),
            ("friday", self.friday.as_ref()),
            ("saturday", self.saturday.as_ref()),
            ("sunday", self.sunday.as_ref()),
        ]
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for (day, windows) in self.days() {
            for w in windows.into_iter().flatten() {
                if w.from >= w.to {
                    return Err(format!(
                        "windows.{day}: a window from {} to {} is empty; `from` must be before `to`",
                        w.from, w.to
                    ));
                }
            }
        }
        Ok(())
    }
}
