//! The result of the last external link check, as plain data: each
//! address, what became of it and where it is used, with the counts and
//! the one-line summary pages and `status` show. `load` reads it from
//! .policyweb/link-report.json; the check command writes it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Report {
    /// When the check finished, in UTC: `2026-11-22T17:50:00Z`.
    pub checked_at: String,
    /// Every distinct address, broken ones first.
    pub links: Vec<LinkResult>,
    /// The check fails when more than this share of the addresses asked
    /// about could not be decided (`link_check.max_undecided_percent`).
    #[serde(default = "every_link")]
    pub max_undecided_percent: u8,
}

fn every_link() -> u8 {
    100
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LinkResult {
    pub url: String,
    pub outcome: LinkOutcome,
    /// Where the address is used: `content/reporting.md:8:38`.
    pub places: Vec<String>,
    /// Whether the result came from the cache rather than a request.
    #[serde(default)]
    pub cached: bool,
}

/// What became of one address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum LinkOutcome {
    /// An accepted status, directly or through temporary redirects.
    Fine { code: u16 },
    /// Fine, but through a permanent redirect: the address should change.
    Moved { code: u16, to: String },
    /// An e-mail address, well formed (its mailbox is not asked about).
    Mail,
    /// Not found, gone, refused, timed out, looping, or a missing fragment.
    Broken { reason: String, code: Option<u16> },
    /// Could not be decided (the server kept asking to wait, say).
    Unchecked { reason: String },
    /// Matches an exclude in site.yaml.
    Excluded,
}

impl LinkOutcome {
    pub fn is_broken(&self) -> bool {
        matches!(self, LinkOutcome::Broken { .. })
    }
}

/// How many addresses ended each way.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub fine: usize,
    pub moved: usize,
    pub broken: usize,
    pub unchecked: usize,
    pub excluded: usize,
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for link in &self.links {
            match link.outcome {
                LinkOutcome::Fine { .. } | LinkOutcome::Mail => counts.fine += 1,
                LinkOutcome::Moved { .. } => counts.moved += 1,
                LinkOutcome::Broken { .. } => counts.broken += 1,
                LinkOutcome::Unchecked { .. } => counts.unchecked += 1,
                LinkOutcome::Excluded => counts.excluded += 1,
            }
        }
        counts
    }

    /// Whether more of the links asked about were left undecided than
    /// site.yaml allows: a check that could decide little has not passed.
    pub fn too_many_undecided(&self) -> bool {
        let counts = self.counts();
        let asked = self.links.len() - counts.excluded;
        asked > 0 && counts.unchecked * 100 > asked * usize::from(self.max_undecided_percent)
    }

    /// Whether `check` fails: a link is broken, or too many were undecided.
    pub fn fails(&self) -> bool {
        self.counts().broken > 0 || self.too_many_undecided()
    }

    /// "3 of 10 links could not be decided, more than the 10% allowed".
    pub fn undecided_words(&self) -> Option<String> {
        let counts = self.counts();
        self.too_many_undecided().then(|| {
            format!(
                "{} of {} links could not be decided, more than the {}% link_check.max_undecided_percent allows: the check fails",
                counts.unchecked,
                self.links.len() - counts.excluded,
                self.max_undecided_percent
            )
        })
    }

    /// The day of the check where it is read, `2026-11-22`: the report
    /// records the instant in UTC, and `status` counts days from the local
    /// clock's today, so a check at 00:30 in a British summer (23:30 UTC
    /// the day before) was today, not yesterday. A time stamp that is not
    /// RFC 3339 gives its first ten characters.
    pub fn day(&self) -> String {
        match chrono::DateTime::parse_from_rfc3339(&self.checked_at) {
            Ok(instant) => instant
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string(),
            Err(_) => self
                .checked_at
                .get(..10)
                .unwrap_or(&self.checked_at)
                .to_string(),
        }
    }
}

/// "58 links: 55 fine, 2 broken, 1 moved (40 from the cache)".
pub fn summary(report: &Report) -> String {
    let counts = report.counts();
    let mut parts = vec![format!("{} fine", counts.fine)];
    for (n, words) in [
        (counts.broken, "broken"),
        (counts.moved, "moved"),
        (counts.unchecked, "not decided"),
        (counts.excluded, "excluded"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    let cached = report.links.iter().filter(|l| l.cached).count();
    let mut line = format!("{} links: {}", report.links.len(), parts.join(", "));
    if cached > 0 {
        line.push_str(&format!(" ({cached} from the cache)"));
    }
    line
}
