//! `policyweb status`: one screen of what needs doing (reviews, checks,
//! dates, gaps), as text or JSON.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{json, load_or_report, print};
use crate::cli::Format;

/// `policyweb status`: one screen on stdout; with `--strict`, exit 1 when
/// anything needs doing.
pub fn run(
    root: &Path,
    strict: bool,
    format: Format,
    today: NaiveDate,
    (color_allowed, stderr_color): (bool, bool),
) -> ExitCode {
    let Some(checked) = load_or_report(root, today, stderr_color, "see its status") else {
        return ExitCode::from(1);
    };
    let site = &checked.site;
    let status = crate::status::status(site);
    let text = match format {
        Format::Json => match json(&status) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let color = color_allowed && std::io::stdout().is_terminal();
            crate::status::terminal(&status, color)
        }
    };
    print(&text);
    // What only rendering finds, such as a draft's reference to a section
    // one of its views will not show once it is approved.
    let (_, mut rendered) = crate::generate_checked(&checked);
    rendered.sort(&site.sources);
    rendered.items.retain(|d| d.is_error());
    if rendered.has_errors() {
        eprint!("{}", rendered.render(&site.sources, stderr_color));
        let count = rendered.error_count();
        let (errors, stop, them) = if count == 1 {
            ("error", "stops", "it")
        } else {
            ("errors", "stop", "them")
        };
        eprintln!(
            "The site has {count} {errors} that {stop} a build or a release; fix {them} first."
        );
        return ExitCode::from(1);
    }
    let failures = status.strict_failures();
    if strict && !failures.is_empty() {
        eprintln!(
            "status --strict: {} to attend to: {}",
            failures.len(),
            failures.join("; ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
