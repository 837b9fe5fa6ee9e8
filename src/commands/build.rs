//! `policyweb build`: the whole build (load, validate, render, check, and
//! only if nothing is wrong, write), and what it says on the terminal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{counted, failed_code, plural};
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::load::yaml::Memo;
use crate::model::Site;
use crate::{address, curriculum, output, render, urls, validate};

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: content/, data/, themes/.
    pub root: PathBuf,
    /// Where the public site goes (replaced whole on success).
    pub out: PathBuf,
    /// Where restricted views go (`build --restricted-out`), in place of
    /// `restricted_out` in data/site.yaml and the default, restricted/ in
    /// the site root.
    pub restricted_out: Option<PathBuf>,
    /// The day to treat as today, for overdue reviews.
    pub today: NaiveDate,
    /// The address the site will be served from, in place of `base_url`
    /// in data/site.yaml (`build --base-url`), checked as that is.
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// Where restricted views go, and how to name that place in a
    /// message: `--restricted-out`, else `restricted_out` in
    /// data/site.yaml (from the site root), else restricted/ in the site
    /// root, never beside an arbitrary `--out`.
    pub fn restricted_out(&self, site: &Site) -> (PathBuf, String) {
        match (&self.restricted_out, &site.settings.restricted_out) {
            (Some(path), _) => (path.clone(), format!("--restricted-out {}", path.display())),
            (None, Some(path)) => (
                self.root.join(path),
                format!("restricted_out in data/site.yaml ({path})"),
            ),
            (None, None) => (
                self.root.join("restricted"),
                "the restricted output (restricted/ in the site root)".into(),
            ),
        }
    }
}

/// What a build found and did.
pub struct BuildReport {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// Pages written to the public output, when the build succeeded.
    pub written: Option<Written>,
    /// The output folders were refused (`output::guard`): a usage error,
    /// and nothing was built.
    pub refused: bool,
}

#[derive(Debug, Clone)]
pub struct Written {
    /// Where the public and the restricted output went.
    pub public_out: PathBuf,
    pub restricted_out: PathBuf,
    pub public_pages: usize,
    pub restricted_pages: usize,
    /// Each view's id with the number of pages written for it.
    pub views: Vec<(String, usize)>,
    /// What the render reused from the render cache, for `--verbose`.
    pub render_cache: String,
    /// The newest revision's id and the gaps in its curriculum, one
    /// sentence a strand (none without a curriculum).
    pub curriculum_gaps: (String, Vec<String>),
}

impl BuildReport {
    pub fn succeeded(&self) -> bool {
        self.written.is_some()
    }
}

/// The whole build: load, validate, render, check, and only if nothing is
/// wrong, write. On any error the output folders are left as they were.
pub fn build(options: &BuildOptions) -> BuildReport {
    crate::start_workers();
    crate::render::theme::prepare_default(&options.root);
    let (site, sources, mut diagnostics) =
        load_for_build(&options.root, options.today, options.base_url.as_deref());
    let Some(site) = site else {
        // Without site.yaml or versions.yaml there is nothing to render.
        diagnostics.sort(&sources);
        return BuildReport {
            sources,
            diagnostics,
            written: None,
            refused: false,
        };
    };
    // Before any work: the outputs may only be folders policyweb owns.
    let (restricted_out, restricted_what) = options.restricted_out(&site);
    let writes_restricted = site.settings.views.iter().any(|view| view.restricted);
    let public = output::guard::Asked {
        path: &options.out,
        what: format!("--out {}", options.out.display()),
    };
    let restricted = output::guard::Asked {
        path: &restricted_out,
        what: restricted_what,
    };
    let (public_out, restricted_out) =
        match output::guard::check(&options.root, &public, &restricted, writes_restricted) {
            Ok(resolved) => resolved,
            Err(refusals) => {
                // The command line is what is wrong: the refusal stands
                // alone, with the site's errors but not its warnings.
                let mut shown = Diagnostics::default();
                shown.extend(diagnostics.into_iter().filter(Diagnostic::is_error));
                shown.extend(
                    refusals
                        .into_iter()
                        .map(|r| Diagnostic::error(r.message).help(r.help)),
                );
                let mut diagnostics = shown;
                diagnostics.sort(&sources);
                return BuildReport {
                    sources,
                    diagnostics,
                    written: None,
                    refused: true,
                };
            }
        };
    let outputs = [public_out.as_path(), restricted_out.as_path()];
    let generated = render_site(&site, &mut diagnostics, &outputs, outputs);
    diagnostics.sort(&sources);
    let Some((generated, kept)) = generated else {
        return BuildReport {
            sources,
            diagnostics,
            written: None,
            refused: false,
        };
    };
    // Restricted first: if it fails, the public site is still unchanged.
    let result = if generated.restricted.is_empty() {
        output::remove(&restricted_out, output::guard::Kind::Restricted).map(|()| None)
    } else {
        output::write(
            &generated.restricted,
            &restricted_out,
            output::guard::Kind::Restricted,
        )
    }
    .and_then(|restricted_note| {
        let public_note =
            output::write(&generated.public, &public_out, output::guard::Kind::Public)?;
        Ok([restricted_note, public_note])
    });
    match result {
        Ok(notes) => {
            diagnostics.extend(notes.into_iter().flatten().map(Diagnostic::warning));
            kept.pending.commit();
        }
        Err(failure) => {
            diagnostics.push(write_failure(failure));
            return BuildReport {
                sources,
                diagnostics,
                written: None,
                refused: false,
            };
        }
    }
    BuildReport {
        sources,
        diagnostics,
        refused: false,
        written: Some(Written {
            public_out,
            restricted_out,
            public_pages: generated.public.html_pages(),
            restricted_pages: generated.restricted.html_pages(),
            views: site
                .settings
                .views
                .iter()
                .map(|view| {
                    let tree = if view.restricted {
                        &generated.restricted
                    } else {
                        &generated.public
                    };
                    let prefix = urls::view(&view.id);
                    let pages = tree
                        .paths()
                        .into_iter()
                        .filter(|p| p.starts_with(&prefix) && p.ends_with(".html"))
                        .count();
                    (view.id.clone(), pages)
                })
                .collect(),
            render_cache: kept.note,
            curriculum_gaps: (
                site.newest().id.clone(),
                curriculum::gap_sentences(site.newest()),
            ),
        }),
    }
}

/// Loads and validates a site for building, with `base_url` (`--base-url`)
/// in place of site.yaml's: the first half of every build of one site,
/// alone or as a trust's school (`commands::trust`).
pub fn load_for_build(
    root: &Path,
    today: NaiveDate,
    base_url: Option<&str>,
) -> (Option<Site>, Sources, Diagnostics) {
    load_for_build_inheriting(root, today, base_url, None, &Memo::default())
}

/// `load_for_build` for a school of a trust: inheriting the trust's
/// template (`inherited`, from the school's root) unless its site.yaml
/// names one, and reusing the YAML `memo` kept from the schools before,
/// so that a template they share is parsed once.
pub fn load_for_build_inheriting(
    root: &Path,
    today: NaiveDate,
    base_url: Option<&str>,
    inherited: Option<String>,
    memo: &Memo,
) -> (Option<Site>, Sources, Diagnostics) {
    let (mut site, sources, mut diagnostics) =
        crate::load_site_inheriting(root, today, memo, inherited);
    // The one place the site's settings are changed after loading: the
    // same site built for another address (a staging copy, a sub-path).
    if let (Some(site), Some(base_url)) = (&mut site, base_url) {
        match address::base_address(base_url) {
            Ok(base_url) => site.settings.base_url = base_url,
            Err(problem) => diagnostics.push(
                Diagnostic::error(format!("--base-url: {problem}"))
                    .help(address::NotABaseAddress::HELP),
            ),
        }
    }
    (site, sources, diagnostics)
}

/// The second half: every page rendered and checked in memory, or `None`
/// when `diagnostics` (the loading's, with the rendering's added) hold an
/// error. A site that failed validation is never rendered: its Markdown
/// is only read for its own problems, so that all are listed in one run.
/// Rendering starts from the render cache an earlier build kept in the
/// site root (`render::stored`), the pages of the jobs it reuses linked
/// from where the site's pages are now (`previous`, public and
/// restricted); the next build's is staged, never inside one of the
/// `outputs`, for the caller to commit once the pages are written.
pub fn render_site(
    site: &Site,
    diagnostics: &mut Diagnostics,
    outputs: &[&Path],
    previous: [&Path; 2],
) -> Option<(crate::Generated, KeptRender)> {
    // Every section read once per revision and view (its references
    // checked); the section pages are laid out from what was read.
    // An edition whose inputs are as the last build read them is not read
    // again: its problems are the stored ones.
    let (mut cache, mut loaded) = crate::BuildCache::between_builds(site, previous);
    let sections = validate::SectionReads::read(site, loaded.take_sections());
    if diagnostics.has_errors() {
        diagnostics.extend(sections.problems());
        return None;
    }
    cache.keep_sections(sections);
    let (generated, more) = crate::generate_cached(site, &mut cache);
    diagnostics.extend(more);
    if diagnostics.has_errors() {
        return None;
    }
    let (reused, jobs) = cache.reused(&loaded);
    let note = match &loaded.found {
        render::stored::Found::Nothing => {
            format!("rendered all {jobs} render jobs (no render cache yet)")
        }
        render::stored::Found::Unusable(why) => {
            format!("rendered all {jobs} render jobs: the render cache was not used, as {why}")
        }
        render::stored::Found::Jobs(_) => {
            format!("reused {reused} of {jobs} render jobs from the render cache")
        }
    };
    let pending = cache.stage(site, &loaded, outputs);
    // Freeing the cache's many small allocations (every page's tags and
    // link verdicts) was a twentieth of a no-op rebuild: done beside the
    // write instead of before it, or not at all if the build ends first.
    // A thread that cannot be started drops them here, with the closure.
    let _ = std::thread::Builder::new().spawn(move || drop((cache, loaded)));
    Some((generated, KeptRender { pending, note }))
}

/// The render cache a successful render leaves for the next build.
pub struct KeptRender {
    /// Written beside its place: `commit` it once the site is written.
    pub pending: render::stored::Pending,
    /// What the render reused, for `--verbose`.
    pub note: String,
}

/// A write that failed, as the one sentence the user reads.
pub(crate) fn write_failure(failure: output::WriteFailure) -> Diagnostic {
    match failure {
        output::WriteFailure::Refused(refusal) => {
            Diagnostic::error(refusal.message).help(refusal.help)
        }
        output::WriteFailure::Interrupted => {
            Diagnostic::error("the build was interrupted; its temporary folder was removed")
        }
        output::WriteFailure::Io { doing, error } => {
            let help = match error.kind() {
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                    "the disk is full: free some space (the build needs room for the old and the new site at once) and build again"
                }
                std::io::ErrorKind::ReadOnlyFilesystem => {
                    "that folder is on a read-only disk: build into a folder you can write to, with --out"
                }
                std::io::ErrorKind::PermissionDenied => {
                    "you may not write there: build into a folder you can write to, with --out, or change its permissions"
                }
                _ => "check that the folder is writable and the disk has space",
            };
            Diagnostic::error(format!("cannot {doing}: {error}")).help(help)
        }
    }
}

/// `policyweb build`: the site's problems on stderr, then what was built
/// and where, or why nothing was; the exit code (0 built, 1 a problem in
/// the site, 2 the output folders refused, or the signal that stopped it).
pub fn run(options: &BuildOptions, quiet: bool, verbose: bool, color: bool) -> ExitCode {
    let started = std::time::Instant::now();
    // Ctrl-C while writing removes the half-written folder.
    output::interrupt::watch_signals();
    let outcome = build(options);
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
                let index = options.out.join("index.html");
                eprintln!(
                    "Built {} pages into {} in {} ms{}.",
                    written.public_pages,
                    options.out.display(),
                    started.elapsed().as_millis(),
                    plural(warnings, " with", "warning"),
                );
                if verbose {
                    eprintln!("  {}.", written.render_cache);
                    for (view, pages) in &written.views {
                        eprintln!("  {view}: {pages} pages");
                    }
                }
                let (revision, gaps) = &written.curriculum_gaps;
                if !gaps.is_empty() {
                    eprintln!("Curriculum gaps in revision {revision}:");
                    for gap in gaps {
                        eprintln!("  - {gap}");
                    }
                }
                if written.restricted_pages > 0 {
                    eprintln!(
                        "Restricted views: {} in {} (never published).",
                        counted(written.restricted_pages, "page"),
                        written.restricted_out.display()
                    );
                }
                eprintln!(
                    "Open {} in a browser, or serve the folder: python3 -m http.server --directory {}",
                    index.display(),
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
            eprintln!(
                "The build failed{}{}; {} was not changed.",
                plural(errors, " with", "error"),
                plural(warnings, ",", "warning"),
                options.out.display()
            );
            failed_code()
        }
    }
}
