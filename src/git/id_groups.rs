//! A sorted list of ids found by their leading bits. Ids are hashes, so those bits
//! spread them evenly: knowing where the ids that start with each value of them
//! begin, a search reads only that group, about one id, where a binary search of the
//! whole list misses the processor's caches at every step. Groups made long on
//! purpose (ids ground to share their leading bits) are searched as the whole list
//! would be.

use super::CommitId;
use std::ops::Range;

#[derive(Debug)]
pub struct IdGroups {
    /// By the value of its leading `bits`, where a group starts in the list; one
    /// more at the end.
    starts: Vec<u32>,
    bits: u32,
}

impl IdGroups {
    /// The groups of `count` ids, sorted: about one id to a group, and at most 4 MiB
    /// of groups. A list holds fewer than 2^32 ids.
    pub fn of(count: usize, sorted: impl Iterator<Item = CommitId>) -> IdGroups {
        let bits = count.max(1).ilog2().min(20);
        let mut starts = vec![0; (1 << bits) + 1];
        for id in sorted {
            starts[group(&id, bits) + 1] += 1;
        }
        for at in 1..starts.len() {
            starts[at] += starts[at - 1];
        }
        IdGroups { starts, bits }
    }

    /// Where the ids that share `id`'s group are in the list.
    pub fn range(&self, id: &CommitId) -> Range<usize> {
        let at = group(id, self.bits);
        self.starts[at] as usize..self.starts[at + 1] as usize
    }
}

/// The group of `id`: its leading `bits` bits.
fn group(id: &CommitId, bits: u32) -> usize {
    id.leading().checked_shr(32 - bits).unwrap_or(0) as usize
}
