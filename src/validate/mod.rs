//! Validate: every rule about what the site root means, and the building of
//! the immutable `Site` model. Collects every problem instead of stopping at
//! the first. A site with errors still yields a model wherever site.yaml
//! and versions.yaml could be read, so that its Markdown can be read for
//! its own problems in the same run; it is never rendered or written
//! (`commands::load_checked_site` hands on only a site without errors).
//!
//! Rules about references inside Markdown (`[[role:…]]`) depend on the view
//! that shows the section: `section_reads` reads every section once for
//! each revision and view that shows it, resolving and checking them (with
//! the rest of the Markdown stage's rules), and keeps what it read for
//! render to lay out.

mod accessibility;
mod curriculum;
mod data_rules;
mod glossary;
mod paper_copy;
pub mod placeholders;
pub mod section_reads;
mod sections;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics, Place, Sources};
use crate::load::Loaded;
use crate::load::entries::Text;
use crate::load::yaml::Document;
use crate::model::{Revision, Site};

pub use section_reads::SectionReads;

/// Checks everything `load` read and builds the `Site`. Returns the
/// diagnostics (warnings too) and the site whenever site.yaml and every
/// revision's entry could be read, errors or not: callers go on only
/// through `commands::load_checked_site`.
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
    let settings = data_rules::settings(&mut check, loaded.site.as_ref());
    let records = data_rules::revision_records(&mut check, loaded.versions.as_ref());
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
        let policy = data_rules::policy_data(&mut check, &found.data, &view_ids);
        let fills = data_rules::fills(&mut check, &found.data);
        let glossary = glossary::glossary(&mut check, &found.data);
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
            glossary,
            assets: found.content.assets,
            unreadable: found.data.unreadable,
            template: found.template,
            fills,
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
        template: None,
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

/// The longest name, title or other one-line text in data/ and front matter.
pub const MAX_TEXT_CHARS: usize = 1000;
