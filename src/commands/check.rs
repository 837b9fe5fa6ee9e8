//! `policyweb check`: every external link checked, the report on stdout
//! (text, Markdown or JSON) and progress on stderr.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{Refused, check_loaded, json, print};
use crate::cli::ReportFormat;
use crate::links::external::{self, LinkResult, Report, report};

/// `policyweb check`: every external link, checked; the report on stdout,
/// progress on stderr (a bar on a terminal, a line per address in CI).
pub fn run(
    root: &Path,
    no_cache: bool,
    warn_only: bool,
    format: ReportFormat,
    quiet: bool,
    color: bool,
    today: NaiveDate,
) -> ExitCode {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: usize, total: usize, result: &LinkResult| match &bar {
        Some(bar) => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(result.url.clone());
        }
        None if !quiet => {
            let state = match result.outcome {
                external::LinkOutcome::Broken { .. } => "broken",
                external::LinkOutcome::Unchecked { .. } => "not decided",
                external::LinkOutcome::Moved { .. } => "moved",
                external::LinkOutcome::Excluded => "excluded",
                _ => "ok",
            };
            eprintln!("[{done}/{total}] {state} {}", result.url);
        }
        None => {}
    };
    let outcome = check_links(root, today, !no_cache, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match outcome {
        Ok(report) => report,
        Err(CheckFailure::Site(refused)) => {
            eprint!("{}", refused.errors().render(&refused.sources, color));
            eprintln!("The site has errors; fix them to check its links.");
            return ExitCode::from(1);
        }
        Err(CheckFailure::Checker(problem)) => {
            eprintln!("error: {problem}");
            return ExitCode::from(1);
        }
    };
    let text = match format {
        ReportFormat::Text => report::terminal(&report, color && std::io::stdout().is_terminal()),
        ReportFormat::Markdown => report::markdown(&report),
        ReportFormat::Json => match json(&report) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
    };
    print(&text);
    if report.fails() && !warn_only {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Why a check could not run.
enum CheckFailure {
    /// The site has errors; they are listed.
    Site(Refused),
    /// The checker itself could not start or finish.
    Checker(String),
}

/// Reads the site, checks every live external address, and keeps the
/// report (and, unless `use_cache` is false, the cache) under .policyweb/.
fn check_links(
    root: &Path,
    today: NaiveDate,
    use_cache: bool,
    progress: external::check::Progress,
) -> Result<Report, CheckFailure> {
    let memo = crate::load::yaml::Memo::default();
    let (loaded, diagnostics) = crate::load::load_with(root, &memo);
    let in_data = external::collect::in_data(&loaded);
    let checked = check_loaded(loaded, today, diagnostics, &memo, Default::default())
        .map_err(CheckFailure::Site)?;
    let addresses = external::collect::addresses(&checked.site, &checked.sections, &in_data);
    let site = checked.site;
    let mut cache = if use_cache {
        external::cache::Cache::load(root)
    } else {
        external::cache::Cache::default()
    };
    let report = external::check::check(
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
