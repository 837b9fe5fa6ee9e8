//! Scaffolding: writing new files into a site root for the online safety
//! lead, so that nobody has to start from a blank page or remember a file's
//! layout. `init` writes a whole starter site (`init.rs`, with the starter
//! files embedded from `starter/` and `ci/`); `new` adds one section
//! (`section.rs`) or one person or organisation (`entry.rs`).
//!
//! It owns only the writing. Whether a site is right is still decided by
//! `load` and `validate`: after each `new`, the site is checked again and
//! the change undone if it brought an error (`check_unchanged`), so a `new`
//! never leaves a site that built broken. Data files are appended to as
//! text, never re-serialised, so their comments stay as the lead wrote them.

pub mod entry;
pub mod init;
pub mod section;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostics, Sources, slashed};

/// Why a command did nothing. `usage` problems are the command line's
/// (exit 2); the rest are the site's or the disk's (exit 1).
#[derive(Debug)]
pub struct NotDone {
    pub message: String,
    /// One sentence on what to do instead.
    pub help: Option<String>,
    pub usage: bool,
    /// The site's own errors, when a change was undone because of them.
    pub site: Option<(Sources, Diagnostics)>,
}

impl NotDone {
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> NotDone {
        NotDone {
            message: message.into(),
            help: Some(help.into()),
            usage: true,
            site: None,
        }
    }

    pub fn site(message: impl Into<String>, help: impl Into<String>) -> NotDone {
        NotDone {
            message: message.into(),
            help: Some(help.into()),
            usage: false,
            site: None,
        }
    }

    fn io(doing: &str, path: &Path, error: &std::io::Error) -> NotDone {
        NotDone {
            message: format!("cannot {doing} {}: {error}", path.display()),
            help: Some("check that the folder exists and is writable".into()),
            usage: false,
            site: None,
        }
    }
}

/// What to do when a change would bring errors of its own.
const FIX_FIRST: &str =
    "run `policyweb build` to see the site's problems, fix them, then try again";

/// What a `new` command wrote, for the message that follows it.
#[derive(Debug)]
pub struct Added {
    /// The file written or appended to, relative to the site root.
    pub file: PathBuf,
    /// The line where the new text starts (1-based).
    pub line: usize,
    /// The id the new section, person or organisation has.
    pub id: String,
    /// Its title or name, as given.
    pub name: String,
    /// Anything else done on the way (a file turned into a folder).
    pub notes: Vec<String>,
}

/// A name as an id: the one slug function, then only the ASCII letters,
/// digits and hyphens that ids allow ("Siân O'Brien" → "sian-obrien").
/// `fallback` when nothing is left.
pub fn id_from(name: &str, fallback: &str) -> String {
    let slug = crate::slug::slug(name);
    let mut id = String::with_capacity(slug.len());
    for c in slug.chars() {
        let folded = fold_letter(c);
        for c in folded.chars() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                id.push(c);
            } else if !id.is_empty() && !id.ends_with('-') {
                id.push('-');
            }
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if crate::ids::is_valid_id(&id) {
        id
    } else {
        fallback.to_string()
    }
}

/// Latin letters with marks, as the plain letters an id may use.
fn fold_letter(c: char) -> String {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ŵ' => "u",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        other => return other.to_string(),
    };
    plain.to_string()
}

/// `wanted`, or `wanted-2`, `wanted-3` … whichever `taken` does not hold.
pub fn unique_id(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|id| !taken(id))
        .expect("some numbered id is free")
}

/// Text as a YAML scalar: plain where that reads back as the same string,
/// double-quoted otherwise ("Fact: fiction" → `"Fact: fiction"`).
pub fn yaml_text(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    let keyword = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    !keyword
        && (first.is_alphabetic() || (!first.is_ascii() && !first.is_whitespace()))
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(char::is_control)
}

/// Refuses text that must fit on one line of YAML or front matter;
/// `example` shows what is wanted.
pub fn one_line(text: &str, what: &str, example: &str) -> Result<String, NotDone> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(NotDone::usage(
            format!("the {what} is empty"),
            format!("give the {what} in quotes, such as \"{example}\""),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(NotDone::usage(
            format!("the {what} must be one line of text"),
            format!("give the {what} without line breaks or tabs, such as \"{example}\""),
        ));
    }
    Ok(trimmed.to_string())
}

/// The site's errors now, counted after a full check (load, validate,
/// render and the internal link check, in memory).
struct SiteErrors {
    count: usize,
    sources: Sources,
    diagnostics: Diagnostics,
}

fn site_errors(root: &Path, today: NaiveDate) -> SiteErrors {
    let (sources, diagnostics) = crate::build_errors(root, today);
    SiteErrors {
        count: diagnostics.error_count(),
        sources,
        diagnostics,
    }
}

/// Makes a change, then checks the site: if it has more errors than
/// before, `undo` puts everything back and the errors are returned, with
/// `help` on what to do.
fn check_unchanged(
    root: &Path,
    today: NaiveDate,
    help: &str,
    change: impl FnOnce() -> Result<Added, NotDone>,
    undo: impl FnOnce(),
) -> Result<Added, NotDone> {
    let before = site_errors(root, today).count;
    let added = change()?;
    let after = site_errors(root, today);
    if after.count > before {
        undo();
        return Err(NotDone {
            message: format!(
                "adding {} would bring the errors above, so everything was put back as it was",
                slashed(&added.file)
            ),
            help: Some(help.into()),
            usage: false,
            site: Some((after.sources, after.diagnostics)),
        });
    }
    Ok(added)
}

/// The `id` of each entry of a YAML list, read loosely: only to avoid
/// taking an id twice or to name what there is. Empty for an empty file;
/// `Err` with the parser's words when the text is not a list.
pub fn ids_in(text: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    match value {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(entries) => Ok(entries
            .iter()
            .filter_map(|entry| entry.get("id"))
            .map(|id| match id {
                serde_json::Value::String(id) => id.clone(),
                other => other.to_string(),
            })
            .collect()),
        _ => Err("it is not a list of entries starting `- id:`".into()),
    }
}

/// The ids of a data file's list, or none if it is missing or unreadable
/// (for hints only).
fn hint_ids(root: &Path, file: &str) -> Vec<String> {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|text| ids_in(&text).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids_that_validate() {
        assert_eq!(id_from("Siân O'Brien", "person"), "sian-obrien");
        assert_eq!(
            id_from("NSPCC: Net Aware", "organisation"),
            "nspcc-net-aware"
        );
        assert_eq!(id_from("Zoë Łukasz-Ørsted", "person"), "zoe-lukasz-orsted");
        assert_eq!(id_from("李雷", "person"), "person");
        assert_eq!(id_from("  ", "section"), "section");
    }

    #[test]
    fn ids_are_numbered_until_free() {
        let taken = ["sam", "sam-2"];
        assert_eq!(unique_id("sam", |id| taken.contains(&id)), "sam-3");
        assert_eq!(unique_id("alex", |id| taken.contains(&id)), "alex");
    }

    #[test]
    fn text_is_quoted_only_when_yaml_would_misread_it() {
        assert_eq!(yaml_text("Sam Example"), "Sam Example");
        assert_eq!(yaml_text("St Mary's School"), "St Mary's School");
        assert_eq!(yaml_text("Fact: fiction"), "\"Fact: fiction\"");
        assert_eq!(yaml_text("Yes"), "\"Yes\"");
        assert_eq!(yaml_text("1st Class"), "\"1st Class\"");
        assert_eq!(
            yaml_text("\"Quoted\" \\ text"),
            "\"\\\"Quoted\\\" \\\\ text\""
        );
        assert_eq!(yaml_text("[brackets]"), "\"[brackets]\"");
        assert_eq!(yaml_text("Tag #1"), "\"Tag #1\"");
        for text in [
            "Fact: fiction",
            "Yes",
            "1st",
            "a \"b\" \\ c",
            "#x",
            "- x",
            "café",
        ] {
            let yaml = format!("v: {}\n", yaml_text(text));
            let read: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(read["v"], text, "{yaml}");
        }
    }
}
