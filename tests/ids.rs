//! Ids on the published pages: every "On this page" link lands on its own
//! heading, every footnote reference has an id of its own and a back-link
//! from its note, and no page repeats an id.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;

use common::Site;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The curriculum fixture with its in-force revision given a part
/// whose headings ask for ids the page already has: "Contents" (the page's
/// own "In this section" heading is `#contents`) and "Steps" twice; a
/// link to its "Contents"; and a note cited three times.
fn site() -> Site {
    let site = Site::copy_of("curriculum");
    site.replace(
        "versions/2024-25/content/030-procedures/_index.md",
        "The procedures in this part are for staff.\n",
        "The procedures in this part are for staff.

## Contents

What this part holds.[^4]

## Steps

The first steps.[^4]

## Steps

The second steps, cited again.[^4] Start again from
[what this part holds](#contents).

[^4]: Written by the designated safeguarding lead.
",
    );
    site.build().assert_success();
    site
}

/// One piece of a page, as the HTML tokenizer reads it.
#[derive(Debug, Clone)]
enum Piece {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
}

#[derive(Default)]
struct Pieces(RefCell<Vec<Piece>>);

impl TokenSink for Pieces {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let piece = match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => Piece::Start(
                tag.name.to_string(),
                tag.attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            ),
            Token::TagToken(tag) => Piece::End(tag.name.to_string()),
            Token::CharacterTokens(text) => Piece::Text(text.to_string()),
            _ => return TokenSinkResult::Continue,
        };
        self.0.borrow_mut().push(piece);
        TokenSinkResult::Continue
    }
}

struct Page {
    pieces: Vec<Piece>,
}

impl Page {
    fn parse(html: &str) -> Page {
        let tokenizer = Tokenizer::new(Pieces::default(), TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        Page {
            pieces: tokenizer.sink.0.take(),
        }
    }

    fn attribute(&self, at: usize, name: &str) -> Option<&str> {
        match &self.pieces[at] {
            Piece::Start(_, attributes) => attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    fn name(&self, at: usize) -> &str {
        match &self.pieces[at] {
            Piece::Start(name, _) | Piece::End(name) => name,
            Piece::Text(_) => "",
        }
    }

    /// Where each start tag with an `id` stands, by id (all of them, so a
    /// repeated id shows as two places).
    fn ids(&self) -> BTreeMap<String, Vec<usize>> {
        let mut ids: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for at in 0..self.pieces.len() {
            if let Some(id) = self.attribute(at, "id") {
                ids.entry(id.to_string()).or_default().push(at);
            }
        }
        ids
    }

    /// The one element with this id, or a failure naming how many there are.
    fn target(&self, id: &str) -> usize {
        let ids = self.ids();
        let places = ids.get(id).map_or(&[][..], Vec::as_slice);
        assert_eq!(
            places.len(),
            1,
            "`#{id}` is on the page {} times",
            places.len()
        );
        places[0]
    }

    /// The text inside the element that starts at `at`.
    fn text(&self, at: usize) -> String {
        let name = self.name(at);
        let mut depth = 0;
        let mut text = String::new();
        for piece in &self.pieces[at..] {
            match piece {
                Piece::Start(n, _) if n == name => depth += 1,
                Piece::End(n) if n == name => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Piece::Text(t) => text.push_str(t),
                _ => {}
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The `a` elements inside the first element whose `attribute` is
    /// `value`: where each starts, its href and its text.
    fn links_in(&self, attribute: &str, value: &str) -> Vec<(usize, String, String)> {
        let start = (0..self.pieces.len())
            .find(|&at| self.attribute(at, attribute) == Some(value))
            .unwrap_or_else(|| panic!("no element with {attribute}=\"{value}\""));
        let name = self.name(start).to_string();
        let mut depth = 0;
        let mut links = Vec::new();
        for at in start..self.pieces.len() {
            match &self.pieces[at] {
                Piece::Start(n, _) if *n == name => depth += 1,
                Piece::End(n) if *n == name => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Piece::Start(n, _) if n == "a" => {
                    let href = self.attribute(at, "href").unwrap_or("").to_string();
                    links.push((at, href, self.text(at)));
                }
                _ => {}
            }
        }
        links
    }

    /// The `a` elements whose href is a fragment of this page.
    fn fragment_links(&self) -> Vec<String> {
        (0..self.pieces.len())
            .filter(|&at| self.name(at) == "a")
            .filter_map(|at| {
                let href = self.attribute(at, "href")?;
                Some(href.strip_prefix('#')?.to_string())
            })
            .collect()
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

#[test]
fn every_on_this_page_link_lands_on_its_own_heading() {
    let site = site();
    for view in ["staff", "governors"] {
        let page = Page::parse(&site.page(&format!("{view}/procedures/index.html")));
        let toc = page.links_in("aria-label", "On this page");
        let texts: Vec<&str> = toc.iter().map(|(_, _, text)| text.as_str()).collect();
        assert_eq!(texts, ["Contents", "Steps", "Steps"], "{view}");
        let mut targets = Vec::new();
        for (_, href, text) in &toc {
            let id = href.strip_prefix('#').expect("an in-page link");
            let target = page.target(id);
            assert!(
                is_heading(page.name(target)),
                "{view}: `{text}` links to a <{}>",
                page.name(target)
            );
            assert_eq!(
                &page.text(target),
                text,
                "{view}: `{text}` links to `#{id}`"
            );
            targets.push(target);
        }
        // Each "Steps" to its own heading, in the order they are written.
        assert!(
            targets.windows(2).all(|w| w[0] < w[1]),
            "{view}: the links land on {targets:?}"
        );
        // The theme's "In this section" keeps its id.
        assert_eq!(page.text(page.target("contents")), "In this section");
    }

    // The print page has no "On this page" list; its contents list and
    // the part's own headings, prefixed with its id, each land once.
    let page = Page::parse(&site.page("staff/all/index.html"));
    // The print page's contents list names each section's heading.
    for (_, href, text) in page.links_in("class", "print-contents") {
        let target = page.target(href.strip_prefix('#').expect("an in-page link"));
        assert!(is_heading(page.name(target)), "`{text}` links to {href}");
        assert_eq!(page.text(target), text);
    }
    // The part's own headings, prefixed with its id, each once.
    let headings: Vec<(String, String)> = page
        .ids()
        .into_iter()
        .filter(|(id, _)| id.starts_with("procedures--"))
        .filter(|(_, places)| is_heading(page.name(places[0])))
        .map(|(id, places)| (id, page.text(places[0])))
        .collect();
    let mut texts: Vec<&str> = headings.iter().map(|(_, text)| text.as_str()).collect();
    texts.sort();
    assert_eq!(texts, ["Contents", "Steps", "Steps"], "{headings:?}");
    // Every link within the page (the notes' too) lands on one element.
    for id in page.fragment_links() {
        page.target(&id);
    }
}

#[test]
fn no_page_repeats_an_id() {
    let site = site();
    let mut pages = 0;
    for (path, bytes) in common::snapshot(site.root()) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let page = Page::parse(&String::from_utf8(bytes).unwrap());
        let repeated: Vec<String> = page
            .ids()
            .into_iter()
            .filter(|(_, places)| places.len() > 1)
            .map(|(id, places)| format!("`{id}` ×{}", places.len()))
            .collect();
        assert!(
            repeated.is_empty(),
            "{path} repeats {}",
            repeated.join(", ")
        );
    }
    // public/ and restricted/: every view of both revisions.
    assert!(pages > 40, "only {pages} pages were read");
}

#[test]
fn a_link_to_a_heading_of_the_section_lands_on_it() {
    let site = site();
    for path in ["staff/procedures/index.html", "staff/all/index.html"] {
        let page = Page::parse(&site.page(path));
        let links = page.links_in("id", "main");
        let links: Vec<_> = links
            .iter()
            .filter(|(_, _, text)| text == "what this part holds")
            .collect();
        assert_eq!(links.len(), 1, "{path}");
        let (_, href, _) = links[0];
        let target = page.target(href.strip_prefix('#').expect("an in-page link"));
        assert_eq!(page.text(target), "Contents", "{path}: {href}");
    }
}

/// The note's back-links, from the note with id `note`: one to each
/// reference, each reference linking to the note, each named apart.
fn assert_back_links(page: &Page, note: &str, cited: usize, context: &str) {
    let back = page.links_in("id", note);
    let back: Vec<_> = back
        .into_iter()
        .filter(|(_, _, text)| text.contains("Back to reference"))
        .collect();
    assert_eq!(back.len(), cited, "{context}: back-links {back:?}");
    let mut references = Vec::new();
    let mut names = Vec::new();
    for (_, href, text) in &back {
        let id = href.strip_prefix('#').expect("an in-page link");
        let reference = page.target(id);
        assert_eq!(page.name(reference), "a", "{context}: {href}");
        assert_eq!(
            page.attribute(reference, "href"),
            Some(format!("#{note}").as_str()),
            "{context}: the reference at {href} links to its note"
        );
        references.push(reference);
        names.push(text.clone());
    }
    references.dedup();
    assert_eq!(references.len(), cited, "{context}: {back:?}");
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        cited,
        "{context}: the back-links' names {names:?}"
    );
}

#[test]
fn a_note_cited_three_times_links_back_to_each_citation() {
    let site = site();
    let page = Page::parse(&site.page("staff/procedures/index.html"));
    let note = page
        .ids()
        .into_keys()
        .find(|id| id.starts_with("fn-"))
        .expect("the note has an id");
    assert_back_links(&page, &note, 3, "the section page");

    let page = Page::parse(&site.page("staff/all/index.html"));
    let note = page
        .ids()
        .into_keys()
        .find(|id| id.starts_with("procedures--fn-"))
        .expect("the note has an id on the print page");
    assert_back_links(&page, &note, 3, "the print page");
}

/// The fixture itself has a note cited twice (in its draft, which the
/// governors' view publishes), for the browser audit.
#[test]
fn the_fixture_note_cited_twice_links_back_to_both() {
    let site = Site::copy_of("curriculum");
    site.build().assert_success();
    for path in ["reporting", "all"] {
        let page =
            Page::parse(&site.page(&format!("versions/2025-26/governors/{path}/index.html")));
        let note = if path == "all" {
            "reporting--fn-log"
        } else {
            "fn-log"
        };
        assert_back_links(&page, note, 2, path);
    }
}
