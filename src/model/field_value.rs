//! The value of a field a team declares in its policy (`fields: {cost_center: CC-12}`):
//! a scalar, checked against the declared type by the policy, not here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One scalar as YAML writes it. The order matters: serde tries each in turn, so
/// `true` is a flag and `12` a whole number, never text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Flag(bool),
    Whole(i64),
    Decimal(f64),
    Text(String),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Flag(b) => write!(f, "{b}"),
            FieldValue::Whole(n) => write!(f, "{n}"),
            FieldValue::Decimal(n) => write!(f, "{n}"),
            FieldValue::Text(s) => f.write_str(s),
        }
    }
}
