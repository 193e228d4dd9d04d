//! The root tree of each commit, from the commit-graph file git keeps beside its
//! objects (`git gc` writes it): asking `git rev-list` for them instead has it read
//! every commit, which a first check has `git cat-file` read again. What is found
//! here is a hint and nothing more: the file is a local cache, possibly stale or
//! altered, so the tree git then reads for a commit is taken only if it is the one
//! the commit itself names (see [`super::commits`]).

use super::{CommitId, Positions};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The commits of one commit-graph file, sorted, with each one's root tree.
struct Layer {
    commits: Vec<CommitId>,
    trees: Vec<CommitId>,
}

/// Every commit-graph file of a repository: the single file, else each layer of a
/// chain (`git commit-graph write --split`), as git itself reads them.
pub struct CommitGraph {
    layers: Vec<Layer>,
}

/// The identity of the chunks read.
const FANOUT: [u8; 4] = *b"OIDF";
const IDS: [u8; 4] = *b"OIDL";
const DATA: [u8; 4] = *b"CDAT";
/// Each commit's data: its tree's id, two parents' positions, generation and time.
const DATA_WIDTH: u64 = 20 + 16;
/// The most a chain file is read of: over a thousand layers, where git keeps a few.
const CHAIN_LIMIT: u64 = 64 << 10;

/// Where git keeps the single file, and a chain's folder and the file naming its
/// layers, under the object directory.
const SINGLE: &str = "info/commit-graph";
const CHAIN_DIR: &str = "info/commit-graphs";
const CHAIN: &str = "commit-graph-chain";

impl CommitGraph {
    /// Whether the object directory `objects` has a commit-graph file, read or not.
    pub fn is_in(objects: &Path) -> bool {
        objects.join(SINGLE).is_file() || objects.join(CHAIN_DIR).join(CHAIN).is_file()
    }

    /// The commit-graph of the object directory `objects`; `None` when there is none
    /// of SHA-1 ids that reads whole.
    pub fn open(objects: &Path) -> Option<CommitGraph> {
        let layers = match read_layer(&objects.join(SINGLE)) {
            Some(layer) => vec![layer],
            None => read_chain(&objects.join(CHAIN_DIR))?,
        };
        (!layers.is_empty()).then_some(CommitGraph { layers })
    }

    /// The root tree the file gives for each commit of a walk, by its place in the
    /// walk; `None` for one it does not hold. Both lists are sorted by id, so each is
    /// read once, in order: looking a million commits up one by one missed the
    /// processor's caches two or three times each, a twentieth of a first check.
    pub fn trees(&self, walk: &Positions) -> Vec<Option<CommitId>> {
        let mut trees = vec![None; walk.sorted().len()];
        for layer in &self.layers {
            layer.trees_into(walk.sorted(), &mut trees);
        }
        trees
    }
}

impl Layer {
    /// Into `trees`, by place, the tree of each commit of `sorted` (by id, with its
    /// place) that the layer holds and no layer before it gave.
    fn trees_into(&self, sorted: &[(CommitId, u32)], trees: &mut [Option<CommitId>]) {
        let mut held = self.commits.iter().zip(&self.trees).peekable();
        for (commit, at) in sorted {
            while held.next_if(|(c, _)| *c < commit).is_some() {}
            match held.peek() {
                Some((c, tree)) if *c == commit => {
                    trees[*at as usize].get_or_insert(**tree);
                }
                Some(_) => {}
                None => return,
            }
        }
    }
}

/// The layers a chain file in `dir` names, base first; `None` unless each of its
/// lines names a layer once by its 40-hex-digit checksum (any other line could lead
/// outside the folder), and each layer reads whole.
fn read_chain(dir: &Path) -> Option<Vec<Layer>> {
    let mut chain = String::new();
    let file = File::open(dir.join(CHAIN)).ok()?;
    file.take(CHAIN_LIMIT + 1).read_to_string(&mut chain).ok()?;
    if chain.len() as u64 > CHAIN_LIMIT {
        return None;
    }
    let mut named = std::collections::HashSet::new();
    let checksum = |n: &str| n.len() == 40 && n.bytes().all(|b| b.is_ascii_hexdigit());
    (chain.lines())
        .map(|name| {
            (checksum(name) && named.insert(name))
                .then(|| read_layer(&dir.join(format!("graph-{name}.graph"))))?
        })
        .collect()
}

/// One commit-graph file, read through its chunk table; `None` when it is missing,
/// of another version or hash, or its chunks do not fit it.
fn read_layer(path: &Path) -> Option<Layer> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path).ok()?);
    let size = file.get_ref().metadata().ok()?.len();
    let mut header = [0; 8];
    file.read_exact(&mut header).ok()?;
    // Version 1 of the format, of SHA-1 ids.
    let [b'C', b'G', b'P', b'H', 1, 1, chunks, _bases] = header else {
        return None;
    };
    let mut table = vec![0; (chunks as usize + 1) * 12];
    file.read_exact(&mut table).ok()?;
    let entries: Vec<([u8; 4], u64)> = (table.chunks_exact(12))
        .map(|e| {
            let id = [e[0], e[1], e[2], e[3]];
            (
                id,
                u64::from_be_bytes(e[4..12].try_into().unwrap_or_default()),
            )
        })
        .collect();
    // Each chunk ends where the next in the table starts.
    let span = |wanted: [u8; 4]| {
        let at = entries.iter().position(|(id, _)| *id == wanted)?;
        let (start, end) = (entries[at].1, entries.get(at + 1)?.1);
        (start <= end && end <= size).then(|| (start, end - start))
    };
    let (fanout_at, fanout_len) = span(FANOUT)?;
    let (ids_at, ids_len) = span(IDS)?;
    let (data_at, data_len) = span(DATA)?;
    if fanout_len != 256 * 4 {
        return None;
    }
    let mut bytes = [0; 256 * 4];
    file.seek(SeekFrom::Start(fanout_at)).ok()?;
    file.read_exact(&mut bytes).ok()?;
    let mut fanout = [0; 256];
    for (count, word) in fanout.iter_mut().zip(bytes.chunks_exact(4)) {
        *count = u32::from_be_bytes(word.try_into().unwrap_or_default());
    }
    let count = u64::from(fanout[255]);
    let fits = ids_len == count * 20 && data_len == count * DATA_WIDTH;
    if !fits || fanout.windows(2).any(|w| w[0] > w[1]) {
        return None;
    }
    let commits = read_ids(&mut file, ids_at, count, 20, true)?;
    let trees = read_ids(&mut file, data_at, count, DATA_WIDTH, false)?;
    Some(Layer { commits, trees })
}

/// `count` ids, each at the start of a record of `width` bytes from `at` on; when
/// `sorted`, `None` unless each is greater than the one before, as the pass beside
/// a walk's sorted commits needs ([`Layer::trees_into`]); a file of zeros, such as
/// a sparse one claiming billions of commits, ends at its second.
fn read_ids(
    file: &mut BufReader<File>,
    at: u64,
    count: u64,
    width: u64,
    sorted: bool,
) -> Option<Vec<CommitId>> {
    file.seek(SeekFrom::Start(at)).ok()?;
    let mut record = vec![0; width as usize];
    // Room for what a real file holds; more only as it is read.
    let mut ids = Vec::with_capacity(count.min(1 << 20) as usize);
    for _ in 0..count {
        file.read_exact(&mut record).ok()?;
        let id = CommitId::from_bytes(&record[..20])?;
        if sorted && ids.last().is_some_and(|&last| last >= id) {
            return None;
        }
        ids.push(id);
    }
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::CommitGraph;
    use crate::git::scratch::Scratch;
    use crate::git::{CommitId, Positions};

    /// The tree `graph` gives for `commit`, asked by a walk of that commit alone.
    fn tree_in(graph: &CommitGraph, commit: CommitId) -> Option<CommitId> {
        graph.trees(&Positions::of(std::iter::once(commit)))[0]
    }

    /// Commits `names`, each with a file of its own, and their ids and trees.
    fn commits(repo: &Scratch, names: &[&str]) -> Vec<(CommitId, CommitId)> {
        let id = |rev: &str| repo.git(&["rev-parse", rev]).trim().parse().unwrap();
        (names.iter())
            .map(|name| {
                repo.add(&[(name, name)]);
                repo.git(&["commit", "-q", "-m", name]);
                (id("HEAD"), id("HEAD^{tree}"))
            })
            .collect()
    }

    fn objects(repo: &Scratch) -> std::path::PathBuf {
        repo.path().join(".git/objects")
    }

    #[test]
    fn each_commit_written_into_the_graph_has_its_tree() {
        let repo = Scratch::init();
        let written = commits(&repo, &["a", "b", "c"]);
        assert!(CommitGraph::open(&objects(&repo)).is_none(), "no file yet");
        repo.git(&["commit-graph", "write", "--reachable"]);
        let later = commits(&repo, &["d"]);
        let graph = CommitGraph::open(&objects(&repo)).unwrap();
        for (commit, tree) in &written {
            assert_eq!(tree_in(&graph, *commit), Some(*tree));
        }
        // Committed after the file was written: not in it.
        assert_eq!(tree_in(&graph, later[0].0), None);
        assert_eq!(tree_in(&graph, later[0].1), None);
    }

    #[test]
    fn every_commit_of_a_large_layer_is_found_and_no_other() {
        use sha2::{Digest, Sha256};
        let id = |n: u32, salt: &str| {
            let hash = Sha256::digest(format!("{salt}{n}"));
            CommitId::from_bytes(&hash[..20]).unwrap()
        };
        // Ids spread as hashes are; some in a cluster that share their first sixteen
        // bytes, so that they are told apart by the rest; and the first and last
        // ids there can be.
        let ending = |fill: u8, n: u32| {
            let mut bytes = [fill; 20];
            bytes[16..].copy_from_slice(&n.to_be_bytes());
            CommitId::from_bytes(&bytes).unwrap()
        };
        let mut commits: Vec<CommitId> = (0..20_000).map(|n| id(n, "c")).collect();
        commits.extend((0..2_000).map(|n| ending(0x7f, n)));
        commits.extend([ending(0, 0), ending(0, 1), ending(0xff, u32::MAX)]);
        commits.sort();
        let trees: Vec<CommitId> = (0..commits.len() as u32).map(|n| id(n, "t")).collect();
        let layer = super::Layer {
            commits: commits.clone(),
            trees: trees.clone(),
        };
        // Asked by one walk, in another order than the layer's, with commits it does
        // not hold among them and one commit listed twice.
        let mut asked: Vec<CommitId> = commits.iter().rev().copied().collect();
        asked.extend((0..20_000).map(|n| id(n, "absent")));
        asked.extend([ending(0x7f, 2_000), ending(0xff, 0), commits[7]]);
        let walk = Positions::of(asked.iter().copied());
        let mut found = vec![None; asked.len()];
        layer.trees_into(walk.sorted(), &mut found);
        for (commit, found) in asked.iter().zip(&found) {
            let held = commits.binary_search(commit).ok().map(|at| trees[at]);
            assert_eq!(*found, held, "{commit}");
        }
        assert_eq!(found.iter().flatten().count(), commits.len() + 1);
    }

    #[test]
    fn the_first_layer_holding_a_commit_gives_its_tree() {
        let id = |n: u8| CommitId::from_bytes(&[n; 20]).unwrap();
        let layer = |held: &[(u8, u8)]| {
            let (commits, trees) = held.iter().map(|&(c, t)| (id(c), id(t))).unzip();
            super::Layer { commits, trees }
        };
        // The base holds 2 and 4; the next layer 4 again with another tree, and 6.
        // The walk asks beyond both layers' last commits too.
        let graph = CommitGraph {
            layers: vec![layer(&[(2, 20), (4, 40)]), layer(&[(4, 41), (6, 60)])],
        };
        let walk = [9, 6, 4, 3, 2, 1];
        let trees = graph.trees(&Positions::of(walk.iter().map(|&n| id(n))));
        let expected = [None, Some(60), Some(40), None, Some(20), None];
        assert_eq!(trees, expected.map(|t| t.map(id)));
    }

    #[test]
    fn each_layer_of_a_chain_is_read() {
        let repo = Scratch::init();
        let mut all = commits(&repo, &["a", "b"]);
        repo.git(&["commit-graph", "write", "--reachable", "--split"]);
        all.extend(commits(&repo, &["c", "d"]));
        repo.git(&["commit-graph", "write", "--reachable", "--split=no-merge"]);
        let dir = objects(&repo).join("info/commit-graphs");
        let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).unwrap();
        assert_eq!(chain.lines().count(), 2, "two layers");
        let graph = CommitGraph::open(&objects(&repo)).unwrap();
        for (commit, tree) in &all {
            assert_eq!(tree_in(&graph, *commit), Some(*tree));
        }
        // A chain with a line that is no checksum (which could lead outside the
        // folder), or naming a layer twice, or too long to be git's, is not used.
        let name = chain.lines().next().unwrap();
        for bad in [
            format!("{chain}../../../../etc/passwd\n"),
            format!("{name}\n{name}\n"),
            format!("{name}\n").repeat(2_000),
        ] {
            std::fs::write(dir.join("commit-graph-chain"), bad).unwrap();
            assert!(CommitGraph::open(&objects(&repo)).is_none());
        }
        std::fs::write(dir.join("commit-graph-chain"), &chain).unwrap();
        assert!(CommitGraph::open(&objects(&repo)).is_some());
    }

    #[test]
    fn a_file_claiming_more_commits_than_it_holds_is_not_read_through() {
        // Chunks that fit a sparse file of 15 GB, read as nothing but zeros.
        let count: u64 = 1 << 28;
        let (fanout, ids) = (8 + 4 * 12, 8 + 4 * 12 + 1024);
        let data = ids + count * 20;
        let end = data + count * 36;
        let mut head = b"CGPH\x01\x01\x03\x00".to_vec();
        for (id, at) in [
            (*b"OIDF", fanout),
            (*b"OIDL", ids),
            (*b"CDAT", data),
            ([0; 4], end),
        ] {
            head.extend_from_slice(&id);
            head.extend_from_slice(&at.to_be_bytes());
        }
        head.extend(std::iter::repeat_n((count as u32).to_be_bytes(), 256).flatten());
        let dir = tempfile::tempdir().unwrap();
        let info = dir.path().join("info");
        std::fs::create_dir(&info).unwrap();
        let file = std::fs::File::create(info.join("commit-graph")).unwrap();
        std::io::Write::write_all(&mut &file, &head).unwrap();
        file.set_len(end + 20).unwrap();
        assert!(CommitGraph::is_in(dir.path()));
        assert!(CommitGraph::open(dir.path()).is_none());
    }

    #[test]
    fn a_damaged_file_is_read_as_none_or_as_far_as_it_fits() {
        let repo = Scratch::init();
        let written = commits(&repo, &["a", "b", "c", "d", "e"]);
        repo.git(&["commit-graph", "write", "--reachable"]);
        let path = objects(&repo).join("info/commit-graph");
        let whole = std::fs::read(&path).unwrap();
        // Cut anywhere, or with any byte of its header, table or fan-out changed, it
        // never panics; a changed table either fails to fit or still holds ids.
        let mut damaged: Vec<Vec<u8>> = (0..whole.len()).map(|n| whole[..n].to_vec()).collect();
        for at in 0..(8 + 12 * 6 + 1024).min(whole.len()) {
            let mut bytes = whole.clone();
            bytes[at] ^= 0xff;
            damaged.push(bytes);
        }
        for bytes in damaged {
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            if let Some(graph) = CommitGraph::open(&objects(&repo)) {
                for (commit, _) in &written {
                    let _ = tree_in(&graph, *commit);
                }
            }
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, &whole).unwrap();
        let graph = CommitGraph::open(&objects(&repo)).unwrap();
        assert_eq!(tree_in(&graph, written[4].0), Some(written[4].1));
    }
}
