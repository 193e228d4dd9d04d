//! The report of `chg doctor`: a line per check, its fix under it, and a count.

use crate::doctor::{Check, Status};
use serde::Serialize;

/// The documented JSON shape: `{"checks":[{"name","status","detail","fix"}]}`.
#[derive(Serialize)]
pub struct Report<'a> {
    pub checks: &'a [Check],
}

fn painted(status: Status, color: bool) -> String {
    // Padded before painting: escape codes have no width.
    let text = format!("{:<8}", status.as_str());
    let code = match status {
        Status::Ok => "32",
        Status::Warning => "33",
        Status::Problem => "1;31",
    };
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text
    }
}

pub fn text(checks: &[Check], color: bool) -> String {
    let mut out = String::new();
    for check in checks {
        out.push_str(&format!(
            "{} {}: {}\n",
            painted(check.status, color),
            check.name,
            super::escape(&check.detail)
        ));
        if let Some(fix) = &check.fix {
            out.push_str(&format!("{:8}   fix: {}\n", "", super::escape(fix)));
        }
    }
    let tally = |status: Status, one: &str, many: &str| {
        let n = checks.iter().filter(|c| c.status == status).count();
        (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
    };
    let said: Vec<String> = [
        tally(Status::Problem, "problem", "problems"),
        tally(Status::Warning, "warning", "warnings"),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.push('\n');
    out.push_str(&if said.is_empty() {
        "nothing to fix\n".to_string()
    } else {
        format!("{}\n", said.join(", "))
    });
    out
}
