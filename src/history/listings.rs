//! The register's folders listed so far, at two depths. The last few used are kept
//! in order: consecutive commits mostly share them, and a diff reads an old and a
//! new version of one folder at once. Those put out of that list go into a larger
//! table by tree id, so that a folder read again much later (a change named by a
//! commit far from the one that last wrote its folder) is not read from git again.
//! A long history's commits name changes in hundreds of folders; with the short
//! list alone, most of those lookups read a folder from git.

use super::by_id::ById;
use crate::git::{Listing, ObjectId};

/// How many listings are kept in order of use: a commit and its parent each have the
/// records directory and, fanned out, a year's and a hundred's folder.
const RECENT: usize = 12;

/// How many entries the table of older listings has.
const OLDER: usize = 4096;

/// The largest listing the table of older listings keeps, in bytes: a folder of a
/// fanned-out register holds a hundred records, under 5 KiB. Larger folders (a
/// year's folder of hundreds of folders, a flat register's directory of
/// thousands of records) are asked again mostly at their newest version, which
/// the recent ones hold. So the table holds at most 32 MiB of trees (and their
/// indexes, a tenth more), and usually a few.
const OLDER_SIZE: usize = 8 << 10;

pub struct Listings {
    /// The listings used last, the one used last at the end.
    recent: Vec<(ObjectId, Listing)>,
    /// Listings put out of `recent`, when small enough.
    older: ById<Listing>,
}

impl Default for Listings {
    fn default() -> Listings {
        Listings {
            recent: Vec::new(),
            older: ById::new(OLDER, OLDER),
        }
    }
}

impl Listings {
    /// Where the listing of `tree` is, now the one used last; `None` when it is not
    /// held.
    pub fn find(&mut self, tree: ObjectId) -> Option<usize> {
        match self.recent.iter().position(|(id, _)| *id == tree) {
            Some(at) => {
                let used = self.recent.remove(at);
                self.recent.push(used);
                Some(self.recent.len() - 1)
            }
            None => {
                let found = self.older.take(&tree)?;
                Some(self.add(tree, found))
            }
        }
    }

    /// Makes room for a listing about to be read, and gives the bytes of one put
    /// out, for it to be read into: a large tree read thousands of times is not
    /// allocated afresh each time.
    pub fn room(&mut self) -> Vec<u8> {
        if self.recent.len() < RECENT {
            return Vec::new();
        }
        let (id, listing) = self.recent.remove(0);
        self.keep_older(id, listing)
            .map(Listing::into_data)
            .unwrap_or_default()
    }

    /// Adds the listing of `tree` as the one used last; where it is.
    pub fn add(&mut self, tree: ObjectId, listing: Listing) -> usize {
        self.room();
        self.recent.push((tree, listing));
        self.recent.len() - 1
    }

    /// The listing at `at`.
    pub fn get(&self, at: usize) -> &Listing {
        &self.recent[at].1
    }

    /// The listing used last.
    pub fn last(&self) -> Option<&Listing> {
        self.recent.last().map(|(_, listing)| listing)
    }

    /// Puts a listing into the table of older ones, when it is small enough; gives
    /// back the one it took the place of, or itself when too large.
    fn keep_older(&mut self, id: ObjectId, mut listing: Listing) -> Option<Listing> {
        if listing.size() > OLDER_SIZE {
            return Some(listing);
        }
        // Read into the room of a larger one, it would hold that room in the table.
        listing.shrink_to_fit();
        self.older.put(id, listing).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An id of 20 bytes `n`.
    fn filled(n: u8) -> ObjectId {
        format!("{n:02x}").repeat(20).parse().unwrap()
    }

    /// A tree numbered `n` (its id's first bytes, so that each has its own entry in
    /// the table) of one file of a name `size` long, the file's id filled with `n`.
    fn tree(n: u16, size: usize) -> (ObjectId, Listing) {
        let name = "f".repeat(size.max(1));
        let mut data = format!("100644 {name}\0").into_bytes();
        data.extend_from_slice(&[n as u8; 20]);
        (crate::history::by_id::tests::id_at(n), Listing::new(data))
    }

    fn read(listings: &mut Listings, (id, listing): (ObjectId, Listing)) {
        listings.room();
        listings.add(id, listing);
    }

    #[test]
    fn listings_put_out_of_the_recent_ones_are_found_again() {
        let mut listings = Listings::default();
        for n in 0..100 {
            read(&mut listings, tree(n, 10));
        }
        // The first of them left the recent ones long ago, and is still held.
        let (first, _) = tree(0, 10);
        let at = listings
            .find(first)
            .expect("held in the table of older ones");
        assert_eq!(at, RECENT - 1, "now the one used last");
        assert!(listings.get(at).find("ffffffffff", false).is_some());
        // A recent one is found where it is, and becomes the one used last.
        let (recent, _) = tree(95, 10);
        assert_eq!(listings.find(recent), Some(RECENT - 1));
        let (never, _) = tree(500, 10);
        assert!(listings.find(never).is_none());
    }

    #[test]
    fn a_listing_too_large_is_not_kept_once_out_of_the_recent_ones() {
        let mut listings = Listings::default();
        let big = OLDER_SIZE + 1;
        read(&mut listings, tree(0, big));
        for n in 1..=RECENT as u16 {
            read(&mut listings, tree(n, 10));
        }
        assert!(listings.find(tree(0, big).0).is_none());
        assert!(listings.find(tree(1, 10).0).is_some());
    }

    #[test]
    fn a_listing_read_into_the_room_of_a_larger_one_is_kept_at_its_own_size() {
        let mut listings = Listings::default();
        let (id, small) = tree(0, 10);
        let mut room = Vec::with_capacity(1 << 20);
        room.extend_from_slice(&small.into_data());
        listings.add(id, Listing::new(room));
        for n in 1..=RECENT as u16 {
            read(&mut listings, tree(n, 10));
        }
        let at = listings.find(id).expect("kept in the table of older ones");
        assert!(
            listings.get(at).room() < 1 << 10,
            "{}",
            listings.get(at).room()
        );
    }

    #[test]
    fn a_diff_finds_the_two_versions_it_read_last_side_by_side() {
        let mut listings = Listings::default();
        for n in 0..40 {
            read(&mut listings, tree(n, 10));
        }
        // An old version from the table and a new one read now: the new one is the
        // last, and the old one just before it.
        let entry = |listings: &Listings, at: usize| {
            (listings.get(at).find("ffffffffff", false)).map(|e| e.id)
        };
        assert!(listings.find(tree(3, 10).0).is_some());
        listings.room();
        let new = listings.add(tree(41, 10).0, tree(41, 10).1);
        assert_eq!(new, RECENT - 1);
        assert_eq!(entry(&listings, new), Some(filled(41)));
        assert_eq!(entry(&listings, new - 1), Some(filled(3)));
    }
}
