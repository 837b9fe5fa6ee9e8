//! A view's Atom feed (RFC 4287), `<view>/feed.xml`: one entry per
//! revision the view tells about (`changes_view::steps`: every approved
//! one, and on a governance view the open draft), each with its approval
//! record, what changed in the view and a link to the change page. The
//! markup is the theme's `feed.xml`, autoescaped; here every value is
//! worked out, and characters XML cannot carry are dropped.
//!
//! Entry ids are `tag:` URIs (RFC 4151) from the site's host, its path,
//! the view and the revision, dated by the first recorded approval, so
//! they stay the same from build to build and from year to year.

use serde::Serialize;

use super::ViewOutput;
use super::changes_view::Step;
use super::revisions::base_of;
use super::theme::Theme;
use crate::diagnostics::Diagnostic;
use crate::html::escape;
use crate::model::{Approval, PolicyDate, Site, View};
use crate::urls;

/// Where a feed's entries are named from: a host, and the site's path on
/// it (`www.westgatesch.com`, `online-safety/`).
struct Authority {
    host: String,
    path: String,
}

/// The host is `base_url`'s, or, when `base_url` is only a path, the
/// school website's; without either a feed has nothing to name its
/// entries by, and is not built.
fn authority(site: &Site) -> Option<Authority> {
    let base = &site.settings.base_url;
    let host_of = |address: &str| {
        url::Url::parse(address)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
    };
    let path = match url::Url::parse(base) {
        Ok(url) => url.path().to_string(),
        Err(_) => base.clone(),
    };
    let host =
        host_of(base).or_else(|| site.settings.school.website.as_deref().and_then(host_of))?;
    Some(Authority {
        host,
        path: path.trim_start_matches('/').to_string(),
    })
}

/// Whether `view` has a feed: it has pages, and the site an address.
pub fn published(site: &Site, view: &View) -> bool {
    site.main_revision(view).is_some() && authority(site).is_some()
}

/// A page of the site as an address a feed reader can follow: absolute
/// when `base_url` names a host, else from the host's root.
fn address(site: &Site, path: &str) -> String {
    format!("{}{path}", site.settings.base_url)
}

/// An RFC 3339 time for a day: its start, in UTC.
fn instant(date: PolicyDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year,
        date.month,
        date.day.unwrap_or(1)
    )
}

/// Text as XML 1.0 can hold it: without the control characters it forbids
/// (school data may contain them; a page tolerates them, a feed parser
/// does not).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{D7FF}').contains(&c)
                || ('\u{E000}'..='\u{FFFD}').contains(&c)
                || c >= '\u{10000}'
        })
        .collect()
}

#[derive(Serialize)]
struct FeedHead {
    lang: String,
    id: String,
    title: String,
    subtitle: String,
    updated: String,
    author: String,
    author_uri: Option<String>,
    self_url: String,
    alternate: String,
    generator: &'static str,
}

#[derive(Serialize)]
struct Entry {
    id: String,
    title: String,
    updated: String,
    url: String,
    summary: String,
    /// HTML, escaped once more by the template as `type="html"` requires.
    content: String,
}

/// The feed of one view, from the steps `changes_view` worked out.
pub fn feed(site: &Site, theme: &Theme, view: &View, steps: &[Step], output: &mut ViewOutput) {
    let Some(authority) = authority(site) else {
        return;
    };
    let settings = &site.settings;
    // The first recorded approval: a day the school had its address, fixed
    // once it is recorded (RFC 4151 asks for one).
    let dated = site
        .revisions
        .iter()
        .find_map(|r| match &r.approval {
            Approval::Approved { date: Some(d), .. } => Some(d.iso()),
            _ => None,
        })
        .or_else(|| settings.applies_from.map(|d| d.iso()))
        .unwrap_or_else(|| "2000".into());
    let tag = |rest: &str| {
        format!(
            "tag:{},{dated}:{}{}{rest}",
            authority.host, authority.path, view.id
        )
    };
    // A revision whose approval day was not recorded takes the day of the
    // one before it, so that the entries keep their order; the draft is
    // as of the day of the build.
    let mut last_day = settings
        .applies_from
        .map_or_else(|| "2000-01-01T00:00:00Z".to_string(), instant);
    let today = instant(PolicyDate::from_naive(site.today));
    let mut entries = Vec::new();
    for step in steps {
        let revision = step.new;
        let facts = super::context::revision_info(revision);
        let (updated, title) = match &revision.approval {
            Approval::Draft => (
                today.clone(),
                format!("Draft revision {} awaiting approval", revision.id),
            ),
            Approval::Approved { date, .. } => {
                if let Some(date) = date {
                    last_day = instant(*date);
                }
                (
                    last_day.clone(),
                    format!("Revision {} approved", revision.id),
                )
            }
        };
        let page = match step.old {
            Some(old) => urls::changes(&view.id, &old.id, &revision.id),
            None => urls::view(&base_of(site, view, revision)),
        };
        let what = step.changes.as_ref().map(|changes| {
            changes.what_changed().map_or_else(
                || format!("Nothing changed for {}", view.title),
                |w| format!("Changed for {}: {w}", view.title),
            )
        });
        let record = match &facts.minute {
            Some(minute) => format!("{} (minute: {minute}).", facts.approval),
            None => format!("{}.", facts.approval),
        };
        let summary = match &what {
            Some(what) => format!("{record} {what}."),
            None => format!("{record} The first revision of the policy."),
        };
        let mut content = format!("<p>{}</p>", escape(&record));
        content.push_str(&format!(
            "<p>{}</p>",
            escape(
                what.as_deref()
                    .unwrap_or("The first revision of the policy.")
            )
        ));
        if let Some(changes) = &step.changes {
            let listed: Vec<String> = changes
                .sections
                .iter()
                .map(|c| {
                    format!(
                        "<li><a href=\"{}\">{}</a>: {}</li>",
                        escape(&address(site, &format!("{page}#{}", c.anchor))),
                        escape(&c.title),
                        escape(&c.headline)
                    )
                })
                .chain(
                    changes
                        .data
                        .iter()
                        .map(|s| format!("<li>{}</li>", escape(s))),
                )
                .collect();
            if !listed.is_empty() {
                content.push_str(&format!("<ul>{}</ul>", listed.concat()));
            }
        }
        content.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&address(site, &page)),
            if step.old.is_some() {
                "Every change, marked word by word"
            } else {
                "Read the policy"
            }
        ));
        let draft = if revision.approval.is_approved() {
            ""
        } else {
            "/draft"
        };
        entries.push(Entry {
            id: tag(&format!("/{}{draft}", revision.id)),
            title: xml_text(&title),
            updated,
            url: address(site, &page),
            summary: xml_text(&summary),
            content: xml_text(&content),
        });
    }
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| last_day.clone());
    entries.reverse();
    let head = FeedHead {
        lang: xml_text(&settings.language),
        id: tag(""),
        title: xml_text(&format!(
            "{}: what changed for {}",
            settings.policy_title, view.title
        )),
        subtitle: xml_text(&format!(
            "{}. Each revision of the {} the governors approve, and what changed in it for {}.",
            settings.school.name, settings.policy_title, view.title
        )),
        updated,
        author: xml_text(&settings.school.name),
        author_uri: settings.school.website.as_deref().map(xml_text),
        self_url: address(site, &urls::feed(&view.id)),
        alternate: address(site, &urls::view_changes(&view.id)),
        generator: crate::provenance::GENERATOR,
    };
    let mut context = tera::Context::new();
    context.insert("feed", &head);
    context.insert("entries", &entries);
    let path = urls::feed(&view.id);
    match theme.tera.render("feed.xml", &context) {
        Ok(xml) => output.tree.insert(path, xml),
        Err(error) => output.diagnostics.push(Diagnostic::error(format!(
            "the template feed.xml failed for {path}: {}",
            super::theme::describe(&error)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped_and_the_rest_kept() {
        assert_eq!(xml_text("a\u{1}b\u{FFFE}c\té"), "abc\té");
    }
}
