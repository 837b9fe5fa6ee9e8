//! Compacting a theme's HTML templates once, when the theme is loaded, so
//! that every page Tera renders from them is compact already and no page
//! is minified after (a whole-page minifier was a third of a cold build).
//!
//! Outside Tera's `{{ }}`, `{% %}` and `{# #}`, and outside the contents of
//! `<pre>`, `<textarea>`, `<script>` and `<style>`, a run of whitespace that
//! holds a line break becomes one space, or nothing where one side of it is
//! a block-level tag and the other a block-level tag, a Tera statement or
//! the template's end (whitespace beside a block's boundary is never
//! rendered). Whitespace without a line break is kept as written, so
//! `<b>a</b> <i>b</i>` keeps its space. HTML comments are dropped, except
//! one holding a Tera tag (dropping it would drop the tag). Attribute
//! values are copied as they are.

/// Elements whose start or end tag ends a line of text in every browser's
/// default style, so whitespace beside them is not shown.
const BLOCK: &[&str] = &[
    "!doctype",
    "address",
    "article",
    "aside",
    "base",
    "blockquote",
    "body",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Elements whose contents are copied byte for byte.
const RAW: &[&str] = &["pre", "textarea", "script", "style"];

/// What the output ends with, for the whitespace that follows it.
#[derive(Clone, Copy, PartialEq)]
enum Before {
    /// A tag; `true` when its element is block-level.
    Tag(bool),
    /// A Tera statement or comment, or the template's start.
    Statement,
    /// Text or a Tera expression.
    Text,
}

/// `template` compacted (see the module's comment). The result parses and
/// renders as the original does, less the whitespace no browser shows.
pub fn template(template: &str) -> String {
    let text = template.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut before = Before::Statement;
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = tera_tag_end(text, i) {
            out.extend_from_slice(&text[i..end]);
            before = if text[i + 1] == b'{' {
                Before::Text
            } else {
                Before::Statement
            };
            i = end;
            continue;
        }
        let byte = text[i];
        if byte.is_ascii_whitespace() {
            let end = text[i..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(text.len(), |n| i + n);
            let run = &text[i..end];
            if !run.contains(&b'\n') && !run.contains(&b'\r') {
                out.extend_from_slice(run);
            } else if !droppable(before, after(text, end)) {
                out.push(b' ');
            }
            i = end;
            continue;
        }
        if text[i..].starts_with(b"<!--") {
            let end = find(text, i + 4, b"-->").map_or(text.len(), |at| at + 3);
            let comment = &text[i..end];
            if [&b"{{"[..], b"{%", b"{#"]
                .iter()
                .any(|open| find(comment, 0, open).is_some())
            {
                out.extend_from_slice(comment);
                before = Before::Statement;
            }
            i = end;
            continue;
        }
        if let Some(name) = tag_name(text, i) {
            let closing = text[i + 1] == b'/';
            let end = copy_tag(text, i, &mut out);
            before = Before::Tag(BLOCK.contains(&name.as_str()));
            i = end;
            if !closing && RAW.contains(&name.as_str()) {
                let close = format!("</{name}");
                let end = find_ignoring_case(text, i, close.as_bytes()).unwrap_or(text.len());
                out.extend_from_slice(&text[i..end]);
                i = end;
            }
            continue;
        }
        out.push(byte);
        before = Before::Text;
        i += 1;
    }
    // Only ASCII whitespace and comments were taken out, at ASCII bytes.
    String::from_utf8(out).expect("compacting removes only ASCII bytes")
}

/// What follows a run of whitespace.
enum After {
    Tag(bool),
    Statement,
    Text,
}

fn after(text: &[u8], at: usize) -> After {
    if at >= text.len() || text[at..].starts_with(b"{%") || text[at..].starts_with(b"{#") {
        return After::Statement;
    }
    if text[at..].starts_with(b"<!--") {
        return After::Statement;
    }
    match tag_name(text, at) {
        Some(name) => After::Tag(BLOCK.contains(&name.as_str())),
        None => After::Text,
    }
}

/// Whether whitespace between these two shows nothing in any browser: one
/// side a block-level tag, the other a block-level tag or a statement
/// (whatever the statement gives, the block's side is a line's end).
fn droppable(before: Before, after: After) -> bool {
    matches!(
        (before, after),
        (Before::Tag(true), After::Tag(_) | After::Statement)
            | (Before::Tag(false) | Before::Statement, After::Tag(true))
    )
}

/// The end of the Tera tag opening at `at`, if one does. A quoted string
/// inside it may hold the closing delimiter.
fn tera_tag_end(text: &[u8], at: usize) -> Option<usize> {
    if text[at] != b'{' {
        return None;
    }
    let close = match text.get(at + 1) {
        Some(b'{') => b'}',
        Some(b'%') => b'%',
        Some(b'#') => b'#',
        _ => return None,
    };
    let mut quote: Option<u8> = None;
    let mut j = at + 2;
    while j + 1 < text.len() {
        let byte = text[j];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if close != b'#' && matches!(byte, b'"' | b'\'' | b'`') => quote = Some(byte),
            None if byte == close && text[j + 1] == b'}' => {
                let end = j + 2;
                // `{% raw %}` holds text Tera does not read: copied whole.
                let tag = std::str::from_utf8(&text[at + 2..j]).unwrap_or("");
                if close == b'%' && tag.trim().trim_matches('-').trim() == "raw" {
                    return Some(
                        find(text, end, b"endraw")
                            .and_then(|at| find(text, at, b"}"))
                            .map_or(text.len(), |at| at + 1),
                    );
                }
                return Some(end);
            }
            None => {}
        }
        j += 1;
    }
    // Unclosed: left for Tera to report.
    Some(text.len())
}

/// The lower-case name of the start or end tag (or `<!doctype`) at `at`.
fn tag_name(text: &[u8], at: usize) -> Option<String> {
    if text.get(at) != Some(&b'<') {
        return None;
    }
    let start = match text.get(at + 1) {
        Some(b'/') => at + 2,
        Some(b'!')
            if text[at..].len() >= 9 && text[at + 2..at + 9].eq_ignore_ascii_case(b"doctype") =>
        {
            return Some("!doctype".to_string());
        }
        _ => at + 1,
    };
    if !text.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let end = text[start..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
        .map_or(text.len(), |n| start + n);
    Some(String::from_utf8_lossy(&text[start..end]).to_ascii_lowercase())
}

/// Copies the tag at `at` to `out`, with each run of whitespace holding a
/// line break as one space outside quoted values and Tera tags; gives the
/// index after its `>`.
fn copy_tag(text: &[u8], at: usize, out: &mut Vec<u8>) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = at;
    while i < text.len() {
        if let Some(end) = tera_tag_end(text, i) {
            out.extend_from_slice(&text[i..end]);
            i = end;
            continue;
        }
        let byte = text[i];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if byte == b'>' => {
                out.push(byte);
                return i + 1;
            }
            None if matches!(byte, b'"' | b'\'') && i > at && text[i - 1] == b'=' => {
                quote = Some(byte)
            }
            None if byte.is_ascii_whitespace() => {
                let end = text[i..]
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .map_or(text.len(), |n| i + n);
                let run = &text[i..end];
                if run.contains(&b'\n') || run.contains(&b'\r') {
                    out.push(b' ');
                } else {
                    out.extend_from_slice(run);
                }
                i = end;
                continue;
            }
            None => {}
        }
        out.push(byte);
        i += 1;
    }
    text.len()
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

fn find_ignoring_case(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|n| from + n)
}

#[cfg(test)]
mod tests {
    use super::template;

    #[test]
    fn indentation_between_blocks_goes() {
        assert_eq!(
            template("<nav>\n  <ul>\n    <li>One</li>\n    <li>Two</li>\n  </ul>\n</nav>\n"),
            "<nav><ul><li>One</li><li>Two</li></ul></nav>"
        );
    }

    #[test]
    fn a_line_break_between_inline_elements_or_text_is_one_space() {
        assert_eq!(
            template("<p>Read\n   <a href=\"x\">this</a>\n  <em>now</em>\n</p>"),
            "<p>Read <a href=\"x\">this</a> <em>now</em></p>"
        );
        // Whitespace without a line break is kept as written.
        assert_eq!(template("<b>a</b>  <i>b</i>"), "<b>a</b>  <i>b</i>");
    }

    #[test]
    fn pre_textarea_script_and_style_are_kept_byte_for_byte() {
        let pre = "<div>\n<pre>  line one\n\n    line two\r\n</pre>\n</div>";
        assert_eq!(
            template(pre),
            "<div><pre>  line one\n\n    line two\r\n</pre></div>"
        );
        let script = "<script>\n  if (a) {\n    b();\n  }\n</script>";
        assert_eq!(template(script), script);
        let style = "<STYLE>\n  p {\n    margin: 0;\n  } /* <!-- x --> */\n</style>";
        assert_eq!(template(style), style);
        let textarea = "<textarea name=\"t\">\n  kept\n</textarea>";
        assert_eq!(template(textarea), textarea);
    }

    #[test]
    fn tera_tags_are_untouched() {
        let tags = "{% if a\n   and b %}{{ x | join(sep=\"\n  \") }}{# a\n  comment #}{% endif %}";
        assert_eq!(template(tags), tags);
        // A closing delimiter inside a string does not end the tag.
        let quoted = "<p>{{ \"%} }}\n  <!-- -->\" }}</p>";
        assert_eq!(template(quoted), quoted);
        let raw = "{% raw %}\n  <!-- {{ kept }} -->\n{% endraw %}";
        assert_eq!(template(raw), raw);
    }

    #[test]
    fn whitespace_beside_a_statement_goes_only_next_to_a_block() {
        assert_eq!(
            template("</p>\n  {% if a %}\n  <nav>x</nav>\n  {% endif %}\n<div>"),
            "</p>{% if a %}<nav>x</nav>{% endif %}<div>"
        );
        // Next to inline content the statement may give nothing, so the
        // space stays on each side.
        assert_eq!(
            template("<a>x</a>\n{% if a %}\n<b>y</b>\n{% endif %}\n<a>z</a>"),
            "<a>x</a> {% if a %} <b>y</b> {% endif %} <a>z</a>"
        );
    }

    #[test]
    fn comments_go_unless_they_hold_tera() {
        assert_eq!(
            template("<p>a<!-- note --></p>\n<!-- between -->\n<div>"),
            "<p>a</p><div>"
        );
        assert_eq!(
            template("<!-- {% if a %} -->x<!-- {% endif %} -->"),
            "<!-- {% if a %} -->x<!-- {% endif %} -->"
        );
    }

    #[test]
    fn line_breaks_in_a_tag_are_one_space_but_values_are_kept() {
        assert_eq!(
            template("<a\n   href=\"a\n b\"\n   class='c'{% if x %}\n data-y{% endif %}>t</a>"),
            "<a href=\"a\n b\" class='c'{% if x %} data-y{% endif %}>t</a>"
        );
    }

    #[test]
    fn crlf_counts_as_a_line_break() {
        assert_eq!(
            template("<ul>\r\n  <li>a\r\n  b</li>\r\n</ul>\r\n"),
            "<ul><li>a b</li></ul>"
        );
    }

    #[test]
    fn text_that_is_not_markup_is_copied() {
        assert_eq!(template("a < b & c > d — é"), "a < b & c > d — é");
        assert_eq!(template("<!DOCTYPE html>\n<html>"), "<!DOCTYPE html><html>");
    }
}
