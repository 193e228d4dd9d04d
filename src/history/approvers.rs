//! Who approved each change in the register, with people as numbers: whether a
//! commit's author approved one of the changes it names is asked of every commit
//! that names one, and comparing email addresses there read text from all over
//! memory, a tenth of the time spent assembling a long history.

use super::intern::Email;
use crate::model::{ChangeId, ChangeKey};
use crate::store::Stored;
use std::collections::HashMap;

/// Who approved each change in the register.
#[derive(Default)]
pub struct Approvers {
    /// By change, the numbers of the people who approved it.
    by_change: HashMap<ChangeKey, Box<[u32]>>,
    /// Each approver's number, by their email as [`crate::model::record::same_email`]
    /// compares addresses: trimmed, in ASCII lower case.
    people: HashMap<String, u32>,
}

/// An email as [`crate::model::record::same_email`] compares it.
fn compared(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

impl Approvers {
    /// The approvers of every record.
    pub fn of(records: &[Stored]) -> Approvers {
        Approvers::from_approvals(records.iter().map(|s| {
            let by = s.record.approvals.iter().map(|a| a.by.as_str());
            (s.record.id.key(), by)
        }))
    }

    /// By change, who approved it; a change listed twice (two records of one ID)
    /// was approved by the people of both.
    fn from_approvals<'a, By: Iterator<Item = &'a str>>(
        approvals: impl Iterator<Item = (ChangeKey, By)>,
    ) -> Approvers {
        let mut approvers = Approvers::default();
        for (change, by) in approvals {
            let mut numbers: Vec<u32> = by.map(|email| approvers.number(email)).collect();
            if let Some(held) = approvers.by_change.remove(&change) {
                numbers.extend(held.iter());
            }
            approvers.by_change.insert(change, numbers.into());
        }
        approvers
    }

    /// The number of the person whose email is `email`, given one if new.
    fn number(&mut self, email: &str) -> u32 {
        let next = self.people.len() as u32;
        *self.people.entry(compared(email)).or_insert(next)
    }

    /// People as numbers for the commits of one history: each address a history
    /// holds once ([`super::intern`]) is looked up once.
    pub fn numbering(&self) -> Numbering<'_> {
        Numbering {
            approvers: self,
            known: HashMap::new(),
        }
    }
}

/// [`Approvers::numbering`].
pub struct Numbering<'a> {
    approvers: &'a Approvers,
    /// By the address of an interned email's text, the approver it is, if any.
    known: HashMap<usize, Option<u32>>,
}

impl Numbering<'_> {
    /// Whether anyone among `authors` (interned: who wrote and committed a commit)
    /// and `co_authors` approved one of `changes`.
    pub fn approved_any(
        &mut self,
        authors: [&Email; 2],
        co_authors: &[String],
        changes: &[ChangeId],
    ) -> bool {
        if changes.is_empty() {
            return false;
        }
        let people = &self.approvers.people;
        let mut who: Vec<u32> = Vec::new();
        for email in authors {
            // The facts being assembled hold each interned address throughout, so
            // no other email takes its place.
            let at = email.as_ptr() as usize;
            let number =
                *(self.known.entry(at)).or_insert_with(|| people.get(&compared(email)).copied());
            who.extend(number);
        }
        who.extend(
            co_authors
                .iter()
                .filter_map(|c| people.get(&compared(c)).copied()),
        );
        if who.is_empty() {
            return false;
        }
        changes.iter().any(|change| {
            (self.approvers.by_change.get(&change.key()))
                .is_some_and(|numbers| numbers.iter().any(|n| who.contains(n)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::intern;

    fn id(text: &str) -> ChangeId {
        text.parse().unwrap()
    }

    #[test]
    fn an_approver_is_found_as_emails_are_compared_among_authors_and_co_authors() {
        let (a, b, c) = (
            id("CHG-2026-0001"),
            id("CHG-2026-0002"),
            id("CHG-2026-0003"),
        );
        let approvals = [
            (a.key(), vec![" Lee@Example.com "]),
            (b.key(), vec!["kim@example.com"]),
            // A second record of the same ID.
            (a.key(), vec!["pat@example.com"]),
        ];
        let approvers =
            Approvers::from_approvals(approvals.iter().map(|(k, by)| (*k, by.iter().copied())));
        let mut numbering = approvers.numbering();
        let (lee, kim, nobody) = (
            intern::email("lee@example.com"),
            intern::email("KIM@example.com"),
            intern::email("ann@example.com"),
        );
        let mut asks = |authors: [&Email; 2], co: &[&str], changes: &[ChangeId]| {
            let co: Vec<String> = co.iter().map(|c| c.to_string()).collect();
            numbering.approved_any(authors, &co, changes)
        };
        assert!(
            asks([&lee, &nobody], &[], std::slice::from_ref(&a)),
            "author, trimmed, any case"
        );
        assert!(
            !asks([&lee, &nobody], &[], std::slice::from_ref(&b)),
            "approved another change"
        );
        assert!(
            asks([&nobody, &kim], &[], &[c.clone(), b.clone()]),
            "committer"
        );
        assert!(
            asks(
                [&nobody, &nobody],
                &["pat@example.com"],
                std::slice::from_ref(&a)
            ),
            "co-author, second record"
        );
        assert!(
            !asks([&nobody, &nobody], &["pat@example.com"], &[b]),
            "co-author of another"
        );
        assert!(!asks([&lee, &kim], &[], &[c]), "a change nobody approved");
        assert!(!asks([&lee, &kim], &[], &[]), "no change named");
        // Asked again, from what the numbering remembers of each address.
        assert!(asks([&lee, &nobody], &[], &[a]));
    }
}
