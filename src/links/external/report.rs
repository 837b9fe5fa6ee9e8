//! The result of a link check: each address, what became of it and where
//! it is used. Kept in .policyweb/link-report.json after every check, so
//! that the build (which never goes online) and `status` can say how the
//! links stood when last checked.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where the last report is kept, under the site root (git-ignored).
pub const REPORT_FILE: &str = ".policyweb/link-report.json";

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
    pub outcome: Outcome,
    /// Where the address is used: `content/reporting.md:8:38`.
    pub places: Vec<String>,
    /// Whether the result came from the cache rather than a request.
    #[serde(default)]
    pub cached: bool,
}

/// What became of one address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
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

impl Outcome {
    pub fn is_broken(&self) -> bool {
        matches!(self, Outcome::Broken { .. })
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
                Outcome::Fine { .. } | Outcome::Mail => counts.fine += 1,
                Outcome::Moved { .. } => counts.moved += 1,
                Outcome::Broken { .. } => counts.broken += 1,
                Outcome::Unchecked { .. } => counts.unchecked += 1,
                Outcome::Excluded => counts.excluded += 1,
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

    /// The day of the check, `2026-11-22`.
    pub fn day(&self) -> &str {
        self.checked_at.get(..10).unwrap_or(&self.checked_at)
    }
}

pub fn path(root: &Path) -> PathBuf {
    root.join(REPORT_FILE)
}

/// The last report, if a check has run here and its file is readable.
pub fn load(root: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(path(root)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Keeps the report for the build and `status`, replacing the file whole.
pub fn save(root: &Path, report: &Report) -> std::io::Result<()> {
    let file = path(root);
    let folder = file.parent().expect("the report file is inside a folder");
    std::fs::create_dir_all(folder)?;
    let json = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    let mut staged = tempfile::NamedTempFile::new_in(folder)?;
    std::io::Write::write_all(&mut staged, json.as_bytes())?;
    staged.persist(&file).map_err(|e| e.error)?;
    Ok(())
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

/// The heading and one-line explanation of each group a report shows.
fn group(outcome: &Outcome) -> Option<(&'static str, u8)> {
    match outcome {
        Outcome::Broken { .. } => Some(("Broken", 0)),
        Outcome::Unchecked { .. } => Some(("Not decided", 1)),
        Outcome::Moved { .. } => Some(("Moved permanently: change the address", 2)),
        _ => None,
    }
}

/// What to say of one address after its URL.
fn detail(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Broken { reason, .. } | Outcome::Unchecked { reason } => reason.clone(),
        Outcome::Moved { code, to } => format!("now {to} ({code})"),
        Outcome::Fine { code } => code.to_string(),
        Outcome::Mail => "e-mail address".into(),
        Outcome::Excluded => "excluded".into(),
    }
}

/// For the terminal: the links that need attention grouped by what is
/// wrong, each with where it is used, then the totals.
pub fn terminal(report: &Report, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    for rank in 0..3 {
        let links: Vec<&LinkResult> = report
            .links
            .iter()
            .filter(|l| group(&l.outcome).is_some_and(|(_, r)| r == rank))
            .collect();
        let Some((title, _)) = links.first().and_then(|l| group(&l.outcome)) else {
            continue;
        };
        let colour = if rank == 0 {
            crate::ansi::RED
        } else {
            crate::ansi::YELLOW
        };
        out.push_str(&paint(colour, &format!("{title} ({})", links.len())));
        out.push('\n');
        for link in links {
            out.push_str(&format!("  {}\n    {}\n", link.url, detail(&link.outcome)));
            for place in &link.places {
                out.push_str(&format!("    used at {place}\n"));
            }
        }
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push_str(&format!(", checked {}.\n", report.checked_at));
    if let Some(words) = report.undecided_words() {
        out.push_str(&format!("{words}.\n"));
    }
    out
}

/// For a CI job summary: the totals, then a table of what needs attention.
pub fn markdown(report: &Report) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let mut out = format!(
        "## External links\n\n{}, checked {}.\n",
        summary(report),
        report.checked_at
    );
    if let Some(words) = report.undecided_words() {
        out.push_str(&format!("\n**{words}.**\n"));
    }
    let attention: Vec<&LinkResult> = report
        .links
        .iter()
        .filter(|l| group(&l.outcome).is_some())
        .collect();
    if !attention.is_empty() {
        out.push_str("\n| | address | what happened | used at |\n|---|---|---|---|\n");
        for link in attention {
            let (title, _) = group(&link.outcome).expect("filtered on group");
            let title = title.split(':').next().unwrap_or(title);
            out.push_str(&format!(
                "| {} | <{}> | {} | {} |\n",
                title,
                link.url,
                cell(&detail(&link.outcome)),
                cell(&link.places.join(", "))
            ));
        }
    }
    out
}
