//! Who approved each change in the register, with people as numbers. Whether a
//! commit's author approved a change it names is asked of every commit that names
//! one; comparing email text there read strings from all over memory, a tenth of
//! the time spent assembling a long history.

use super::intern::Email;
use crate::model::record::email_key;
use crate::model::{ChangeId, ChangeKey};
use crate::store::Stored;
use std::collections::HashMap;

/// Who approved each change in the register.
#[derive(Default)]
pub struct Approvers {
    /// By change, the numbers of the people who approved it.
    by_change: HashMap<ChangeKey, Vec<u32>>,
    /// Each approver's number, by [`email_key`].
    people: HashMap<String, u32>,
}

impl Approvers {
    /// The approvers of every record.
    pub fn of(records: &[Stored]) -> Approvers {
        let mut approvers = Approvers::default();
        for s in records {
            let by = s.record.approvals.iter().map(|a| a.by.as_str());
            approvers.add(s.record.id.key(), by);
        }
        approvers
    }

    /// Adds who approved `change`: a change added twice (two records of one ID) was
    /// approved by the people of both.
    fn add<'a>(&mut self, change: ChangeKey, by: impl Iterator<Item = &'a str>) {
        for email in by {
            let next = self.people.len() as u32;
            let number = *self.people.entry(email_key(email)).or_insert(next);
            self.by_change.entry(change).or_default().push(number);
        }
    }

    /// Asks [`Numbering::approved_any`] of the commits of one history.
    pub fn numbering(&self) -> Numbering<'_> {
        Numbering {
            approvers: self,
            known: HashMap::new(),
        }
    }
}

/// The approvers, with what each commit email of a history was found to be: a
/// history holds each email once ([`super::intern`]) for hundreds of thousands of
/// commits, so each is looked up once, by where its text is.
pub struct Numbering<'a> {
    approvers: &'a Approvers,
    /// By the address of an email's text: the email, held so that no other takes
    /// that address while it is known here, and the approver it is, if any.
    known: HashMap<usize, (Email, Option<u32>)>,
}

impl Numbering<'_> {
    /// Whether anyone among `authors` (who wrote and who committed a commit) and
    /// `co_authors` approved one of `changes`.
    pub fn approved_any(
        &mut self,
        authors: [&Email; 2],
        co_authors: &[String],
        changes: &[ChangeId],
    ) -> bool {
        let approved = |change: &ChangeId| self.approvers.by_change.get(&change.key());
        if !changes.iter().any(|c| approved(c).is_some()) {
            return false;
        }
        let people = &self.approvers.people;
        let mut who: Vec<u32> = Vec::new();
        for email in authors {
            let (_, number) = (self.known)
                .entry(email.as_ptr() as usize)
                .or_insert_with(|| (email.clone(), people.get(&email_key(email)).copied()));
            who.extend(*number);
        }
        who.extend(
            co_authors
                .iter()
                .filter_map(|c| people.get(&email_key(c)).copied()),
        );
        // A message may name one co-author thousands of times: each is sought once.
        who.sort_unstable();
        who.dedup();
        (!who.is_empty())
            && changes
                .iter()
                .filter_map(approved)
                .any(|numbers| numbers.iter().any(|n| who.binary_search(n).is_ok()))
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
        let mut approvers = Approvers::default();
        approvers.add(a.key(), [" Lee@Example.com "].into_iter());
        approvers.add(b.key(), ["kim@example.com"].into_iter());
        // A second record of the same ID.
        approvers.add(a.key(), ["pat@example.com"].into_iter());
        let mut numbering = approvers.numbering();
        let people: HashMap<&str, Email> = [
            ("lee", "lee@example.com"),
            ("kim", "KIM@example.com"),
            ("spaced", " LEE@example.com "),
            ("ann", "ann@example.com"),
        ]
        .map(|(name, email)| (name, intern::email(email)))
        .into();
        let ids = [a, b, c];
        // Author, committer, co-author, the changes named (by number), the answer, why.
        let cases = [
            ("lee", "ann", "", "1", true, "author, trimmed, any case"),
            ("lee", "ann", "", "2", false, "approved another change"),
            ("ann", "kim", "", "32", true, "committer"),
            ("ann", "spaced", "", "1", true, "committer, trimmed"),
            (
                "ann",
                "ann",
                "pat@example.com",
                "1",
                true,
                "co-author, second record",
            ),
            (
                "ann",
                "ann",
                " PAT@example.com",
                "1",
                true,
                "co-author, trimmed",
            ),
            (
                "ann",
                "ann",
                "pat@example.com",
                "2",
                false,
                "co-author of another",
            ),
            ("lee", "kim", "", "3", false, "a change nobody approved"),
            ("lee", "kim", "", "", false, "no change named"),
            ("lee", "ann", "", "1", true, "author again, as remembered"),
        ];
        for (author, committer, co, named, expected, why) in cases {
            let co: Vec<String> = (!co.is_empty())
                .then(|| co.to_string())
                .into_iter()
                .collect();
            let changes: Vec<ChangeId> = (named.bytes())
                .map(|n| ids[usize::from(n - b'1')].clone())
                .collect();
            let authors = [&people[author], &people[committer]];
            assert_eq!(
                numbering.approved_any(authors, &co, &changes),
                expected,
                "{why}"
            );
        }
    }

    #[test]
    fn only_ascii_letters_differ_by_case_and_a_blank_email_is_one_email() {
        let (a, b) = (id("CHG-2026-0001"), id("CHG-2026-0002"));
        let mut approvers = Approvers::default();
        approvers.add(a.key(), ["\u{e9}@example.com"].into_iter());
        approvers.add(b.key(), [""].into_iter());
        let mut numbering = approvers.numbering();
        let (upper, blank) = (intern::email("\u{c9}@example.com"), Email::default());
        assert!(!numbering.approved_any([&upper, &upper], &[], std::slice::from_ref(&a)));
        // A blank author read from the cache file is not the interned one.
        for blank in [&blank, &intern::email("")] {
            assert!(numbering.approved_any([blank, &upper], &[], std::slice::from_ref(&b)));
        }
    }
}
