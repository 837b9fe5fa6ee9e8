//! Results kept between runs (.policyweb/link-cache, git-ignored), so that
//! a second check within the cache age asks nothing of sites whose links
//! were fine. Broken links are never kept: they are asked about every time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::LinkOutcome;

pub const CACHE_FILE: &str = ".policyweb/link-cache";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Seconds since 1970 when the address was last asked about.
    checked: u64,
    outcome: LinkOutcome,
}

fn path(root: &Path) -> PathBuf {
    root.join(CACHE_FILE)
}

impl Cache {
    /// The kept results; none when the file is missing or unreadable (a
    /// damaged cache only costs requests).
    pub fn load(root: &Path) -> Cache {
        std::fs::read_to_string(path(root))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// A result younger than `max_age` seconds at `now`.
    pub fn fresh(&self, url: &str, now: u64, max_age: u64) -> Option<&LinkOutcome> {
        self.entries
            .get(url)
            .filter(|e| now.saturating_sub(e.checked) < max_age)
            .map(|e| &e.outcome)
    }

    /// Keeps a good result (fine, or moved with its new address); forgets
    /// any other, so it is asked about again next time.
    pub fn record(&mut self, url: &str, outcome: &LinkOutcome, now: u64) {
        if matches!(
            outcome,
            LinkOutcome::Fine { .. } | LinkOutcome::Moved { .. }
        ) {
            self.entries.insert(
                url.to_string(),
                Entry {
                    checked: now,
                    outcome: outcome.clone(),
                },
            );
        } else {
            self.entries.remove(url);
        }
    }

    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string(self).map_err(std::io::Error::other)?;
        crate::output::replace_file(&path(root), json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_good_results_are_kept_and_only_while_young() {
        let mut cache = Cache::default();
        let fine = LinkOutcome::Fine { code: 200 };
        let broken = LinkOutcome::Broken {
            reason: "404 Not Found".into(),
            code: Some(404),
        };
        cache.record("https://a.example/", &fine, 1_000);
        cache.record("https://b.example/", &broken, 1_000);
        assert_eq!(cache.fresh("https://a.example/", 1_500, 3_600), Some(&fine));
        assert_eq!(cache.fresh("https://a.example/", 5_000, 3_600), None);
        assert_eq!(cache.fresh("https://b.example/", 1_500, 3_600), None);
        // A good link that breaks is forgotten.
        cache.record("https://a.example/", &broken, 2_000);
        assert_eq!(cache.fresh("https://a.example/", 2_100, 3_600), None);
    }
}
