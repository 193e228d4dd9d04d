//! Trees read as git stores them: `<mode> <name>\0<20-byte id>`, sorted. A register of
//! thousands of records is one flat tree, read again at every commit that changes
//! it; libgit2's parse builds an allocated entry for each of its files every time,
//! while what a check asks (one entry, or the few that differ) needs one pass over
//! the bytes.

use super::ObjectId;
use std::cmp::Ordering;

/// One entry of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub name: &'a [u8],
    pub id: ObjectId,
    /// As git reads it, in octal; 0 when it is not a number.
    pub mode: u32,
    pub is_tree: bool,
    /// What it is when it is neither a regular file nor a tree: a link's target or a
    /// submodule's commit is never read as a file's content.
    pub irregular: Option<&'static str>,
}

impl<'a> Entry<'a> {
    /// An entry that is only a name and whether it is a tree: what git's order of
    /// entries reads, to find where a name sorts.
    pub(super) fn probe(name: &'a [u8], is_tree: bool) -> Entry<'a> {
        Entry {
            name,
            id: ObjectId::NONE,
            mode: 0,
            is_tree,
            irregular: None,
        }
    }

    /// Git's order of entries: by name, a directory's name read with a `/` after it.
    pub(super) fn order(&self, other: &Entry) -> Ordering {
        let end = |e: &Entry| if e.is_tree { b'/' } else { 0 };
        let common = self.name.len().min(other.name.len());
        self.name[..common]
            .cmp(&other.name[..common])
            .then_with(|| {
                let next = |e: &Entry| e.name.get(common).copied().unwrap_or_else(|| end(e));
                next(self).cmp(&next(other))
            })
            .then_with(|| self.name.len().cmp(&other.name.len()))
    }
}

/// An entry's fields as bytes: mode, name, id.
type Fields<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// The fields of each entry, in order; a malformed tail ends the list.
fn fields(data: &[u8]) -> impl Iterator<Item = Fields<'_>> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let space = rest.iter().position(|&b| b == b' ')?;
        // A register's tree is tens of thousands of names: memchr finds each end fastest.
        let nul = space + memchr::memchr(0, &rest[space..])?;
        let id = rest.get(nul + 1..nul + 21)?;
        let fields = (&rest[..space], &rest[space + 1..nul], id);
        rest = &rest[nul + 21..];
        Some(fields)
    })
}

/// The bits of a mode that say what kind of entry it is, as in `stat`.
const S_IFMT: u32 = 0o170000;

/// A mode read as a number, as git does: a zero-padded `040000` is still a
/// directory, and a tree that hides one behind it must not hide the files below.
/// Plain octal digits (every mode git writes) are read directly: a search by name
/// reads a mode at every step.
fn mode_of(mode: &[u8]) -> u32 {
    if (1..=10).contains(&mode.len()) && mode.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return (mode.iter()).fold(0, |m, b| (m << 3) | u32::from(b - b'0'));
    }
    std::str::from_utf8(mode)
        .ok()
        .and_then(|m| u32::from_str_radix(m, 8).ok())
        .unwrap_or(0)
}

fn is_tree_mode(mode: u32) -> bool {
    mode & S_IFMT == 0o40000
}

fn entry<'a>((mode, name, id): Fields<'a>) -> Option<Entry<'a>> {
    let mode = mode_of(mode);
    Some(Entry {
        name,
        id: ObjectId::from_bytes(id)?,
        mode,
        is_tree: is_tree_mode(mode),
        irregular: match mode & S_IFMT {
            0o40000 | 0o100000 => None,
            0o120000 => Some("a symbolic link"),
            0o160000 => Some("a submodule"),
            _ => Some("not a regular file"),
        },
    })
}

/// A mode as git compares it: any regular file is 100644 or 100755 by its owner's
/// execute bit, and a mode of no known kind is a submodule's. A tree written with
/// 100664 says nothing more than one with 100644, and `git diff-tree` agrees.
pub fn canonical(mode: u32) -> u32 {
    match mode & S_IFMT {
        0o100000 if mode & 0o100 != 0 => 0o100755,
        0o100000 => 0o100644,
        kind @ (0o120000 | 0o40000) => kind,
        _ => 0o160000,
    }
}

/// The entries of a tree's bytes, in order; a malformed tail ends the list.
pub fn entries(data: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    fields(data).map_while(entry)
}

/// The entry named `name` (see [`find_each`]).
pub fn find<'a>(data: &'a [u8], name: &[u8]) -> Option<Entry<'a>> {
    let [found] = find_each(data, [name]);
    found
}

/// The first entry named each of `names`, wherever it is, in one reading of the
/// tree: every commit's root tree is searched for several names. Names are compared
/// before anything else is read.
pub fn find_each<'a, const N: usize>(data: &'a [u8], names: [&[u8]; N]) -> [Option<Entry<'a>>; N] {
    let mut found = [None; N];
    let mut missing = N;
    for fields in fields(data) {
        if missing == 0 {
            break;
        }
        for (name, slot) in names.iter().zip(&mut found) {
            if slot.is_none() && fields.1 == *name {
                *slot = Some(fields);
                missing -= 1;
            }
        }
    }
    found.map(|f| f.and_then(entry))
}

/// Where each entry of `data` starts, reading from offset `from`, itself a start.
fn starts_from(data: &[u8], from: usize) -> impl Iterator<Item = u32> + '_ {
    // Each entry starts at its mode: its offset in `data`, not its layout restated.
    let base = data.as_ptr() as usize;
    fields(&data[from..]).map(move |(mode, _, _)| (mode.as_ptr() as usize - base) as u32)
}

/// A tree read once for many lookups by name: where each entry starts, for a binary
/// search over git's order.
pub struct Listing {
    data: Vec<u8>,
    starts: Vec<u32>,
}

impl Listing {
    pub fn new(data: Vec<u8>) -> Listing {
        Listing::beside(data, None)
    }

    /// The listing of `data`, found beside `near`, the listing of another tree —
    /// usually the version before, of the same directory: the entries the two share
    /// at either end are taken from `near`, and only those between are read.
    pub fn beside(data: Vec<u8>, near: Option<&Listing>) -> Listing {
        let Some(near) = near else {
            let starts = starts_from(&data, 0).collect();
            return Listing { data, starts };
        };
        // Entries wholly before the first differing byte start where they did (the
        // one it falls in is read again); an entry read from an offset whose bytes
        // to the end are `near`'s from an entry of its, shifted, is followed by that
        // entry's followers, shifted.
        let prefix = common_prefix(&near.data, &data);
        let first = near.starts.partition_point(|&s| s as usize <= prefix);
        let first = first.saturating_sub(1);
        let from = near.starts.get(first).map_or(0, |&s| s as usize);
        let tail = data.len() - common_suffix(&near.data[from..], &data[from..]);
        let shift = data.len() as i64 - near.data.len() as i64;
        let shifted = |s: u32| (s as i64 + shift) as u32;
        let mut starts = near.starts[..first].to_vec();
        for start in starts_from(&data, from) {
            let was = start as i64 - shift;
            let follows = (start as usize >= tail)
                .then(|| near.starts.binary_search(&(was as u32)).ok())
                .flatten();
            if let Some(j) = follows {
                starts.extend(near.starts[j..].iter().map(|&s| shifted(s)));
                break;
            }
            starts.push(start);
        }
        Listing { data, starts }
    }

    /// The bytes it was read from, for the next listing to be read into.
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }

    /// How many bytes the tree takes.
    pub fn size(&self) -> usize {
        self.data.len()
    }

    /// Gives back the room it holds beyond its bytes and its index: read into the
    /// room of a larger tree, it may hold much more.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
        self.starts.shrink_to_fit();
    }

    /// The room its bytes take.
    #[cfg(test)]
    pub fn room(&self) -> usize {
        self.data.capacity()
    }

    /// The id of the file named `name`.
    pub fn file(&self, name: &str) -> Option<String> {
        self.find(name, false).map(|e| e.id.to_string())
    }

    /// The entry named `name` that is a tree (`tree`) or anything else: git orders
    /// the two apart, so each is searched for as what it is.
    pub fn find(&self, name: &str, tree: bool) -> Option<Entry<'_>> {
        let probe = Entry::probe(name.as_bytes(), tree);
        let fields_at = |start: u32| fields(&self.data[start as usize..]).next();
        // Each step compares names only: the rest of an entry is read once found.
        let i = (self.starts)
            .binary_search_by(|&start| match fields_at(start) {
                Some((mode, name, _)) => {
                    Entry::probe(name, is_tree_mode(mode_of(mode))).order(&probe)
                }
                None => Ordering::Greater,
            })
            .ok()?;
        fields_at(self.starts[i])
            .and_then(entry)
            .filter(|e| e.is_tree == tree)
    }
}

/// What differs between two trees: `(old, new)`, either missing where the name is
/// only on one side.
pub type Changes<'a> = Vec<(Option<Entry<'a>>, Option<Entry<'a>>)>;

impl Listing {
    /// Where entry `i` starts, or the end of the data after the last.
    fn start(&self, i: usize) -> usize {
        self.starts.get(i).map_or(self.data.len(), |&s| s as usize)
    }

    /// [`diff`] of two listed trees. Consecutive versions of a register differ in a
    /// few records out of thousands: the bytes they share at either end are compared
    /// whole, and only the entries between are read.
    pub fn diff<'a>(old: Option<&'a Listing>, new: &'a Listing) -> Changes<'a> {
        let Some(old) = old else {
            return diff(&[], &new.data);
        };
        // Entries before the first differing byte start at the same offsets in both,
        // since both were read from offset 0 over the same bytes.
        let prefix = common_prefix(&old.data, &new.data);
        let first = old.starts.partition_point(|&s| s as usize <= prefix);
        let first = first.saturating_sub(1);
        let from = old.start(first);
        // From the end: an old entry wholly inside the shared tail, whose offset shifted
        // by the difference in length is also an entry start in the new tree, begins a
        // run of equal entries to the end.
        let suffix = common_suffix(&old.data[from..], &new.data[from..]);
        let shift = new.data.len() as i64 - old.data.len() as i64;
        let tail = old.data.len() - suffix;
        let last = (old.starts.partition_point(|&s| (s as usize) < tail)..old.starts.len())
            .map(|j| (j, (old.starts[j] as i64 + shift) as u32))
            .find(|&(_, at)| new.starts.binary_search(&at).is_ok());
        let (old_end, new_end) = match last {
            Some((j, at)) => (old.start(j), at as usize),
            None => (old.data.len(), new.data.len()),
        };
        diff(&old.data[from..old_end], &new.data[from..new_end])
    }
}

/// Bytes compared at once while two trees agree: slices compare as `memcmp`.
const BLOCK: usize = 512;

/// How many leading bytes `a` and `b` share.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + (a[i..n].iter().zip(&b[i..n]))
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many trailing bytes `a` and `b` share.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    i + (a[..n - i].iter().rev().zip(b[..n - i].iter().rev()))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Entries that differ between two trees: `(old, new)`, either missing where the
/// name is only on one side. Equal ids are skipped without reading further; a
/// file's mode alone (its executable bit) is no change to what it holds.
pub fn diff<'a>(old: &'a [u8], new: &'a [u8]) -> Changes<'a> {
    diff_by(old, new, |o, n| {
        (o.id, o.is_tree, o.irregular) == (n.id, n.is_tree, n.irregular)
    })
}

/// [`diff`], with entries of the same name that `same` finds equal skipped.
pub fn diff_by<'a>(
    old: &'a [u8],
    new: &'a [u8],
    same: impl Fn(&Entry, &Entry) -> bool,
) -> Changes<'a> {
    let (mut old, mut new) = (entries(old).peekable(), entries(new).peekable());
    let mut changed = Vec::new();
    loop {
        let side = match (old.peek(), new.peek()) {
            (None, None) => return changed,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(o), Some(n)) => o.order(n),
        };
        match side {
            Ordering::Less => changed.push((old.next(), None)),
            Ordering::Greater => changed.push((None, new.next())),
            Ordering::Equal => {
                let (o, n) = (old.next(), new.next());
                if !o.zip(n).is_some_and(|(o, n)| same(&o, &n)) {
                    changed.push((o, n));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut data = Vec::new();
        for (mode, name, fill) in entries {
            data.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            data.extend_from_slice(&[*fill; 20]);
        }
        data
    }

    #[test]
    fn reads_entries_and_finds_by_name() {
        let data = tree(&[("100644", "a.yaml", 1), ("40000", "sub", 2)]);
        let all: Vec<_> = entries(&data).collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].name, b"sub");
        assert!(all[1].is_tree && !all[0].is_tree);
        assert_eq!(
            find(&data, b"a.yaml").unwrap().id,
            ObjectId::from_bytes(&[1; 20]).unwrap()
        );
        assert!(find(&data, b"a").is_none());
        assert_eq!(
            entries(&data[..data.len() - 1]).count(),
            1,
            "a cut entry is dropped"
        );
    }

    #[test]
    fn modes_are_read_as_numbers_whatever_digits_they_are_written_with() {
        let by_text = |m: &str| u32::from_str_radix(m, 8).unwrap_or(0);
        for mode in [
            "100644",
            "100755",
            "40000",
            "040000",
            "0000000040000",
            "160000",
            "120000",
            "100664",
            "7777777777",
            "37777777777",
            "77777777777",
            "+100644",
            "-1",
            "8",
            "1006a4",
            "",
            " ",
            "0",
        ] {
            assert_eq!(mode_of(mode.as_bytes()), by_text(mode), "mode `{mode}`");
        }
    }

    #[test]
    fn a_listing_finds_entries_by_binary_search_in_git_order() {
        // git sorts a folder as its name with a `/` after it: `a` (folder) after
        // `a-b`, `a.b` and `a.yaml`, before `a0`.
        let data = tree(&[
            ("100644", "a-b", 1),
            ("100644", "a.b", 2),
            ("100644", "a.yaml", 6),
            ("40000", "a", 3),
            ("100644", "a0", 4),
            ("0100644", "b", 5),
        ]);
        let listing = Listing::new(data);
        let id = |fill: u8| ObjectId::from_bytes(&[fill; 20]).unwrap();
        let found = [
            ("a-b", false, 1),
            ("a.b", false, 2),
            ("a.yaml", false, 6),
            ("a", true, 3),
            ("a0", false, 4),
        ];
        for (name, tree, fill) in found {
            let at = listing.find(name, tree).map(|e| e.id);
            assert_eq!(at, Some(id(fill)), "{name}");
        }
        assert_eq!(listing.file("a.yaml"), Some(id(6).to_string()));
        assert_eq!(listing.find("b", false).map(|e| e.mode), Some(0o100644));
        assert!(listing.find("a", false).is_none(), "a folder is not a file");
        assert!(listing.find("a0", true).is_none(), "a file is not a folder");
        assert!(listing.find("c", false).is_none());
        assert!(listing.find("a.c", false).is_none());
    }

    #[test]
    fn names_found_in_one_reading_are_those_found_one_at_a_time() {
        // Out of git's order and with a name twice, as a hand-made tree may be: the
        // first entry of each name is found, wherever it is, as a plain scan for
        // that one name finds it.
        let scan = |data, name: &[u8]| fields(data).find(|(_, n, _)| *n == name).and_then(entry);
        let data = tree(&[
            ("100644", "z", 1),
            ("40000", ".changes", 2),
            ("100644", ".changes.toml", 3),
            ("100644", "z", 4),
        ]);
        let names: [&[u8]; 4] = [b".changes", b"z", b"missing", b".changes.toml"];
        let each = find_each(&data, names);
        for (name, found) in names.iter().zip(each) {
            assert_eq!(
                found,
                scan(&data, name),
                "{}",
                String::from_utf8_lossy(name)
            );
            assert_eq!(find(&data, name), found);
        }
        assert_eq!(each[1].map(|e| e.id), ObjectId::from_bytes(&[1; 20]));
        assert!(each[2].is_none());
        assert_eq!(
            find_each(&data, [b"z", b"z"]).map(|e| e.is_some()),
            [true, true]
        );
        assert_eq!(find_each(&[], [b"z"]), [None]);
    }

    /// A register's tree of records numbered `n`, each with its own fill byte. The
    /// names vary in length, so entries shift when one is added or removed.
    fn register(records: &[(u32, u8)]) -> Vec<u8> {
        let mut names: Vec<_> = records
            .iter()
            .map(|(n, fill)| (format!("CHG-2026-{n}.yaml"), *fill))
            .collect();
        names.sort();
        let entries: Vec<_> = names
            .iter()
            .map(|(name, fill)| ("100644", name.as_str(), *fill))
            .collect();
        tree(&entries)
    }

    #[test]
    fn a_listing_diff_skips_what_both_ends_share_and_finds_the_same_changes() {
        let base: Vec<(u32, u8)> = (0..200).map(|n| (n * 2, (n % 7) as u8)).collect();
        let mut cases = vec![base.clone()];
        for at in [0, 1, 57, 198, 199] {
            let mut changed = base.clone();
            changed[at].1 = 99;
            cases.push(changed);
            let mut removed = base.clone();
            removed.remove(at);
            cases.push(removed);
            let mut added = base.clone();
            added.insert(at + 1, (at as u32 * 2 + 1, 42));
            cases.push(added);
        }
        // Two edits far apart, and an edit that moves no byte (same length).
        let mut two = base.clone();
        two[3].1 = 50;
        two[150].1 = 51;
        cases.push(two);
        cases.push(Vec::new());
        let plain = |old: &[u8], new: &[u8]| format!("{:?}", diff(old, new));
        for old in &cases {
            for new in &cases {
                let (old, new) = (register(old), register(new));
                let listings = (Listing::new(old.clone()), Listing::new(new.clone()));
                let listed = Listing::diff(Some(&listings.0), &listings.1);
                assert_eq!(format!("{listed:?}"), plain(&old, &new));
            }
            let new = register(old);
            let listing = Listing::new(new.clone());
            assert_eq!(
                format!("{:?}", Listing::diff(None, &listing)),
                plain(&[], &new)
            );
        }
    }

    #[test]
    fn diff_reports_added_removed_and_changed_in_git_order() {
        // Git sorts the directory `a` as `a/`, after the file `a.yaml`.
        let old = tree(&[
            ("100644", "a.yaml", 1),
            ("40000", "a", 2),
            ("100644", "c", 3),
        ]);
        let new = tree(&[
            ("100644", "a.yaml", 1),
            ("40000", "a", 9),
            ("100644", "b", 4),
        ]);
        let names: Vec<_> = diff(&old, &new)
            .into_iter()
            .map(|(o, n)| {
                let name = o.or(n).unwrap().name;
                (
                    String::from_utf8_lossy(name).into_owned(),
                    o.is_some(),
                    n.is_some(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a".to_string(), true, true),
                ("b".to_string(), false, true),
                ("c".to_string(), true, false)
            ]
        );
        assert!(diff(&old, &old).is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// A listing found beside another is the listing read whole, whatever the two
        /// trees: versions of one directory, unrelated ones, cut or malformed ones.
        #[test]
        fn a_listing_beside_another_is_the_listing_read_whole(
            names in proptest::collection::btree_set("[a-e]{1,3}", 0..24),
            edits in proptest::collection::vec((0usize..64, 0u8..6, 0u8..4), 0..4),
            cut in proptest::option::of(0usize..2000),
        ) {
            let entries: Vec<(String, u8)> = names.iter().map(|n| (n.clone(), n.len() as u8)).collect();
            let built = |entries: &[(String, u8)]| {
                let shaped: Vec<(&str, &str, u8)> =
                    entries.iter().map(|(n, f)| ("100644", n.as_str(), *f)).collect();
                tree(&shaped)
            };
            let near = built(&entries);
            let mut changed = entries.clone();
            for &(at, kind, fill) in &edits {
                let at = at % (changed.len() + 1);
                match kind {
                    0 if at < changed.len() => changed[at].1 = fill,
                    1 if at < changed.len() => {
                        changed.remove(at);
                    }
                    2 => changed.insert(at, (format!("{at}x"), fill)),
                    _ => {}
                }
            }
            let mut data = built(&changed);
            if let Some(cut) = cut {
                data.truncate(cut.min(data.len()));
            }
            // A byte no mode has, where a mode is read: the rest is unreadable.
            if edits.iter().any(|&(_, kind, _)| kind == 5) && !data.is_empty() {
                let at = data.len() / 2;
                data[at] = b' ';
            }
            let whole = Listing::new(data.clone());
            for near in [Listing::new(near.clone()), Listing::new(data.clone()), Listing::new(Vec::new())] {
                let beside = Listing::beside(data.clone(), Some(&near));
                proptest::prop_assert_eq!(&beside.starts, &whole.starts);
            }
        }

        /// The same for any bytes that share a start and an end, in the few bytes a
        /// tree's fields turn on: either side may be cut, damaged or no tree at all.
        #[test]
        fn a_listing_beside_any_bytes_is_the_listing_read_whole(
            start in proptest::collection::vec(proptest::sample::select(vec![b' ', 0, b'a', b'1', 0xff]), 0..80),
            middles in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(vec![b' ', 0, b'a', b'1', 0xff]), 0..40), 2),
            end in proptest::collection::vec(proptest::sample::select(vec![b' ', 0, b'a', b'1', 0xff]), 0..80),
        ) {
            let side = |middle: &[u8]| [start.as_slice(), middle, end.as_slice()].concat();
            let (near, data) = (side(&middles[0]), side(&middles[1]));
            let beside = Listing::beside(data.clone(), Some(&Listing::new(near)));
            proptest::prop_assert_eq!(beside.starts, Listing::new(data).starts);
        }
    }
}
