//! Render: the `Site` to pages, one view at a time and views in parallel.
//! Owns which pages exist (`pages`), what templates are given (`context`)
//! and the theme (`theme`). A section page's body is what validation read
//! (`validate::SectionReads`), laid out, not read again; the print page,
//! whose ids and links differ, has `markdown` render each section for it.
//! Where a page is written comes from `urls`. Nothing is written to disk
//! here.

mod a_z;
mod accessibility;
mod changes_view;
pub mod compact;
pub mod context;
mod curriculum;
mod feed;
mod glossary;
mod pages;
mod paper_copy;
mod revisions;
pub mod stored;
mod template_changes;
pub mod theme;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::changes::Comparisons;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceId};
use crate::hash::hash_of;
use crate::html::StartTag;
use crate::links::internal::{LinkSources, PageTags};
use crate::markdown;
use crate::model::{Revision, Site, View};
use crate::output::{Linked, Tree};
use crate::urls;
use crate::validate::SectionReads;
use context::Edition;

/// Everything rendered, not yet checked or written.
pub struct Rendered {
    /// What goes into the output folder.
    pub public: Tree,
    /// Restricted views, for restricted/ beside it.
    pub restricted: Tree,
    /// Where each internal link in Markdown came from, per tree.
    pub public_links: LinkSources,
    pub restricted_links: LinkSources,
    /// Every page's start tags, per tree, for the link check.
    pub public_tags: PageTags,
    pub restricted_tags: PageTags,
    pub diagnostics: Diagnostics,
}

/// Each job's output from the last render, with a fingerprint of all it
/// read, so that a live preview renders again only the jobs a change
/// touches. A job whose inputs are unchanged gives the same output, so
/// reusing it leaves the site byte for byte as a full render makes it.
#[derive(Default)]
pub struct RenderCache {
    jobs: HashMap<String, (u64, Arc<ViewOutput>)>,
    /// The parsed theme, with the fingerprint of the site-wide inputs it
    /// was read under (settings and theme files among them).
    theme: Option<(u64, Arc<theme::Theme>)>,
    /// Each page's tags, by a hash of its path and HTML as written: a job
    /// rendered again reads only the pages whose HTML changed.
    pages: FinishedPages,
    /// Set for a build that renders once (`build`): nothing is kept, so
    /// each page is moved, not copied, from its job into the tree, and no
    /// page is hashed.
    once: bool,
    /// Each section as validation read it: a section page is laid out
    /// from it, not read again, while it is the site's as it is.
    pub sections: SectionReads,
    /// The comparisons' word similarities of the last render
    /// (`Comparisons::into_alike`).
    alike: crate::changes::text::Alike,
    /// What the views' lists of changes said of each comparison in the
    /// last render (`changes_view::Outlines::into_kept`).
    outlines: changes_view::KeptOutlines,
    /// The sections' blocks and alignments the last render's comparisons
    /// made (`Comparisons::into_kept`); not in the render cache's file.
    compared: crate::changes::Kept,
    /// The pages the last render's jobs had Tera render
    /// (`theme::Memo::into_kept`), kept by a preview only (`preview`); not
    /// in the render cache's file.
    tera_pages: Option<theme::KeptPages>,
}

impl RenderCache {
    /// A cache for a single render: it keeps nothing.
    pub fn once() -> RenderCache {
        RenderCache {
            once: true,
            ..RenderCache::default()
        }
    }

    /// A cache for a live preview: it keeps also the pages Tera rendered,
    /// which a render's next job may ask for again, and each print page's
    /// reading of every section (`SectionReads::preview`).
    pub fn preview() -> RenderCache {
        RenderCache {
            tera_pages: Some(theme::KeptPages::default()),
            sections: SectionReads::preview(),
            ..RenderCache::default()
        }
    }

    /// How many jobs it keeps.
    pub fn jobs(&self) -> usize {
        self.jobs.len()
    }
}

/// What was read of a page as it is written (its bytes are the job's):
/// its start tags, for the link check.
struct Finished {
    tags: Arc<Vec<StartTag>>,
}

type FinishedPages = HashMap<u64, Arc<Finished>>;

pub fn render(site: &Site) -> Rendered {
    render_cached(site, &mut RenderCache::once())
}

pub fn render_cached(site: &Site, cache: &mut RenderCache) -> Rendered {
    let sections = std::mem::take(&mut cache.sections);
    let reads = sections.are_of(site).then_some(&sections);
    let mut diagnostics = Diagnostics::default();
    let inputs = Fingerprints::of(site);
    let kept = cache
        .theme
        .as_ref()
        .filter(|(fingerprint, _)| *fingerprint == inputs.site)
        .map(|(_, theme)| Ok(Arc::clone(theme)));
    let theme = match kept.unwrap_or_else(|| theme::load(&site.root, &site.settings.theme)) {
        Ok(theme) => {
            cache.theme = Some((inputs.site, Arc::clone(&theme)));
            theme
        }
        Err(problem) => {
            diagnostics.push(problem);
            return Rendered {
                public: Tree::default(),
                restricted: Tree::default(),
                public_links: LinkSources::default(),
                restricted_links: LinkSources::default(),
                public_tags: PageTags::default(),
                restricted_tags: PageTags::default(),
                diagnostics,
            };
        }
    };
    // Every revision of every view is a job of its own, so that the work
    // spreads over the cores even when one view carries most of it.
    let jobs = jobs(site);
    let keyed: Vec<(String, u64)> = jobs.iter().map(|job| job.identity(site, &inputs)).collect();
    let kept_pages = &cache.pages;
    let once = cache.once;
    let comparisons = Comparisons::remembering(std::mem::take(&mut cache.alike))
        .keeping(std::mem::take(&mut cache.compared));
    let outlines = changes_view::Outlines::remembering(
        &inputs,
        &comparisons,
        std::mem::take(&mut cache.outlines),
    );
    let tera_pages = cache
        .tera_pages
        .take()
        .map(|kept| Arc::new(theme::Memo::remembering(kept)));
    let memo = tera_pages.as_ref().map(|memo| (memo, inputs.site));
    let outputs: Vec<(Arc<ViewOutput>, FinishedPages)> = jobs
        .par_iter()
        .zip(&keyed)
        .map(|(job, (key, fingerprint))| match cache.jobs.get(key) {
            // A job kept between builds is reused only if its files are
            // still in the output being replaced as it wrote them (gone,
            // edited by hand, another build's: it is rendered again).
            Some((kept, output))
                if kept == fingerprint && output.tree.linked.values().all(Linked::holds) =>
            {
                (Arc::clone(output), HashMap::new())
            }
            _ => {
                let mut output = job.run(site, &theme, reads, &comparisons, &outlines, memo);
                output.restricted = job.view().restricted;
                // A trial's pages are never written, so never finished.
                let fresh = match job {
                    Job::Trial(_) => HashMap::new(),
                    _ if once => {
                        output.finish_once();
                        HashMap::new()
                    }
                    _ => output.finish(kept_pages),
                };
                (Arc::new(output), fresh)
            }
        })
        .collect();
    let mut shared = ViewOutput {
        tree: pages::shared(
            site,
            &theme,
            &comparisons,
            memo.map(|(memo, fingerprint)| (memo.as_ref(), fingerprint)),
            &mut diagnostics,
        ),
        ..ViewOutput::default()
    };
    if once {
        shared.finish_once();
    } else {
        let shared_fresh = shared.finish(&cache.pages);
        // Keep every page this render used, and only those.
        let mut finished = FinishedPages::new();
        let used = outputs
            .iter()
            .map(|(output, fresh)| (output.as_ref(), fresh))
            .chain([(&shared, &shared_fresh)]);
        for (output, fresh) in used {
            for key in &output.finished {
                if let Some(page) = fresh.get(key).or_else(|| cache.pages.get(key)) {
                    finished.insert(*key, Arc::clone(page));
                }
            }
        }
        cache.pages = finished;
        cache.jobs = keyed
            .into_iter()
            .zip(&outputs)
            .map(|((key, fingerprint), (output, _))| (key, (fingerprint, Arc::clone(output))))
            .collect();
    }
    cache.sections = sections;
    if !once {
        cache.outlines = outlines.into_kept(site);
        (cache.compared, cache.alike) = comparisons.into_kept();
        // Every job's output has let go of it by now (`Job::run`).
        if let Some(memo) = tera_pages {
            let kept = Arc::into_inner(memo).map(theme::Memo::into_kept);
            cache.tera_pages = Some(kept.unwrap_or_default());
        }
    }

    let mut public = ViewOutput::default();
    let mut restricted = ViewOutput::default();
    for (job, (output, _)) in jobs.iter().zip(outputs) {
        if let Job::Trial(_) = job {
            public
                .diagnostics
                .extend(output.diagnostics.iter().cloned());
            continue;
        }
        let into = if job.view().restricted {
            &mut restricted
        } else {
            &mut public
        };
        // Moved when the cache keeps no copy of it, copied when it does.
        match Arc::try_unwrap(output) {
            Ok(output) => into.absorb_owned(output),
            Err(output) => into.absorb_output(&output),
        }
    }
    if !restricted.tree.is_empty() {
        for (path, bytes) in &shared.tree.files {
            if path.starts_with("assets/") {
                restricted.tree.insert(path.clone(), bytes.clone());
            }
        }
        let mut statement = ViewOutput::default();
        pages::restricted_shared(site, &theme, &mut statement);
        statement.finish_once();
        restricted.absorb_owned(statement);
    }
    public.absorb_owned(shared);
    // The reviews and links pages say what the last link check found; a
    // public one only of what public pages already link to, so that no
    // address or place of a restricted view reaches public/. Without a
    // report there is nothing to filter, and collecting every address of
    // every page would cost each of a preview's rebuilds for nothing.
    let public_addresses = match site.link_report {
        Some(_) => addresses(&public.tags),
        None => std::collections::HashSet::new(),
    };
    for view in site.settings.views.iter().filter(|v| v.governance) {
        let Some(edition) = Edition::main(site, view) else {
            continue;
        };
        let (into, shown) = if view.restricted {
            (&mut restricted, None)
        } else {
            (&mut public, Some(&public_addresses))
        };
        let mut link_pages = ViewOutput::default();
        pages::link_pages(site, &theme, &edition, shown, &mut link_pages);
        template_changes::page(site, &theme, &edition, &mut link_pages);
        link_pages.finish_once();
        into.absorb_owned(link_pages);
    }
    pages::sitemap(
        site,
        &theme,
        &public.tags,
        &mut public.tree,
        &mut diagnostics,
    );
    diagnostics.extend(public.diagnostics);
    diagnostics.extend(restricted.diagnostics);
    Rendered {
        public: public.tree,
        restricted: restricted.tree,
        public_links: public.links,
        restricted_links: restricted.links,
        public_tags: public.tags,
        restricted_tags: restricted.tags,
        diagnostics,
    }
}

/// Every address the pages link to or load, as written in them.
fn addresses(tags: &PageTags) -> std::collections::HashSet<String> {
    tags.values()
        .flat_map(|page| page.iter())
        .flat_map(|tag| tag.attributes.iter())
        .filter(|(name, _)| name == "href" || name == "src")
        .map(|(_, value)| value.trim().to_string())
        .collect()
}

#[derive(Clone, Default)]
struct ViewOutput {
    tree: Tree,
    links: LinkSources,
    diagnostics: Vec<Diagnostic>,
    /// Each page's start tags, read from the page as it is written.
    tags: PageTags,
    /// The keys of its pages in the cache of finished pages.
    finished: Vec<u64>,
    /// Files of content/ its sections show, by their path there.
    images: std::collections::BTreeSet<String>,
    /// While a job runs, the pages Tera rendered before, with the
    /// fingerprint of the site-wide inputs (`Fingerprints::site`).
    memo: Option<(Arc<theme::Memo>, u64)>,
    /// Whether its pages go into the restricted tree: where a build finds
    /// them again in the previous output (`stored`).
    restricted: bool,
}

impl ViewOutput {
    /// Escapes what looks like markup in each page's text
    /// (`output::finish_page`), then reads its tags for the link check,
    /// unless `kept` has them for the page as it is. Gives the pages it
    /// read itself.
    fn finish(&mut self, kept: &FinishedPages) -> FinishedPages {
        let mut fresh = FinishedPages::new();
        for (path, bytes) in &mut self.tree.files {
            if !path.ends_with(".html") {
                continue;
            }
            *bytes = crate::output::finish_page(std::mem::take(bytes));
            let key = hash_of((path.as_str(), bytes.as_slice()));
            let page = kept.get(&key).cloned().unwrap_or_else(|| {
                let page = Arc::new(Finished {
                    tags: Arc::new(crate::links::internal::tags_of(bytes)),
                });
                fresh.insert(key, Arc::clone(&page));
                page
            });
            self.tags.insert(path.clone(), Arc::clone(&page.tags));
            self.finished.push(key);
        }
        fresh
    }

    /// `finish` for pages no cache will keep: nothing hashed or copied.
    fn finish_once(&mut self) {
        for (path, bytes) in &mut self.tree.files {
            if !path.ends_with(".html") {
                continue;
            }
            *bytes = crate::output::finish_page(std::mem::take(bytes));
            let tags = crate::links::internal::tags_of(bytes);
            self.tags.insert(path.clone(), Arc::new(tags));
        }
    }

    /// `absorb_output` for an output no one else holds: moved, not copied.
    fn absorb_owned(&mut self, mut other: ViewOutput) {
        self.tree.files.append(&mut other.tree.files);
        self.tree.linked.append(&mut other.tree.linked);
        self.links.extend(other.links);
        self.diagnostics.append(&mut other.diagnostics);
        self.tags.extend(other.tags);
    }

    fn absorb_output(&mut self, other: &ViewOutput) {
        self.tree
            .files
            .extend(other.tree.files.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.tree.linked.extend(
            other
                .tree
                .linked
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        self.links
            .extend(other.links.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.diagnostics.extend(other.diagnostics.iter().cloned());
        self.tags
            .extend(other.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

/// A part of the site rendered on its own.
enum Job<'a> {
    /// One revision in one view: all but its curriculum pages.
    Edition(Edition<'a>),
    /// The curriculum pages of one revision in one view: a job of their
    /// own, so that a revision's pages render on two cores at once.
    Curriculum(Edition<'a>),
    /// A view with nothing approved to show.
    Unpublished(&'a View),
    /// A governance view's timeline of revisions.
    Timeline(&'a View),
    /// A view's pages of what changed between two revisions.
    Changes(&'a View, &'a Revision, &'a Revision),
    /// A view's list of what changed in each revision, and its feed.
    History(&'a View),
    /// The draft as a view without governance will show it once it is
    /// approved: rendered for its problems only, never written, so that a
    /// draft that cannot be built in every view is never approved.
    Trial(Edition<'a>),
}

/// What jobs read, hashed: the site-wide inputs (settings, theme files,
/// today, the last link report), each revision (its data, sections and
/// their text, and its images' bytes), what the pages of other
/// revisions read of the revision at the views' own address (`main`), and
/// the outline of all revisions (ids, approvals, review dates, deadlines
/// and checks).
struct Fingerprints {
    site: u64,
    revisions: HashMap<String, u64>,
    /// Of the revision in force (the newest while none is approved), only
    /// what a page of another revision reads of it: the section ids and
    /// the views that show each (where "this section in the policy in
    /// force" leads), whether it has a glossary, and its curriculum and
    /// framework (which curriculum pages it has). Not its text: an edit to
    /// a section in force leaves the other revisions' pages as they were.
    main: u64,
    outline: u64,
}

impl Fingerprints {
    fn of(site: &Site) -> Fingerprints {
        let theme: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(site.root.join("themes"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                (e.path().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        let site_wide = hash_of((
            format!("{:?}", site.settings),
            site.today,
            format!("{:?}", site.link_report),
            theme,
        ));
        let revisions = site
            .revisions
            .iter()
            .map(|revision| {
                let texts: Vec<&str> = revision
                    .sections
                    .iter()
                    .map(|s| site.sources.get(s.source).text.as_str())
                    .collect();
                // The images' bytes, not their sizes and times: the pages'
                // copies are kept between builds, and a file replaced by
                // one of the same size with its time kept (`cp -p`, an
                // unpacked archive) must not leave the old picture.
                let images: Vec<Option<u64>> = revision
                    .assets
                    .iter()
                    .map(|a| std::fs::read(&a.absolute).ok().map(hash_of))
                    .collect();
                let fingerprint = hash_of((format!("{revision:?}"), texts, images));
                (revision.id.clone(), fingerprint)
            })
            .collect();
        let main = site.current().unwrap_or_else(|| site.newest());
        let sections: Vec<(&str, &[String])> = main
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.audiences.as_slice()))
            .collect();
        let main = hash_of((
            main.id.as_str(),
            sections,
            main.glossary.is_empty(),
            format!("{:?}{:?}", main.curriculum, main.framework),
        ));
        let outline: Vec<String> = site
            .revisions
            .iter()
            .map(|r| {
                format!(
                    "{}{:?}{:?}{:?}{:?}",
                    r.id, r.approval, r.next_review, r.dates, r.checks
                )
            })
            .collect();
        Fingerprints {
            site: site_wide,
            revisions,
            main,
            outline: hash_of(outline),
        }
    }

    /// Of a comparison of two revisions in a view, all it reads: the
    /// two revisions (their sections, text and data, which its words and
    /// the data's sentences come from), the site-wide inputs (the views'
    /// audiences among them) and the view.
    fn comparison(&self, view: &View, old: &Revision, new: &Revision) -> u64 {
        hash_of((
            self.site,
            view.id.as_str(),
            (old.id.as_str(), self.revision(Some(old))),
            (new.id.as_str(), self.revision(Some(new))),
        ))
    }

    fn revision(&self, revision: Option<&Revision>) -> u64 {
        revision
            .and_then(|r| self.revisions.get(&r.id))
            .copied()
            .unwrap_or(0)
    }
}

impl Job<'_> {
    /// The job's name in the cache, and a fingerprint of everything it
    /// reads. Every page's chrome reads the outline of all revisions (which
    /// revision is where, a pending draft, review dates and checks) and
    /// the outline of the revision in force (`Fingerprints::main`: which
    /// sections, glossary and curriculum pages "the policy in force" has);
    /// the text of a revision only the jobs that show or compare it:
    ///
    /// - an edition (and its curriculum pages): its revision, and the one
    ///   before it (its sections say whether they changed from it; the
    ///   revision in force's contents page says what changed in it);
    /// - a trial: the draft, the one before it, and the revision in force
    ///   and the one before that (its contents page is laid out as the
    ///   one in force, with what changed in it);
    /// - the page of a view with nothing approved: the newest revision;
    /// - the timeline: nothing more than the outlines;
    /// - a view's history and feed: every revision it tells about (on a
    ///   view without governance, the approved ones; not the draft);
    /// - a comparison: its two revisions.
    ///
    /// So an edit to a section re-renders only the jobs that show it.
    fn identity(&self, site: &Site, inputs: &Fingerprints) -> (String, u64) {
        let view = self.view();
        let common = (inputs.site, view.id.as_str(), inputs.main, inputs.outline);
        let with_predecessor = |revision: &Revision| {
            (
                inputs.revision(Some(revision)),
                inputs.revision(changes_view::predecessor(site, revision)),
            )
        };
        match self {
            Job::Trial(edition) => (
                format!("trial:{}", edition.view.id),
                hash_of((
                    common,
                    with_predecessor(edition.revision),
                    site.current().map(with_predecessor),
                )),
            ),
            Job::Edition(edition) | Job::Curriculum(edition) => (
                format!("{}:{}", self.kind(), edition.base),
                hash_of((
                    common,
                    edition.standing as u8,
                    with_predecessor(edition.revision),
                )),
            ),
            Job::Unpublished(view) => (
                format!("unpublished:{}", view.id),
                hash_of((common, inputs.revision(Some(site.newest())))),
            ),
            Job::Timeline(view) => (format!("timeline:{}", view.id), hash_of(common)),
            Job::History(view) => {
                let told: Vec<u64> = site
                    .revisions
                    .iter()
                    .filter(|r| view.governance || r.approval.is_approved())
                    .map(|r| inputs.revision(Some(r)))
                    .collect();
                (format!("history:{}", view.id), hash_of((common, told)))
            }
            Job::Changes(view, old, new) => (
                format!("changes:{}:{}:{}", view.id, old.id, new.id),
                hash_of((
                    common,
                    inputs.revision(Some(old)),
                    inputs.revision(Some(new)),
                )),
            ),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Job::Edition(_) => "edition",
            Job::Curriculum(_) => "curriculum",
            Job::Unpublished(_) => "unpublished",
            Job::Timeline(_) => "timeline",
            Job::Changes(..) => "changes",
            Job::History(_) => "history",
            Job::Trial(_) => "trial",
        }
    }

    fn view(&self) -> &View {
        match self {
            Job::Edition(edition) | Job::Curriculum(edition) | Job::Trial(edition) => edition.view,
            Job::Unpublished(view)
            | Job::Timeline(view)
            | Job::History(view)
            | Job::Changes(view, ..) => view,
        }
    }

    fn run(
        &self,
        site: &Site,
        theme: &theme::Theme,
        reads: Option<&SectionReads>,
        comparisons: &Comparisons,
        outlines: &changes_view::Outlines,
        memo: Option<(&Arc<theme::Memo>, u64)>,
    ) -> ViewOutput {
        let mut output = ViewOutput {
            memo: memo.map(|(memo, site)| (Arc::clone(memo), site)),
            ..ViewOutput::default()
        };
        let read = |edition: &Edition| {
            reads.map_or((None, None), |reads| {
                (reads.of(edition), reads.print_of(edition))
            })
        };
        match self {
            Job::Edition(edition) => {
                pages::edition_pages(
                    site,
                    theme,
                    edition,
                    read(edition),
                    comparisons,
                    &mut output,
                );
            }
            Job::Curriculum(edition) => curriculum::pages(site, theme, edition, &mut output),
            Job::Unpublished(view) => pages::unpublished(site, theme, view, &mut output),
            Job::Timeline(view) => revisions::timeline(site, theme, view, &mut output),
            Job::Changes(view, old, new) => {
                revisions::changes(site, theme, view, (old, new), comparisons, &mut output);
            }
            Job::History(view) => history(site, theme, view, outlines, &mut output),
            Job::Trial(edition) => {
                pages::edition_pages(
                    site,
                    theme,
                    edition,
                    read(edition),
                    comparisons,
                    &mut output,
                );
                curriculum::pages(site, theme, edition, &mut output);
            }
        }
        output.memo = None;
        output
    }
}

/// Every view's pages: the revision in force at the view's own address,
/// each other approved revision under versions/<id>/, and on a governance
/// view the draft, the timeline of revisions and what changed.
fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    for view in &site.settings.views {
        // While the only revision is a draft, a view without governance
        // says so instead.
        let main = site.main_revision(view);
        if main.is_none() {
            jobs.push(Job::Unpublished(view));
        }
        for edition in Edition::in_view(site, view) {
            jobs.push(Job::Curriculum(edition.clone()));
            jobs.push(Job::Edition(edition));
        }
        if let Some(trial) = Edition::trial(site, view) {
            jobs.push(Job::Trial(trial));
        }
        if view.governance && main.is_some() {
            jobs.push(Job::Timeline(view));
            for (old, new) in revisions::pairs(site) {
                jobs.push(Job::Changes(view, old, new));
            }
        }
        if main.is_some() {
            jobs.push(Job::History(view));
            if !view.governance {
                for (old, new) in changes_view::pairs(site, view) {
                    jobs.push(Job::Changes(view, old, new));
                }
            }
        }
    }
    jobs
}

/// A view's list of what changed in each revision, and its feed: the same
/// comparisons, made once for both.
fn history(
    site: &Site,
    theme: &theme::Theme,
    view: &View,
    outlines: &changes_view::Outlines,
    output: &mut ViewOutput,
) {
    let Some(edition) = Edition::main(site, view) else {
        return;
    };
    let steps = changes_view::steps(site, view, outlines);
    let feed = feed::published(site, view).then(|| urls::feed(&view.id));
    changes_view::history_page(site, theme, &edition, &steps, feed.as_deref(), output);
    if feed.is_some() {
        feed::feed(site, theme, view, &steps, output);
    }
}

impl ViewOutput {
    fn page(&mut self, theme: &theme::Theme, template: &str, path: &str, context: tera::Context) {
        let rendered = match &self.memo {
            Some((memo, site)) => memo.render(theme, *site, template, path, context),
            None => theme.render(template, path, &context),
        };
        match rendered {
            Ok(html) => self.tree.insert(urls::file_for(path), html),
            Err(problem) => self.diagnostics.push(problem),
        }
    }

    /// Keeps a section's diagnostics and where its links came from.
    /// What a page's section brings besides its HTML: its problems, its
    /// images and its links' places. Borrowed: a section page shows the
    /// reading validation keeps, which is not copied for it.
    fn absorb(&mut self, path: &str, source: SourceId, rendered: &markdown::RenderedSection) {
        self.diagnostics
            .extend(rendered.diagnostics.iter().cloned());
        self.images.extend(rendered.images.iter().cloned());
        for link in &rendered.links {
            self.links
                .entry((path.to_string(), link.href.clone()))
                .or_default()
                .push(
                    Diagnostic::error(format!("the link `{}` is broken", link.written))
                        .at(source, link.source_bytes.clone())
                        .help(
                            "point it at a section that exists, and a heading id that section has",
                        ),
                );
        }
    }
}
