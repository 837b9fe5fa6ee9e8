//! Every section's Markdown, read once per revision and view that shows
//! it: its `[[kind:id]]` references resolved and checked, and every other
//! rule of the Markdown stage (links, images, alt text, raw HTML) with
//! them, at the file, line and column they are written. What is read is
//! kept (`SectionReads`): `render` lays the section pages out from it
//! instead of reading the Markdown again, `check` takes the external
//! addresses from it, and `serve` reads again only the revisions an edit
//! touched.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::hash::hash_of;
use crate::markdown::context::Edition;
use crate::markdown::{self, Mode, Page, RenderedSection};
use crate::model::Site;
use crate::urls;

/// Each edition's sections as read (`Mode::Section`, in the order
/// `Edition::shown` gives), with a fingerprint of all the reading used.
#[derive(Default, Clone)]
pub struct SectionReads {
    editions: Vec<Read>,
    /// A fingerprint of the whole site as the reading saw it, so that a
    /// reader with another site (or another version of it) finds nothing.
    site: u64,
}

#[derive(Clone)]
struct Read {
    view: String,
    revision: String,
    base: String,
    /// The draft as a view without governance will show it once it is
    /// approved (`Edition::trial`).
    trial: bool,
    fingerprint: u64,
    sections: Arc<Vec<RenderedSection>>,
}

/// What reading one revision's sections uses: its data, sections and
/// images (all in its `Debug` form) and the text of its files, by id.
fn revision_fingerprints(site: &Site) -> HashMap<&str, u64> {
    let settings = format!("{:?}", site.settings);
    site.revisions
        .iter()
        .map(|revision| {
            let texts: Vec<&str> = revision
                .sections
                .iter()
                .map(|s| site.sources.get(s.source).text.as_str())
                .collect();
            let fingerprint = hash_of((&settings, format!("{revision:?}"), texts));
            (revision.id.as_str(), fingerprint)
        })
        .collect()
}

impl SectionReads {
    /// Reads every section of every edition of `site`, in parallel, taking
    /// from `kept` (an earlier run's) each edition whose inputs are the
    /// same.
    pub fn read(site: &Site, kept: SectionReads) -> SectionReads {
        let fingerprints = revision_fingerprints(site);
        let mut seen = HashSet::new();
        // Trials are read too, for render and for `check`, though their
        // problems are render's to report (`problems`).
        let editions: Vec<(Edition, bool, u64)> = site
            .settings
            .views
            .iter()
            .flat_map(|view| {
                let shown = Edition::in_view(site, view).into_iter();
                shown
                    .map(|e| (e, false))
                    .chain(Edition::trial(site, view).map(|e| (e, true)))
            })
            .filter(|(e, _)| seen.insert((e.view.id.clone(), e.revision.id.clone())))
            .map(|(edition, trial)| {
                let revision = fingerprints
                    .get(edition.revision.id.as_str())
                    .copied()
                    .unwrap_or_default();
                let fingerprint = hash_of((revision, &edition.view.id, &edition.base));
                (edition, trial, fingerprint)
            })
            .collect();
        let kept: HashMap<(&str, &str), &Read> = kept
            .editions
            .iter()
            .map(|read| ((read.view.as_str(), read.revision.as_str()), read))
            .collect();
        let reused: Vec<Option<Arc<Vec<RenderedSection>>>> = editions
            .iter()
            .map(|(edition, _, fingerprint)| {
                let key = (edition.view.id.as_str(), edition.revision.id.as_str());
                kept.get(&key)
                    .filter(|read| read.fingerprint == *fingerprint)
                    .map(|read| Arc::clone(&read.sections))
            })
            .collect();
        // Each section is a task of its own, not each edition: an edit
        // reads again the three editions of the draft, and three tasks on
        // two cores left one waiting for the other two.
        let shown: Vec<Vec<&crate::model::Section>> = editions
            .iter()
            .zip(&reused)
            .map(|((edition, ..), reused)| match reused {
                Some(_) => Vec::new(),
                None => edition.shown(),
            })
            .collect();
        let work: Vec<(&Edition, &crate::model::Section)> = editions
            .iter()
            .zip(&shown)
            .flat_map(|((edition, ..), shown)| shown.iter().map(move |section| (edition, *section)))
            .collect();
        let mut read = work
            .par_iter()
            .map(|(edition, section)| read_section(site, edition, section))
            .collect::<Vec<_>>()
            .into_iter();
        let reads: Vec<Read> = editions
            .iter()
            .zip(reused)
            .zip(&shown)
            .map(|(((edition, trial, fingerprint), reused), shown)| Read {
                view: edition.view.id.clone(),
                revision: edition.revision.id.clone(),
                base: edition.base.clone(),
                trial: *trial,
                fingerprint: *fingerprint,
                sections: reused
                    .unwrap_or_else(|| Arc::new(read.by_ref().take(shown.len()).collect())),
            })
            .collect();
        SectionReads {
            site: site_fingerprint(&fingerprints),
            editions: reads,
        }
    }

    /// Every problem the reading found in what the views show, warnings
    /// too. A draft's problems as a view without governance would show it
    /// are left to the build, which renders that trial and refuses it,
    /// while `status` still shows the rest.
    pub fn problems(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        for read in self.editions.iter().filter(|read| !read.trial) {
            for section in read.sections.iter() {
                diagnostics.extend(section.diagnostics.iter().cloned());
            }
        }
        diagnostics
    }

    /// Whether these are the reads of `site` as it is.
    pub fn are_of(&self, site: &Site) -> bool {
        !self.editions.is_empty() && self.site == site_fingerprint(&revision_fingerprints(site))
    }

    /// The sections of `edition` as read, in `Edition::shown` order; `None`
    /// for an edition that was not read.
    pub fn of(&self, edition: &Edition) -> Option<&[RenderedSection]> {
        self.editions
            .iter()
            .find(|read| {
                read.view == edition.view.id
                    && read.revision == edition.revision.id
                    && read.base == edition.base
            })
            .map(|read| read.sections.as_slice())
    }
}

fn site_fingerprint(fingerprints: &HashMap<&str, u64>) -> u64 {
    let mut all: Vec<(&&str, &u64)> = fingerprints.iter().collect();
    all.sort();
    hash_of(all)
}

/// A section the edition shows, read as its own page shows it.
fn read_section(
    site: &Site,
    edition: &Edition,
    section: &crate::model::Section,
) -> RenderedSection {
    let path = urls::section(&edition.base, &section.id);
    markdown::render(&Page::new(site, edition, section, &path, Mode::Section))
}
