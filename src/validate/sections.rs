//! Rules for content/: front matter, section ids, audiences (a nested
//! section is shown only where its parent is), owners and audience blocks.

use std::collections::HashMap;

use super::Checker;
use super::data_rules::check_refs;
use crate::diagnostics::Diagnostic;
use crate::ids::{is_valid_id, unknown_help};
use crate::load::RawSection;
use crate::markdown::audience;
use crate::model::{Framework, Role, Section};

pub fn sections(
    check: &mut Checker,
    raw: &[RawSection],
    views: &[String],
    roles: &[Role],
    framework: &Framework,
) -> Vec<Section> {
    let role_ids: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    let strand_ids: Vec<String> = framework.strands.iter().map(|s| s.id.clone()).collect();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut sections: Vec<Section> = Vec::new();
    for section in raw {
        let file = check.sources.get(section.source);
        let name_span = file_name_span(&file.path);
        if let Some(problem) = crate::ids::too_long(&section.id, "section") {
            check.diagnostics.push(
                Diagnostic::error(problem)
                    .at(section.source, 0..0)
                    .label(name_span)
                    .help(format!(
                        "shorten the file name to at most {} characters after its number",
                        crate::ids::MAX_ID_CHARS
                    )),
            );
        } else if !is_valid_id(&section.id) {
            check.diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` is not a valid section id",
                    crate::prose::shorten(&section.id)
                ))
                    .at(section.source, 0..0)
                    .label(name_span)
                    .help("name section files like 030-reporting-and-responding.md: lower-case letters, digits and hyphens"),
            );
        } else if crate::urls::taken_in_view(&section.id) {
            check.diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` cannot be a section id: the site uses that address for its own page",
                    section.id
                ))
                .at(section.source, 0..0)
                .label(name_span)
                .help(format!(
                    "rename the file so the id differs, such as `{}-policy`",
                    section.id
                )),
            );
        } else if crate::markdown::PAGE_IDS.contains(&section.id.as_str()) {
            // The print page gives each section its id: `main` or
            // `contents` would be a second element with the theme's id.
            check.diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` cannot be a section id: the pages use `#{}` for their own part",
                    section.id, section.id
                ))
                .at(section.source, 0..0)
                .label(name_span)
                .help(format!(
                    "rename the file so the id differs, such as `{}-policy`",
                    section.id
                )),
            );
        } else if let Some(first) = seen.get(section.id.as_str()) {
            check.diagnostics.push(
                Diagnostic::error(format!("two sections have the id `{}` (the other is {first})", section.id))
                    .at(section.source, 0..0)
                    .help("section ids must be unique across content/, nested or not: rename one of the files"),
            );
        } else {
            seen.insert(&section.id, &file.path);
        }
        // A site with a template has its omits taken out by the merge.
        if let Some(mark) = &section.omit {
            check.diagnostics.push(
                Diagnostic::error("`omit: true` leaves out a template's section, but data/site.yaml names no template")
                    .at(mark.document.source, mark.document.point(check.sources, &mark.omit))
                    .help("remove `omit:` (and `reason:`), or delete the file to leave the section out"),
            );
        }
        let Some((document, front)) = &section.front else {
            // Its error is recorded; a stand-in shown nowhere keeps the
            // nesting of the sections after it.
            sections.push(Section {
                id: section.id.clone(),
                title: section.id.clone(),
                summary: None,
                audiences: Vec::new(),
                owner: None,
                strands: Vec::new(),
                parent: section.parent,
                depth: section.depth,
                source: section.source,
                body: section.body_start..section.body_start,
                blocks: Vec::new(),
                dir: String::new(),
                origin: section.origin,
            });
            continue;
        };
        let title = check.text(document, &front.title, "section title");
        let mut audiences = match &front.audiences {
            None => views.to_vec(),
            Some(list) => {
                let mut out = Vec::new();
                for view in list {
                    if views.contains(&view.value) || !check.can_check("data/site.yaml") {
                        out.push(view.value.clone());
                    } else {
                        let help = unknown_help(
                            &view.value,
                            views.iter().map(String::as_str),
                            "data/site.yaml",
                        );
                        check.error(
                            document,
                            view,
                            format!("`{}` is not a view", view.value),
                            help,
                        );
                    }
                }
                if list.is_empty() {
                    check.error(
                        document,
                        &front.title,
                        format!("the section `{}` is in no view", section.id),
                        "list at least one view in `audiences:`, or remove the key to show it in every view",
                    );
                }
                out
            }
        };
        if let Some(parent) = section.parent.and_then(|p| sections.get(p)) {
            audiences.retain(|a| parent.audiences.contains(a));
        }
        let owner = front.owner.as_ref().map(|owner| {
            if check.can_check("data/roles.yaml") && !role_ids.contains(&owner.value.as_str()) {
                let help = unknown_help(&owner.value, role_ids.iter().copied(), "data/roles.yaml");
                check.error(
                    document,
                    owner,
                    format!("unknown role `{}`", owner.value),
                    help,
                );
            }
            owner.value.clone()
        });
        let body = section.body_start..file.text.len();
        if let Some(at) = crate::markdown::depth::too_deep(&file.text, body.clone()) {
            check.diagnostics.push(
                Diagnostic::error(format!(
                    "the text nests too deep here: at most {} levels of quotes, lists, emphasis and HTML elements",
                    crate::markdown::depth::MAX_DEPTH
                ))
                .at(section.source, at..at + 1)
                .help("a policy needs only a few levels; take out the extra `>`, list markers or tags"),
            );
        }
        let known_views = check.can_check("data/site.yaml").then_some(views);
        let (blocks, problems) = audience::scan(&file.text, body.clone(), known_views);
        for (span, message, help) in problems {
            check.diagnostics.push(
                Diagnostic::error(message)
                    .at(section.source, span)
                    .help(help),
            );
        }
        sections.push(Section {
            id: section.id.clone(),
            title,
            summary: front.summary.as_ref().map(|s| s.value.trim().to_string()),
            audiences,
            owner,
            strands: front.strands.as_ref().map_or_else(Vec::new, |list| {
                check_refs(
                    check,
                    document,
                    list,
                    &strand_ids,
                    "strand",
                    "data/strands.yaml",
                )
            }),
            parent: section.parent,
            depth: section.depth,
            source: section.source,
            body,
            blocks,
            dir: crate::diagnostics::slashed(&section.dir),
            origin: section.origin,
        });
    }
    sections
}

fn file_name_span(path: &str) -> String {
    format!("the id comes from the file name {path}")
}
