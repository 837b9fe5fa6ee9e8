//! The governance view's revision pages: the timeline of revisions with
//! their approval records, and what changed between two revisions, marked
//! in the new text and side by side. The comparison is `changes`; here it
//! is laid out.

use serde::Serialize;

use super::ViewOutput;
use super::context::{Edition, Link, PageSpec, ViewPage, chrome, revision_info};
use super::theme::Theme;
use crate::changes::text::{BlockChange, BlockMark, Mark};
use crate::changes::{self, ChangeKind, Changes, SectionChange};
use crate::html::escape;
use crate::model::{Revision, Site, View};
use crate::urls;

/// The address where a view shows a revision (`governors/` or
/// `versions/2023-24/governors/`).
pub(super) fn base_of(site: &Site, view: &View, revision: &Revision) -> String {
    match site.main_revision(view) {
        Some(main) if main.id == revision.id => view.id.clone(),
        _ => urls::edition_base(&revision.id, &view.id),
    }
}

/// The pairs of revisions compared: each with the next, and each with the
/// newest.
pub fn pairs(site: &Site) -> Vec<(&Revision, &Revision)> {
    let all = &site.revisions;
    let mut pairs: Vec<(&Revision, &Revision)> = all.windows(2).map(|w| (&w[0], &w[1])).collect();
    if let Some(newest) = all.last() {
        for old in all.iter().take(all.len().saturating_sub(2)) {
            pairs.push((old, newest));
        }
    }
    pairs
}

/// A draft awaiting approval, as the governance view's contents page
/// announces it.
#[derive(Serialize)]
pub struct Pending {
    pub id: String,
    pub url: String,
    pub changes: String,
}

pub fn pending(site: &Site, view: &View, from: &str) -> Option<Pending> {
    let draft = site.draft()?;
    let current = site.current()?;
    Some(Pending {
        id: draft.id.clone(),
        url: urls::relative(from, &urls::view(&base_of(site, view, draft))),
        changes: urls::relative(from, &urls::changes(&view.id, &current.id, &draft.id)),
    })
}

/// What changed from `old` to `new`, as `view` reads it: the page with
/// changes marked and the side-by-side page.
pub fn changes(
    site: &Site,
    theme: &Theme,
    view: &View,
    (old, new): (&Revision, &Revision),
    comparisons: &changes::Comparisons,
    output: &mut ViewOutput,
) {
    let Some(edition) = Edition::main(site, view) else {
        return;
    };
    let changes = comparisons.compare(site, old, new, Some(&view.id));
    changes_page(site, theme, &edition, &changes, false, output);
    changes_page(site, theme, &edition, &changes, true, output);
}

#[derive(Serialize)]
struct TimelineEntry {
    id: String,
    status: &'static str,
    facts: super::context::RevisionInfo,
    read: String,
    changes_from_previous: Option<Link>,
    changes_to_newest: Option<Link>,
}

/// The timeline of revisions, newest first, with approval records.
pub fn timeline(site: &Site, theme: &Theme, view: &View, output: &mut ViewOutput) {
    let Some(edition) = Edition::main(site, view) else {
        return;
    };
    let edition = &edition;
    let path = urls::revisions(&view.id);
    let current = site.current().map(|r| r.id.as_str());
    let newest = &site.newest().id;
    let mut entries = Vec::new();
    for (i, revision) in site.revisions.iter().enumerate().rev() {
        let status = if Some(revision.id.as_str()) == current {
            "in force"
        } else if revision.approval.is_approved() {
            "replaced"
        } else {
            "draft"
        };
        let previous = i.checked_sub(1).map(|p| &site.revisions[p]);
        entries.push(TimelineEntry {
            id: revision.id.clone(),
            status,
            facts: revision_info(revision),
            read: urls::relative(&path, &urls::view(&base_of(site, view, revision))),
            changes_from_previous: previous.map(|p| Link {
                title: format!("What changed from {} to {}", p.id, revision.id),
                url: urls::relative(&path, &urls::changes(&view.id, &p.id, &revision.id)),
            }),
            changes_to_newest: (i + 2 < site.revisions.len()).then(|| Link {
                title: format!("What changed from {} to {newest}", revision.id),
                url: urls::relative(&path, &urls::changes(&view.id, &revision.id, newest)),
            }),
        });
    }
    let spec = PageSpec {
        path: &path,
        title: "Revisions and approvals".into(),
        description: format!(
            "Every revision of the {}, when and by whom it was approved, and what changed.",
            site.settings.policy_title
        ),
        view: Some((edition, ViewPage::Revisions)),
        breadcrumbs: super::context::view_crumbs(site, edition, &path),
    };
    let mut context = tera::Context::new();
    context.insert("page", &chrome(site, &spec));
    context.insert("revisions", &entries);
    output.page(theme, "revisions.html", &path, context);
}

#[derive(Serialize)]
struct SectionView {
    anchor: String,
    title: String,
    status: &'static str,
    headline: String,
    /// The change came with the template the site is built on.
    from_template: bool,
    in_old: Option<String>,
    in_new: Option<String>,
    /// The new text with changes marked, block by block.
    marked: Vec<String>,
    /// Old and new, block by block, for the side-by-side page.
    rows: Vec<(String, String)>,
}

#[derive(Serialize)]
struct SummaryLine {
    count: usize,
    /// "sections moved", "section moved".
    label: String,
}

fn changes_page(
    site: &Site,
    theme: &Theme,
    edition: &Edition,
    changes: &Changes,
    side_by_side: bool,
    output: &mut ViewOutput,
) {
    let view = edition.view;
    let (Some(old), Some(new)) = (site.revision(&changes.old), site.revision(&changes.new)) else {
        return;
    };
    let path = if side_by_side {
        urls::changes_side_by_side(&view.id, &old.id, &new.id)
    } else {
        urls::changes(&view.id, &old.id, &new.id)
    };
    let section_url = |revision: &Revision, id: &str| {
        urls::relative(&path, &urls::section(&base_of(site, view, revision), id))
    };
    let sections: Vec<SectionView> = changes
        .sections
        .iter()
        .map(|change| SectionView {
            anchor: change.anchor(),
            title: change.title().to_string(),
            status: status_word(change),
            headline: change.headline(),
            from_template: change.origin.is_some(),
            in_old: change.old.as_ref().map(|s| section_url(old, &s.id)),
            in_new: change.new.as_ref().map(|s| section_url(new, &s.id)),
            marked: shown_blocks(change)
                .into_iter()
                .map(|shown| match shown {
                    Shown::Block(block) => marked_html(block),
                    Shown::Elided(count) => elided_html(count),
                })
                .collect(),
            rows: shown_blocks(change)
                .into_iter()
                .map(|shown| match shown {
                    Shown::Block(block) => (side_html(block, true), side_html(block, false)),
                    Shown::Elided(count) => (elided_html(count), elided_html(count)),
                })
                .collect(),
        })
        .collect();
    let summary = &changes.summary;
    let line = |count: usize, what: &'static str, noun: (&'static str, &'static str)| SummaryLine {
        count,
        label: format!("{} {what}", if count == 1 { noun.0 } else { noun.1 }),
    };
    let sections_noun = ("section", "sections");
    let counts = vec![
        line(summary.added, "added", sections_noun),
        line(summary.removed, "removed", sections_noun),
        line(summary.changed, "changed", sections_noun),
        line(summary.moved, "moved", sections_noun),
        line(summary.renamed, "renamed", sections_noun),
        line(summary.unchanged, "unchanged", sections_noun),
        line(summary.words_added, "added", ("word", "words")),
        line(summary.words_removed, "removed", ("word", "words")),
    ];
    let mut counts = counts;
    if summary.from_template > 0 {
        counts.push(line(
            summary.from_template,
            "from the template",
            ("change", "changes"),
        ));
    }
    let title = format!("What changed from {} to {}", old.id, new.id);
    let mut breadcrumbs = super::context::view_crumbs(site, edition, &path);
    // A view without governance has no timeline: its change pages belong
    // to its list of what changed.
    breadcrumbs.push(if view.governance {
        Link {
            title: "Revisions".into(),
            url: urls::relative(&path, &urls::revisions(&view.id)),
        }
    } else {
        Link {
            title: "What changed".into(),
            url: urls::relative(&path, &urls::view_changes(&view.id)),
        }
    });
    if side_by_side {
        breadcrumbs.push(Link {
            title: title.clone(),
            url: urls::relative(&path, &urls::changes(&view.id, &old.id, &new.id)),
        });
    }
    let spec = PageSpec {
        path: &path,
        title: if side_by_side {
            format!("{title}, side by side")
        } else {
            title
        },
        description: format!(
            "Every change to the {} between revision {} and revision {}, as {} read it.",
            site.settings.policy_title, old.id, new.id, view.title
        ),
        view: Some((
            edition,
            if view.governance {
                ViewPage::Revisions
            } else {
                ViewPage::Changes
            },
        )),
        breadcrumbs,
    };
    let mut context = tera::Context::new();
    context.insert("page", &chrome(site, &spec));
    context.insert("old", &revision_info(old));
    context.insert("new", &revision_info(new));
    context.insert("new_is_draft", &!new.approval.is_approved());
    context.insert("counts", &counts);
    context.insert("data", &changes.data);
    context.insert(
        "changed",
        &sections
            .iter()
            .filter(|s| s.status != "unchanged")
            .collect::<Vec<_>>(),
    );
    context.insert(
        "unchanged",
        &sections
            .iter()
            .filter(|s| s.status == "unchanged")
            .collect::<Vec<_>>(),
    );
    context.insert(
        "other_layout",
        &urls::relative(
            &path,
            &if side_by_side {
                urls::changes(&view.id, &old.id, &new.id)
            } else {
                urls::changes_side_by_side(&view.id, &old.id, &new.id)
            },
        ),
    );
    let template = if side_by_side {
        "side-by-side.html"
    } else {
        "changes.html"
    };
    output.page(theme, template, &path, context);
}

/// A block to show, or how many unchanged blocks are left out.
pub(super) enum Shown<'a> {
    Block(&'a BlockChange),
    Elided(usize),
}

/// Unchanged blocks around a change give it context.
const CONTEXT: usize = 1;

/// The blocks a change page shows for a section: for an added or removed
/// section, all of it; for a changed one, each change with one unchanged
/// block either side, the rest counted; for a moved or renamed one, none.
pub(super) fn shown_blocks(change: &SectionChange) -> Vec<Shown<'_>> {
    let blocks = &change.blocks;
    match change.status {
        ChangeKind::Added | ChangeKind::Removed => {
            return blocks.iter().map(Shown::Block).collect();
        }
        ChangeKind::Unchanged => return Vec::new(),
        ChangeKind::Changed => {}
    }
    let near_change = |i: usize| {
        let from = i.saturating_sub(CONTEXT);
        let to = (i + CONTEXT + 1).min(blocks.len());
        blocks[from..to].iter().any(|b| b.mark != BlockMark::Same)
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, block) in blocks.iter().enumerate() {
        if near_change(i) {
            if skipped > 0 {
                out.push(Shown::Elided(skipped));
                skipped = 0;
            }
            out.push(Shown::Block(block));
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        out.push(Shown::Elided(skipped));
    }
    out
}

pub(super) fn elided_html(count: usize) -> String {
    let noun = if count == 1 { "block" } else { "blocks" };
    format!("<p class=\"block-elided\">… {count} unchanged {noun} …</p>")
}

fn status_word(change: &SectionChange) -> &'static str {
    match change.status {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
        ChangeKind::Unchanged if change.moved.is_some() => "moved",
        ChangeKind::Unchanged if change.renamed => "renamed",
        ChangeKind::Unchanged => "unchanged",
    }
}

/// A block of the new text with its changes marked. Screen readers hear
/// "added" and "removed" before each change; the marks alone are not
/// enough for everyone.
pub(super) fn marked_html(block: &BlockChange) -> String {
    let kind = block.kind.describe();
    let mut html = String::new();
    let whole = match block.mark {
        BlockMark::Added => Some(("ins", "added")),
        BlockMark::Removed => Some(("del", "removed")),
        _ => None,
    };
    let class = match block.mark {
        BlockMark::Same => "block",
        BlockMark::Added => "block block-added",
        BlockMark::Removed => "block block-removed",
        BlockMark::Changed => "block block-changed",
    };
    html.push_str(&format!(
        "<div class=\"{class} block-{}\">",
        kind.replace(' ', "-")
    ));
    if let Some((tag, word)) = whole {
        html.push_str(&format!(
            "<{tag}><span class=\"visually-hidden\">{word} {kind}: </span>{}</{tag}>",
            escape(&block.side(tag == "del"))
        ));
    } else {
        for piece in &block.pieces {
            html.push_str(&piece_html(piece.mark, &piece.text));
        }
    }
    html.push_str("</div>");
    html
}

fn piece_html(mark: Mark, text: &str) -> String {
    match mark {
        Mark::Same => escape(text),
        Mark::Added => format!(
            "<ins><span class=\"visually-hidden\">added: </span>{}</ins>",
            escape(text)
        ),
        Mark::Removed => format!(
            "<del><span class=\"visually-hidden\">removed: </span>{}</del>",
            escape(text)
        ),
    }
}

/// One side of a block for the side-by-side page: the old side shows what
/// was removed, the new side what was added.
fn side_html(block: &BlockChange, old: bool) -> String {
    let absent =
        (old && block.mark == BlockMark::Added) || (!old && block.mark == BlockMark::Removed);
    if absent {
        return String::new();
    }
    let shown = if old { Mark::Removed } else { Mark::Added };
    let mut html = String::new();
    for piece in &block.pieces {
        if piece.mark == Mark::Same {
            html.push_str(&escape(&piece.text));
        } else if piece.mark == shown {
            html.push_str(&piece_html(piece.mark, &piece.text));
        }
    }
    html
}
