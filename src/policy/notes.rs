//! `[notes]`: how `chg notes` lays out release notes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotesPolicy {
    /// What the changes of a release are grouped by.
    pub group_by: GroupBy,
}

/// A field of the record that release notes group changes by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    #[default]
    Class,
    Status,
    /// The risk level the policy derives.
    Risk,
    Owner,
    /// Each of the record's components: a change of two components is listed twice.
    Components,
}
