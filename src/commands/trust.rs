//! `policyweb build --root TRUST` and `policyweb status --root TRUST`: a
//! trust's schools (`crate::trust`), each built by the same two steps as a
//! site alone (`build::load_for_build`, `build::render_site`), two schools
//! at a time in parallel: a school's pages go into the staging folders
//! under `<school-id>/` and leave memory, its problems are kept with the
//! school's own paths (`school-a/data/people.yaml:4:7`). Only when every
//! school built are the trust's landing page and dashboard added and both
//! outputs swapped in; otherwise the old trust site stays whole.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::build::{BuildOptions, load_for_build_inheriting, render_site, write_failure};
use super::{counted, failed_code, json, plural, print};
use crate::cli::Format;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::model::Site;
use crate::output::{self, guard, staged::Staged};
use crate::trust::dashboard::{self, SchoolStatus, TrustStatus};
use crate::trust::{self, School, Trust};

/// What a trust build found and did.
pub struct Outcome {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The trust's name, when trust.yaml could be read.
    pub trust: Option<String>,
    /// The schools with errors (their ids; `trust.yaml` for the file itself).
    pub failed: Vec<String>,
    /// How many schools were to be built.
    pub schools: usize,
    pub written: Option<Written>,
    /// The command line or the output folders were refused: a usage
    /// error, and nothing was built.
    pub refused: bool,
}

#[derive(Debug, Clone)]
pub struct Written {
    pub public_out: PathBuf,
    pub restricted_out: PathBuf,
    /// Each school built, with its public and restricted pages.
    pub schools: Vec<(String, usize, usize)>,
    /// The trust's own pages are in both outputs: its landing page and
    /// its dashboard.
    pub public_pages: usize,
    pub restricted_pages: usize,
}

/// The public and the restricted output being written.
struct Outputs {
    public: Staged,
    restricted: Staged,
}

impl Outcome {
    fn stopped(sources: Sources, mut diagnostics: Diagnostics, refused: bool) -> Outcome {
        diagnostics.sort(&sources);
        Outcome {
            sources,
            diagnostics,
            trust: None,
            failed: vec![trust::FILE.into()],
            schools: 0,
            written: None,
            refused,
        }
    }
}

/// Builds the trust at `options.root`: every school, or only `only`
/// (`--school`, for a CI matrix), then the trust's own pages.
pub fn build(options: &BuildOptions, only: Option<&str>) -> Outcome {
    crate::start_workers();
    let (trust, mut sources, mut diagnostics) = trust::load(&options.root);
    let Some(trust) = trust else {
        return Outcome::stopped(sources, diagnostics, false);
    };
    let mut failed = Vec::new();
    if diagnostics.has_errors() {
        failed.push(trust::FILE.to_string());
    }
    let selected: Vec<String> = match trust.select(only) {
        Ok(schools) => schools.iter().map(|s| s.id.clone()).collect(),
        Err(problem) => {
            diagnostics.push(Diagnostic::error(problem));
            return Outcome::stopped(sources, diagnostics, true);
        }
    };
    let mut outputs = match outputs(options, &trust) {
        Ok(outputs) => outputs,
        Err(refusals) => {
            let mut shown = Diagnostics::default();
            shown.extend(diagnostics.into_iter().filter(Diagnostic::is_error));
            shown.extend(refusals);
            return Outcome::stopped(sources, shown, true);
        }
    };
    let mut built = Vec::new();
    let mut schools = Vec::new();
    let mut render_caches = Vec::new();
    // Set once any school fails: the outputs will not be swapped in, so
    // no later school's pages are written.
    let failing = AtomicBool::new(!failed.is_empty());
    // Kept across the schools: a template they share is parsed once, not
    // once a school.
    let memo = crate::load::yaml::Memo::default();
    // A batch of schools at a time, in parallel, so that one school's
    // reading (which is not parallel) overlaps another's rendering, while
    // memory holds only a batch's pages.
    for batch in trust.schools.chunks(SCHOOLS_AT_ONCE) {
        if output::interrupt::stopped().is_some() {
            break;
        }
        let results: Vec<SchoolBuild> = batch
            .par_iter()
            .map(|school| {
                let chosen = selected.contains(&school.id);
                build_school(
                    options,
                    &trust,
                    school,
                    chosen,
                    outputs.as_ref(),
                    &failing,
                    &memo,
                )
            })
            .collect();
        for (school, result) in batch.iter().zip(results) {
            let SchoolBuild {
                site,
                sources: school_sources,
                mut found,
                pages,
                write_failed,
                render_cache,
            } = result;
            render_caches.extend(render_cache);
            if write_failed {
                outputs = None;
            }
            let chosen = selected.contains(&school.id);
            // A site with errors says nothing on the trust's pages.
            let unusable = found.error_count();
            if !chosen {
                // Another shard's school: read for the trust's pages only,
                // and its problems left to its own shard to list.
                let errors = unusable;
                found = Diagnostics::default();
                if errors > 0 {
                    found.push(Diagnostic::warning(format!(
                        "the site of the school `{}` has errors, so the trust's pages say nothing of it: `policyweb build --school {}` lists them",
                        school.id, school.id
                    )));
                }
            }
            let errors = found.error_count();
            if errors > 0 {
                failed.push(school.id.clone());
            }
            schools.push(school_status(school, site.as_ref(), unusable));
            diagnostics.extend(take_in(&mut sources, school, &school_sources, found));
            if let Some((public, restricted)) = pages {
                built.push((school.id.clone(), public, restricted));
            }
        }
    }
    if output::interrupt::stopped().is_some() {
        diagnostics.push(Diagnostic::error(
            "the build was interrupted; its temporary folders were removed",
        ));
    }
    let count = selected.len();
    let mut outcome = Outcome {
        sources,
        diagnostics,
        trust: Some(trust.name.clone()),
        failed,
        schools: count,
        written: None,
        refused: false,
    };
    let Some(outputs) = outputs.filter(|_| !outcome.diagnostics.has_errors()) else {
        outcome.diagnostics.sort(&outcome.sources);
        return outcome;
    };
    let status = TrustStatus {
        trust: trust.name.clone(),
        today: crate::model::PolicyDate::from_naive(options.today).iso(),
        schools,
    };
    match finish(&trust, &status, outputs) {
        Ok((notes, public_pages, restricted_pages)) => {
            outcome
                .diagnostics
                .extend(notes.into_iter().flatten().map(Diagnostic::warning));
            render_caches
                .into_iter()
                .for_each(crate::render::stored::Pending::commit);
            outcome.written = Some(Written {
                public_out: options.out.clone(),
                restricted_out: restricted_out(options),
                schools: built,
                public_pages,
                restricted_pages,
            });
        }
        Err(problem) => outcome.diagnostics.push(problem),
    }
    outcome.diagnostics.sort(&outcome.sources);
    outcome
}

/// How many schools are read and rendered at once: enough to keep two
/// cores busy, few enough that a trust's peak memory is a couple of
/// schools' whatever the number of schools.
const SCHOOLS_AT_ONCE: usize = 2;

/// One school as read, rendered and written.
struct SchoolBuild {
    site: Option<Site>,
    sources: Sources,
    found: Diagnostics,
    /// Its public and restricted pages, when it was rendered.
    pages: Option<(usize, usize)>,
    /// Writing its pages failed (the failure is in `found`).
    write_failed: bool,
    /// Its render cache for the next build, staged in its own root and
    /// kept only if the whole trust is written.
    render_cache: Option<crate::render::stored::Pending>,
}

/// Reads and renders one school (only read when it is not `chosen`) and,
/// while no school has failed, writes its pages into the staging folders
/// under `<school-id>/`; they leave memory when this returns.
fn build_school(
    options: &BuildOptions,
    trust: &Trust,
    school: &School,
    chosen: bool,
    outputs: Option<&Outputs>,
    failing: &AtomicBool,
    memo: &crate::load::yaml::Memo,
) -> SchoolBuild {
    let (site, sources, mut found) = load_for_build_inheriting(
        &school.root,
        options.today,
        options
            .base_url
            .as_deref()
            .map(|base| under(base, &school.id))
            .as_deref(),
        trust.template_from(school),
        memo,
    );
    let mut pages = None;
    let mut write_failed = false;
    let generated = match &site {
        Some(site) if chosen => {
            // The school's pages are under its id in either output.
            let restricted = restricted_out(options);
            let previous = [options.out.join(&school.id), restricted.join(&school.id)];
            render_site(
                site,
                &mut found,
                &[&options.out, &restricted],
                [&previous[0], &previous[1]],
            )
        }
        _ => None,
    };
    if chosen && found.has_errors() {
        failing.store(true, Ordering::Relaxed);
    }
    let mut render_cache = None;
    if let Some((generated, kept)) = generated {
        render_cache = Some(kept.pending);
        if let Some(writing) = outputs.filter(|_| !failing.load(Ordering::Relaxed)) {
            let written = writing
                .restricted
                .add(&school.id, &generated.restricted)
                .and_then(|()| writing.public.add(&school.id, &generated.public));
            if let Err(failure) = written {
                found.push(write_failure(failure));
                failing.store(true, Ordering::Relaxed);
                write_failed = true;
            }
        }
        pages = Some((
            generated.public.html_pages(),
            generated.restricted.html_pages(),
        ));
    }
    SchoolBuild {
        site,
        sources,
        found,
        pages,
        write_failed,
        render_cache,
    }
}

/// `base` for a school: `https://trust.example/` gives
/// `https://trust.example/school-a/`.
fn under(base: &str, id: &str) -> String {
    format!("{}/{id}/", base.trim_end_matches('/'))
}

/// Where the trust's restricted output goes: `--restricted-out`, else
/// restricted/ in the trust's folder.
fn restricted_out(options: &BuildOptions) -> PathBuf {
    options
        .restricted_out
        .clone()
        .unwrap_or_else(|| options.root.join("restricted"))
}

/// The two outputs, checked as a site's are against the trust's folder
/// and against every school's, and started.
fn outputs(options: &BuildOptions, trust: &Trust) -> Result<Option<Outputs>, Vec<Diagnostic>> {
    let restricted_path = restricted_out(options);
    let restricted_what = match &options.restricted_out {
        Some(path) => format!("--restricted-out {}", path.display()),
        None => "the restricted output (restricted/ in the trust's folder)".into(),
    };
    let public = guard::Asked {
        path: &options.out,
        what: format!("--out {}", options.out.display()),
    };
    let restricted = guard::Asked {
        path: &restricted_path,
        what: restricted_what,
    };
    let refusal = |r: guard::Refusal| Diagnostic::error(r.message).help(r.help);
    // Every school's folder is a site root the outputs must keep clear of,
    // as the trust's own folder is.
    let mut refusals = Vec::new();
    for school in &trust.schools {
        let Ok(root) = guard::resolve(&school.root) else {
            continue;
        };
        for asked in [&public, &restricted] {
            let Ok(path) = guard::resolve(asked.path) else {
                continue;
            };
            let what = format!("{} (for the school `{}`)", asked.what, school.id);
            refusals.extend(guard::placement(&root, &path, &what).map(refusal));
        }
    }
    let checked = guard::check(&options.root, &public, &restricted, true);
    let (public_path, restricted_path) = match checked {
        Ok(paths) if refusals.is_empty() => paths,
        Ok(_) => return Err(refusals),
        Err(more) => {
            refusals.extend(more.into_iter().map(refusal));
            return Err(refusals);
        }
    };
    let start = || -> Result<Outputs, output::WriteFailure> {
        Ok(Outputs {
            restricted: Staged::begin(&restricted_path, guard::Kind::Restricted)?,
            public: Staged::begin(&public_path, guard::Kind::Public)?,
        })
    };
    start()
        .map(Some)
        .map_err(|failure| vec![write_failure(failure)])
}

/// The trust's pages added, and both outputs swapped in: restricted
/// first, so that if it fails the public site is still unchanged.
fn finish(
    trust: &Trust,
    status: &TrustStatus,
    outputs: Outputs,
) -> Result<([Option<String>; 2], usize, usize), Diagnostic> {
    let theme = crate::render::theme::load(&trust.root, "default")?;
    let (public, restricted) = crate::trust::pages::render(status, &theme.assets)?;
    let added = outputs
        .restricted
        .add("", &restricted)
        .and_then(|()| outputs.public.add("", &public));
    added.map_err(write_failure)?;
    let restricted_note = outputs.restricted.finish().map_err(write_failure)?;
    let public_note = outputs.public.finish().map_err(write_failure)?;
    Ok((
        [restricted_note, public_note],
        public.html_pages(),
        restricted.html_pages(),
    ))
}

/// A school's line on the trust's pages: from its own status when its
/// site has no errors.
fn school_status(school: &School, site: Option<&Site>, errors: usize) -> SchoolStatus {
    match site.filter(|_| errors == 0) {
        Some(site) => {
            let mut line = SchoolStatus::of(school, &crate::status::status(site));
            line.governance_view = site
                .settings
                .views
                .iter()
                .find(|v| v.governance && v.restricted)
                .map(|v| v.id.clone());
            line
        }
        None => SchoolStatus::unreadable(school, errors),
    }
}

/// A school's problems made the trust's: paths under the school's folder,
/// and a problem with no file named with the school.
fn take_in(
    sources: &mut Sources,
    school: &School,
    school_sources: &Sources,
    found: Diagnostics,
) -> Diagnostics {
    let mut moved = sources.take_in(school_sources, &school.path, found);
    for problem in &mut moved.items {
        if problem.place.is_none() {
            problem.message = format!("{}: {}", school.id, problem.message);
        }
    }
    moved
}

/// `policyweb build --root TRUST [--school ID]`: problems on stderr, then
/// what was built; the exit code as `build`'s.
pub fn run_build(
    options: &BuildOptions,
    only: Option<&str>,
    quiet: bool,
    verbose: bool,
    color: bool,
) -> ExitCode {
    let started = std::time::Instant::now();
    if !trust::is_trust(&options.root) {
        eprintln!(
            "error: --school builds one school of a trust, and {} has no {}",
            options.root.display(),
            trust::FILE
        );
        eprintln!("Nothing was built, and no folder was changed.");
        return ExitCode::from(2);
    }
    output::interrupt::watch_signals();
    let outcome = build(options, only);
    let mut shown = outcome.diagnostics.clone();
    if quiet {
        shown.items.retain(|d| d.is_error());
    }
    eprint!("{}", shown.render(&outcome.sources, color));
    let errors = outcome.diagnostics.error_count();
    let warnings = outcome.diagnostics.warning_count();
    match &outcome.written {
        Some(written) => {
            if !quiet {
                let pages: usize =
                    written.schools.iter().map(|(_, p, _)| p).sum::<usize>() + written.public_pages;
                eprintln!(
                    "Built {} of {} into {} in {} ms: {}{}.",
                    schools(written.schools.len()),
                    outcome.trust.as_deref().unwrap_or("the trust"),
                    options.out.display(),
                    started.elapsed().as_millis(),
                    counted(pages, "page"),
                    plural(warnings, " with", "warning"),
                );
                if verbose {
                    for (id, public, restricted) in &written.schools {
                        eprintln!("  {id}: {public} pages, {restricted} restricted");
                    }
                }
                let restricted: usize = written.schools.iter().map(|(_, _, r)| r).sum::<usize>()
                    + written.restricted_pages;
                eprintln!(
                    "The trust dashboard and restricted views: {} in {} (never published).",
                    counted(restricted, "page"),
                    written.restricted_out.display()
                );
                eprintln!(
                    "Open {} in a browser, or serve the folder: python3 -m http.server --directory {}",
                    options.out.join("index.html").display(),
                    options.out.display()
                );
            }
            ExitCode::SUCCESS
        }
        None if outcome.refused => {
            eprintln!("Nothing was built, and no folder was changed.");
            ExitCode::from(2)
        }
        None => {
            let schools_failed: Vec<&str> = outcome
                .failed
                .iter()
                .map(String::as_str)
                .filter(|f| *f != trust::FILE)
                .collect();
            let place = if schools_failed.is_empty() {
                String::new()
            } else {
                format!(
                    " in {} of {} ({})",
                    schools_failed.len(),
                    schools(outcome.schools),
                    schools_failed.join(", ")
                )
            };
            eprintln!(
                "The build failed{}{}{place}; {} was not changed.",
                plural(errors, " with", "error"),
                plural(warnings, ",", "warning"),
                options.out.display()
            );
            failed_code()
        }
    }
}

/// "1 school", "3 schools".
fn schools(count: usize) -> String {
    if count == 1 {
        "1 school".into()
    } else {
        format!("{count} schools")
    }
}

/// Every school's status, and the errors that stop their builds (with the
/// schools' own paths), for `status --root TRUST`.
pub fn status(root: &Path, today: NaiveDate) -> (Option<TrustStatus>, Sources, Diagnostics) {
    let (trust, mut sources, mut diagnostics) = trust::load(root);
    let Some(trust) = trust else {
        return (None, sources, diagnostics);
    };
    diagnostics.items.retain(Diagnostic::is_error);
    let mut schools = Vec::new();
    let memo = crate::load::yaml::Memo::default();
    for school in &trust.schools {
        let inherited = trust.template_from(school);
        match crate::load_checked_site_inheriting(&school.root, today, &memo, inherited) {
            Ok(checked) => {
                // What only rendering finds (a link to a page the build
                // does not write, a draft's reference its view will not
                // show once approved) stops the school's own `status`, so
                // it stops the trust's too.
                let (_, mut rendered) = crate::generate_checked(&checked);
                rendered.items.retain(Diagnostic::is_error);
                let errors = rendered.error_count();
                schools.push(school_status(school, Some(&checked.site), errors));
                if errors > 0 {
                    diagnostics.extend(take_in(
                        &mut sources,
                        school,
                        &checked.site.sources,
                        rendered,
                    ));
                }
            }
            Err(refused) => {
                let errors = refused.errors();
                schools.push(SchoolStatus::unreadable(school, errors.error_count()));
                diagnostics.extend(take_in(&mut sources, school, &refused.sources, errors));
            }
        }
    }
    diagnostics.sort(&sources);
    let status = TrustStatus {
        trust: trust.name.clone(),
        today: crate::model::PolicyDate::from_naive(today).iso(),
        schools,
    };
    (Some(status), sources, diagnostics)
}

/// `policyweb status --root TRUST`: the dashboard on stdout, the errors
/// on stderr; exit 1 when a school has errors, or with `--strict` when any
/// school has something to attend to.
pub fn run_status(
    root: &Path,
    strict: bool,
    format: Format,
    today: NaiveDate,
    (color_allowed, stderr_color): (bool, bool),
) -> ExitCode {
    let (status, sources, diagnostics) = status(root, today);
    eprint!("{}", diagnostics.render(&sources, stderr_color));
    let Some(status) = status else {
        eprintln!(
            "The trust's {} has errors; fix them to see its status.",
            trust::FILE
        );
        return ExitCode::from(1);
    };
    let text = match format {
        Format::Json => match json(&status) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let color = color_allowed && std::io::stdout().is_terminal();
            dashboard::terminal(&status, color)
        }
    };
    print(&text);
    if diagnostics.has_errors() {
        let count = diagnostics.error_count();
        eprintln!(
            "The trust has {count} error{} that stop{} a build; fix {} first.",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
            if count == 1 { "it" } else { "them" }
        );
        return ExitCode::from(1);
    }
    let failing: Vec<String> = status
        .schools
        .iter()
        .filter(|s| s.fails())
        .map(|s| format!("{} ({})", s.id, s.to_attend_to.join("; ")))
        .collect();
    if strict && !failing.is_empty() {
        eprintln!(
            "status --strict: {} of {} to attend to: {}",
            failing.len(),
            schools(status.schools.len()),
            failing.join("; ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
