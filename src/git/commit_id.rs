//! Commit ids as 20 bytes rather than 40 hex characters: a check holds a long
//! history's worth of them at once. Tree ids are held the same way (both are object ids).

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitId([u8; 20]);

/// A map keyed by object ids (or tuples led by one), hashed by foldhash, not
/// SipHash: ids are hashes already, and hashing them again with SipHash was a
/// fortieth of a first check's work. Its seed differs in every run, so ids a pull
/// request grinds to share a table slot in one run do not in another.
pub type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

impl FromStr for CommitId {
    type Err = String;

    // By table, with one test for the whole id: a first check parses millions of ids,
    // and a branch per digit was a fifteenth of its time.
    fn from_str(hex: &str) -> Result<CommitId, String> {
        let bad = || format!("`{hex}` is not a 40-digit commit id");
        if hex.len() != 40 {
            return Err(bad());
        }
        let (mut bytes, mut invalid) = ([0; 20], 0);
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let (high, low) = (DIGITS[pair[0] as usize], DIGITS[pair[1] as usize]);
            invalid |= high | low;
            *byte = (high << 4) | (low & 0x0f);
        }
        if invalid & NOT_A_DIGIT != 0 {
            return Err(bad());
        }
        Ok(CommitId(bytes))
    }
}

/// Marks a byte that is not a hex digit in [`DIGITS`].
const NOT_A_DIGIT: u8 = 0x10;

/// The value of each byte as a hex digit, either case; [`NOT_A_DIGIT`] for the others.
const DIGITS: [u8; 256] = {
    let mut table = [NOT_A_DIGIT; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

impl fmt::Display for CommitId {
    // Written in one piece: a long history turns millions of ids into text, and a
    // formatter call per byte was a twelfth of a first check.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.pad(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl From<git2::Oid> for CommitId {
    fn from(id: git2::Oid) -> CommitId {
        let mut bytes = [0; 20];
        bytes.copy_from_slice(id.as_bytes());
        CommitId(bytes)
    }
}

impl From<CommitId> for git2::Oid {
    fn from(id: CommitId) -> git2::Oid {
        git2::Oid::from_bytes(&id.0).expect("20 bytes are an object id")
    }
}

impl CommitId {
    /// No object: where only a name matters.
    pub(super) const NONE: CommitId = CommitId([0; 20]);

    /// The id whose 20 bytes `bytes` are, as git stores it in a tree.
    pub(super) fn from_bytes(bytes: &[u8]) -> Option<CommitId> {
        Some(CommitId(bytes.try_into().ok()?))
    }

    /// A number read from the id's first bytes: ids are hashes, so it spreads them
    /// evenly over a table without hashing again.
    pub fn spread(&self) -> usize {
        u32::from_le_bytes([self.0[0], self.0[1], self.0[2], self.0[3]]) as usize
    }

    /// The 40 lowercase hex digits, as bytes: what git is fed, by the million on a
    /// long history, without a formatter or a `String` for each.
    pub fn hex(&self) -> [u8; 40] {
        let mut text = [0u8; 40];
        for (pair, b) in text.chunks_exact_mut(2).zip(self.0) {
            pair.copy_from_slice(&crate::model::digest::hex_pair(b));
        }
        text
    }

    /// The first four bytes as a number that sorts as the ids do.
    pub fn leading(&self) -> u32 {
        u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }

    /// The first ten hex digits, as people quote a commit.
    pub fn short(&self) -> String {
        crate::model::digest::hex(&self.0[..5])
    }
}

/// Byte order, as the hex digits sort; compared as three big-endian words rather
/// than through `memcmp`, which the binary searches over a long history's ids
/// called tens of millions of times.
impl Ord for CommitId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.words().cmp(&other.words())
    }
}

impl PartialOrd for CommitId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl CommitId {
    fn words(&self) -> (u64, u64, u32) {
        let b = &self.0;
        let word = |at: usize| u64::from_be_bytes(b[at..at + 8].try_into().unwrap_or_default());
        let last = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
        (word(0), word(8), last)
    }
}

impl fmt::Debug for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

crate::serde_via_str!(CommitId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_bad_ids_are_refused() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(hex.parse::<CommitId>().unwrap().to_string(), hex);
        assert_eq!(hex.parse::<CommitId>().unwrap().short(), &hex[..10]);
        assert_eq!(&hex.parse::<CommitId>().unwrap().hex(), hex.as_bytes());
        assert_eq!(hex.parse::<CommitId>().unwrap().leading(), 0x0123_4567);
        assert!("0123".parse::<CommitId>().is_err());
        // Ordered as the hex digits are, whichever byte differs.
        let ids: Vec<CommitId> = ["00ff", "0100", "ff00"]
            .iter()
            .flat_map(|d| {
                [0, 9, 18].map(|at| format!("{}{d}{}", "0".repeat(at), "0".repeat(36 - at)))
            })
            .map(|hex| hex.parse().unwrap())
            .collect();
        for a in &ids {
            for b in &ids {
                assert_eq!(a.cmp(b), a.to_string().cmp(&b.to_string()), "{a} {b}");
            }
        }
        assert!("g123456789abcdef0123456789abcdef01234567"
            .parse::<CommitId>()
            .is_err());
        // Either case reads; anything else at any place is refused.
        let upper = hex.to_uppercase().parse::<CommitId>().unwrap();
        assert_eq!(upper.to_string(), hex);
        for at in 0..40 {
            for wrong in ["g", "/", ":", "@", "G", "`", " ", "\0"] {
                let mut bad = hex.to_string();
                bad.replace_range(at..at + 1, wrong);
                assert!(bad.parse::<CommitId>().is_err(), "{bad:?}");
            }
        }
        assert!(format!("{}é", &hex[..38]).parse::<CommitId>().is_err());
    }
}
