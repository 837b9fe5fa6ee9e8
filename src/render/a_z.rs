//! The A–Z of a view (`<view>/a-z/`): every heading, role, organisation,
//! strand, document and glossary term the view's pages show, in
//! alphabetical order under letter headings, each linked to where it is
//! used. Built from the sections as the view rendered them, so a heading
//! or reference inside an audience block for other views, or in a section
//! the view does not show, is never listed: the no-JavaScript way to find
//! "mobile phones" or "CEOP" on a phone.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ViewOutput;
use super::context::{Edition, Link, PageSpec, ViewPage, chrome, view_crumbs};
use super::theme::Theme;
use crate::markdown::Heading;
use crate::model::{Section, Site};
use crate::urls;

/// What the A–Z needs from one section as the view rendered it.
pub struct SectionFacts {
    pub headings: Vec<Heading>,
    /// Every `[[kind:id]]` it resolved (`role:dsl`).
    pub references: Vec<String>,
}

#[derive(Serialize)]
struct Entry {
    name: String,
    /// `role`, `heading`…: said after the name.
    kind: &'static str,
    /// What it stands for, or the section a heading is in.
    context: Option<String>,
    /// Its own place: the section, the heading, the who's who entry…
    url: Option<String>,
    /// The sections that name it.
    places: Vec<Link>,
}

#[derive(Serialize)]
struct Letter {
    letter: String,
    id: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Jump {
    letter: String,
    /// The letter's heading, when anything is listed under it.
    id: Option<String>,
}

/// How names are ordered: without case, and without the punctuation or
/// spaces a name may start with (`“Sexting”`, `(DSL)`).
pub fn sort_key(name: &str) -> String {
    name.trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The letter a name is listed under: its first letter, `0–9` for a
/// number, `Other` for anything else.
fn letter_of(name: &str) -> String {
    match sort_key(name).chars().next() {
        Some(c) if c.is_ascii_digit() => "0–9".into(),
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "Other".into(),
    }
}

fn letter_id(letter: &str) -> String {
    match letter {
        "0–9" => "letter-0-9".into(),
        "Other" => "letter-other".into(),
        other => format!("letter-{}", crate::slug::slug(other)),
    }
}

pub fn page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    sections: &[&Section],
    facts: &[SectionFacts],
    output: &mut ViewOutput,
) {
    let path = urls::a_z(&edition.base);
    let entries = entries(edition, sections, facts, &path);
    let mut letters: BTreeMap<(u8, String), Vec<Entry>> = BTreeMap::new();
    for entry in entries {
        let letter = letter_of(&entry.name);
        let order = match letter.as_str() {
            "0–9" => 0,
            "Other" => 2,
            _ => 1,
        };
        letters.entry((order, letter)).or_default().push(entry);
    }
    let letters: Vec<Letter> = letters
        .into_iter()
        .map(|((_, letter), mut entries)| {
            entries.sort_by_cached_key(|e| (sort_key(&e.name), e.name.clone(), e.kind));
            Letter {
                id: letter_id(&letter),
                letter,
                entries,
            }
        })
        .collect();
    let mut jumps: Vec<Jump> = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(
            letters
                .iter()
                .map(|l| l.letter.clone())
                .filter(|l| !(l.len() == 1 && l.as_bytes()[0].is_ascii_uppercase())),
        )
        .map(|letter| Jump {
            id: letters
                .iter()
                .find(|l| l.letter == letter)
                .map(|l| l.id.clone()),
            letter,
        })
        .collect();
    // Numbers first, as the letters below are.
    jumps.sort_by_key(|j| match j.letter.as_str() {
        "0–9" => 0,
        "Other" => 2,
        _ => 1,
    });
    let spec = PageSpec {
        path: &path,
        title: "A to Z".into(),
        description: format!(
            "Everything the {} for {} names, from A to Z, with where to find it.",
            site.settings.policy_title, edition.view.title
        ),
        view: Some((edition, ViewPage::AZ)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = tera::Context::new();
    context.insert("page", &chrome(site, &spec));
    context.insert("letters", &letters);
    context.insert("jumps", &jumps);
    context.insert(
        "glossary",
        &super::glossary::has_page(edition)
            .then(|| urls::relative(&path, &urls::glossary(&edition.base))),
    );
    output.page(theme, "a-z.html", &path, context);
}

/// Every entry, unordered.
fn entries(
    edition: &Edition,
    sections: &[&Section],
    facts: &[SectionFacts],
    from: &str,
) -> Vec<Entry> {
    let (view, revision, base) = (edition.view, edition.revision, edition.base.as_str());
    let section_url = |s: &Section| urls::relative(from, &urls::section(base, &s.id));
    // The sections naming each reference (`role:dsl`), in document order.
    let mut named_in: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, found) in facts.iter().enumerate() {
        for reference in &found.references {
            let places = named_in.entry(reference.as_str()).or_default();
            if places.last() != Some(&i) {
                places.push(i);
            }
        }
    }
    let places_of = |targets: &[String], also: &dyn Fn(&Section) -> bool| -> Vec<Link> {
        sections
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                also(s)
                    || targets
                        .iter()
                        .any(|t| named_in.get(t.as_str()).is_some_and(|p| p.contains(i)))
            })
            .map(|(_, s)| Link {
                title: s.title.clone(),
                url: section_url(s),
            })
            .collect()
    };
    let none = |_: &Section| false;
    let mut out = Vec::new();
    for (section, found) in sections.iter().zip(facts) {
        out.push(Entry {
            name: section.title.clone(),
            kind: "section",
            context: None,
            url: Some(section_url(section)),
            places: Vec::new(),
        });
        for heading in &found.headings {
            out.push(Entry {
                name: heading.text.clone(),
                kind: "heading",
                context: Some(format!("in {}", section.title)),
                url: Some(format!("{}#{}", section_url(section), heading.id)),
                places: Vec::new(),
            });
        }
    }
    let people = urls::people(base);
    for role in &revision.roles {
        let owns = |s: &Section| s.owner.as_deref() == Some(role.id.as_str());
        out.push(Entry {
            name: role.title.clone(),
            kind: "role",
            context: None,
            url: Some(urls::relative(
                from,
                &format!("{people}#{}", urls::role_anchor(&role.id)),
            )),
            places: places_of(
                &[format!("role:{}", role.id), format!("holders:{}", role.id)],
                &owns,
            ),
        });
    }
    let organisations = urls::organisations(base);
    for org in &revision.organisations {
        let places = places_of(&[format!("org:{}", org.id)], &none);
        let listed = org.views.contains(&view.id);
        if !listed && places.is_empty() {
            continue;
        }
        out.push(Entry {
            name: org.name.clone(),
            kind: "organisation",
            context: None,
            url: listed.then(|| {
                urls::relative(
                    from,
                    &format!("{organisations}#{}", urls::organisation_anchor(&org.id)),
                )
            }),
            places,
        });
    }
    let strand_pages = super::curriculum::has_pages(edition) && view.curriculum.strands;
    for strand in &revision.framework.strands {
        let tagged = |s: &Section| s.strands.contains(&strand.id);
        let places = places_of(&[format!("strand:{}", strand.id)], &tagged);
        if !strand_pages && places.is_empty() {
            continue;
        }
        out.push(Entry {
            name: strand.name.clone(),
            kind: "strand",
            context: None,
            url: strand_pages
                .then(|| urls::relative(from, &urls::curriculum_strand(base, &strand.id))),
            places,
        });
    }
    for document in &revision.documents {
        let places = places_of(&[format!("doc:{}", document.id)], &none);
        if places.is_empty() {
            continue;
        }
        out.push(Entry {
            name: match document.edition {
                Some(edition) => format!("{} ({edition})", document.title),
                None => document.title.clone(),
            },
            kind: "document",
            context: document.publisher.clone(),
            url: None,
            places,
        });
    }
    let glossary = urls::glossary(base);
    for term in &revision.glossary {
        out.push(Entry {
            name: term.term.clone(),
            kind: "term",
            context: Some(term.stands_for.clone()),
            url: Some(urls::relative(
                from,
                &format!("{glossary}#{}", urls::term_anchor(&term.id)),
            )),
            places: places_of(&[format!("term:{}", term.id)], &none),
        });
    }
    out
}
