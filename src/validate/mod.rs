//! Validate: every rule about what the site root means, and the building of
//! the immutable `Site` model. Collects every problem instead of stopping at
//! the first; a site with errors yields no model.
//!
//! Rules about references inside Markdown (`[[role:…]]`) depend on the view
//! being rendered and are checked by `markdown` while rendering.

mod accessibility;
mod curriculum;
mod data;
mod paper_copy;
pub mod placeholders;
mod sections;

pub use data::{NotABaseAddress, base_address};

pub use sections::RESERVED_IDS as RESERVED_SECTION_IDS;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics, Place, Sources};
use crate::load::Loaded;
use crate::load::data::Text;
use crate::load::yaml::Document;
use crate::model::{Revision, Site};

/// Checks everything `load` read and builds the `Site`. Returns the
/// diagnostics (warnings too) and the site when there were no errors.
/// Every revision is checked against its own data files.
pub fn validate(
    loaded: Loaded,
    today: NaiveDate,
    mut diagnostics: Diagnostics,
) -> (Option<Site>, Diagnostics) {
    let sources = &loaded.sources;
    let mut check = Checker {
        sources,
        diagnostics: &mut diagnostics,
        unreadable: &[],
    };
    check.diagnostics.extend(placeholders::left_in(sources));
    let settings = data::settings(&mut check, loaded.site.as_ref());
    let records = data::revision_records(&mut check, loaded.versions.as_ref());
    let view_ids: Vec<String> = settings
        .as_ref()
        .map(|s| s.views.iter().map(|v| v.id.clone()).collect())
        .unwrap_or_default();

    let mut revisions = Vec::new();
    for found in loaded.revisions {
        // Without site.yaml's views, every view id would be "unknown": one
        // mistake in site.yaml must not bury itself under dozens of those.
        let mut unreadable = found.data.unreadable.clone();
        if settings.is_none() {
            unreadable.push("site");
        }
        let mut check = Checker {
            sources,
            diagnostics: &mut diagnostics,
            unreadable: &unreadable,
        };
        let policy = data::policy_data(&mut check, &found.data, &view_ids);
        let sections = sections::sections(
            &mut check,
            &found.content.sections,
            &view_ids,
            &policy.roles,
            &policy.framework,
        );
        // With errors the model is still built where it can be, so that
        // rendering finds the problems in Markdown too; it is never written.
        let Some(record) = found
            .entry
            .and_then(|i| records.get(i))
            .and_then(Option::as_ref)
        else {
            continue;
        };
        revisions.push(Revision {
            id: record.id.clone(),
            approval: record.approval.clone(),
            next_review: record.next_review,
            next_review_place: record.next_review_place.clone(),
            source: found.source,
            sections,
            roles: policy.roles,
            people: policy.people,
            organisations: policy.organisations,
            documents: policy.documents,
            dates: policy.dates,
            checks: policy.checks,
            framework: policy.framework,
            curriculum: policy.curriculum,
            assets: found.content.assets,
            unreadable: found.data.unreadable,
        });
    }
    let complete = !records.is_empty() && revisions.len() == records.len();
    let (Some(settings), true) = (settings, complete) else {
        return (None, diagnostics);
    };
    let site = Site {
        root: loaded.root,
        sources: loaded.sources,
        settings,
        revisions,
        today,
        scratch: loaded.scratch,
        link_report: loaded.link_report,
    };
    (Some(site), diagnostics)
}

/// What every rule needs: the files, to place a problem, and the list to
/// add it to.
struct Checker<'a> {
    sources: &'a Sources,
    diagnostics: &'a mut Diagnostics,
    unreadable: &'a [&'static str],
}

impl Checker<'_> {
    /// Whether ids defined in `file` (`data/roles.yaml`) can be checked: not
    /// when the file itself could not be read.
    fn can_check(&self, file: &str) -> bool {
        !self
            .unreadable
            .iter()
            .any(|name| file == format!("data/{name}.yaml"))
    }

    fn error(
        &mut self,
        document: &Document,
        value: &Text,
        message: String,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::error(message), document, value, help.into());
    }

    fn warning(
        &mut self,
        document: &Document,
        value: &Text,
        message: String,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::warning(message), document, value, help.into());
    }

    /// An error at a value that is not text (a number, a list): one
    /// character wide, where the value starts.
    fn error_at<T>(
        &mut self,
        document: &Document,
        value: &serde_saphyr::Spanned<T>,
        message: String,
        help: &str,
    ) {
        self.push_at(Diagnostic::error(message), document, value, help);
    }

    /// `error_at`, for something the build can go on with.
    fn warn_at<T>(
        &mut self,
        document: &Document,
        value: &serde_saphyr::Spanned<T>,
        message: &str,
        help: &str,
    ) {
        self.push_at(Diagnostic::warning(message), document, value, help);
    }

    fn push_at<T>(
        &mut self,
        diagnostic: Diagnostic,
        document: &Document,
        value: &serde_saphyr::Spanned<T>,
        help: &str,
    ) {
        let span = document.point(self.sources, value);
        self.diagnostics
            .push(diagnostic.at(document.source, span).help(help.to_string()));
    }

    /// Where `value` is written, kept for a warning given after validation.
    fn place(&self, document: &Document, value: &Text) -> Place {
        Place::Span {
            source: document.source,
            bytes: document.span_of(self.sources, value),
        }
    }

    fn report(&mut self, diagnostic: Diagnostic, document: &Document, value: &Text, help: String) {
        let span = document.span_of(self.sources, value);
        self.diagnostics
            .push(diagnostic.at(document.source, span).help(help));
    }

    /// A required piece of text must not be blank, nor longer than a
    /// name or title can be: a name is printed on every page, and a pasted
    /// document in its place would make every page that large.
    fn text(&mut self, document: &Document, value: &Text, what: &str) -> String {
        let text = value.value.trim().to_string();
        if text.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS {
            self.error(
                document,
                value,
                format!(
                    "the {what} is {} characters long, more than the {MAX_TEXT_CHARS} a name or title may have",
                    text.chars().count()
                ),
                format!("shorten the {what}"),
            );
        } else if text.is_empty() {
            self.error(
                document,
                value,
                format!("{what} is empty"),
                format!("write the {what}"),
            );
        }
        text
    }
}

/// The longest id: ids name folders and files in the output (a view's
/// `parents/`, a revision's `versions/2024-25/`), and with room for what is
/// added to them this stays well inside the 255 bytes every file system
/// allows for a name.
pub const MAX_ID_CHARS: usize = 64;

/// The longest name, title or other one-line text in data/ and front matter.
pub const MAX_TEXT_CHARS: usize = 1000;

/// Why an id that is otherwise well formed cannot be used, if it is too long.
pub fn too_long(id: &str, kind: &str) -> Option<String> {
    (id.len() > MAX_ID_CHARS).then(|| {
        format!(
            "the {kind} id `{}` is too long: {} characters, at most {MAX_ID_CHARS}",
            crate::prose::shorten(id),
            id.chars().count()
        )
    })
}

/// Lower-case letters, digits and single hyphens: safe in a URL and in YAML.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The id nearest to `wrong` among `known`, for "did you mean" hints.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No id is longer than MAX_ID_CHARS, so nothing is near a much longer
    // value; comparing a pasted paragraph with every id would take long.
    if wrong.len() > 2 * MAX_ID_CHARS {
        return None;
    }
    known
        .into_iter()
        .filter(|k| k.len() <= 2 * MAX_ID_CHARS)
        .map(|k| (edit_distance(wrong, k), k))
        .filter(|(d, k)| *d <= (k.len().max(wrong.len()) / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// "did you mean `dsl`?" or a pointer to where the ids are defined.
pub fn unknown_help<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
    file: &str,
) -> String {
    match closest(wrong, known) {
        Some(near) => format!("did you mean `{near}`? The ids are defined in {file}"),
        None => format!("use an id defined in {file}, or add an entry there"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe() {
        assert!(is_valid_id("online-safety-lead"));
        assert!(is_valid_id("year-1-teacher"));
        assert!(!is_valid_id("Online Safety"));
        assert!(!is_valid_id("dsl-"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id(&"a".repeat(MAX_ID_CHARS)));
        assert!(!is_valid_id(&"a".repeat(MAX_ID_CHARS + 1)));
    }

    #[test]
    fn suggests_the_nearest_id() {
        assert_eq!(closest("dls", ["dsl", "headteacher"]), Some("dsl"));
        assert_eq!(
            closest("tom-clark", ["tom-clarke", "vicky-hodgson"]),
            Some("tom-clarke")
        );
        assert_eq!(closest("zzz", ["dsl"]), None);
    }
}
