//! `policyweb init DIR`: a complete starter site, written from files
//! embedded in the binary (so an installed `policyweb` needs no copy of its
//! repository): a short policy using every kind of reference, audience
//! blocks, a table, an image and a folder section; every data file with its
//! keys explained; a .gitignore; and the publishing workflows from `ci/`.
//! Dates are filled in from today, so a new site has nothing overdue, and
//! the workflows pin the version of policyweb that wrote them.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};

use super::{NotDone, yaml_text};

pub use crate::validate::placeholders::PLACEHOLDER_SCHOOL;

/// Each starter file: where it goes in the new site, and its text with
/// `@@NAME@@` placeholders for what is filled in.
const STARTER: &[(&str, &str)] = &[
    (
        "content/010-about-this-policy.md",
        include_str!("starter/content/010-about-this-policy.md"),
    ),
    (
        "content/020-roles-and-responsibilities.md",
        include_str!("starter/content/020-roles-and-responsibilities.md"),
    ),
    (
        "content/030-reporting-concerns/_index.md",
        include_str!("starter/content/030-reporting-concerns/_index.md"),
    ),
    (
        "content/030-reporting-concerns/010-responding-to-incidents.md",
        include_str!("starter/content/030-reporting-concerns/010-responding-to-incidents.md"),
    ),
    (
        "content/030-reporting-concerns/reporting-flowchart.svg",
        include_str!("starter/content/030-reporting-concerns/reporting-flowchart.svg"),
    ),
    (
        "content/040-teaching-online-safety.md",
        include_str!("starter/content/040-teaching-online-safety.md"),
    ),
    ("data/site.yaml", include_str!("starter/data/site.yaml")),
    (
        "data/versions.yaml",
        include_str!("starter/data/versions.yaml"),
    ),
    ("data/roles.yaml", include_str!("starter/data/roles.yaml")),
    ("data/people.yaml", include_str!("starter/data/people.yaml")),
    (
        "data/organisations.yaml",
        include_str!("starter/data/organisations.yaml"),
    ),
    (
        "data/documents.yaml",
        include_str!("starter/data/documents.yaml"),
    ),
    (
        "data/reviews.yaml",
        include_str!("starter/data/reviews.yaml"),
    ),
    (
        "data/curriculum.yaml",
        include_str!("starter/data/curriculum.yaml"),
    ),
    (
        "data/glossary.yaml",
        include_str!("starter/data/glossary.yaml"),
    ),
    (
        ".github/workflows/policyweb.yml",
        include_str!("../../ci/github/policyweb.yml"),
    ),
    (
        ".gitlab-ci.yml",
        include_str!("../../ci/gitlab/.gitlab-ci.yml"),
    ),
];

const GITIGNORE: &str = include_str!("starter/gitignore.txt");

const STRANDS_HEADER: &str = "\
# This is policyweb's built-in framework, written out so that you can see it
# and change it. Without this file the same framework is used.
#
";

/// What `init` made.
#[derive(Debug)]
pub struct Created {
    /// The folder, as given.
    pub dir: PathBuf,
    /// Every file written, relative to it, in the order written.
    pub files: Vec<String>,
    /// The draft revision's id (the school year).
    pub revision: String,
}

/// Writes the starter site into `dir`, creating it if missing. Refuses a
/// folder with anything in it (other than `.git`) unless `force`.
pub fn init(dir: &Path, school: &str, force: bool, today: NaiveDate) -> Result<Created, NotDone> {
    let school = super::one_line(school, "school's name", "Hillside Primary School")?;
    if dir.exists() && !dir.is_dir() {
        return Err(NotDone::usage(
            format!("{} is a file, not a folder", dir.display()),
            "give the name of a new folder for the site, such as `policyweb init online-safety-policy`",
        ));
    }
    if !force {
        let found = entries(dir)?;
        if !found.is_empty() {
            let shown: Vec<String> = found.iter().take(3).map(|n| format!("`{n}`")).collect();
            let more = if found.len() > 3 { ", …" } else { "" };
            return Err(NotDone::usage(
                format!(
                    "{} is not empty (it holds {}{more}), so nothing was written",
                    dir.display(),
                    shown.join(", ")
                ),
                "choose a new or empty folder, such as `policyweb init online-safety-policy`, or add --force to write the starter site into this one (files with the same names are replaced; other files are kept)",
            ));
        }
    }
    let dates = Dates::from(today);
    let mut files = Vec::new();
    for (path, text) in STARTER {
        let text = pin_version(&fill(text, &school, &dates), crate::provenance::VERSION);
        write(dir, path, &text)?;
        files.push((*path).to_string());
    }
    write(
        dir,
        "data/strands.yaml",
        &format!("{STRANDS_HEADER}{}", crate::load::DEFAULT_FRAMEWORK),
    )?;
    files.push("data/strands.yaml".into());
    write_gitignore(dir)?;
    files.push(".gitignore".into());
    files.sort();
    Ok(Created {
        dir: dir.to_path_buf(),
        files,
        revision: dates.revision,
    })
}

/// The names in `dir` that make it "not empty": everything but `.git`, so
/// a freshly cloned empty repository can be used. None if it is missing.
fn entries(dir: &Path) -> Result<Vec<String>, NotDone> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(NotDone::io("read the folder", dir, &error)),
    };
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    names.sort();
    Ok(names)
}

/// The dates a new site starts with, all from today, so nothing is overdue.
struct Dates {
    /// The school year: "2025-26" from September 2025 to July 2026.
    revision: String,
    this_month: String,
    /// The policy's next review: a year from now.
    next_review: String,
    /// A deadline six months from now.
    audit: String,
}

impl Dates {
    fn from(today: NaiveDate) -> Dates {
        let start = if today.month() >= 8 {
            today.year()
        } else {
            today.year() - 1
        };
        let month = |date: NaiveDate| format!("{:04}-{:02}", date.year(), date.month());
        let later = |months| {
            today
                .checked_add_months(Months::new(months))
                .unwrap_or(today)
        };
        Dates {
            revision: format!("{start}-{:02}", (start + 1).rem_euclid(100)),
            this_month: month(today),
            next_review: month(later(12)),
            audit: month(later(6)),
        }
    }
}

fn fill(text: &str, school: &str, dates: &Dates) -> String {
    text.replace("@@SCHOOL@@", &yaml_text(school))
        .replace("@@REVISION@@", &dates.revision)
        .replace("@@NEXT_REVIEW@@", &dates.next_review)
        .replace("@@THIS_MONTH@@", &dates.this_month)
        .replace("@@AUDIT_MONTH@@", &dates.audit)
}

/// The workflows' `POLICYWEB_VERSION: "…"`, set to `version`: a site is
/// built by the policyweb that created it until the school moves it on,
/// whichever version the files in ci/ were last released with.
fn pin_version(text: &str, version: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let key = line.trim_start();
            if !key.starts_with("POLICYWEB_VERSION:") {
                return line.to_string();
            }
            let indent = &line[..line.len() - key.len()];
            let end = if line.ends_with('\n') { "\n" } else { "" };
            format!("{indent}POLICYWEB_VERSION: \"{version}\"{end}")
        })
        .collect()
}

fn write(dir: &Path, relative: &str, text: &str) -> Result<(), NotDone> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| NotDone::io("create", parent, &e))?;
    }
    std::fs::write(&path, text).map_err(|e| NotDone::io("write", &path, &e))
}

/// A new .gitignore, or the lines missing from one already there.
fn write_gitignore(dir: &Path) -> Result<(), NotDone> {
    let path = dir.join(".gitignore");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return write(dir, ".gitignore", GITIGNORE);
        }
        Err(error) => return Err(NotDone::io("read", &path, &error)),
    };
    let have: Vec<&str> = existing.lines().map(str::trim).collect();
    let missing: Vec<&str> = GITIGNORE
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter(|line| {
            let bare = line.trim_end_matches('/');
            !have
                .iter()
                .any(|h| h.trim_start_matches('/').trim_end_matches('/') == bare)
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# Made by policyweb\n");
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&path, text).map_err(|e| NotDone::io("write", &path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_school_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dates = Dates::from(day(2026, 11, 22));
        assert_eq!(dates.revision, "2026-27");
        assert_eq!(dates.this_month, "2026-11");
        assert_eq!(dates.next_review, "2027-11");
        assert_eq!(dates.audit, "2027-05");
        assert_eq!(Dates::from(day(2026, 3, 31)).revision, "2025-26");
        assert_eq!(Dates::from(day(2099, 9, 1)).revision, "2099-00");
    }

    #[test]
    fn both_workflows_pin_the_version_given_and_keep_everything_else() {
        for (path, text) in STARTER
            .iter()
            .filter(|(p, _)| p.contains("github") || p.contains("gitlab"))
        {
            let pinned = pin_version(text, "9.8.7");
            let lines: Vec<&str> = pinned
                .lines()
                .filter(|l| l.contains("POLICYWEB_VERSION:"))
                .collect();
            assert_eq!(lines.len(), 1, "{path} sets POLICYWEB_VERSION once");
            assert_eq!(lines[0].trim(), "POLICYWEB_VERSION: \"9.8.7\"", "{path}");
            assert_eq!(pinned.lines().count(), text.lines().count(), "{path}");
            assert_eq!(
                pin_version(&pinned, crate::provenance::VERSION),
                *text,
                "{path}: the shipped file pins Cargo.toml's version"
            );
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        let dates = Dates::from(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        for (path, text) in STARTER {
            let filled = fill(text, "Hillside: Academy", &dates);
            assert!(!filled.contains("@@"), "{path} keeps a placeholder");
        }
        let (_, site) = STARTER
            .iter()
            .find(|(path, _)| *path == "data/site.yaml")
            .expect("a site.yaml");
        let site = fill(site, "Hillside: Academy", &dates);
        assert!(site.contains("name: \"Hillside: Academy\""));
    }
}
