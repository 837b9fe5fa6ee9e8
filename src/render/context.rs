//! What templates are given: plain, display-ready values computed here
//! (dates written out, URLs made relative, lists filtered by view), so that
//! templates hold markup and no logic.

use serde::Serialize;

pub use crate::markdown::context::{Edition, Standing};
use crate::model::{Approval, Revision, Settings, Site};
use crate::schedule;
use crate::urls;

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// What every page shows: who, which policy, which revision, where you are.
#[derive(Serialize)]
pub struct Chrome {
    pub lang: String,
    pub school: String,
    pub school_website: Option<String>,
    pub policy_title: String,
    pub page_title: String,
    pub description: String,
    pub stylesheet: String,
    pub print_stylesheet: String,
    pub home: Option<String>,
    pub view: Option<ViewNav>,
    pub breadcrumbs: Vec<Link>,
    pub revision: RevisionInfo,
    /// Overdue reviews in full, on a governance view's contents and
    /// reviews pages.
    pub overdue: Vec<String>,
    /// On the governance view's other pages, one line in their place.
    pub overdue_line: Option<OverdueLine>,
    /// `current`, `earlier` or `draft`: how the page's revision stands.
    pub standing: &'static str,
    pub draft: bool,
    /// On a page of an earlier revision or the draft: the same page in the
    /// policy in force, or the view's contents when it has no such page.
    pub in_force: Option<String>,
    pub restricted: bool,
    pub canonical: String,
    /// Pages of revisions not in force ask search engines not to list them.
    pub noindex: bool,
    /// The accessibility statement, linked from every footer.
    pub accessibility: FooterLink,
    /// `<meta name="generator">`: policyweb and its version.
    pub generator: &'static str,
    /// The view's Atom feed, for `<link rel="alternate">`.
    pub feed: Option<String>,
}

/// "7 reviews and checks are overdue", linking to the reviews page.
#[derive(Serialize)]
pub struct OverdueLine {
    pub text: String,
    pub url: String,
}

/// The one line said in place of `count` overdue sentences.
pub fn overdue_count(count: usize) -> String {
    match count {
        1 => "1 review or check is overdue".to_string(),
        n => format!("{n} reviews and checks are overdue"),
    }
}

#[derive(Serialize)]
pub struct FooterLink {
    pub url: String,
    /// This page is the one linked to, for `aria-current`.
    pub current: bool,
}

#[derive(Serialize)]
pub struct ViewNav {
    pub id: String,
    pub title: String,
    pub contents: String,
    pub print: String,
    pub people: String,
    pub organisations: String,
    /// The view's A–Z.
    pub a_z: String,
    pub reviews: Option<String>,
    /// The timeline of revisions, on governance views.
    pub revisions: Option<String>,
    /// The curriculum pages, when the revision keeps a curriculum and the
    /// view shows any of them.
    pub curriculum: Option<String>,
    /// What changed in the template, on governance views of a site built
    /// on one.
    pub template: Option<String>,
    /// Which of the view's pages this is, for `aria-current`.
    pub current: &'static str,
}

#[derive(Serialize, Clone)]
pub struct RevisionInfo {
    pub id: String,
    pub approved: bool,
    /// "Approved by the Full Governing Body on 13 March 2024", or the draft
    /// or unrecorded wording.
    pub approval: String,
    pub approval_date_iso: Option<String>,
    pub next_review: Option<String>,
    pub next_review_iso: Option<String>,
    pub minute: Option<String>,
}

pub fn revision_info(revision: &Revision) -> RevisionInfo {
    let (approved, approval, iso, minute) = match &revision.approval {
        Approval::Draft => (false, "Draft: not yet approved".to_string(), None, None),
        Approval::Approved {
            date: Some(date),
            by,
            minute,
        } => (
            true,
            format!("Approved by {by} on {}", date.long()),
            Some(date.iso()),
            minute.clone(),
        ),
        Approval::Approved {
            date: None,
            by,
            minute,
        } => (
            true,
            format!("Approved by {by}; the date of approval was not recorded"),
            None,
            minute.clone(),
        ),
    };
    RevisionInfo {
        id: revision.id.clone(),
        approved,
        approval,
        approval_date_iso: iso,
        next_review: revision.next_review.map(|d| d.long()),
        next_review_iso: revision.next_review.map(|d| d.iso()),
        minute,
    }
}

/// Which of a view's own pages a page is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ViewPage {
    Contents,
    Section,
    All,
    People,
    Organisations,
    Reviews,
    Revisions,
    Curriculum,
    Template,
    /// The view's list of what changed in each revision.
    Changes,
    Glossary,
    AZ,
}

pub struct PageSpec<'a> {
    pub path: &'a str,
    pub title: String,
    pub description: String,
    pub view: Option<(&'a Edition<'a>, ViewPage)>,
    pub breadcrumbs: Vec<Link>,
}

pub fn chrome(site: &Site, spec: &PageSpec) -> Chrome {
    let settings: &Settings = &site.settings;
    let edition = spec.view.map(|(edition, _)| edition);
    let revision = edition.map_or_else(
        || site.current().unwrap_or_else(|| site.newest()),
        |e| e.revision,
    );
    let standing = edition.map_or(Standing::Current, |e| e.standing);
    let restricted = edition.is_some_and(|e| e.view.restricted);
    let governance = edition.is_some_and(|e| e.view.governance);
    let home = (!restricted).then(|| urls::relative(spec.path, &urls::landing()));
    let view = spec.view.map(|(edition, page)| {
        let (view, base) = (edition.view, edition.base.as_str());
        ViewNav {
            id: view.id.clone(),
            title: view.title.clone(),
            contents: urls::relative(spec.path, &urls::view(base)),
            print: urls::relative(spec.path, &urls::all_sections(base)),
            people: urls::relative(spec.path, &urls::people(base)),
            organisations: urls::relative(spec.path, &urls::organisations(base)),
            a_z: urls::relative(spec.path, &urls::a_z(base)),
            reviews: (view.governance && standing != Standing::Earlier)
                .then(|| urls::relative(spec.path, &urls::reviews(&view.id))),
            revisions: view
                .governance
                .then(|| urls::relative(spec.path, &urls::revisions(&view.id))),
            curriculum: super::curriculum::has_pages(edition)
                .then(|| urls::relative(spec.path, &urls::curriculum(base))),
            template: (view.governance && standing != Standing::Earlier && site.template.is_some())
                .then(|| urls::relative(spec.path, &urls::template_changes(&view.id))),
            current: match page {
                ViewPage::Contents => "contents",
                ViewPage::Section => "section",
                ViewPage::All => "all",
                ViewPage::People => "people",
                ViewPage::Organisations => "organisations",
                ViewPage::Reviews => "reviews",
                ViewPage::Revisions => "revisions",
                ViewPage::Curriculum => "curriculum",
                ViewPage::Template => "template",
                ViewPage::Changes => "changes",
                ViewPage::Glossary => "glossary",
                ViewPage::AZ => "a-z",
            },
        }
    });
    let overdue = if governance && standing != Standing::Earlier {
        schedule::overdue_sentences(site)
    } else {
        Vec::new()
    };
    // The full list where governors look for it; elsewhere it would stand
    // above every heading, so one line points to it instead.
    // (The links report shares the reviews page's place in the navigation,
    // not its list.)
    let full_list = match spec.view {
        Some((_, ViewPage::Contents)) => true,
        Some((edition, ViewPage::Reviews)) => spec.path == urls::reviews(&edition.view.id),
        _ => false,
    };
    let overdue_line = match spec.view {
        Some((edition, _)) if !full_list && !overdue.is_empty() => Some(OverdueLine {
            text: overdue_count(overdue.len()),
            url: urls::relative(spec.path, &urls::reviews(&edition.view.id)),
        }),
        _ => None,
    };
    let overdue = if full_list { overdue } else { Vec::new() };
    let in_force = spec
        .view
        .filter(|(e, _)| e.standing != Standing::Current)
        .and_then(|(edition, page)| in_force(site, edition, page, spec.path))
        .map(|path| urls::relative(spec.path, &path));
    Chrome {
        lang: settings.language.clone(),
        school: settings.school.name.clone(),
        school_website: settings.school.website.clone(),
        policy_title: settings.policy_title.clone(),
        page_title: spec.title.clone(),
        description: spec.description.clone(),
        stylesheet: urls::relative(spec.path, &urls::asset("site.css")),
        print_stylesheet: urls::relative(spec.path, &urls::asset("print.css")),
        home,
        view,
        breadcrumbs: spec.breadcrumbs.clone(),
        revision: revision_info(revision),
        overdue,
        overdue_line,
        standing: match standing {
            Standing::Current => "current",
            Standing::Earlier => "earlier",
            Standing::Draft => "draft",
        },
        draft: standing == Standing::Draft,
        in_force,
        restricted,
        canonical: format!("{}{}", settings.base_url, spec.path),
        noindex: standing != Standing::Current,
        accessibility: FooterLink {
            url: urls::relative(spec.path, &urls::accessibility()),
            current: spec.path == urls::accessibility(),
        },
        generator: crate::provenance::GENERATOR,
        feed: edition
            .filter(|e| super::feed::published(site, e.view))
            .map(|e| urls::relative(spec.path, &urls::feed(&e.view.id))),
    }
}

/// The page of the policy in force matching a page of another revision:
/// the same section when the view still shows it, else the view's contents.
fn in_force(site: &Site, edition: &Edition, page: ViewPage, path: &str) -> Option<String> {
    let current = site.current()?;
    let view = &edition.view.id;
    let rest = path.strip_prefix(edition.base.as_str())?;
    if page == ViewPage::Section {
        let id = rest.trim_matches('/');
        return Some(match current.section(id) {
            Some(section) if section.shown_in(view) => urls::section(view, id),
            _ => urls::view(view),
        });
    }
    if page == ViewPage::Glossary && current.glossary.is_empty() {
        return Some(urls::view(view));
    }
    if page == ViewPage::Curriculum {
        let shows = edition.view.curriculum;
        let rest = rest.trim_start_matches('/');
        return Some(if super::curriculum::has_page(current, shows, rest) {
            format!("{view}/{rest}")
        } else if super::curriculum::has_page(current, shows, "curriculum/") {
            urls::curriculum(view)
        } else {
            urls::view(view)
        });
    }
    Some(format!("{view}{rest}"))
}

/// The breadcrumb trail to a view's contents page.
pub fn view_crumbs(site: &Site, edition: &Edition, from: &str) -> Vec<Link> {
    let view = edition.view;
    let mut crumbs = Vec::new();
    if !view.restricted {
        crumbs.push(Link {
            title: site.settings.policy_title.clone(),
            url: urls::relative(from, &urls::landing()),
        });
    }
    if edition.standing != Standing::Current && view.governance {
        crumbs.push(Link {
            title: "Revisions".into(),
            url: urls::relative(from, &urls::revisions(&view.id)),
        });
    }
    crumbs.push(Link {
        title: match edition.standing {
            Standing::Current => view.title.clone(),
            Standing::Earlier => format!("{} (revision {})", view.title, edition.revision.id),
            Standing::Draft => format!("{} (draft {})", view.title, edition.revision.id),
        },
        url: urls::relative(from, &urls::view(&edition.base)),
    });
    crumbs
}
