//! The only place that formats output: tables, JSON, CSV, YAML.
//! Data goes to stdout; status and errors go to stderr (see `context::Output`).

pub mod audit;
pub mod codequality;
pub mod doctor;
pub mod findings;
pub mod freeze;
mod locate;
pub mod metrics;
pub mod notes;
pub mod record;
pub mod sarif;
pub mod schedule;
mod text;

use anyhow::Result;
use std::io::Write;

pub use text::{escape, escaped, inert, Shown};

/// Writes `text` to stdout; a closed pipe surfaces as an error the caller ignores.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Pretty JSON with a trailing newline, for renderers that return text.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(value).expect("chg's types always serialise to JSON");
    text.push('\n');
    text
}

/// Pretty JSON, with a trailing newline, written to stdout as it is made: the audit
/// of a long history runs to tens of megabytes, which are never held as one string.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// A comfy-table preset without box-drawing noise, readable in any terminal.
pub(crate) fn plain_table() -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    table
}

/// Bold text when colour is on.
pub(crate) fn bold(text: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// A time to the minute, in UTC and marked so.
pub(crate) fn minute(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%MZ").to_string())
}
