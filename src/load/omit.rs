//! `omit: true` entries in the data files of a site with a template. Such an
//! entry has only an id, so it cannot be read as the file's entries are
//! (a role needs a title). The file is read twice over one text with the
//! other kind of entry blanked out, line for line and byte for byte, so
//! that every line and column a message gives is the file's own.

use std::ops::Range;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::entries::{OmitEntry, Text};

/// Just enough of an entry to tell an omit from the rest.
#[derive(Deserialize)]
pub struct Probe {
    #[allow(dead_code)]
    pub id: Option<Text>,
    pub omit: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
pub struct ReviewsProbe {
    #[serde(default)]
    pub dates: Option<Vec<Spanned<Probe>>>,
    #[serde(default)]
    pub checks: Option<Vec<Spanned<Probe>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewsOmits {
    #[serde(default, deserialize_with = "super::entries::null_as_empty")]
    pub dates: Vec<OmitEntry>,
    #[serde(default, deserialize_with = "super::entries::null_as_empty")]
    pub checks: Vec<OmitEntry>,
}

/// An entry of a list: where it starts, and whether it omits.
pub struct Item {
    line: usize,
    column: usize,
    omit: bool,
}

impl Item {
    pub fn of(entry: &Spanned<Probe>) -> Item {
        Item {
            line: entry.referenced.line() as usize,
            column: entry.referenced.column() as usize,
            omit: entry.value.omit.as_ref().is_some_and(|o| o.value),
        }
    }
}

/// The text read leniently, or `None` when it does not parse (the file's
/// own reading then reports why).
pub fn probe<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_saphyr::from_str(text).ok()
}

/// The text with each omit entry blanked, and, when there is one, the
/// text with every other entry blanked.
pub fn masks(text: &str, lists: &[&[Item]]) -> (String, Option<String>) {
    let mut omitted = Vec::new();
    let mut kept = Vec::new();
    for list in lists {
        let mut lines_seen = std::collections::HashSet::new();
        for item in list.iter() {
            // Two entries on one line (a flow list) cannot be told apart by
            // lines: leave the file as it is, to be read whole.
            if !lines_seen.insert(item.line) {
                return (text.to_string(), None);
            }
            let range = lines_of(text, item.line, item.column);
            if item.omit {
                omitted.push(range);
            } else {
                kept.push(range);
            }
        }
    }
    if omitted.is_empty() {
        return (text.to_string(), None);
    }
    (blank(text, &omitted), Some(blank(text, &kept)))
}

/// The bytes of the lines an entry starting at `line`:`column` spans: its
/// first line and every line after it indented at least as far as the
/// entry's keys (blank lines and comments included).
fn lines_of(text: &str, line: usize, column: usize) -> Range<usize> {
    let indent = column.saturating_sub(1);
    let mut start = 0;
    let mut end = text.len();
    let mut offset = 0;
    for (number, content) in text.split_inclusive('\n').enumerate() {
        let number = number + 1;
        if number == line {
            start = offset;
        } else if number > line {
            let trimmed = content.trim_start_matches(' ');
            let blank = trimmed.trim().is_empty() || trimmed.starts_with('#');
            if !blank && content.len() - trimmed.len() < indent {
                end = offset;
                break;
            }
        }
        offset += content.len();
    }
    start..end.max(start)
}

/// `text` with the bytes in `ranges` made spaces, newlines kept.
fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        for byte in &mut bytes[range.clone()] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    String::from_utf8(bytes).expect("only whole lines are blanked, so the text stays UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_omit_entry_is_blanked_and_the_rest_keep_their_lines() {
        let text = "- id: a\n  title: A\n- id: b\n  omit: true\n- id: c\n  title: C\n";
        let list: Vec<Spanned<Probe>> = probe(text).unwrap();
        let items: Vec<Item> = list.iter().map(Item::of).collect();
        let (keep, only) = masks(text, &[items.as_slice()]);
        assert_eq!(keep.len(), text.len());
        assert_eq!(keep.lines().nth(4), Some("- id: c"));
        assert!(keep.lines().nth(2).unwrap().trim().is_empty());
        let only = only.unwrap();
        assert_eq!(only.lines().nth(2), Some("- id: b"));
        assert!(only.lines().next().unwrap().trim().is_empty());
        assert!(only.lines().nth(4).unwrap().trim().is_empty());
    }

    #[test]
    fn nested_lists_end_at_the_next_key() {
        let text = "dates:\n  - id: a\n    omit: true\nchecks:\n  - id: b\n    title: B\n";
        let probe: ReviewsProbe = probe(text).unwrap();
        let dates: Vec<Item> = probe.dates.iter().flatten().map(Item::of).collect();
        let checks: Vec<Item> = probe.checks.iter().flatten().map(Item::of).collect();
        let (keep, _) = masks(text, &[dates.as_slice(), checks.as_slice()]);
        assert_eq!(keep.lines().nth(3), Some("checks:"));
        assert!(keep.lines().nth(1).unwrap().trim().is_empty());
        assert!(keep.lines().nth(2).unwrap().trim().is_empty());
    }
}
