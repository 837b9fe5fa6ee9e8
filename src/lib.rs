//! policyweb: a school's online safety policy, kept as Markdown sections and
//! YAML data, published as a static website with a view per audience.
//!
//! The pipeline runs one way; no stage reaches back:
//! `load` (read files, keep offsets) → `validate` (every rule, the `Site`
//! model) → `render` (pages per view, in parallel) → `links` (internal links
//! and fragments) → `output` (minify, write beside, swap in).
//! Problems are `Diagnostic` values carried to the end and printed by the
//! caller, all at once.

pub mod address;
pub mod ansi;
pub mod changes;
pub mod cli;
pub mod curriculum;
pub mod diagnostics;
pub mod explain;
pub mod html;
pub mod ids;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod prose;
pub mod provenance;
pub mod release;
pub mod render;
pub mod scaffold;
pub mod schedule;
pub mod serve;
pub mod slug;
pub mod status;
pub mod urls;
pub mod validate;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use diagnostics::{Diagnostic, Diagnostics, Sources};
use model::Site;
use output::Tree;

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

/// The rendered, checked site, ready to write.
pub struct Generated {
    pub public: Tree,
    pub restricted: Tree,
}

/// What a build found and did.
pub struct Outcome {
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
    /// The newest revision's id and the gaps in its curriculum, one
    /// sentence a strand (none without a curriculum).
    pub curriculum_gaps: (String, Vec<String>),
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.written.is_some()
    }
}

/// Loads and validates a site root into the model.
pub fn load_site(root: &Path, today: NaiveDate) -> (Option<Site>, Sources, Diagnostics) {
    load_site_with(root, today, &load::yaml::Memo::default())
}

/// `load_site`, reusing the YAML documents `memo` kept from earlier loads.
pub fn load_site_with(
    root: &Path,
    today: NaiveDate,
    memo: &load::yaml::Memo,
) -> (Option<Site>, Sources, Diagnostics) {
    let (loaded, diagnostics) = load::load_with(root, memo);
    let sources = loaded.sources.clone();
    let (site, diagnostics) = validate::validate(loaded, today, diagnostics);
    (site, sources, diagnostics)
}

/// Renders and checks every page, in memory. Warnings for overdue reviews
/// are added here, since every build should say so.
pub fn generate(site: &Site) -> (Generated, Diagnostics) {
    generate_cached(site, &mut BuildCache::default())
}

/// What a live preview keeps from one build to the next: each render
/// job's output (minified pages and their tags), reused where the job's
/// inputs have not changed.
#[derive(Default)]
pub struct BuildCache {
    render: render::RenderCache,
}

/// The stack each worker thread gets: a page is walked recursively by the
/// minifier, and nesting is limited when the site is validated
/// (`markdown::depth`) to well within this.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Starts the worker threads with `WORKER_STACK`, once, before any work
/// runs on them (if something started them first, they keep theirs).
fn start_workers() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK)
            .build_global();
    });
}

/// `generate`, reusing what `cache` kept from an earlier run (`serve`).
pub fn generate_cached(site: &Site, cache: &mut BuildCache) -> (Generated, Diagnostics) {
    start_workers();
    let rendered = render::render_cached(site, &mut cache.render);
    let mut diagnostics = rendered.diagnostics;
    for (sentence, place, record) in schedule::overdue(site) {
        let warning = Diagnostic::warning(format!("overdue: {sentence}")).help(record);
        diagnostics.push(match place {
            Some(place) => warning.placed(place),
            None => warning.in_file("data/versions.yaml"),
        });
    }
    diagnostics.extend(links::internal::check(
        &rendered.public,
        &rendered.public_tags,
        &rendered.public_links,
    ));
    diagnostics.extend(links::internal::check(
        &rendered.restricted,
        &rendered.restricted_tags,
        &rendered.restricted_links,
    ));
    let generated = Generated {
        public: rendered.public,
        restricted: rendered.restricted,
    };
    (generated, diagnostics)
}

/// The whole build: load, validate, render, check, and only if nothing is
/// wrong, write. On any error the output folders are left as they were.
pub fn build(options: &BuildOptions) -> Outcome {
    start_workers();
    let (site, sources, mut diagnostics) = load_site(&options.root, options.today);
    let Some(mut site) = site else {
        // Without site.yaml or versions.yaml there is nothing to render.
        diagnostics.sort(&sources);
        return Outcome {
            sources,
            diagnostics,
            written: None,
            refused: false,
        };
    };
    // The one place the site's settings are changed after loading: the
    // same site built for another address (a staging copy, a sub-path).
    if let Some(base_url) = &options.base_url {
        match address::base_address(base_url) {
            Ok(base_url) => site.settings.base_url = base_url,
            Err(problem) => diagnostics.push(
                Diagnostic::error(format!("--base-url: {problem}"))
                    .help(address::NotABaseAddress::HELP),
            ),
        }
    }
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
                return Outcome {
                    sources,
                    diagnostics,
                    written: None,
                    refused: true,
                };
            }
        };
    // A site that failed validation is never rendered: its Markdown is
    // only read for its own problems, so that all are listed in one run.
    if diagnostics.has_errors() {
        diagnostics.extend(render::markdown_problems(&site));
        diagnostics.sort(&sources);
        return Outcome {
            sources,
            diagnostics,
            written: None,
            refused: false,
        };
    }
    let (generated, more) = generate(&site);
    diagnostics.extend(more);
    diagnostics.sort(&sources);
    if diagnostics.has_errors() {
        return Outcome {
            sources,
            diagnostics,
            written: None,
            refused: false,
        };
    }
    // Restricted first: if it fails, the public site is still unchanged.
    let result = if generated.restricted.files.is_empty() {
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
        Ok(notes) => diagnostics.extend(notes.into_iter().flatten().map(Diagnostic::warning)),
        Err(failure) => {
            diagnostics.push(write_failure(failure));
            return Outcome {
                sources,
                diagnostics,
                written: None,
                refused: false,
            };
        }
    }
    Outcome {
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
                        .files
                        .keys()
                        .filter(|p| p.starts_with(&prefix) && p.ends_with(".html"))
                        .count();
                    (view.id.clone(), pages)
                })
                .collect(),
            curriculum_gaps: (
                site.newest().id.clone(),
                curriculum::gap_sentences(site.newest()),
            ),
        }),
    }
}

/// A write that failed, as the one sentence the user reads.
fn write_failure(failure: output::Failure) -> Diagnostic {
    match failure {
        output::Failure::Refused(refusal) => Diagnostic::error(refusal.message).help(refusal.help),
        output::Failure::Interrupted => {
            Diagnostic::error("the build was interrupted; its temporary folder was removed")
        }
        output::Failure::Io { doing, error } => {
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
