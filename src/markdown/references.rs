//! `[[kind:id]]` references: a name, address or date typed once in data/
//! and shown wherever a section mentions it. Resolution depends on the view
//! (a section reference must point at a section the view shows).

use crate::html::escape;
use crate::model::{Approval, Revision};
use crate::urls;

use super::{Mode, Page};

/// Every kind of reference, as `[[kind:id]]` names it.
const KINDS: &[&str] = &[
    "role",
    "person",
    "holders",
    "org",
    "doc",
    "section",
    "strand",
    "curriculum",
    "date",
    "school",
    "term",
    "fill",
];

/// A reference that could not be resolved: what is wrong and how to fix it.
pub struct Unresolved {
    pub message: String,
    pub help: String,
}

fn unknown(
    kind: &str,
    id: &str,
    known: impl IntoIterator<Item = String>,
    file: &str,
) -> Unresolved {
    let known: Vec<String> = known.into_iter().collect();
    Unresolved {
        message: format!("unknown {kind} `{}`", crate::prose::shorten(id)),
        help: crate::ids::unknown_help(id, known.iter().map(String::as_str), file),
    }
}

/// What a resolved reference produced: inline HTML, and the internal link it
/// makes (for the link check), if any.
pub struct Resolved {
    pub html: String,
    pub link: Option<String>,
    pub warning: Option<(String, String)>,
}

impl Resolved {
    fn inline(html: String) -> Self {
        Resolved {
            html,
            link: None,
            warning: None,
        }
    }
}

/// Resolves `target` (`role:dsl`, `section:reporting#flowchart`, `school`)
/// with an optional label.
pub fn resolve(page: &Page, target: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let (kind, id) = target.split_once(':').unwrap_or((target, ""));
    let defined_in = match kind {
        "role" | "holders" => "roles",
        "person" => "people",
        "org" => "organisations",
        "doc" => "documents",
        "date" => "reviews",
        "strand" => "strands",
        "curriculum" => "curriculum",
        "term" => "glossary",
        _ => "",
    };
    if page.unreadable.contains(&defined_in) {
        return resolve_known(page, kind, id, label)
            .or_else(|_| Ok(Resolved::inline(escape(label.unwrap_or(id)))));
    }
    resolve_known(page, kind, id, label)
}

fn resolve_known(
    page: &Page,
    kind: &str,
    id: &str,
    label: Option<&str>,
) -> Result<Resolved, Unresolved> {
    let target = if id.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}:{id}")
    };
    let revision = page.revision;
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    match kind {
        "school" if id.is_empty() => Ok(Resolved::inline(escape(label.unwrap_or(&page.settings.school.name)))),
        "role" => role(page, id, label),
        "person" => person(page, id, label),
        "holders" => {
            let html = holders_inline(page, id)?;
            Ok(Resolved::inline(html))
        }
        "org" => {
            let org = revision.organisation(id).ok_or_else(|| {
                unknown("organisation", id, revision.organisations.iter().map(|o| o.id.clone()), "data/organisations.yaml")
            })?;
            let text = escape(label.unwrap_or(&org.name));
            Ok(Resolved::inline(match &org.url {
                Some(url) => format!("<a class=\"ref-org\" href=\"{}\">{text}</a>", escape(url)),
                None => text,
            }))
        }
        "doc" => {
            let doc = revision.document(id).ok_or_else(|| {
                unknown("document", id, revision.documents.iter().map(|d| d.id.clone()), "data/documents.yaml")
            })?;
            let mut text = escape(label.unwrap_or(&doc.title));
            if let (Some(edition), None) = (doc.edition, label) {
                text.push_str(&format!(" ({edition})"));
            }
            let html = match &doc.url {
                Some(url) => format!("<a class=\"ref-doc\" href=\"{}\">{text}</a>", escape(url)),
                None => format!("<cite>{text}</cite>"),
            };
            let warning = newest_edition(revision, doc).map(|newer| {
                (
                    format!("this cites {} {}, which {} replaces", doc.title, edition_text(doc.edition), edition_text(newer.edition)),
                    format!("cite [[doc:{}]] instead, and check the wording against the new edition", newer.id),
                )
            });
            Ok(Resolved {
                html,
                link: None,
                warning,
            })
        }
        "section" => section(page, id, label),
        "fill" => fill(page, id),
        "strand" => strand(page, id, label),
        "curriculum" => curriculum(page, id, label),
        "term" => term(page, id, label, false, false),
        "date" => {
            if id == "approved" && revision.date(id).is_none() {
                // A draft is written before its approval; an adopted policy
                // may have no recorded date. Both say so in place.
                let words = if revision.approval == Approval::Draft {
                    "(date of approval: not yet approved)"
                } else {
                    "(date of approval not recorded)"
                };
                return Ok(Resolved::inline(format!(
                    "<span class=\"date-pending\">{words}</span>"
                )));
            }
            let date = revision.date(id).ok_or_else(|| {
                if id == "next-review" {
                    return Unresolved {
                        message: format!("revision {} has no next review date", revision.id),
                        help: "add `next_review: YYYY-MM` to its entry in data/versions.yaml".into(),
                    };
                }
                let mut ids: Vec<String> = revision.dates.iter().map(|d| d.id.clone()).collect();
                ids.extend(["approved".into(), "next-review".into()]);
                unknown("date", id, ids, "data/reviews.yaml")
            })?;
            let text = escape(label.unwrap_or(&date.long()));
            Ok(Resolved::inline(format!("<time datetime=\"{}\">{text}</time>", date.iso())))
        }
        _ => Err(Unresolved {
            message: format!(
                "`[[{}]]` is not a kind of reference",
                crate::prose::shorten(&target)
            ),
            help: match crate::ids::closest(&kind.to_lowercase(), KINDS.iter().copied()) {
                Some(near) => {
                    let id = if id.is_empty() { String::new() } else { format!(":{}", id.to_lowercase()) };
                    format!("did you mean `[[{near}{id}]]`? Kinds and ids are written in lower case")
                }
                None => "references are [[role:…]], [[person:…]], [[holders:…]], [[org:…]], [[doc:…]], [[section:…]], [[strand:…]], [[curriculum]], [[date:…]], [[term:…]], [[school]] and [[fill:…]]".into(),
            },
        }),
    }
}

/// The last of the editions that replace `doc`, following `superseded_by`
/// from one to the next (across a template's documents and the school's
/// alike); `None` when nothing replaces it.
fn newest_edition<'r>(
    revision: &'r Revision,
    doc: &'r crate::model::Publication,
) -> Option<&'r crate::model::Publication> {
    let mut seen = vec![doc.id.as_str()];
    let mut newest = None;
    let mut at = doc;
    while let Some(next) = at
        .superseded_by
        .as_deref()
        .and_then(|id| revision.document(id))
    {
        if seen.contains(&next.id.as_str()) {
            break;
        }
        seen.push(&next.id);
        newest = Some(next);
        at = next;
    }
    newest
}

/// `[[fill:id]]`: the school's words, as plain text. Unfilled, a template's
/// own build shows the prompt in a marked placeholder (a class content
/// cannot carry); a school's build refuses it.
fn fill(page: &Page, id: &str) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let fill = revision.fill(id).ok_or_else(|| {
        let known: Vec<String> = revision.fills.iter().map(|f| f.id.clone()).collect();
        let mut unknown = unknown("fill-in", id, known, "the template's data/fills.yaml");
        unknown.message = format!(
            "`[[fill:{}]]` is a fill-in no data/fills.yaml declares",
            crate::prose::shorten(id)
        );
        unknown
    })?;
    match &fill.text {
        Some(text) => Ok(Resolved::inline(escape(text))),
        None if fill.placeholder => Ok(Resolved::inline(format!(
            "<span class=\"fill-in\"><span class=\"fill-in-label\">To be filled in by each school:</span> {}</span>",
            escape(&fill.prompt)
        ))),
        None => Err(Unresolved {
            message: format!("the fill-in `{id}` is not filled in: {}", fill.prompt),
            help: format!("give the school's words in data/fills.yaml: `- id: {id}` and `text: …`"),
        }),
    }
}

/// `[[term:dsl]]`: the term from glossary.yaml. Its first use on a page
/// (`first`) is marked `<abbr>` with what it stands for and, unless it is
/// inside a link already (`linked` false), linked to its glossary entry,
/// which a touch screen reaches without hovering; inside a link, what it
/// stands for follows in brackets instead. Later uses are the word alone.
pub fn term(
    page: &Page,
    id: &str,
    label: Option<&str>,
    first: bool,
    linked: bool,
) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let Some(term) = revision.term(id) else {
        if page.unreadable.contains(&"glossary") {
            return Ok(Resolved::inline(escape(label.unwrap_or(id))));
        }
        return Err(unknown(
            "term",
            id,
            revision.glossary.iter().map(|t| t.id.clone()),
            "data/glossary.yaml",
        ));
    };
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    let text = escape(label.unwrap_or(&term.term));
    if !first {
        return Ok(Resolved::inline(text));
    }
    let abbr = format!("<abbr title=\"{}\">{text}</abbr>", escape(&term.stands_for));
    if !linked {
        return Ok(Resolved::inline(format!(
            "{abbr} ({})",
            escape(&term.stands_for)
        )));
    }
    let link = urls::relative(
        page.path,
        &format!("{}#{}", urls::glossary(page.base), urls::term_anchor(id)),
    );
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-term\" href=\"{}\">{abbr}</a>",
            escape(&link)
        ),
        link: Some(link),
        warning: None,
    })
}

fn edition_text(edition: Option<u32>) -> String {
    edition.map_or("an earlier edition".into(), |e| format!("({e})"))
}

fn people_link(page: &Page, anchor: &str) -> String {
    urls::relative(page.path, &format!("{}#{anchor}", urls::people(page.base)))
}

fn role(page: &Page, id: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let role = revision.role(id).ok_or_else(|| {
        unknown(
            "role",
            id,
            revision.roles.iter().map(|r| r.id.clone()),
            "data/roles.yaml",
        )
    })?;
    let names: Vec<&str> = revision.holders(id).map(|p| p.name.as_str()).collect();
    let link = people_link(page, &urls::role_anchor(id));
    let tooltip = if names.is_empty() {
        role.title.clone()
    } else {
        format!("{}: {}", role.title, names.join(", "))
    };
    let text = match (label, names.is_empty()) {
        (Some(label), _) => escape(label),
        (None, true) => escape(&role.title),
        (None, false) => format!("{} ({})", escape(&role.title), escape(&names.join(", "))),
    };
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-role\" href=\"{}\" title=\"{}\">{text}</a>",
            escape(&link),
            escape(&tooltip)
        ),
        link: Some(link),
        warning: None,
    })
}

fn person(page: &Page, id: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let person = revision.person(id).ok_or_else(|| {
        unknown(
            "person",
            id,
            revision.people.iter().map(|p| p.id.clone()),
            "data/people.yaml",
        )
    })?;
    let link = people_link(page, &urls::person_anchor(id));
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-person\" href=\"{}\" title=\"{}\">{}</a>",
            escape(&link),
            escape(&role_titles(revision, &person.roles, None)),
            escape(label.unwrap_or(&person.name))
        ),
        link: Some(link),
        warning: None,
    })
}

/// "Acting Deputy Headteacher, Online Safety Lead"; `except` leaves out one
/// role (the one a holders list is about).
fn role_titles(revision: &Revision, roles: &[String], except: Option<&str>) -> String {
    roles
        .iter()
        .filter(|r| Some(r.as_str()) != except)
        .filter_map(|r| revision.role(r))
        .map(|r| r.title.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each holder of a role, linked, with their other roles: the pieces a
/// holders list or sentence is made of.
fn holder_items(page: &Page, id: &str) -> Result<Vec<String>, Unresolved> {
    let revision = page.revision;
    if revision.role(id).is_none() {
        return Err(unknown(
            "role",
            id,
            revision.roles.iter().map(|r| r.id.clone()),
            "data/roles.yaml",
        ));
    }
    Ok(revision
        .holders(id)
        .map(|person| {
            let link = people_link(page, &urls::person_anchor(&person.id));
            let others = role_titles(revision, &person.roles, Some(id));
            let name = format!(
                "<a class=\"ref-person\" href=\"{}\">{}</a>",
                escape(&link),
                escape(&person.name)
            );
            if others.is_empty() {
                name
            } else {
                format!("{name} – {}", escape(&others))
            }
        })
        .collect())
}

/// A holders reference alone in its paragraph: a list.
pub fn holders_block(page: &Page, id: &str) -> Result<String, Unresolved> {
    let items = holder_items(page, id)?;
    if items.is_empty() {
        return Ok(format!(
            "<p class=\"vacant\">{}: no one is named yet.</p>\n",
            escape(
                &page
                    .revision
                    .role(id)
                    .map_or(id.to_string(), |r| r.title.clone())
            )
        ));
    }
    let mut html = String::from("<ul class=\"holders\">\n");
    for item in items {
        html.push_str(&format!("<li>{item}</li>\n"));
    }
    html.push_str("</ul>\n");
    Ok(html)
}

fn holders_inline(page: &Page, id: &str) -> Result<String, Unresolved> {
    let items = holder_items(page, id)?;
    Ok(match items.as_slice() {
        [] => "no one yet".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join("; ")),
    })
}

/// A strand's name, linked to its page where the view has strand pages.
fn strand(page: &Page, id: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let strand = revision.framework.strand(id).ok_or_else(|| {
        unknown(
            "strand",
            id,
            revision.framework.strands.iter().map(|s| s.id.clone()),
            "data/strands.yaml",
        )
    })?;
    let text = escape(label.unwrap_or(&strand.name));
    if revision.curriculum.is_none() || !page.view.curriculum.strands {
        return Ok(Resolved::inline(text));
    }
    let link = urls::relative(page.path, &urls::curriculum_strand(page.base, id));
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-strand\" href=\"{}\">{text}</a>",
            escape(&link)
        ),
        link: Some(link),
        warning: None,
    })
}

/// `[[curriculum]]`, the view's curriculum pages, or `[[curriculum:year-3]]`,
/// what one year group learns.
fn curriculum(page: &Page, id: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let Some(curriculum) = &revision.curriculum else {
        return Err(Unresolved {
            message: format!("revision {} has no curriculum map to link to", revision.id),
            help:
                "add data/curriculum.yaml (`policyweb explain curriculum.yaml` describes it), or remove the reference"
                    .into(),
        });
    };
    let pages = page.view.curriculum;
    let (text, target) = if id.is_empty() {
        (
            "the curriculum map".to_string(),
            urls::curriculum(page.base),
        )
    } else {
        let year = curriculum.year(id).ok_or_else(|| {
            unknown(
                "year group",
                id,
                curriculum.years.iter().map(|y| y.id.clone()),
                "data/curriculum.yaml",
            )
        })?;
        let target = if pages.years {
            urls::curriculum_year(page.base, id)
        } else {
            urls::curriculum(page.base)
        };
        (year.name.clone(), target)
    };
    let text = escape(label.unwrap_or(&text));
    if !pages.any() {
        return Ok(Resolved::inline(text));
    }
    let link = urls::relative(page.path, &target);
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-curriculum\" href=\"{}\">{text}</a>",
            escape(&link)
        ),
        link: Some(link),
        warning: None,
    })
}

/// `[[section:x#y]]` where x has no heading `y` in this view, in the
/// words the link check uses for a broken fragment.
fn no_such_heading(section: &str, fragment: &str, headings: &[(String, String)]) -> Unresolved {
    let problem = if headings.is_empty() {
        format!("there is no heading `#{fragment}` there, and no heading there has an id")
    } else {
        let mut ids: Vec<String> = headings
            .iter()
            .take(20)
            .map(|(wanted, _)| format!("`#{wanted}`"))
            .collect();
        if headings.len() > 20 {
            ids.push(format!("and {} more", headings.len() - 20));
        }
        format!(
            "there is no heading `#{fragment}` there; its headings' ids are {}",
            ids.join(", ")
        )
    };
    Unresolved {
        message: format!("the link `[[section:{section}#{fragment}]]` is broken ({problem})"),
        help: "point it at a section that exists, and a heading id that section has".into(),
    }
}

fn section(page: &Page, target: &str, label: Option<&str>) -> Result<Resolved, Unresolved> {
    let revision = page.revision;
    let (id, fragment) = match target.split_once('#') {
        Some((id, fragment)) => (id, Some(fragment)),
        None => (target, None),
    };
    let section = revision.section(id).ok_or_else(|| {
        unknown(
            "section",
            id,
            revision.sections.iter().map(|s| s.id.clone()),
            "content/",
        )
    })?;
    // A stand-in for a section whose front matter could not be read: that
    // error is reported at the section, and one is enough.
    if section.audiences.is_empty() && section.body.is_empty() && section.title == section.id {
        return Ok(Resolved::inline(escape(label.unwrap_or(&section.id))));
    }
    if !section.shown_in(&page.view.id) {
        return Err(Unresolved {
            message: format!(
                "`[[section:{id}]]` points at \"{}\", which the {} view does not show",
                section.title, page.view.id
            ),
            help: format!(
                "wrap this sentence in an audience block for the views that show it (`::: {}`), or add {} to the section's audiences",
                section.audiences.join(" "),
                page.view.id
            ),
        });
    }
    // The fragment names one of the section's headings as the view shows
    // it, and the link goes to the id that heading got: never to an id of
    // the page around it (`#contents`, `#main`), nor to nothing.
    let fragment = match fragment {
        None => None,
        Some(fragment) => {
            let headings = super::heading_fragments(page, section);
            if let Some(read) = page.headings_read {
                read.borrow_mut().push((id.to_string(), headings.clone()));
            }
            match headings.iter().find(|(wanted, _)| wanted == fragment) {
                Some((_, got)) => Some(got.clone()),
                None => return Err(no_such_heading(id, fragment, &headings)),
            }
        }
    };
    let link = match (page.mode, fragment) {
        (Mode::All, None) => format!("#{id}"),
        (Mode::All, Some(got)) => format!("#{got}"),
        (Mode::Section, None) => urls::relative(page.path, &urls::section(page.base, id)),
        (Mode::Section, Some(got)) => urls::relative(
            page.path,
            &format!("{}#{got}", urls::section(page.base, id)),
        ),
    };
    Ok(Resolved {
        html: format!(
            "<a class=\"ref-section\" href=\"{}\">{}</a>",
            escape(&link),
            escape(label.unwrap_or(&section.title))
        ),
        link: Some(link),
        warning: None,
    })
}
