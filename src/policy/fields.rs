//! `[fields.<name>]`: fields a team adds to its records (a cost centre, a vendor),
//! each with a type that values written by hand or on the command line must have.

use super::Policy;
use crate::model::field_value::FieldValue;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One declared field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// What the field means, for people filling it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What a declared field holds: a type's name, or the list of words it may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Spelled", into = "Spelled")]
pub enum FieldType {
    /// One line of text.
    String,
    /// Text of any length.
    Text,
    Number,
    Bool,
    /// YYYY-MM-DD.
    Date,
    OneOf(Vec<String>),
}

/// A type as the policy file writes it.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Spelled {
    Name(String),
    Words(Vec<String>),
}

const NAMES: &str = "string, text, number, bool, date, or a list of the words allowed";

impl TryFrom<Spelled> for FieldType {
    type Error = String;
    fn try_from(s: Spelled) -> Result<Self, String> {
        Ok(match s {
            Spelled::Name(name) => match name.as_str() {
                "string" => FieldType::String,
                "text" => FieldType::Text,
                "number" => FieldType::Number,
                "bool" => FieldType::Bool,
                "date" => FieldType::Date,
                _ => return Err(format!("`{name}` is not a field type: {NAMES}")),
            },
            Spelled::Words(words) if words.is_empty() => {
                return Err(format!("an empty list allows no value: {NAMES}"))
            }
            Spelled::Words(words) => FieldType::OneOf(words),
        })
    }
}

impl From<FieldType> for Spelled {
    fn from(t: FieldType) -> Spelled {
        match t {
            FieldType::OneOf(words) => Spelled::Words(words),
            named => Spelled::Name(named.to_string()),
        }
    }
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Date => "date",
            FieldType::OneOf(words) => return write!(f, "one of {}", words.join("|")),
        })
    }
}

impl FieldType {
    /// The value a command-line `raw` stands for, if it is one of this type.
    pub fn parse(&self, raw: &str) -> Result<FieldValue, String> {
        let word = raw.trim();
        let value = match self {
            FieldType::Text => FieldValue::Text(raw.to_string()),
            FieldType::Number => match word.parse::<i64>() {
                Ok(n) => FieldValue::Whole(n),
                Err(_) => FieldValue::Decimal(
                    word.parse::<f64>()
                        .map_err(|_| format!("`{word}` is not a number"))?,
                ),
            },
            FieldType::Bool => match word {
                "true" | "yes" => FieldValue::Flag(true),
                "false" | "no" => FieldValue::Flag(false),
                _ => return Err(format!("`{word}` is not true or false")),
            },
            _ => FieldValue::Text(word.to_string()),
        };
        self.check(&value)?;
        Ok(value)
    }

    /// Refuses a value that is not of this type.
    pub fn check(&self, value: &FieldValue) -> Result<(), String> {
        let fits = match (self, value) {
            (FieldType::String, FieldValue::Text(s)) => !s.contains(['\n', '\r']),
            (FieldType::Text, FieldValue::Text(_)) => true,
            (FieldType::Number, FieldValue::Whole(_)) => true,
            (FieldType::Number, FieldValue::Decimal(n)) => n.is_finite(),
            (FieldType::Bool, FieldValue::Flag(_)) => true,
            (FieldType::Date, FieldValue::Text(s)) => s.parse::<NaiveDate>().is_ok(),
            (FieldType::OneOf(words), FieldValue::Text(s)) => words.contains(s),
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(format!("`{value}` is not a value of type {self}"))
        }
    }
}

impl Declared {
    pub(super) fn validate(&self, name: &str) -> Result<(), String> {
        if super::is_name(name) {
            Ok(())
        } else {
            Err(format!(
                "fields.{name}: not a field name: lower-case letters, digits, - and _"
            ))
        }
    }
}

impl Policy {
    /// The declaration of the field `name`; an error naming the declared fields when
    /// the policy has no such field.
    pub fn declared_field(&self, name: &str) -> Result<&Declared, String> {
        self.fields.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.fields.keys().map(String::as_str).collect();
            if known.is_empty() {
                format!("fields.{name}: the policy declares no fields ([fields.<name>])")
            } else {
                format!(
                    "fields.{name}: not a field the policy declares; its fields: {}",
                    known.join(", ")
                )
            }
        })
    }

    /// An error when `value` is not one the policy's field `name` may hold.
    pub fn check_field(&self, name: &str, value: &FieldValue) -> Result<(), String> {
        (self.declared_field(name)?.kind)
            .check(value)
            .map_err(|e| format!("fields.{name}: {e}"))
    }

    /// What is wrong with `record`'s links and fields under this policy, one sentence
    /// each: kinds and fields it does not declare, values not of their type.
    pub fn undeclared(&self, record: &crate::model::ChangeRecord) -> Vec<String> {
        let links = (record.links.iter()).filter_map(|(k, id)| self.check_link(k, id).err());
        let fields = (record.fields.iter()).filter_map(|(n, v)| self.check_field(n, v).err());
        links.chain(fields).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_and_checked_by_type() {
        let one_of = FieldType::OneOf(vec!["eu".into(), "us".into()]);
        assert_eq!(FieldType::Number.parse("12"), Ok(FieldValue::Whole(12)));
        assert_eq!(FieldType::Number.parse("1.5"), Ok(FieldValue::Decimal(1.5)));
        assert!(FieldType::Number.parse("NaN").is_err());
        assert!(FieldType::Number.parse("twelve").is_err());
        assert_eq!(FieldType::Bool.parse("yes"), Ok(FieldValue::Flag(true)));
        assert!(FieldType::Date.parse("2026-13-01").is_err());
        assert!(FieldType::String.parse("a\nb").is_err());
        assert!(FieldType::Text.parse("a\nb").is_ok());
        assert!(one_of.parse("eu").is_ok());
        assert!(one_of.parse("asia").unwrap_err().contains("one of eu|us"));
        assert!(FieldType::String.check(&FieldValue::Whole(12)).is_err());
    }

    #[test]
    fn a_policy_declares_fields_with_a_known_type() {
        let policy = Policy::from_toml(
            "[fields.cost_center]\ntype = \"string\"\n[fields.region]\ntype = [\"eu\", \"us\"]\n",
        )
        .unwrap();
        assert_eq!(policy.fields["region"].kind.to_string(), "one of eu|us");
        let err = Policy::from_toml("[fields.x]\ntype = \"money\"\n").unwrap_err();
        assert!(err.contains("not a field type"), "{err}");
        let err = Policy::from_toml("[fields.X]\ntype = \"text\"\n").unwrap_err();
        assert!(err.contains("not a field name"), "{err}");
    }
}
