//! Raw HTML in Markdown: one allowlist, used both to clean the rendered
//! section with ammonia and to say, with the line, what was removed.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::html;

/// Tags a section may contain: what Markdown produces, plus a few that
/// authors use for meaning (abbreviations, line breaks in table cells).
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

/// Attributes allowed on every tag.
const GENERIC: &[&str] = &["class", "id", "lang", "title"];

/// Attributes allowed on particular tags.
const BY_TAG: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("div", &["role", "tabindex", "aria-label"]),
    ("img", &["src", "alt", "width", "height"]),
    ("th", &["scope", "colspan", "rowspan"]),
    ("td", &["colspan", "rowspan"]),
    ("time", &["datetime"]),
    ("ol", &["start"]),
    ("input", &["type", "checked", "disabled"]),
    ("abbr", &["title"]),
];

const SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

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

/// The section's HTML with everything outside the allowlist removed.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// What cleaning would remove from one raw HTML fragment, in words.
pub fn removed(fragment: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html::start_tags(fragment) {
        if !TAGS.contains(&tag.name.as_str()) {
            out.push(format!("the <{}> element", tag.name));
            continue;
        }
        let allowed = BY_TAG
            .iter()
            .find(|(t, _)| *t == tag.name)
            .map_or(&[][..], |(_, a)| *a);
        for (name, value) in &tag.attributes {
            if !GENERIC.contains(&name.as_str()) && !allowed.contains(&name.as_str()) {
                out.push(format!("the {name} attribute of <{}>", tag.name));
            } else if matches!(name.as_str(), "href" | "src")
                && crate::links::classify(value, true).is_err()
            {
                out.push(format!("the address `{value}` in <{}>", tag.name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed_and_reported() {
        let dirty = r#"<p>Hi<script>alert(1)</script><img src="x.png" alt="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a></p>"#;
        let cleaned = clean(dirty);
        assert!(!cleaned.contains("script"), "{cleaned}");
        assert!(!cleaned.contains("onerror"), "{cleaned}");
        assert!(!cleaned.contains("javascript"), "{cleaned}");
        let report = removed(dirty);
        assert!(
            report.contains(&"the <script> element".to_string()),
            "{report:?}"
        );
        assert!(
            report.contains(&"the onerror attribute of <img>".to_string()),
            "{report:?}"
        );
        assert!(
            report.iter().any(|r| r.contains("javascript:alert(3)")),
            "{report:?}"
        );
    }

    #[test]
    fn what_markdown_produces_survives() {
        let html = r#"<table><caption>C</caption><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><th scope="row">r</th><td class="align-left">1</td></tr></tbody></table><h2 id="x">T</h2><br>"#;
        assert_eq!(clean(html), html);
        assert!(removed("<br>").is_empty());
    }
}
