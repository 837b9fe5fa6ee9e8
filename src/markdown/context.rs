//! What a section is rendered for: one revision as one view shows it, at
//! one place in the output. Markdown needs it to resolve references and
//! relative links, and render to lay out pages, so it belongs to the
//! Markdown stage (render re-exports it from `render::context`).

use crate::model::{Revision, Section, Site, View};

/// One revision as one view shows it, at one place in the output.
#[derive(Clone)]
pub struct Edition<'a> {
    pub revision: &'a Revision,
    pub view: &'a View,
    /// Where the view's pages start: `parents`, or `versions/2023-24/parents`
    /// for a revision other than the one at the view's own address.
    pub base: String,
    pub standing: Standing,
}

/// How a revision stands to the policy in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The approved policy in force.
    Current,
    /// An approved revision that a later one replaced.
    Earlier,
    /// Not yet approved; governance views only.
    Draft,
}

impl<'a> Edition<'a> {
    /// The revision at a view's own address (`parents/`): the one in force,
    /// or on a governance view with nothing approved yet, the draft.
    pub fn main(site: &'a Site, view: &'a View) -> Option<Edition<'a>> {
        let revision = site.main_revision(view)?;
        Some(Edition {
            revision,
            view,
            base: view.id.clone(),
            standing: if revision.approval.is_approved() {
                Standing::Current
            } else {
                Standing::Draft
            },
        })
    }

    /// Every revision a view shows, as it shows it: the one at its own
    /// address first (if any), then each other approved revision under
    /// versions/<id>/, and on a governance view the draft there too.
    /// Unapproved text never reaches a view without governance.
    pub fn in_view(site: &'a Site, view: &'a View) -> Vec<Edition<'a>> {
        let main = Edition::main(site, view);
        let main_id = main.as_ref().map(|m| m.revision.id.clone());
        let mut editions: Vec<Edition> = main.into_iter().collect();
        for revision in &site.revisions {
            if main_id.as_ref() == Some(&revision.id) {
                continue;
            }
            let standing = if revision.approval.is_approved() {
                Standing::Earlier
            } else if view.governance {
                Standing::Draft
            } else {
                continue;
            };
            editions.push(Edition {
                revision,
                view,
                base: crate::urls::edition_base(&revision.id, &view.id),
                standing,
            });
        }
        editions
    }

    /// The draft as a view without governance will show it once it is
    /// approved: never published, but read and rendered for its problems,
    /// so that a draft that cannot be built in every view is never
    /// approved.
    pub fn trial(site: &'a Site, view: &'a View) -> Option<Edition<'a>> {
        let draft = site.draft().filter(|_| !view.governance)?;
        Some(Edition {
            revision: draft,
            view,
            base: view.id.clone(),
            standing: Standing::Current,
        })
    }

    /// The sections the view shows, in document order.
    pub fn shown(&self) -> Vec<&Section> {
        self.revision
            .sections
            .iter()
            .filter(|s| s.shown_in(&self.view.id))
            .collect()
    }
}
