//! The link check's report beyond its data (which is `model::link_report`):
//! keeping it in .policyweb/link-report.json after every check, and its
//! terminal and Markdown forms.

use std::path::Path;

pub use crate::load::link_report::{REPORT_FILE, load, path};
pub use crate::model::link_report::summary;
use crate::model::link_report::{LinkOutcome, LinkResult, Report};

/// Keeps the report for the build and `status`, replacing the file whole.
pub fn save(root: &Path, report: &Report) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    crate::output::replace_file(&path(root), json.as_bytes())
}

/// The heading and one-line explanation of each group a report shows.
fn group(outcome: &LinkOutcome) -> Option<(&'static str, u8)> {
    match outcome {
        LinkOutcome::Broken { .. } => Some(("Broken", 0)),
        LinkOutcome::Unchecked { .. } => Some(("Not decided", 1)),
        LinkOutcome::Moved { .. } => Some(("Moved permanently: change the address", 2)),
        _ => None,
    }
}

/// What to say of one address after its URL.
fn detail(outcome: &LinkOutcome) -> String {
    match outcome {
        LinkOutcome::Broken { reason, .. } | LinkOutcome::Unchecked { reason } => reason.clone(),
        LinkOutcome::Moved { code, to } => format!("now {to} ({code})"),
        LinkOutcome::Fine { code } => code.to_string(),
        LinkOutcome::Mail => "e-mail address".into(),
        LinkOutcome::Excluded => "excluded".into(),
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
