//! Audience blocks: `::: staff governors` … `:::` lines that limit part of
//! a section to some views. `scan` finds and checks them once; `filter`
//! gives the Markdown one view sees, with a map back to source offsets so
//! every later diagnostic still points into the file as written.

use std::ops::Range;

use crate::model::AudienceBlock;

/// A problem with a marker line, as (byte range, message, help).
pub type MarkerProblem = (Range<usize>, String, &'static str);

/// Finds the audience blocks in `text[body]`. Lines inside fenced code are
/// never markers. Unknown views (unless `known_views` is `None`, when
/// site.yaml could not be read), nesting and unclosed blocks are problems.
pub fn scan(
    text: &str,
    body: Range<usize>,
    known_views: Option<&[String]>,
) -> (Vec<AudienceBlock>, Vec<MarkerProblem>) {
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<(Range<usize>, Vec<String>)> = None;
    let mut fence: Option<(char, usize)> = None;
    for line in lines(text, body) {
        let content = text[line.clone()].trim_end_matches(['\n', '\r']);
        if let Some(marker) = fence_marker(content) {
            fence = match fence {
                None => Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n && is_bare_fence(content) => None,
                still => still,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let Some(views) = marker_views(content) else {
            continue;
        };
        let marker_span = line.start..line.start + content.len();
        match (views.is_empty(), open.take()) {
            (true, Some((opened, views))) => blocks.push(AudienceBlock {
                views,
                inner: opened.end..line.start,
                open: opened,
                close: line.clone(),
            }),
            (true, None) => problems.push((
                marker_span,
                "`:::` closes an audience block, but none is open".into(),
                "remove this line, or open a block above it with `::: staff governors`",
            )),
            (false, previous) => {
                if let Some((opened, _)) = previous {
                    problems.push((
                        opened.start..opened.start + text[opened.clone()].trim_end().len(),
                        "this audience block is not closed before the next one opens".into(),
                        "add a line `:::` where the block ends; blocks do not nest",
                    ));
                }
                let mut checked = Vec::new();
                for (word, span) in words(content, line.start) {
                    if known_views.is_none_or(|views| views.iter().any(|v| v == word)) {
                        checked.push(word.to_string());
                    } else {
                        problems.push((
                            span,
                            format!("`{word}` is not a view"),
                            "views are listed in data/site.yaml",
                        ));
                    }
                }
                open = Some((line.clone(), checked));
            }
        }
    }
    if let Some((opened, _)) = open {
        problems.push((
            opened.start..opened.start + text[opened.clone()].trim_end().len(),
            "this audience block is never closed".into(),
            "add a line `:::` where the block ends",
        ));
    }
    (blocks, problems)
}

/// One view's Markdown, and where each of its lines came from.
pub struct Filtered {
    pub text: String,
    /// (offset in `text`, offset in the source file) at each kept run.
    map: Vec<(usize, usize)>,
}

impl Filtered {
    /// The source-file byte offset of a byte offset in the filtered text.
    pub fn source_offset(&self, offset: usize) -> usize {
        let i = self
            .map
            .partition_point(|&(filtered, _)| filtered <= offset)
            .saturating_sub(1);
        let (filtered, source) = self.map.get(i).copied().unwrap_or((0, 0));
        source + (offset - filtered)
    }

    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        self.source_offset(range.start)..self.source_offset(range.end)
    }
}

/// The body as `view` sees it: marker lines always dropped, blocks for
/// other views dropped whole. With no view, every block is kept.
pub fn filter(
    text: &str,
    body: Range<usize>,
    blocks: &[AudienceBlock],
    view: Option<&str>,
) -> Filtered {
    let mut kept: Vec<Range<usize>> = Vec::new();
    let mut cursor = body.start;
    for block in blocks {
        kept.push(cursor..block.open.start);
        if view.is_none_or(|view| block.views.iter().any(|v| v == view)) {
            kept.push(block.inner.clone());
        }
        cursor = block.close.end;
    }
    kept.push(cursor..body.end);
    let mut filtered = Filtered {
        text: String::with_capacity(body.len()),
        map: Vec::new(),
    };
    for range in kept.into_iter().filter(|r| !r.is_empty()) {
        filtered.map.push((filtered.text.len(), range.start));
        filtered.text.push_str(&text[range]);
    }
    filtered
}

/// Byte ranges of the lines in `text[body]`, each with its newline.
fn lines(text: &str, body: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = body.start;
    std::iter::from_fn(move || {
        if start >= body.end {
            return None;
        }
        let end = text[start..body.end]
            .find('\n')
            .map_or(body.end, |i| start + i + 1);
        let line = start..end;
        start = end;
        Some(line)
    })
}

/// `Some(views)` for a marker line; an empty list for a closing `:::`.
fn marker_views(line: &str) -> Option<Vec<&str>> {
    let rest = line.trim().strip_prefix(":::")?;
    if rest.starts_with(':') {
        return None;
    }
    Some(rest.split_whitespace().collect())
}

fn words(line: &str, line_start: usize) -> Vec<(&str, Range<usize>)> {
    let after = line.find(":::").map_or(0, |i| i + 3);
    let mut out = Vec::new();
    let mut offset = after;
    for word in line[after..].split_whitespace() {
        let at = line[offset..].find(word).map_or(offset, |i| offset + i);
        out.push((word, line_start + at..line_start + at + word.len()));
        offset = at + word.len();
    }
    out
}

/// A fence opener or closer: up to three spaces, then ``` or ~~~ or more.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn is_bare_fence(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.chars().all(|c| c == '`' || c == '~')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views() -> Vec<String> {
        vec!["parents".into(), "staff".into(), "governors".into()]
    }

    #[test]
    fn each_view_sees_only_its_blocks() {
        let text = "Everyone.\n\n::: staff governors\nStaff only.\n:::\n\nEveryone again.\n";
        let (blocks, problems) = scan(text, 0..text.len(), Some(&views()));
        assert!(problems.is_empty());
        let parents = filter(text, 0..text.len(), &blocks, Some("parents"));
        assert_eq!(parents.text, "Everyone.\n\n\nEveryone again.\n");
        let staff = filter(text, 0..text.len(), &blocks, Some("staff"));
        assert_eq!(staff.text, "Everyone.\n\nStaff only.\n\nEveryone again.\n");
        let at = staff.text.find("Staff only").unwrap();
        assert_eq!(staff.source_offset(at), text.find("Staff only").unwrap());
        let again = parents.text.find("again").unwrap();
        assert_eq!(parents.source_offset(again), text.find("again").unwrap());
    }

    #[test]
    fn markers_inside_fenced_code_are_text() {
        let text = "```\n::: staff\n```\n";
        let (blocks, problems) = scan(text, 0..text.len(), Some(&views()));
        assert!(blocks.is_empty() && problems.is_empty());
    }

    #[test]
    fn unknown_views_and_unclosed_blocks_are_problems() {
        let text = "::: staff teachers\ntext\n";
        let (_, problems) = scan(text, 0..text.len(), Some(&views()));
        let messages: Vec<_> = problems.iter().map(|p| p.1.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`teachers` is not a view",
                "this audience block is never closed"
            ]
        );
        assert_eq!(&text[problems[0].0.clone()], "teachers");
    }
}
