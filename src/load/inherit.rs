//! Inheriting from a template (`template: {path: ../la-template}` in
//! site.yaml): the template's site root is read like the site's own, into
//! the same sources so that every message names the real file
//! (`../la-template/content/040-filtering.md:12:5`), and each of the site's
//! revisions is merged with the template revision its versions.yaml entry
//! pins. The merge is the format's rules: a school section of the same id
//! replaces the template's where it stands, `omit: true` leaves it out,
//! others are added by their number; data entries replace by id, add, or
//! drop with `omit: true`; fill-ins are kept layer by layer for `validate`.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::content::{Content, RawSection};
use super::entries::{
    CheckEntry, DataFiles, DateEntry, DocumentEntry, GlossaryEntry, OrganisationEntry, PersonEntry,
    RoleEntry, SiteFile, TemplateEntry, Text, VersionEntry,
};
use super::yaml::Document;
use super::{LoadedRevision, Reading, SiteRead, SiteRoot, read_site};
use crate::diagnostics::{Diagnostic, Place, Sources};
use crate::model::{Omitted, Origin, TemplateUse};
use serde_saphyr::Spanned;

/// A template, read: its own site.yaml's name and each of its revisions,
/// already merged with its own template when it has one.
pub struct TemplateSite {
    pub dir: PathBuf,
    /// Its root as this site's site.yaml writes it (`../la-template`).
    pub path: String,
    /// How its files are named in messages (`../la-template/`).
    pub shown: String,
    /// Its name, from its site.yaml (`school: name:`).
    pub name: String,
    pub versions: Option<(Document, Vec<VersionEntry>)>,
    pub revisions: Vec<LoadedRevision>,
}

impl TemplateSite {
    /// Revision ids and whether each is approved, in versions.yaml order.
    pub fn revision_ids(&self) -> Vec<(String, bool)> {
        self.versions
            .as_ref()
            .map(|(_, entries)| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.id.value.trim().to_string(),
                            e.status.value.trim() == "approved",
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn revision(&self, id: &str) -> Option<&LoadedRevision> {
        let (_, entries) = self.versions.as_ref()?;
        let index = entries.iter().position(|e| e.id.value.trim() == id)?;
        self.revisions.iter().find(|r| r.entry == Some(index))
    }
}

/// `template:` as a trust gives it to a school whose site.yaml names
/// none: written nowhere in the school's files, so it has no place there
/// (trust.yaml has checked that it is a site).
pub(super) fn given(path: String) -> Spanned<TemplateEntry> {
    let nowhere = serde_saphyr::Location::UNKNOWN;
    Spanned::new(
        TemplateEntry {
            path: Spanned::new(path, nowhere, nowhere),
        },
        nowhere,
        nowhere,
    )
}

/// `a/../b` → `b`, without touching the file system, so that a chain of
/// templates is named the way a user would write the path.
fn tidy(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// Reads the template site.yaml names, when it names one; `None` (with the
/// problem reported at `path:`) when it cannot be read.
pub(super) fn read_template(
    root: &SiteRoot,
    document: &Document,
    file: &SiteFile,
    reading: &mut Reading,
) -> Option<TemplateSite> {
    let entry = file.template.as_ref()?;
    let written = &entry.value.path;
    let value = written.value.trim();
    let place = document.span_of(reading.sources, written);
    let site_yaml = format!("{}data/site.yaml", root.shown);
    if value.is_empty() {
        reading.diagnostics.push(
            Diagnostic::error("`template: path:` is empty")
                .at(document.source, place)
                .help("write the template's site root, relative to this one, such as `path: ../la-template`"),
        );
        return None;
    }
    let dir = root.dir.join(value);
    let shown = {
        let joined = tidy(&format!("{}{value}", root.shown));
        if joined.is_empty() {
            String::new()
        } else {
            format!("{joined}/")
        }
    };
    if !dir.join("data").join("site.yaml").is_file() {
        reading.diagnostics.push(
            Diagnostic::error(format!(
                "the template `{value}` is not a site root: there is no {shown}data/site.yaml"
            ))
            .at(document.source, place)
            .help("`path` names the template's folder (holding data/ and content/), relative to this site's root, such as `../la-template`"),
        );
        return None;
    }
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.clone());
    if let Some(start) = reading.chain.iter().position(|(d, _)| *d == canonical) {
        let mut circle: Vec<String> = reading.chain[start..]
            .iter()
            .map(|(_, shown)| shown.clone())
            .collect();
        circle.push(reading.chain[start].1.clone());
        reading.diagnostics.push(
            Diagnostic::error(format!(
                "the templates go round in a circle: {}",
                circle.join(" → ")
            ))
            .at(document.source, place)
            .label(format!("{site_yaml} names {value}"))
            .help("a template cannot inherit, directly or through others, from a site that inherits from it: remove `template:` from one of these files"),
        );
        return None;
    }
    let read: SiteRead = read_site(
        &SiteRoot {
            dir: dir.clone(),
            shown: shown.clone(),
        },
        reading,
    );
    let name = read
        .site
        .as_ref()
        .map(|(_, site)| site.school.name.value.trim().to_string())
        .unwrap_or_else(|| value.to_string());
    Some(TemplateSite {
        dir,
        path: value.to_string(),
        shown,
        name,
        versions: read.versions,
        revisions: read.revisions,
    })
}

/// Finds the template revision a revision is pinned to and merges it in.
/// `false` when the revision cannot be built (its problem reported).
pub(super) fn pin(
    revision: &mut LoadedRevision,
    document: &Document,
    entry: &VersionEntry,
    site: Option<&(Document, SiteFile)>,
    template: Option<&TemplateSite>,
    reading: &mut Reading,
) -> bool {
    let id = entry.id.value.trim();
    let has_template = site.is_some_and(|(_, file)| file.template.is_some());
    let error = |sources: &Sources, at: &Text, message: String, help: String| {
        Diagnostic::error(message)
            .at(document.source, document.span_of(sources, at))
            .help(help)
    };
    match (&entry.template, template) {
        (None, None) if !has_template => true,
        // The template itself could not be read: its error is reported.
        (_, None) if has_template => false,
        (Some(pinned), None) => {
            let problem = error(
                reading.sources,
                pinned,
                format!("revision {id} names a template revision, but data/site.yaml names no template"),
                "add `template: {path: ../the-template}` to data/site.yaml, or remove `template:` from this entry".into(),
            );
            reading.diagnostics.push(problem);
            true
        }
        (None, Some(template)) => {
            let problem = error(
                reading.sources,
                &entry.id,
                format!("revision {id} does not say which revision of the template it is built on"),
                format!(
                    "add `template: <id>` to its entry; {}",
                    known_revisions(template)
                ),
            );
            reading.diagnostics.push(problem);
            false
        }
        (Some(pinned), Some(template)) => {
            let wanted = pinned.value.trim();
            let ids = template.revision_ids();
            let Some((_, approved)) = ids.iter().find(|(i, _)| i == wanted) else {
                let problem = error(
                    reading.sources,
                    pinned,
                    format!(
                        "revision {id} is pinned to `{}`, which is not a revision of the template {}",
                        crate::prose::shorten(wanted),
                        template.path
                    ),
                    known_revisions(template),
                );
                reading.diagnostics.push(problem);
                return false;
            };
            if entry.status.value.trim() == "approved" && !approved {
                let problem = error(
                    reading.sources,
                    pinned,
                    format!(
                        "revision {id} is approved, but the template revision {wanted} it is built on is a draft"
                    ),
                    "an approved revision's text must never change: pin it to an approved template revision".into(),
                );
                reading.diagnostics.push(problem);
            }
            let Some(parent) = template.revision(wanted) else {
                // Its files could not be read: the template's own error says why.
                return false;
            };
            merge(revision, parent, template, wanted, reading);
            true
        }
        (None, None) => true,
    }
}

fn known_revisions(template: &TemplateSite) -> String {
    let ids: Vec<String> = template
        .revision_ids()
        .into_iter()
        .map(|(id, approved)| {
            if approved {
                id
            } else {
                format!("{id} (draft)")
            }
        })
        .collect();
    if ids.is_empty() {
        format!("the template {} lists no revision", template.path)
    } else {
        format!(
            "the template's revisions ({}data/versions.yaml) are {}",
            template.shown,
            ids.join(", ")
        )
    }
}

fn merge(
    revision: &mut LoadedRevision,
    parent: &LoadedRevision,
    template: &TemplateSite,
    pin: &str,
    reading: &mut Reading,
) {
    let own = std::mem::replace(
        &mut revision.content,
        Content {
            sections: Vec::new(),
            assets: Vec::new(),
        },
    );
    let mut omitted = Vec::new();
    revision.content = merge_content(&parent.content, own, reading, &mut omitted);
    if revision.content.sections.is_empty() && !reading.diagnostics.has_errors() {
        reading.diagnostics.push(
            Diagnostic::error(format!(
                "revision {pin} of the template {} leaves this site no sections: it omits every one and has none of its own",
                template.path
            ))
            .help("keep at least one of the template's sections, or add one of the site's own to content/"),
        );
    }
    let own_data = std::mem::take(&mut revision.data);
    revision.data = merge_data(&parent.data, own_data, reading);
    revision.template = Some(TemplateUse {
        name: template.name.clone(),
        path: template.path.clone(),
        pin: pin.to_string(),
        omitted,
    });
}

/// Children of each section (and of content/ itself, `None`), in order.
fn children_of(sections: &[RawSection]) -> HashMap<Option<usize>, Vec<usize>> {
    let mut out: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (index, section) in sections.iter().enumerate() {
        out.entry(section.parent).or_default().push(index);
    }
    out
}

struct ContentMerge<'a> {
    template: &'a [RawSection],
    template_children: HashMap<Option<usize>, Vec<usize>>,
    template_ids: HashSet<String>,
    own: Vec<Option<RawSection>>,
    own_children: HashMap<Option<usize>, Vec<usize>>,
    /// The first of the site's sections with each id.
    own_by_id: HashMap<String, usize>,
    out: Vec<RawSection>,
}

fn merge_content(
    parent: &Content,
    own: Content,
    reading: &mut Reading,
    omitted: &mut Vec<Omitted>,
) -> Content {
    let template_ids = parent.sections.iter().map(|s| s.id.clone()).collect();
    let own_children = children_of(&own.sections);
    let mut own_by_id = HashMap::new();
    for (index, section) in own.sections.iter().enumerate() {
        own_by_id.entry(section.id.clone()).or_insert(index);
    }
    let mut merge = ContentMerge {
        template: &parent.sections,
        template_children: children_of(&parent.sections),
        template_ids,
        own: own.sections.into_iter().map(Some).collect(),
        own_children,
        own_by_id,
        out: Vec::new(),
    };
    merge.level(Some(None), Some(None), None, 0, reading, omitted);
    // A school section whose template section was never reached (it is in a
    // folder the school leaves out) is reported, never dropped silently.
    for section in merge.own.iter().flatten() {
        let shown = reading.sources.get(section.source).path.clone();
        reading.diagnostics.push(
            Diagnostic::error(format!(
                "{shown} replaces the template's section `{}`, which is inside a folder that is left out",
                section.id
            ))
            .in_file(&shown)
            .help("remove the file, or publish the folder it belongs in"),
        );
    }
    let mut assets = parent.assets.clone();
    for asset in own.assets {
        assets.retain(|a| a.path != asset.path);
        assets.push(asset);
    }
    Content {
        sections: merge.out,
        assets,
    }
}

/// One place in the merged tree: a template section (perhaps replaced or
/// omitted by the school's) or a section only the school has.
enum Slot {
    Template(usize),
    Added(usize),
}

impl ContentMerge<'_> {
    /// Merges the children of the template's section `template_parent` and
    /// the site's `own_parent` (`Some(None)` for content/ itself; `None` for
    /// "no such folder on this side") under `parent` in the output.
    fn level(
        &mut self,
        template_parent: Option<Option<usize>>,
        own_parent: Option<Option<usize>>,
        parent: Option<usize>,
        depth: usize,
        reading: &mut Reading,
        omitted: &mut Vec<Omitted>,
    ) {
        let mut slots: Vec<(u64, u8, usize, Slot)> = Vec::new();
        if let Some(key) = template_parent {
            for (n, &t) in self
                .template_children
                .get(&key)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let order = self.template[t].order.unwrap_or(u64::MAX);
                slots.push((order, 0, n, Slot::Template(t)));
            }
        }
        if let Some(key) = own_parent {
            for (n, &o) in self
                .own_children
                .get(&key)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let Some(section) = &self.own[o] else {
                    continue;
                };
                let first = self.own_by_id.get(&section.id) == Some(&o);
                if first && self.template_ids.contains(&section.id) {
                    // It takes the template section's place, wherever that is.
                    continue;
                }
                let order = section.order.unwrap_or(u64::MAX);
                slots.push((order, 1, n, Slot::Added(o)));
            }
        }
        // Template sections keep their order; an added one goes after every
        // template section whose number is not above its own.
        slots.sort_by_key(|(order, side, n, _)| (*order, *side, *n));
        for (_, _, _, slot) in slots {
            match slot {
                Slot::Template(t) => self.template_slot(t, parent, depth, reading, omitted),
                Slot::Added(o) => self.added_slot(o, parent, depth, reading),
            }
        }
    }

    fn push(&mut self, mut section: RawSection, parent: Option<usize>, depth: usize) -> usize {
        section.parent = parent;
        section.depth = depth;
        self.out.push(section);
        self.out.len() - 1
    }

    fn template_slot(
        &mut self,
        t: usize,
        parent: Option<usize>,
        depth: usize,
        reading: &mut Reading,
        omitted: &mut Vec<Omitted>,
    ) {
        let inherited = &self.template[t];
        let own = self.own_by_id.get(&inherited.id).copied();
        let Some(o) = own else {
            let mut section = inherited.clone();
            if section.origin == Origin::Own {
                section.origin = Origin::Template;
            }
            let at = self.push(section, parent, depth);
            self.level(Some(Some(t)), None, Some(at), depth + 1, reading, omitted);
            return;
        };
        let section = self.own[o]
            .take()
            .expect("each school section is placed once");
        if let Some(mark) = &section.omit {
            let place = Place::Span {
                source: mark.document.source,
                bytes: mark.document.point(reading.sources, &mark.omit),
            };
            let reason = mark
                .reason
                .as_ref()
                .map(|r| r.value.trim().to_string())
                .unwrap_or_default();
            if reason.is_empty() {
                let at = mark.reason.as_ref().map_or_else(
                    || mark.document.point(reading.sources, &mark.omit),
                    |r| mark.document.span_of(reading.sources, r),
                );
                reading.diagnostics.push(
                    Diagnostic::error(format!(
                        "`omit: true` leaves out the template's section `{}`, but gives no reason",
                        inherited.id
                    ))
                    .at(mark.document.source, at)
                    .help("add `reason: …` saying why the school leaves it out; governors see it"),
                );
            }
            omitted.push(Omitted {
                id: inherited.id.clone(),
                title: raw_title(inherited),
                reason,
                place,
            });
            self.drop_children(o, reading);
            return;
        }
        let at = if section.needs_index {
            // A folder of the school's that only changes what is inside.
            let mut index = inherited.clone();
            if index.origin == Origin::Own {
                index.origin = Origin::Template;
            }
            self.push(index, parent, depth)
        } else {
            let mut section = section;
            section.origin = Origin::Replaced;
            self.push(section, parent, depth)
        };
        self.level(
            Some(Some(t)),
            Some(Some(o)),
            Some(at),
            depth + 1,
            reading,
            omitted,
        );
    }

    fn added_slot(&mut self, o: usize, parent: Option<usize>, depth: usize, reading: &mut Reading) {
        let Some(section) = self.own[o].take() else {
            return;
        };
        if let Some(mark) = &section.omit {
            reading.diagnostics.push(
                Diagnostic::error(format!(
                    "`omit: true` leaves out the section `{}`, but the template revision has no section of that id",
                    section.id
                ))
                .at(mark.document.source, mark.document.point(reading.sources, &mark.omit))
                .help("check the file name against the template's content/, or remove the file"),
            );
            return;
        }
        if section.needs_index {
            let shown = reading.sources.get(section.source).path.clone();
            reading.diagnostics.push(
                Diagnostic::error(format!("the section folder {shown} has no _index.md"))
                    .in_file(&shown)
                    .help("add _index.md with the folder section's title and front matter; only a folder with the id of one of the template's may leave it out"),
            );
            self.drop_children(o, reading);
            return;
        }
        let at = self.push(section, parent, depth);
        let mut none = Vec::new();
        self.level(None, Some(Some(o)), Some(at), depth + 1, reading, &mut none);
    }

    /// The school's sections inside a folder that is left out: an error
    /// each, never dropped without a word.
    fn drop_children(&mut self, o: usize, reading: &mut Reading) {
        let children = self.own_children.get(&Some(o)).cloned().unwrap_or_default();
        for child in children {
            if let Some(section) = self.own[child].take() {
                let shown = reading.sources.get(section.source).path.clone();
                reading.diagnostics.push(
                    Diagnostic::error(format!("{shown} is inside a folder that is not published"))
                        .in_file(&shown)
                        .help("move it out of the folder, or publish the folder"),
                );
                self.drop_children(child, reading);
            }
        }
    }
}

fn raw_title(section: &RawSection) -> String {
    section
        .front
        .as_ref()
        .map(|(_, front)| front.title.value.trim().to_string())
        .unwrap_or_else(|| section.id.clone())
}

/// An entry of a data file that has an id, and the file it is written in.
pub trait Keyed: Clone {
    fn id(&self) -> &Text;
    fn set_from(&mut self, document: Document);
}

macro_rules! keyed {
    ($($entry:ty),*) => {$(
        impl Keyed for $entry {
            fn id(&self) -> &Text {
                &self.id
            }
            fn set_from(&mut self, document: Document) {
                if self.from.is_none() {
                    self.from = Some(document);
                }
            }
        }
    )*};
}
keyed!(
    RoleEntry,
    PersonEntry,
    OrganisationEntry,
    DocumentEntry,
    DateEntry,
    CheckEntry,
    GlossaryEntry
);

/// Every entry names the file it is written in, so that a problem in an
/// inherited one is reported there.
fn mark_from<T: Keyed>(file: &mut Option<(Document, Vec<T>)>) {
    if let Some((document, entries)) = file {
        for entry in entries.iter_mut() {
            entry.set_from(*document);
        }
    }
}

/// The school's entries replace the template's by id where they stand,
/// add the rest after them, and `omit` entries drop inherited ones.
fn merge_list<T: Keyed>(
    inherited: &Option<(Document, Vec<T>)>,
    own: Option<(Document, Vec<T>)>,
    omits: &[(Document, super::entries::OmitEntry)],
    kind: &str,
    file: &str,
    reading: &mut Reading,
    keep: impl Fn(&T, &mut T),
) -> Option<(Document, Vec<T>)> {
    let mut inherited = inherited.clone();
    mark_from(&mut inherited);
    let mut own = own;
    mark_from(&mut own);
    let inherited_ids: HashSet<String> = inherited
        .iter()
        .flat_map(|(_, e)| e.iter().map(|e| e.id().value.clone()))
        .collect();
    for (document, omit) in omits {
        if !inherited_ids.contains(&omit.id.value) {
            reading.diagnostics.push(
                Diagnostic::error(format!(
                    "`omit: true` drops the {kind} `{}`, but the template's {file} has no {kind} of that id",
                    crate::prose::shorten(&omit.id.value)
                ))
                .at(document.source, document.span_of(reading.sources, &omit.id))
                .help(format!("check the id against the template's {file}, or remove the entry")),
            );
        }
    }
    let dropped: HashSet<&str> = omits.iter().map(|(_, o)| o.id.value.as_str()).collect();
    let (document, mut entries) = match (inherited, own) {
        (None, None) => return None,
        (Some(inherited), None) => (inherited.0, inherited.1),
        (None, Some(own)) => (own.0, own.1),
        (Some((_, inherited)), Some((document, own))) => {
            let mut taken = vec![false; own.len()];
            let mut merged = Vec::new();
            for entry in inherited {
                match own.iter().position(|o| o.id().value == entry.id().value) {
                    Some(i) if !taken[i] => {
                        taken[i] = true;
                        let mut replacement = own[i].clone();
                        keep(&entry, &mut replacement);
                        merged.push(replacement);
                    }
                    _ => merged.push(entry),
                }
            }
            merged.extend(
                own.into_iter()
                    .zip(taken)
                    .filter(|(_, taken)| !taken)
                    .map(|(entry, _)| entry),
            );
            (document, merged)
        }
    };
    entries.retain(|e| !dropped.contains(e.id().value.as_str()));
    Some((document, entries))
}

/// An entry that replaces a template's keeps nothing of it.
fn keep_nothing<T>(_: &T, _: &mut T) {}

fn merge_data(inherited: &DataFiles, own: DataFiles, reading: &mut Reading) -> DataFiles {
    let omits_of = |kind: &str| -> Vec<(Document, super::entries::OmitEntry)> {
        own.omits
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, d, e)| (*d, e.clone()))
            .collect()
    };
    let roles_omits = omits_of("roles");
    let people_omits = omits_of("people");
    let organisation_omits = omits_of("organisations");
    let document_omits = omits_of("documents");
    let date_omits = omits_of("dates");
    let check_omits = omits_of("checks");
    let glossary_omits = omits_of("glossary");
    let roles = merge_list(
        &inherited.roles,
        own.roles,
        &roles_omits,
        "role",
        "data/roles.yaml",
        reading,
        keep_nothing,
    );
    let people = merge_list(
        &inherited.people,
        own.people,
        &people_omits,
        "person",
        "data/people.yaml",
        reading,
        keep_nothing,
    );
    let organisations = merge_list(
        &inherited.organisations,
        own.organisations,
        &organisation_omits,
        "organisation",
        "data/organisations.yaml",
        reading,
        keep_nothing,
    );
    // The template knowing of a newer edition is a fact about the
    // document, not the school: a school's entry keeps it.
    let documents = merge_list(
        &inherited.documents,
        own.documents,
        &document_omits,
        "document",
        "data/documents.yaml",
        reading,
        |inherited: &DocumentEntry, own: &mut DocumentEntry| {
            if own.superseded_by.is_none() {
                own.superseded_by = inherited.superseded_by.clone();
                own.superseded_from = inherited.from;
            }
        },
    );
    let glossary = merge_list(
        &inherited.glossary,
        own.glossary,
        &glossary_omits,
        "term",
        "data/glossary.yaml",
        reading,
        keep_nothing,
    );
    let reviews = {
        let split = |file: &Option<(Document, super::entries::ReviewsFile)>| {
            file.as_ref().map(|(document, reviews)| {
                (
                    (*document, reviews.dates.clone()),
                    (*document, reviews.checks.clone()),
                )
            })
        };
        let (inherited_dates, inherited_checks) = split(&inherited.reviews).unzip();
        let (own_dates, own_checks) = split(&own.reviews).unzip();
        let dates = merge_list(
            &inherited_dates,
            own_dates,
            &date_omits,
            "date",
            "data/reviews.yaml",
            reading,
            keep_nothing,
        );
        let checks = merge_list(
            &inherited_checks,
            own_checks,
            &check_omits,
            "check",
            "data/reviews.yaml",
            reading,
            keep_nothing,
        );
        let document = own
            .reviews
            .as_ref()
            .or(inherited.reviews.as_ref())
            .map(|(d, _)| *d);
        document.map(|document| {
            (
                document,
                super::entries::ReviewsFile {
                    dates: dates.map(|(_, d)| d).unwrap_or_default(),
                    checks: checks.map(|(_, c)| c).unwrap_or_default(),
                },
            )
        })
    };
    let mut fills = own.fills.clone();
    if let Some((document, entries)) = &mut fills {
        for entry in entries.iter_mut() {
            entry.from.get_or_insert(*document);
        }
    }
    if let Some((document, entries)) = &inherited.fills {
        let (_, merged) = fills.get_or_insert_with(|| (*document, Vec::new()));
        for entry in entries {
            let mut entry = entry.clone();
            entry.from.get_or_insert(*document);
            entry.layer += 1;
            merged.push(entry);
        }
    }
    let mut unreadable = own.unreadable.clone();
    for name in &inherited.unreadable {
        if !unreadable.contains(name) {
            unreadable.push(name);
        }
    }
    DataFiles {
        roles,
        people,
        organisations,
        documents,
        reviews,
        strands: if own.strands_own {
            own.strands
        } else {
            inherited.strands.clone()
        },
        strands_own: own.strands_own || inherited.strands_own,
        curriculum: own.curriculum.or_else(|| inherited.curriculum.clone()),
        fills,
        glossary,
        unreadable,
        omits: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn a_chain_of_paths_is_named_as_a_user_would_write_it() {
        assert_eq!(tidy("../la/../national"), "../national");
        assert_eq!(tidy("./../la"), "../la");
        assert_eq!(tidy("../../x"), "../../x");
    }
}
