//! A table of values by object id, where each takes the place of whichever held its
//! entry before: ids are hashes, so their first bytes spread them evenly without
//! hashing again, and a table of fixed room holds the same few megabytes however
//! long the history. It starts small and doubles whenever an eighth of it has been
//! filled since it last grew, up to its bound: a check of a few commits does not
//! touch megabytes it never uses, and has room enough that few are put out.

use crate::git::ObjectId;

pub struct ById<T> {
    table: Vec<Option<(ObjectId, T)>>,
    /// How many values were put since the table last grew.
    put: usize,
    /// How many entries it has at first, and at most.
    first: usize,
    most: usize,
}

impl<T> ById<T> {
    /// A table of `first` entries when first put into, growing to `most`.
    pub fn new(first: usize, most: usize) -> ById<T> {
        ById {
            table: Vec::new(),
            put: 0,
            first,
            most,
        }
    }

    /// The value held for `id`.
    pub fn get(&mut self, id: &ObjectId) -> Option<&mut T> {
        let at = self.at(id)?;
        match &mut self.table[at] {
            Some((held, value)) if held == id => Some(value),
            _ => None,
        }
    }

    /// The value held for `id`, no longer held.
    pub fn take(&mut self, id: &ObjectId) -> Option<T> {
        let at = self.at(id)?;
        let (_, value) = self.table[at].take_if(|(held, _)| held == id)?;
        Some(value)
    }

    /// Holds `value` for `id`; gives back the value it took the place of, if any.
    pub fn put(&mut self, id: ObjectId, value: T) -> (&mut T, Option<T>) {
        self.put += 1;
        if self.table.is_empty()
            || (self.put > self.table.len() / 8 && self.table.len() < self.most)
        {
            self.grow();
        }
        let at = id.spread() % self.table.len();
        let put_out = self.table[at].take().map(|(_, value)| value);
        (&mut self.table[at].insert((id, value)).1, put_out)
    }

    /// How many entries it has.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    fn at(&self, id: &ObjectId) -> Option<usize> {
        (!self.table.is_empty()).then(|| id.spread() % self.table.len())
    }

    /// Makes the table, or doubles it. An entry at `n` moves to `n` or `n + len`,
    /// so none is lost: what the smaller table held, the larger still holds.
    fn grow(&mut self) {
        let len = match self.table.len() {
            0 => self.first,
            len => len * 2,
        };
        let mut table = Vec::with_capacity(len);
        table.resize_with(len, || None);
        for (id, value) in std::mem::take(&mut self.table).into_iter().flatten() {
            table[id.spread() % len] = Some((id, value));
        }
        (self.table, self.put) = (table, 0);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An id whose `spread()` is `n`: each has its own entry in a table this large.
    pub fn id_at(n: u16) -> ObjectId {
        let [low, high] = n.to_le_bytes();
        format!("{low:02x}{high:02x}{}", "0".repeat(36))
            .parse()
            .unwrap()
    }

    const FIRST: usize = 1 << 10;
    const MOST: usize = 1 << 16;

    #[test]
    fn the_table_keeps_what_it_held_as_it_grows() {
        let mut table = ById::new(FIRST, MOST);
        let ids: Vec<ObjectId> = (0..3000).map(id_at).collect();
        assert!(table.get(&ids[0]).is_none(), "an empty table holds nothing");
        for (n, id) in ids.iter().enumerate() {
            table.put(*id, n);
            // None of these ids shares a place with another in a table this large,
            // so every one put so far is still held, whatever growing moved.
            assert!(table.len() > n, "the table grows ahead of what it holds");
            let lost = ids[..=n]
                .iter()
                .filter(|id| table.get(id).is_none())
                .count();
            assert_eq!(lost, 0, "after {} puts, at {} places", n + 1, table.len());
        }
        assert!(table.len() <= MOST);
    }

    #[test]
    fn the_table_stops_growing_at_its_bound() {
        let mut table = ById::new(FIRST, MOST);
        for n in 0..=u16::MAX {
            table.put(id_at(n), n);
        }
        assert_eq!(table.len(), MOST);
        // The same places, as ids with other high bytes: they take them over.
        let other: ObjectId = format!("0000ff{}", "0".repeat(34)).parse().unwrap();
        assert_eq!(table.put(other, 7).1, Some(0), "gives back what it put out");
        assert_eq!(table.len(), MOST);
        assert!(table.get(&other).is_some() && table.get(&id_at(0)).is_none());
    }

    #[test]
    fn a_value_taken_is_no_longer_held() {
        let mut table = ById::new(4, 4);
        table.put(id_at(1), "one");
        assert_eq!(table.take(&id_at(2)), None);
        assert_eq!(table.take(&id_at(1)), Some("one"));
        assert!(table.get(&id_at(1)).is_none());
    }
}
