//! Commands: one file per `policyweb` command (build, check, diff, status,
//! release, new, init, serve, explain; `trust` for a trust's folder). Each loads the site through
//! `load_checked_site` (`build` runs the same stages itself, because the
//! output folders are weighed between validating and rendering), runs the
//! stages it needs, and owns the wording it prints on the terminal and the
//! JSON it writes; `main.rs` only parses arguments, calls one of them and
//! exits with the code it returns.
//! This is the top layer: nothing below imports it.

pub mod build;
pub mod check;
pub mod diff;
pub mod explain;
pub mod init;
pub mod new;
pub mod release;
pub mod serve;
pub mod status;
pub mod template;
pub mod trust;

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

pub use crate::{Checked, Refused, build_errors, check_loaded, load_checked_site};

/// Loads the site for a command that needs it whole; prints its errors
/// and why nothing was done (`doing`: "compare its revisions").
fn load_or_report(root: &Path, today: NaiveDate, color: bool, doing: &str) -> Option<Checked> {
    match load_checked_site(root, today) {
        Ok(checked) => Some(checked),
        Err(refused) => {
            eprint!("{}", refused.errors().render(&refused.sources, color));
            eprintln!("The site has errors; fix them to {doing}.");
            None
        }
    }
}

/// A report as JSON for tools; `None` (the problem said) if it cannot be.
fn json(value: &impl serde::Serialize) -> Option<String> {
    match serde_json::to_string_pretty(value) {
        Ok(json) => Some(json + "\n"),
        Err(error) => {
            eprintln!("error: cannot write JSON: {error}");
            None
        }
    }
}

/// Writes a report to stdout; a reader that stops early (`| head`) is not
/// an error.
fn print(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// " with 2 warnings", "" for none.
/// The exit code of a build that failed: the number of the signal that
/// stopped it (Ctrl-C), or 1 for a problem in the site.
fn failed_code() -> std::process::ExitCode {
    let stopped = crate::output::interrupt::stopped();
    std::process::ExitCode::from(
        stopped
            .and_then(|code| u8::try_from(code).ok())
            .unwrap_or(1),
    )
}

/// `1 page`, `2 pages`: a count with its noun.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn plural(count: usize, joiner: &str, noun: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!("{joiner} 1 {noun}"),
        n => format!("{joiner} {n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_is_said_in_the_singular() {
        assert_eq!(counted(1, "page"), "1 page");
        assert_eq!(counted(0, "page"), "0 pages");
        assert_eq!(counted(357, "page"), "357 pages");
        assert_eq!(plural(1, " with", "warning"), " with 1 warning");
        assert_eq!(plural(0, " with", "warning"), "");
    }
}
