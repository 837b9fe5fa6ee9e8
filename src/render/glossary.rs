//! The glossary page of a view (`<view>/glossary/`): every term of the
//! revision's glossary.yaml, alphabetically, with what it stands for, what
//! it means and where to read more. Each first use of a term on a page
//! links to its entry here. A revision without a glossary has no page.

use serde::Serialize;

use super::ViewOutput;
use super::context::{Edition, PageSpec, ViewPage, chrome, view_crumbs};
use super::theme::Theme;
use crate::model::Site;
use crate::urls;

#[derive(Serialize)]
struct Entry {
    anchor: String,
    term: String,
    stands_for: String,
    meaning: Option<String>,
    url: Option<String>,
}

/// Whether the edition has a glossary page to link to.
pub fn has_page(edition: &Edition) -> bool {
    !edition.revision.glossary.is_empty()
}

pub fn page(site: &Site, theme: &Theme, edition: &Edition, output: &mut ViewOutput) {
    if !has_page(edition) {
        return;
    }
    let path = urls::glossary(&edition.base);
    let mut terms: Vec<Entry> = edition
        .revision
        .glossary
        .iter()
        .map(|term| Entry {
            anchor: urls::term_anchor(&term.id),
            term: term.term.clone(),
            stands_for: term.stands_for.clone(),
            meaning: term.meaning.clone(),
            url: term.url.clone(),
        })
        .collect();
    terms.sort_by_cached_key(|t| (super::a_z::sort_key(&t.term), t.term.clone()));
    let spec = PageSpec {
        path: &path,
        title: "Glossary".into(),
        description: format!(
            "The abbreviations and words the {} uses, written out.",
            site.settings.policy_title
        ),
        view: Some((edition, ViewPage::Glossary)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = tera::Context::new();
    context.insert("page", &chrome(site, &spec));
    context.insert("terms", &terms);
    context.insert("a_z", &urls::relative(&path, &urls::a_z(&edition.base)));
    output.page(theme, "glossary.html", &path, context);
}
