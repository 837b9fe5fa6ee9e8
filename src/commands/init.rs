//! `policyweb init`: the starter site, and what to do next.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::new::refused;

/// `policyweb init`: the starter site, then what to do next.
pub fn run(
    dir: &Path,
    school: &str,
    force: bool,
    today: NaiveDate,
    quiet: bool,
    color: bool,
) -> ExitCode {
    use crate::scaffold::init::PLACEHOLDER_SCHOOL;
    let created = match crate::scaffold::init::init(dir, school, force, today) {
        Ok(created) => created,
        Err(problem) => return refused(problem, color),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    let shown = created.dir.display().to_string();
    eprintln!(
        "Created a policy site for {} in {shown}/ ({} files):",
        school.trim(),
        created.files.len()
    );
    for (what, says) in [
        ("content/", "the policy, one Markdown file per section"),
        (
            "data/",
            "the school, roles, people, organisations, documents, dates and curriculum",
        ),
        (
            ".github/workflows/policyweb.yml",
            "publishes the site with GitHub Pages",
        ),
        (".gitlab-ci.yml", "publishes the site with GitLab Pages"),
        (".gitignore", "keeps the built website out of git"),
    ] {
        eprintln!("  {what:<32} {says}");
    }
    eprintln!(
        "The policy is a draft (revision {}); the people in data/people.yaml and the addresses marked REPLACE are examples to change.",
        created.revision
    );
    if school.trim() == PLACEHOLDER_SCHOOL {
        eprintln!(
            "The school's name is a placeholder: change it in data/site.yaml (or use --school \"Your School\")."
        );
    }
    let cd = if shown.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        format!("\"{shown}\"")
    } else {
        shown
    };
    eprintln!("Next:");
    eprintln!("  cd {cd}");
    eprintln!("  policyweb serve    preview the site at http://127.0.0.1:8000/ while you edit");
    eprintln!("  policyweb build    build the website into public/");
    ExitCode::SUCCESS
}
