//! The pages of a site, one function per kind: landing, a view's contents,
//! sections, the print page, who's who, organisations, reviews, 404, the
//! accessibility statement (its context in `accessibility`), sitemap. Each builds its context and names its template.

use serde::Serialize;
use tera::Context;

use super::ViewOutput;
use super::context::{Edition, Link, PageSpec, Standing, ViewPage, chrome, view_crumbs};
use super::theme::Theme;
use crate::changes::Comparisons;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::internal::PageTags;
use crate::markdown::{self, Mode, Page, RenderedSection};
use crate::model::{Section, Site, View};
use crate::output::Tree;
use crate::schedule::{self, Due, Kind};
use crate::urls;

fn page_context(site: &Site, spec: &PageSpec) -> Context {
    let mut context = Context::new();
    context.insert("page", &chrome(site, spec));
    context
}

#[derive(Serialize)]
struct ContentsItem {
    title: String,
    url: String,
    summary: Option<String>,
    children: Vec<ContentsItem>,
}

/// The sections under `parent` (all, for `None`) that the view shows, as
/// a tree; `item` gives each section's link and summary.
fn contents_tree(
    edition: &Edition,
    parent: Option<usize>,
    item: &dyn Fn(&Section) -> (String, Option<String>),
) -> Vec<ContentsItem> {
    edition
        .revision
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.parent == parent && s.shown_in(&edition.view.id))
        .map(|(i, s)| {
            let (url, summary) = item(s);
            ContentsItem {
                title: s.title.clone(),
                url,
                summary,
                children: contents_tree(edition, Some(i), item),
            }
        })
        .collect()
}

/// The contents list of a page at `from`, linking to the section pages.
fn contents(edition: &Edition, from: &str, parent: Option<usize>) -> Vec<ContentsItem> {
    contents_tree(edition, parent, &|s| {
        (
            urls::relative(from, &urls::section(&edition.base, &s.id)),
            s.summary.clone(),
        )
    })
}

/// Every page of one revision in one view, and the images it shows: only
/// those, so that a file beside a section another view reads (a restricted
/// one) is never published with this one. A governance view's reviews and
/// links pages come later (`link_pages`).
/// `read` is each section as validation read it, in the order `shown`
/// gives, when it was read for this edition: for its own page, and for
/// the print page when a preview keeps that too.
pub fn edition_pages(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    (read, printed): (Option<&[RenderedSection]>, Option<&[RenderedSection]>),
    comparisons: &Comparisons,
    output: &mut ViewOutput,
) {
    contents_page(site, theme, edition, comparisons, output);
    let sections = edition.shown();
    let updated = super::changes_view::updated_sections(site, edition, comparisons);
    let read = read.filter(|read| read.len() == sections.len());
    let facts: Vec<super::a_z::SectionFacts> = (0..sections.len())
        .map(|position| {
            let read = read.map(|read| &read[position]);
            section_page(
                site, theme, edition, &sections, position, read, &updated, output,
            )
        })
        .collect();
    all_page(site, theme, edition, &sections, printed, output);
    people_page(site, theme, edition, output);
    organisations_page(site, theme, edition, output);
    super::glossary::page(site, theme, edition, output);
    super::a_z::page(site, theme, edition, &sections, &facts, output);
    for asset in &edition.revision.assets {
        if !output.images.contains(&asset.path) {
            continue;
        }
        let path = urls::content_asset(&edition.revision.id, &asset.path);
        if output.tree.files.contains_key(&path) {
            continue;
        }
        match std::fs::read(&asset.absolute) {
            Ok(bytes) => output.tree.insert(path, bytes),
            Err(error) => output.diagnostics.push(
                Diagnostic::error(format!("cannot read content/{}: {error}", asset.path))
                    .in_file(format!("content/{}", asset.path)),
            ),
        }
    }
}

fn contents_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    comparisons: &Comparisons,
    output: &mut ViewOutput,
) {
    let view = edition.view;
    let path = urls::view(&edition.base);
    let mut breadcrumbs = view_crumbs(site, edition, &path);
    breadcrumbs.pop();
    let spec = PageSpec {
        path: &path,
        title: match edition.standing {
            Standing::Current => view.title.clone(),
            Standing::Earlier => format!("{}: revision {}", view.title, edition.revision.id),
            Standing::Draft => format!("{}: draft revision {}", view.title, edition.revision.id),
        },
        description: view.description.clone(),
        view: Some((edition, ViewPage::Contents)),
        breadcrumbs,
    };
    let mut context = page_context(site, &spec);
    context.insert("view_description", &view.description);
    context.insert("contents", &contents(edition, &path, None));
    if view.governance
        && let Some(template) = &edition.revision.template
    {
        context.insert("template", &template_facts(template));
    }
    if view.governance && edition.standing == Standing::Current {
        context.insert("pending", &super::revisions::pending(site, view, &path));
    }
    if edition.standing == Standing::Current {
        context.insert(
            "latest",
            &super::changes_view::latest(site, view, &path, comparisons),
        );
    }
    output.page(theme, "view.html", &path, context);
}

/// What a governance view's contents page says of the template: which
/// revision of it the policy is built on, and the sections left out.
#[derive(Serialize)]
struct TemplateFacts {
    /// "the Anyshire Council template", "the National Model Policy template".
    label: String,
    pin: String,
    omitted: Vec<OmittedSection>,
}

#[derive(Serialize)]
struct OmittedSection {
    title: String,
    reason: String,
}

fn template_facts(template: &crate::model::TemplateUse) -> TemplateFacts {
    TemplateFacts {
        label: template_label(&template.name),
        pin: template.pin.clone(),
        omitted: template
            .omitted
            .iter()
            .map(|o| OmittedSection {
                title: o.title.clone(),
                reason: o.reason.clone(),
            })
            .collect(),
    }
}

/// How a template is named in a sentence: its name, with "template" after
/// it unless the name already ends so.
fn template_label(name: &str) -> String {
    if name.to_lowercase().ends_with("template") {
        name.to_string()
    } else {
        format!("{name} template")
    }
}

/// Whose words a section is, in a view that says so: `None` elsewhere, and
/// in a site without a template.
pub(super) fn origin_mark(edition: &Edition, section: &Section) -> Option<String> {
    let template = edition.revision.template.as_ref()?;
    if !edition.view.template_marks {
        return None;
    }
    Some(match section.origin {
        crate::model::Origin::Own => "Written by the school".to_string(),
        crate::model::Origin::Replaced => format!(
            "Written by the school, in place of the {}'s section",
            template_label(&template.name)
        ),
        crate::model::Origin::Template => format!("From the {}", template_label(&template.name)),
    })
}

#[derive(Serialize)]
struct Owner {
    title: String,
    holders: Vec<String>,
    url: String,
}

/// A curriculum strand a section is about, linked where the view has
/// strand pages.
#[derive(Serialize)]
struct StrandTag {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct TocEntry {
    id: String,
    text: String,
}

#[allow(clippy::too_many_arguments)]
fn section_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    sections: &[&Section],
    position: usize,
    read: Option<&RenderedSection>,
    updated: &std::collections::HashMap<String, String>,
    output: &mut ViewOutput,
) -> super::a_z::SectionFacts {
    let (view, revision, base) = (edition.view, edition.revision, edition.base.as_str());
    let section = sections[position];
    let path = urls::section(base, &section.id);
    // Validation's reading, borrowed: its HTML was copied for every page
    // (0.5% of a trust's build, in memcpy alone).
    let fresh;
    let rendered = match read {
        Some(read) => read,
        None => {
            fresh = markdown::render(&Page::new(site, edition, section, &path, Mode::Section));
            &fresh
        }
    };
    output.absorb(&path, section.source, rendered);

    let mut breadcrumbs = view_crumbs(site, edition, &path);
    let mut ancestors = Vec::new();
    let mut parent = section.parent;
    while let Some(index) = parent {
        let ancestor = &revision.sections[index];
        ancestors.push(Link {
            title: ancestor.title.clone(),
            url: urls::relative(&path, &urls::section(base, &ancestor.id)),
        });
        parent = ancestor.parent;
    }
    breadcrumbs.extend(ancestors.into_iter().rev());

    let link_to = |s: &Section| Link {
        title: s.title.clone(),
        url: urls::relative(&path, &urls::section(base, &s.id)),
    };
    let index = revision.sections.iter().position(|s| s.id == section.id);
    let children: Vec<ContentsItem> = contents(edition, &path, index);
    let owner = section
        .owner
        .as_ref()
        .and_then(|id| revision.role(id))
        .map(|role| Owner {
            title: role.title.clone(),
            holders: revision.holders(&role.id).map(|p| p.name.clone()).collect(),
            url: urls::relative(
                &path,
                &format!("{}#{}", urls::people(base), urls::role_anchor(&role.id)),
            ),
        });
    let strand_pages = super::curriculum::has_pages(edition) && view.curriculum.strands;
    let strands: Vec<StrandTag> = section
        .strands
        .iter()
        .filter_map(|id| revision.framework.strand(id))
        .map(|strand| StrandTag {
            name: strand.name.clone(),
            url: strand_pages
                .then(|| urls::relative(&path, &urls::curriculum_strand(base, &strand.id))),
        })
        .collect();
    let toc: Vec<TocEntry> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| TocEntry {
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();

    let spec = PageSpec {
        path: &path,
        title: section.title.clone(),
        description: section
            .summary
            .clone()
            .unwrap_or_else(|| view.description.clone()),
        view: Some((edition, ViewPage::Section)),
        breadcrumbs,
    };
    let mut context = page_context(site, &spec);
    context.insert("title", &section.title);
    context.insert("summary", &section.summary);
    context.insert("body", &rendered.html);
    context.insert("owner", &owner);
    context.insert("origin", &origin_mark(edition, section));
    context.insert("strands", &strands);
    context.insert("toc", &toc);
    context.insert("children", &children);
    context.insert(
        "previous",
        &position.checked_sub(1).map(|p| link_to(sections[p])),
    );
    context.insert("next", &sections.get(position + 1).map(|s| link_to(s)));
    context.insert(
        "updated",
        &updated
            .get(&section.id)
            .map(|change| urls::relative(&path, change)),
    );
    output.page(theme, "section.html", &path, context);
    super::a_z::SectionFacts {
        headings: rendered.headings.clone(),
        references: rendered.references.clone(),
    }
}

#[derive(Serialize)]
struct PrintSection<'a> {
    id: &'a str,
    title: &'a str,
    level: usize,
    body: &'a str,
    origin: Option<String>,
}

/// The print page; `kept` is each section as it reads there, when a
/// preview kept that (`validate::SectionReads::print_of`).
fn all_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    sections: &[&Section],
    kept: Option<&[RenderedSection]>,
    output: &mut ViewOutput,
) {
    let view = edition.view;
    let path = urls::all_sections(&edition.base);
    let read: Vec<RenderedSection>;
    let read = match kept.filter(|kept| kept.len() == sections.len()) {
        Some(kept) => kept,
        None => {
            read = read_for_print(site, edition, sections, &path);
            &read
        }
    };
    let mut printed = Vec::new();
    for (section, rendered) in sections.iter().zip(read) {
        output.absorb(&path, section.source, rendered);
        printed.push(PrintSection {
            id: &section.id,
            title: &section.title,
            level: (2 + section.depth).min(6),
            body: &rendered.html,
            origin: origin_mark(edition, section),
        });
    }
    let spec = PageSpec {
        path: &path,
        title: format!("{}: the whole policy", view.title),
        description: format!(
            "Every section of the {} for {}, on one page for printing.",
            site.settings.policy_title, view.title
        ),
        view: Some((edition, ViewPage::All)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = page_context(site, &spec);
    context.insert("sections", &printed);
    context.insert("contents", &contents_in_page(edition));
    context.insert("paper_copy", &super::paper_copy::notice(site));
    context.insert(
        "printed",
        &super::paper_copy::printed(site, edition.revision),
    );
    output.page(theme, "all.html", &path, context);
}

/// Each section as the print page at `path` shows it, one after another:
/// a glossary term is marked at its first use on the page, not in each
/// section.
fn read_for_print(
    site: &Site,
    edition: &Edition,
    sections: &[&Section],
    path: &str,
) -> Vec<RenderedSection> {
    let mut terms_seen: Vec<String> = Vec::new();
    sections
        .iter()
        .map(|section| {
            let mut page = Page::new(site, edition, section, path, Mode::All);
            page.terms_seen = &terms_seen;
            let rendered = markdown::render(&page);
            terms_seen.extend(rendered.terms.iter().cloned());
            rendered
        })
        .collect()
}

/// The contents list of the print page, linking within the page.
fn contents_in_page(edition: &Edition) -> Vec<ContentsItem> {
    contents_tree(edition, None, &|s| (format!("#{}", s.id), None))
}

#[derive(Serialize)]
struct RoleEntry {
    anchor: String,
    title: String,
    description: String,
    holders: Vec<Link>,
}

#[derive(Serialize)]
struct PersonEntry {
    anchor: String,
    name: String,
    roles: Vec<Link>,
    organisation: Option<Link>,
    email: Option<String>,
    phone: Option<String>,
}

fn people_page(site: &Site, theme: &Theme, edition: &Edition, output: &mut ViewOutput) {
    let (view, revision) = (edition.view, edition.revision);
    let path = urls::people(&edition.base);
    let roles: Vec<RoleEntry> = revision
        .roles
        .iter()
        .map(|role| RoleEntry {
            anchor: urls::role_anchor(&role.id),
            title: role.title.clone(),
            description: role.description.clone(),
            holders: revision
                .holders(&role.id)
                .map(|p| Link {
                    title: p.name.clone(),
                    url: format!("#{}", urls::person_anchor(&p.id)),
                })
                .collect(),
        })
        .collect();
    let people: Vec<PersonEntry> = revision
        .people
        .iter()
        .map(|person| {
            let contact = person
                .contact
                .as_ref()
                .filter(|c| c.views.contains(&view.id));
            PersonEntry {
                anchor: urls::person_anchor(&person.id),
                name: person.name.clone(),
                roles: person
                    .roles
                    .iter()
                    .filter_map(|r| revision.role(r))
                    .map(|r| Link {
                        title: r.title.clone(),
                        url: format!("#{}", urls::role_anchor(&r.id)),
                    })
                    .collect(),
                organisation: person
                    .organisation
                    .as_ref()
                    .and_then(|o| revision.organisation(o))
                    .map(|o| Link {
                        title: o.name.clone(),
                        url: o.url.clone().unwrap_or_default(),
                    }),
                email: contact.and_then(|c| c.email.clone()),
                phone: contact.and_then(|c| c.phone.clone()),
            }
        })
        .collect();
    let spec = PageSpec {
        path: &path,
        title: "Who’s who".into(),
        description: format!(
            "Who holds each role named in the {}.",
            site.settings.policy_title
        ),
        view: Some((edition, ViewPage::People)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = page_context(site, &spec);
    context.insert("roles", &roles);
    context.insert("people", &people);
    output.page(theme, "people.html", &path, context);
}

#[derive(Serialize)]
struct Category {
    name: String,
    id: String,
    organisations: Vec<OrganisationEntry>,
}

#[derive(Serialize)]
struct OrganisationEntry {
    anchor: String,
    name: String,
    url: Option<String>,
    helps_with: Option<String>,
}

fn organisations_page(site: &Site, theme: &Theme, edition: &Edition, output: &mut ViewOutput) {
    let view = edition.view;
    let path = urls::organisations(&edition.base);
    let mut categories: Vec<Category> = Vec::new();
    for org in edition
        .revision
        .organisations
        .iter()
        .filter(|o| o.views.contains(&view.id))
    {
        let name = org
            .category
            .clone()
            .unwrap_or_else(|| "Other organisations".into());
        let entry = OrganisationEntry {
            anchor: urls::organisation_anchor(&org.id),
            name: org.name.clone(),
            url: org.url.clone(),
            helps_with: org.helps_with.clone(),
        };
        match categories.iter_mut().find(|c| c.name == name) {
            Some(category) => category.organisations.push(entry),
            None => categories.push(Category {
                id: crate::slug::slug(&name),
                name,
                organisations: vec![entry],
            }),
        }
    }
    let spec = PageSpec {
        path: &path,
        title: "Organisations that can help".into(),
        description: "Organisations, helplines and resources the policy refers to.".into(),
        view: Some((edition, ViewPage::Organisations)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = page_context(site, &spec);
    context.insert("categories", &categories);
    output.page(theme, "organisations.html", &path, context);
}

#[derive(Serialize)]
struct ScheduleEntry {
    title: String,
    due: Option<String>,
    due_iso: Option<String>,
    state: &'static str,
    owners: Vec<String>,
    every: Option<String>,
    last_done: Option<String>,
    notes: Option<String>,
}

/// A governance view's reviews page and the last link check's page, from
/// the report as the view may read it: `shown` is every address the pages
/// of the view's tree link to (`None`: the whole report, for a restricted
/// view). An address only a restricted view uses, and a place in a file or
/// block only a restricted view shows, never reach a public page.
pub fn link_pages(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    shown: Option<&std::collections::HashSet<String>>,
    output: &mut ViewOutput,
) {
    let report = site.link_report.as_ref().map(|report| match shown {
        None => report.clone(),
        Some(shown) => public_report(site, report, shown),
    });
    reviews_page(site, theme, edition, report.as_ref(), output);
    if let Some(report) = &report {
        links_page(site, theme, edition, report, output);
    }
}

/// The report with only the addresses public pages link to, each with only
/// the places a public view shows.
fn public_report(
    site: &Site,
    report: &crate::model::link_report::Report,
    shown: &std::collections::HashSet<String>,
) -> crate::model::link_report::Report {
    let mut public = report.clone();
    public.links.retain(|link| shown.contains(link.url.trim()));
    for link in &mut public.links {
        link.places.retain(|place| !restricted_place(site, place));
    }
    public
}

/// Whether a place (`content/040-notes.md:8:3`) is in a section no public
/// view shows, or in an audience block only restricted views show.
fn restricted_place(site: &Site, place: &str) -> bool {
    let mut parts = place.rsplitn(3, ':');
    let (Some(column), Some(line), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
        return false;
    };
    let public = |views: &[String]| {
        site.settings
            .views
            .iter()
            .any(|v| !v.restricted && views.contains(&v.id))
    };
    let sections = site.revisions.iter().flat_map(|r| &r.sections);
    for section in sections.filter(|s| site.sources.get(s.source).path == path) {
        if !public(&section.audiences) {
            return true;
        }
        let text = &site.sources.get(section.source).text;
        let offset = crate::diagnostics::offset_of(text, line, column);
        let in_block =
            |b: &&crate::model::AudienceBlock| b.open.start <= offset && offset < b.close.end;
        if section
            .blocks
            .iter()
            .find(in_block)
            .is_some_and(|b| !public(&b.views))
        {
            return true;
        }
    }
    false
}

fn reviews_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    report: Option<&crate::model::link_report::Report>,
    output: &mut ViewOutput,
) {
    let path = urls::reviews(&edition.base);
    let revision = site.newest();
    let items = schedule::items(site);
    let state = |due: &Due| match due {
        Due::Overdue => "overdue",
        Due::Soon => "soon",
        Due::Upcoming => "upcoming",
        Due::NotRecorded => "not-recorded",
    };
    let entries: Vec<ScheduleEntry> = items
        .iter()
        .map(|item| {
            let entry = ScheduleEntry {
                title: item.title.clone(),
                due: item.due.map(|d| d.long()),
                due_iso: item.due.map(|d| d.iso()),
                state: state(&item.state),
                owners: Vec::new(),
                every: None,
                last_done: None,
                notes: None,
            };
            match item.kind {
                Kind::Review | Kind::Deadline => entry,
                Kind::Check(check) => ScheduleEntry {
                    owners: check
                        .owners
                        .iter()
                        .filter_map(|o| revision.role(o))
                        .map(|r| r.title.clone())
                        .collect(),
                    every: Some(check.every.describe()),
                    last_done: check.last_done.map(|d| d.long()),
                    notes: check.notes.clone(),
                    ..entry
                },
            }
        })
        .collect();
    let spec = PageSpec {
        path: &path,
        title: "Reviews and checks".into(),
        description: "When the policy and the checks it promises were last done and fall due next."
            .into(),
        view: Some((edition, ViewPage::Reviews)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = page_context(site, &spec);
    context.insert("schedule", &entries);
    context.insert(
        "links",
        &report.map(|report| LinkHealth {
            checked_on: checked_on(report),
            summary: crate::model::link_report::summary(report),
            broken: report.counts().broken,
            url: urls::relative(&path, &urls::link_report(&edition.view.id)),
        }),
    );
    context.insert(
        "today",
        &crate::model::PolicyDate::from_naive(site.today).long(),
    );
    output.page(theme, "reviews.html", &path, context);
}

#[derive(Serialize)]
struct LinkHealth {
    checked_on: String,
    summary: String,
    broken: usize,
    url: String,
}

/// "22 November 2026", from the report's time stamp.
fn checked_on(report: &crate::model::link_report::Report) -> String {
    let day = report.day();
    crate::model::PolicyDate::parse(&day).map_or(day, |d| d.long())
}

#[derive(Serialize)]
struct LinkEntry {
    url: String,
    what: String,
    places: Vec<String>,
}

/// The last link check's findings, for governance views; none before a
/// check has run.
fn links_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    report: &crate::model::link_report::Report,
    output: &mut ViewOutput,
) {
    use crate::model::link_report::LinkOutcome;
    let path = urls::link_report(&edition.view.id);
    let entries = |wanted: fn(&LinkOutcome) -> Option<String>| -> Vec<LinkEntry> {
        report
            .links
            .iter()
            .filter_map(|link| {
                Some(LinkEntry {
                    url: link.url.clone(),
                    what: wanted(&link.outcome)?,
                    places: link.places.clone(),
                })
            })
            .collect()
    };
    let spec = PageSpec {
        path: &path,
        title: "External links".into(),
        description: "Whether the outside addresses the policy links to still work.".into(),
        view: Some((edition, ViewPage::Reviews)),
        breadcrumbs: view_crumbs(site, edition, &path),
    };
    let mut context = page_context(site, &spec);
    context.insert("checked_on", &checked_on(report));
    context.insert("summary", &crate::model::link_report::summary(report));
    context.insert(
        "broken",
        &entries(|o| match o {
            LinkOutcome::Broken { reason, .. } => Some(reason.clone()),
            _ => None,
        }),
    );
    context.insert(
        "moved",
        &entries(|o| match o {
            LinkOutcome::Moved { to, .. } => Some(to.clone()),
            _ => None,
        }),
    );
    context.insert(
        "undecided",
        &entries(|o| match o {
            LinkOutcome::Unchecked { reason } => Some(reason.clone()),
            _ => None,
        }),
    );
    output.page(theme, "links.html", &path, context);
}

pub fn unpublished(site: &Site, theme: &Theme, view: &View, output: &mut ViewOutput) {
    let path = urls::view(&view.id);
    let breadcrumbs = if view.restricted {
        Vec::new()
    } else {
        vec![Link {
            title: site.settings.policy_title.clone(),
            url: urls::relative(&path, &urls::landing()),
        }]
    };
    let spec = PageSpec {
        path: &path,
        title: view.title.clone(),
        description: view.description.clone(),
        view: None,
        breadcrumbs,
    };
    let context = page_context(site, &spec);
    output.page(theme, "unpublished.html", &path, context);
}

#[derive(Serialize)]
struct ViewCard {
    title: String,
    description: String,
    url: String,
    /// What changed in the revision in force, for this view.
    latest: Option<super::changes_view::Latest>,
}

/// Pages and files outside any view: landing, 404 and assets.
pub fn shared(
    site: &Site,
    theme: &Theme,
    comparisons: &Comparisons,
    memo: Option<(&super::theme::Memo, u64)>,
    diagnostics: &mut Diagnostics,
) -> Tree {
    let mut tree = Tree::default();
    let mut render = |template: &str, path: &str, context: Context| {
        let rendered = match memo {
            Some((memo, fingerprint)) => memo.render(theme, fingerprint, template, path, context),
            None => theme.render(template, path, &context),
        };
        match rendered {
            Ok(html) => tree.insert(urls::file_for(path), html),
            Err(problem) => diagnostics.push(problem),
        }
    };
    let path = urls::landing();
    let spec = PageSpec {
        path: &path,
        title: site.settings.policy_title.clone(),
        description: format!(
            "The {} of {}.",
            site.settings.policy_title, site.settings.school.name
        ),
        view: None,
        breadcrumbs: Vec::new(),
    };
    let mut context = page_context(site, &spec);
    let views: Vec<ViewCard> = site
        .settings
        .views
        .iter()
        .filter(|v| !v.restricted)
        .map(|v| ViewCard {
            title: v.title.clone(),
            description: v.description.clone(),
            url: urls::relative(&path, &urls::view(&v.id)),
            latest: super::changes_view::latest(site, v, &path, comparisons),
        })
        .collect();
    context.insert("views", &views);
    context.insert(
        "applies_from",
        &site.settings.applies_from.map(|d| d.long()),
    );
    context.insert("paper_copy", &super::paper_copy::notice(site));
    render("landing.html", &path, context);

    // The 404 page is served at any depth, so its links are absolute from
    // the base address, and its styles are inside it: a stylesheet linked
    // from the base address would not load in a preview or on a test host.
    let path = urls::not_found();
    let spec = PageSpec {
        path: &path,
        title: "Page not found".into(),
        description: "This page does not exist.".into(),
        view: None,
        breadcrumbs: Vec::new(),
    };
    let mut context = page_context(site, &spec);
    context.insert("base", &site.settings.base_url);
    let stylesheet = |name: &str| {
        theme
            .assets
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
    };
    context.insert("styles", &stylesheet("site.css"));
    context.insert("print_styles", &stylesheet("print.css"));
    render("404.html", &path, context);

    let path = urls::accessibility();
    render(
        "accessibility.html",
        &path,
        super::accessibility::context(site, false),
    );

    for (name, bytes) in &theme.assets {
        tree.insert(urls::asset(name), bytes.clone());
    }
    tree.insert(
        urls::asset("highlight.css"),
        markdown::highlight::stylesheet(),
    );
    tree
}

/// The pages the restricted tree needs besides its views: the
/// accessibility statement every footer links to (the tree is published
/// apart from the public site, so it carries its own copy).
pub fn restricted_shared(site: &Site, theme: &Theme, output: &mut ViewOutput) {
    output.page(
        theme,
        "accessibility.html",
        &urls::accessibility(),
        super::accessibility::context(site, true),
    );
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
}

/// Every page search engines are asked to list: not those of an earlier
/// revision or a draft, which ask not to be (a first draft is at the
/// view's own address, so where a page is does not tell).
pub fn sitemap(
    site: &Site,
    theme: &Theme,
    tags: &PageTags,
    tree: &mut Tree,
    diagnostics: &mut Diagnostics,
) {
    let unlisted = |path: &str| {
        tags.get(path).is_some_and(|tags| {
            tags.iter().any(|tag| {
                tag.name == "meta"
                    && tag
                        .attribute("name")
                        .is_some_and(|n| n.eq_ignore_ascii_case("robots"))
                    && tag
                        .attribute("content")
                        .is_some_and(|c| c.to_ascii_lowercase().contains("noindex"))
            })
        })
    };
    let entries: Vec<SitemapEntry> = tree
        .paths()
        .into_iter()
        .filter(|p| p.ends_with("index.html") && !p.starts_with("versions/") && !unlisted(p))
        .map(|p| SitemapEntry {
            url: format!(
                "{}{}",
                site.settings.base_url,
                p.trim_end_matches("index.html")
            ),
        })
        .collect();
    let mut context = Context::new();
    context.insert("entries", &entries);
    match theme.render("sitemap.xml", "sitemap.xml", &context) {
        Ok(xml) => tree.insert("sitemap.xml", xml),
        Err(problem) => diagnostics.push(problem),
    }
}
