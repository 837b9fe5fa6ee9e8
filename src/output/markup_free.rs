//! Before writing: no text inside a `<title>` or an attribute value is
//! left looking like markup. A title is RCDATA and a quoted value ends
//! only at its quote, so a raw `<script>` there is read as text by
//! browsers, but a feed reader, a search snippet or a scanner of the bytes
//! need not: every `<` there (and `>` in a value) is written as a character
//! reference. Tera's autoescaping writes them so already; this is the
//! last word for whatever a theme marks `safe` or a minifier (when pages
//! were minified, minify-html decoded `&lt;` where HTML does not need it,
//! and a section called `<script>…` came out raw inside `<title>`) undoes.
//!
//! Only policyweb's own pages are read (the theme's templates, compacted,
//! with sanitised Markdown in them), so the shapes are few: start tags
//! with quoted or plain values, end tags, `<style>` and `<script>` text
//! (copied as it is) and text, where every `<` that could open a tag is a
//! tag.

use std::borrow::Cow;

/// `page` with every `<` in a title or textarea and every `<` and `>` in
/// an attribute value escaped. Borrowed when nothing needed it.
pub fn escape_text_markup(page: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    let replace = |out: &mut Option<Vec<u8>>, copied: &mut usize, at: usize, with: &[u8]| {
        let buffer = out.get_or_insert_with(|| Vec::with_capacity(page.len() + 64));
        buffer.extend_from_slice(&page[*copied..at]);
        buffer.extend_from_slice(with);
        *copied = at + 1;
    };
    while i < page.len() {
        // Text up to the next `<` is skipped whole (memchr: a byte at a
        // time was 3% of a trust's build).
        match memchr::memchr(b'<', &page[i..]) {
            Some(at) => i += at,
            None => break,
        }
        if !page.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // A start tag: its name, then its attributes up to `>`.
        let name_start = i + 1;
        let mut j = name_start;
        while j < page.len() && !matches!(page[j], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
            j += 1;
        }
        let name = &page[name_start..j];
        let mut quote: Option<u8> = None;
        while j < page.len() {
            match quote {
                // In a quoted value only its quote, `<` and `>` matter:
                // skipped to with memchr, values being most of a page's
                // tags.
                Some(q) => match memchr::memchr3(q, b'<', b'>', &page[j..]) {
                    None => j = page.len(),
                    Some(at) => {
                        j += at;
                        match page[j] {
                            byte if byte == q => quote = None,
                            b'<' => replace(&mut out, &mut copied, j, b"&lt;"),
                            _ => replace(&mut out, &mut copied, j, b"&gt;"),
                        }
                        j += 1;
                    }
                },
                None => {
                    let byte = page[j];
                    match byte {
                        b'>' => break,
                        b'"' | b'\'' if page[j - 1] == b'=' => quote = Some(byte),
                        b'<' => replace(&mut out, &mut copied, j, b"&lt;"),
                        _ => {}
                    }
                    j += 1;
                }
            }
        }
        i = j + 1;
        // What the element holds until its end tag.
        let is = |wanted: &[u8]| name.eq_ignore_ascii_case(wanted);
        let (closing, escaped): (&[u8], bool) = if is(b"title") {
            (b"</title", true)
        } else if is(b"textarea") {
            (b"</textarea", true)
        } else if is(b"script") {
            (b"</script", false)
        } else if is(b"style") {
            (b"</style", false)
        } else {
            continue;
        };
        let end =
            find_ignoring_case(&page[i.min(page.len())..], closing).map_or(page.len(), |at| i + at);
        if escaped && i < end {
            for k in memchr::memchr_iter(b'<', &page[i..end]) {
                replace(&mut out, &mut copied, i + k, b"&lt;");
            }
        }
        i = end + closing.len().min(page.len() - end);
    }
    match out {
        None => Cow::Borrowed(page),
        Some(mut buffer) => {
            buffer.extend_from_slice(&page[copied..]);
            Cow::Owned(buffer)
        }
    }
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::escape_text_markup;

    fn escaped(page: &str) -> String {
        String::from_utf8(escape_text_markup(page.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn a_title_and_attribute_values_never_hold_markup() {
        assert_eq!(
            escaped("<title>Intro <script>alert(1)</script> – School</title><p>x</p>"),
            "<title>Intro &lt;script>alert(1)&lt;/script> – School</title><p>x</p>"
        );
        assert_eq!(
            escaped(
                r#"<meta content="A <b>bold</b> 'x'" name=description><a title='<i>' href=x>y</a>"#
            ),
            r#"<meta content="A &lt;b&gt;bold&lt;/b&gt; 'x'" name=description><a title='&lt;i&gt;' href=x>y</a>"#
        );
    }

    #[test]
    fn the_themes_own_markup_and_escaped_text_are_left_alone() {
        for page in [
            "<!DOCTYPE html><html lang=en><head><title>Policy</title><style>a>b{color:red}</style></head><body><p class=lead>1 &lt;2 and 3 < 4</p></body></html>",
            "<script>if(a<b){}</script><p>x</p>",
            "<p>unclosed <title",
        ] {
            assert!(
                matches!(
                    escape_text_markup(page.as_bytes()),
                    std::borrow::Cow::Borrowed(_)
                ),
                "{page}"
            );
        }
    }
}
