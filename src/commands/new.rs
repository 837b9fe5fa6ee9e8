//! `policyweb new section|person|org`: one new entry written where it
//! belongs, and where to go on from.

use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::NewCommand;

/// `policyweb new …`: one new section, person or organisation, and where
/// it was written.
pub fn run(what: NewCommand, today: NaiveDate, quiet: bool, color: bool) -> ExitCode {
    use crate::scaffold::{entry, section};
    let (root, added, kind) = match what {
        NewCommand::Section {
            title,
            under,
            after,
            root,
        } => {
            let request = section::Request {
                title: &title,
                under: under.as_deref(),
                after: after.as_deref(),
            };
            let added = section::new_section(&root, &request, today);
            (root, added, "section")
        }
        NewCommand::Person { name, roles, root } => {
            let added = entry::new_person(&root, &name, &roles, today);
            (root, added, "person")
        }
        NewCommand::Organisation { name, url, root } => {
            let added = entry::new_organisation(&root, &name, url.as_deref(), today);
            (root, added, "org")
        }
    };
    let added = match added {
        Ok(added) => added,
        Err(problem) => return refused(problem, color),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    let file = if root == std::path::Path::new(".") {
        added.file.clone()
    } else {
        root.join(&added.file)
    };
    let at = format!("{}:{}", file.display(), added.line);
    for note in &added.notes {
        eprintln!("{note}");
    }
    match kind {
        "section" => {
            eprintln!(
                "Added the section \u{201c}{}\u{201d} (id `{}`) in {}; write its text from {at}.",
                added.name,
                added.id,
                file.display()
            );
            eprintln!(
                "Its page is <view>/{}/ in each view that shows it; link to it with [[section:{}]].",
                added.id, added.id
            );
        }
        _ => {
            eprintln!("Added {} (id `{}`) at {at}.", added.name, added.id);
            eprintln!(
                "Refer to {} in the text as [[{kind}:{}]]; the lines starting # there are optional keys to fill in.",
                if kind == "person" { "them" } else { "it" },
                added.id
            );
        }
    }
    ExitCode::SUCCESS
}

/// A command that did nothing: the site's errors if any, why, and what to
/// do; exit 2 for a usage problem, 1 otherwise.
pub(super) fn refused(problem: crate::scaffold::NotDone, color: bool) -> ExitCode {
    if let Some((sources, diagnostics)) = &problem.site {
        eprint!("{}", diagnostics.render(sources, color));
    }
    eprintln!("error: {}", problem.message);
    if let Some(help) = &problem.help {
        eprintln!("help: {help}");
    }
    ExitCode::from(if problem.usage { 2 } else { 1 })
}
