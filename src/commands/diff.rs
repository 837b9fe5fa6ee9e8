//! `policyweb diff OLD NEW`: what changed between two revisions, as text
//! for a person or JSON for a tool.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{Checked, json, load_or_report, print};
use crate::cli::Format;

/// `policyweb diff`: the account on stdout, coloured when stdout is a
/// terminal (and NO_COLOR is unset); problems on stderr.
pub fn run(
    root: &Path,
    (old, new): (&str, &str),
    view: Option<&str>,
    format: Format,
    (color_allowed, stderr_color): (bool, bool),
    now: NaiveDate,
) -> ExitCode {
    let Some(Checked { site, .. }) =
        load_or_report(root, now, stderr_color, "compare its revisions")
    else {
        return ExitCode::from(1);
    };
    let known: Vec<&str> = site.revisions.iter().map(|r| r.id.as_str()).collect();
    let find = |id: &str| {
        site.revision(id).ok_or_else(|| {
            format!(
                "there is no revision `{id}`; data/versions.yaml lists {}",
                known.join(", ")
            )
        })
    };
    let (old, new) = match (find(old), find(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(problem), _) | (_, Err(problem)) => {
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    if let Some(view) = view
        && !site.settings.views.iter().any(|v| v.id == view)
    {
        let views: Vec<&str> = site.settings.views.iter().map(|v| v.id.as_str()).collect();
        eprintln!(
            "error: there is no view `{view}`; data/site.yaml lists {}",
            views.join(", ")
        );
        return ExitCode::from(2);
    }
    let changes = crate::changes::compare(&site, old, new, view);
    let text = match format {
        Format::Json => match json(&changes) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let color = color_allowed && std::io::stdout().is_terminal();
            crate::changes::report::terminal(&changes, color)
        }
    };
    // A reader that stops early (`| head`) is not an error.
    print(&text);
    ExitCode::SUCCESS
}
