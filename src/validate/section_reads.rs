//! Every section's Markdown, read once per revision and view that shows
//! it: its `[[kind:id]]` references resolved and checked, and every other
//! rule of the Markdown stage (links, images, alt text, raw HTML) with
//! them, at the file, line and column they are written. What is read is
//! kept (`SectionReads`): `render` lays the section pages out from it
//! instead of reading the Markdown again, `check` takes the external
//! addresses from it, and `serve` reads again only the revisions an edit
//! touched. Between builds only each edition's problems are kept
//! (`Stored`, in the render cache): a build reads again only the editions
//! whose inputs changed, and render reads the others' Markdown itself for
//! the few jobs it renders again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
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
    sections: Sections,
}

/// An edition's sections as read, or, kept from an earlier build, only
/// the problems reading them found.
#[derive(Clone)]
enum Sections {
    Read(Arc<Vec<RenderedSection>>),
    Problems(Arc<Vec<Diagnostic>>),
}

/// One edition's reading as a build keeps it for the next: what it was of,
/// the fingerprint of all it used, and the problems it found.
pub struct Stored {
    pub view: String,
    pub revision: String,
    pub base: String,
    pub trial: bool,
    pub fingerprint: u64,
    pub problems: Vec<Diagnostic>,
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
        let reused: Vec<Option<Sections>> = editions
            .iter()
            .map(|(edition, _, fingerprint)| {
                let key = (edition.view.id.as_str(), edition.revision.id.as_str());
                kept.get(&key)
                    .filter(|read| read.fingerprint == *fingerprint)
                    .map(|read| read.sections.clone())
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
                sections: reused.unwrap_or_else(|| {
                    Sections::Read(Arc::new(read.by_ref().take(shown.len()).collect()))
                }),
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
            match &read.sections {
                Sections::Read(sections) => {
                    for section in sections.iter() {
                        diagnostics.extend(section.diagnostics.iter().cloned());
                    }
                }
                Sections::Problems(problems) => diagnostics.extend(problems.iter().cloned()),
            }
        }
        diagnostics
    }

    /// Each edition's reading as the next build keeps it (`Stored`).
    pub fn stored(&self) -> Vec<Stored> {
        self.editions
            .iter()
            .map(|read| Stored {
                view: read.view.clone(),
                revision: read.revision.clone(),
                base: read.base.clone(),
                trial: read.trial,
                fingerprint: read.fingerprint,
                problems: match &read.sections {
                    Sections::Read(sections) => sections
                        .iter()
                        .flat_map(|s| s.diagnostics.iter().cloned())
                        .collect(),
                    Sections::Problems(problems) => problems.as_ref().clone(),
                },
            })
            .collect()
    }

    /// An earlier build's readings (`stored`), for `read` to take the
    /// problems of each edition whose inputs are the same from.
    pub fn from_stored(stored: Vec<Stored>) -> SectionReads {
        let editions = stored
            .into_iter()
            .map(|read| Read {
                view: read.view,
                revision: read.revision,
                base: read.base,
                trial: read.trial,
                fingerprint: read.fingerprint,
                sections: Sections::Problems(Arc::new(read.problems)),
            })
            .collect();
        SectionReads { editions, site: 0 }
    }

    /// Whether these are the reads of `site` as it is.
    pub fn are_of(&self, site: &Site) -> bool {
        !self.editions.is_empty() && self.site == site_fingerprint(&revision_fingerprints(site))
    }

    /// The sections of `edition` as read, in `Edition::shown` order; `None`
    /// for an edition that was not read (or of which an earlier build kept
    /// only the problems).
    pub fn of(&self, edition: &Edition) -> Option<&[RenderedSection]> {
        self.editions
            .iter()
            .find(|read| {
                read.view == edition.view.id
                    && read.revision == edition.revision.id
                    && read.base == edition.base
            })
            .and_then(|read| match &read.sections {
                Sections::Read(sections) => Some(sections.as_slice()),
                Sections::Problems(_) => None,
            })
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
