//! Characters that change how the text around them is shown without being
//! seen themselves: the bidirectional embeddings, overrides and isolates
//! (U+202A–U+202E, U+2066–U+2069; a name with U+202E reads backwards,
//! "Trojan Source") and the C1 controls (U+0080–U+009F). They are refused
//! wherever a reader would get them: typed as themselves, or written as an
//! escape the file's format turns into them (`"\u202E"` in YAML,
//! `&#x202E;` in Markdown or its raw HTML). The marks U+200E and U+200F,
//! which right-to-left text needs, are kept.

use crate::diagnostics::{Diagnostic, SourceId, Sources, line_column};

/// How the text's format writes a character by its number.
#[derive(Debug, Clone, Copy)]
pub enum Escapes {
    /// A double-quoted scalar's `\xHH`, `\uHHHH`, `\UHHHHHHHH` and `\N`.
    Yaml,
    /// A numeric character reference, `&#8238;` or `&#x202E;`: Markdown
    /// decodes it in text, and HTML in raw HTML (there with or without
    /// its `;`).
    Html,
}

fn hidden(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{80}'..='\u{9F}')
}

/// One error at the first hidden character in `text` (which starts at
/// byte `start` of the file `source`), naming the others' lines and
/// columns; `None` when there is none.
pub fn controls(
    sources: &Sources,
    source: SourceId,
    start: usize,
    text: &str,
    escapes: Escapes,
) -> Option<Diagnostic> {
    // (offset in text, the character, how many bytes it is written in)
    let mut found: Vec<(usize, char, usize)> = text
        .char_indices()
        .filter(|(_, c)| hidden(*c))
        .map(|(at, c)| (at, c, c.len_utf8()))
        .collect();
    found.extend(escaped(text, escapes).filter(|(_, c, _)| hidden(*c)));
    found.sort_unstable_by_key(|(at, ..)| *at);
    let (&(first, c, length), others) = found.split_first()?;
    let file = &sources.get(source).text;
    let others: Vec<String> = others
        .iter()
        .take(20)
        .map(|(at, ..)| {
            let (line, column) = line_column(file, start + at);
            format!("{line}:{column}")
        })
        .collect();
    let mut help = if length == c.len_utf8() {
        "delete it: retype the text around it, since it cannot be seen in most editors".to_string()
    } else {
        "delete the escape: it stands for a character that cannot be seen".to_string()
    };
    if !others.is_empty() {
        help = format!("{help}; there are more at {}", others.join(", "));
    }
    let at = start + first;
    let mut diagnostic = Diagnostic::error(format!(
        "an invisible control character (U+{:04X}) that changes how the text around it is shown",
        u32::from(c)
    ))
    .at(source, at..at + length);
    if length != c.len_utf8() {
        diagnostic = diagnostic.label(format!(
            "`{}` is that character",
            &text[first..first + length]
        ));
    }
    Some(diagnostic.help(help))
}

/// Every escape in `text` that stands for a character by its number:
/// where it starts, the character, and its length in bytes.
fn escaped(text: &str, escapes: Escapes) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let here = at;
            at += 1;
            let found = match (escapes, bytes[here]) {
                (Escapes::Yaml, b'\\') => match bytes.get(here + 1) {
                    // An escaped backslash: what follows is plain text.
                    Some(b'\\') => {
                        at += 1;
                        None
                    }
                    Some(b'N') => Some(('\u{85}', 2)),
                    Some(b'x') => number(bytes, here + 2, 16, 2, 2).map(|(c, n)| (c, 2 + n)),
                    Some(b'u') => number(bytes, here + 2, 16, 4, 4).map(|(c, n)| (c, 2 + n)),
                    Some(b'U') => number(bytes, here + 2, 16, 8, 8).map(|(c, n)| (c, 2 + n)),
                    _ => None,
                },
                (Escapes::Html, b'&') if bytes.get(here + 1) == Some(&b'#') => {
                    let (radix, digits_at) = match bytes.get(here + 2) {
                        Some(b'x' | b'X') => (16, here + 3),
                        _ => (10, here + 2),
                    };
                    number(bytes, digits_at, radix, 1, 8).map(|(c, n)| {
                        let end = digits_at + n;
                        let semicolon = usize::from(bytes.get(end) == Some(&b';'));
                        (c, end + semicolon - here)
                    })
                }
                _ => None,
            };
            if let Some((c, length)) = found {
                at = here + length;
                return Some((here, c, length));
            }
        }
        None
    })
}

/// The character whose number is written at `bytes[from..]` in `radix`,
/// with between `least` and `most` digits, and how many digits it took.
fn number(
    bytes: &[u8],
    from: usize,
    radix: u32,
    least: usize,
    most: usize,
) -> Option<(char, usize)> {
    let digits = bytes
        .get(from..)?
        .iter()
        .take(most)
        .take_while(|b| char::from(**b).is_digit(radix))
        .count();
    if digits < least {
        return None;
    }
    let written = std::str::from_utf8(&bytes[from..from + digits]).ok()?;
    let value = u32::from_str_radix(written, radix).ok()?;
    Some((char::from_u32(value)?, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, escapes: Escapes) -> Vec<(usize, char, usize)> {
        escaped(text, escapes).collect()
    }

    #[test]
    fn yaml_escapes_are_read_by_their_number_and_an_escaped_backslash_is_not_one() {
        assert_eq!(
            found(r#"a: "x\u202Ey\N\x9B""#, Escapes::Yaml),
            [(5, '\u{202E}', 6), (12, '\u{85}', 2), (14, '\u{9B}', 4)]
        );
        assert_eq!(found(r#"a: "C:\\u202E""#, Escapes::Yaml), []);
        assert_eq!(
            found(r#"a: "\U00002067""#, Escapes::Yaml),
            [(4, '\u{2067}', 10)]
        );
        // Too few digits is no escape of a number.
        assert_eq!(found(r#"a: "\u20""#, Escapes::Yaml), []);
    }

    #[test]
    fn character_references_are_read_with_or_without_their_semicolon() {
        assert_eq!(
            found("a &#x202E; b &#8238; c &#150d", Escapes::Html),
            [(2, '\u{202E}', 8), (13, '\u{202E}', 7), (23, '\u{96}', 5)]
        );
        assert_eq!(found("AT&T &amp; &#;", Escapes::Html), []);
    }
}
