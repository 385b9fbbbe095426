//! FNV-1a, 64 bits: the hash of the front end's lookup tables, and the checksum of voice files
//! ([`crate::voice::format::fnv1a64`]).
//!
//! The table keys are short words (a few bytes), for which SipHash costs more than the lookup
//! itself. The tables are built from our own lexicons and from text the front end has already
//! read, so resistance to chosen collisions is not needed: a worst case costs time, never a
//! wrong answer.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// Continues the FNV-1a hash `hash` over `bytes`.
fn fold(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// FNV-1a, 64 bits, of `bytes`.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    fold(OFFSET_BASIS, bytes)
}

/// The FNV-1a [`Hasher`] (streaming: successive writes hash as one).
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(OFFSET_BASIS)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fold(self.0, bytes);
    }
}

/// A hash map with [`Fnv`] hashing.
pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_writes_hash_as_one() {
        let mut h = Fnv::default();
        h.write(b"foo");
        h.write(b"bar");
        assert_eq!(h.finish(), fnv1a64(b"foobar"));
        assert_eq!(Fnv::default().finish(), fnv1a64(b""));
    }
}
