//! One hash of a value, for the fingerprints and memo keys that decide
//! what a rebuild may reuse (render jobs, section reads, the preview's
//! link check), and the hasher of the maps on a build's hot path. Within
//! one process only: nothing stored on disk is keyed by these without the
//! binary's own stamp beside it, so the hash function may change between
//! versions.
//!
//! foldhash (already compiled for gix), not the standard library's
//! SipHash: SipHash was 4.7% of a 40-school trust's cold build, spread
//! over the fingerprints of pages and the maps of the link check. The
//! seed is fixed, so a map's order is the same on every run; none of
//! these maps' orders reaches the output.

use std::hash::{BuildHasher, Hash};

/// The hasher of `hash_of` and of `Map` and `Set`.
pub type Fast = foldhash::fast::FixedState;

/// A hash map with `Fast`.
pub type Map<K, V> = std::collections::HashMap<K, V, Fast>;

/// A hash set with `Fast`.
pub type Set<T> = std::collections::HashSet<T, Fast>;

pub fn hash_of(value: impl Hash) -> u64 {
    foldhash::quality::FixedState::with_seed(0x6861_7368_5f6f_6621).hash_one(value)
}
