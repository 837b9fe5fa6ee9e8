//! Render: the `Site` to pages, one view at a time and views in parallel.
//! Owns which pages exist (`pages`), what templates are given (`context`)
//! and the theme (`theme`). Markdown bodies come from `markdown`; where a
//! page is written comes from `urls`. Nothing is written to disk here.

pub mod context;
mod curriculum;
mod pages;
mod revisions;
pub mod theme;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceId};
use crate::links::internal::LinkSources;
use crate::markdown;
use crate::model::{Revision, Site, View};
use crate::output::Tree;
use crate::urls;
use context::{Edition, Standing};

/// Everything rendered, not yet checked or written.
pub struct Rendered {
    /// What goes into the output folder.
    pub public: Tree,
    /// Restricted views, for restricted/ beside it.
    pub restricted: Tree,
    /// Where each internal link in Markdown came from, per tree.
    pub public_links: LinkSources,
    pub restricted_links: LinkSources,
    pub diagnostics: Diagnostics,
}

pub fn render(site: &Site) -> Rendered {
    let mut diagnostics = Diagnostics::default();
    let theme = match theme::load(&site.root, &site.settings.theme) {
        Ok(theme) => theme,
        Err(problem) => {
            diagnostics.push(problem);
            return Rendered {
                public: Tree::default(),
                restricted: Tree::default(),
                public_links: LinkSources::default(),
                restricted_links: LinkSources::default(),
                diagnostics,
            };
        }
    };
    // Every revision of every view is a job of its own, so that the work
    // spreads over the cores even when one view carries most of it.
    let jobs = jobs(site);
    let outputs: Vec<ViewOutput> = jobs.par_iter().map(|job| job.run(site, &theme)).collect();

    let mut public = Tree::default();
    let mut restricted = Tree::default();
    let mut public_links = LinkSources::default();
    let mut restricted_links = LinkSources::default();
    for (job, output) in jobs.iter().zip(outputs) {
        let view = job.view();
        diagnostics.extend(output.diagnostics);
        let (tree, links) = if view.restricted {
            (&mut restricted, &mut restricted_links)
        } else {
            (&mut public, &mut public_links)
        };
        tree.files.extend(output.tree.files);
        links.extend(output.links);
    }
    let shared = pages::shared(site, &theme, &mut diagnostics);
    for (path, bytes) in &shared.files {
        public.insert(path.clone(), bytes.clone());
    }
    if !restricted.files.is_empty() {
        for (path, bytes) in shared
            .files
            .into_iter()
            .filter(|(p, _)| p.starts_with("assets/"))
        {
            restricted.insert(path, bytes);
        }
    }
    pages::sitemap(site, &theme, &mut public, &mut diagnostics);
    Rendered {
        public,
        restricted,
        public_links,
        restricted_links,
        diagnostics,
    }
}

struct ViewOutput {
    tree: Tree,
    links: LinkSources,
    diagnostics: Vec<Diagnostic>,
}

/// A part of the site rendered on its own.
enum Job<'a> {
    /// One revision in one view.
    Edition(Edition<'a>),
    /// A view with nothing approved to show.
    Unpublished(&'a View),
    /// A governance view's timeline of revisions.
    Timeline(&'a View),
    /// A governance view's pages of what changed between two revisions.
    Changes(&'a View, &'a Revision, &'a Revision),
}

impl Job<'_> {
    fn view(&self) -> &View {
        match self {
            Job::Edition(edition) => edition.view,
            Job::Unpublished(view) | Job::Timeline(view) | Job::Changes(view, ..) => view,
        }
    }

    fn run(&self, site: &Site, theme: &theme::Theme) -> ViewOutput {
        let mut output = ViewOutput {
            tree: Tree::default(),
            links: LinkSources::default(),
            diagnostics: Vec::new(),
        };
        match self {
            Job::Edition(edition) => pages::edition_pages(site, theme, edition, &mut output),
            Job::Unpublished(view) => pages::unpublished(site, theme, view, &mut output),
            Job::Timeline(view) => revisions::timeline(site, theme, view, &mut output),
            Job::Changes(view, old, new) => {
                revisions::changes(site, theme, view, (old, new), &mut output);
            }
        }
        output
    }
}

/// Every view's pages: the revision in force at the view's own address,
/// each other approved revision under versions/<id>/, and on a governance
/// view the draft, the timeline of revisions and what changed.
fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    for view in &site.settings.views {
        // Unapproved text never reaches a view without governance: while
        // the only revision is a draft, such a view says so instead.
        let main = site.main_revision(view);
        match Edition::main(site, view) {
            Some(edition) => jobs.push(Job::Edition(edition)),
            None => jobs.push(Job::Unpublished(view)),
        }
        for revision in &site.revisions {
            if main.is_some_and(|m| m.id == revision.id) {
                continue;
            }
            let standing = if revision.approval.is_approved() {
                Standing::Earlier
            } else if view.governance {
                Standing::Draft
            } else {
                continue;
            };
            jobs.push(Job::Edition(Edition {
                revision,
                view,
                base: urls::edition_base(&revision.id, &view.id),
                standing,
            }));
        }
        if view.governance && main.is_some() {
            jobs.push(Job::Timeline(view));
            for (old, new) in revisions::pairs(site) {
                jobs.push(Job::Changes(view, old, new));
            }
        }
    }
    jobs
}

impl ViewOutput {
    fn page(&mut self, theme: &theme::Theme, template: &str, path: &str, context: &tera::Context) {
        match theme.tera.render(template, context) {
            Ok(html) => self.tree.insert(urls::file_for(path), html),
            Err(error) => self.diagnostics.push(
                Diagnostic::error(format!(
                    "the template {template} failed for {path}: {}",
                    theme::describe(&error)
                ))
                .help("fix the template; the message names the line"),
            ),
        }
    }

    /// Keeps a section's diagnostics and where its links came from.
    fn absorb(&mut self, path: &str, source: SourceId, rendered: &mut markdown::Rendered) {
        self.diagnostics.append(&mut rendered.diagnostics);
        for link in &rendered.links {
            self.links
                .entry((path.to_string(), link.href.clone()))
                .or_default()
                .push(
                    Diagnostic::error(format!("the link `{}` is broken", link.href))
                        .at(source, link.source_bytes.clone())
                        .help(
                            "point it at a section that exists, and a heading id that section has",
                        ),
                );
        }
    }
}
