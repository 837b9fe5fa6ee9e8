//! policyweb: a school's online safety policy, kept as Markdown sections and
//! YAML data, published as a static website with a view per audience.
//!
//! The pipeline runs one way; no stage reaches back:
//! `load` (read files, keep offsets) → `validate` (every rule, the `Site`
//! model) → `render` (pages per view, in parallel) → `links` (internal links
//! and fragments) → `output` (minify, write beside, swap in).
//! Problems are `Diagnostic` values carried to the end and printed by the
//! caller, all at once.

pub mod ansi;
pub mod changes;
pub mod cli;
pub mod curriculum;
pub mod diagnostics;
pub mod html;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod prose;
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
    /// The day to treat as today, for overdue reviews.
    pub today: NaiveDate,
    /// The address the site will be served from, in place of `base_url`
    /// in data/site.yaml (`build --base-url`), checked as that is.
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// Restricted views go to restricted/ beside the output folder.
    pub fn restricted_out(&self) -> PathBuf {
        self.out
            .parent()
            .map_or_else(|| PathBuf::from("restricted"), |p| p.join("restricted"))
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
}

#[derive(Debug, Clone)]
pub struct Written {
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
    for (sentence, place) in schedule::overdue(site) {
        let warning = Diagnostic::warning(format!("overdue: {sentence}"))
            .help("carry out the review and record it (next_review in versions.yaml, last_done in reviews.yaml)");
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
        };
    };
    // The one place the site's settings are changed after loading: the
    // same site built for another address (a staging copy, a sub-path).
    if let Some(base_url) = &options.base_url {
        match validate::base_address(base_url) {
            Ok(base_url) => site.settings.base_url = base_url,
            Err(problem) => diagnostics.push(
                Diagnostic::error(format!("--base-url: {problem}"))
                    .help(validate::NotABaseAddress::HELP),
            ),
        }
    }
    // A site that failed validation is never rendered: its Markdown is
    // only read for its own problems, so that all are listed in one run.
    if diagnostics.has_errors() {
        diagnostics.extend(render::markdown_problems(&site));
        diagnostics.sort(&sources);
        return Outcome {
            sources,
            diagnostics,
            written: None,
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
        };
    }
    let restricted_out = options.restricted_out();
    let result = output::write(&generated.public, &options.out).and_then(|()| {
        if generated.restricted.files.is_empty() {
            output::remove(&restricted_out)
        } else {
            output::write(&generated.restricted, &restricted_out)
        }
    });
    if let Err(error) = result {
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot write the site to {}: {error}",
                options.out.display()
            ))
            .help("check that the folder is writable and the disk has space"),
        );
        return Outcome {
            sources,
            diagnostics,
            written: None,
        };
    }
    Outcome {
        sources,
        diagnostics,
        written: Some(Written {
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
