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

    /// The sections the view shows, in document order.
    pub fn shown(&self) -> Vec<&Section> {
        self.revision
            .sections
            .iter()
            .filter(|s| s.shown_in(&self.view.id))
            .collect()
    }
}
