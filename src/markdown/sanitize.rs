//! Raw HTML in Markdown, in two steps.
//!
//! `raw` rewrites each fragment an author typed (an HTML block or an
//! inline tag) from html5ever's tokens: only the elements and attributes of
//! `RAW` are written back, each with its value escaped, and every other one
//! is a `RawHtmlProblem` with its place in the fragment. Raw HTML never carries a
//! `class`, `id`, `style`, `role` or `aria-*` attribute, so nothing a
//! section says can take the look, the landmarks or the announcements of
//! the theme's own notices (DRAFT, "not the current policy", overdue).
//! Active content (scripts, styles, frames, objects, forms, event handlers,
//! `javascript:` and `data:` addresses) is an error, since it is never
//! legitimate in a policy; `http:` is refused as it is in a Markdown link.
//!
//! `clean` then passes the whole rendered section through ammonia, with an
//! allowlist that also admits the markup policyweb itself writes (classes on
//! tables and footnotes, heading ids, task-list boxes), as a second wall and
//! to close any element a fragment left open.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::address;
use crate::html::escape;

/// Tags the final pass keeps: what Markdown and policyweb produce, plus
/// what `RAW` lets an author write.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    // Task-list boxes (`- [x]`), written by pulldown-cmark; never from raw HTML.
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];

/// Attributes the final pass keeps on every tag (classes and ids are
/// policyweb's own: raw HTML has lost them before this pass).
const GENERIC: &[&str] = &["class", "id", "lang", "title"];

/// Attributes the final pass keeps on particular tags.
const BY_TAG: &[(&str, &[&str])] = &[
    // The names of footnote references and back-links (`Note 1`).
    ("a", &["href", "aria-label"]),
    // The back-links' arrows, hidden from screen readers behind their names.
    ("span", &["aria-hidden"]),
    ("div", &["role", "tabindex", "aria-label"]),
    ("img", &["src", "alt", "width", "height"]),
    ("th", &["scope", "colspan", "rowspan"]),
    // The column's heading, shown beside the cell when a phone stacks rows.
    ("td", &["colspan", "rowspan", "data-label"]),
    ("time", &["datetime"]),
    ("ol", &["start"]),
    ("input", &["type", "checked", "disabled"]),
    ("abbr", &["title"]),
];

const SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// What an author may write as raw HTML: each element with the attributes
/// it may carry besides `RAW_GENERIC`. Everything else is removed.
const RAW: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("abbr", &[]),
    ("b", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("code", &[]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &[]),
    ("mark", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &[]),
    ("s", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan"]),
    ("tfoot", &[]),
    ("th", &["scope", "colspan", "rowspan"]),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
];

const RAW_GENERIC: &[&str] = &["lang", "title"];

/// Elements that run, load or restyle something: never in a policy.
const ACTIVE: &[&str] = &[
    "applet",
    "base",
    "embed",
    "fencedframe",
    "form",
    "frame",
    "frameset",
    "iframe",
    "link",
    "math",
    "meta",
    "noscript",
    "object",
    "portal",
    "script",
    "style",
    "svg",
    "template",
];

/// Form controls: a policy page has no forms, and a control could ask a
/// parent for a password.
const CONTROLS: &[&str] = &[
    "button", "datalist", "fieldset", "input", "label", "legend", "optgroup", "option", "output",
    "select", "textarea",
];

/// Elements removed together with what is inside them: their content is
/// code, markup for another parser, or a control's options.
const WITH_CONTENT: &[&str] = &[
    "applet", "datalist", "embed", "iframe", "math", "noembed", "noframes", "noscript", "object",
    "script", "select", "style", "svg", "template", "textarea", "title", "xmp",
];

/// Attributes whose value is an address.
const ADDRESSES: &[&str] = &[
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "formaction",
    "href",
    "longdesc",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

const HELP_ACTIVE: &str = "remove it: scripts, styles, frames, embedded objects, forms and event handlers are never published on a policy page (`policyweb explain raw-html` lists what is kept)";
const HELP_CLASS: &str = "raw HTML may not carry `class` or `id`, which the theme's notices and landmarks use; give a heading an id in Markdown (`## Title {#id}`)";
const HELP_LOOK: &str = "raw HTML may not set `style`, `role`, `tabindex` or `aria-*`, so nothing in a section can look or announce itself like the page's own notices";
const HELP_CONTROL: &str = "a policy page has no forms; say in words what to do, with a link (`[[org:…]]` or `[text](https://…)`)";
const HELP_HEADING: &str =
    "write headings in Markdown (`## Title`), so they get an id and the right level on every page";
const HELP_IMAGE: &str = "write images in Markdown, `![what it shows](file.png)`, so they are checked for alt text and published with the section";
const HELP_OTHER: &str =
    "policy pages keep to plain Markdown; `policyweb explain raw-html` lists the HTML that is kept";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Something in a raw fragment that was not written back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHtmlProblem {
    pub severity: Severity,
    /// Where the tag or attribute starts, in bytes from the fragment's start.
    pub offset: usize,
    /// How many bytes of the fragment it covers (at least the name).
    pub len: usize,
    pub message: String,
    pub help: &'static str,
}

/// A raw fragment as it is published, and what was taken out of it.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub html: String,
    pub problems: Vec<RawHtmlProblem>,
}

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        let tag_attributes: HashMap<&str, HashSet<&str>> = BY_TAG
            .iter()
            .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
            .collect();
        builder
            .tags(TAGS.iter().copied().collect())
            .generic_attributes(GENERIC.iter().copied().collect())
            .tag_attributes(tag_attributes)
            .url_schemes(SCHEMES.iter().copied().collect())
            .link_rel(None)
            .strip_comments(true);
        builder
    })
}

/// The section's HTML with everything outside the final allowlist removed.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// One raw fragment rewritten to what `RAW` allows, with every element or
/// attribute left out said in words. Comments are dropped without a word:
/// they are notes to other authors, never shown.
pub fn raw(fragment: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let mut finder = Finder::new(fragment);
    // The element whose content is being dropped, and how deep in it.
    let mut skipping: Option<(String, usize)> = None;
    for piece in tokens(fragment) {
        match piece {
            Piece::Start {
                name,
                attributes,
                self_closing,
            } => {
                let at = finder.start_tag(&name);
                if let Some((skipped, depth)) = &mut skipping {
                    if *skipped == name {
                        *depth += 1;
                    }
                    continue;
                }
                let kept = start_tag(&name, &attributes, at, &finder, &mut out.problems);
                if let Some(tag) = kept {
                    out.html.push_str(&tag);
                } else if WITH_CONTENT.contains(&name.as_str()) && !self_closing {
                    skipping = Some((name, 1));
                }
            }
            Piece::End { name } => {
                finder.end_tag(&name);
                if let Some((skipped, depth)) = &mut skipping {
                    if *skipped == name {
                        *depth -= 1;
                        if *depth == 0 {
                            skipping = None;
                        }
                    }
                    continue;
                }
                if raw_attributes(&name).is_some() && !is_void(&name) {
                    out.html.push_str(&format!("</{name}>"));
                }
            }
            Piece::Text(text) => {
                if skipping.is_none() {
                    out.html.push_str(&escape(&text));
                }
            }
            Piece::Comment => finder.comment(),
        }
    }
    out
}

/// The start tag to write back, or `None` when the element goes; either way
/// each problem with it is noted.
fn start_tag(
    name: &str,
    attributes: &[(String, String)],
    at: usize,
    finder: &Finder,
    problems: &mut Vec<RawHtmlProblem>,
) -> Option<String> {
    let element = |severity, message: String, help| RawHtmlProblem {
        severity,
        offset: at,
        len: name.len() + 1,
        message,
        help,
    };
    // Active attributes are errors on any element, kept or not.
    for (attribute, value) in attributes {
        if let Some(message) = active_attribute(name, attribute, value) {
            problems.push(finder.attribute_problem(at, attribute, Severity::Error, message));
        }
    }
    let allowed = match raw_attributes(name) {
        Some(allowed) => allowed,
        None => {
            let (severity, message, help) = if ACTIVE.contains(&name) {
                (
                    Severity::Error,
                    format!("<{name}> is never allowed in a policy section"),
                    HELP_ACTIVE,
                )
            } else {
                let help = if CONTROLS.contains(&name) {
                    HELP_CONTROL
                } else if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    HELP_HEADING
                } else if name == "img" || name == "picture" {
                    HELP_IMAGE
                } else {
                    HELP_OTHER
                };
                (
                    Severity::Warning,
                    format!("the <{name}> element is not allowed and was removed"),
                    help,
                )
            };
            problems.push(element(severity, message, help));
            return None;
        }
    };
    let mut tag = format!("<{name}");
    for (attribute, value) in attributes {
        let attribute = attribute.as_str();
        if active_attribute(name, attribute, value).is_some() {
            continue;
        }
        if !allowed.contains(&attribute) && !RAW_GENERIC.contains(&attribute) {
            let help = match attribute {
                "class" | "id" => HELP_CLASS,
                "style" | "role" | "tabindex" => HELP_LOOK,
                _ if attribute.starts_with("aria-") => HELP_LOOK,
                _ => HELP_OTHER,
            };
            let mut problem = finder.attribute_problem(
                at,
                attribute,
                Severity::Warning,
                format!("the {attribute} attribute of <{name}> is not allowed and was removed"),
            );
            problem.help = help;
            problems.push(problem);
            continue;
        }
        if attribute == "href"
            && let Err(message) = address::classify(value, false)
        {
            let mut problem = finder.attribute_problem(at, attribute, Severity::Error, message);
            problem.help = address::help_for(value);
            problems.push(problem);
            continue;
        }
        tag.push_str(&format!(" {attribute}=\"{}\"", escape(value)));
    }
    tag.push('>');
    Some(tag)
}

/// Why an attribute would run something, if it would: an event handler, a
/// frame's inline document, or an address with a scheme that runs or
/// embeds code.
fn active_attribute(element: &str, attribute: &str, value: &str) -> Option<String> {
    if attribute.starts_with("on") {
        return Some(format!(
            "the {attribute} attribute of <{element}> runs a script, which a policy page never does"
        ));
    }
    if attribute == "srcdoc" {
        return Some(format!(
            "the srcdoc attribute of <{element}> embeds a page, which a policy page never does"
        ));
    }
    if !ADDRESSES.contains(&attribute) {
        return None;
    }
    // Browsers ignore whitespace and control characters inside a scheme.
    let scheme: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = value.contains(':');
    (has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")).then(|| {
        format!(
            "the {attribute} attribute of <{element}> uses the {scheme}: scheme, which a policy page must not link to"
        )
    })
}

fn raw_attributes(name: &str) -> Option<&'static [&'static str]> {
    RAW.iter().find(|(tag, _)| *tag == name).map(|(_, a)| *a)
}

fn is_void(name: &str) -> bool {
    matches!(name, "br" | "hr")
}

/// Finds where each token stands in the fragment, walking forward as the
/// tokens come (html5ever's tokenizer gives no offsets).
struct Finder {
    lower: String,
    cursor: usize,
}

impl Finder {
    fn new(fragment: &str) -> Finder {
        Finder {
            lower: fragment.to_ascii_lowercase(),
            cursor: 0,
        }
    }

    fn find_tag(&self, opening: &str) -> Option<usize> {
        let mut from = self.cursor;
        while let Some(found) = self.lower.get(from..)?.find(opening) {
            let at = from + found;
            let after = self.lower.as_bytes().get(at + opening.len());
            if after.is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'-') {
                return Some(at);
            }
            from = at + 1;
        }
        None
    }

    fn start_tag(&mut self, name: &str) -> usize {
        match self.find_tag(&format!("<{name}")) {
            Some(at) => {
                self.cursor = at + 1;
                at
            }
            None => self.cursor,
        }
    }

    fn end_tag(&mut self, name: &str) {
        if let Some(at) = self.find_tag(&format!("</{name}")) {
            self.cursor = at + 1;
        }
    }

    fn comment(&mut self) {
        if let Some(end) = self
            .lower
            .get(self.cursor..)
            .and_then(|rest| rest.find("-->"))
        {
            self.cursor += end + 3;
        }
    }

    /// A problem placed at an attribute of the tag that starts at `tag`.
    fn attribute_problem(
        &self,
        tag: usize,
        attribute: &str,
        severity: Severity,
        message: String,
    ) -> RawHtmlProblem {
        let end = self.lower[tag..]
            .find('>')
            .map_or(self.lower.len(), |e| tag + e);
        let inside = &self.lower[tag..end];
        let bytes = inside.as_bytes();
        let offset = inside
            .match_indices(attribute)
            .find(|(i, _)| {
                let before = bytes.get(i.wrapping_sub(1));
                let after = bytes.get(i + attribute.len());
                before.is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
                    && after
                        .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/'))
            })
            .map_or(tag, |(i, _)| tag + i);
        let len = if offset == tag { 1 } else { attribute.len() };
        RawHtmlProblem {
            severity,
            offset,
            len,
            message,
            help: HELP_ACTIVE,
        }
    }
}

/// A token of a raw fragment, as a browser's tokenizer reads it.
#[derive(Debug)]
enum Piece {
    Start {
        name: String,
        attributes: Vec<(String, String)>,
        self_closing: bool,
    },
    End {
        name: String,
    },
    Text(String),
    Comment,
}

#[derive(Default)]
struct Pieces {
    pieces: RefCell<Vec<Piece>>,
}

impl TokenSink for Pieces {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut pieces = self.pieces.borrow_mut();
        match token {
            Token::TagToken(Tag {
                kind,
                name,
                self_closing,
                attrs,
                ..
            }) => {
                let name = name.to_string();
                if matches!(kind, TagKind::EndTag) {
                    pieces.push(Piece::End { name });
                    return TokenSinkResult::Continue;
                }
                // Read what follows as a browser would: a script's or a
                // style's content is not markup.
                let next = match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
                let next = if self_closing {
                    TokenSinkResult::Continue
                } else {
                    next
                };
                pieces.push(Piece::Start {
                    name,
                    attributes: attrs
                        .into_iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                    self_closing,
                });
                return next;
            }
            Token::CharacterTokens(text) => match pieces.last_mut() {
                Some(Piece::Text(before)) => before.push_str(&text),
                _ => pieces.push(Piece::Text(text.to_string())),
            },
            Token::CommentToken(_) => pieces.push(Piece::Comment),
            Token::DoctypeToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokens(fragment: &str) -> Vec<Piece> {
    let tokenizer = Tokenizer::new(Pieces::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.pieces.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(cleaned: &Cleaned, severity: Severity) -> Vec<String> {
        cleaned
            .problems
            .iter()
            .filter(|p| p.severity == severity)
            .map(|p| p.message.clone())
            .collect()
    }

    #[test]
    fn scripts_and_handlers_are_errors_and_never_written() {
        let dirty = r#"<p>Hi<script>alert(1)</script><img src="x.png" alt="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a></p>"#;
        let cleaned = raw(dirty);
        assert_eq!(cleaned.html, "<p>Hi<a>x</a></p>");
        let errors = messages(&cleaned, Severity::Error);
        assert!(
            errors.contains(&"<script> is never allowed in a policy section".to_string()),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("onerror attribute of <img>")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("javascript")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_fake_notice_loses_its_id_and_class() {
        let cleaned = raw(
            r#"<div id="main" class="notice notice-draft" role="alert" style="position:fixed"><strong>DRAFT</strong></div>"#,
        );
        assert_eq!(cleaned.html, "<div><strong>DRAFT</strong></div>");
        let warnings = messages(&cleaned, Severity::Warning);
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        // Each problem points at its own attribute.
        let at: Vec<usize> = cleaned.problems.iter().map(|p| p.offset).collect();
        assert_eq!(at, [5, 15, 43, 56]);
    }

    #[test]
    fn where_a_problem_stands() {
        let fragment = "<p>ok</p>\n<span>and</span> <input type=text>";
        let cleaned = raw(fragment);
        assert_eq!(cleaned.problems.len(), 1);
        assert_eq!(cleaned.problems[0].offset, fragment.find("<input").unwrap());
    }

    /// Vectors in the style of the OWASP XSS filter evasion cheat sheet and
    /// of fake notices: whatever the spelling, what is written back has no
    /// active content and nothing of the theme's.
    #[test]
    fn hostile_spellings_never_survive() {
        let vectors = [
            "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
            "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
            "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
            "<a href=\" &#14;  javascript:alert(1)\">x</a>",
            "<a HREF=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<svg/onload=alert(1)>",
            "<body onload=alert(1)>",
            "<div/onclick=alert(1)>x</div>",
            "<p \"\"\"><script>alert(1)</script>\">",
            "<scr<script>ipt>alert(1)</script>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<style>@import 'https://x.example/a.css';</style>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<DIV ID=MAIN CLASS=\"notice notice-draft\">DRAFT</DIV>",
            "<span class=visually-hidden>hidden</span>",
            "<p role=alert aria-live=assertive>Overdue</p>",
            "<details open ontoggle=alert(1)><summary>x</summary></details>",
            "<form><button formaction=javascript:alert(1)>x</button></form>",
            "<input type=image src=x onerror=alert(1)>",
            "<textarea><div class=notice>x</div></textarea>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mtext></math>",
            "<a href=https://ok.example/ target=_blank rel=opener>ok</a>",
            "<!--<div class=notice>--><div id=x>y</div>",
            "<base href=https://evil.example/>",
            "<meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
        ];
        for vector in vectors {
            let written = clean(&raw(vector).html);
            for tag in crate::html::start_tags(&written) {
                assert!(
                    !matches!(
                        tag.name.as_str(),
                        "script"
                            | "style"
                            | "iframe"
                            | "svg"
                            | "math"
                            | "form"
                            | "input"
                            | "button"
                            | "textarea"
                            | "base"
                            | "meta"
                            | "body"
                            | "img"
                    ),
                    "{vector} → {written}"
                );
                for (name, value) in &tag.attributes {
                    assert!(
                        matches!(name.as_str(), "href" | "title" | "lang"),
                        "{vector} → {written}"
                    );
                    let squeezed: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    assert!(
                        !squeezed.starts_with("javascript:") && !squeezed.starts_with("data:"),
                        "{vector} → {written}"
                    );
                }
            }
            assert!(!written.contains("notice"), "{vector} → {written}");
        }
    }

    #[test]
    fn the_final_pass_keeps_what_markdown_produces() {
        let html = r#"<table><caption>C</caption><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><th scope="row">r</th><td class="align-left">1</td></tr></tbody></table><h2 id="x">T</h2><br>"#;
        assert_eq!(clean(html), html);
        assert!(raw("<br>").problems.is_empty());
    }
}
