//! What changed, for every view: each approved revision against the
//! approved one before it, as one view reads it (its sections, the
//! audience blocks it shows, the contacts and organisations it lists).
//! The comparison is `changes::compare` filtered by the view and the
//! marked pages are laid out by `revisions`, exactly as for the
//! governors; here are which revisions a view tells about (`steps`), the
//! view's list of them (`<view>/changes/`), the line its contents page and
//! the landing page show, and which sections say "Updated in this
//! revision". The Atom feed of the same steps is `feed`.

use std::collections::HashMap;

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::context::{Edition, Link, PageSpec, RevisionInfo, ViewPage, chrome, revision_info};
use super::theme::Theme;
use super::{Fingerprints, ViewOutput};
use std::sync::Arc;

use crate::changes::{ChangeKind, Changes, Comparisons, SectionChange};
use crate::model::{Approval, Revision, Site, View};
use crate::urls;

/// One revision a view tells about, with the one it replaced.
pub struct Step<'a> {
    /// The approved revision before it; `None` for the first.
    pub old: Option<&'a Revision>,
    pub new: &'a Revision,
    /// What changed from `old` to `new` in the view, as the list and the
    /// feed tell it.
    pub changes: Option<Arc<Outline>>,
}

/// The revisions a view tells about, oldest first: every approved one, and
/// on a governance view the open draft. Only the newest revision can be a
/// draft, so each one's predecessor is approved.
fn told<'a>(site: &'a Site, view: &View) -> impl Iterator<Item = &'a Revision> {
    let governance = view.governance;
    site.revisions
        .iter()
        .filter(move |r| governance || r.approval.is_approved())
}

/// Each revision `told`, with what changed in it (`outlines`).
pub fn steps<'a>(site: &'a Site, view: &View, outlines: &Outlines) -> Vec<Step<'a>> {
    let mut steps = Vec::new();
    let mut previous: Option<&Revision> = None;
    for revision in told(site, view) {
        steps.push(Step {
            old: previous,
            new: revision,
            changes: previous.map(|old| outlines.outline(site, view, old, revision)),
        });
        previous = Some(revision);
    }
    steps
}

/// What a view's list of changes and its feed say of one comparison:
/// the sections it touched and the changes to the data. Small, so kept
/// between builds (`Outlines`): a view's list tells every revision, and
/// comparing again the pairs an edit did not touch was most of a
/// rebuild's comparisons.
#[derive(Debug, Serialize, Deserialize)]
pub struct Outline {
    pub sections: Vec<TouchedSection>,
    pub data: Vec<String>,
}

/// A section a comparison touched (`touched`), as the list names it.
#[derive(Debug, Serialize, Deserialize)]
pub struct TouchedSection {
    pub title: String,
    pub headline: String,
    pub anchor: String,
}

impl Outline {
    pub fn of(changes: &Changes) -> Outline {
        Outline {
            sections: changes
                .sections
                .iter()
                .filter(|c| touched(c))
                .map(|c| TouchedSection {
                    title: c.title().to_string(),
                    headline: c.headline(),
                    anchor: c.anchor(),
                })
                .collect(),
            data: changes.data.clone(),
        }
    }

    /// `what_changed` of the comparison it outlines.
    pub fn what_changed(&self) -> Option<String> {
        said(self.sections.len(), self.data.len())
    }
}

/// Each comparison's outline, made once in a render, and those the last
/// render (or build) left, by a fingerprint of all a comparison reads
/// (`Fingerprints::comparison`): a kept one is used only while neither
/// revision, the view nor the site-wide inputs have changed.
pub struct Outlines<'a> {
    inputs: &'a Fingerprints,
    comparisons: &'a Comparisons,
    before: KeptOutlines,
    now: Mutex<KeptOutlines>,
}

/// Outlines by their comparison's fingerprint, as a render cache keeps them.
pub type KeptOutlines = HashMap<u64, Arc<Outline>>;

impl<'a> Outlines<'a> {
    pub fn remembering(
        inputs: &'a Fingerprints,
        comparisons: &'a Comparisons,
        before: KeptOutlines,
    ) -> Outlines<'a> {
        Outlines {
            inputs,
            comparisons,
            before,
            now: Mutex::default(),
        }
    }

    /// What changed from `old` to `new` in `view`: kept, or compared.
    pub fn outline(
        &self,
        site: &Site,
        view: &View,
        old: &Revision,
        new: &Revision,
    ) -> Arc<Outline> {
        let key = self.inputs.comparison(view, old, new);
        let now = || self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(outline) = now().get(&key) {
            return Arc::clone(outline);
        }
        let outline = self.before.get(&key).cloned().unwrap_or_else(|| {
            let changes = self.comparisons.compare(site, old, new, Some(&view.id));
            Arc::new(Outline::of(&changes))
        });
        now().insert(key, Arc::clone(&outline));
        outline
    }

    /// The outlines of every step of every view as the site is now, this
    /// render's or the last's (a reused job asked for none), for the
    /// next render; none of a pair the site no longer has.
    pub fn into_kept(self, site: &Site) -> KeptOutlines {
        let mut now = self
            .now
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        for view in &site.settings.views {
            let told: Vec<&Revision> = told(site, view).collect();
            for pair in told.windows(2) {
                let key = self.inputs.comparison(view, pair[0], pair[1]);
                if let Some(outline) = self.before.get(&key) {
                    now.entry(key).or_insert_with(|| Arc::clone(outline));
                }
            }
        }
        now
    }
}

/// The pairs of revisions whose change pages a view without governance
/// needs: each approved revision with the approved one before it. (A
/// governance view has every pair already, from `revisions::pairs`.)
pub fn pairs<'a>(site: &'a Site, view: &View) -> Vec<(&'a Revision, &'a Revision)> {
    let approved: Vec<&Revision> = site
        .revisions
        .iter()
        .filter(|r| r.approval.is_approved() || view.governance)
        .collect();
    approved.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The revision before `revision`, the one it replaced.
pub fn predecessor<'a>(site: &'a Site, revision: &Revision) -> Option<&'a Revision> {
    let at = site.revisions.iter().position(|r| r.id == revision.id)?;
    at.checked_sub(1).map(|p| &site.revisions[p])
}

/// A section the change pages list: changed, added, removed, moved or
/// renamed.
pub fn touched(change: &SectionChange) -> bool {
    change.status != ChangeKind::Unchanged || change.renamed || change.moved.is_some()
}

/// "4 sections", "1 section and 2 other changes", "2 changes to people,
/// dates or organisations"; `None` when nothing changed in the view.
pub fn what_changed(changes: &Changes) -> Option<String> {
    said(
        changes.sections.iter().filter(|c| touched(c)).count(),
        changes.data.len(),
    )
}

/// `what_changed` of so many touched sections and other changes.
fn said(sections: usize, others: usize) -> Option<String> {
    let noun = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    match (sections, others) {
        (0, 0) => None,
        (0, _) => Some(noun(
            others,
            "change to people, dates or organisations",
            "changes to people, dates or organisations",
        )),
        (_, 0) => Some(noun(sections, "section", "sections")),
        _ => Some(format!(
            "{} and {}",
            noun(sections, "section", "sections"),
            noun(others, "other change", "other changes")
        )),
    }
}

/// "Changed on 13 March 2024: 4 sections", or "Approved on 13 March 2024:
/// nothing changed for Parents and carers".
pub fn changed_line(view: &View, revision: &Revision, changes: &Changes) -> String {
    let date = match &revision.approval {
        Approval::Approved {
            date: Some(date), ..
        } => Some(date.long()),
        _ => None,
    };
    match (what_changed(changes), date) {
        (Some(what), Some(date)) => format!("Changed on {date}: {what}"),
        (Some(what), None) => format!("Changed in revision {}: {what}", revision.id),
        (None, Some(date)) => format!("Approved on {date}: nothing changed for {}", view.title),
        (None, None) => format!(
            "Revision {}: nothing changed for {}",
            revision.id, view.title
        ),
    }
}

/// What a view's contents page and the landing page say of the revision
/// in force: what changed in it, linked to its change page, and the list
/// of every revision's changes.
#[derive(Serialize)]
pub struct Latest {
    /// "Changed on 13 March 2024: 4 sections"; `None` for the first
    /// revision, which replaced nothing.
    pub changed: Option<Link>,
    /// The view's list of what changed in each revision.
    pub every: String,
}

pub fn latest(site: &Site, view: &View, from: &str, comparisons: &Comparisons) -> Option<Latest> {
    let current = site.current()?;
    let changed = predecessor(site, current).map(|old| {
        let changes = comparisons.compare(site, old, current, Some(&view.id));
        Link {
            title: changed_line(view, current, &changes),
            url: urls::relative(from, &urls::changes(&view.id, &old.id, &current.id)),
        }
    });
    Some(Latest {
        changed,
        every: urls::relative(from, &urls::view_changes(&view.id)),
    })
}

/// The sections of an edition that changed from the revision before it,
/// each with the address of its change (a page path with its anchor), for
/// the "Updated in this revision" note.
pub fn updated_sections(
    site: &Site,
    edition: &Edition,
    comparisons: &Comparisons,
) -> HashMap<String, String> {
    let (view, revision) = (edition.view, edition.revision);
    let Some(old) = predecessor(site, revision) else {
        return HashMap::new();
    };
    let page = urls::changes(&view.id, &old.id, &revision.id);
    comparisons
        .compare(site, old, revision, Some(&view.id))
        .sections
        .iter()
        .filter(|c| touched(c))
        .filter_map(|c| {
            let id = &c.new.as_ref()?.id;
            Some((id.clone(), format!("{page}#{}", c.anchor())))
        })
        .collect()
}

#[derive(Serialize)]
struct ChangedSection {
    title: String,
    headline: String,
    url: String,
}

#[derive(Serialize)]
struct HistoryEntry {
    id: String,
    draft: bool,
    facts: RevisionInfo,
    /// The revision as the view shows it.
    read: String,
    /// The revision it is compared with, and the page of marked changes.
    old: Option<String>,
    marked: Option<String>,
    /// "4 sections and 2 other changes".
    what: Option<String>,
    sections: Vec<ChangedSection>,
    data: Vec<String>,
}

/// `<view>/changes/`: every revision the view tells about, newest first,
/// with what changed in it for the view.
pub fn history_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    steps: &[Step],
    feed: Option<&str>,
    output: &mut ViewOutput,
) {
    let view = edition.view;
    let path = urls::view_changes(&view.id);
    let entries: Vec<HistoryEntry> = steps
        .iter()
        .rev()
        .map(|step| {
            let marked = step
                .old
                .map(|old| urls::changes(&view.id, &old.id, &step.new.id));
            HistoryEntry {
                id: step.new.id.clone(),
                draft: !step.new.approval.is_approved(),
                facts: revision_info(step.new),
                read: urls::relative(
                    &path,
                    &urls::view(&super::revisions::base_of(site, view, step.new)),
                ),
                old: step.old.map(|o| o.id.clone()),
                what: step.changes.as_deref().and_then(Outline::what_changed),
                sections: step.changes.as_ref().map_or_else(Vec::new, |changes| {
                    changes
                        .sections
                        .iter()
                        .map(|c| ChangedSection {
                            title: c.title.clone(),
                            headline: c.headline.clone(),
                            url: urls::relative(
                                &path,
                                &format!("{}#{}", marked.as_deref().unwrap_or(""), c.anchor),
                            ),
                        })
                        .collect()
                }),
                data: step
                    .changes
                    .as_ref()
                    .map_or_else(Vec::new, |c| c.data.clone()),
                marked: marked.map(|m| urls::relative(&path, &m)),
            }
        })
        .collect();
    let spec = PageSpec {
        path: &path,
        title: "What changed".into(),
        description: format!(
            "What changed in the {} for {} each time the governors approved a revision.",
            site.settings.policy_title, view.title
        ),
        view: Some((edition, ViewPage::Changes)),
        breadcrumbs: super::context::view_crumbs(site, edition, &path),
    };
    let mut context = tera::Context::new();
    context.insert("page", &chrome(site, &spec));
    context.insert("entries", &entries);
    context.insert("feed", &feed.map(|f| urls::relative(&path, f)));
    output.page(theme, "what-changed.html", &path, context);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Summary;

    fn changes(data: usize) -> Changes {
        Changes {
            old: "a".into(),
            new: "b".into(),
            view: None,
            summary: Summary::default(),
            sections: Vec::new(),
            data: vec!["The next review moved.".into(); data],
        }
    }

    #[test]
    fn a_revision_that_changed_only_data_says_so_in_words() {
        assert_eq!(what_changed(&changes(0)), None);
        assert_eq!(
            what_changed(&changes(1)).as_deref(),
            Some("1 change to people, dates or organisations")
        );
    }
}
