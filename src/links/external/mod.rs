//! External links: every outside address the policy uses, with the file,
//! line and column it comes from (`collect`), checked over reqwest
//! (`check` schedules, `ask` makes one attempt by the redirect rules,
//! `fragment` reads a page for its #fragment within a size limit, `reason`
//! words failures), remembered between runs (`cache`), and reported
//! (`report`).
//! Only `policyweb check` goes online; the build reads the last report.

pub mod ask;
pub mod cache;
pub mod check;
pub mod collect;
pub mod fragment;
pub mod reason;
pub mod report;

use std::path::Path;

use chrono::NaiveDate;

pub use crate::model::link_report::{Counts, LinkOutcome, LinkResult, Report};

use crate::diagnostics::{Diagnostics, Sources};

/// Why a check could not run.
pub enum CheckFailure {
    /// The site has errors; they are listed.
    Site(Sources, Diagnostics),
    /// The checker itself could not start or finish.
    Checker(String),
}

/// Reads the site, checks every live external address, and keeps the
/// report (and, unless `use_cache` is false, the cache) under .policyweb/.
pub fn run(
    root: &Path,
    today: NaiveDate,
    use_cache: bool,
    progress: check::Progress,
) -> Result<Report, CheckFailure> {
    let (loaded, diagnostics) = crate::load::load(root);
    let addresses = collect::addresses(&loaded);
    let sources = loaded.sources.clone();
    let (site, mut diagnostics) = crate::validate::validate(loaded, today, diagnostics);
    diagnostics.sort(&sources);
    diagnostics.items.retain(|d| d.is_error());
    let Some(site) = site.filter(|_| !diagnostics.has_errors()) else {
        return Err(CheckFailure::Site(sources, diagnostics));
    };
    let mut cache = if use_cache {
        cache::Cache::load(root)
    } else {
        cache::Cache::default()
    };
    let report = check::check(
        addresses,
        &site.settings.link_check,
        Some(&mut cache),
        progress,
    )
    .map_err(CheckFailure::Checker)?;
    cache
        .save(root)
        .and_then(|()| report::save(root, &report))
        .map_err(|e| {
            CheckFailure::Checker(format!("cannot keep the results in .policyweb/: {e}"))
        })?;
    Ok(report)
}
