//! A trust: one folder whose `trust.yaml` lists many schools, each a
//! policyweb site of its own, built together by `policyweb build --root
//! TRUST` into `public/<school-id>/…` with a landing page for the trust and
//! a dashboard for its governance (`pages.rs`, from each school's
//! `status`: `dashboard.rs`). This module reads and checks trust.yaml
//! into `Trust`; `commands::trust` runs the schools' builds and prints.
//! A school's own site is read and built exactly as it would be alone.

pub mod dashboard;
pub mod pages;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::ids;
use crate::load::yaml::Document;

/// The file that makes a folder a trust.
pub const FILE: &str = "trust.yaml";

/// The folders a trust's own output holds beside its schools' folders,
/// which a school's id may therefore not be.
pub const OWN_FOLDERS: &[&str] = &["assets"];

type Text = Spanned<String>;

/// trust.yaml as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustFile {
    name: Text,
    template: Option<TemplateEntry>,
    schools: Spanned<Vec<SchoolEntry>>,
}

/// `template: {path: …}`, issue 20's format: the site root every school
/// inherits from unless its own site.yaml names another.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateEntry {
    path: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchoolEntry {
    id: Text,
    path: Text,
}

/// A trust, checked: every school in it has a valid, unique id and a
/// folder that is a site.
#[derive(Debug, Clone)]
pub struct Trust {
    /// The trust's folder, holding trust.yaml.
    pub root: PathBuf,
    pub name: String,
    /// The template every school shares, as written in trust.yaml and
    /// from the trust's folder.
    pub template: Option<Template>,
    /// In trust.yaml's order.
    pub schools: Vec<School>,
}

#[derive(Debug, Clone)]
pub struct Template {
    /// As written, with `/` separators (`template`).
    pub path: String,
    /// From the trust's folder.
    pub root: PathBuf,
}

#[derive(Debug, Clone)]
pub struct School {
    /// Its folder in the output: `public/<id>/`.
    pub id: String,
    /// Its folder from the trust's, as written and tidied (`school-a`,
    /// `schools/b`): what its problems' paths start with.
    pub path: String,
    /// Its site root.
    pub root: PathBuf,
}

/// Is `root` a trust's folder (it holds trust.yaml)?
pub fn is_trust(root: &Path) -> bool {
    root.join(FILE).is_file()
}

/// Reads and checks trust.yaml. The trust comes back whenever the file
/// could be read, holding every school whose entry is sound, so that the
/// others are built and all their problems listed; the problems with
/// trust.yaml itself are in the diagnostics.
pub fn load(root: &Path) -> (Option<Trust>, Sources, Diagnostics) {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let text = match std::fs::read_to_string(root.join(FILE)) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(format!("cannot read {FILE}: {error}"))
                    .in_file(FILE)
                    .help("a trust's folder holds trust.yaml, listing its schools"),
            );
            return (None, sources, diagnostics);
        }
    };
    let source = sources.add(FILE.into(), text);
    let document = Document::whole(&sources, source);
    let file: TrustFile = match document.parse(&sources) {
        Ok(file) => file,
        Err(problem) => {
            diagnostics.push(problem);
            return (None, sources, diagnostics);
        }
    };
    let mut error = |message: String, at: &Text, help: &str| {
        diagnostics.push(
            Diagnostic::error(message)
                .at(source, document.span_of(&sources, at))
                .help(help.to_string()),
        );
    };
    let name = file.name.value.trim().to_string();
    if name.is_empty() {
        error(
            "the trust's name is empty".into(),
            &file.name,
            "write the trust's name as readers should see it, such as `name: Northfield Learning Trust`",
        );
    }
    let template = file.template.as_ref().and_then(|entry| {
        let checked = folder(root, &entry.path.value, "the template");
        match checked {
            Ok((path, site)) => Some(Template { path, root: site }),
            Err((message, help)) => {
                error(message, &entry.path, help);
                None
            }
        }
    });
    if file.schools.value.is_empty() {
        diagnostics.push(
            Diagnostic::error("the trust lists no schools")
                .at(source, document.point(&sources, &file.schools))
                .help(
                    "list each school under `schools:` as `- id: school-a` and `  path: school-a`",
                ),
        );
    }
    let mut schools = Vec::new();
    let mut ids_seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut paths_seen: BTreeMap<PathBuf, String> = BTreeMap::new();
    for entry in &file.schools.value {
        let id = entry.id.value.as_str();
        let id_line = crate::diagnostics::line_column(
            &sources.get(source).text,
            document.span_of(&sources, &entry.id).start,
        )
        .0;
        let mut sound = true;
        let mut problem = |message: String, at: &Text, help: String| {
            sound = false;
            diagnostics.push(
                Diagnostic::error(message)
                    .at(source, document.span_of(&sources, at))
                    .help(help),
            );
        };
        if let Some(long) = ids::too_long(id, "school") {
            problem(long, &entry.id, "use a shorter id".into());
        } else if !ids::is_valid_id(id) {
            problem(
                format!("`{id}` is not a valid school id"),
                &entry.id,
                "use lower-case letters, digits and single hyphens, such as `st-marys`: it names the school's folder in the website".into(),
            );
        } else if OWN_FOLDERS.contains(&id) {
            problem(
                format!(
                    "the school id `{id}` is the name of the trust's own folder {id}/ in the website"
                ),
                &entry.id,
                "choose another id for the school".into(),
            );
        } else if let Some(first) = ids_seen.get(id) {
            problem(
                format!("the school id `{id}` is used twice (first on line {first})"),
                &entry.id,
                "each school needs an id of its own: it names the school's folder in the website"
                    .into(),
            );
        } else {
            ids_seen.insert(id.to_string(), id_line);
        }
        let path = match folder(root, &entry.path.value, &format!("the school `{id}`")) {
            Ok((path, site)) => {
                let key = site.canonicalize().unwrap_or_else(|_| site.clone());
                if let Some(other) = paths_seen.get(&key) {
                    problem(
                        format!("the school `{id}` is in the same folder as `{other}`"),
                        &entry.path,
                        "each school is a site of its own, in a folder of its own".into(),
                    );
                    None
                } else {
                    paths_seen.insert(key, id.to_string());
                    Some((path, site))
                }
            }
            Err((message, help)) => {
                problem(message, &entry.path, help.into());
                None
            }
        };
        if let (true, Some((path, site))) = (sound, path) {
            schools.push(School {
                id: id.to_string(),
                path,
                root: site,
            });
        }
    }
    let trust = Trust {
        root: root.to_path_buf(),
        name,
        template,
        schools,
    };
    (Some(trust), sources, diagnostics)
}

/// A site's folder as trust.yaml names it: relative to the trust's folder,
/// inside neither output, and a site. Gives the path tidied (`./a/` is
/// `a`) and the folder, or what is wrong and how to fix it.
fn folder(
    root: &Path,
    written: &str,
    what: &str,
) -> Result<(String, PathBuf), (String, &'static str)> {
    let relative = Path::new(written.trim());
    if relative.is_absolute() {
        return Err((
            format!("the folder of {what} is written as an absolute path ({written})"),
            "write it from the trust's folder, such as `path: school-a`, so the trust builds on any computer",
        ));
    }
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return Err((
            format!("the folder of {what} is the trust's own folder"),
            "each school is a site in a folder of its own beside trust.yaml, such as `path: school-a`",
        ));
    }
    if matches!(parts[0].as_str(), "public" | "restricted") {
        return Err((
            format!(
                "the folder of {what} is inside the trust's output, {}/",
                parts[0]
            ),
            "keep the schools' sites outside public/ and restricted/: every build replaces those folders",
        ));
    }
    let path = parts.join("/");
    let site = root.join(&path);
    if !site.is_dir() {
        return Err((
            format!("there is no folder {path} (for {what}) in the trust's folder"),
            "check the spelling, or make the folder with `policyweb init`",
        ));
    }
    // Links and `..` resolved: the folder is inside the trust's own, is
    // not that folder, and is not one of its outputs. A school elsewhere
    // on the computer (`../other`, a link to /home/…) would be read, and
    // its files named, by a build of this trust.
    let (Ok(inside), Ok(resolved)) = (root.canonicalize(), site.canonicalize()) else {
        return Err((
            format!("the folder {path} (for {what}) cannot be opened"),
            "check that the folder exists and can be read",
        ));
    };
    match resolved.strip_prefix(&inside) {
        Err(_) => {
            return Err((
                format!(
                    "the folder of {what} ({path}) leads outside the trust's folder, to {}",
                    resolved.display()
                ),
                "keep each school's site in a folder inside the trust's folder, not reached through `..` or a link out of it",
            ));
        }
        Ok(within) if within.as_os_str().is_empty() => {
            return Err((
                format!("the folder of {what} ({path}) is the trust's own folder"),
                "each school is a site in a folder of its own beside trust.yaml, such as `path: school-a`",
            ));
        }
        Ok(within) => {
            let first = within.components().next().map(|c| c.as_os_str().to_owned());
            if let Some(output) = first.filter(|f| f == "public" || f == "restricted") {
                return Err((
                    format!(
                        "the folder of {what} ({path}) is inside the trust's output, {}/",
                        output.to_string_lossy()
                    ),
                    "keep the schools' sites outside public/ and restricted/: every build replaces those folders",
                ));
            }
        }
    }
    if !site.join("data/site.yaml").is_file() {
        return Err((
            format!("{path}/ (for {what}) is not a policyweb site: it has no data/site.yaml"),
            "point `path:` at the folder holding the site's content/ and data/",
        ));
    }
    Ok((path, site))
}

impl Trust {
    /// The schools a build takes: all, or the one `--school` names.
    /// `Err` says why no school has that id, with the nearest.
    pub fn select(&self, only: Option<&str>) -> Result<Vec<&School>, String> {
        match only {
            None => Ok(self.schools.iter().collect()),
            Some(id) => match self.schools.iter().find(|s| s.id == id) {
                Some(school) => Ok(vec![school]),
                None => Err(format!(
                    "--school {id}: the trust has no school with that id; {}",
                    ids::unknown_help(id, self.schools.iter().map(|s| s.id.as_str()), FILE)
                )),
            },
        }
    }

    /// The trust's template as a path from the school's root
    /// (`../template`): what a school whose own site.yaml names no
    /// template inherits from.
    pub fn template_from(&self, school: &School) -> Option<String> {
        let template = self.template.as_ref()?;
        let depth = Path::new(&school.path)
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .count();
        Some(format!("{}{}", "../".repeat(depth), template.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust(files: &[(&str, &str)]) -> (tempfile::TempDir, Option<Trust>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (trust, sources, diagnostics) = load(dir.path());
        let problems = diagnostics
            .items
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.location(&sources)
                        .map(|l| l.to_string())
                        .unwrap_or_default(),
                    d.message
                )
            })
            .collect();
        (dir, trust, problems)
    }

    #[test]
    fn each_bad_entry_is_named_where_it_is_written() {
        let (_dir, trust, problems) = trust(&[
            ("a/data/site.yaml", ""),
            ("c/data/site.yaml", ""),
            ("notasite/README", ""),
            (
                "trust.yaml",
                "name: T\nschools:\n  - id: a\n    path: a\n  - id: a\n    path: c\n  - id: Bad\n    path: ./a/\n  - id: d\n    path: nowhere\n  - id: e\n    path: notasite\n  - id: assets\n    path: c\n",
            ),
        ]);
        assert_eq!(
            problems,
            [
                "trust.yaml:5:9: the school id `a` is used twice (first on line 3)",
                "trust.yaml:7:9: `Bad` is not a valid school id",
                "trust.yaml:8:11: the school `Bad` is in the same folder as `a`",
                "trust.yaml:10:11: there is no folder nowhere (for the school `d`) in the trust's folder",
                "trust.yaml:12:11: notasite/ (for the school `e`) is not a policyweb site: it has no data/site.yaml",
                "trust.yaml:13:9: the school id `assets` is the name of the trust's own folder assets/ in the website",
                "trust.yaml:14:11: the school `assets` is in the same folder as `a`",
            ]
        );
        let ids: Vec<_> = trust.unwrap().schools.into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["a"]);
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_place() {
        let (_dir, trust, problems) =
            trust(&[("trust.yaml", "name: T\nschool:\n  - id: a\n    path: a\n")]);
        assert!(trust.is_none());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("trust.yaml:2:1: unknown key"),
            "{problems:?}"
        );
    }
}
