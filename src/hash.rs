//! One hash of a value, for the fingerprints and memo keys that decide
//! what a rebuild may reuse (render jobs, section reads, the preview's
//! link check), and the hasher of the maps on a build's hot path. Within
//! one process only: nothing stored on disk is keyed by these without the
//! binary's own stamp beside it, so the hash function may change between
//! versions.
//!
//! foldhash (already compiled for gix), not the standard library's
//! SipHash: SipHash was 4.7% of a 40-school trust's cold build, spread
//! over the fingerprints of pages and the maps of the link check.
//! `hash_of`'s seed is fixed, as a fingerprint must be the same in the
//! next build; the maps' seed is chosen per run, as the standard
//! library's is, so that no input can be written against a known seed to
//! make its words or links collide (no map's order reaches the output).

use std::hash::{BuildHasher, Hash};

/// The hasher of `Map` and `Set`, seeded per run.
pub type Fast = foldhash::fast::RandomState;

/// A hash map with `Fast`.
pub type Map<K, V> = std::collections::HashMap<K, V, Fast>;

/// A hash set with `Fast`.
pub type Set<T> = std::collections::HashSet<T, Fast>;

pub fn hash_of(value: impl Hash) -> u64 {
    foldhash::quality::FixedState::with_seed(0x6861_7368_5f6f_6621).hash_one(value)
}
