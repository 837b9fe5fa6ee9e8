//! Every external address the policy uses, with where it stands: links and
//! autolinks in the sections' Markdown, and the addresses in data/
//! (organisations, publications, people's e-mail, curriculum units, the
//! framework, the school's website, the accessibility statement's
//! contact). Read from what `load` found, while every value still knows its
//! line and column.
//!
//! Only the revisions the site publishes as live are collected: the one in
//! force and the newest (the draft). Earlier revisions are the text as it
//! was approved; their links are history and cannot be mended.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::address::{self, Target};
use crate::diagnostics::{SourceId, Sources, line_column};
use crate::load::entries::Text;
use crate::load::yaml::Document;
use crate::load::{Loaded, LoadedRevision};
use crate::markdown;

/// One address and every place it is used, in the order first found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub url: String,
    /// `content/reporting.md:8:38`, `data/organisations.yaml:4:8`.
    pub places: Vec<String>,
}

pub fn addresses(loaded: &Loaded) -> Vec<Address> {
    let mut found = Found {
        sources: &loaded.sources,
        addresses: Vec::new(),
    };
    if let Some((document, site)) = &loaded.site {
        if let Some(website) = &site.school.website {
            found.value(document, website);
        }
        let contact = site
            .accessibility
            .as_ref()
            .and_then(|a| a.value.contact.as_ref());
        if let Some(contact) = contact {
            if let Some(url) = &contact.value.url {
                found.value(document, url);
            }
            if let Some(email) = &contact.value.email {
                found.email(document, email);
            }
        }
    }
    for revision in live(loaded) {
        found.revision(revision);
    }
    found.addresses
}

/// The revisions in force and newest, by versions.yaml's statuses.
fn live(loaded: &Loaded) -> Vec<&LoadedRevision> {
    let Some((_, entries)) = &loaded.versions else {
        return loaded.revisions.iter().collect();
    };
    let approved = |r: &&LoadedRevision| {
        r.entry
            .and_then(|i| entries.get(i))
            .is_some_and(|e| e.status.value.trim() == "approved")
    };
    let mut live: Vec<&LoadedRevision> = Vec::new();
    if let Some(current) = loaded.revisions.iter().rev().find(approved) {
        live.push(current);
    }
    if let Some(newest) = loaded.revisions.last()
        && !live.iter().any(|r| std::ptr::eq(*r, newest))
    {
        live.push(newest);
    }
    live
}

struct Found<'a> {
    sources: &'a Sources,
    addresses: Vec<Address>,
}

impl Found<'_> {
    fn add(&mut self, url: &str, source: SourceId, offset: usize) {
        let url = url.trim();
        if !is_checkable(url) {
            return;
        }
        let file = self.sources.get(source);
        let (line, column) = line_column(&file.text, offset);
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

    fn value(&mut self, document: &Document, value: &Text) {
        let span = document.span_of(self.sources, value);
        self.add(&value.value, document.source, span.start);
    }

    fn email(&mut self, document: &Document, email: &Text) {
        let span = document.span_of(self.sources, email);
        self.add(
            &format!("mailto:{}", email.value.trim()),
            document.source,
            span.start,
        );
    }

    fn revision(&mut self, revision: &LoadedRevision) {
        for section in &revision.content.sections {
            let text = &self.sources.get(section.source).text;
            for (url, span) in markdown_links(text, section.body_start..text.len()) {
                self.add(&url, section.source, span.start);
            }
        }
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

/// Links and autolinks in a stretch of Markdown, with their byte ranges in
/// the whole text. References (`[[org:…]]`) are not links here: their
/// addresses are collected from data/.
fn markdown_links(text: &str, body: Range<usize>) -> Vec<(String, Range<usize>)> {
    let start = body.start;
    Parser::new_ext(&text[body], markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::WikiLink { .. }) => {
                Some((dest_url.to_string(), start + range.start..start + range.end))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_and_autolinks_are_found_where_they_stand() {
        let text = "---\ntitle: X\n---\nSee [CEOP](https://www.ceop.police.uk/) and\n<https://childline.org.uk>, or [[org:nspcc]] and [a page](#top).\n";
        let body = text.find("See").unwrap()..text.len();
        let found = markdown_links(text, body);
        let urls: Vec<&str> = found.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://www.ceop.police.uk/",
                "https://childline.org.uk",
                "#top"
            ]
        );
        assert_eq!(line_column(text, found[0].1.start), (4, 5));
        assert_eq!(line_column(text, found[1].1.start), (5, 1));
        assert!(!is_checkable("#top"));
        assert!(is_checkable("mailto:dsl@school.example"));
        assert!(!is_checkable("tel:01234567890"));
    }
}
