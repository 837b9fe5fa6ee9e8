//! policyweb: a school's online safety policy, kept as Markdown sections and
//! YAML data, published as a static website with a view per audience.
//!
//! The pipeline runs one way; no stage reaches back:
//! `load` (read files, keep offsets) → `validate` (every rule, the `Site`
//! model) → `render` (pages per view, in parallel) → `links` (internal links
//! and fragments) → `output` (escape, write beside, swap in).
//! Problems are `Diagnostic` values carried to the end and printed by the
//! caller, all at once. `load_checked_site` is the one door every command
//! (`commands/`) comes in by.

pub mod address;
pub mod adopt;
pub mod ansi;
pub mod changes;
pub mod cli;
pub mod commands;
pub mod curriculum;
pub mod diagnostics;
pub mod explain;
pub mod hash;
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
pub mod trust;
pub mod urls;
pub mod validate;

use std::path::Path;

use chrono::NaiveDate;

use diagnostics::{Diagnostic, Diagnostics, Sources};
use model::Site;
use output::Tree;

/// The rendered, checked site, ready to write.
pub struct Generated {
    pub public: Tree,
    pub restricted: Tree,
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
    load_site_inheriting(root, today, memo, None)
}

/// `load_site_with` for a school of a trust: it inherits from
/// `inherited` (the trust's template, from the school's root) when its
/// own site.yaml names no template.
pub fn load_site_inheriting(
    root: &Path,
    today: NaiveDate,
    memo: &load::yaml::Memo,
    inherited: Option<String>,
) -> (Option<Site>, Sources, Diagnostics) {
    let (loaded, diagnostics) = load::load_inheriting(root, memo, inherited);
    let sources = loaded.sources.clone();
    let (site, diagnostics) = validate::validate(loaded, today, diagnostics);
    let site = site.map(|site| with_template(site, &diagnostics, memo));
    (site, sources, diagnostics)
}

/// The site with the template it is built on read whole, every revision
/// of it, for what a newer template revision changes; a template with
/// errors of its own is kept as `None`, for its own build to report.
/// Only a site without errors reads it: a chain that comes round in a
/// circle is an error of loading, so reading stops there.
fn with_template(mut site: Site, found: &Diagnostics, memo: &load::yaml::Memo) -> Site {
    if found.has_errors() {
        return site;
    }
    let Some(uses) = site
        .revisions
        .iter()
        .rev()
        .find_map(|r| r.template.as_ref())
    else {
        return site;
    };
    let root = site.root.join(&uses.path);
    let (template, _, diagnostics) = load_site_with(&root, site.today, memo);
    site.template = Some(model::Template {
        name: uses.name.clone(),
        path: uses.path.clone(),
        site: template.filter(|_| !diagnostics.has_errors()).map(Box::new),
    });
    site
}

/// A site that may go on to be rendered, compared, checked or released:
/// it passed every rule, the references in its Markdown included.
pub struct Checked {
    pub site: Site,
    /// The warnings loading and validating found, sorted (rendering
    /// reports the Markdown's own).
    pub diagnostics: Diagnostics,
    /// Every section as validation read it, for rendering to lay out
    /// (`generate_checked`) and `check` to take its addresses from.
    pub sections: validate::SectionReads,
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

/// Loads and validates the site, its Markdown included (a mistyped
/// `[[role:…]]`, say, for each view that shows the section, read once per
/// revision and view): the one way every command accepts or refuses a
/// site, so that each names the same problems at the same places.
pub fn load_checked_site(root: &Path, today: NaiveDate) -> Result<Checked, Refused> {
    load_checked_site_with(
        root,
        today,
        &load::yaml::Memo::default(),
        validate::SectionReads::default(),
    )
}

/// `load_checked_site`, reusing the YAML documents `memo` kept from
/// earlier loads and the sections `kept` read then (`serve`).
pub fn load_checked_site_with(
    root: &Path,
    today: NaiveDate,
    memo: &load::yaml::Memo,
    kept: validate::SectionReads,
) -> Result<Checked, Refused> {
    let (loaded, diagnostics) = load::load_with(root, memo);
    check_loaded(loaded, today, diagnostics, memo, kept)
}

/// `load_checked_site` for a school of a trust: inheriting `inherited`
/// (the trust's template, from the school's root) unless its site.yaml
/// names a template, reusing the YAML `memo` kept from the schools before.
pub fn load_checked_site_inheriting(
    root: &Path,
    today: NaiveDate,
    memo: &load::yaml::Memo,
    inherited: Option<String>,
) -> Result<Checked, Refused> {
    let (loaded, diagnostics) = load::load_inheriting(root, memo, inherited);
    check_loaded(
        loaded,
        today,
        diagnostics,
        memo,
        validate::SectionReads::default(),
    )
}

/// `load_checked_site` for what `load` has already read with `memo` (`check`
/// takes the addresses in data/ from it first), with the problems loading
/// found; the template's files are read through the same `memo`, so a
/// preview's rebuild or a trust's next school does not parse them again.
pub fn check_loaded(
    loaded: load::Loaded,
    today: NaiveDate,
    diagnostics: Diagnostics,
    memo: &load::yaml::Memo,
    kept: validate::SectionReads,
) -> Result<Checked, Refused> {
    let sources = loaded.sources.clone();
    let (site, mut diagnostics) = validate::validate(loaded, today, diagnostics);
    let site = site.map(|site| with_template(site, &diagnostics, memo));
    let mut sections = validate::SectionReads::default();
    if let Some(site) = &site {
        start_workers();
        sections = validate::SectionReads::read(site, kept);
        // Kept only when they stop the site: a site that goes on to be
        // rendered has its Markdown's warnings reported by rendering.
        let markdown = sections.problems();
        if markdown.has_errors() || diagnostics.has_errors() {
            diagnostics.extend(markdown);
        }
    }
    diagnostics.sort(&sources);
    match site {
        Some(site) if !diagnostics.has_errors() => Ok(Checked {
            site,
            diagnostics,
            sections,
        }),
        _ => Err(Refused {
            sources,
            diagnostics,
        }),
    }
}

/// Every error that would stop a build (rendering and the internal link
/// check included), sorted, with the files they are in: what `release`
/// and `new` weigh before they change anything.
pub fn build_errors(root: &Path, today: NaiveDate) -> (Sources, Diagnostics) {
    match load_checked_site(root, today) {
        Ok(checked) => {
            let (_, mut rendered) = generate_checked(&checked);
            rendered.sort(&checked.site.sources);
            rendered.items.retain(|d| d.is_error());
            (checked.site.sources, rendered)
        }
        Err(refused) => {
            let errors = refused.errors();
            (refused.sources, errors)
        }
    }
}

/// Renders and checks every page, in memory. Warnings for overdue reviews
/// are added here, since every build should say so.
pub fn generate(site: &Site) -> (Generated, Diagnostics) {
    generate_cached(site, &mut BuildCache::once())
}

/// `generate` for a checked site, laying its section pages out from the
/// Markdown validation read instead of reading it again.
pub fn generate_checked(checked: &Checked) -> (Generated, Diagnostics) {
    let mut cache = BuildCache::once();
    cache.keep_sections(checked.sections.clone());
    generate_cached(&checked.site, &mut cache)
}

/// What a live preview keeps from one build to the next: each render
/// job's output (minified pages and their tags), reused where the job's
/// inputs have not changed, and each section as validation last read it.
#[derive(Default)]
pub struct BuildCache {
    render: render::RenderCache,
    /// The last link check of each tree (public, restricted), kept by a
    /// preview so that its next check judges only what may have changed.
    links: Option<Box<[links::internal::Kept; 2]>>,
}

impl BuildCache {
    /// For a site rendered once (`build`): nothing is kept for a next
    /// render, so each page moves into the tree instead of being copied.
    pub fn once() -> BuildCache {
        BuildCache {
            render: render::RenderCache::once(),
            links: None,
        }
    }

    /// For a live preview: every render job's output, every finished page
    /// and every page's link check kept for the next rebuild.
    pub fn preview() -> BuildCache {
        BuildCache {
            render: render::RenderCache::preview(),
            links: Some(Box::default()),
        }
    }

    /// For a `build` that starts from the render cache an earlier build
    /// stored in the site root, and keeps its jobs and its link check's
    /// verdicts for the next one. A reused job's files are linked from
    /// `previous` (the public and the restricted output being replaced),
    /// where each is checked first.
    pub fn between_builds(
        site: &Site,
        previous: [&Path; 2],
    ) -> (BuildCache, render::stored::Loaded) {
        let (render, mut loaded) = render::stored::load(site, previous);
        let links = Some(loaded.take_links());
        (BuildCache { render, links }, loaded)
    }

    /// The render cache for the next build, staged (`between_builds`),
    /// unless it would be written inside one of the `outputs`.
    pub fn stage(
        &self,
        site: &Site,
        loaded: &render::stored::Loaded,
        outputs: &[&Path],
    ) -> render::stored::Pending {
        let none = <[links::internal::Kept; 2]>::default();
        let links = self.links.as_deref().unwrap_or(&none);
        render::stored::Pending::stage(site, &self.render, links, loaded, outputs)
    }

    /// How many of this render's jobs came from the stored cache.
    pub fn reused(&self, loaded: &render::stored::Loaded) -> (usize, usize) {
        (loaded.reused(&self.render), self.render.jobs())
    }

    /// The sections validation read, for the next render to use.
    pub fn keep_sections(&mut self, sections: validate::SectionReads) {
        self.render.sections = sections;
    }

    /// The sections last read, for the next validation to reuse; the
    /// cache goes on reading as they were read (`empty_like`).
    pub fn take_sections(&mut self) -> validate::SectionReads {
        let left = self.render.sections.empty_like();
        std::mem::replace(&mut self.render.sections, left)
    }
}

/// The stack each worker thread gets: a page is walked recursively by the
/// minifier, and nesting is limited when the site is validated
/// (`markdown::depth`) to well within this.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Starts the worker threads with `WORKER_STACK`, once, before any work
/// runs on them (if something started them first, they keep theirs).
pub(crate) fn start_workers() {
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
    let trees = [
        (
            &rendered.public,
            &rendered.public_tags,
            &rendered.public_links,
        ),
        (
            &rendered.restricted,
            &rendered.restricted_tags,
            &rendered.restricted_links,
        ),
    ];
    for (n, (tree, tags, sources)) in trees.into_iter().enumerate() {
        diagnostics.extend(match cache.links.as_deref_mut() {
            Some(kept) => links::internal::check_kept(tree, tags, sources, &mut kept[n]),
            None => links::internal::check(tree, tags, sources),
        });
    }
    let generated = Generated {
        public: rendered.public,
        restricted: rendered.restricted,
    };
    (generated, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::BuildCache;

    /// A preview whose rebuild fails takes its readings and does not give
    /// them back: the next rebuild must still read (and keep) the print
    /// pages, or every edit after the first error reads them all again.
    #[test]
    fn a_preview_goes_on_keeping_print_pages_after_its_readings_are_taken() {
        let mut cache = BuildCache::preview();
        assert!(cache.take_sections().reads_print());
        assert!(cache.take_sections().reads_print());
    }
}
