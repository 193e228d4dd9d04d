//! Reading and writing YAML documents with errors that point at line and column.
//!
//! What chg reads arrives from anyone who can open a pull request, so a document is
//! vetted before it is built: at most [`MAX_BYTES`], plain data only (see [`plain`]).

mod de;
mod events;
mod plain;
mod simple;

pub use plain::MAX_DEPTH;

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// A YAML or schema error at a place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// 1-based; `None` when the parser could not say where.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl YamlError {
    /// An error about the document as a whole, at no place in it.
    fn unplaced(message: String) -> YamlError {
        YamlError {
            message,
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{l}:{c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// The largest file chg reads as a record or a freeze: hundreds of times what a
/// record holds, and few enough bytes that reading one costs nothing.
pub const MAX_BYTES: usize = 1 << 20;

/// Why a file larger than [`MAX_BYTES`] is not read.
pub fn too_large() -> YamlError {
    YamlError::unplaced(format!(
        "the file is larger than {} MiB, the most chg reads",
        MAX_BYTES >> 20
    ))
}

/// Refuses a document larger than [`MAX_BYTES`] or that is not plain data, in time
/// linear in its size and before anything is built from it.
pub fn vet(text: &str) -> Result<(), YamlError> {
    vetted(text).map(drop)
}

/// [`vet`], and the events to build the document from where they can be (see
/// [`plain::read`]).
fn vetted(text: &str) -> Result<Option<Vec<events::Event>>, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(too_large());
    }
    plain::read(text)
}

/// Parses one YAML document into `T`, refusing an empty one, one larger than
/// [`MAX_BYTES`] and one that is not plain data. A byte order mark is skipped, as
/// editors that write one do not show it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(YamlError::unplaced("the file is empty".into()));
    }
    match vetted(text)?.and_then(de::build) {
        Some(value) => Ok(value),
        None => built_by_serde_yaml(text),
    }
}

/// `text` built by serde_yaml, with its errors placed. Only for text [`vet`] passed:
/// serde_yaml expands aliases. [`from_str`] takes this way where its own builder gives
/// up, to say what is wrong as serde_yaml says it.
pub fn built_by_serde_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; we print the place as a prefix.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// The comment and blank lines at the top of a document (the schema modeline, a
/// note), each with its newline: serialising a record drops comments, so a save puts
/// these back above it.
pub fn header(text: &str) -> &str {
    let end = text
        .split_inclusive('\n')
        // Without its newline, a last comment line would run into what is written after it.
        .take_while(|line| {
            let text = line.trim();
            line.ends_with('\n') && (text.is_empty() || text.starts_with('#'))
        })
        .map(str::len)
        .sum();
    &text[..end]
}

/// Serialises `value` as a YAML document.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect("record types always serialise to YAML")
}

/// The text of a file holding `value` below `header`, refused when chg could not read
/// it back: a record near [`MAX_BYTES`] grows past it when a command adds to it.
pub fn file_text<T: Serialize>(header: &str, value: &T) -> Result<String, YamlError> {
    let text = format!("{header}{}", to_string(value));
    if text.len() > MAX_BYTES {
        return Err(YamlError::unplaced(format!(
            "written out, it would be {} bytes, more than the {} MiB chg reads",
            text.len(),
            MAX_BYTES >> 20
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_read_up_to_the_size_limit_and_no_further() {
        let padded = |len: usize| format!("a: {}", "x".repeat(len - 3));
        assert_eq!(vet(&padded(MAX_BYTES)), Ok(()));
        assert_eq!(vet(&padded(MAX_BYTES + 1)), Err(too_large()));
    }

    #[test]
    fn a_file_is_written_only_as_large_as_it_is_read() {
        let at = |len: usize| "x".repeat(len - "a: \n".len());
        let value = |len| std::collections::BTreeMap::from([("a", at(len))]);
        let text = file_text("", &value(MAX_BYTES)).unwrap();
        assert_eq!((text.len(), vet(&text)), (MAX_BYTES, Ok(())));
        let refused = file_text("# a header\n", &value(MAX_BYTES - 10)).unwrap_err();
        assert_eq!(
            refused.message,
            "written out, it would be 1048577 bytes, more than the 1 MiB chg reads"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let map: std::collections::BTreeMap<String, String> = from_str("\u{feff}id: X\n").unwrap();
        assert_eq!(map["id"], "X");
    }

    #[test]
    fn the_header_is_the_leading_comments_and_blank_lines() {
        let modeline = "# yaml-language-server: $schema=schema.json\n";
        assert_eq!(
            header(&format!("{modeline}id: X\n# not header\n")),
            modeline
        );
        assert_eq!(header("# a\r\n\n  # b\nid: X\n"), "# a\r\n\n  # b\n");
        assert_eq!(header("id: X\n"), "");
        assert_eq!(header("# only a comment"), "");
    }
}
