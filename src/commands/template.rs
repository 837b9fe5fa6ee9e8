//! `policyweb template changes` and `policyweb template adopt ID`: what a
//! newer template revision holds for the school, as text or JSON, and
//! moving the working revision's pin to take it in.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{json, load_or_report, print};
use crate::ansi::{BOLD, YELLOW};
use crate::changes::report::changed_blocks;
use crate::changes::template::{self, SchoolText, Standing, TemplateChanges};
use crate::cli::Format;

/// `policyweb template changes`: between the template revision the
/// school's revision in force is pinned to and the newest approved one.
pub fn changes(
    root: &Path,
    format: Format,
    today: NaiveDate,
    (color_allowed, stderr_color): (bool, bool),
) -> ExitCode {
    let Some(site) = load_or_report(root, today, stderr_color, "see its template's changes") else {
        return ExitCode::from(1);
    };
    let Some(standing) = template::in_force(&site.site) else {
        eprintln!("error: data/site.yaml names no template");
        eprintln!(
            "  help: a site built on a template says so in data/site.yaml: `template: {{path: ../la-template}}`"
        );
        return ExitCode::from(1);
    };
    let adopted = template::adopted_in_draft(&site.site);
    let text = match format {
        Format::Json => match json(&standing) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let mut text = terminal(&standing, color_allowed && std::io::stdout().is_terminal());
            if let Some(draft) = adopted {
                text.push_str(&format!(
                    "Draft revision {draft} has adopted them already; they reach the school's pages once governors approve it.\n"
                ));
            }
            text
        }
    };
    print(&text);
    ExitCode::SUCCESS
}

/// The account for a terminal: the counts at the top, then each kind of
/// change with its sections and their marked words.
pub fn terminal(standing: &Standing, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    let (changes, waiting, since) = match standing {
        Standing::Unreadable { template, root } => {
            return format!(
                "The template {template} ({root}) has errors, so what changed in it cannot be shown; build it to see them.\n"
            );
        }
        Standing::NothingApproved { template } => {
            return format!(
                "The template {template} has no approved revision yet: nothing to adopt.\n"
            );
        }
        Standing::UpToDate { template, pinned } => {
            return format!(
                "Up to date: pinned to {template} {pinned}, its newest approved revision.\n"
            );
        }
        Standing::Behind {
            changes,
            waiting,
            waiting_since,
            ..
        } => (changes, waiting, waiting_since),
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "Template changes: {} {} → {}",
                changes.template, changes.pinned, changes.newest
            )
        )
    );
    let since = since
        .as_deref()
        .and_then(|day| crate::model::PolicyDate::parse(day).ok())
        .map(|day| format!(" (approved on {})", day.long()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "The policy in force is built on {} {}; revision {waiting}{since} is not adopted yet.",
        changes.template, changes.pinned
    );
    let _ = writeln!(
        out,
        "{}.",
        template::count_phrases(&changes.counts).join(", ")
    );
    write_kinds(&mut out, changes, color);
    let _ = writeln!(
        out,
        "\nTo take them in: policyweb template adopt {}",
        changes.newest
    );
    out
}

fn write_kinds(out: &mut String, changes: &TemplateChanges, color: bool) {
    let paint = crate::ansi::painter(color);
    let heading = |out: &mut String, title: &str, count: usize| {
        let _ = writeln!(out, "\n{}", paint(BOLD, &format!("{title} ({count})")));
    };
    let c = &changes.counts;
    heading(
        out,
        "(a) Inherited sections that changed: the school's pages change with them",
        c.inherited,
    );
    for change in &changes.inherited {
        let _ = writeln!(
            out,
            "  {} ({}): {}",
            paint(BOLD, change.title()),
            id_of(change),
            change.headline()
        );
        out.push_str(&changed_blocks(change, "    ", color));
    }
    heading(
        out,
        "(b) Sections the school replaced or left out whose template text changed: the lead's decision",
        c.replaced,
    );
    for replaced in &changes.replaced {
        let change = &replaced.template;
        let _ = writeln!(
            out,
            "  {} ({}): {} {}",
            paint(BOLD, change.title()),
            change.old.as_ref().map_or("", |s| s.id.as_str()),
            paint(YELLOW, "needs a decision:"),
            change.headline()
        );
        if let Some(new_id) = &replaced.new_id {
            let _ = writeln!(
                out,
                "    the template now calls it `{new_id}`: give the school's file that id to go on replacing it"
            );
        }
        let _ = writeln!(out, "    the template's old → new:");
        out.push_str(&changed_blocks(change, "      ", color));
        match &replaced.school {
            SchoolText::Replaced { blocks } => {
                let _ = writeln!(out, "    the school's text now:");
                for block in blocks {
                    let _ = writeln!(out, "      {}: {}", block.kind.describe(), block.text);
                }
            }
            SchoolText::Omitted { reason, .. } => {
                let _ = writeln!(out, "    the school leaves it out: {reason}");
            }
        }
    }
    heading(out, "(c) New template sections", c.added);
    for added in &changes.added {
        let change = &added.change;
        let _ = writeln!(
            out,
            "  {} ({}): {}",
            paint(BOLD, change.title()),
            id_of(change),
            change.headline()
        );
        if added.school_has_id {
            let _ = writeln!(
                out,
                "    the school already has a section `{}`: it will replace the template's",
                id_of(change)
            );
        }
        out.push_str(&changed_blocks(change, "    ", color));
    }
    heading(out, "(d) Template sections removed", c.removed);
    for removed in &changes.removed {
        let change = &removed.change;
        let _ = writeln!(out, "  {} ({})", paint(BOLD, change.title()), id_of(change));
        match &removed.school {
            Some(SchoolText::Replaced { .. }) => {
                let _ = writeln!(
                    out,
                    "    the school's own text stays, as a section of its own"
                );
            }
            Some(SchoolText::Omitted { file, .. }) => {
                let _ = writeln!(
                    out,
                    "    the school left it out: once adopted, its omit has nothing to leave out; remove {file}"
                );
            }
            None => {}
        }
    }
    heading(out, "(e) Fill-ins added or whose prompt changed", c.fills);
    for fill in &changes.fills {
        let what = match &fill.old_prompt {
            None => format!("new: {}", fill.prompt),
            Some(old) => format!("the prompt was “{old}”, now “{}”", fill.prompt),
        };
        let _ = writeln!(out, "  {}: {what}", paint(BOLD, &fill.id));
        if !fill.filled {
            let _ = writeln!(
                out,
                "    not filled yet: give its text in data/fills.yaml (`- id: {}` / `text: …`)",
                fill.id
            );
        }
    }
}

fn id_of(change: &crate::changes::SectionChange) -> &str {
    change
        .new
        .as_ref()
        .or(change.old.as_ref())
        .map_or("", |s| s.id.as_str())
}

/// `policyweb template adopt ID`: the working revision pinned to template
/// revision ID (a draft opened for it when the newest is approved), then
/// what the next build carries in.
pub fn adopt(
    root: &Path,
    id: &str,
    draft: Option<&str>,
    today: NaiveDate,
    quiet: bool,
    color: bool,
) -> ExitCode {
    // Every error a build would stop on, with the site when there are none.
    let (site, errors) = match super::load_checked_site(root, today) {
        Ok(checked) => {
            let (_, mut rendered) = crate::generate_checked(&checked);
            rendered.sort(&checked.site.sources);
            rendered.items.retain(|d| d.is_error());
            let sources = checked.site.sources.clone();
            (Some(checked.site), (sources, rendered))
        }
        Err(refused) => {
            let errors = refused.errors();
            (None, (refused.sources, errors))
        }
    };
    let refuse =
        |(sources, diagnostics): (crate::diagnostics::Sources, crate::diagnostics::Diagnostics)| {
            eprint!("{}", diagnostics.render(&sources, color));
            eprintln!("Nothing was changed.");
            ExitCode::from(1)
        };
    let template = site.as_ref().and_then(|s| s.template.as_ref());
    let template_site = template.and_then(|t| t.site.as_deref());
    let (Some(site), Some(template_site)) = (&site, template_site) else {
        let (sources, mut diagnostics) = errors;
        if diagnostics.has_errors() {
            diagnostics.push(crate::adopt::refusal(diagnostics.error_count()));
        } else {
            diagnostics.push(match template {
                None => crate::diagnostics::Diagnostic::error("data/site.yaml names no template")
                    .in_file("data/site.yaml")
                    .help("a site built on a template says so: `template: {path: ../la-template}`"),
                Some(t) => crate::diagnostics::Diagnostic::error(format!(
                    "the template {} ({}) has errors",
                    t.name, t.path
                ))
                .help(
                    "build the template to see them; a school adopts only a template that builds",
                ),
            });
        }
        return refuse((sources, diagnostics));
    };
    let request = crate::adopt::Request { id, draft };
    let adopted = match crate::adopt::adopt(root, &request, template_site, errors) {
        Ok(adopted) => adopted,
        Err(refused) => return refuse(refused),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    if adopted.unchanged {
        eprintln!(
            "Revision {} is already pinned to template revision {id}; nothing was changed.",
            adopted.revision
        );
        return ExitCode::SUCCESS;
    }
    if adopted.opened {
        eprintln!(
            "Opened draft revision {} in data/versions.yaml (reading content/ and data/), pinned to template revision {id}.",
            adopted.revision
        );
    } else {
        eprintln!(
            "Pinned draft revision {} to template revision {id}{} in data/versions.yaml.",
            adopted.revision,
            adopted
                .from
                .as_deref()
                .map(|from| format!(" (was {from})"))
                .unwrap_or_default()
        );
    }
    let carried = adopted
        .from
        .as_deref()
        .and_then(|from| template::carried_in(site, site.newest(), from, id));
    match carried {
        Some(changes) if changes.counts.total() > 0 => {
            eprintln!(
                "The next build carries in: {}.",
                template::count_phrases(&changes.counts).join(", ")
            );
            let mut detail = String::new();
            write_kinds(&mut detail, &changes, false);
            eprint!("{detail}");
            let unfilled: Vec<&str> = changes
                .fills
                .iter()
                .filter(|f| !f.filled)
                .map(|f| f.id.as_str())
                .collect();
            let stale: Vec<&str> = changes
                .removed
                .iter()
                .filter_map(|r| match &r.school {
                    Some(SchoolText::Omitted { file, .. }) => Some(file.as_str()),
                    _ => None,
                })
                .collect();
            if !unfilled.is_empty() {
                eprintln!(
                    "\nThe build stops until data/fills.yaml gives text for: {}.",
                    unfilled.join(", ")
                );
            }
            if !stale.is_empty() {
                eprintln!(
                    "The build stops until these omits of sections the template no longer has are removed: {}.",
                    stale.join(", ")
                );
            }
            if changes.counts.replaced > 0 {
                eprintln!(
                    "Decide on each replaced section under (b): keep the school's text, or bring it in line with the template's."
                );
            }
        }
        Some(_) => eprintln!(
            "The template's text is the same in both revisions: the next build carries in nothing new."
        ),
        None => {}
    }
    eprintln!(
        "Governors approve it with the rest of draft {}: policyweb release {} …",
        adopted.revision, adopted.revision
    );
    ExitCode::SUCCESS
}
