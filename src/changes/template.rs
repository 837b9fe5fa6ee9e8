//! What changed in a school's template that the school has not taken in:
//! between the template revision the school's revision is pinned to and
//! the template's newest approved revision. The template's two revisions
//! are compared as any two revisions are (`changes::compare`, the same
//! matching and word marks), and each changed section is then sorted by
//! how the school takes it: (a) inherited sections that changed, (b)
//! sections the school replaced or left out whose template text changed —
//! the lead's decision — (c) new template sections, (d) template sections
//! removed, and (e) fill-ins added or whose prompt changed. Plain values,
//! for the governors' `template/` page, `policyweb template changes` and
//! `policyweb status` alike.

use serde::Serialize;

use super::text::Block;
use super::{ChangeKind, Changes, SectionChange};
use crate::model::{Origin, Revision, Site};

/// How the school's revision takes a section id of its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The school has no file of its own with the id: the template's text
    /// is what its readers get.
    Inherited,
    /// The school's own section has the id: its text, as plain blocks.
    Replaced { blocks: Vec<Block> },
    /// The school leaves the section out, for this reason, in this file.
    Omitted { reason: String, file: String },
}

/// A fill-in a template revision declares: `[[fill:id]]` in its text,
/// with the prompt the school answers (`data/fills.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillPrompt {
    pub id: String,
    pub prompt: String,
}

/// The template side of the comparison: its site, the revision the school
/// is pinned to and the newest approved one, and each one's fill-ins.
pub struct TemplateSide<'a> {
    /// The template's name as the school's pages call it.
    pub name: &'a str,
    pub site: &'a Site,
    pub pinned: &'a Revision,
    pub newest: &'a Revision,
    pub pinned_fills: &'a [FillPrompt],
    pub newest_fills: &'a [FillPrompt],
}

/// The school side: how it takes each template section id, and which
/// fill-ins it gives text for.
pub struct SchoolSide<'a> {
    pub taken: &'a dyn Fn(&str) -> Taken,
    pub filled: &'a dyn Fn(&str) -> bool,
}

/// Everything in the newer template revision the school has not taken in.
#[derive(Debug, Serialize)]
pub struct TemplateChanges {
    pub template: String,
    /// The template revision the school is pinned to.
    pub pinned: String,
    /// The template's newest approved revision.
    pub newest: String,
    pub counts: Counts,
    /// (a) Sections the school inherits whose text changed (or that were
    /// moved or renamed): they change on the school's pages once adopted.
    pub inherited: Vec<SectionChange>,
    /// (b) Sections the school replaced or left out whose template text
    /// changed: the lead decides whether the school's text should follow.
    pub replaced: Vec<ReplacedChange>,
    /// (c) Sections new in the template.
    pub added: Vec<AddedSection>,
    /// (d) Sections the template no longer has.
    pub removed: Vec<RemovedSection>,
    /// (e) Fill-ins new in the template, or whose prompt changed.
    pub fills: Vec<FillChange>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub inherited: usize,
    pub replaced: usize,
    pub added: usize,
    pub removed: usize,
    pub fills: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.inherited + self.replaced + self.added + self.removed + self.fills
    }
}

/// A template section the school replaced or left out, changed in the
/// template: old → new beside what the school has.
#[derive(Debug, Serialize)]
pub struct ReplacedChange {
    /// The template's old → new, with the word marks.
    pub template: SectionChange,
    /// What the school has in its place now.
    pub school: SchoolText,
    /// Set when the template gave the section a new id: the school's file
    /// must take the new id to go on replacing it.
    pub new_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SchoolText {
    Replaced {
        blocks: Vec<Block>,
    },
    /// `file`: the school's file that omits it.
    Omitted {
        reason: String,
        file: String,
    },
}

#[derive(Debug, Serialize)]
pub struct AddedSection {
    #[serde(flatten)]
    pub change: SectionChange,
    /// The school already has a section of its own with the id, which
    /// will replace the template's once adopted.
    pub school_has_id: bool,
}

#[derive(Debug, Serialize)]
pub struct RemovedSection {
    #[serde(flatten)]
    pub change: SectionChange,
    /// How the school takes it now: its own text stays as a section of
    /// the school's own; an omit has nothing left to leave out.
    pub school: Option<SchoolText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FillChange {
    pub id: String,
    pub prompt: String,
    /// The prompt before, when it changed; `None` for a new fill-in.
    pub old_prompt: Option<String>,
    /// Whether the school's data/fills.yaml gives its text already.
    pub filled: bool,
}

impl FillChange {
    pub fn is_new(&self) -> bool {
        self.old_prompt.is_none()
    }
}

/// Where a school's revision stands against its template.
#[derive(Debug, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Standing {
    /// The template could not be read whole, so what changed in it cannot
    /// be worked out: its own build names the problems.
    Unreadable { template: String, root: String },
    /// The template has no approved revision yet: nothing to adopt.
    NothingApproved { template: String },
    /// Pinned to the template's newest approved revision.
    UpToDate { template: String, pinned: String },
    /// A newer approved template revision is waiting.
    Behind {
        #[serde(flatten)]
        changes: Box<TemplateChanges>,
        /// The first approved template revision after the pin, and the day
        /// it was approved: the school has not adopted it since then.
        waiting: String,
        waiting_since: Option<String>,
        /// Days since `waiting_since`, on the site's today.
        waiting_days: Option<i64>,
    },
}

/// The draft that has already adopted the template's newest approved
/// revision while the revision in force has not: its id.
pub fn adopted_in_draft(site: &Site) -> Option<String> {
    let draft = site.draft()?;
    let in_force = matches!(in_force(site)?, Standing::Behind { .. });
    let working = matches!(working(site)?, Standing::UpToDate { .. });
    (in_force && working).then(|| draft.id.clone())
}

impl Standing {
    /// The changes waiting, if any.
    pub fn changes(&self) -> Option<&TemplateChanges> {
        match self {
            Standing::Behind { changes, .. } => Some(changes),
            _ => None,
        }
    }
}

/// Where the school's revision in force stands (its newest while nothing
/// is approved): what its pages show against the newest approved template.
/// How the school takes each section is read from its newest revision,
/// the text the lead edits and adopts into. `None` for a site built on no
/// template.
pub fn in_force(site: &Site) -> Option<Standing> {
    let in_force = site.current().unwrap_or_else(|| site.newest());
    standing(site, in_force, site.newest())
}

/// Where the school's newest revision stands, the one the lead edits:
/// what is not yet adopted.
pub fn working(site: &Site) -> Option<Standing> {
    standing(site, site.newest(), site.newest())
}

/// Where `pinned_by` of the school stands against its template, with the
/// school's own sections and fill-ins read from `school`.
pub fn standing(site: &Site, pinned_by: &Revision, school: &Revision) -> Option<Standing> {
    let revision = school;
    let link = site.template.as_ref()?;
    let name = link.name.clone();
    let Some(template) = link.site.as_deref() else {
        return Some(Standing::Unreadable {
            template: name,
            root: link.path.clone(),
        });
    };
    let Some(newest) = template.current() else {
        return Some(Standing::NothingApproved { template: name });
    };
    let at = |id: &str| template.revisions.iter().position(|r| r.id == id);
    let newest_at = at(&newest.id)?;
    let pinned_id = pin(pinned_by)?;
    let Some(pinned_at) = at(pinned_id) else {
        // validate names a pin the template does not have.
        return Some(Standing::Unreadable {
            template: name,
            root: link.path.clone(),
        });
    };
    if pinned_at >= newest_at {
        return Some(Standing::UpToDate {
            template: name,
            pinned: pinned_id.to_string(),
        });
    }
    let pinned = &template.revisions[pinned_at];
    let first_waiting = template.revisions[pinned_at + 1..=newest_at]
        .iter()
        .find(|r| r.approval.is_approved())
        .unwrap_or(newest);
    let since = match &first_waiting.approval {
        crate::model::Approval::Approved { date, .. } => *date,
        crate::model::Approval::Draft => None,
    };
    let changes = between(site, revision, (template, &name), (pinned, newest));
    Some(Standing::Behind {
        changes: Box::new(changes),
        waiting: first_waiting.id.clone(),
        waiting_since: since.map(|d| d.iso()),
        waiting_days: since.map(|d| (site.today - d.last_day()).num_days()),
    })
}

/// What moving `revision`'s pin from `from` to `to` (template revision
/// ids) carries in; `None` when the site has no template read whole or
/// the template lacks either id.
pub fn carried_in(
    site: &Site,
    revision: &Revision,
    from: &str,
    to: &str,
) -> Option<TemplateChanges> {
    let link = site.template.as_ref()?;
    let template = link.site.as_deref()?;
    let from = template.revision(from)?;
    let to = template.revision(to)?;
    Some(between(site, revision, (template, &link.name), (from, to)))
}

fn between(
    site: &Site,
    revision: &Revision,
    (template, name): (&Site, &str),
    (pinned, newest): (&Revision, &Revision),
) -> TemplateChanges {
    let pinned_fills = declared_fills(pinned);
    let newest_fills = declared_fills(newest);
    let taken = |id: &str| taken(site, revision, id);
    let filled = |id: &str| filled(revision, id);
    compare(
        &TemplateSide {
            name,
            site: template,
            pinned,
            newest,
            pinned_fills: &pinned_fills,
            newest_fills: &newest_fills,
        },
        &SchoolSide {
            taken: &taken,
            filled: &filled,
        },
    )
}

/// Compares the template's pinned and newest approved revisions and sorts
/// what changed by how the school takes it.
pub fn compare(template: &TemplateSide, school: &SchoolSide) -> TemplateChanges {
    let changes = super::compare(template.site, template.pinned, template.newest, None);
    let fills = fill_changes(template.pinned_fills, template.newest_fills, school.filled);
    sort(template.name, changes, fills, school.taken)
}

/// The fill-ins of `newest` that `pinned` lacks or asks differently for.
pub fn fill_changes(
    pinned: &[FillPrompt],
    newest: &[FillPrompt],
    filled: &dyn Fn(&str) -> bool,
) -> Vec<FillChange> {
    newest
        .iter()
        .filter_map(|fill| {
            let before = pinned.iter().find(|old| old.id == fill.id);
            match before {
                Some(old) if old.prompt.trim() == fill.prompt.trim() => None,
                _ => Some(FillChange {
                    id: fill.id.clone(),
                    prompt: fill.prompt.clone(),
                    old_prompt: before.map(|old| old.prompt.clone()),
                    filled: filled(&fill.id),
                }),
            }
        })
        .collect()
}

/// Sorts a comparison of two template revisions into (a)–(d), given how
/// the school takes each id, with the fill-in changes as (e).
pub fn sort(
    name: &str,
    changes: Changes,
    fills: Vec<FillChange>,
    taken: &dyn Fn(&str) -> Taken,
) -> TemplateChanges {
    let mut out = TemplateChanges {
        template: name.to_string(),
        pinned: changes.old.clone(),
        newest: changes.new.clone(),
        counts: Counts::default(),
        inherited: Vec::new(),
        replaced: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        fills,
    };
    for change in changes.sections {
        let touched =
            change.status != ChangeKind::Unchanged || change.renamed || change.moved.is_some();
        if !touched {
            continue;
        }
        match change.status {
            ChangeKind::Added => {
                let id = change.new.as_ref().map_or("", |s| s.id.as_str());
                let school_has_id = taken(id) != Taken::Inherited;
                out.added.push(AddedSection {
                    change,
                    school_has_id,
                });
            }
            ChangeKind::Removed => {
                let id = change.old.as_ref().map_or("", |s| s.id.as_str());
                let school = school_text(taken(id));
                out.removed.push(RemovedSection { change, school });
            }
            ChangeKind::Changed | ChangeKind::Unchanged => {
                // The school replaced or omitted the id its pinned
                // template used.
                let old_id = change.old.as_ref().map_or("", |s| s.id.as_str());
                let new_id = change.new.as_ref().map_or("", |s| s.id.as_str());
                match school_text(taken(old_id)) {
                    None => out.inherited.push(change),
                    Some(school) => {
                        let renamed = (old_id != new_id).then(|| new_id.to_string());
                        // A move alone leaves the school's text in place:
                        // nothing to decide.
                        if change.status == ChangeKind::Unchanged && renamed.is_none() {
                            continue;
                        }
                        out.replaced.push(ReplacedChange {
                            template: change,
                            school,
                            new_id: renamed,
                        });
                    }
                }
            }
        }
    }
    out.counts = Counts {
        inherited: out.inherited.len(),
        replaced: out.replaced.len(),
        added: out.added.len(),
        removed: out.removed.len(),
        fills: out.fills.len(),
    };
    out
}

fn school_text(taken: Taken) -> Option<SchoolText> {
    match taken {
        Taken::Inherited => None,
        Taken::Replaced { blocks } => Some(SchoolText::Replaced { blocks }),
        Taken::Omitted { reason, file } => Some(SchoolText::Omitted { reason, file }),
    }
}

/// "2 inherited sections changed, 1 replaced section to decide on, …":
/// the counts in one line, for the terminal, status and the page's top.
pub fn count_phrases(counts: &Counts) -> Vec<String> {
    let phrase = |count: usize, one: &str, many: &str| match count {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    vec![
        phrase(
            counts.inherited,
            "inherited section changed",
            "inherited sections changed",
        ),
        phrase(
            counts.replaced,
            "replaced section to decide on",
            "replaced sections to decide on",
        ),
        phrase(counts.added, "new section", "new sections"),
        phrase(counts.removed, "section removed", "sections removed"),
        phrase(
            counts.fills,
            "fill-in added or changed",
            "fill-ins added or changed",
        ),
    ]
}

/// The template revision `revision` is pinned to (`template:` in
/// versions.yaml).
fn pin(revision: &Revision) -> Option<&str> {
    revision.template.as_ref().map(|t| t.pin.as_str())
}

/// The fill-ins a template revision asks its schools for: those it
/// declares and leaves unfilled (a template in the middle of a chain may
/// fill some of its own template's itself).
fn declared_fills(revision: &Revision) -> Vec<FillPrompt> {
    revision
        .fills
        .iter()
        .filter(|f| f.text.is_none())
        .map(|f| FillPrompt {
            id: f.id.clone(),
            prompt: f.prompt.clone(),
        })
        .collect()
}

/// Whether the school's revision gives text for the fill-in `id`.
fn filled(revision: &Revision, id: &str) -> bool {
    revision.fill(id).is_some_and(|f| f.text.is_some())
}

/// How the school's revision takes the template's section `id`.
fn taken(site: &Site, revision: &Revision, id: &str) -> Taken {
    if let Some(omitted) = revision
        .template
        .as_ref()
        .and_then(|t| t.omitted.iter().find(|o| o.id == id))
    {
        let file = match &omitted.place {
            crate::diagnostics::Place::Span { source, .. } => {
                site.sources.get(*source).path.clone()
            }
            crate::diagnostics::Place::File(path) => path.display().to_string(),
        };
        return Taken::Omitted {
            reason: omitted.reason.clone(),
            file,
        };
    }
    match revision.section(id) {
        Some(section) if section.origin != Origin::Template => Taken::Replaced {
            blocks: super::section_blocks(site, revision, section, None),
        },
        _ => Taken::Inherited,
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::{BlockChange, BlockKind, BlockMark, Piece};
    use super::super::{SectionRef, Summary};
    use super::*;

    fn section(status: ChangeKind, old: Option<&str>, new: Option<&str>) -> SectionChange {
        let reference = |id: &str| SectionRef {
            id: id.into(),
            title: format!("Title of {id}"),
        };
        SectionChange {
            status,
            old: old.map(reference),
            new: new.map(reference),
            renamed: old.is_some() && new.is_some() && old != new,
            moved: None,
            words_added: 1,
            words_removed: 0,
            blocks: vec![BlockChange {
                kind: BlockKind::Paragraph,
                mark: BlockMark::Changed,
                pieces: vec![Piece {
                    mark: crate::changes::text::Mark::Added,
                    text: "new".into(),
                }],
            }],
            origin: None,
        }
    }

    fn changes(sections: Vec<SectionChange>) -> Changes {
        Changes {
            old: "2024-25".into(),
            new: "2025-26".into(),
            view: None,
            summary: Summary::default(),
            sections,
            data: Vec::new(),
        }
    }

    fn school(id: &str) -> Taken {
        match id {
            "filtering" | "mobile" => Taken::Replaced {
                blocks: vec![Block {
                    kind: BlockKind::Paragraph,
                    text: "Our own words.".into(),
                }],
            },
            "curriculum" => Taken::Omitted {
                reason: "We teach it through PSHE.".into(),
                file: "content/050-curriculum.md".into(),
            },
            _ => Taken::Inherited,
        }
    }

    #[test]
    fn each_change_is_sorted_by_how_the_school_takes_the_section() {
        let sorted = sort(
            "LA template",
            changes(vec![
                section(ChangeKind::Changed, Some("scope"), Some("scope")),
                section(ChangeKind::Unchanged, Some("roles"), Some("roles")),
                section(ChangeKind::Changed, Some("filtering"), Some("filtering")),
                section(ChangeKind::Changed, Some("curriculum"), Some("curriculum")),
                section(ChangeKind::Added, None, Some("ai")),
                section(ChangeKind::Added, None, Some("mobile")),
                section(ChangeKind::Removed, Some("cd-roms"), None),
            ]),
            Vec::new(),
            &school,
        );
        let ids = |list: &[SectionChange]| -> Vec<String> {
            list.iter()
                .map(|c| c.new.as_ref().or(c.old.as_ref()).unwrap().id.clone())
                .collect()
        };
        assert_eq!(ids(&sorted.inherited), ["scope"]);
        let replaced: Vec<&str> = sorted
            .replaced
            .iter()
            .map(|r| r.template.old.as_ref().unwrap().id.as_str())
            .collect();
        assert_eq!(replaced, ["filtering", "curriculum"]);
        assert!(matches!(
            sorted.replaced[1].school,
            SchoolText::Omitted { .. }
        ));
        let added: Vec<(&str, bool)> = sorted
            .added
            .iter()
            .map(|a| (a.change.new.as_ref().unwrap().id.as_str(), a.school_has_id))
            .collect();
        assert_eq!(added, [("ai", false), ("mobile", true)]);
        assert_eq!(sorted.removed.len(), 1);
        assert!(sorted.removed[0].school.is_none());
        assert_eq!(
            sorted.counts,
            Counts {
                inherited: 1,
                replaced: 2,
                added: 2,
                removed: 1,
                fills: 0
            }
        );
    }

    #[test]
    fn a_replaced_section_given_a_new_id_needs_the_school_file_renamed() {
        let mut renamed = section(ChangeKind::Unchanged, Some("filtering"), Some("web-filter"));
        renamed.renamed = true;
        let mut moved = section(ChangeKind::Unchanged, Some("mobile"), Some("mobile"));
        moved.moved = Some("moved to follow ‘Scope’".into());
        let sorted = sort("T", changes(vec![renamed, moved]), Vec::new(), &school);
        assert_eq!(
            sorted.replaced.len(),
            1,
            "a move alone is nothing to decide"
        );
        assert_eq!(sorted.replaced[0].new_id.as_deref(), Some("web-filter"));
    }

    #[test]
    fn fill_ins_new_or_asked_differently_are_listed() {
        let prompt = |id: &str, prompt: &str| FillPrompt {
            id: id.into(),
            prompt: prompt.into(),
        };
        let pinned = [
            prompt("provider", "Your filtering provider"),
            prompt("dsl-deputy", "Your deputy DSL"),
        ];
        let newest = [
            prompt("provider", "Your filtering and monitoring provider"),
            prompt("dsl-deputy", "Your deputy DSL "),
            prompt("ai-tools", "The AI tools pupils may use"),
        ];
        let changes = fill_changes(&pinned, &newest, &|id| id == "provider");
        assert_eq!(
            changes,
            [
                FillChange {
                    id: "provider".into(),
                    prompt: "Your filtering and monitoring provider".into(),
                    old_prompt: Some("Your filtering provider".into()),
                    filled: true,
                },
                FillChange {
                    id: "ai-tools".into(),
                    prompt: "The AI tools pupils may use".into(),
                    old_prompt: None,
                    filled: false,
                },
            ]
        );
    }

    #[test]
    fn counts_read_as_phrases() {
        let phrases = count_phrases(&Counts {
            inherited: 1,
            replaced: 2,
            added: 0,
            removed: 1,
            fills: 3,
        });
        assert_eq!(
            phrases,
            [
                "1 inherited section changed",
                "2 replaced sections to decide on",
                "0 new sections",
                "1 section removed",
                "3 fill-ins added or changed"
            ]
        );
    }
}
