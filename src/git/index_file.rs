//! git's index file read as git writes it (versions 2, 3 and 4): its entries and the
//! trees it caches for each folder. Opening the index through libgit2 builds an
//! allocated entry per file and a lookup map beside; a register of tens of thousands
//! of records is read here in one pass over the bytes. Anything this reader does not
//! know — a split or sparse index, a malformed file — is `None`, and libgit2 reads it.
//!
//! The trailing checksum is not verified: the file is the user's own, written by git
//! a moment before, and git checks it whenever it reads the file itself.

use git2::Oid;

/// Bytes of an object id: only SHA-1 repositories are opened at all.
const ID: usize = 20;
/// An entry's fixed part: ten 32-bit stat fields, the id, 16 bits of flags.
const FIXED: usize = 40 + ID + 2;
/// Flags: an entry with a second word of flags (version 3 and later).
const EXTENDED: u16 = 0x4000;
/// Flags: a path this long or longer has its length written as 0xFFF.
const NAME_MASK: u16 = 0xFFF;
/// The paths of a version 4 index, prefix-compressed, may spell out far more bytes
/// than the file holds; past this many per byte of the file, libgit2 reads it.
const MAX_EXPANSION: usize = 64;

/// One entry: a path at one stage.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Where its path lies in [`IndexFile::paths`].
    start: u32,
    end: u32,
    pub mode: u32,
    pub id: Oid,
    /// 0, or 1 to 3 for the base, ours and theirs of a conflict.
    pub stage: u8,
}

/// A folder's tree as the index last wrote it (the `TREE` extension), in the
/// extension's order: a folder, then the folders below it.
#[derive(Debug, Clone)]
pub struct CachedTree {
    pub name: Vec<u8>,
    /// The tree the index entries below the folder make; `None` once an entry there
    /// changed since it was written.
    pub id: Option<Oid>,
    /// How many index entries lie below the folder, when `id` is known.
    pub entries: usize,
    /// Where the folders below it end in [`IndexFile::trees`].
    end: usize,
}

/// The entries of an index, sorted by path then stage, as git keeps them.
pub struct IndexFile {
    paths: Vec<u8>,
    pub entries: Vec<Entry>,
    /// Empty when the index caches no trees.
    pub trees: Vec<CachedTree>,
}

impl IndexFile {
    /// The index in `data`, or `None` when it is not one this reader knows in full.
    pub fn parse(data: &[u8]) -> Option<IndexFile> {
        let body = data.len().checked_sub(ID)?;
        let mut r = Reader {
            data: &data[..body],
            at: 0,
        };
        if r.take(4)? != b"DIRC" {
            return None;
        }
        let version = r.u32()?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let count = r.u32()? as usize;
        // Each entry takes at least its fixed part: a count that cannot fit is a lie.
        if count > r.left() / FIXED {
            return None;
        }
        let mut index = IndexFile {
            paths: Vec::new(),
            entries: Vec::with_capacity(count),
            trees: Vec::new(),
        };
        let mut previous = 0..0;
        for _ in 0..count {
            let entry = index.read_entry(&mut r, version, previous)?;
            previous = entry.start as usize..entry.end as usize;
            if index.paths.len() > data.len().saturating_mul(MAX_EXPANSION) {
                return None;
            }
            index.entries.push(entry);
        }
        while r.left() > 0 {
            let signature = r.take(4)?;
            let size = r.u32()? as usize;
            let bytes = r.take(size)?;
            match signature {
                b"TREE" => index.trees = cached_trees(bytes)?,
                // Optional extensions start with a capital; any other must be understood.
                [b'A'..=b'Z', ..] => {}
                _ => return None,
            }
        }
        Some(index)
    }

    /// The entry at `r`, its path appended to `paths`; `previous` is the last path,
    /// which a version 4 entry's path starts from.
    fn read_entry(
        &mut self,
        r: &mut Reader,
        version: u32,
        previous: std::ops::Range<usize>,
    ) -> Option<Entry> {
        let begin = r.at;
        let fixed = r.take(FIXED)?;
        let word = |at: usize| u32::from_be_bytes(fixed[at..at + 4].try_into().unwrap());
        let mode = word(24);
        let id = Oid::from_bytes(&fixed[40..40 + ID]).ok()?;
        let flags = u16::from_be_bytes([fixed[FIXED - 2], fixed[FIXED - 1]]);
        if flags & EXTENDED != 0 {
            if version < 3 {
                return None;
            }
            r.take(2)?;
        }
        let start = self.paths.len();
        if version == 4 {
            let strip = r.varint()?;
            let kept = previous.len().checked_sub(strip)?;
            self.paths
                .extend_from_within(previous.start..previous.start + kept);
            self.paths.extend_from_slice(r.until_nul()?);
        } else {
            let path = r.until_nul()?;
            let named = usize::from(flags & NAME_MASK);
            if named != usize::from(NAME_MASK) && named != path.len() {
                return None;
            }
            self.paths.extend_from_slice(path);
            // NULs pad the entry to a multiple of eight bytes, at least one of them.
            let size = (r.at - 1 - begin + 8) & !7;
            r.take((begin + size).checked_sub(r.at)?)?;
        }
        Some(Entry {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(self.paths.len()).ok()?,
            mode,
            id,
            stage: ((flags >> 12) & 3) as u8,
        })
    }

    pub fn path(&self, entry: &Entry) -> &[u8] {
        &self.paths[entry.start as usize..entry.end as usize]
    }

    /// Where the entries whose path starts with `prefix` are: they are consecutive.
    pub fn below(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let start = self.entries.partition_point(|e| self.path(e) < prefix);
        let len = self.entries[start..].partition_point(|e| self.path(e).starts_with(prefix));
        start..start + len
    }

    /// The entry at `path` and `stage`.
    pub fn find(&self, path: &[u8], stage: u8) -> Option<&Entry> {
        let at = self
            .entries
            .binary_search_by(|e| self.path(e).cmp(path).then(e.stage.cmp(&stage)))
            .ok()?;
        Some(&self.entries[at])
    }

    /// The cached trees of the folders directly below cached tree `at`, by index.
    pub fn subtrees(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.trees[at].end;
        std::iter::successors(Some(at + 1), |&child| Some(self.trees[child].end))
            .take_while(move |&child| child < end)
    }
}

/// Bounds-checked reads from the front of a byte slice.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.data.len() - self.at
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    /// The bytes up to the next NUL, which is passed over.
    fn until_nul(&mut self) -> Option<&'a [u8]> {
        let len = memchr::memchr(0, &self.data[self.at..])?;
        let bytes = self.take(len)?;
        self.at += 1;
        Some(bytes)
    }

    /// git's offset encoding: seven bits a byte, high bit set on all but the last,
    /// each continuation adding one so that no value has two spellings.
    fn varint(&mut self) -> Option<usize> {
        let mut byte = self.take(1)?[0];
        let mut value = usize::from(byte & 0x7F);
        while byte & 0x80 != 0 {
            byte = self.take(1)?[0];
            value = value
                .checked_add(1)?
                .checked_mul(128)?
                .checked_add(usize::from(byte & 0x7F))?;
        }
        Some(value)
    }

    /// An ASCII decimal number ending at `end`, which is passed over.
    fn number(&mut self, end: u8) -> Option<i64> {
        let len = memchr::memchr(end, &self.data[self.at..])?;
        let text = std::str::from_utf8(self.take(len)?).ok()?;
        self.at += 1;
        text.parse().ok()
    }
}

/// The `TREE` extension: each folder as `<name>\0<entries> <subtrees>\n`, then its
/// tree's id unless `<entries>` is -1, then its subtrees in the same form.
fn cached_trees(data: &[u8]) -> Option<Vec<CachedTree>> {
    let mut r = Reader { data, at: 0 };
    let mut trees: Vec<CachedTree> = Vec::new();
    // Folders whose subtrees are still being read, with how many are left.
    let mut open: Vec<(usize, u64)> = Vec::new();
    loop {
        let name = r.until_nul()?.to_vec();
        let entries = r.number(b' ')?;
        let subtrees = u64::try_from(r.number(b'\n')?).ok()?;
        let id = match entries {
            -1 => None,
            0.. => Some(Oid::from_bytes(r.take(ID)?).ok()?),
            _ => return None,
        };
        if let Some((_, left)) = open.last_mut() {
            *left -= 1;
        } else if !trees.is_empty() || !name.is_empty() {
            // One root, with no name, holds all the others.
            return None;
        }
        open.push((trees.len(), subtrees));
        trees.push(CachedTree {
            name,
            id,
            entries: usize::try_from(entries).unwrap_or(0),
            end: 0,
        });
        while let Some(&(at, 0)) = open.last() {
            trees[at].end = trees.len();
            open.pop();
        }
        if open.is_empty() {
            return (r.left() == 0).then_some(trees);
        }
    }
}
