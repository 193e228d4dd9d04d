//! The pre-commit hook: the records and freezes the commit adds or changes are valid
//! (the record rules, R001–R009, and F004 for freezes), nothing it adds to the records
//! directory is a file chg would not read (R009), and each protected path it
//! touches has a change that its message can name. Only those records are parsed,
//! never the whole register; the freezes, a handful of files, are read whole.

use super::staged::Staged;
use super::{Findings, Verdict};
use crate::model::lifecycle::is_inactive;
use crate::model::ChangeRecord;
use crate::policy::Policy;
use crate::rules::{self, Register};
use crate::store::{record_places, Store};
use chrono::{DateTime, Utc};

/// The rules that judge a record by itself (R001–R009). The others ask about its
/// history, its approvals or the clock: `chg check` and the pre-push hook run them.
fn is_record_rule(code: &str) -> bool {
    code.starts_with('R')
}

pub fn check(policy: &Policy, store: &Store, staged: &Staged, now: DateTime<Utc>) -> Verdict {
    let changed = staged.changed_records();
    let freezes_dir = format!("{}/", store.freezes_dir());
    let (mut records, mut unreadable) = staged.load(store, &changed);
    // A changed record claiming an ID whose file another record holds: R002 judges
    // the two together, so that one is read as well.
    let claimed: Vec<String> = records
        .iter()
        .flat_map(|s| record_places(&s.record.id))
        .filter(|rel| !changed.contains(&rel.as_str()) && staged.holds(rel))
        .collect();
    if !claimed.is_empty() {
        let mut names = changed.clone();
        names.extend(claimed.iter().map(String::as_str));
        (records, unreadable) = staged.load(store, &names);
    }
    let (freezes, unreadable_freezes) = store.load_staged_freezes(&staged.index);
    unreadable.extend(unreadable_freezes);
    // Strays the commit adds or changes; one already committed is `chg check`'s to report.
    let strays = store.staged_strays_touched(&staged.index, &staged.paths);
    let register = Register {
        policy,
        records: &records,
        freezes: &freezes,
        unreadable: &unreadable,
        strays: &strays,
        tree: &staged.index,
        now,
        history: None,
        digests: Default::default(),
    };
    let mut findings = Findings::new(policy);
    findings.extend(rules::run(&register).into_iter().filter(|f| {
        let path = f.path.as_deref();
        let about_changed_record = path
            .and_then(|p| staged.in_register(p))
            .is_some_and(|rel| changed.contains(&rel));
        let about_changed_freeze = path
            .is_some_and(|p| p.starts_with(&freezes_dir) && staged.paths.iter().any(|c| c == p));
        (is_record_rule(f.rule) && (f.rule == "R002" || f.rule == "R009" || about_changed_record))
            || ((f.rule == "R001" || f.rule == "F004") && about_changed_freeze)
    }));
    if !staged.merging {
        let parsed = records.iter().map(|s| s.record.clone()).collect();
        protected(policy, store, staged, &changed, parsed, &mut findings);
    }
    Verdict {
        findings: findings.into_vec(),
        records: changed.len(),
        notes: Vec::new(),
    }
}

/// H003, as far as it can be judged before the message exists: for each protected
/// path the commit touches, some record in the index that is still open qualifies.
fn protected(
    policy: &Policy,
    store: &Store,
    staged: &Staged,
    changed: &[&str],
    parsed: Vec<ChangeRecord>,
    findings: &mut Findings,
) {
    let touched: Vec<_> = policy
        .protections()
        .into_iter()
        .filter_map(|p| Some((p.touched(&staged.paths)?, p)))
        .collect();
    if touched.is_empty() {
        return;
    }
    let mut candidates = Candidates {
        store,
        staged,
        changed,
        pending: None,
        seen: parsed,
    };
    for (path, protection) in touched {
        if !candidates.any(|r| !is_inactive(r.status) && protection.admits(r)) {
            findings.add(
                "H003",
                None,
                Some(path),
                format!(
                    "{path} is protected by {}, but no open {} is in the index for the commit to name: create one with `chg new`, or raise a change's class",
                    protection.glob,
                    protection.wants()
                ),
            );
        }
    }
}

/// The records of the index, read one at a time, the newest change first, until
/// one serves: a commit under a protected path usually goes with a recent change.
struct Candidates<'a> {
    store: &'a Store,
    staged: &'a Staged<'a>,
    /// The records the commit changes, parsed already.
    changed: &'a [&'a str],
    /// Names not read yet, the next to read last; listed only when the records seen
    /// do not serve, since listing them names every record of the index.
    pending: Option<Vec<&'a str>>,
    seen: Vec<ChangeRecord>,
}

impl Candidates<'_> {
    fn any(&mut self, serves: impl Fn(&ChangeRecord) -> bool) -> bool {
        if self.seen.iter().any(&serves) {
            return true;
        }
        let (staged, changed) = (self.staged, self.changed);
        let pending = self.pending.get_or_insert_with(|| {
            let all = staged.records_oldest_first().into_iter();
            all.filter(|name| !changed.contains(name)).collect()
        });
        while let Some(name) = pending.pop() {
            let (records, _) = self.staged.load(self.store, &[name]);
            for s in records {
                let hit = serves(&s.record);
                self.seen.push(s.record);
                if hit {
                    return true;
                }
            }
        }
        false
    }
}
