//! All YAML parsing lives here: data files and front matter alike go through
//! `parse`, which turns a syntax or schema error into a diagnostic pointing
//! at the exact line and column, and `Spanned` values into byte ranges.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Options, SnippetMode, Spanned};

use super::hidden::Escapes;
use super::yaml_errors;
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
        if let Some(found) = self.hidden_controls(sources, text) {
            return Err(found);
        }
        // The library's default budget caps anchors and aliases, so a hostile
        // file cannot exhaust memory.
        serde_saphyr::from_str_with_options(text, Options::default())
            .map_err(|error| self.diagnostic(sources, &error))
    }

    fn hidden_controls(&self, sources: &Sources, text: &str) -> Option<Diagnostic> {
        super::hidden::controls(sources, self.source, self.start, text, Escapes::Yaml)
    }

    /// `parse` over `text`, a copy of the document's file with some lines
    /// blanked (the same length): problems are placed in the file itself.
    pub fn parse_text<T: DeserializeOwned>(
        &self,
        sources: &Sources,
        text: &str,
    ) -> Result<T, Diagnostic> {
        let text = &text[self.start..self.end];
        if let Some(found) = self.hidden_controls(sources, text) {
            return Err(found);
        }
        serde_saphyr::from_str_with_options(text, Options::default())
            .map_err(|error| self.diagnostic(sources, &error))
    }

    /// `parse`, reusing what `memo` kept when the document's text has been
    /// parsed as a `T` before.
    pub fn parse_memo<T>(&self, sources: &Sources, memo: &Memo) -> Result<T, Diagnostic>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let text = &sources.get(self.source).text[self.start..self.end];
        if let Some(value) = memo.get::<T>(text) {
            return Ok(value);
        }
        let value = self.parse::<T>(sources)?;
        memo.put(text, value.clone());
        Ok(value)
    }

    fn diagnostic(&self, sources: &Sources, error: &serde_saphyr::Error) -> Diagnostic {
        let message = plain_message(error);
        let text = &sources.get(self.source).text[self.start..self.end];
        let file = file_name(&sources.get(self.source).path);
        let location = error.location().filter(|l| l.line() > 0);
        let line = location.as_ref().map(|l| l.line() as usize);
        let offset = location
            .as_ref()
            .map(|l| self.range(sources, l, 1).start - self.start);
        // Said in the lead's words where the text shows what is wrong: a
        // tab, a line out of line, a value of the wrong shape.
        let explained = yaml_errors::tab(text, line, message.contains("tab"))
            .or_else(|| yaml_errors::unclosed(text, line))
            .or_else(|| yaml_errors::out_of_line(text, line))
            .or_else(|| yaml_errors::punctuation(text, line, &message))
            .or_else(|| offset.and_then(|at| yaml_errors::shape(text, file, at, &message)))
            .or_else(|| offset.and_then(|at| yaml_errors::single(text, file, at, &message)));
        if let Some(explained) = explained {
            let bytes = self.start + explained.bytes.start..self.start + explained.bytes.end;
            return Diagnostic::error(explained.message)
                .at(self.source, bytes)
                .label(explained.label)
                .help(explained.help);
        }
        let mut diagnostic = Diagnostic::error(describe(&message));
        // A missing key is reported where the block starts; the library
        // points at the end of the mapping, which reads as the wrong line.
        let missing = message.starts_with("missing field ") && self.start > 0;
        if let Some(location) = location.filter(|_| !missing) {
            diagnostic = diagnostic.at(self.source, self.range(sources, &location, 1));
        } else {
            diagnostic = diagnostic.at(self.source, self.start..self.start);
        }
        diagnostic.help(help_for(&message, file))
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
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("the key `{key}` is written twice here");
    }
    message.to_string()
}

/// `people.yaml` for data/people.yaml (or a frozen copy of it), `front
/// matter` for a section: the name examples and `explain` know it by.
fn file_name(path: &str) -> &str {
    if path.ends_with(".md") {
        "front matter"
    } else {
        path.rsplit('/').next().unwrap_or(path)
    }
}

fn help_for(message: &str, file: &str) -> String {
    let explain = crate::explain::command(file);
    if message.starts_with("unknown field ") {
        yaml_errors::unknown_key_help(message).unwrap_or_else(|| {
            format!("remove it, or check the spelling: {explain} lists the keys")
        })
    } else if message.starts_with("missing field ") {
        format!("add the key; {explain} lists what each entry needs")
    } else if message.contains("duplicate") {
        "each key may appear once in a mapping".into()
    } else {
        format!("check the indentation and punctuation on this line; {explain} shows the layout")
    }
}

/// Documents parsed before, by type and text, for a live preview that loads
/// the same files after every change: a document whose text is unchanged
/// is not parsed again. What a document parses to depends on its text alone
/// (spans are offsets into it), so a kept value equals a fresh parse.
#[derive(Default)]
pub struct Memo {
    kept: Mutex<Kept>,
}

type Parsed = HashMap<(TypeId, u64), (String, Arc<dyn Any + Send + Sync>)>;

#[derive(Default)]
struct Kept {
    /// Used in the load under way.
    current: Parsed,
    /// Used in the load before, and not yet in this one.
    previous: Parsed,
}

impl Memo {
    /// Starts a load: what the load before last did not use is forgotten,
    /// so the memo holds at most two loads' documents.
    pub fn next_load(&self) {
        let mut kept = self.lock();
        kept.previous = std::mem::take(&mut kept.current);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn key<T: 'static>(text: &str) -> (TypeId, u64) {
        let mut hasher = DefaultHasher::new();
        text.hash(&mut hasher);
        (TypeId::of::<T>(), hasher.finish())
    }

    fn get<T: Clone + Send + Sync + 'static>(&self, text: &str) -> Option<T> {
        let key = Self::key::<T>(text);
        let mut kept = self.lock();
        let entry = match kept.current.get(&key) {
            Some(entry) => entry.clone(),
            None => {
                let entry = kept.previous.remove(&key)?;
                kept.current.insert(key, entry.clone());
                entry
            }
        };
        (entry.0 == text)
            .then(|| entry.1.downcast_ref::<T>().cloned())
            .flatten()
    }

    fn put<T: Send + Sync + 'static>(&self, text: &str, value: T) {
        let key = Self::key::<T>(text);
        self.lock()
            .current
            .insert(key, (text.to_string(), Arc::new(value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(sources: &mut Sources, text: &str, memo: &Memo) -> Vec<String> {
        let source = sources.add("data/x.yaml".into(), text.into());
        Document::whole(sources, source)
            .parse_memo(sources, memo)
            .expect("parses")
    }

    #[test]
    fn the_memo_gives_a_fresh_parse_for_changed_text_and_forgets_old_loads() {
        let memo = Memo::default();
        let mut sources = Sources::default();
        assert_eq!(parse(&mut sources, "[a, b]", &memo), ["a", "b"]);
        assert_eq!(parse(&mut sources, "[a, b]", &memo), ["a", "b"]);
        assert_eq!(parse(&mut sources, "[a, c]", &memo), ["a", "c"]);
        assert_eq!(memo.lock().current.len(), 2);
        // A document kept as another type is not given out as this one.
        assert!(memo.get::<Vec<u32>>("[a, b]").is_none());

        memo.next_load();
        assert_eq!(parse(&mut sources, "[a, c]", &memo), ["a", "c"]);
        memo.next_load();
        let kept = memo.lock();
        assert_eq!(kept.previous.len(), 1, "only the document used last time");
    }
}
