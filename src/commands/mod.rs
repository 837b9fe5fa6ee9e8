//! Commands: one file per `policyweb` command (build, check, diff, status,
//! release, new, init, serve, explain). Each loads the site through
//! `load_checked_site`, runs the stages it needs, and owns the wording it
//! prints on the terminal and the JSON it writes; `main.rs` only parses
//! arguments, calls one of them and exits with the code it returns.
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

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostics, Sources};
use crate::model::Site;

/// A site that may go on to be rendered, compared, checked or released:
/// it passed every rule, the references in its Markdown included.
pub struct Checked {
    pub site: Site,
    /// Its warnings, sorted.
    pub diagnostics: Diagnostics,
}

/// A site that may not: every problem found (warnings too), sorted, and
/// the files to show them in.
pub struct Refused {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
}

impl Refused {
    /// Only the errors, as the commands that refuse a site list them.
    pub fn errors(&self) -> Diagnostics {
        let mut errors = self.diagnostics.clone();
        errors.items.retain(|d| d.is_error());
        errors
    }
}

/// Loads and validates the site, then reads every revision's Markdown for
/// its own problems (a mistyped `[[role:…]]`, say, for each view that
/// shows the section): the one way every command accepts or refuses a
/// site, so that each names the same problems at the same places.
pub fn load_checked_site(root: &Path, today: NaiveDate) -> Result<Checked, Refused> {
    load_checked_site_with(root, today, &crate::load::yaml::Memo::default())
}

/// `load_checked_site`, reusing the YAML documents `memo` kept from
/// earlier loads (`serve`).
pub fn load_checked_site_with(
    root: &Path,
    today: NaiveDate,
    memo: &crate::load::yaml::Memo,
) -> Result<Checked, Refused> {
    let (loaded, diagnostics) = crate::load::load_with(root, memo);
    check_loaded(loaded, today, diagnostics)
}

/// `load_checked_site` for what `load` has already read (`check` takes
/// the addresses from it first), with the problems loading found.
pub fn check_loaded(
    loaded: crate::load::Loaded,
    today: NaiveDate,
    diagnostics: Diagnostics,
) -> Result<Checked, Refused> {
    let sources = loaded.sources.clone();
    let (site, mut diagnostics) = crate::validate::validate(loaded, today, diagnostics);
    if let Some(site) = &site {
        diagnostics.extend(crate::render::markdown_problems(site));
    }
    diagnostics.sort(&sources);
    match site {
        Some(site) if !diagnostics.has_errors() => Ok(Checked { site, diagnostics }),
        _ => Err(Refused {
            sources,
            diagnostics,
        }),
    }
}

/// Loads the site for a command that needs it whole; prints its errors
/// and why nothing was done (`doing`: "compare its revisions").
fn load_or_report(root: &Path, today: NaiveDate, color: bool, doing: &str) -> Option<Site> {
    match load_checked_site(root, today) {
        Ok(checked) => Some(checked.site),
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
fn plural(count: usize, joiner: &str, noun: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!("{joiner} 1 {noun}"),
        n => format!("{joiner} {n} {noun}s"),
    }
}
