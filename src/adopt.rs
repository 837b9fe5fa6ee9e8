//! `policyweb template adopt ID`: moves the working revision's pin to the
//! template's revision ID, editing data/versions.yaml in place as
//! `release` does (its comments and layout kept, the edit read back before
//! it is written). When the newest revision is approved, its pin never
//! moves: a draft revision reading the working tree is opened after it,
//! pinned to ID. Refuses while the site has errors, and refuses an ID the
//! template does not have or has not approved.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::load;
use crate::load::entries::VersionEntry;
use crate::model::Site;
use crate::release::{new_entry, scalar, set_value, strip_comment};

/// What was done.
#[derive(Debug, PartialEq, Eq)]
pub struct Adopted {
    /// The school revision now pinned to the template revision.
    pub revision: String,
    /// Its pin before, if it had one.
    pub from: Option<String>,
    /// The template revision adopted.
    pub to: String,
    /// A draft was opened for it after the approved newest revision.
    pub opened: bool,
    /// The pin was already there: nothing was written.
    pub unchanged: bool,
}

/// What to adopt, and the draft to open if one is needed.
pub struct Request<'a> {
    pub id: &'a str,
    /// The new draft's id when the newest revision is approved; `None`
    /// for the school year after the newest (`2025-26` → `2026-27`).
    pub draft: Option<&'a str>,
}

/// Adopts `request.id` of `template` (the template read whole), given the
/// school site's errors now (its files and every error a build stops on);
/// refuses, changing nothing, while there are any.
pub fn adopt(
    root: &Path,
    request: &Request,
    template: &Site,
    site: (Sources, Diagnostics),
) -> Result<Adopted, (Sources, Diagnostics)> {
    let (sources, diagnostics) = site;
    let refuse = |mut diagnostics: Diagnostics, diagnostic: Diagnostic| {
        diagnostics.push(diagnostic);
        Err((sources.clone(), diagnostics))
    };
    if diagnostics.has_errors() {
        let count = diagnostics.error_count();
        return refuse(diagnostics, refusal(count));
    }
    let id = request.id;
    let approved: Vec<&str> = template
        .revisions
        .iter()
        .filter(|r| r.approval.is_approved())
        .map(|r| r.id.as_str())
        .collect();
    let known = if approved.is_empty() {
        "the template has no approved revision yet".to_string()
    } else {
        format!("its approved revisions are {}", approved.join(", "))
    };
    match template.revision(id) {
        None => {
            return refuse(
                diagnostics,
                Diagnostic::error(format!("the template has no revision `{id}`")).help(format!(
                    "{known}{}",
                    crate::ids::closest(id, approved.iter().copied())
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default()
                )),
            );
        }
        Some(revision) if !revision.approval.is_approved() => {
            return refuse(
                diagnostics,
                Diagnostic::error(format!(
                    "template revision {id} is a draft, not yet approved"
                ))
                .help(format!(
                    "a school adopts only what the template's owners have approved; {known}"
                )),
            );
        }
        Some(_) => {}
    }
    let mut file = Sources::default();
    let versions = load::read_versions(root, &mut file, &mut Diagnostics::default());
    let Some((document, entries)) = &versions else {
        return refuse(
            diagnostics,
            Diagnostic::error("data/versions.yaml could not be read").in_file("data/versions.yaml"),
        );
    };
    let Some(newest) = entries.last() else {
        return refuse(
            diagnostics,
            Diagnostic::error("data/versions.yaml lists no revision").in_file("data/versions.yaml"),
        );
    };
    let text = &file.get(document.source).text;
    let line_of = |at: usize| {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        start..end
    };
    let pin_of = |entry: &VersionEntry| {
        entry
            .template
            .as_ref()
            .map(|pin| pin.value.trim().to_string())
    };
    let newest_id = newest.id.value.trim().to_string();
    let (plan, adopted) = if newest.status.value.trim() == "approved" {
        if load::reads_working_tree(newest, true) {
            return refuse(
                diagnostics,
                Diagnostic::error(format!("revision {newest_id} is approved and reads content/ and data/"))
                    .at(document.source, document.span_of(&file, &newest.id))
                    .help(format!("an approved revision's text must stay as it was approved: first point it at where that text is kept (`source: versions/{newest_id}` or `git:<tag>`), then adopt {id}")),
            );
        }
        let draft = match request.draft {
            Some(draft) => draft.to_string(),
            None => match next_year(&newest_id) {
                Some(next) => next,
                None => {
                    return refuse(
                        diagnostics,
                        Diagnostic::error(format!(
                            "revision {newest_id} is approved, so adopting opens a draft, and it needs an id"
                        ))
                        .help(format!("name it: policyweb template adopt {id} --draft <new revision id>")),
                    );
                }
            },
        };
        if !crate::ids::is_valid_id(&draft) {
            return refuse(
                diagnostics,
                Diagnostic::error(format!("`{draft}` is not a valid revision id"))
                    .help("use lower-case letters, digits and hyphens, such as 2026-27"),
            );
        }
        if entries.iter().any(|e| e.id.value.trim() == draft) {
            return refuse(
                diagnostics,
                Diagnostic::error(format!("data/versions.yaml already has a revision {draft}"))
                    .in_file("data/versions.yaml")
                    .help("give the new draft its own id with --draft"),
            );
        }
        let plan = append_draft(text, &file, document, entries, &draft, id);
        (
            plan,
            Adopted {
                revision: draft,
                from: pin_of(newest),
                to: id.to_string(),
                opened: true,
                unchanged: false,
            },
        )
    } else {
        let from = pin_of(newest);
        if from.as_deref() == Some(id) {
            return Ok(Adopted {
                revision: newest_id,
                from,
                to: id.to_string(),
                opened: false,
                unchanged: true,
            });
        }
        let plan = match &newest.template {
            Some(pin) => {
                // A comment on the pin describes the old one; it would
                // mislead once moved.
                let line = line_of(document.span_of(&file, pin).start);
                let mut edited = text.to_string();
                edited.replace_range(
                    line.clone(),
                    &set_value(&strip_comment(&text[line]), &scalar(id)),
                );
                edited
            }
            None => {
                // Under `status:`, lined up with it.
                let status = line_of(document.span_of(&file, &newest.status).start);
                let indent: String = text[status.clone()]
                    .chars()
                    .take_while(|c| *c == ' ')
                    .collect();
                let mut edited = text.to_string();
                edited.insert_str(status.end, &format!("\n{indent}template: {}", scalar(id)));
                edited
            }
        };
        (
            plan,
            Adopted {
                revision: newest_id,
                from,
                to: id.to_string(),
                opened: false,
                unchanged: false,
            },
        )
    };
    let before: Vec<(String, Option<String>)> = entries
        .iter()
        .map(|e| (e.id.value.trim().to_string(), pin_of(e)))
        .collect();
    if let Err(problem) = check_edit(&plan, &adopted, &before) {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("cannot edit data/versions.yaml safely: {problem}"))
                .in_file("data/versions.yaml")
                .help(format!(
                    "write `template: {id}` on revision {}'s entry in data/versions.yaml by hand",
                    adopted.revision
                )),
        );
    }
    if let Err(error) =
        crate::output::replace_file(&root.join("data").join("versions.yaml"), plan.as_bytes())
    {
        return refuse(
            diagnostics,
            Diagnostic::error(format!("cannot write data/versions.yaml: {error}"))
                .help("check that the site folder is writable; nothing was changed"),
        );
    }
    Ok(adopted)
}

/// Why nothing was adopted: the site's `count` errors.
pub fn refusal(count: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "template adopt refused: the site has {count} error{} to fix first",
        if count == 1 { "" } else { "s" }
    ))
    .help("fix the errors above, then adopt the template revision again")
}

/// The school year after `2025-26`: `2026-27`.
pub fn next_year(id: &str) -> Option<String> {
    let (first, second) = id.split_once('-')?;
    if first.len() != 4 || second.len() != 2 {
        return None;
    }
    let year: u32 = first.parse().ok()?;
    let short: u32 = second.parse().ok()?;
    (short == (year + 1) % 100).then(|| format!("{}-{:02}", year + 1, (year + 2) % 100))
}

/// A draft entry after the others, in the file's own layout: it reads the
/// working tree, pinned to `pin`.
fn append_draft(
    text: &str,
    sources: &Sources,
    document: &crate::load::yaml::Document,
    entries: &[VersionEntry],
    draft: &str,
    pin: &str,
) -> String {
    let (dash, indent, mut edited) = new_entry(text, entries, sources, document);
    edited.push_str(&format!("{dash}id: {}\n", scalar(draft)));
    edited.push_str(&format!("{indent}status: draft\n"));
    edited.push_str(&format!("{indent}source: working\n"));
    edited.push_str(&format!("{indent}template: {}\n", scalar(pin)));
    edited
}

/// Reads the edited file back: it must parse, and the revision must be
/// pinned as asked, every other entry's pin as it was (`before`: each
/// entry's id and pin).
fn check_edit(
    text: &str,
    adopted: &Adopted,
    before: &[(String, Option<String>)],
) -> Result<(), String> {
    let entries: Vec<VersionEntry> = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let kept = before.len() - usize::from(!adopted.opened);
    let same = entries.len() == kept + 1
        && entries.iter().zip(&before[..kept]).all(|(e, (id, pin))| {
            e.id.value.trim() == id
                && e.template.as_ref().map(|t| t.value.trim().to_string()) == *pin
        });
    if !same {
        return Err("the other revisions do not read back as they were".into());
    }
    let entry = entries
        .last()
        .filter(|e| e.id.value.trim() == adopted.revision)
        .ok_or("the revision's entry is not the last")?;
    if entry.template.as_ref().map(|t| t.value.trim()) != Some(adopted.to.as_str()) {
        return Err("the edited entry does not read back with the new pin".into());
    }
    if adopted.opened && entry.status.value.trim() != "draft" {
        return Err("the new entry does not read back as a draft".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_school_year_follows_the_last() {
        assert_eq!(next_year("2025-26").as_deref(), Some("2026-27"));
        assert_eq!(next_year("2099-00").as_deref(), Some("2100-01"));
        assert_eq!(next_year("2025-27"), None);
        assert_eq!(next_year("spring-2025"), None);
    }
}
