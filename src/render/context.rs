//! What templates are given: plain, display-ready values computed here
//! (dates written out, URLs made relative, lists filtered by view), so that
//! templates hold markup and no logic.

use serde::Serialize;

use crate::model::{Approval, Revision, Settings, Site, View};
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
    /// Overdue reviews, on the governance view.
    pub overdue: Vec<String>,
    pub draft: bool,
    pub restricted: bool,
    pub canonical: String,
}

#[derive(Serialize)]
pub struct ViewNav {
    pub id: String,
    pub title: String,
    pub contents: String,
    pub print: String,
    pub people: String,
    pub organisations: String,
    pub reviews: Option<String>,
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
}

pub struct PageSpec<'a> {
    pub path: &'a str,
    pub title: String,
    pub description: String,
    pub view: Option<(&'a View, ViewPage)>,
    pub breadcrumbs: Vec<Link>,
}

pub fn chrome(site: &Site, spec: &PageSpec) -> Chrome {
    let settings: &Settings = &site.settings;
    let revision = &site.revision;
    let restricted = spec.view.is_some_and(|(v, _)| v.restricted);
    let home = (!restricted).then(|| urls::relative(spec.path, &urls::landing()));
    let view = spec.view.map(|(view, page)| ViewNav {
        id: view.id.clone(),
        title: view.title.clone(),
        contents: urls::relative(spec.path, &urls::view(&view.id)),
        print: urls::relative(spec.path, &urls::all_sections(&view.id)),
        people: urls::relative(spec.path, &urls::people(&view.id)),
        organisations: urls::relative(spec.path, &urls::organisations(&view.id)),
        reviews: view
            .governance
            .then(|| urls::relative(spec.path, &urls::reviews(&view.id))),
        current: match page {
            ViewPage::Contents => "contents",
            ViewPage::Section => "section",
            ViewPage::All => "all",
            ViewPage::People => "people",
            ViewPage::Organisations => "organisations",
            ViewPage::Reviews => "reviews",
        },
    });
    let governance = spec.view.is_some_and(|(v, _)| v.governance);
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
        overdue: if governance {
            schedule::overdue_sentences(revision, site.today)
        } else {
            Vec::new()
        },
        draft: !revision.approval.is_approved(),
        restricted,
        canonical: format!("{}{}", settings.base_url, spec.path),
    }
}

/// The breadcrumb trail to a view's contents page.
pub fn view_crumbs(site: &Site, view: &View, from: &str) -> Vec<Link> {
    let mut crumbs = Vec::new();
    if !view.restricted {
        crumbs.push(Link {
            title: site.settings.policy_title.clone(),
            url: urls::relative(from, &urls::landing()),
        });
    }
    crumbs.push(Link {
        title: view.title.clone(),
        url: urls::relative(from, &urls::view(&view.id)),
    });
    crumbs
}
