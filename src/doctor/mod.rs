//! `chg doctor`: what in this setup would make chg fail or mislead, each with its
//! fix. Every check only looks: nothing is written, not even the cache.

mod binary;
mod history;
mod hooks;
mod identity;
mod register;

use crate::context::Context;
use anyhow::Result;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// chg works, but something will mislead or slow someone.
    Warning,
    /// Something makes chg fail, or lets work through unchecked.
    Problem,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Problem => "problem",
        }
    }
}

/// One line of the report.
#[derive(Debug, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
    /// What fixes it, a command where one does; `None` when all is well.
    pub fix: Option<String>,
}

impl Check {
    fn ok(name: impl Into<String>, detail: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn warning(
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            status: Status::Warning,
            fix: Some(fix.into()),
            ..Check::ok(name, detail)
        }
    }

    fn problem(
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            status: Status::Problem,
            ..Check::warning(name, detail, fix)
        }
    }
}

/// Every check, in the order a person would fix them. The policy has already
/// been read by the time there is a context: one that does not read stops chg
/// before any check, as it stops every other command.
pub fn run(ctx: &Context) -> Result<Vec<Check>> {
    let mut checks = vec![identity::check(ctx), policy(ctx)];
    checks.extend(hooks::check(ctx)?);
    checks.push(register::schema(ctx));
    checks.push(history::baseline(ctx));
    checks.push(history::shallow(ctx));
    checks.push(history::grafts(ctx));
    checks.push(history::cache(ctx));
    checks.push(register::records(ctx)?);
    checks.push(register::layout(ctx)?);
    checks.push(binary::on_path()?);
    Ok(checks)
}

fn policy(ctx: &Context) -> Check {
    let file = crate::policy::FILE_NAME;
    let detail = if ctx.git.root().join(file).exists() {
        format!("{file} reads; records live in {}/", ctx.policy.changes.dir)
    } else {
        format!("no {file}: the default policy applies (`chg init` writes one)")
    };
    Check::ok("policy", detail)
}

/// `n` and the noun, plural when `n` is not 1.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
