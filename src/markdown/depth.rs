//! How deep a section's Markdown nests: block quotes, lists, emphasis and
//! the elements of raw HTML, counted together. Checked when the site is
//! validated, before any page is built, because parts of the build walk
//! the nesting recursively (the minifier most of all) and a few kilobytes
//! of `>` or `<b>` would overflow the stack and kill the build without a
//! word.

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

/// The deepest nesting a section may have. A policy nests a handful of
/// levels (a list in a list in a quote); this leaves room for any real
/// one, and keeps the pages well inside what every stage can walk.
pub const MAX_DEPTH: usize = 48;

/// Raw HTML elements that close themselves or are closed by their next
/// sibling (`<li>`, `<p>`), so are not counted as nesting: the count is
/// then never more than the depth an HTML parser gives the elements that
/// are counted, and a list written without `</li>` is not too deep.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];

/// Where in `text` the nesting of the Markdown in `body` first passes
/// `MAX_DEPTH`: the byte offset of the quote marker, list item or tag
/// that goes one level too deep.
pub fn too_deep(text: &str, body: Range<usize>) -> Option<usize> {
    let markdown = &text[body.clone()];
    let mut blocks = 0usize;
    let mut html = 0usize;
    for (event, range) in Parser::new_ext(markdown, super::options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                blocks += 1;
                if blocks + html > MAX_DEPTH {
                    return Some(body.start + range.start);
                }
            }
            Event::End(_) => blocks = blocks.saturating_sub(1),
            Event::Html(fragment) | Event::InlineHtml(fragment) => {
                for (at, change) in tags(&fragment) {
                    match change {
                        Change::Open => {
                            html += 1;
                            if blocks + html > MAX_DEPTH {
                                // The fragment is the source itself, unless a
                                // quote's `>` was taken off its lines.
                                let source = &markdown[range.clone()];
                                let within = if source.starts_with(&*fragment) {
                                    at
                                } else {
                                    source.find(&fragment[at..]).unwrap_or_default()
                                };
                                return Some(body.start + range.start + within);
                            }
                        }
                        Change::Close => html = html.saturating_sub(1),
                    }
                }
            }
            _ => {}
        }
    }
    None
}

enum Change {
    Open,
    Close,
}

/// The tags of an HTML fragment that open or close a level, with where
/// each starts. Comments and declarations are skipped; a tag's attributes
/// are not read, only where it ends.
fn tags(fragment: &str) -> Vec<(usize, Change)> {
    let bytes = fragment.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(next) = fragment[at..].find('<') {
        let start = at + next;
        let rest = &fragment[start + 1..];
        if rest.starts_with("!--") {
            at = fragment[start..]
                .find("-->")
                .map_or(fragment.len(), |end| start + end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = fragment[name_start..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = fragment[name_start..name_start + name_len].to_ascii_lowercase();
        let end = fragment[name_start..]
            .find('>')
            .map_or(fragment.len(), |i| name_start + i + 1);
        let self_closing = fragment[..end].ends_with("/>");
        if !NOT_NESTING.contains(&name.as_str()) && !self_closing {
            found.push((start, if closing { Change::Close } else { Change::Open }));
        }
        at = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deepest(text: &str) -> Option<usize> {
        too_deep(text, 0..text.len())
    }

    #[test]
    fn ordinary_nesting_passes() {
        assert_eq!(deepest("> - a\n>   - **b [c](d)**\n"), None);
        assert_eq!(deepest("<ul><li>a<ul><li>b</ul></ul>\n"), None);
        let quotes = ">".repeat(MAX_DEPTH - 1);
        assert_eq!(deepest(&format!("{quotes} text\n")), None);
    }

    #[test]
    fn the_level_too_deep_is_found_where_it_is_written() {
        let text = format!("Intro.\n\n{} text\n", ">".repeat(3000));
        let at = deepest(&text).expect("too deep");
        assert_eq!(&text[..at], format!("Intro.\n\n{}", ">".repeat(MAX_DEPTH)));

        let text = format!("Intro <i>x</i>.\n\n{}\n", "<b>".repeat(3000));
        let at = deepest(&text).expect("too deep");
        // The paragraph is one level, so the tags reach the limit one early.
        assert_eq!(at, text.find("<b>").unwrap() + 3 * (MAX_DEPTH - 1));

        // (Without text after them, the markers are one thematic break.)
        let text = "- ".repeat(5000) + "deep";
        assert!(deepest(&text).is_some());
    }

    #[test]
    fn closed_and_self_closing_tags_do_not_add_up() {
        let text = "<span>a</span><br/><!-- <b><b><b> -->".repeat(MAX_DEPTH * 2);
        assert_eq!(deepest(&text), None);
    }
}
