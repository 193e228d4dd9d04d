//! The records directory: the schema editors read, and files chg would not read.

use super::{count, Check};
use crate::context::Context;
use anyhow::Result;

/// How many paths a line names before it counts the rest.
const SHOWN: usize = 3;

pub fn schema(ctx: &Context) -> Check {
    const NAME: &str = "schema";
    const WRITE: &str = "chg schema --write";
    let shown = format!("{}/{}", ctx.policy.changes.dir, crate::schema::FILE_NAME);
    match crate::untrusted::read_regular(&ctx.git.root().join(&shown)) {
        Ok(text) if text == crate::schema::of(&ctx.policy) => {
            Check::ok(NAME, format!("{shown} is this chg's"))
        }
        Ok(_) => Check::warning(
            NAME,
            format!(
                "{shown} is not the schema this chg prints: editors check records against another"
            ),
            WRITE,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Check::warning(
            NAME,
            format!("{shown} is missing: editors cannot check records as you type"),
            WRITE,
        ),
        Err(e) => Check::warning(NAME, format!("cannot read {shown}: {e}"), WRITE),
    }
}

pub fn records(ctx: &Context) -> Result<Check> {
    const NAME: &str = "records";
    let strays = ctx.store.strays()?;
    let (stored, unreadable) = ctx.store.load_all()?;
    let mut wrong = Vec::new();
    if !strays.is_empty() {
        wrong.push(format!(
            "{} chg does not read: {}",
            count(strays.len(), "stray file", "stray files"),
            first_few(strays.iter().map(|s| s.path.as_str()))
        ));
    }
    if !unreadable.is_empty() {
        let verb = if unreadable.len() == 1 { "does" } else { "do" };
        wrong.push(format!(
            "{} {verb} not parse: {}",
            count(unreadable.len(), "record", "records"),
            first_few(unreadable.iter().map(|u| u.path.as_str()))
        ));
    }
    Ok(if wrong.is_empty() {
        Check::ok(
            NAME,
            format!(
                "{} read, no stray files",
                count(stored.len(), "record", "records")
            ),
        )
    } else {
        Check::problem(
            NAME,
            wrong.join("; "),
            "chg check (it reports each, with what it needs)",
        )
    })
}

/// The first few of `paths`, and how many more.
fn first_few<'a>(paths: impl ExactSizeIterator<Item = &'a str>) -> String {
    let more = paths.len().saturating_sub(SHOWN);
    let mut text = paths.take(SHOWN).collect::<Vec<_>>().join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}
