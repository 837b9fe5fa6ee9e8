//! What changed between two revisions, as a governor reads it: sections
//! matched (by id, then by title, then by how alike their text is), moves
//! named as moves, blocks aligned and words marked (`text`), and changes to
//! the data in sentences (`data`). Used by the governors' change pages and
//! by `policyweb diff`; plain values, so both and `--format json` agree.

pub mod data_changes;
pub mod report;
pub mod template;
pub mod text;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::Serialize;

use crate::markdown::audience;
use crate::model::{Revision, Section, Site};
use text::{Block, BlockChange, BlockMark};

/// Everything that changed from `old` to `new`.
#[derive(Debug, Serialize)]
pub struct Changes {
    pub old: String,
    pub new: String,
    /// The view whose text was compared; `None` for every view's text.
    pub view: Option<String>,
    pub summary: Summary,
    /// Sections in the new revision's order, then removed ones.
    pub sections: Vec<SectionChange>,
    /// Changes to people, roles, dates, organisations… in sentences.
    pub data: Vec<String>,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub moved: usize,
    pub renamed: usize,
    pub unchanged: usize,
    pub words_added: usize,
    pub words_removed: usize,
    /// Sections whose change came with the template (a site built on one).
    #[serde(skip_serializing_if = "is_zero")]
    pub from_template: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct SectionChange {
    pub status: ChangeKind,
    pub old: Option<SectionRef>,
    pub new: Option<SectionRef>,
    /// Its id or title is not what it was.
    pub renamed: bool,
    /// "moved from ‘Policy and leadership’ to ‘Responsibilities’".
    pub moved: Option<String>,
    pub words_added: usize,
    pub words_removed: usize,
    /// Every block of the section, changed or not; removed ones where
    /// they stood.
    pub blocks: Vec<BlockChange>,
    /// For a site built on a template, where the change came from: "from
    /// the Anyshire Council template (2024-25 → 2025-26)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl SectionChange {
    /// The title to call it by: the new one, or the old for a removal.
    pub fn title(&self) -> &str {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .map_or("", |s| s.title.as_str())
    }

    /// An id for its detail on a page: the new id, else the old.
    pub fn anchor(&self) -> String {
        let id = self
            .new
            .as_ref()
            .or(self.old.as_ref())
            .map_or("", |s| &s.id);
        format!("change-{id}")
    }

    /// One line saying what happened to it, for the summary and terminal.
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        match self.status {
            ChangeKind::Added => parts.push("added".to_string()),
            ChangeKind::Removed => parts.push("removed".to_string()),
            ChangeKind::Changed => parts.push(format!(
                "changed: {} added, {} removed",
                words(self.words_added),
                words(self.words_removed)
            )),
            ChangeKind::Unchanged => {}
        }
        if self.renamed
            && let (Some(old), Some(new)) = (&self.old, &self.new)
        {
            parts.push(if old.title == new.title {
                format!("its address changed from `{}` to `{}`", old.id, new.id)
            } else {
                format!("renamed from ‘{}’", old.title)
            });
        }
        if let Some(moved) = &self.moved {
            parts.push(moved.clone());
        }
        if let Some(origin) = &self.origin {
            parts.push(origin.clone());
        }
        if parts.is_empty() {
            "unchanged".into()
        } else {
            parts.join("; ")
        }
    }
}

/// Where a section's change came from in a site built on a template: the
/// template's own text changing between the two revisions' pins, a section
/// the template added or removed, or the school's text giving way to the
/// template's or taking its place. `None` for the school's own changes.
fn template_origin(
    (old, before): (&Revision, Option<&Section>),
    (new, after): (&Revision, Option<&Section>),
) -> Option<String> {
    use crate::model::Origin;
    let uses = new.template.as_ref().or(old.template.as_ref())?;
    let name = &uses.name;
    let pin = |r: &Revision| r.template.as_ref().map(|t| t.pin.clone());
    let (old_pin, new_pin) = (pin(old), pin(new));
    let pins = match (&old_pin, &new_pin) {
        (Some(a), Some(b)) if a != b => format!(" ({a} → {b})"),
        (_, Some(b)) => format!(" ({b})"),
        _ => String::new(),
    };
    let omitted_in = |r: &Revision, id: &str| {
        r.template
            .as_ref()
            .is_some_and(|t| t.omitted.iter().any(|o| o.id == id))
    };
    match (before.map(|s| s.origin), after.map(|s| s.origin)) {
        // The same template text changes only with the pin; with the same
        // pin, what changed is the school's (a role's title, say).
        (Some(Origin::Template), Some(Origin::Template)) => {
            (old_pin != new_pin).then(|| format!("from the {name} template{pins}"))
        }
        (None, Some(Origin::Template)) => Some(format!("new in the {name} template{pins}")),
        (Some(Origin::Template), None) => {
            let id = &before?.id;
            Some(if omitted_in(new, id) {
                format!("left out by the school from the {name} template")
            } else {
                format!("removed from the {name} template{pins}")
            })
        }
        (Some(Origin::Replaced), Some(Origin::Template)) => Some(format!(
            "the school's own text gave way to the {name} template's{pins}"
        )),
        (Some(Origin::Template), Some(Origin::Replaced)) => Some(format!(
            "the school's own text now replaces the {name} template's"
        )),
        _ => None,
    }
}

/// "1 word", "12 words".
pub fn words(count: usize) -> String {
    if count == 1 {
        "1 word".into()
    } else {
        format!("{count} words")
    }
}

/// Each comparison one render of a site asks for, made once: a view's
/// change pages, its list of changes, its feed, its contents page and its
/// sections' "Updated in this revision" notes all ask for the same pairs.
/// For one site only (its revisions are told apart by id): made anew for
/// every render.
#[derive(Default)]
pub struct Comparisons {
    made: Mutex<HashMap<Pair, Arc<OnceLock<Arc<Changes>>>>>,
    /// What every view's comparisons share.
    shared: Shared,
}

/// What the comparisons of one render share, each made once: a section's
/// blocks (a revision is the new side of one pair and the old of the
/// next, and most views show a section alike) and the word diffs.
#[derive(Default)]
struct Shared {
    diffs: text::Diffs,
    /// Each section's blocks, by its revision's id and its text as a view
    /// shows it (the references are written out in that revision's words).
    blocks: text::Made<ShownSection, SectionBlocks>,
    /// The last render's (`Comparisons::keeping`).
    blocks_before: HashMap<ShownSection, SectionBlocks>,
}

/// A revision's id and a section's text as a view shows it.
type ShownSection = (String, String);

/// A section's blocks, with the words each reference in its text stood
/// for when they were made: the rest of them is the text's alone.
#[derive(Clone)]
struct SectionBlocks {
    names: Arc<Vec<(String, String)>>,
    blocks: Arc<Vec<Block>>,
}

/// What one render's comparisons made that the next render's may take
/// again (`serve` keeps it between rebuilds): each section's blocks and
/// each alignment of two sections' blocks. A rebuild after one edit
/// compares again every section of the revision edited, and all but one
/// are as they were.
#[derive(Default)]
pub struct Kept {
    blocks: HashMap<ShownSection, SectionBlocks>,
    aligned: text::KeptAligned,
}

/// How many sections' blocks a render keeps for the next at most: its
/// own, and the last render's it did not ask again while all together
/// are no more than this (a section edited again and again in `serve`
/// leaves a text each time).
const BLOCKS_KEPT_AT_MOST: usize = 1 << 12;

impl Shared {
    /// `section_blocks`, or what it gave for the same text before: in this
    /// render, or in the last when every reference in the text still
    /// stands for the same words.
    fn section_blocks(
        &self,
        site: &Site,
        revision: &Revision,
        section: &Section,
        view: Option<&str>,
    ) -> Arc<Vec<Block>> {
        let text = &site.sources.get(section.source).text;
        let filtered = audience::filter(text, section.body.clone(), &section.blocks, view);
        let made =
            self.blocks
                .get_or_make((revision.id.clone(), filtered.text), |key| {
                    if let Some(kept) = self.blocks_before.get(key)
                        && kept.names.iter().all(|(target, words)| {
                            reference_words(site, revision, target) == *words
                        })
                    {
                        return kept.clone();
                    }
                    let names = std::cell::RefCell::new(Vec::new());
                    let name = |target: &str| {
                        let words = reference_words(site, revision, target);
                        names.borrow_mut().push((target.to_string(), words.clone()));
                        words
                    };
                    let blocks = Arc::new(text::blocks(&key.1, &name));
                    SectionBlocks {
                        names: Arc::new(names.into_inner()),
                        blocks,
                    }
                });
        made.blocks
    }
}

/// The old revision's id, the new one's and the view's.
type Pair = (String, String, Option<String>);

impl Comparisons {
    /// `compare`, or what it gave when asked the same before.
    pub fn compare(
        &self,
        site: &Site,
        old: &Revision,
        new: &Revision,
        view: Option<&str>,
    ) -> Arc<Changes> {
        let key = (old.id.clone(), new.id.clone(), view.map(str::to_string));
        // The lock only finds the slot; the comparison is made outside it,
        // so that jobs asking for other pairs do not wait.
        let slot = Arc::clone(
            self.made
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key)
                .or_default(),
        );
        Arc::clone(slot.get_or_init(|| Arc::new(compare_in(site, old, new, view, &self.shared))))
    }

    /// Comparisons that start from the word similarities a last render
    /// left (`into_alike`): kept by the render cache across `serve`'s
    /// renders and, in its file, across builds.
    pub fn remembering(alike: text::Alike) -> Comparisons {
        Comparisons {
            made: Mutex::default(),
            shared: Shared {
                diffs: text::Diffs::remembering(alike),
                ..Shared::default()
            },
        }
    }

    /// These comparisons, starting also from what a last render's made
    /// (`into_kept`).
    pub fn keeping(self, kept: Kept) -> Comparisons {
        let Shared { diffs, blocks, .. } = self.shared;
        Comparisons {
            made: self.made,
            shared: Shared {
                diffs: diffs.keeping(kept.aligned),
                blocks,
                blocks_before: kept.blocks,
            },
        }
    }

    /// What this render made, for the next (`keeping`), and the word
    /// similarities it used (`into_alike`).
    pub fn into_kept(self) -> (Kept, text::Alike) {
        let (aligned, alike) = self.shared.diffs.into_kept();
        let blocks = text::kept_for_next(
            self.shared.blocks.into_inner(),
            self.shared.blocks_before,
            BLOCKS_KEPT_AT_MOST,
        );
        (Kept { blocks, aligned }, alike)
    }

    /// The word similarities this render used, for the next.
    pub fn into_alike(self) -> text::Alike {
        self.shared.diffs.into_alike()
    }
}

/// Two sections' texts this alike are one section renamed.
const SAME_SECTION: f32 = 0.6;

/// Compares two revisions as `view` shows them (every view's text when
/// `None`).
pub fn compare(site: &Site, old: &Revision, new: &Revision, view: Option<&str>) -> Changes {
    compare_in(site, old, new, view, &Shared::default())
}

/// `compare`, with what other comparisons made kept in `shared`.
fn compare_in(
    site: &Site,
    old: &Revision,
    new: &Revision,
    view: Option<&str>,
    shared: &Shared,
) -> Changes {
    let shown = |revision: &'_ Revision| -> Vec<usize> {
        (0..revision.sections.len())
            .filter(|&i| view.is_none_or(|v| revision.sections[i].shown_in(v)))
            .collect()
    };
    let old_shown = shown(old);
    let new_shown = shown(new);
    let old_blocks: Vec<Arc<Vec<Block>>> = old_shown
        .iter()
        .map(|&i| shared.section_blocks(site, old, &old.sections[i], view))
        .collect();
    let new_blocks: Vec<Arc<Vec<Block>>> = new_shown
        .iter()
        .map(|&i| shared.section_blocks(site, new, &new.sections[i], view))
        .collect();

    // Matches: new position (in new_shown) → old position (in old_shown).
    let mut matched: Vec<Option<usize>> = vec![None; new_shown.len()];
    let mut taken = vec![false; old_shown.len()];
    for (n, &ni) in new_shown.iter().enumerate() {
        // An old section is matched once, even where two share an id.
        if let Some(o) = (0..old_shown.len())
            .find(|&o| !taken[o] && old.sections[old_shown[o]].id == new.sections[ni].id)
        {
            matched[n] = Some(o);
            taken[o] = true;
        }
    }
    // Renamed: the same title under a new id, then alike text.
    for (n, &ni) in new_shown.iter().enumerate() {
        if matched[n].is_some() {
            continue;
        }
        let title = new.sections[ni].title.to_lowercase();
        if let Some(o) = (0..old_shown.len())
            .find(|&o| !taken[o] && old.sections[old_shown[o]].title.to_lowercase() == title)
        {
            matched[n] = Some(o);
            taken[o] = true;
        }
    }
    // The texts and words of the old sections left unmatched, the only
    // candidates, joined and counted once, and only when a new section is
    // left to match by its text. (Counting every old section's words was
    // a third of a comparison with a revision that added sections.)
    let old_texts: Vec<String> = if matched.contains(&None) && taken.contains(&false) {
        old_blocks
            .iter()
            .zip(&taken)
            .map(|(b, &taken)| if taken { String::new() } else { joined(b) })
            .collect()
    } else {
        Vec::new()
    };
    let old_words: Vec<Option<text::Words>> = old_texts
        .iter()
        .zip(&taken)
        .map(|(t, &taken)| (!taken).then(|| text::Words::of(t)))
        .collect();
    for n in 0..new_shown.len() {
        if matched[n].is_some() || !taken.contains(&false) {
            continue;
        }
        let new_text = joined(&new_blocks[n]);
        // Taken only grows, so every candidate's words were counted.
        let candidates = (0..old_shown.len())
            .filter(|&o| !taken[o])
            .filter_map(|o| Some((o, old_texts[o].as_str(), old_words[o].as_ref()?)));
        let best = text::most_alike(candidates, &new_text, SAME_SECTION, |old, new| {
            shared.diffs.similarity(old, new)
        });
        if let Some(o) = best {
            matched[n] = Some(o);
            taken[o] = true;
        }
    }

    let moved = moves(old, new, &old_shown, &new_shown, &matched);
    let mut summary = Summary::default();
    let mut sections = Vec::new();
    for (n, &ni) in new_shown.iter().enumerate() {
        let section = &new.sections[ni];
        let new_ref = Some(SectionRef {
            id: section.id.clone(),
            title: section.title.clone(),
        });
        let change = match matched[n] {
            None => {
                let blocks = whole(&new_blocks[n], BlockMark::Added);
                let (added, _) = count(&blocks);
                summary.added += 1;
                SectionChange {
                    status: ChangeKind::Added,
                    old: None,
                    new: new_ref,
                    renamed: false,
                    moved: None,
                    words_added: added,
                    words_removed: 0,
                    blocks,
                    origin: template_origin((old, None), (new, Some(section))),
                }
            }
            Some(o) => {
                let before = &old.sections[old_shown[o]];
                let blocks = shared.diffs.align(&old_blocks[o], &new_blocks[n]);
                let (added, removed) = count(&blocks);
                let renamed = before.id != section.id || before.title != section.title;
                let edited = blocks.iter().any(|b| b.mark != BlockMark::Same);
                let status = if edited {
                    ChangeKind::Changed
                } else {
                    ChangeKind::Unchanged
                };
                match status {
                    ChangeKind::Changed => summary.changed += 1,
                    _ if !renamed && moved[n].is_none() => summary.unchanged += 1,
                    _ => {}
                }
                summary.renamed += usize::from(renamed);
                summary.moved += usize::from(moved[n].is_some());
                SectionChange {
                    status,
                    old: Some(SectionRef {
                        id: before.id.clone(),
                        title: before.title.clone(),
                    }),
                    new: new_ref,
                    renamed,
                    moved: moved[n].clone(),
                    words_added: added,
                    words_removed: removed,
                    origin: (edited || renamed || moved[n].is_some())
                        .then(|| template_origin((old, Some(before)), (new, Some(section))))
                        .flatten(),
                    blocks,
                }
            }
        };
        summary.words_added += change.words_added;
        summary.words_removed += change.words_removed;
        summary.from_template += usize::from(change.origin.is_some());
        sections.push(change);
    }
    for (o, &oi) in old_shown.iter().enumerate() {
        if taken[o] {
            continue;
        }
        let section = &old.sections[oi];
        let blocks = whole(&old_blocks[o], BlockMark::Removed);
        let (_, removed) = count(&blocks);
        let origin = template_origin((old, Some(section)), (new, None));
        summary.removed += 1;
        summary.words_removed += removed;
        summary.from_template += usize::from(origin.is_some());
        sections.push(SectionChange {
            status: ChangeKind::Removed,
            old: Some(SectionRef {
                id: section.id.clone(),
                title: section.title.clone(),
            }),
            new: None,
            renamed: false,
            moved: None,
            words_added: 0,
            words_removed: removed,
            blocks,
            origin,
        });
    }
    // Sections paired across the revisions, renamed ones included, for
    // what their strand tags say.
    let pairs: Vec<(&str, &str)> = sections
        .iter()
        .filter_map(|c| Some((c.old.as_ref()?.id.as_str(), c.new.as_ref()?.id.as_str())))
        .collect();
    let data = data_changes::sentences(old, new, view, &pairs);
    Changes {
        old: old.id.clone(),
        new: new.id.clone(),
        view: view.map(str::to_string),
        summary,
        sections,
        data,
    }
}

/// A section's text as plain blocks, as `view` sees it, references
/// written out in the revision's own words.
pub fn section_blocks(
    site: &Site,
    revision: &Revision,
    section: &Section,
    view: Option<&str>,
) -> Vec<Block> {
    let text = &site.sources.get(section.source).text;
    let filtered = audience::filter(text, section.body.clone(), &section.blocks, view);
    let name = |target: &str| reference_words(site, revision, target);
    text::blocks(&filtered.text, &name)
}

/// The words a `[[kind:id]]` reference shows, in a revision.
fn reference_words(site: &Site, revision: &Revision, target: &str) -> String {
    let (kind, rest) = target.split_once(':').unwrap_or((target, ""));
    let id = rest.split('#').next().unwrap_or(rest);
    let found = match kind {
        "role" | "holders" => revision.role(id).map(|r| r.title.clone()),
        "person" => revision.person(id).map(|p| p.name.clone()),
        "org" => revision.organisation(id).map(|o| o.name.clone()),
        "doc" => revision.document(id).map(|d| d.title.clone()),
        "section" => revision.section(id).map(|s| s.title.clone()),
        "strand" => revision.framework.strand(id).map(|s| s.name.clone()),
        "curriculum" if id.is_empty() => Some("the curriculum map".into()),
        "curriculum" => revision
            .curriculum
            .as_ref()
            .and_then(|c| c.year(id))
            .map(|y| y.name.clone()),
        "date" if id == "approved" && revision.date(id).is_none() => {
            Some("(date of approval)".into())
        }
        "date" => revision.date(id).map(|d| d.long()),
        "school" => Some(site.settings.school.name.clone()),
        // The school's words; in a template, the fill-in's id in brackets
        // (its prompt is compared on its own).
        "fill" => revision
            .fill(id)
            .map(|f| f.text.clone().unwrap_or_else(|| format!("[{}]", f.id))),
        _ => None,
    };
    found.unwrap_or_else(|| target.to_string())
}

fn joined(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn whole(blocks: &[Block], mark: BlockMark) -> Vec<BlockChange> {
    let empty: Vec<Block> = Vec::new();
    match mark {
        BlockMark::Added => text::align(&empty, blocks),
        _ => text::align(blocks, &empty),
    }
}

fn count(blocks: &[BlockChange]) -> (usize, usize) {
    blocks
        .iter()
        .map(BlockChange::words)
        .fold((0, 0), |acc, (a, r)| (acc.0 + a, acc.1 + r))
}

/// For each new section matched to an old one: how it moved, if it did.
/// A section moved when its parent section changed, or when its place
/// among the sections around it did (it is not in the longest run kept in
/// order).
fn moves(
    old: &Revision,
    new: &Revision,
    old_shown: &[usize],
    new_shown: &[usize],
    matched: &[Option<usize>],
) -> Vec<Option<String>> {
    let parent_title = |revision: &Revision, section: &Section| {
        section
            .parent
            .map(|p| format!("‘{}’", revision.sections[p].title))
            .unwrap_or_else(|| "the top level".into())
    };
    let old_id_of_new_parent = |section: &Section| -> Option<String> {
        // The parent's old id, through the match, to compare like with like.
        let parent = section.parent?;
        let n = new_shown.iter().position(|&i| i == parent)?;
        matched[n].map(|o| old.sections[old_shown[o]].id.clone())
    };
    // A section that changed parent moved; among those that kept their
    // parent, one whose order changed against the rest moved.
    let parent_changed: Vec<bool> = new_shown
        .iter()
        .enumerate()
        .map(|(n, &ni)| {
            matched[n].is_some_and(|o| {
                let section = &new.sections[ni];
                let before = &old.sections[old_shown[o]];
                let old_parent = before.parent.map(|p| old.sections[p].id.clone());
                let new_parent = section
                    .parent
                    .map(|_| old_id_of_new_parent(section).unwrap_or_default());
                old_parent != new_parent
            })
        })
        .collect();
    let staying: Vec<Option<usize>> = matched
        .iter()
        .zip(&parent_changed)
        .map(|(o, changed)| o.filter(|_| !changed))
        .collect();
    let in_order = kept_in_order(&staying);
    let mut out = vec![None; new_shown.len()];
    for (n, &ni) in new_shown.iter().enumerate() {
        let Some(o) = matched[n] else { continue };
        let section = &new.sections[ni];
        let before = &old.sections[old_shown[o]];
        if parent_changed[n] {
            out[n] = Some(format!(
                "moved from {} to {}",
                parent_title(old, before),
                parent_title(new, section)
            ));
        } else if !in_order[n] {
            let after = new_shown[..n]
                .iter()
                .rev()
                .map(|&i| &new.sections[i])
                .find(|s| s.parent == section.parent);
            out[n] = Some(match after {
                Some(previous) => format!("moved to follow ‘{}’", previous.title),
                None => format!("moved to the start of {}", parent_title(new, section)),
            });
        }
    }
    out
}

/// Which matched sections keep their relative order: the longest
/// increasing run of old positions, taken in new order.
fn kept_in_order(matched: &[Option<usize>]) -> Vec<bool> {
    let items: Vec<(usize, usize)> = matched
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.map(|o| (n, o)))
        .collect();
    // Patience-style longest increasing subsequence with back links.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; items.len()];
    for (k, &(_, o)) in items.iter().enumerate() {
        let at = tails.partition_point(|&t| items[t].1 < o);
        back[k] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut keep = vec![false; matched.len()];
    let mut cursor = tails.last().copied();
    while let Some(k) = cursor {
        keep[items[k].0] = true;
        cursor = back[k];
    }
    for (n, o) in matched.iter().enumerate() {
        if o.is_none() {
            keep[n] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_ordered_run_stays_and_the_rest_moved() {
        // Old order a b c d; new order a c d b: b moved.
        let matched = [Some(0), Some(2), Some(3), Some(1)];
        assert_eq!(kept_in_order(&matched), vec![true, true, true, false]);
        let matched = [Some(0), None, Some(1)];
        assert_eq!(kept_in_order(&matched), vec![true, true, true]);
    }
}
