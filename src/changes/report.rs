//! The account of what changed, for a terminal: the summary, the data
//! changes in sentences, then each changed section with its changed
//! blocks. Removed words are `[-like this-]` and added ones `{+like this+}`,
//! so the marks read without colour; with colour they are red and green.

use std::fmt::Write;

use super::text::{BlockMark, Mark};
use super::{ChangeKind, Changes, SectionChange, words};
use crate::ansi::{BOLD, GREEN, RED};

pub fn terminal(changes: &Changes, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    let s = &changes.summary;
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!("What changed from {} to {}", changes.old, changes.new)
        )
    );
    let _ = writeln!(
        out,
        "Sections: {} added, {} removed, {} changed, {} moved, {} renamed, {} unchanged. {} added, {} removed.",
        s.added,
        s.removed,
        s.changed,
        s.moved,
        s.renamed,
        s.unchanged,
        words(s.words_added),
        words(s.words_removed)
    );
    if s.from_template > 0 {
        let _ = writeln!(
            out,
            "{} of the changed sections came with the template.",
            s.from_template
        );
    }
    if !changes.data.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(BOLD, "People, dates, organisations and curriculum")
        );
        for sentence in &changes.data {
            let _ = writeln!(out, "  - {sentence}");
        }
    }
    let touched: Vec<_> = changes
        .sections
        .iter()
        .filter(|c| c.status != ChangeKind::Unchanged || c.renamed || c.moved.is_some())
        .collect();
    if !touched.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, "Sections"));
    }
    for change in touched {
        let id = change
            .new
            .as_ref()
            .or(change.old.as_ref())
            .map_or("", |s| &s.id);
        let _ = writeln!(
            out,
            "\n  {} ({id}): {}",
            paint(BOLD, change.title()),
            change.headline()
        );
        out.push_str(&changed_blocks(change, "    ", color));
    }
    out
}

/// A section's changed blocks, a line each under `indent`, with the
/// words marked.
pub fn changed_blocks(change: &SectionChange, indent: &str, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    for block in change.blocks.iter().filter(|b| b.mark != BlockMark::Same) {
        let mut line = String::new();
        for piece in &block.pieces {
            match (block.mark, piece.mark) {
                (BlockMark::Removed, _) | (_, Mark::Removed) => {
                    line.push_str(&paint(RED, &format!("[-{}-]", piece.text)));
                }
                (BlockMark::Added, _) | (_, Mark::Added) => {
                    line.push_str(&paint(GREEN, &format!("{{+{}+}}", piece.text)));
                }
                _ => line.push_str(&piece.text),
            }
        }
        let _ = writeln!(out, "{indent}{}: {line}", block.kind.describe());
    }
    out
}
