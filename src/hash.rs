//! One hash of a value, for the fingerprints and memo keys that decide
//! what a rebuild may reuse (render jobs, section reads, the preview's
//! link check). Within one process only: `DefaultHasher` is not promised
//! to hash the same across Rust versions, so nothing stored on disk is
//! keyed by it without the binary's own stamp beside it.

use std::hash::{Hash, Hasher};

pub fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
