//! The records directory: the schema editors read, and files chg would not read.

use super::{count, Check};
use crate::context::Context;
use crate::store::Layout;
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

/// How many records a flat register holds before its one folder is worth moving: web
/// views of a repository list a folder's first thousand entries, and each commit that
/// changes a record writes a tree of them all.
const FLAT_AT_MOST: usize = 1000;

/// Where the records lie: in one layout, and not in one flat folder grown large.
pub fn layout(ctx: &Context) -> Result<Check> {
    const NAME: &str = "layout";
    const MOVE: &str = "chg layout fanned";
    let files = ctx.store.record_files()?;
    let flat = (files.iter())
        .filter(|f| Layout::of_place(f) == Layout::Flat)
        .count();
    let fanned = files.len() - flat;
    let records = |n| count(n, "record", "records");
    Ok(match (flat, fanned) {
        (0, n) => Check::ok(
            NAME,
            format!("fanned out by year and hundreds ({})", records(n)),
        ),
        (n, 0) if n > FLAT_AT_MOST => Check::warning(
            NAME,
            format!(
                "flat, {} in one folder: each commit that changes one writes a tree of them all",
                records(n)
            ),
            MOVE,
        ),
        (n, 0) => Check::ok(NAME, format!("flat ({})", records(n))),
        (flat, fanned) => Check::warning(
            NAME,
            format!(
                "{} flat and {} fanned out: the register is half moved",
                records(flat),
                records(fanned)
            ),
            MOVE,
        ),
    })
}
