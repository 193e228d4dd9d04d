//! Moving a register between layouts: every record file to the place the other
//! layout gives it, bytes untouched, so that history reads each record across the
//! move as the same change (its identity is its ID, not its path).

use super::layout::{places, Layout};
use super::Store;
use crate::error::Failure;
use crate::git::Git;
use crate::model::Identity;
use anyhow::{Context as _, Result};
use std::collections::HashSet;
use std::path::Path;

/// One record file moved: paths under the records directory.
#[derive(Debug, Clone)]
struct Move {
    from: String,
    to: String,
}

impl Store {
    /// Moves every record to where `layout` puts it, as [`Self::relayout`] does, in a
    /// commit of its own by `author`, else staged; and returns how many files moved.
    /// Refused, with nothing moved, while the register has changes not committed: the
    /// move must be the commit's only content. A commit or staging that fails puts
    /// every file back.
    pub fn move_to(&self, git: &Git, layout: Layout, author: Option<&Identity>) -> Result<usize> {
        let dir = &self.dir;
        let dirty = git.uncommitted_below(dir)?;
        if let Some(first) = dirty.first() {
            return Err(Failure::input(format!(
                "{dir}/ has changes not committed ({first}{}); nothing was moved",
                if dirty.len() > 1 { ", …" } else { "" }
            ))
            .hint("commit or stash them first: the move is a commit of its own")
            .into());
        }
        let moves = self.relayout(layout)?;
        if moves.is_empty() {
            return Ok(0);
        }
        let message = format!(
            "Move the change register to the {name} layout\n\n`chg layout {name}` moved {} \
             record file(s); their contents are unchanged.",
            moves.len(),
            name = layout.name(),
        );
        let done = match author {
            Some(author) => git.commit_file(dir, &message, author),
            None => git.stage(dir),
        };
        if let Err(e) = done {
            self.undo(&moves);
            let _ = git.unstage(dir);
            return Err(e.context("nothing was moved"));
        }
        Ok(moves.len())
    }

    /// Moves every record to where `layout` puts it, and returns the moves made (none
    /// when the register is already laid out so). Refused, with nothing moved, when
    /// a change's record lies at both of its places: which one is the record is for a
    /// person to say. A move that fails puts back those made before it.
    fn relayout(&self, layout: Layout) -> Result<Vec<Move>> {
        let files: HashSet<String> = self.record_files()?.into_iter().collect();
        let mut moves = Vec::new();
        for rel in &files {
            // A flat file not named as an ID stays where it is: R003 reports it.
            let Some(id) = super::change_of_place(rel) else {
                continue;
            };
            if places(&id).iter().all(|place| files.contains(place)) {
                return Err(Failure::input(format!(
                    "{id} has two record files, {dir}/{} and {dir}/{}; nothing was moved",
                    places(&id)[0],
                    places(&id)[1],
                    dir = self.dir
                ))
                .hint("keep the one that is the record, remove the other, and commit that first")
                .into());
            }
            let to = layout.place(&id);
            if *rel != to {
                moves.push(Move {
                    from: rel.clone(),
                    to,
                });
            }
        }
        // In path order, so that what is moved and reported does not vary by run.
        moves.sort_by(|a, b| a.from.cmp(&b.from));
        let dir = self.dir();
        for (done, m) in moves.iter().enumerate() {
            if let Err(e) = move_file(&dir, &m.from, &m.to) {
                self.undo(&moves[..done]);
                return Err(e.context(format!(
                    "cannot move {}/{}; nothing was moved",
                    self.dir, m.from
                )));
            }
        }
        remove_empty_folders(&dir, moves.iter().map(|m| m.from.as_str()));
        Ok(moves)
    }

    /// Puts back the record files `moves` moved, as far as it can.
    fn undo(&self, moves: &[Move]) {
        let dir = self.dir();
        for m in moves.iter().rev() {
            let _ = move_file(&dir, &m.to, &m.from);
        }
        remove_empty_folders(&dir, moves.iter().map(|m| m.to.as_str()));
    }
}

/// Renames `from` to `to` (paths under `dir`), creating the folders `to` needs.
/// Never over an existing file: a rename would silently replace it.
fn move_file(dir: &Path, from: &str, to: &str) -> Result<()> {
    let target = dir.join(to);
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder of {to}"))?;
    }
    if std::fs::symlink_metadata(&target).is_ok() {
        anyhow::bail!("{to} already exists");
    }
    std::fs::rename(dir.join(from), &target).with_context(|| format!("cannot move {from} to {to}"))
}

/// Removes the folders (under `dir`) that held the files `left` and are now empty,
/// deepest first: git keeps no empty folder, and neither should the work tree.
fn remove_empty_folders<'a>(dir: &Path, left: impl Iterator<Item = &'a str>) {
    let mut folders: Vec<&str> = left
        .flat_map(|rel| {
            let mut up = Vec::new();
            let mut at = rel;
            while let Some((folder, _)) = at.rsplit_once('/') {
                up.push(folder);
                at = folder;
            }
            up
        })
        .collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.len()));
    folders.dedup();
    for folder in folders {
        // Fails, as it should, for a folder that still holds anything.
        let _ = std::fs::remove_dir(dir.join(folder));
    }
}
