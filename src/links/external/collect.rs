//! Every external address the policy uses, with where it stands: links and
//! autolinks in the sections' Markdown, as validation read them
//! (`validate::SectionReads`: the one parse), and the addresses in data/
//! (organisations, publications, people's e-mail, curriculum units, the
//! framework, the school's website, the accessibility statement's
//! contact), read from what `load` found while every value still knows
//! its line and column (`in_data`).
//!
//! Only the revisions the site publishes as live are collected
//! (`Site::live`): the one in force and the newest (the draft). Earlier
//! revisions are the text as it was approved; their links are history and
//! cannot be mended.

use std::collections::HashMap;

use crate::address::{self, Target};
use crate::diagnostics::{SourceId, Sources, line_column};
use crate::load::Loaded;
use crate::load::LoadedRevision;
use crate::load::entries::Text;
use crate::load::yaml::Document;
use crate::markdown::context::Edition;
use crate::model::Site;
use crate::validate::SectionReads;

/// One address and every place it is used, in the order first found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub url: String,
    /// `content/reporting.md:8:38`, `data/organisations.yaml:4:8`.
    pub places: Vec<String>,
}

/// An address as written, and where: the file and the byte it starts at.
#[derive(Debug, Clone)]
struct Use {
    url: String,
    source: SourceId,
    offset: usize,
}

/// The addresses site.yaml and each revision's data/ give, with where
/// each is written; taken before validation, which keeps the values but
/// not their places.
#[derive(Debug, Default)]
pub struct InData {
    site: Vec<Use>,
    /// By the revision's entry in versions.yaml: a site that passed
    /// validation has one revision per entry, in that order.
    revisions: HashMap<usize, Vec<Use>>,
}

pub fn in_data(loaded: &Loaded) -> InData {
    let mut found = InData::default();
    if let Some((document, site)) = &loaded.site {
        let mut uses = Uses {
            sources: &loaded.sources,
            uses: Vec::new(),
        };
        if let Some(website) = &site.school.website {
            uses.value(document, website);
        }
        let contact = site
            .accessibility
            .as_ref()
            .and_then(|a| a.value.contact.as_ref());
        if let Some(contact) = contact {
            if let Some(url) = &contact.value.url {
                uses.value(document, url);
            }
            if let Some(email) = &contact.value.email {
                uses.email(document, email);
            }
        }
        found.site = uses.uses;
    }
    for revision in &loaded.revisions {
        if let Some(entry) = revision.entry {
            let mut uses = Uses {
                sources: &loaded.sources,
                uses: Vec::new(),
            };
            uses.revision(revision);
            found.revisions.insert(entry, uses.uses);
        }
    }
    found
}

/// Every address the live revisions use, site.yaml's first, then each
/// revision's sections in order and its data/.
pub fn addresses(site: &Site, sections: &SectionReads, data: &InData) -> Vec<Address> {
    let mut found = Found {
        sources: &site.sources,
        addresses: Vec::new(),
    };
    for used in &data.site {
        found.add(used);
    }
    for revision in site.live() {
        for used in in_sections(site, sections, &revision.id) {
            found.add(&used);
        }
        let entry = site
            .revisions
            .iter()
            .position(|r| std::ptr::eq(r, revision));
        for used in entry
            .and_then(|e| data.revisions.get(&e))
            .into_iter()
            .flatten()
        {
            found.add(used);
        }
    }
    found.addresses
}

/// The links and autolinks of one revision's sections as every view that
/// shows them read them, each place once, in the order written.
fn in_sections(site: &Site, sections: &SectionReads, revision: &str) -> Vec<Use> {
    let mut by_section: Vec<Vec<Use>> = Vec::new();
    let Some(index) = site.revisions.iter().position(|r| r.id == revision) else {
        return Vec::new();
    };
    let revision = &site.revisions[index];
    for view in &site.settings.views {
        let editions = Edition::in_view(site, view)
            .into_iter()
            .chain(Edition::trial(site, view))
            .filter(|e| std::ptr::eq(e.revision, revision));
        for edition in editions {
            let Some(read) = sections.of(&edition) else {
                continue;
            };
            for (section, read) in edition.shown().into_iter().zip(read) {
                let at = revision
                    .sections
                    .iter()
                    .position(|s| std::ptr::eq(s, section))
                    .unwrap_or_default();
                if by_section.len() <= at {
                    by_section.resize_with(at + 1, Vec::new);
                }
                by_section[at].extend(read.external.iter().map(|link| Use {
                    url: link.url.clone(),
                    source: section.source,
                    offset: link.source_bytes.start,
                }));
            }
        }
    }
    by_section
        .into_iter()
        .flat_map(|mut uses| {
            uses.sort_by_key(|u| u.offset);
            uses.dedup_by(|a, b| a.offset == b.offset && a.url == b.url);
            uses
        })
        .collect()
}

/// Addresses found so far, with their places.
struct Found<'a> {
    sources: &'a Sources,
    addresses: Vec<Address>,
}

impl Found<'_> {
    fn add(&mut self, used: &Use) {
        let url = used.url.trim();
        if !is_checkable(url) {
            return;
        }
        let file = self.sources.get(used.source);
        let (line, column) = line_column(&file.text, used.offset);
        let place = format!("{}:{line}:{column}", file.path);
        match self.addresses.iter_mut().find(|a| a.url == url) {
            Some(address) if !address.places.contains(&place) => address.places.push(place),
            Some(_) => {}
            None => self.addresses.push(Address {
                url: url.to_string(),
                places: vec![place],
            }),
        }
    }
}

/// Addresses in data/ as they are met, with where they are written.
struct Uses<'a> {
    sources: &'a Sources,
    uses: Vec<Use>,
}

impl Uses<'_> {
    fn value(&mut self, document: &Document, value: &Text) {
        let span = document.span_of(self.sources, value);
        self.uses.push(Use {
            url: value.value.clone(),
            source: document.source,
            offset: span.start,
        });
    }

    fn email(&mut self, document: &Document, email: &Text) {
        let span = document.span_of(self.sources, email);
        self.uses.push(Use {
            url: format!("mailto:{}", email.value.trim()),
            source: document.source,
            offset: span.start,
        });
    }

    fn revision(&mut self, revision: &LoadedRevision) {
        let data = &revision.data;
        if let Some((document, entries)) = &data.organisations {
            for url in entries.iter().filter_map(|e| e.url.as_ref()) {
                self.value(document, url);
            }
        }
        if let Some((document, entries)) = &data.documents {
            for url in entries.iter().filter_map(|e| e.url.as_ref()) {
                self.value(document, url);
            }
        }
        if let Some((document, entries)) = &data.people {
            for email in entries
                .iter()
                .filter_map(|p| p.contact.as_ref()?.email.as_ref())
            {
                self.email(document, email);
            }
        }
        // The built-in framework's address is not the school's to mend.
        if let Some((document, file)) = &data.strands
            && let Some(url) = &file.url
            && self.sources.get(document.source).path != crate::load::BUILT_IN_STRANDS
        {
            self.value(document, url);
        }
        if let Some((document, file)) = &data.curriculum {
            for year in &file.years {
                for url in year.units.iter().filter_map(|u| u.url.as_ref()) {
                    self.value(document, url);
                }
            }
        }
    }
}

/// Addresses a check can ask about: web pages and e-mail addresses.
fn is_checkable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && address::classify(url, true) == Ok(Target::External)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal fixture with a section of links: two for every view,
    /// one in a block for staff only.
    fn site_with_links() -> tempfile::TempDir {
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");
        let root = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(fixture).into_iter().flatten() {
            let to = root
                .path()
                .join(entry.path().strip_prefix(fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        std::fs::write(
            root.path().join("content/040-further-reading.md"),
            "---\ntitle: Further reading\n---\nSee [CEOP](https://www.ceop.police.uk/) and\n<https://childline.org.uk>, or [[org:ceop]] and [a page](#top).\n\n::: staff\nStaff read [the guidance](https://www.gov.uk/kcsie).\n:::\n",
        )
        .unwrap();
        root
    }

    #[test]
    fn markdown_links_and_autolinks_are_found_where_they_stand() {
        let root = site_with_links();
        let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let memo = crate::load::yaml::Memo::default();
        let (loaded, diagnostics) = crate::load::load_with(root.path(), &memo);
        let data = in_data(&loaded);
        let checked =
            crate::check_loaded(loaded, today, diagnostics, &memo, SectionReads::default())
                .unwrap_or_else(|refused| panic!("{:?}", refused.errors()));
        let found = addresses(&checked.site, &checked.sections, &data);
        let in_section = |url: &str| -> Vec<String> {
            found
                .iter()
                .filter(|a| a.url == url)
                .flat_map(|a| a.places.iter())
                .filter(|p| p.starts_with("content/040-further-reading.md"))
                .cloned()
                .collect()
        };
        // Each place once, though three views show the section.
        assert_eq!(
            in_section("https://www.ceop.police.uk/"),
            ["content/040-further-reading.md:4:5"]
        );
        assert_eq!(
            in_section("https://childline.org.uk"),
            ["content/040-further-reading.md:5:1"]
        );
        // A block one view shows is read for that view.
        assert_eq!(
            in_section("https://www.gov.uk/kcsie"),
            ["content/040-further-reading.md:8:12"]
        );
        // The reference's address is data/'s, where it is written.
        let ceop = found
            .iter()
            .find(|a| a.url == "https://www.ceop.police.uk/")
            .unwrap();
        assert!(
            ceop.places
                .contains(&"data/organisations.yaml:3:8".to_string())
        );
        assert!(!found.iter().any(|a| a.url == "#top"));
        assert!(!is_checkable("#top"));
        assert!(is_checkable("mailto:dsl@school.example"));
        assert!(!is_checkable("tel:01234567890"));
    }
}
