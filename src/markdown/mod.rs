//! Markdown: one section's body, as one view sees it, to HTML.
//!
//! Owns the pulldown-cmark event stream: audience filtering (`audience`),
//! `[[kind:id]]` references (`references`), accessible tables with
//! captions and header scopes, heading ids and levels, images from content/,
//! highlighted code (`highlight`) and sanitised raw HTML (`sanitize`). Every
//! problem is returned as a diagnostic pointing into the source file.
//! Page layout is not its business: that is `render`.

pub mod audience;
pub mod context;
pub mod depth;
pub mod highlight;
pub mod references;
pub mod sanitize;

use std::cell::RefCell;
use std::collections::VecDeque;

// foldhash, not SipHash: a section's words are looked up one by one in the
// glossary's (`bare_uses`), 1.9% of a school's build with SipHash.
use crate::hash::{Map as HashMap, Set as HashSet};
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::address::{self, Target};
use crate::diagnostics::{Diagnostic, Sources};
use crate::html::escape;
use crate::model::{Asset, GlossaryTerm, Revision, RevisionSource, Section, Settings, Site, View};
use crate::slug::slug;
use crate::urls;
use context::Edition;

/// Which page the section is rendered into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Its own page: the title is the page's h1, body headings from h2.
    Section,
    /// The all-in-one print page: ids are prefixed with the section id and
    /// headings sit below the section's own heading.
    All,
}

/// Everything the renderer needs to know about where the HTML goes.
pub struct Page<'a> {
    pub settings: &'a Settings,
    pub revision: &'a Revision,
    pub view: &'a View,
    /// Where the view's pages start for this revision (see `urls::edition_base`).
    pub base: &'a str,
    pub section: &'a Section,
    pub sources: &'a Sources,
    pub assets: &'a [Asset],
    /// Data files that could not be read (see `Revision::unreadable`).
    pub unreadable: &'a [&'static str],
    /// The page the HTML is placed on (see `urls`).
    pub path: &'a str,
    pub mode: Mode,
    /// Glossary terms already used higher up the same page (the print
    /// page renders its sections one after another): only a term's first
    /// use on a page is marked and linked.
    pub terms_seen: &'a [String],
    /// Where to note each section whose headings the reading asks for
    /// (`[[section:x#y]]`), with the answer: what a kept reading must
    /// find the same to be taken again (`validate::section_reads`).
    pub headings_read: Option<&'a RefCell<Vec<HeadingsRead>>>,
}

/// The headings of another section a reading asked for: the section's id
/// and what `heading_fragments` answered.
pub type HeadingsRead = (String, Vec<(String, String)>);

impl<'a> Page<'a> {
    /// The section `section` as the edition's view shows it, on the page
    /// at `path`.
    pub fn new(
        site: &'a Site,
        edition: &'a Edition<'a>,
        section: &'a Section,
        path: &'a str,
        mode: Mode,
    ) -> Self {
        Page {
            settings: &site.settings,
            revision: edition.revision,
            view: edition.view,
            base: &edition.base,
            section,
            sources: &site.sources,
            assets: &edition.revision.assets,
            unreadable: &edition.revision.unreadable,
            path,
            mode,
            terms_seen: &[],
            headings_read: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link the section makes to another page of the site, with where it
/// stands in the source, so a broken one can be reported there.
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub href: String,
    /// The link as the section writes it (`[[section:reporting#x]]`), for
    /// messages: the published address is the build's business.
    pub written: String,
    pub source_bytes: Range<usize>,
}

/// An address outside the site that a Markdown link or autolink points
/// at, with where it stands in the source: what `check` asks about.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    pub source_bytes: Range<usize>,
}

#[derive(Debug, Default, Clone)]
pub struct RenderedSection {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// Links and autolinks to addresses outside the site, in the order
    /// written. References (`[[org:…]]`) are not among them: their
    /// addresses are data/'s.
    pub external: Vec<ExternalLink>,
    /// The files of content/ the section shows (images), by their path
    /// there: only these are published with the view.
    pub images: Vec<String>,
    /// The glossary terms this section used first on its page, by id.
    pub terms: Vec<String>,
    /// Every `[[kind:id]]` the section resolved, as written
    /// (`role:dsl`), in order: where the A–Z finds what a section names.
    pub references: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Ids the page templates use; a heading never takes one of them, a
/// section may not be called by one (the print page gives each section
/// its id), and a link from a section may not point at one.
pub const PAGE_IDS: &[&str] = &[
    "main",
    "top",
    "contents",
    "site-header",
    "site-footer",
    "breadcrumbs",
    "review-notice",
    "draft-notice",
    "earlier-notice",
    "section-nav",
    "page-title",
    // What `serve` adds to a previewed page (src/serve/http.rs).
    "policyweb-restricted",
    "policyweb-error",
    "policyweb-error-title",
];

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
}

pub fn render(page: &Page) -> RenderedSection {
    let section = page.section;
    let text = &page.sources.get(section.source).text;
    let filtered = audience::filter(
        text,
        section.body.clone(),
        &section.blocks,
        Some(&page.view.id),
    );
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&filtered.text, options())
        .into_offset_iter()
        .collect();
    let mut renderer = Renderer {
        page,
        filtered: &filtered,
        out: RenderedSection::default(),
        used_ids: PAGE_IDS.iter().map(|s| s.to_string()).collect(),
        id_suffixes: HashMap::default(),
        raw_html: false,
        citations: citations(&events),
        footnotes: Vec::new(),
        open_notes: Vec::new(),
        heading_ids: VecDeque::new(),
        fragments: HashMap::default(),
        terms_used: page.terms_seen.iter().cloned().collect(),
        in_link: 0,
        in_heading: false,
        capitals: capital_terms(page),
    };
    renderer.claim_heading_ids(&events);
    let mut html_events = Vec::with_capacity(events.len());
    renderer.transform(&events, &mut html_events);
    let mut html = String::with_capacity(filtered.text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    if renderer.raw_html {
        html = sanitize::clean(&html);
    }
    renderer.out.html = html;
    renderer.out
}

/// Each heading of `section` as the page's view shows it: the id a link
/// asks for (`contents`, as written or slugged from the heading) and the
/// id the heading got on its page (`contents-2`, the theme having
/// `#contents`), in the order of the headings. `[[section:x#y]]` is
/// resolved against it.
pub fn heading_fragments(page: &Page, section: &Section) -> Vec<(String, String)> {
    let page = Page { section, ..*page };
    let text = &page.sources.get(section.source).text;
    let filtered = audience::filter(
        text,
        section.body.clone(),
        &section.blocks,
        Some(&page.view.id),
    );
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&filtered.text, options())
        .into_offset_iter()
        .collect();
    let mut renderer = Renderer {
        page: &page,
        filtered: &filtered,
        out: RenderedSection::default(),
        used_ids: PAGE_IDS.iter().map(|s| s.to_string()).collect(),
        id_suffixes: HashMap::default(),
        raw_html: false,
        citations: HashMap::default(),
        footnotes: Vec::new(),
        open_notes: Vec::new(),
        heading_ids: VecDeque::new(),
        fragments: HashMap::default(),
        terms_used: HashSet::default(),
        in_link: 0,
        in_heading: false,
        capitals: Vec::new(),
    };
    renderer.claim_heading_ids(&events);
    let mut order = Vec::new();
    for got in &renderer.heading_ids {
        if let Some((wanted, _)) = renderer.fragments.iter().find(|(_, g)| *g == got) {
            order.push((wanted.clone(), got.clone()));
        }
    }
    order
}

struct Renderer<'a> {
    page: &'a Page<'a>,
    filtered: &'a audience::Filtered,
    out: RenderedSection,
    used_ids: HashSet<String>,
    /// The suffix to try next for each id asked for more than once.
    id_suffixes: HashMap<String, usize>,
    raw_html: bool,
    /// How many times each footnote is cited, counted before rendering so
    /// a note written above its references still links back to each.
    citations: HashMap<String, usize>,
    /// The section's notes, numbered in the order they first appear.
    footnotes: Vec<Footnote>,
    /// The notes whose definitions are open, innermost last.
    open_notes: Vec<usize>,
    /// The ids the headings got, in order, claimed before rendering so a
    /// link written above a heading can be pointed at it.
    heading_ids: VecDeque<String>,
    /// The id each heading asked for, to the one the first heading asking
    /// for it got: `[Contents](#contents)` means this section's heading
    /// "Contents", which the theme's own `#contents` has pushed to `-2`.
    fragments: HashMap<String, String>,
    /// Glossary terms already marked on this page.
    terms_used: HashSet<String>,
    /// How many links the text is inside (a term there is not linked).
    in_link: usize,
    in_heading: bool,
    /// The glossary's terms written in capitals, looked for typed bare.
    capitals: Vec<&'a GlossaryTerm>,
}

/// The glossary terms in capitals a section should reference rather than
/// type: none for a revision read from versions/ or git, whose approved
/// text cannot change.
fn capital_terms<'a>(page: &Page<'a>) -> Vec<&'a GlossaryTerm> {
    if page.revision.source != RevisionSource::Working {
        return Vec::new();
    }
    page.revision
        .glossary
        .iter()
        .filter(|t| t.is_capitals())
        .collect()
}

/// Where each of `terms` is typed as a word of its own in `text` (`CEOP`,
/// or `CEOPs`), by byte offset: not inside a longer word (`UKCIS` holds no
/// `CIS`). The text is read word by word, so a page of text costs the same
/// however long the glossary; a term that is not one word (`S&T`) is
/// looked for as written.
fn bare_uses<'t>(text: &str, terms: &[&'t GlossaryTerm]) -> Vec<(usize, &'t GlossaryTerm)> {
    let one_word = |t: &GlossaryTerm| t.term.chars().all(char::is_alphanumeric);
    let words: HashMap<&str, &GlossaryTerm> = terms
        .iter()
        .filter(|t| one_word(t))
        .map(|t| (t.term.as_str(), *t))
        .collect();
    let mut found = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                let word = &text[from..at];
                let term = words
                    .get(word)
                    .or_else(|| word.strip_suffix('s').and_then(|w| words.get(w)));
                if let Some(term) = term {
                    found.push((from, *term));
                }
                start = None;
            }
            _ => {}
        }
    }
    for term in terms.iter().filter(|t| !one_word(t)) {
        let uses = text.match_indices(term.term.as_str()).filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + term.term.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        found.extend(uses.map(|(at, _)| (at, *term)));
    }
    found.sort_by_key(|(at, _)| *at);
    found
}

/// One footnote's ids: the note's own, and one for each place it is cited,
/// claimed together so every one is unique on the page.
struct Footnote {
    label: String,
    id: String,
    references: Vec<String>,
    /// How many of `references` the text has reached so far.
    cited: usize,
}

/// How many times each footnote label is cited in the events the renderer
/// publishes: a reference inside an image's alt text or a `[[...|label]]`
/// is dropped with them, so it is not counted (see `Renderer::transform`).
fn citations(events: &[(Event, Range<usize>)]) -> HashMap<String, usize> {
    let mut counts = HashMap::default();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Image { .. })
            | Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) => i = closing(events, i),
            Event::FootnoteReference(label) => {
                *counts.entry(label.to_string()).or_insert(0) += 1;
            }
            _ => {}
        }
        i += 1;
    }
    counts
}

/// Index of the event closing the one that opens at `start`.
fn closing(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The plain text of a run of events (for alt text, heading ids, captions).
fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            _ => None,
        })
        .collect()
}

impl<'a> Renderer<'a> {
    fn source(&self, range: &Range<usize>) -> Range<usize> {
        self.filtered.source_range(range.clone())
    }

    fn error(&mut self, range: &Range<usize>, message: String, help: impl Into<String>) {
        let span = self.source(range);
        self.out.diagnostics.push(
            Diagnostic::error(message)
                .at(self.page.section.source, span)
                .help(help),
        );
    }

    fn warning(&mut self, range: &Range<usize>, message: String, help: impl Into<String>) {
        let span = self.source(range);
        self.out.diagnostics.push(
            Diagnostic::warning(message)
                .at(self.page.section.source, span)
                .help(help),
        );
    }

    /// An id unique on the page; on the print page, prefixed by the section.
    fn claim_id(&mut self, wanted: &str) -> String {
        let base = match self.page.mode {
            Mode::Section => wanted.to_string(),
            Mode::All => format!("{}--{wanted}", self.page.section.id),
        };
        // Counting on from the last suffix this base took keeps a page of
        // thousands of same-named headings linear.
        let next = self.id_suffixes.entry(base.clone()).or_insert(2);
        let mut id = base.clone();
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{next}");
            *next += 1;
        }
        id
    }

    fn heading_level(&self, level: HeadingLevel) -> u8 {
        let written = level as u8;
        let shift = match self.page.mode {
            Mode::Section => 0,
            Mode::All => u8::try_from(self.page.section.depth)
                .unwrap_or(u8::MAX)
                .saturating_add(1),
        };
        written.saturating_add(shift).clamp(2, 6)
    }

    fn transform(&mut self, events: &[(Event<'a>, Range<usize>)], out: &mut Vec<Event<'a>>) {
        let mut caption: Option<(String, String)> = None;
        let mut table = TableState::default();
        let mut i = 0;
        while i < events.len() {
            let (event, range) = &events[i];
            match event {
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }) => {
                    let end = closing(events, i);
                    let label = has_pothole.then(|| plain_text(&events[i + 1..end]));
                    out.push(Event::Html(
                        self.reference(dest_url, label.as_deref(), range).into(),
                    ));
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    self.in_link += 1;
                    let dest = self.link(*link_type, dest_url, range);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest.into(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let end = closing(events, i);
                    let alt = plain_text(&events[i + 1..end]);
                    out.push(Event::Html(self.image(dest_url, title, &alt, range).into()));
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    // `{.class key=value}` after a heading: the theme's
                    // classes are its own, as they are in raw HTML.
                    let dropped = classes
                        .iter()
                        .map(|c| format!(".{c}"))
                        .chain(attrs.iter().map(|(key, _)| key.to_string()));
                    for written in dropped.collect::<Vec<_>>() {
                        self.warning(
                            range,
                            format!("`{written}` on this heading is not allowed and was removed"),
                            "a heading takes only an id (`## Title {#id}`); classes and attributes belong to the theme",
                        );
                    }
                    let end = closing(events, i);
                    let inner_events = &events[i + 1..end];
                    let id = match self.heading_ids.pop_front() {
                        Some(id) => id,
                        None => {
                            self.claim_id(&heading_wanted(id.as_deref(), &plain_text(inner_events)))
                        }
                    };
                    // What the reader sees, for the contents and the A–Z:
                    // a reference's text, not `term:dsl`.
                    let text = self.heading_text(inner_events);
                    let level = self.heading_level(*level);
                    let mut inner = Vec::new();
                    self.in_heading = true;
                    self.transform(inner_events, &mut inner);
                    self.in_heading = false;
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    out.push(Event::Html(
                        format!("<h{level} id=\"{}\">{inner_html}</h{level}>\n", escape(&id))
                            .into(),
                    ));
                    // The id the heading got, not the one it asked for: a
                    // heading "Contents" or a repeated one is `-2`.
                    self.out.headings.push(Heading { level, id, text });
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Paragraph) => {
                    let end = closing(events, i);
                    let inner_events = &events[i + 1..end];
                    if let Some(text) = caption_text(inner_events)
                        && matches!(events.get(end + 1), Some((Event::Start(Tag::Table(_)), _)))
                    {
                        let mut inner = Vec::new();
                        self.transform(inner_events, &mut inner);
                        strip_caption_prefix(&mut inner);
                        let mut html = String::new();
                        pulldown_cmark::html::push_html(&mut html, inner.into_iter());
                        caption = Some((html, text));
                        i = end + 1;
                        continue;
                    }
                    if let [
                        (
                            Event::Start(Tag::Link {
                                link_type: LinkType::WikiLink { .. },
                                dest_url,
                                ..
                            }),
                            link_range,
                        ),
                        ..,
                        (Event::End(TagEnd::Link), _),
                    ] = inner_events
                        && closing(inner_events, 0) == inner_events.len() - 1
                        && let Some(role) = dest_url.strip_prefix("holders:")
                    {
                        match references::holders_block(self.page, role) {
                            Ok(html) => {
                                self.out.references.push(format!("holders:{role}"));
                                out.push(Event::Html(html.into()));
                            }
                            // roles.yaml has its own error; one is enough.
                            Err(_) if self.page.unreadable.contains(&"roles") => {
                                out.push(Event::Text(role.to_string().into()));
                            }
                            Err(problem) => self.error(link_range, problem.message, problem.help),
                        }
                        i = end + 1;
                        continue;
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::Table(alignments)) => {
                    table = TableState {
                        alignments: alignments.clone(),
                        ..TableState::default()
                    };
                    // The wrapper scrolls a wide table on a phone; as a named,
                    // focusable region a keyboard user can scroll it too.
                    let label = match &caption {
                        Some((_, text)) => text.trim_start_matches("Table:").trim().to_string(),
                        None => "Table".to_string(),
                    };
                    let mut html = format!(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table class=\"stack-narrow\">\n",
                        escape(&label)
                    );
                    match caption.take() {
                        Some((caption, _)) => {
                            html.push_str(&format!("<caption>{}</caption>\n", caption.trim()))
                        }
                        None => self.warning(
                            range,
                            "this table has no caption".into(),
                            "write a paragraph `Table: what the table shows` directly before it",
                        ),
                    }
                    out.push(Event::Html(html.into()));
                }
                Event::Start(Tag::TableHead) => {
                    table.in_head = true;
                    table.cell = 0;
                    out.push(Event::Html("<thead>\n<tr>".into()));
                }
                Event::End(TagEnd::TableHead) => {
                    table.in_head = false;
                    out.push(Event::Html("</tr>\n</thead>\n<tbody>\n".into()));
                }
                Event::Start(Tag::TableRow) => {
                    table.cell = 0;
                    out.push(Event::Html("<tr>".into()));
                }
                Event::End(TagEnd::TableRow) => out.push(Event::Html("</tr>\n".into())),
                Event::Start(Tag::TableCell) => {
                    let end = closing(events, i);
                    let empty = end == i + 1;
                    let (open, close) = table.cell_tags(empty);
                    table.closing.push(close);
                    out.push(Event::Html(open.into()));
                    table.cell_start = out.len();
                }
                Event::End(TagEnd::TableCell) => {
                    if table.in_head {
                        // The heading as a reader sees it: references
                        // resolved to names, markup dropped.
                        let mut html = String::new();
                        let start = table.cell_start.min(out.len());
                        pulldown_cmark::html::push_html(&mut html, out[start..].iter().cloned());
                        table.headings.push(text_of(&html));
                    }
                    table.cell += 1;
                    let close = table.closing.pop().unwrap_or("</td>");
                    out.push(Event::Html(close.into()));
                }
                Event::End(TagEnd::Table) => {
                    out.push(Event::Html("</tbody>\n</table>\n</div>\n".into()))
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = closing(events, i);
                    let code: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let language = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                        CodeBlockKind::Indented => "",
                    };
                    out.push(Event::Html(highlight::code_block(language, &code).into()));
                    i = end + 1;
                    continue;
                }
                Event::FootnoteReference(label) => {
                    let index = self.footnote(label);
                    let number = index + 1;
                    let note = &mut self.footnotes[index];
                    let reference = note.references.get(note.cited).cloned();
                    note.cited += 1;
                    let note_id = escape(&note.id);
                    // Counted beforehand, so always there; if not, the
                    // reference still gets an id of its own.
                    let reference = escape(
                        &reference
                            .unwrap_or_else(|| self.claim_id(&format!("fnref-{}", slug(label)))),
                    );
                    out.push(Event::Html(
                        format!(
                            "<sup class=\"footnote-ref\"><a href=\"#{note_id}\" id=\"{reference}\" aria-label=\"Note {number}\">{number}</a></sup>"
                        )
                        .into(),
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let index = self.footnote(label);
                    self.open_notes.push(index);
                    let id = escape(&self.footnotes[index].id);
                    let number = index + 1;
                    out.push(Event::Html(
                        format!("<div class=\"footnote\" id=\"{id}\">\n<p class=\"footnote-label\">Note {number}</p>\n")
                            .into(),
                    ));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    let back = match self.open_notes.pop() {
                        Some(index) => back_links(index + 1, &self.footnotes[index].references),
                        None => String::new(),
                    };
                    out.push(Event::Html(format!("{back}</div>\n").into()));
                }
                // An HTML block comes a line at a time; a tag may span lines,
                // so the block is cleaned whole.
                Event::Start(Tag::HtmlBlock) => {
                    let end = closing(events, i);
                    let lines: Vec<(&str, Range<usize>)> = events[i + 1..end]
                        .iter()
                        .filter_map(|(event, range)| match event {
                            Event::Html(text) | Event::InlineHtml(text) => {
                                Some((text.as_ref(), range.clone()))
                            }
                            _ => None,
                        })
                        .collect();
                    let html = self.raw(&lines);
                    out.push(Event::Start(Tag::HtmlBlock));
                    out.push(Event::Html(html.into()));
                    out.push(Event::End(TagEnd::HtmlBlock));
                    i = end + 1;
                    continue;
                }
                Event::Html(fragment) => {
                    let html = self.raw(&[(fragment.as_ref(), range.clone())]);
                    out.push(Event::Html(html.into()));
                }
                Event::InlineHtml(fragment) => {
                    let html = self.raw(&[(fragment.as_ref(), range.clone())]);
                    out.push(Event::InlineHtml(html.into()));
                }
                Event::End(TagEnd::Link) => {
                    self.in_link = self.in_link.saturating_sub(1);
                    out.push(event.clone());
                }
                Event::Text(_) => {
                    self.bare_terms(range);
                    out.push(event.clone());
                }
                _ => out.push(event.clone()),
            }
            i += 1;
        }
    }

    /// Raw HTML an author typed, in pieces as pulldown-cmark read it, as
    /// it is published; what was left out is reported where it stands.
    fn raw(&mut self, pieces: &[(&str, Range<usize>)]) -> String {
        self.raw_html = true;
        let mut fragment = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for (text, range) in pieces {
            starts.push((fragment.len(), range.clone()));
            fragment.push_str(text);
        }
        let cleaned = sanitize::raw(&fragment);
        // A link written in HTML is checked like a Markdown one, and a
        // broken one reported at the line of the piece that holds it.
        for tag in crate::html::start_tags(&cleaned.html) {
            let href = tag.attribute("href").or_else(|| tag.attribute("src"));
            if let Some(href) = href
                && address::classify(href, true) == Ok(Target::Internal)
            {
                let range = pieces
                    .iter()
                    .find(|(text, _)| text.contains(href))
                    .or(pieces.first())
                    .map(|(_, range)| range.clone())
                    .unwrap_or_default();
                self.out.links.push(InternalLink {
                    href: href.to_string(),
                    written: href.to_string(),
                    source_bytes: self.source(&range),
                });
            }
        }
        for problem in cleaned.problems {
            let Some((piece_start, range)) = starts
                .iter()
                .rev()
                .find(|(start, _)| *start <= problem.offset)
                .cloned()
            else {
                continue;
            };
            let at = (range.start + problem.offset - piece_start).min(range.end);
            let span = at..(at + problem.len).min(range.end).max(at);
            match problem.severity {
                sanitize::Severity::Error => self.error(&span, problem.message, problem.help),
                sanitize::Severity::Warning => self.warning(&span, problem.message, problem.help),
            }
        }
        cleaned.html
    }

    /// A heading's text as the page shows it: each `[[kind:id]]` as the
    /// words it renders to (the term, the role's title), other markup
    /// dropped.
    fn heading_text(&self, events: &[(Event, Range<usize>)]) -> String {
        let mut text = String::new();
        let mut i = 0;
        while i < events.len() {
            match &events[i].0 {
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }) => {
                    let end = closing(events, i);
                    let label = has_pothole.then(|| plain_text(&events[i + 1..end]));
                    text.push_str(&self.reference_text(dest_url, label.as_deref()));
                    i = end + 1;
                    continue;
                }
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
            i += 1;
        }
        text
    }

    /// The words `[[target]]` shows, without its markup.
    fn reference_text(&self, target: &str, label: Option<&str>) -> String {
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        let resolved = match target.strip_prefix("term:") {
            Some(id) => references::term(self.page, id, label, false, false),
            None => references::resolve(self.page, target, label),
        };
        match resolved {
            Ok(resolved) => crate::html::text_of(&resolved.html),
            Err(_) => label.unwrap_or(target).to_string(),
        }
    }

    /// Every heading's id, in the order the headings are rendered.
    fn claim_heading_ids(&mut self, events: &[(Event, Range<usize>)]) {
        for (i, (event, _)) in events.iter().enumerate() {
            if let Event::Start(Tag::Heading { id, .. }) = event {
                let text = plain_text(&events[i + 1..closing(events, i)]);
                let wanted = heading_wanted(id.as_deref(), &text);
                let got = self.claim_id(&wanted);
                self.fragments.entry(wanted).or_insert_with(|| got.clone());
                self.heading_ids.push_back(got);
            }
        }
    }

    /// The index of the note `label`, numbered and given its ids the
    /// first time it is met, whether at a reference or at the note.
    fn footnote(&mut self, label: &str) -> usize {
        if let Some(index) = self.footnotes.iter().position(|n| n.label == label) {
            return index;
        }
        // Two labels may slug alike (`[^a b]`, `[^a-b]`); claiming keeps
        // their ids apart.
        let base = slug(label);
        let id = self.claim_id(&format!("fn-{base}"));
        let cited = self.citations.get(label).copied().unwrap_or(0);
        let references = (1..=cited)
            .map(|n| match n {
                1 => self.claim_id(&format!("fnref-{base}")),
                n => self.claim_id(&format!("fnref-{base}-{n}")),
            })
            .collect();
        self.footnotes.push(Footnote {
            label: label.to_string(),
            id,
            references,
            cited: 0,
        });
        self.footnotes.len() - 1
    }

    /// A glossary term typed bare in text, where `[[term:…]]` would
    /// explain it: a warning at the word. Headings (short, and explained
    /// in the text below them), link text (a link cannot hold another),
    /// code and addresses are left alone.
    fn bare_terms(&mut self, range: &Range<usize>) {
        if self.capitals.is_empty() || self.in_heading || self.in_link > 0 {
            return;
        }
        let Some(text) = self.filtered.text.get(range.clone()) else {
            return;
        };
        let found: Vec<(Range<usize>, &GlossaryTerm)> = bare_uses(text, &self.capitals)
            .into_iter()
            .map(|(at, term)| {
                let start = range.start + at;
                (start..start + term.term.len(), term)
            })
            .collect();
        for (span, term) in found {
            self.warning(
                &span,
                format!(
                    "`{}` is in the glossary ({}) but is typed here without a reference",
                    term.term, term.stands_for
                ),
                format!(
                    "write [[term:{}]]: its first use on each page is written out and linked to the glossary",
                    term.id
                ),
            );
        }
    }

    fn reference(&mut self, target: &str, label: Option<&str>, range: &Range<usize>) -> String {
        let resolved = match target.strip_prefix("term:") {
            Some(id) => {
                let first = !self.terms_used.contains(id);
                let resolved = references::term(self.page, id, label, first, self.in_link == 0);
                if first && resolved.is_ok() {
                    self.terms_used.insert(id.to_string());
                    self.out.terms.push(id.to_string());
                }
                resolved
            }
            None => references::resolve(self.page, target, label),
        };
        match resolved {
            Ok(resolved) => {
                self.out.references.push(target.to_string());
                if let Some(link) = resolved.link {
                    self.out.links.push(InternalLink {
                        href: link,
                        written: format!("[[{target}]]"),
                        source_bytes: self.source(range),
                    });
                }
                if let Some((message, help)) = resolved.warning {
                    self.warning(range, message, help);
                }
                resolved.html
            }
            Err(problem) => {
                self.error(range, problem.message, problem.help);
                escape(label.unwrap_or(target))
            }
        }
    }

    /// Checks a Markdown link's target and returns the address to publish.
    fn link(&mut self, link_type: LinkType, dest: &CowStr, range: &Range<usize>) -> String {
        if link_type == LinkType::Email {
            return dest.to_string();
        }
        match address::classify(dest, false) {
            Err(problem) => {
                self.error(range, problem, address::help_for(dest));
                String::new()
            }
            Ok(Target::External) => {
                self.out.external.push(ExternalLink {
                    url: dest.to_string(),
                    source_bytes: self.source(range),
                });
                dest.to_string()
            }
            Ok(Target::Internal) => {
                let href = match (self.page.mode, dest.strip_prefix('#')) {
                    (_, Some(fragment)) if let Some(id) = self.fragments.get(fragment) => {
                        format!("#{id}")
                    }
                    (Mode::All, Some(fragment)) => format!("#{}--{fragment}", self.page.section.id),
                    _ => dest.to_string(),
                };
                self.out.links.push(InternalLink {
                    href: href.clone(),
                    written: dest.to_string(),
                    source_bytes: self.source(range),
                });
                href
            }
        }
    }

    fn image(&mut self, dest: &str, title: &str, alt: &str, range: &Range<usize>) -> String {
        if alt.trim().is_empty() {
            self.error(
                range,
                "this image has no alt text".into(),
                "describe what the image shows between the brackets: ![Flowchart of how to report a concern](flowchart.png)",
            );
        }
        let internal = matches!(address::classify(dest, false), Ok(Target::Internal));
        let src = match address::classify(dest, false) {
            Err(problem) => {
                self.error(range, problem, address::help_for(dest));
                String::new()
            }
            Ok(Target::External) => dest.to_string(),
            Ok(Target::Internal) => {
                // `dir/dest` normalised, or `None` if it leaves content/.
                let path = urls::join(&self.page.section.dir, dest);
                match path.filter(|p| self.page.assets.iter().any(|a| a.path == *p)) {
                    Some(path) => {
                        let src = urls::relative(
                            self.page.path,
                            &urls::content_asset(&self.page.revision.id, &path),
                        );
                        self.out.images.push(path);
                        src
                    }
                    None => {
                        self.error(
                            range,
                            format!("the image `{dest}` is not in content/"),
                            "put the image beside the section's file and check the name's spelling and case",
                        );
                        String::new()
                    }
                }
            }
        };
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        // On a phone a wide diagram shrinks until its words are too small to
        // read; the theme shows this link there, to the file at full size.
        let full_size = if internal && self.in_link == 0 && !src.is_empty() {
            format!(
                "<span class=\"image-full\"><a href=\"{}\">Open the image at full size</a></span>",
                escape(&src)
            )
        } else {
            String::new()
        };
        format!(
            "<img src=\"{}\" alt=\"{}\"{title}>{full_size}",
            escape(&src),
            escape(alt.trim())
        )
    }
}

/// The id a heading asks for: the one written after it, else its text's.
fn heading_wanted(written: Option<&str>, text: &str) -> String {
    written.map_or_else(|| slug(text), str::to_string)
}

/// The links from note `number` back to each place it is cited, as GitHub
/// and pandoc write them: ↩, then ↩², ↩³ … when it is cited more than once.
/// Each has a name of its own, so a screen reader's list of links tells
/// them apart.
fn back_links(number: usize, references: &[String]) -> String {
    let count = references.len();
    let links: Vec<String> = references
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (name, mark) = match count {
                1 => (format!("Back to reference {number}"), String::new()),
                _ => (
                    format!("Back to reference {number} ({} of {count})", i + 1),
                    if i == 0 {
                        String::new()
                    } else {
                        format!("<sup>{}</sup>", i + 1)
                    },
                ),
            };
            // The name is text of the link's own, not an aria-label, so
            // that what a reader sees (↩²) is part of what is announced.
            format!(
                "<a href=\"#{}\"><span aria-hidden=\"true\">\u{21a9}\u{fe0e}{mark}</span><span class=\"visually-hidden\">{name}</span></a>",
                escape(id)
            )
        })
        .collect();
    if links.is_empty() {
        String::new()
    } else {
        // `footnote-ref` gives each link the size of a reference's.
        format!(
            "<p class=\"footnote-back footnote-ref\">{}</p>\n",
            links.join(" ")
        )
    }
}

/// The caption text when a paragraph starts `Table: `.
fn caption_text(events: &[(Event, Range<usize>)]) -> Option<String> {
    match events.first() {
        Some((Event::Text(text), _)) if text.starts_with("Table:") => Some(plain_text(events)),
        _ => None,
    }
}

fn strip_caption_prefix(events: &mut [Event]) {
    if let Some(Event::Text(text)) = events.first_mut() {
        let rest = text.trim_start_matches("Table:").trim_start().to_string();
        *text = rest.into();
    }
}

#[derive(Default)]
struct TableState {
    alignments: Vec<pulldown_cmark::Alignment>,
    in_head: bool,
    cell: usize,
    closing: Vec<&'static str>,
    /// Each column's heading as text: a body cell carries its column's as
    /// `data-label`, which the theme shows when a phone stacks the rows.
    headings: Vec<String>,
    /// Where the current cell's content starts in the output events.
    cell_start: usize,
}

/// The text of a piece of rendered HTML, tags removed, the entities
/// `escape` writes turned back into characters, spaces folded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl TableState {
    /// Header row cells are column headers; the first cell of a body row is
    /// its row header. An empty corner cell is an ordinary cell.
    fn cell_tags(&self, empty: bool) -> (String, &'static str) {
        let class = match self.alignments.get(self.cell) {
            Some(pulldown_cmark::Alignment::Left) => " class=\"align-left\"",
            Some(pulldown_cmark::Alignment::Center) => " class=\"align-center\"",
            Some(pulldown_cmark::Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        if self.in_head && !empty {
            (format!("<th scope=\"col\"{class}>"), "</th>")
        } else if !self.in_head && self.cell == 0 && !empty {
            (format!("<th scope=\"row\"{class}>"), "</th>")
        } else {
            let label = match self.headings.get(self.cell) {
                Some(heading) if !self.in_head && !heading.is_empty() => {
                    format!(" data-label=\"{}\"", escape(heading))
                }
                _ => String::new(),
            };
            (format!("<td{class}{label}>"), "</td>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{GlossaryTerm, PAGE_IDS, bare_uses};

    #[test]
    fn a_bare_term_is_a_word_of_its_own() {
        let term = |t: &str| GlossaryTerm {
            id: t.to_lowercase(),
            term: t.into(),
            stands_for: String::new(),
            meaning: None,
            url: None,
        };
        let (cis, ceop, st) = (term("CIS"), term("CEOP"), term("S&T"));
        let terms = [&cis, &ceop, &st];
        let found = |text: &str| -> Vec<(usize, String)> {
            bare_uses(text, &terms)
                .into_iter()
                .map(|(at, t)| (at, t.term.clone()))
                .collect()
        };
        assert_eq!(
            found("UKCIS, CEOPs and CEOP’s; CIS-led S&T"),
            [
                (7, "CEOP".to_string()),
                (17, "CEOP".to_string()),
                (27, "CIS".to_string()),
                (35, "S&T".to_string())
            ]
        );
        assert!(found("CEOPX, xCEOP, ceop, MS&TV").is_empty());
    }

    /// A heading's id never repeats one the page around the section uses:
    /// every fixed id of the default theme's section and print pages is in
    /// PAGE_IDS.
    #[test]
    fn headings_never_take_an_id_of_the_page_around_them() {
        let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/");
        for template in ["base.html", "section.html", "all.html"] {
            let text = std::fs::read_to_string(format!("{templates}{template}")).unwrap();
            for rest in text.split(" id=\"").skip(1) {
                let id = &rest[..rest.find('"').unwrap()];
                if !id.contains("{{") {
                    assert!(PAGE_IDS.contains(&id), "{template} uses the id `{id}`");
                }
            }
        }
    }
}
