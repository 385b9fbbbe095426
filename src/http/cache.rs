//! The cache of rendered downloads: whole audio files by fingerprint, with a byte budget;
//! the least recently used file leaves first. A popular article is synthesized once.

use std::sync::Arc;

use axum::body::Bytes;
use lru::LruCache;

/// One rendered download, ready to be served whole or by ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The file's bytes (a WAV file with real sizes, or raw PCM).
    pub bytes: Bytes,
}

/// An LRU map from fingerprint to rendered audio, bounded by the bytes it holds.
#[derive(Debug)]
pub struct AudioCache {
    entries: LruCache<u128, Arc<Rendered>>,
    bytes: usize,
    budget: usize,
}

impl AudioCache {
    /// An empty cache that will hold at most `budget` bytes of audio.
    pub fn new(budget: usize) -> Self {
        AudioCache {
            entries: LruCache::unbounded(),
            bytes: 0,
            budget,
        }
    }

    /// The entry for `key`, now the most recently used.
    pub fn get(&mut self, key: u128) -> Option<Arc<Rendered>> {
        self.entries.get(&key).cloned()
    }

    /// Stores `value`, evicting the least recently used entries until it fits. A value larger
    /// than the whole budget is not stored.
    pub fn insert(&mut self, key: u128, value: Arc<Rendered>) {
        let size = value.bytes.len();
        if size > self.budget {
            return;
        }
        if let Some(old) = self.entries.pop(&key) {
            self.bytes -= old.bytes.len();
        }
        while self.bytes + size > self.budget {
            match self.entries.pop_lru() {
                Some((_, old)) => self.bytes -= old.bytes.len(),
                None => break,
            }
        }
        self.bytes += size;
        self.entries.put(key, value);
    }

    /// Bytes of audio held now.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audio(n: usize) -> Arc<Rendered> {
        Arc::new(Rendered {
            bytes: Bytes::from(vec![0u8; n]),
        })
    }

    #[test]
    fn the_budget_is_never_exceeded_and_lru_goes_first() {
        let mut c = AudioCache::new(100);
        c.insert(1, audio(40));
        c.insert(2, audio(40));
        assert!(c.get(1).is_some()); // 2 is now the least recently used
        c.insert(3, audio(40));
        assert!(c.get(2).is_none());
        assert!(c.get(1).is_some());
        assert!(c.get(3).is_some());
        assert_eq!(c.bytes(), 80);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn too_large_values_are_not_kept_and_replacing_counts_once() {
        let mut c = AudioCache::new(100);
        c.insert(1, audio(101));
        assert!(c.is_empty());
        c.insert(1, audio(30));
        c.insert(1, audio(50));
        assert_eq!(c.bytes(), 50);
        assert_eq!(c.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn bytes_always_match_the_entries(ops in proptest::collection::vec((0u128..8, 0usize..60), 0..100)) {
            let mut c = AudioCache::new(100);
            for (key, size) in ops {
                c.insert(key, audio(size));
                proptest::prop_assert!(c.bytes() <= 100);
                let sum: usize = c.entries.iter().map(|(_, v)| v.bytes.len()).sum();
                proptest::prop_assert_eq!(sum, c.bytes());
            }
        }
    }
}
