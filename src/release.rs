//! `policyweb release`: records a revision's approval in versions.yaml,
//! editing the file's text in place so its comments and layout stay, and
//! freezes the working tree's content/ and data/ under versions/<id>/.
//! Refuses while the site has errors, and never overwrites a revision.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::load;
use crate::load::entries::{Text, VersionEntry};
use crate::load::yaml::Document;
use crate::model::PolicyDate;

/// What to record.
#[derive(Debug, Clone)]
pub struct ApprovalToRecord {
    pub id: String,
    pub approved: NaiveDate,
    pub by: String,
    pub minute: Option<String>,
    /// The next review date, `YYYY-MM` or `YYYY-MM-DD`.
    pub next_review: Option<String>,
}

/// What was done.
#[derive(Debug)]
pub struct Released {
    pub frozen: PathBuf,
    /// Whether a new entry was added, rather than a draft approved.
    pub appended: bool,
}

/// The files a frozen revision leaves out: they describe the whole site,
/// not one revision, and are always read from the working tree.
const SITE_WIDE: &[&str] = &["site.yaml", "versions.yaml"];

/// Records `approval` and freezes the text, given the site's errors now
/// (`site`: its files and every error a build would stop on, sorted);
/// refuses, changing nothing, while there are any.
pub fn release(
    root: &Path,
    approval: &ApprovalToRecord,
    site: (Sources, Diagnostics),
) -> Result<Released, (Sources, Diagnostics)> {
    let (sources, diagnostics) = site;
    let refuse = |mut diagnostics: Diagnostics, diagnostic: Diagnostic| {
        diagnostics.push(diagnostic);
        Err((sources.clone(), diagnostics))
    };
    if diagnostics.has_errors() {
        let count = diagnostics.error_count();
        return refuse(
            diagnostics,
            Diagnostic::error(format!(
                "release refused: the site has {count} error{} to fix first",
                if count == 1 { "" } else { "s" }
            ))
            .help(
                "an approved revision must build; fix the errors above and run the release again",
            ),
        );
    }
    if let Some(next) = &approval.next_review
        && PolicyDate::parse(next).is_err()
    {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("`{next}` is not a date"))
                .help("write the next review as YYYY-MM or YYYY-MM-DD"),
        );
    }
    // Read into a copy of the site's files, so that a refusal pointing
    // into versions.yaml is shown in versions.yaml (and the build's own
    // problems still in theirs).
    let mut file = sources.clone();
    let versions = load::read_versions(root, &mut file, &mut Diagnostics::default());
    let refuse = |mut diagnostics: Diagnostics, diagnostic: Diagnostic| {
        diagnostics.push(diagnostic);
        Err((file.clone(), diagnostics))
    };
    let Some((document, entries)) = &versions else {
        return refuse(
            diagnostics,
            Diagnostic::error("data/versions.yaml could not be read").in_file("data/versions.yaml"),
        );
    };
    let id = approval.id.as_str();
    if !crate::ids::is_valid_id(id) {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("`{id}` is not a valid revision id"))
                .help("use lower-case letters, digits and hyphens, such as 2025-26"),
        );
    }
    let frozen = root.join("versions").join(id);
    let text = &file.get(document.source).text;
    let count = entries.len();
    let working = |i: usize, e: &VersionEntry| load::reads_working_tree(e, i + 1 == count);
    let existing = entries.iter().position(|e| e.id.value.trim() == id);
    let plan = match existing {
        Some(i) => {
            let entry = &entries[i];
            if entry.status.value.trim() == "approved" {
                return refuse(
                    diagnostics,
                    Diagnostic::error(format!("revision {id} is already approved"))
                        .at(document.source, document.span_of(&file, &entry.id))
                        .help("an approved revision is never overwritten; give the new revision its own id, such as the next school year"),
                );
            }
            if !working(i, entry) {
                return refuse(
                    diagnostics,
                    Diagnostic::error(format!("draft {id} is not the working tree"))
                        .at(document.source, document.span_of(&file, &entry.id))
                        .help("release approves the text in content/ and data/; make the draft `source: working`"),
                );
            }
            approve_in_place(text, &file, document, entry, approval)
        }
        None => {
            if let Some((_, entry)) = entries.iter().enumerate().find(|(i, e)| working(*i, e)) {
                let other = entry.id.value.trim();
                let help = if entry.status.value.trim() == "draft" {
                    format!(
                        "the working tree is draft {other}: run `policyweb release {other} …`, or rename the draft to {id} in versions.yaml"
                    )
                } else {
                    format!(
                        "revision {other} is approved and reads content/ and data/; first point it at where its approved text is kept (`source: git:<tag>` or a folder), then release {id}"
                    )
                };
                return refuse(
                    diagnostics,
                    Diagnostic::error(format!("revision {other} already reads the working tree"))
                        .at(document.source, document.span_of(&file, &entry.id))
                        .help(help),
                );
            }
            if approval.next_review.is_none() {
                return refuse(
                    diagnostics,
                    Diagnostic::error(format!(
                        "a new revision needs its next review date: add --next-review to release {id}"
                    ))
                    .help("governors set the next review when they approve, such as `--next-review 2026-09`"),
                );
            }
            append_entry(text, entries, &file, document, approval)
        }
    };
    let pin = match template_pin(root, entries, existing) {
        Ok(pin) => pin,
        Err(problem) => {
            let at = existing.map(|i| {
                let entry = &entries[i];
                document.span_of(&file, entry.template.as_ref().unwrap_or(&entry.id))
            });
            let problem = match at {
                Some(place) => problem.at(document.source, place),
                None => problem.in_file("data/versions.yaml"),
            };
            return refuse(diagnostics, problem);
        }
    };
    let plan = match (existing, &pin) {
        // A draft's own pin stays on its line; a new entry is given one.
        (None, Some(pin)) => with_pin(&plan, pin),
        _ => plan,
    };
    if frozen.exists() {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("versions/{id}/ already exists"))
                .in_file(format!("versions/{id}/"))
                .help("a frozen revision is never overwritten; if it is left over from a failed release, move it aside and try again"),
        );
    }
    // The edited file must still read, and record what was asked.
    if let Err(problem) = check_edit(&plan, approval, pin.as_deref()) {
        return refuse(
            diagnostics,
            Diagnostic::error(format!(
                "cannot edit data/versions.yaml safely: {problem}"
            ))
            .in_file("data/versions.yaml")
            .help("add the approval to data/versions.yaml by hand, then freeze the revision by copying content/ and data/ into versions/<id>/"),
        );
    }
    let versions_file = root.join("data").join("versions.yaml");
    let result = freeze(root, &frozen).and_then(|()| {
        crate::output::replace_file(&versions_file, plan.as_bytes()).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&frozen);
        })
    });
    if let Err(error) = result {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("cannot record the release: {error}"))
                .help("check that the site folder is writable; nothing was changed"),
        );
    }
    Ok(Released {
        frozen,
        appended: existing.is_none(),
    })
}

/// The template revision the approved revision is built on, for a site
/// with `template:`: a draft's own pin, or for a new entry the pin of the
/// revision before it (moving to a newer template revision is `template
/// adopt`'s, never release's). Refused when that template revision is not
/// approved, since an approved revision's text must never change.
fn template_pin(
    root: &Path,
    entries: &[VersionEntry],
    existing: Option<usize>,
) -> Result<Option<String>, Diagnostic> {
    let (loaded, _) = load::load(root);
    let Some(template) = &loaded.template else {
        return Ok(None);
    };
    let ids = template.revision_ids();
    let pinned = match existing {
        Some(i) => entries[i]
            .template
            .as_ref()
            .map(|t| t.value.trim().to_string()),
        None => entries
            .iter()
            .rev()
            .find_map(|e| e.template.as_ref())
            .map(|t| t.value.trim().to_string())
            .or_else(|| ids.iter().rev().find(|(_, a)| *a).map(|(i, _)| i.clone())),
    };
    let Some(pinned) = pinned else {
        return Err(Diagnostic::error(format!(
            "the template {} has no approved revision to build this one on",
            template.path
        ))
        .help("a revision built on a template pins an approved template revision: approve one in the template first"));
    };
    let newest = ids.iter().rev().find(|(_, a)| *a).map(|(i, _)| i.as_str());
    match ids.iter().find(|(i, _)| *i == pinned) {
        Some((_, true)) => Ok(Some(pinned)),
        Some((_, false)) => Err(Diagnostic::error(format!(
            "release refused: this revision is built on the template's {pinned}, which is still a draft"
        ))
        .help(match newest {
            Some(newest) => format!(
                "an approved revision's text must never change: wait for the template to approve {pinned}, or run `policyweb template adopt {newest}` and check the draft again"
            ),
            None => format!(
                "an approved revision's text must never change: wait for the template to approve {pinned}"
            ),
        })),
        None => Err(Diagnostic::error(format!(
            "release refused: the template {} has no revision {pinned}",
            template.path
        ))
        .help("pin a revision from the template's data/versions.yaml with `policyweb template adopt ID`")),
    }
}

/// A new entry (the last, as `append_entry` writes it) with its template
/// pin, before its `source:`.
fn with_pin(plan: &str, pin: &str) -> String {
    let Some(at) = plan.trim_end().rfind('\n') else {
        return plan.to_string();
    };
    let source = &plan[at + 1..];
    let indent: String = source.chars().take_while(|c| *c == ' ').collect();
    format!(
        "{}\n{indent}template: {}\n{source}",
        &plan[..at],
        scalar(pin)
    )
}

/// A value as YAML writes it: plain when that reads back the same, else
/// double-quoted.
pub(crate) fn scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && !value.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.contains(['\n', '\t'])
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && value.parse::<f64>().is_err();
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The (key, value) lines an approval records.
fn fields(approval: &ApprovalToRecord) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("status", "approved".to_string()),
        ("approved", approval.approved.format("%Y-%m-%d").to_string()),
        ("approved_by", scalar(&approval.by)),
    ];
    if let Some(minute) = &approval.minute {
        out.push(("minute", scalar(minute)));
    }
    if let Some(next) = &approval.next_review {
        out.push(("next_review", next.clone()));
    }
    out.push(("source", format!("versions/{}", approval.id)));
    out
}

/// The draft's entry, approved: each key's value replaced on its own line
/// (a comment after it kept), missing keys added after the entry.
fn approve_in_place(
    text: &str,
    sources: &Sources,
    document: &Document,
    entry: &VersionEntry,
    approval: &ApprovalToRecord,
) -> String {
    let present: Vec<(&str, Option<&Text>)> = vec![
        ("status", Some(&entry.status)),
        ("approved", entry.approved.as_ref()),
        ("approved_by", entry.approved_by.as_ref()),
        ("minute", entry.minute.as_ref()),
        ("next_review", entry.next_review.as_ref()),
        ("source", entry.source.as_ref()),
    ];
    let line_of = |value: &Text| {
        let at = document.span_of(sources, value).start;
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        start..end
    };
    // Keys line up under `status:`.
    let status_line = line_of(&entry.status);
    let indent: String = text[status_line.clone()]
        .chars()
        .take_while(|c| *c == ' ')
        .collect();
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut additions = String::new();
    for (key, value) in fields(approval) {
        match present
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| *v)
        {
            Some(existing) => {
                let line = line_of(existing);
                let mut with = set_value(&text[line.clone()], &value);
                if key == "status" {
                    // A comment on the draft's status line describes the
                    // draft; it would mislead once approved.
                    with = set_value(&strip_comment(&text[line.clone()]), &value);
                }
                replacements.push((line, with));
            }
            None => additions.push_str(&format!("\n{indent}{key}: {value}")),
        }
    }
    let mut edited = text.to_string();
    // From the end, so earlier offsets stay right.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = replacements;
    // New keys go under `status:`, where a reader looks for them.
    edits.push((status_line.end..status_line.end, additions));
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, with) in edits {
        edited.replace_range(range, &with);
    }
    edited
}

/// A `key: value  # comment` line with a new value, the comment kept in
/// its column where it fits.
pub(crate) fn set_value(line: &str, value: &str) -> String {
    let Some(colon) = line.find(':') else {
        return line.to_string();
    };
    let key = &line[..colon];
    let rest = &line[colon + 1..];
    let comment = comment_start(rest).map(|i| (colon + 1 + i, &rest[i..]));
    let mut out = format!("{key}: {value}");
    if let Some((column, comment)) = comment {
        let pad = column.saturating_sub(out.len()).max(1);
        out.push_str(&" ".repeat(pad));
        out.push_str(comment);
    }
    out
}

/// A line without its `#` comment.
pub(crate) fn strip_comment(line: &str) -> String {
    match line
        .find(':')
        .and_then(|colon| comment_start(&line[colon + 1..]).map(|i| colon + 1 + i))
    {
        Some(at) => line[..at].trim_end().to_string(),
        None => line.to_string(),
    }
}

/// Where a `#` comment starts in a value, outside quotes.
fn comment_start(rest: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

/// How a new entry of versions.yaml begins: the "- " before `id:` and
/// the indent of its other keys, as the first entry writes them (or the
/// usual layout), and the file's text ending in a new line to append to.
pub(crate) fn new_entry(
    text: &str,
    entries: &[VersionEntry],
    sources: &Sources,
    document: &Document,
) -> (String, String, String) {
    let (dash, indent) = entries
        .first()
        .map(|e| {
            let at = document.span_of(sources, &e.id).start;
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[start..at];
            let dash = prefix
                .find("id:")
                .map_or("- ".to_string(), |i| prefix[..i].to_string());
            let indent = " ".repeat(dash.chars().count());
            (dash, indent)
        })
        .unwrap_or_else(|| ("- ".into(), "  ".into()));
    let mut edited = text.to_string();
    if !edited.is_empty() && !edited.ends_with('\n') {
        edited.push('\n');
    }
    (dash, indent, edited)
}

/// A new entry after the others, in the file's own layout.
fn append_entry(
    text: &str,
    entries: &[VersionEntry],
    sources: &Sources,
    document: &Document,
    approval: &ApprovalToRecord,
) -> String {
    let (dash, indent, mut edited) = new_entry(text, entries, sources, document);
    edited.push_str(&format!("{dash}id: {}\n", scalar(&approval.id)));
    for (key, value) in fields(approval) {
        edited.push_str(&format!("{indent}{key}: {value}\n"));
    }
    edited
}

/// Reads the edited file back: it must parse, and the entry must say
/// what was asked.
fn check_edit(text: &str, approval: &ApprovalToRecord, pin: Option<&str>) -> Result<(), String> {
    let entries: Vec<VersionEntry> = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let entry = entries
        .iter()
        .find(|e| e.id.value.trim() == approval.id)
        .ok_or("the revision's entry is missing")?;
    let value = |t: &Option<Text>| t.as_ref().map(|t| t.value.trim().to_string());
    let expected_date = approval.approved.format("%Y-%m-%d").to_string();
    if entry.status.value.trim() != "approved"
        || value(&entry.approved).as_deref() != Some(expected_date.as_str())
        || value(&entry.approved_by).as_deref() != Some(approval.by.trim())
        || value(&entry.source) != Some(format!("versions/{}", approval.id))
        || value(&entry.template).as_deref() != pin
    {
        return Err("the edited entry does not read back as approved".into());
    }
    Ok(())
}

/// Copies content/ and data/ (less the site-wide files) to `frozen`,
/// through a temporary folder beside it so no half copy is ever left.
fn freeze(root: &Path, frozen: &Path) -> std::io::Result<()> {
    let parent = frozen.parent().unwrap_or(root);
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".release-")
        .tempdir_in(parent)?;
    for folder in ["content", "data"] {
        let from = root.join(folder);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.map_err(std::io::Error::other)?;
            let relative = entry
                .path()
                .strip_prefix(&from)
                .map_err(std::io::Error::other)?;
            let target = staging.path().join(folder).join(relative);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target)?;
            } else if !(folder == "data"
                && relative.parent() == Some(Path::new(""))
                && SITE_WIDE.iter().any(|name| relative == Path::new(name)))
            {
                std::fs::copy(entry.path(), &target)?;
            }
        }
    }
    let staged = staging.keep();
    std::fs::rename(&staged, frozen).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staged);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_comment_column() {
        assert_eq!(
            set_value(
                "  status: draft                    # draft or approved",
                "approved"
            ),
            "  status: approved                 # draft or approved"
        );
        assert_eq!(
            set_value("  source: working", "versions/2025-26"),
            "  source: versions/2025-26"
        );
    }

    #[test]
    fn awkward_values_are_quoted() {
        assert_eq!(scalar("the Governing Body"), "the Governing Body");
        assert_eq!(scalar("Minute 4: policies"), "\"Minute 4: policies\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("say \"hi\" # now"), "\"say \\\"hi\\\" # now\"");
    }
}
