//! One check of the register, as `chg check` and the pre-push hook run it: the
//! records and freezes, what history says about them, and the rules over both.

use crate::context::Context;
use crate::git::{Git, IndexTree};
use crate::history::{Approvers, History, Reader, Reading, Scope, Walk};
use crate::model::ChangeId;
use crate::policy::{approval, Policy};
use crate::rules::{self, Digests, Finding, Register, Tree};
use crate::store::{Store, Stored, StoredFreeze, Stray, Unreadable};
use crate::threads::joined;
use anyhow::Result;
use chrono::{DateTime, Utc};

/// The register in the working tree with what the history in scope says of it: what
/// `chg check`, `chg audit` and `chg metrics` read.
pub struct Snapshot {
    pub loaded: Loaded,
    pub history: Option<History>,
    /// What the reader should know about the scope (a shallow clone, no commits).
    pub notes: Vec<String>,
}

impl Snapshot {
    /// The working tree's register and the history of `range`, else of everything
    /// since the policy's baseline, read as `reading` says. When the rules will
    /// judge it (`judged`), the digests they compare with approvals are worked out
    /// beside the walk.
    pub fn read(
        ctx: &Context,
        range: Option<&str>,
        reading: Reading,
        judged: bool,
    ) -> Result<Snapshot> {
        let scope = Scope::resolve(&ctx.git, &ctx.policy, range)?;
        if range.is_some() && scope.tip.is_some() {
            let (loaded, history) = Loaded::scoped(ctx, &scope, reading)?;
            return Ok(Snapshot {
                loaded,
                history: Some(history),
                notes: scope.notes,
            });
        }
        let (loaded, history) = match scope.tip {
            Some(_) => {
                let (loaded, history) = Loaded::with_history(ctx, &scope, reading, judged)?;
                (loaded, Some(history))
            }
            None => (Loaded::work_tree(&ctx.store)?, None),
        };
        Ok(Snapshot {
            loaded,
            history,
            notes: scope.notes,
        })
    }

    /// The record of change `id` alone, with the history since the policy's baseline:
    /// what `chg check --record` judges, however large the register.
    pub fn of_record(ctx: &Context, id: &ChangeId, reading: Reading) -> Result<Snapshot> {
        let scope = Scope::resolve(&ctx.git, &ctx.policy, None)?;
        let mut loaded = Loaded::named(&ctx.store, [id], Vec::new())?;
        loaded.only(&ctx.store, id)?;
        let history = loaded.history(&ctx.git, &ctx.policy, &scope, reading)?;
        Ok(Snapshot {
            loaded,
            history,
            notes: scope.notes,
        })
    }
}

/// Reads from git the facts of the commits `walk` lists that no earlier check read,
/// saying how many with `-v` and showing progress on a terminal.
fn read_walk<'a>(ctx: &Context, mut walk: Walk<'a>) -> Result<Walk<'a>> {
    ctx.out.detail(walk.described());
    let mut progress = ctx.progress(crate::history::READING, walk.unread());
    walk.read_facts(&mut progress)?;
    Ok(walk)
}

/// The register as read for a check.
pub struct Loaded {
    pub records: Vec<Stored>,
    pub freezes: Vec<StoredFreeze>,
    /// Record and freeze files that could not be read: reported alike (R001).
    pub unreadable: Vec<Unreadable>,
    /// Entries of the records directory that chg does not read (R009).
    pub strays: Vec<Stray>,
    /// The digests of the records with an approval granted, by place in `records`,
    /// where they were worked out ahead of the rules (see [`Self::digest`]).
    digests: Vec<Option<String>>,
}

impl Loaded {
    /// The register in the working tree.
    pub fn work_tree(store: &Store) -> Result<Loaded> {
        Loaded::with_freezes(store, store.load_all()?, store.strays()?)
    }

    /// The records of `ids` in the working tree, every freeze, and `strays`: what a
    /// check of a range or of one record judges.
    pub fn named<'i>(
        store: &Store,
        ids: impl IntoIterator<Item = &'i ChangeId>,
        strays: Vec<Stray>,
    ) -> Result<Loaded> {
        Loaded::with_freezes(store, store.load_named(ids), strays)
    }

    /// Records read from the working tree, with its freezes and the strays given.
    fn with_freezes(
        store: &Store,
        (records, mut unreadable): (Vec<Stored>, Vec<Unreadable>),
        strays: Vec<Stray>,
    ) -> Result<Loaded> {
        let (freezes, more) = store.load_freezes()?;
        unreadable.extend(more);
        Ok(Loaded {
            records,
            freezes,
            unreadable,
            strays,
            digests: Vec::new(),
        })
    }

    /// The register as staged in the index.
    pub fn staged(store: &Store, index: &IndexTree) -> Loaded {
        let (records, mut unreadable) = store.load_staged(index);
        let (freezes, more) = store.load_staged_freezes(index);
        unreadable.extend(more);
        Loaded {
            records,
            freezes,
            unreadable,
            strays: store.staged_strays(index),
            digests: Vec::new(),
        }
    }

    /// Keeps only the record of change `id`; a change with no file at all is an error.
    pub fn only(&mut self, store: &Store, id: &ChangeId) -> Result<()> {
        let path = store.display_path(id);
        if !self.records.iter().any(|s| &s.record.id == id)
            && !self.unreadable.iter().any(|u| u.path == path)
        {
            store.read_text(id)?;
        }
        self.records.retain(|s| &s.record.id == id);
        self.digests.clear();
        self.unreadable.retain(|u| u.path == path);
        self.strays.clear();
        Ok(())
    }

    /// Works out the digest of every record with an approval granted, which the
    /// rules compare with the approval's: most of their time over a large register,
    /// done ahead where a core is free.
    fn digest(&mut self) {
        self.digests = (self.records.iter())
            .map(|s| approval::asks_digest(&s.record).then(|| crate::model::digest::of(&s.record)))
            .collect();
    }

    /// What the history in `scope` says (none before the first commit), read as
    /// `reading` says.
    pub fn history(
        &self,
        git: &Git,
        policy: &Policy,
        scope: &Scope,
        reading: Reading,
    ) -> Result<Option<History>> {
        if scope.tip.is_none() {
            return Ok(None);
        }
        Ok(Some(
            Reader::with(git, policy, reading).read(scope, &Approvers::of(&self.records))?,
        ))
    }

    /// The history of `scope` and the records it has to do with (see
    /// [`crate::history::Walk::changes`]): a range or a push reads what is in it,
    /// whatever the size of the register and of the history before it.
    pub fn scoped(ctx: &Context, scope: &Scope, reading: Reading) -> Result<(Loaded, History)> {
        let mut walk = read_walk(
            ctx,
            Reader::with(&ctx.git, &ctx.policy, reading).list(scope)?,
        )?;
        let (changes, entries) = walk.changes()?;
        ctx.out.detail(format_args!(
            "records: the {} the scope has to do with",
            changes.len()
        ));
        // Strays the scope adds or changes; older ones are a whole check's to report.
        let loaded = Loaded::named(&ctx.store, &changes, ctx.store.strays_among(entries))?;
        let history = walk.assemble(&Approvers::of(&loaded.records))?;
        Ok((loaded, history))
    }

    /// The register in the working tree and what the history in `scope` says of
    /// it. The register is read on a second core while the commits are listed and
    /// those no earlier check read are read from git, and where the rules will judge
    /// it (`judged`), the digests they ask of its approved records are worked out
    /// there too: nothing asks anything of the register until both are read.
    fn with_history(
        ctx: &Context,
        scope: &Scope,
        reading: Reading,
        judged: bool,
    ) -> Result<(Loaded, History)> {
        let store = &ctx.store;
        let (loaded, walk) = std::thread::scope(|s| {
            let loading = s.spawn(|| -> Result<Loaded> {
                let mut loaded = Loaded::work_tree(store)?;
                if judged {
                    loaded.digest();
                }
                Ok(loaded)
            });
            let walk = Reader::with(&ctx.git, &ctx.policy, reading)
                .list(scope)
                .and_then(|walk| read_walk(ctx, walk));
            (joined(loading), walk)
        });
        let (loaded, walk) = (loaded?, walk?);
        let history = walk.assemble(&Approvers::of(&loaded.records))?;
        Ok((loaded, history))
    }

    /// Every rule over the register, the files in `tree` and `history`.
    pub fn findings<'t>(
        &'t self,
        policy: &'t Policy,
        tree: &'t dyn Tree,
        now: DateTime<Utc>,
        history: Option<&'t History>,
    ) -> Vec<Finding> {
        // Digests worked out ahead stand by place: records filtered since are
        // digested when asked.
        let ahead = match self.digests.len() == self.records.len() {
            true => &self.digests[..],
            false => &[],
        };
        let register = |tree: &'t dyn Tree| Register {
            policy,
            records: &self.records,
            freezes: &self.freezes,
            unreadable: &self.unreadable,
            strays: &self.strays,
            tree,
            now,
            history,
            digests: Digests::known(ahead),
        };
        match tree.shared() {
            Some(shared) => rules::run_on_two(|| register(shared)),
            None => rules::run(&register(tree)),
        }
    }

    /// How many files the check read.
    pub fn files(&self) -> usize {
        self.records.len() + self.unreadable.len()
    }
}
