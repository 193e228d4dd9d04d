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
            // Lookups search by path and stage: an index out of order is libgit2's
            // to read, which sorts it.
            let key = |e: &Entry| (index.path(e), e.stage);
            if index
                .entries
                .last()
                .is_some_and(|last| key(last) >= key(&entry))
            {
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

    /// The cached tree of the folder `name` directly in the one cached at `at`.
    pub fn cached_below(&self, at: Option<usize>, name: &[u8]) -> Option<usize> {
        self.subtrees(at?).find(|&t| self.trees[t].name == name)
    }

    /// The name directly in a folder (whose path, with its `/`, is `depth` bytes
    /// long) that the entry at `at` lies at or below, with the entries before `end`
    /// that lie there too.
    pub fn child(&self, depth: usize, at: usize, end: usize) -> Child<'_> {
        let first = self.path(&self.entries[at]);
        let rest = &first[depth..];
        let (name, is_folder) = match memchr::memchr(b'/', rest) {
            Some(slash) => (&rest[..slash], true),
            None => (rest, false),
        };
        let key = &first[..depth + name.len()];
        let there = |e: &Entry| {
            let path = self.path(e);
            match path.strip_prefix(key) {
                Some(rest) if is_folder => rest.first() == Some(&b'/'),
                Some(rest) => rest.is_empty(),
                None => false,
            }
        };
        let count = self.entries[at..end].partition_point(there);
        Child {
            name,
            is_folder,
            range: at..at + count,
        }
    }

    /// The cached trees of the folders directly below cached tree `at`, by index.
    fn subtrees(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.trees[at].end;
        let within = move |child: usize| (child < end).then_some(child);
        std::iter::successors(within(at + 1), move |&child| within(self.trees[child].end))
    }
}

/// One name directly in a folder of the index: a file with its stages, or a folder
/// with every entry below it.
pub struct Child<'a> {
    pub name: &'a [u8],
    pub is_folder: bool,
    /// Where its entries are in [`IndexFile::entries`].
    pub range: std::ops::Range<usize>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scratch::Scratch;

    /// A repository whose index holds a bit of everything: folders, an executable, a
    /// symbolic link, a submodule, a path too long for its length field, a file added
    /// with intent (an extended flag) and a conflict's three stages.
    fn assorted() -> Scratch {
        let repo = Scratch::init();
        repo.add(&[
            ("a.b", "1"),
            ("a/x", "2"),
            ("src/deep/er/f.rs", "3"),
            ("run.sh", "4"),
        ]);
        repo.git(&["update-index", "--chmod=+x", "run.sh"]);
        repo.git(&["commit", "--quiet", "-m", "first"]);
        repo.git(&["checkout", "--quiet", "-b", "other"]);
        repo.write("a.b", "theirs");
        repo.git(&["commit", "--quiet", "-am", "theirs"]);
        repo.git(&["checkout", "--quiet", "main"]);
        repo.write("a.b", "ours");
        repo.git(&["commit", "--quiet", "-am", "ours"]);
        let merge = repo.run(&["merge", "--quiet", "other"]);
        assert!(!merge.status.success(), "the merge conflicts");
        let blob = repo.git(&["hash-object", "-w", "run.sh"]);
        let long = format!("{}/end", "d".repeat(5000));
        repo.stage("100644", blob.trim(), &long);
        repo.stage("120000", blob.trim(), "link");
        repo.stage("160000", blob.trim(), "sub");
        repo.write("later.txt", "5");
        repo.git(&["add", "--intent-to-add", "later.txt"]);
        repo
    }

    type Row = (Vec<u8>, u32, Oid, u8);

    /// The entries as `git ls-files` lists them.
    fn listed(repo: &Scratch) -> Vec<Row> {
        let out = repo.git(&["ls-files", "--stage", "-z"]);
        let row = |line: &str| {
            let (fields, path) = line.split_once('\t').unwrap();
            let fields: Vec<&str> = fields.split(' ').collect();
            let mode = u32::from_str_radix(fields[0], 8).unwrap();
            let id = Oid::from_str(fields[1]).unwrap();
            (
                path.as_bytes().to_vec(),
                mode,
                id,
                fields[2].parse().unwrap(),
            )
        };
        out.split_terminator('\0').map(row).collect()
    }

    #[test]
    fn reads_every_entry_git_lists_in_versions_2_3_and_4() {
        let repo = assorted();
        for version in [4, 3, 2] {
            if version == 2 {
                // An extended flag needs version 3: git would write that instead.
                repo.git(&["rm", "--cached", "--quiet", "later.txt"]);
            }
            repo.git(&["update-index", "--index-version", &version.to_string()]);
            let data = repo.index_bytes();
            assert_eq!(
                data[4..8],
                [0, 0, 0, version],
                "git wrote version {version}"
            );
            let index = IndexFile::parse(&data).expect("a version {version} index");
            let ours: Vec<Row> = (index.entries.iter())
                .map(|e| (index.path(e).to_vec(), e.mode, e.id, e.stage))
                .collect();
            assert_eq!(ours, listed(&repo), "version {version}");
            let stages: Vec<u8> = (index.entries.iter())
                .filter(|e| index.path(e) == b"a.b")
                .map(|e| e.stage)
                .collect();
            assert_eq!(stages, [1, 2, 3]);
            assert!(index.find(b"a.b", 0).is_none() && index.find(b"a.b", 2).is_some());
            assert_eq!(index.below(b"src/").len(), 1);
            assert_eq!(index.below(b"a/").len(), 1, "a.b is not below a/");
        }
    }

    #[test]
    fn cached_trees_are_the_trees_git_wrote_until_an_entry_below_changes() {
        let repo = Scratch::init();
        repo.add(&[("docs/a.md", "1"), ("src/x/f.rs", "2"), ("src/y.rs", "3")]);
        repo.git(&["commit", "--quiet", "-m", "first"]);
        let id = |rev: &str| Some(Oid::from_str(repo.git(&["rev-parse", rev]).trim()).unwrap());
        let index = IndexFile::parse(&repo.index_bytes()).unwrap();
        let named =
            |index: &IndexFile, name: &[u8], under: usize| index.cached_below(Some(under), name);
        assert_eq!(index.trees[0].id, id("HEAD^{tree}"));
        assert_eq!(index.trees[0].entries, 3);
        let src = named(&index, b"src", 0).unwrap();
        assert_eq!(index.trees[src].id, id("HEAD:src"));
        assert_eq!(index.trees[src].entries, 2);
        let x = named(&index, b"x", src).unwrap();
        assert_eq!(index.trees[x].id, id("HEAD:src/x"));
        assert_eq!(index.subtrees(0).count(), 2, "docs and src");

        repo.write("src/y.rs", "changed");
        repo.git(&["add", "src/y.rs"]);
        let index = IndexFile::parse(&repo.index_bytes()).unwrap();
        let src = named(&index, b"src", 0).unwrap();
        let x = named(&index, b"x", src).unwrap();
        assert_eq!((index.trees[0].id, index.trees[src].id), (None, None));
        assert_eq!(index.trees[x].id, id("HEAD:src/x"));
        let docs = named(&index, b"docs", 0).unwrap();
        assert_eq!(index.trees[docs].id, id("HEAD:docs"));
    }

    /// `data` with an extension added before its checksum.
    fn with_extension(data: &[u8], signature: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let (body, checksum) = data.split_at(data.len() - ID);
        let size = (payload.len() as u32).to_be_bytes();
        [body, signature, &size, payload, checksum].concat()
    }

    #[test]
    fn optional_extensions_are_skipped_and_required_ones_left_to_libgit2() {
        let repo = Scratch::init();
        repo.write("f", "1");
        repo.git(&["add", "f"]);
        let data = repo.index_bytes();
        assert!(IndexFile::parse(&with_extension(&data, b"ZZZZ", b"whatever")).is_some());
        assert!(IndexFile::parse(&with_extension(&data, b"sdir", b"")).is_none());
        assert!(IndexFile::parse(&with_extension(&data, b"TREE", b"bad")).is_none());
        repo.git(&["update-index", "--split-index"]);
        assert!(
            IndexFile::parse(&repo.index_bytes()).is_none(),
            "a split index"
        );
    }

    #[test]
    fn an_index_out_of_order_is_left_to_libgit2() {
        let repo = Scratch::init();
        repo.add(&[("a", "1"), ("b", "2")]);
        let data = repo.index_bytes();
        assert_eq!(IndexFile::parse(&data).unwrap().entries.len(), 2);
        // Two entries of 64 bytes each after the 12-byte header, swapped.
        let swapped = [&data[..12], &data[76..140], &data[12..76], &data[140..]].concat();
        assert!(IndexFile::parse(&swapped).is_none());
    }

    #[test]
    fn no_bytes_make_it_panic() {
        let repo = assorted();
        repo.git(&["add", "src"]);
        for version in ["2", "4"] {
            repo.git(&["update-index", "--index-version", version]);
            let data = repo.index_bytes();
            for end in 0..data.len() {
                IndexFile::parse(&data[..end]);
            }
            for at in 0..data.len() {
                for byte in [0, 0xFF, data[at].wrapping_add(1), b'\n', b' '] {
                    let mut changed = data.clone();
                    changed[at] = byte;
                    IndexFile::parse(&changed);
                }
            }
        }
        // Noise, from a fixed seed, behind a valid header.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2_000 {
            let mut data = b"DIRC\0\0\0\x04\0\0\0\x03".to_vec();
            for _ in 0..(seed % 512) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                data.push(seed as u8);
            }
            IndexFile::parse(&data);
        }
    }
}
