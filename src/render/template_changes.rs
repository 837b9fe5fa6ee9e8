//! The governance view's `template/` page: what the template's newest
//! approved revision changes against the one the school's revision in force
//! is built on, sorted as `changes::template` sorts it, with the counts at
//! the top and the word marks the change pages use. Written only for a
//! site built on a template.

use serde::Serialize;

use super::ViewOutput;
use super::context::{Edition, PageSpec, ViewPage, chrome};
use super::revisions::{Shown, elided_html, marked_html, shown_blocks};
use super::theme::Theme;
use crate::changes::SectionChange;
use crate::changes::template::{self, SchoolText, Standing};
use crate::html::escape;
use crate::model::Site;
use crate::urls;

#[derive(Serialize)]
struct SectionView {
    anchor: String,
    title: String,
    id: String,
    headline: String,
    /// The section's page in this view, when the school's revision has it.
    url: Option<String>,
    /// Its blocks with changes marked, as HTML.
    marked: Vec<String>,
    /// A line about the school's side, when there is one to say.
    note: Option<String>,
}

#[derive(Serialize)]
struct ReplacedView {
    #[serde(flatten)]
    section: SectionView,
    /// The school's text now, block by block (escaped), or why it is left
    /// out.
    school: Vec<String>,
    omitted: Option<String>,
}

#[derive(Serialize)]
struct FillView {
    id: String,
    prompt: String,
    old_prompt: Option<String>,
    filled: bool,
}

#[derive(Serialize)]
struct CountLine {
    count: usize,
    label: String,
    anchor: &'static str,
}

/// Writes `governors/template/` for `edition`'s view, when the site has a
/// template.
pub fn page(site: &Site, theme: &Theme, edition: &Edition, output: &mut ViewOutput) {
    let Some(standing) = template::in_force(site) else {
        return;
    };
    let view = edition.view;
    let path = urls::template_changes(&view.id);
    let school_revision = site.current().unwrap_or_else(|| site.newest());
    let section_url = |id: &str| {
        school_revision
            .section(id)
            .filter(|s| s.shown_in(&view.id))
            .map(|_| urls::relative(&path, &urls::section(&edition.base, id)))
    };
    let section_view = |change: &SectionChange, note: Option<String>| {
        let id = change
            .new
            .as_ref()
            .or(change.old.as_ref())
            .map_or(String::new(), |s| s.id.clone());
        SectionView {
            anchor: format!("template-{id}"),
            title: change.title().to_string(),
            url: section_url(&id),
            id,
            headline: change.headline(),
            marked: shown_blocks(change)
                .into_iter()
                .map(|shown| match shown {
                    Shown::Block(block) => marked_html(block),
                    Shown::Elided(count) => elided_html(count),
                })
                .collect(),
            note,
        }
    };
    let template_name = match &standing {
        Standing::Unreadable { template, .. }
        | Standing::NothingApproved { template }
        | Standing::UpToDate { template, .. } => template.clone(),
        Standing::Behind { changes, .. } => changes.template.clone(),
    };
    let mut context = tera::Context::new();
    context.insert("template_name", &template_name);
    context.insert("school_revision", &school_revision.id);
    context.insert("adopted_in_draft", &template::adopted_in_draft(site));
    context.insert(
        "state",
        match &standing {
            Standing::Unreadable { .. } => "unreadable",
            Standing::NothingApproved { .. } => "nothing-approved",
            Standing::UpToDate { .. } => "up-to-date",
            Standing::Behind { .. } => "behind",
        },
    );
    if let Standing::UpToDate { pinned, .. } = &standing {
        context.insert("pinned", pinned);
    }
    if let Standing::Behind {
        changes,
        waiting,
        waiting_since,
        ..
    } = &standing
    {
        let c = &changes.counts;
        let phrases = template::count_phrases(c);
        let anchors = [
            "inherited-changes",
            "replaced-changes",
            "new-sections",
            "removed-sections",
            "fill-ins",
        ];
        let numbers = [c.inherited, c.replaced, c.added, c.removed, c.fills];
        let counts: Vec<CountLine> = phrases
            .iter()
            .zip(numbers)
            .zip(anchors)
            .map(|((phrase, count), anchor)| CountLine {
                count,
                label: phrase
                    .split_once(' ')
                    .map_or(phrase.clone(), |(_, rest)| rest.to_string()),
                anchor,
            })
            .collect();
        context.insert("counts", &counts);
        context.insert("total", &c.total());
        context.insert("pinned", &changes.pinned);
        context.insert("newest", &changes.newest);
        context.insert("waiting", waiting);
        context.insert(
            "waiting_since",
            &waiting_since
                .as_deref()
                .and_then(|d| crate::model::PolicyDate::parse(d).ok())
                .map(|d| d.long()),
        );
        let inherited: Vec<SectionView> = changes
            .inherited
            .iter()
            .map(|c| section_view(c, None))
            .collect();
        let replaced: Vec<ReplacedView> = changes
            .replaced
            .iter()
            .map(|r| {
                let note = r.new_id.as_ref().map(|id| {
                    format!(
                        "The template now gives this section the id `{id}`: the school’s file must take that id to go on replacing it."
                    )
                });
                let (school, omitted) = match &r.school {
                    SchoolText::Replaced { blocks } => (
                        blocks
                            .iter()
                            .map(|b| {
                                format!(
                                    "<p class=\"block block-{}\">{}</p>",
                                    b.kind.describe().replace(' ', "-"),
                                    escape(&b.text)
                                )
                            })
                            .collect(),
                        None,
                    ),
                    SchoolText::Omitted { reason, .. } => (Vec::new(), Some(reason.clone())),
                };
                ReplacedView {
                    section: section_view(&r.template, note),
                    school,
                    omitted,
                }
            })
            .collect();
        let added: Vec<SectionView> = changes
            .added
            .iter()
            .map(|a| {
                let note = a.school_has_id.then(|| {
                    "The school already has a section with this id: once adopted, the school’s text replaces the template’s.".to_string()
                });
                section_view(&a.change, note)
            })
            .collect();
        let removed: Vec<SectionView> = changes
            .removed
            .iter()
            .map(|r| {
                let note = match &r.school {
                    Some(SchoolText::Replaced { .. }) => Some(
                        "The school replaced it: its own text stays, as a section of the school’s own."
                            .to_string(),
                    ),
                    Some(SchoolText::Omitted { file, .. }) => Some(format!(
                        "The school left it out: once adopted, the omit has nothing to leave out, and {file} must be removed."
                    )),
                    None => None,
                };
                section_view(&r.change, note)
            })
            .collect();
        let fills: Vec<FillView> = changes
            .fills
            .iter()
            .map(|f| FillView {
                id: f.id.clone(),
                prompt: f.prompt.clone(),
                old_prompt: f.old_prompt.clone(),
                filled: f.filled,
            })
            .collect();
        context.insert("inherited", &inherited);
        context.insert("replaced", &replaced);
        context.insert("added", &added);
        context.insert("removed", &removed);
        context.insert("fills", &fills);
    }
    let breadcrumbs = super::context::view_crumbs(site, edition, &path);
    let spec = PageSpec {
        path: &path,
        title: format!("What changed in the {template_name} template"),
        description: format!(
            "What the newest approved revision of the {template_name} template changes in the {}, and what the school must decide before adopting it.",
            site.settings.policy_title
        ),
        view: Some((edition, ViewPage::Template)),
        breadcrumbs,
    };
    context.insert("page", &chrome(site, &spec));
    output.page(theme, "template-changes.html", &path, context);
}
