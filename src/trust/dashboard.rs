//! What the trust's pages and `status --root TRUST` say about each school,
//! as plain data: drawn from the school's own `status` (`crate::status`),
//! so the trust's screen and a school's never disagree. Printed in the
//! terminal here, as HTML by `pages.rs`, and as JSON by the command.

use std::fmt::Write;

use serde::Serialize;

use crate::ansi::{BOLD, RED};
use crate::status::{State, StatusReport};

use super::School;

/// The whole trust, school by school (`status --root TRUST --format json`).
#[derive(Debug, Serialize)]
pub struct TrustStatus {
    pub trust: String,
    pub today: String,
    pub schools: Vec<SchoolStatus>,
}

/// One school's line on the dashboard.
#[derive(Debug, Serialize)]
pub struct SchoolStatus {
    pub id: String,
    /// From the trust's folder, as trust.yaml writes it.
    pub path: String,
    /// The school's name, from its site.yaml; its id when the site could
    /// not be read.
    pub name: String,
    /// `false` when the school's site has errors: nothing else is known.
    pub readable: bool,
    /// The errors that stop the school's build, counted.
    pub errors: usize,
    pub policy: Option<String>,
    /// The revision in force.
    pub revision: Option<String>,
    /// "Approved by the Full Governing Body on 13 March 2024".
    pub approval: Option<String>,
    /// "September 2025", and the same as `2025-09`.
    pub next_review: Option<String>,
    pub next_review_iso: Option<String>,
    /// Reviews, deadlines and checks past their date, one title each with
    /// its due date ("Filtering and monitoring check, due by 1 May 2024").
    pub overdue: Vec<String>,
    pub vacant_roles: Vec<String>,
    /// Revisions in force approved without a date on record.
    pub unrecorded_approvals: Vec<String>,
    pub template: TemplateStanding,
    /// Broken links at the school's last `policyweb check`; `None` when
    /// it has never been checked.
    pub broken_links: Option<Vec<String>>,
    /// The day of that check, as its report recorded it ("20 November
    /// 2026"): the dashboard's own date is today's, not the check's.
    pub links_checked_on: Option<String>,
    /// What `status --strict` fails on, as the school's own status says.
    pub to_attend_to: Vec<String>,
    /// The id of the school's restricted governance view, which the
    /// dashboard links to (`restricted/<school>/<view>/`).
    #[serde(skip)]
    pub governance_view: Option<String>,
}

/// Where a school stands with its template (the trust's, or its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum TemplateStanding {
    NotUsing,
    /// `not_adopted`: approved template changes the school has not yet
    /// taken in, counted as the school's own `status` counts them; `None`
    /// when the template has errors and cannot be compared.
    Using {
        /// The template's name, from its site.yaml.
        name: String,
        not_adopted: Option<usize>,
    },
}

impl TemplateStanding {
    /// "not using a template", "template: 2 changes not adopted".
    pub fn describe(&self) -> String {
        match self {
            TemplateStanding::NotUsing => "not using a template".into(),
            TemplateStanding::Using {
                not_adopted: None, ..
            } => "template: has errors, so its changes cannot be counted".into(),
            TemplateStanding::Using {
                not_adopted: Some(0),
                ..
            } => "template: up to date".into(),
            TemplateStanding::Using {
                not_adopted: Some(not_adopted),
                ..
            } => format!(
                "template: {not_adopted} change{} not adopted",
                if *not_adopted == 1 { "" } else { "s" }
            ),
        }
    }
}

impl SchoolStatus {
    /// A school whose site could not be read: only what trust.yaml says.
    pub fn unreadable(school: &School, errors: usize) -> SchoolStatus {
        SchoolStatus {
            id: school.id.clone(),
            path: school.path.clone(),
            name: school.id.clone(),
            readable: false,
            errors,
            policy: None,
            revision: None,
            approval: None,
            next_review: None,
            next_review_iso: None,
            overdue: Vec::new(),
            vacant_roles: Vec::new(),
            unrecorded_approvals: Vec::new(),
            template: TemplateStanding::NotUsing,
            broken_links: None,
            links_checked_on: None,
            to_attend_to: Vec::new(),
            governance_view: None,
        }
    }

    /// A school's line, from its own status.
    pub fn of(school: &School, status: &StatusReport) -> SchoolStatus {
        let overdue = status
            .next_review
            .iter()
            .chain(&status.deadlines)
            .chain(status.checks.iter().map(|c| &c.due))
            .filter(|d| d.state == State::Overdue)
            .map(|d| match &d.due {
                Some(due) => format!("{}, due by {due}", d.title),
                None => d.title.clone(),
            })
            .collect();
        SchoolStatus {
            id: school.id.clone(),
            path: school.path.clone(),
            name: status.school.clone(),
            readable: true,
            errors: 0,
            policy: Some(status.policy.clone()),
            revision: status.revision.as_ref().map(|r| r.id.clone()),
            approval: status.revision.as_ref().map(|r| r.approval.clone()),
            next_review: status.next_review.as_ref().and_then(|r| r.due.clone()),
            next_review_iso: status.next_review.as_ref().and_then(|r| r.due_iso.clone()),
            overdue,
            vacant_roles: status
                .vacant_roles
                .iter()
                .map(|r| format!("{} ({})", r.title, r.id))
                .collect(),
            unrecorded_approvals: status
                .revision
                .iter()
                .filter(|r| r.date_unrecorded)
                .map(|r| r.id.clone())
                .collect(),
            template: template_standing(status),
            broken_links: status.links.as_ref().map(|links| {
                links
                    .broken
                    .iter()
                    .map(|l| format!("{} ({})", l.url, l.reason))
                    .collect()
            }),
            links_checked_on: status.links.as_ref().map(|links| {
                crate::model::PolicyDate::parse(&links.checked_on)
                    .map_or_else(|_| links.checked_on.clone(), |d| d.long())
            }),
            to_attend_to: status.strict_failures(),
            governance_view: None,
        }
    }

    /// Fails `status --root TRUST --strict`: errors, or anything the
    /// school's own `status --strict` fails on.
    pub fn fails(&self) -> bool {
        !self.readable || self.errors > 0 || !self.to_attend_to.is_empty()
    }
}

/// The one place a school's template standing is worked out: from the
/// template group of its own `status` (the count `template changes`
/// lists), so that the dashboard and the school agree.
fn template_standing(status: &StatusReport) -> TemplateStanding {
    match &status.template {
        Some(template) => TemplateStanding::Using {
            name: template.name.clone(),
            not_adopted: template.not_adopted,
        },
        None => TemplateStanding::NotUsing,
    }
}

/// The dashboard on the terminal: a heading, then a block per school.
pub fn terminal(status: &TrustStatus, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    let failing = status.schools.iter().filter(|s| s.fails()).count();
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!("{} – {} schools", status.trust, status.schools.len())
        )
    );
    let _ = writeln!(
        out,
        "{} of {} to attend to (as of {}).",
        failing,
        status.schools.len(),
        status.today
    );
    for school in &status.schools {
        let _ = writeln!(out, "\n{} ({}/)", paint(BOLD, &school.name), school.path);
        if !school.readable || school.errors > 0 {
            let count = school.errors.max(1);
            let _ = writeln!(
                out,
                "  {}  the site has {count} error{} (listed above); fix {} first",
                paint(RED, "ERRORS"),
                if count == 1 { "" } else { "s" },
                if count == 1 { "it" } else { "them" }
            );
            continue;
        }
        let revision = match (&school.revision, &school.approval) {
            (Some(id), Some(approval)) => format!("Revision {id}: {approval}."),
            _ => "No revision is approved yet.".into(),
        };
        let review = school
            .next_review
            .as_ref()
            .map(|r| format!(" Next review: {r}."))
            .unwrap_or_default();
        let _ = writeln!(out, "  {revision}{review}");
        let list = |items: &[String]| {
            if items.is_empty() {
                "none".to_string()
            } else {
                items.join("; ")
            }
        };
        let overdue = list(&school.overdue);
        let overdue = if school.overdue.is_empty() {
            overdue
        } else {
            paint(RED, &overdue)
        };
        let _ = writeln!(out, "  Overdue:               {overdue}");
        let _ = writeln!(
            out,
            "  Vacant roles:          {}",
            list(&school.vacant_roles)
        );
        let _ = writeln!(
            out,
            "  Unrecorded approvals:  {}",
            list(&school.unrecorded_approvals)
        );
        let _ = writeln!(
            out,
            "  Template:              {}",
            school.template.describe()
        );
        let links = match &school.broken_links {
            None => "not checked yet (policyweb check)".to_string(),
            Some(broken) => match &school.links_checked_on {
                Some(day) => format!("{} (checked {day})", list(broken)),
                None => list(broken),
            },
        };
        let _ = writeln!(out, "  Broken links:          {links}");
    }
    out
}
