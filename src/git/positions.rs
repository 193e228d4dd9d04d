//! Where each commit of a walk is in it, found by id: sorted by id and found through
//! their leading bits ([`IdGroups`]), which holds a million commits in 24 MB where a
//! hash map takes twice that; 32 bits hold any history's length. Searching the whole
//! list for every parent took over half a second at a million commits.

use super::id_groups::IdGroups;
use super::CommitId;

#[derive(Debug)]
pub struct Positions {
    ids: Vec<(CommitId, u32)>,
    groups: IdGroups,
}

impl Positions {
    /// Where each of `ids` is among them, in walk order.
    pub fn of(ids: impl Iterator<Item = CommitId>) -> Positions {
        let mut ids: Vec<_> = (ids.enumerate()).map(|(i, id)| (id, i as u32)).collect();
        ids.sort_unstable();
        let groups = IdGroups::of(ids.len(), ids.iter().map(|(id, _)| *id));
        Positions { ids, groups }
    }

    /// Where `id` is in the walk, if it is in it.
    pub fn get(&self, id: &CommitId) -> Option<u32> {
        let ids = &self.ids[self.groups.range(id)];
        let at = ids.binary_search_by(|(c, _)| c.cmp(id)).ok()?;
        Some(ids[at].1)
    }

    /// Each commit with its place in the walk, by id: for a pass beside another
    /// sorted list, which reads both in order where looking each commit up misses
    /// the processor's caches.
    pub fn sorted(&self) -> &[(CommitId, u32)] {
        &self.ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(hex: &str) -> CommitId {
        format!("{hex:0<40}").parse().unwrap()
    }

    #[test]
    fn every_commit_is_found_by_its_group_and_no_other() {
        // Ids spread as hashes are, and then a group of ids sharing their first four
        // bytes, as ids ground to collide would.
        let spread = (0..3000u32).map(|n| {
            let hex = crate::model::digest::hex(&n.wrapping_mul(2_654_435_761).to_be_bytes());
            id(&format!("{hex}{n:08x}"))
        });
        let ground = (0..500u32).map(|n| id(&format!("abcdef01{n:08x}")));
        let ids: Vec<CommitId> = spread.chain(ground).collect();
        let positions = Positions::of(ids.iter().copied());
        for (at, id) in ids.iter().enumerate() {
            assert_eq!(positions.get(id), Some(at as u32), "{id}");
        }
        for absent in [
            id("00000000ffffffff"),
            id("ffffffff00000001"),
            id("abcdef01ffffffff"),
            id("abcdef00"),
        ] {
            assert_eq!(positions.get(&absent), None, "{absent}");
        }
        for few in 0..3 {
            let positions = Positions::of(ids.iter().copied().take(few));
            for (at, id) in ids.iter().enumerate() {
                assert_eq!(positions.get(id), (at < few).then_some(at as u32));
            }
        }
    }
}
