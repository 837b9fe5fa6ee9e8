//! All YAML parsing lives here: data files and front matter alike go through
//! `parse`, which turns a syntax or schema error into a diagnostic pointing
//! at the exact line and column, and `Spanned` values into byte ranges.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Options, SnippetMode, Spanned};

use crate::diagnostics::{Diagnostic, SourceId, Sources, offset_of};

/// A YAML document inside a file the build read: the whole file for data/,
/// the front matter block for a section.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    pub source: SourceId,
    /// Byte offset of the document's first character in the file.
    pub start: usize,
    pub end: usize,
}

impl Document {
    pub fn whole(sources: &Sources, source: SourceId) -> Document {
        Document {
            source,
            start: 0,
            end: sources.get(source).text.len(),
        }
    }

    /// Parses the document. An empty document parses as `T::default()`
    /// through serde, so optional files and blocks may be blank.
    pub fn parse<T: DeserializeOwned>(&self, sources: &Sources) -> Result<T, Diagnostic> {
        let text = &sources.get(self.source).text[self.start..self.end];
        // The library's default budget caps anchors and aliases, so a hostile
        // file cannot exhaust memory.
        serde_saphyr::from_str_with_options(text, Options::default())
            .map_err(|error| self.diagnostic(sources, &error))
    }

    fn diagnostic(&self, sources: &Sources, error: &serde_saphyr::Error) -> Diagnostic {
        let message = plain_message(error);
        let mut diagnostic = Diagnostic::error(describe(&message));
        // A missing key is reported where the block starts; the library
        // points at the end of the mapping, which reads as the wrong line.
        let missing = message.starts_with("missing field ") && self.start > 0;
        if let Some(location) = error.location().filter(|l| l.line() > 0 && !missing) {
            diagnostic = diagnostic.at(self.source, self.range(sources, &location, 1));
        } else {
            diagnostic = diagnostic.at(self.source, self.start..self.start);
        }
        diagnostic.help(help_for(&message))
    }

    /// The byte range in the file of something `len` bytes long at `location`.
    pub fn range(&self, sources: &Sources, location: &Location, len: usize) -> Range<usize> {
        let text = &sources.get(self.source).text[self.start..self.end];
        let offset = match location.span().byte_offset() {
            Some(offset) => offset as usize,
            None => offset_of(text, location.line() as usize, location.column() as usize),
        };
        let start = self.start + offset.min(text.len());
        start..(start + len).min(self.end)
    }

    /// The byte range of a spanned string value, for diagnostics about it.
    pub fn span_of(&self, sources: &Sources, value: &Spanned<String>) -> Range<usize> {
        self.range(sources, &value.referenced, value.value.len().max(1))
    }

    /// The byte range of any spanned value, one character wide.
    pub fn point<T>(&self, sources: &Sources, value: &Spanned<T>) -> Range<usize> {
        self.range(sources, &value.referenced, 1)
    }
}

/// The library's message without its own location suffix or snippet: we
/// print location and snippet ourselves, the same way for every problem.
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.render_with_options(serde_saphyr::render_options! {
        snippets: SnippetMode::Off,
    });
    let text = text.lines().next().unwrap_or_default().trim().to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The library's wording, made into a sentence about a policy file.
fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("unknown key {field}");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing required key {rest}");
    }
    message.to_string()
}

fn help_for(message: &str) -> String {
    if message.starts_with("unknown field ") {
        match message.split_once("expected one of ") {
            Some((_, keys)) => format!("the keys allowed here are {keys}; check the spelling"),
            None => "remove it, or check the spelling against docs/reference.md".into(),
        }
    } else if message.starts_with("missing field ") {
        "add the key; docs/reference.md lists what each entry needs".into()
    } else if message.contains("duplicate") {
        "each key may appear once in a mapping".into()
    } else {
        "check the indentation and punctuation on this line; docs/reference.md shows the expected layout".into()
    }
}
