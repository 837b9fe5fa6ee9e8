//! Every section's Markdown, read once per revision and view that shows
//! it: its `[[kind:id]]` references resolved and checked, and every other
//! rule of the Markdown stage (links, images, alt text, raw HTML) with
//! them, at the file, line and column they are written. What is read is
//! kept (`SectionReads`): `render` lays the section pages out from it
//! instead of reading the Markdown again, `check` takes the external
//! addresses from it, and `serve` reads again only the revisions an edit
//! touched, and of those only the sections whose reading could differ:
//! each section's reading is kept with a fingerprint of what it used (its
//! file, its revision's data, every section's outline) and the headings it
//! asked of other sections, with the answers, which are asked again
//! before it is taken. Between builds only each edition's problems are kept
//! (`Stored`, in the render cache): a build reads again only the editions
//! whose inputs changed, and render reads the others' Markdown itself for
//! the few jobs it renders again. A preview (`SectionReads::preview`) also
//! keeps each print page's reading of every section, by the same key and
//! the glossary terms already used above it on the page, so that an edit
//! reads again for the print page only the sections it touched.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hash::hash_of;
use crate::markdown::context::Edition;
use crate::markdown::{self, HeadingsRead, Mode, Page, RenderedSection};
use crate::model::{Revision, Section, Site};
use crate::urls;

/// Each edition's sections as read (`Mode::Section`, in the order
/// `Edition::shown` gives), with a fingerprint of all the reading used.
#[derive(Default, Clone)]
pub struct SectionReads {
    editions: Vec<Read>,
    /// A fingerprint of the whole site as the reading saw it, so that a
    /// reader with another site (or another version of it) finds nothing.
    site: u64,
    /// Whether each edition's print page is read (and kept) too.
    print: bool,
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

/// An edition's sections as read, each with what its reading used, or,
/// kept from an earlier build, only the problems reading them found.
#[derive(Clone)]
enum Sections {
    Read(Arc<Vec<RenderedSection>>, Arc<Vec<Used>>, Arc<Print>),
    Problems(Arc<Vec<Diagnostic>>),
}

/// An edition's sections as its print page reads them (`Mode::All`), in
/// the same order, each with what its reading used; none when the print
/// page is not read with the rest (`SectionReads::print`).
#[derive(Default)]
struct Print {
    read: Vec<RenderedSection>,
    used: Vec<Used>,
}

/// What one section's reading used, beyond what `key` fingerprints: the
/// headings it asked of other sections, with the answers.
#[derive(Clone)]
struct Used {
    id: String,
    /// The section's file and front matter, its revision's data and
    /// outline, the view and the place (`section_key`); on the print page,
    /// with the glossary terms used above it (`print_key`).
    key: u64,
    headings: Vec<Asked>,
}

/// The headings a reading asked of another section.
#[derive(Clone)]
struct Asked {
    section: String,
    /// The fingerprint of that section's own text then
    /// (`own_fingerprint`): while it is the same, so is the answer.
    own: u64,
    answer: Vec<(String, String)>,
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

/// What reading any one section of `revision` uses besides its own file:
/// the settings, the revision's data, and what a reference reads of
/// another section (its id, title, audiences and whether it has a body;
/// its headings are asked for, and noted, by the reading itself). Every
/// field is named, so that a field added to the model is not left out
/// unseen.
fn revision_data(settings: &str, revision: &Revision) -> u64 {
    let Revision {
        id,
        approval,
        next_review,
        next_review_place,
        source,
        sections,
        roles,
        people,
        organisations,
        documents,
        dates,
        checks,
        framework,
        curriculum,
        glossary,
        assets,
        unreadable,
        template,
        fills,
    } = revision;
    let outline: Vec<String> = sections
        .iter()
        .map(|section| {
            let Section {
                id,
                title,
                summary,
                audiences,
                owner,
                strands,
                parent,
                depth,
                source,
                body,
                blocks: _,
                dir,
                origin,
            } = section;
            format!(
                "{:?}",
                (
                    id,
                    title,
                    summary,
                    audiences,
                    owner,
                    strands,
                    parent,
                    depth,
                    source,
                    body.is_empty(),
                    dir,
                    origin
                )
            )
        })
        .collect();
    let data = format!(
        "{:?}",
        (
            (id, approval, next_review, next_review_place, source, roles),
            (people, organisations, documents, dates, checks, framework),
            (curriculum, glossary, assets, unreadable, template, fills),
        )
    );
    hash_of((settings, data, outline))
}

/// A section's own part of what its reading uses: its front matter,
/// where its body and audience blocks are, and its file's text.
fn own_fingerprint(site: &Site, section: &Section) -> u64 {
    hash_of((
        format!("{section:?}"),
        &site.sources.get(section.source).text,
    ))
}

/// Everything a section's reading uses but the headings it asks of other
/// sections: `data` (`revision_data`), the section itself, the view and
/// the place its page is at.
fn section_key(data: u64, own: u64, edition: &Edition) -> u64 {
    hash_of((data, own, &edition.view.id, &edition.base))
}

/// Everything a section's reading on the print page uses but the headings
/// it asks: what its own page's reading uses (`section_key`) and the
/// glossary terms the sections above it used first.
fn print_key(section_key: u64, terms_seen: &[String]) -> u64 {
    hash_of((section_key, terms_seen))
}

/// A section to read for one edition, and the reading an earlier run
/// kept of it, if any.
struct Task<'a> {
    edition: &'a Edition<'a>,
    section: &'a Section,
    key: u64,
    kept: Option<(&'a RenderedSection, &'a Used)>,
}

impl SectionReads {
    /// For a live preview: every edition's print page is read with the
    /// rest, and kept, so that the next rebuild reads it again only for
    /// the sections an edit touched.
    pub fn preview() -> SectionReads {
        SectionReads {
            print: true,
            ..SectionReads::default()
        }
    }

    /// None read, to be read as these were (with or without the print
    /// pages): what a cache holds while its readings are taken, so that a
    /// rebuild that fails before it gives them back loses the readings but
    /// not how the next one reads.
    pub fn empty_like(&self) -> SectionReads {
        SectionReads {
            print: self.print,
            ..SectionReads::default()
        }
    }

    /// Whether the print pages are read (and kept) with the rest.
    pub fn reads_print(&self) -> bool {
        self.print
    }

    /// Reads every section of every edition of `site`, in parallel, taking
    /// from `kept` (an earlier run's) each edition whose inputs are the
    /// same, and of the others each section whose reading used the same.
    pub fn read(site: &Site, kept: SectionReads) -> SectionReads {
        let fingerprints = revision_fingerprints(site);
        let print = kept.print;
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
        let kept_of = |edition: &Edition| {
            kept.get(&(edition.view.id.as_str(), edition.revision.id.as_str()))
                .copied()
        };
        let reused: Vec<Option<Sections>> = editions
            .iter()
            .map(|(edition, _, fingerprint)| {
                kept_of(edition)
                    .filter(|read| read.fingerprint == *fingerprint)
                    .map(|read| read.sections.clone())
            })
            .collect();
        let settings = format!("{:?}", site.settings);
        let mut data: HashMap<&str, u64> = HashMap::new();
        let mut tasks: Vec<Vec<Task>> = Vec::new();
        for ((edition, ..), reused) in editions.iter().zip(&reused) {
            if reused.is_some() {
                tasks.push(Vec::new());
                continue;
            }
            let revision = edition.revision;
            let data = *data
                .entry(revision.id.as_str())
                .or_insert_with(|| revision_data(&settings, revision));
            // An earlier run's reading of this edition, each section by id.
            let earlier: HashMap<&str, (&RenderedSection, &Used)> = match kept_of(edition) {
                Some(Read {
                    sections: Sections::Read(read, used, _),
                    ..
                }) if read.len() == used.len() => read
                    .iter()
                    .zip(used.iter())
                    .map(|(read, used)| (used.id.as_str(), (read, used)))
                    .collect(),
                _ => HashMap::new(),
            };
            tasks.push(
                edition
                    .shown()
                    .into_iter()
                    .map(|section| {
                        let key = section_key(data, own_fingerprint(site, section), edition);
                        let kept = earlier
                            .get(section.id.as_str())
                            .copied()
                            .filter(|(_, used)| used.key == key);
                        Task {
                            edition,
                            section,
                            key,
                            kept,
                        }
                    })
                    .collect(),
            );
        }
        // Each section is a task of its own, not each edition: an edit
        // reads again the three editions of the draft, and three tasks on
        // two cores left one waiting for the other two.
        let mut read = tasks
            .iter()
            .flatten()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|task| task.run(site))
            .collect::<Vec<_>>()
            .into_iter();
        // The print pages, each edition's in order (a glossary term is
        // marked at its first use on the page), the editions in parallel.
        let mut printed = editions
            .par_iter()
            .zip(&reused)
            .zip(&tasks)
            .map(|(((edition, ..), reused), tasks)| {
                if !print || reused.is_some() {
                    return Print::default();
                }
                let earlier = match kept_of(edition) {
                    Some(Read {
                        sections: Sections::Read(_, _, earlier),
                        ..
                    }) => Some(earlier.as_ref()),
                    _ => None,
                };
                read_print(site, edition, tasks, earlier)
            })
            .collect::<Vec<_>>()
            .into_iter();
        let reads: Vec<Read> = editions
            .iter()
            .zip(reused)
            .zip(&tasks)
            .map(|(((edition, trial, fingerprint), reused), tasks)| Read {
                view: edition.view.id.clone(),
                revision: edition.revision.id.clone(),
                base: edition.base.clone(),
                trial: *trial,
                fingerprint: *fingerprint,
                sections: {
                    let printed = printed.next().unwrap_or_default();
                    reused.unwrap_or_else(|| {
                        let (read, used) = read.by_ref().take(tasks.len()).unzip();
                        Sections::Read(Arc::new(read), Arc::new(used), Arc::new(printed))
                    })
                },
            })
            .collect();
        SectionReads {
            site: site_fingerprint(&fingerprints),
            editions: reads,
            print,
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
                Sections::Read(sections, ..) => {
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
                    Sections::Read(sections, ..) => sections
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
        SectionReads {
            editions,
            site: 0,
            print: false,
        }
    }

    /// Whether these are the reads of `site` as it is.
    pub fn are_of(&self, site: &Site) -> bool {
        !self.editions.is_empty() && self.site == site_fingerprint(&revision_fingerprints(site))
    }

    /// The sections of `edition` as read, in `Edition::shown` order; `None`
    /// for an edition that was not read (or of which an earlier build kept
    /// only the problems).
    pub fn of(&self, edition: &Edition) -> Option<&[RenderedSection]> {
        match self.sections_of(edition)? {
            Sections::Read(sections, ..) => Some(sections.as_slice()),
            Sections::Problems(_) => None,
        }
    }

    /// The sections of `edition` as its print page reads them, in
    /// `Edition::shown` order; `None` unless they were read (`preview`).
    pub fn print_of(&self, edition: &Edition) -> Option<&[RenderedSection]> {
        match self.sections_of(edition)? {
            Sections::Read(sections, _, print) if print.read.len() == sections.len() => {
                Some(print.read.as_slice())
            }
            _ => None,
        }
    }

    fn sections_of(&self, edition: &Edition) -> Option<&Sections> {
        self.editions
            .iter()
            .find(|read| {
                read.view == edition.view.id
                    && read.revision == edition.revision.id
                    && read.base == edition.base
            })
            .map(|read| &read.sections)
    }
}

fn site_fingerprint(fingerprints: &HashMap<&str, u64>) -> u64 {
    let mut all: Vec<(&&str, &u64)> = fingerprints.iter().collect();
    all.sort();
    hash_of(all)
}

impl Task<'_> {
    /// The section as its own page shows it (`read_or_keep`).
    fn run(&self, site: &Site) -> (RenderedSection, Used) {
        let (edition, section) = (self.edition, self.section);
        let path = urls::section(&edition.base, &section.id);
        let page = Page::new(site, edition, section, &path, Mode::Section);
        read_or_keep(site, page, self.key, self.kept)
    }
}

/// An edition's sections as its print page reads them, one after another,
/// each taken from `earlier` (the last run's) when its key, with the terms
/// used above it, is the same (`read_or_keep`).
fn read_print(site: &Site, edition: &Edition, tasks: &[Task], earlier: Option<&Print>) -> Print {
    let path = urls::all_sections(&edition.base);
    let earlier: HashMap<&str, (&RenderedSection, &Used)> = earlier
        .map(|print| {
            print
                .read
                .iter()
                .zip(&print.used)
                .map(|(read, used)| (used.id.as_str(), (read, used)))
                .collect()
        })
        .unwrap_or_default();
    let mut terms_seen: Vec<String> = Vec::new();
    let mut print = Print::default();
    for task in tasks {
        let key = print_key(task.key, &terms_seen);
        let kept = earlier
            .get(task.section.id.as_str())
            .copied()
            .filter(|(_, used)| used.key == key);
        let mut page = Page::new(site, edition, task.section, &path, Mode::All);
        page.terms_seen = &terms_seen;
        let (read, used) = read_or_keep(site, page, key, kept);
        terms_seen.extend(read.terms.iter().cloned());
        print.read.push(read);
        print.used.push(used);
    }
    print
}

/// `page`'s section as read: the kept reading (made with the same `key`)
/// if every heading it asked of another section is still what it was,
/// else read again, noting the headings it asks.
fn read_or_keep(
    site: &Site,
    page: Page,
    key: u64,
    kept: Option<(&RenderedSection, &Used)>,
) -> (RenderedSection, Used) {
    let revision = page.revision;
    if let Some((read, used)) = kept {
        let headings: Option<Vec<_>> = used
            .headings
            .iter()
            .map(|asked| {
                let section = revision.section(&asked.section)?;
                let own = own_fingerprint(site, section);
                let same =
                    own == asked.own || markdown::heading_fragments(&page, section) == asked.answer;
                same.then(|| Asked {
                    own,
                    ..asked.clone()
                })
            })
            .collect();
        if let Some(headings) = headings {
            let used = Used {
                headings,
                ..used.clone()
            };
            return (read.clone(), used);
        }
    }
    let id = page.section.id.clone();
    let asked = RefCell::new(Vec::new());
    let read = markdown::render(&Page {
        headings_read: Some(&asked),
        ..page
    });
    let headings = asked
        .into_inner()
        .into_iter()
        .map(|(id, answer): HeadingsRead| Asked {
            own: revision_section_own(site, revision, &id),
            section: id,
            answer,
        })
        .collect();
    (read, Used { id, key, headings })
}

/// The fingerprint of the section `id` of `revision` (`own_fingerprint`),
/// as a reference finds it; 0 for none.
fn revision_section_own(site: &Site, revision: &Revision, id: &str) -> u64 {
    revision
        .section(id)
        .map(|section| own_fingerprint(site, section))
        .unwrap_or_default()
}
