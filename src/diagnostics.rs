//! Diagnostics: every problem the build finds, as a value.
//!
//! Owns the `Diagnostic` type, the `Sources` registry that keeps the text of
//! every file read (so a diagnostic can quote its line), and printing.
//! Stages never print: they return diagnostics, and `main` prints them all
//! together at the end, rustc-style, with the file, line, column and a caret.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// A file the build read, kept whole so diagnostics can quote it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub text: String,
}

/// Every file read in this build, addressed by `SourceId`.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(usize);

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> SourceId {
        self.files.push(Arc::new(SourceFile { path, text }));
        SourceId(self.files.len() - 1)
    }

    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0]
    }

    /// Every file read, in the order read.
    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, file)| (SourceId(i), file.as_ref()))
    }

    /// Another build's problems, made this one's: each file they point
    /// into is added with its path under `folder` (a trust's school,
    /// `school-a/data/people.yaml`), and each place moved to match. Only
    /// the files a problem points into are kept.
    pub fn take_in(&mut self, other: &Sources, folder: &str, problems: Diagnostics) -> Diagnostics {
        let mut added = std::collections::HashMap::new();
        let under = |path: &str| format!("{}/{path}", folder.trim_end_matches('/'));
        let items = problems
            .into_iter()
            .map(|mut problem| {
                match &mut problem.place {
                    Some(Place::Span { source, .. }) => {
                        *source = *added.entry(*source).or_insert_with(|| {
                            let file = other.get(*source);
                            self.add(under(&file.path), file.text.clone())
                        });
                    }
                    Some(Place::File(path)) if path.is_relative() => {
                        *path = PathBuf::from(under(&path.to_string_lossy()));
                    }
                    _ => {}
                }
                problem
            })
            .collect();
        Diagnostics { items }
    }
}

/// Where a problem is: a byte range in a file the build read, or just a
/// file (for a file that could not be read as text at all).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    Span {
        source: SourceId,
        bytes: Range<usize>,
    },
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub place: Option<Place>,
    /// Short text under the caret.
    pub label: Option<String>,
    /// One sentence on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            place: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, source: SourceId, bytes: Range<usize>) -> Self {
        self.place = Some(Place::Span { source, bytes });
        self
    }

    /// At a place recorded earlier, such as where a date was read.
    pub fn placed(mut self, place: Place) -> Self {
        self.place = Some(place);
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.place = Some(Place::File(path.into()));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// File, 1-based line and 1-based column (in characters) of the problem.
    pub fn location(&self, sources: &Sources) -> Option<Location> {
        match &self.place {
            Some(Place::Span { source, bytes }) => {
                let file = sources.get(*source);
                let (line, column) = line_column(&file.text, bytes.start);
                Some(Location {
                    file: file.path.clone(),
                    line,
                    column,
                })
            }
            Some(Place::File(path)) => Some(Location {
                file: path.display().to_string(),
                line: 0,
                column: 0,
            }),
            None => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// 1-based line and column (counted in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The problems found by a stage or a whole build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Errors first, then by file and position, so the report reads in order
    /// and is the same on every run.
    pub fn sort(&mut self, sources: &Sources) {
        self.items.sort_by_cached_key(|d| {
            let location = d.location(sources);
            (
                std::cmp::Reverse(d.severity),
                location.as_ref().map(|l| l.file.clone()),
                location.as_ref().map_or(0, |l| l.line),
                location.as_ref().map_or(0, |l| l.column),
                d.message.clone(),
            )
        });
        self.items.dedup();
    }

    /// Every diagnostic as rustc-style text: the message, the file, line and
    /// column, the source line with a caret, and the fix.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut out = String::new();
        for diagnostic in &self.items {
            let report = Report::new(diagnostic, sources);
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&report.to_string());
            }
            out.push('\n');
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Adapter from our `Diagnostic` to miette's reporting trait.
#[derive(Debug)]
struct Report {
    heading: String,
    help: Option<String>,
    severity: Severity,
    source: Option<Excerpt>,
    span: Option<(SourceSpan, Option<String>)>,
}

impl Report {
    fn new(diagnostic: &Diagnostic, sources: &Sources) -> Self {
        let location = diagnostic.location(sources);
        let heading = match &location {
            Some(location) => format!("{}\n  --> {location}", diagnostic.message),
            None => diagnostic.message.clone(),
        };
        let (source, span) = match &diagnostic.place {
            Some(Place::Span { source, bytes }) => {
                let (excerpt, span) = Excerpt::of(sources.get(*source), bytes.clone());
                (Some(excerpt), Some((span, diagnostic.label.clone())))
            }
            _ => (None, None),
        };
        Report {
            heading,
            help: diagnostic.help.clone(),
            severity: diagnostic.severity,
            source,
            span,
        }
    }
}

/// The text with each tab drawn as `→` (the printer would show it as
/// spaces, hiding the mistake), and `span` moved to match.
fn tabs_shown(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    if !text.contains('\t') {
        return (text.to_string(), span);
    }
    let wider = '→'.len_utf8() - 1;
    let shift = |offset: usize| {
        offset
            + text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|b| **b == b'\t')
                .count()
                * wider
    };
    (text.replace('\t', "→"), shift(span.start)..shift(span.end))
}

/// How many characters of a line a report shows: a longer line (minified
/// HTML pasted in, a whole file on one line) is cut around the caret, so
/// the report stays readable and the printer's widths stay small. The
/// heading keeps the true line and column.
const SHOWN_CHARS: usize = 160;

/// How many lines of a long span a report shows.
const SHOWN_LINES: usize = 8;

/// The lines a report quotes, cut to size, with the line numbers and the
/// column of the caret they have in the file; the printer is given this
/// instead of the whole file, so a report costs the same in any file.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// The file's line number (0-based) of the excerpt's first line.
    first_line: usize,
    /// Where the caret is in the excerpt, and its line and byte column
    /// (0-based) in the file.
    caret: usize,
    line: usize,
    column: usize,
}

impl Excerpt {
    /// The lines around `bytes` in `file`, and where `bytes` is in them.
    fn of(file: &SourceFile, bytes: Range<usize>) -> (Excerpt, SourceSpan) {
        let text = file.text.as_str();
        let start = floor_char_boundary(text, bytes.start.min(text.len()));
        let mut end = floor_char_boundary(text, bytes.end.min(text.len()).max(start));
        // Both take any offset: one inside a character, or past the end,
        // is moved back to a character boundary first.
        let line_start = |at: usize| {
            let at = floor_char_boundary(text, at.min(text.len()));
            text[..at].rfind('\n').map_or(0, |i| i + 1)
        };
        let line_end = |at: usize| {
            let at = floor_char_boundary(text, at.min(text.len()));
            text[at..].find('\n').map_or(text.len(), |i| at + i)
        };
        let (line, _) = line_column(text, start);
        let caret_line = line_start(start);
        // One line of context before and after, as the printer is set up.
        let (from, first_line) = if caret_line > 0 {
            (line_start(caret_line - 1), line - 2)
        } else {
            (0, line - 1)
        };
        let last = if end > start { end - 1 } else { start };
        let mut end_line = line_start(last);
        if text[caret_line..end_line].matches('\n').count() >= SHOWN_LINES {
            // Only the first lines of a long span: it ends with its line.
            end_line = (0..SHOWN_LINES - 1).fold(caret_line, |at, _| line_end(at) + 1);
            end = line_end(end_line);
        }
        let after = line_end(end_line);
        // With its newline, so that an empty line is still a line.
        let to = if after < text.len() {
            (line_end(after + 1) + 1).min(text.len())
        } else {
            after
        };
        let mut shown = String::new();
        let (mut caret, mut caret_end) = (0, 0);
        let mut at = from;
        for original in text[from..to].split_inclusive('\n') {
            let body = original.strip_suffix('\n').unwrap_or(original);
            let focus = (at..=at + body.len())
                .contains(&start)
                .then(|| text[at..start].chars().count());
            let cut = Cut::of(body, focus);
            let base = shown.len();
            if (at..=at + body.len()).contains(&start) {
                caret = base + cut.place(start - at);
            }
            if (at..=at + body.len()).contains(&end) {
                caret_end = base + cut.place(end - at);
            }
            cut.write(body, &mut shown);
            if original.len() > body.len() {
                shown.push('\n');
            }
            at += original.len();
        }
        let length = caret_end.saturating_sub(caret).max(1);
        let (shown, span) = tabs_shown(&shown, caret..caret + length);
        let (caret, length) = (span.start, span.len());
        let excerpt = Excerpt {
            name: file.path.clone(),
            text: shown,
            first_line,
            caret,
            line: line - 1,
            column: start - caret_line,
        };
        (excerpt, SourceSpan::new(caret.into(), length))
    }
}

/// The part of one line that is shown: characters `from..to` (byte
/// offsets into the line), with `…` where it is cut.
struct Cut {
    from: usize,
    to: usize,
    len: usize,
}

impl Cut {
    /// Whole when short; else `SHOWN_CHARS` characters, around the
    /// character `focus` when the caret is on this line.
    fn of(line: &str, focus: Option<usize>) -> Cut {
        let byte_at = |chars: usize| {
            line.char_indices()
                .nth(chars)
                .map_or(line.len(), |(i, _)| i)
        };
        if byte_at(SHOWN_CHARS) == line.len() {
            return Cut {
                from: 0,
                to: line.len(),
                len: line.len(),
            };
        }
        let first = focus.map_or(0, |c| c.saturating_sub(SHOWN_CHARS / 4));
        let from = byte_at(first);
        let to = from
            + line[from..]
                .char_indices()
                .nth(SHOWN_CHARS)
                .map_or(line.len() - from, |(i, _)| i);
        Cut {
            from,
            to,
            len: line.len(),
        }
    }

    fn prefix(&self) -> &'static str {
        if self.from > 0 { "…" } else { "" }
    }

    /// Where byte `offset` of the line is in what is shown.
    fn place(&self, offset: usize) -> usize {
        self.prefix().len() + offset.clamp(self.from, self.to) - self.from
    }

    fn write(&self, line: &str, out: &mut String) {
        out.push_str(self.prefix());
        out.push_str(&line[self.from..self.to]);
        if self.to < self.len {
            out.push('…');
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // The caret's own place (the report's `[file:line:column]`) is
        // the one in the file, not in the excerpt.
        let (line, column) = if span.offset() == self.caret && context_lines_before == 0 {
            (self.line, self.column)
        } else {
            (inner.line() + self.first_line, inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, label) = self.span.clone()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, span,
        ))))
    }
}

/// The site-root-relative path of `path`, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    slashed(path.strip_prefix(root).unwrap_or(path))
}

/// A relative path written with `/` between its parts, whatever the
/// platform writes: the form every message and the model use.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "a: 1\nname: “Tom”\n";
        let offset = text.find('T').unwrap();
        assert_eq!(line_column(text, offset), (2, 8));
        assert_eq!(offset_of(text, 2, 8), offset);
    }

    #[test]
    fn rendered_report_names_file_line_and_caret() {
        let mut sources = Sources::default();
        let id = sources.add(
            "data/people.yaml".into(),
            "- id: x\n  roles: [dls]\n".into(),
        );
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Diagnostic::error("unknown role `dls`")
                .at(id, 18..21)
                .label("no role has this id")
                .help("did you mean `dsl`?"),
        );
        let text = diagnostics.render(&sources, false);
        assert!(text.contains("data/people.yaml:2:11"), "{text}");
        assert!(text.contains("roles: [dls]"), "{text}");
        assert!(text.contains("did you mean `dsl`?"), "{text}");
    }

    /// A caret far along a line (minified HTML, a file on one line) used
    /// to make the printer panic past column 65,535.
    #[test]
    fn a_caret_at_any_column_is_printed_with_its_true_place() {
        let mut sources = Sources::default();
        let line = format!("{}[[role:dls]]{}", "x".repeat(100_000), "y".repeat(100_000));
        let id = sources.add("content/long.md".into(), format!("first\n{line}\nlast\n"));
        let at = 6 + 100_000;
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("unknown role `dls`").at(id, at..at + 12));
        let text = diagnostics.render(&sources, false);
        assert!(text.contains("content/long.md:2:100001"), "{text}");
        assert!(text.contains("[[role:dls]]"), "{text}");
        assert!(text.contains("first") && text.contains("last"), "{text}");
        assert!(
            text.len() < 2_000,
            "the report quotes the line in part: {text}"
        );
    }

    /// Lines of ordinary length are quoted whole, as before.
    #[test]
    fn short_lines_are_quoted_whole_with_their_neighbours() {
        let mut sources = Sources::default();
        let id = sources.add("a.md".into(), "one\ntwo [[x]] two\nthree\nfour\n".into());
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("bad").at(id, 8..13).label("here"));
        let text = diagnostics.render(&sources, false);
        assert!(text.contains("[a.md:2:5]"), "{text}");
        for line in [" 1 │ one", " 2 │ two [[x]] two", " 3 │ three"] {
            assert!(text.contains(line), "{line}: {text}");
        }
        assert!(!text.contains("four"), "{text}");

        // An empty line after the caret's is shown as one.
        let id = sources.add("b.md".into(), "one\ntwo [[x]]\n\nfour\n".into());
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("bad").at(id, 8..13));
        let text = diagnostics.render(&sources, false);
        assert!(text.contains(" 3 │"), "{text}");
        assert!(!text.contains("four"), "{text}");
    }
}
