//! `policyweb new section TITLE`: a new Markdown file under content/,
//! numbered after the last section of its folder (or right after a given
//! section), with its front matter filled in and the optional keys written
//! out as comments. The numbers only order sections; the id, from the
//! title, is the address, so it must be unused anywhere in the site.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Added, FIX_FIRST, NotDone, check_unchanged, hint_ids, id_from, unique_id, yaml_text};
use crate::diagnostics::display_path;
use crate::load::content::section_id;

/// What `new section` is asked for.
#[derive(Debug, Default)]
pub struct Request<'a> {
    pub title: &'a str,
    /// A folder under content/ (`030-reporting` or `content/030-reporting/`)
    /// or a section id; a section that is a single file becomes a folder.
    pub under: Option<&'a str>,
    /// The id of the section the new one follows, in the same folder.
    pub after: Option<&'a str>,
}

/// A section file or folder found under content/.
#[derive(Debug)]
struct Found {
    id: String,
    path: PathBuf,
    folder: bool,
    number: Option<u64>,
    digits: usize,
}

/// Where the new file goes.
struct Place {
    dir: PathBuf,
    /// A single-file section to turn into a folder first.
    convert: Option<PathBuf>,
}

pub fn new_section(root: &Path, request: &Request, today: NaiveDate) -> Result<Added, NotDone> {
    let title = super::one_line(request.title, "section's title", "Acceptable use")?;
    let content = root.join("content");
    if !content.is_dir() {
        return Err(NotDone::site(
            format!("there is no content/ folder in {}", root.display()),
            "run this in the site's folder, or give its folder with --root; `policyweb init` makes a new site",
        ));
    }
    let mut found = Vec::new();
    scan(&content, &mut found);
    let place = place(&content, request, &found)?;
    let siblings: Vec<&Found> = match &place.convert {
        Some(_) => Vec::new(),
        None => found
            .iter()
            .filter(|f| f.path.parent() == Some(place.dir.as_path()))
            .collect(),
    };
    let number = number(&siblings, request.after)?;
    let digits = siblings.iter().map(|f| f.digits).max().unwrap_or(3).max(3);
    let id = unique_id(&id_from(&title, "section"), |id| {
        crate::urls::taken_in_view(id) || found.iter().any(|f| f.id == id)
    });
    let file = place.dir.join(format!("{number:0digits$}-{id}.md"));
    if file.exists() {
        return Err(NotDone::site(
            format!("{} already exists", file.display()),
            "give the section another title",
        ));
    }
    let (text, body_line) = section_text(root, &title);
    let relative = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
    let mut notes = Vec::new();
    if let Some(single) = &place.convert {
        notes.push(format!(
            "{} is now the folder {}/, with its own text in _index.md (its address is unchanged)",
            display_path(root, single),
            display_path(root, &place.dir),
        ));
    }
    let convert = place.convert.clone();
    let written = file.clone();
    let index = place.dir.join("_index.md");
    let help = match &place.convert {
        Some(single) => format!(
            "{} would become {}/_index.md, and what it links to beside it would no longer be found: make the folder yourself, with its images moved into it, then try again",
            display_path(root, single),
            display_path(root, &place.dir)
        ),
        None => FIX_FIRST.into(),
    };
    check_unchanged(
        root,
        today,
        &help,
        || {
            if let Some(single) = &convert {
                std::fs::create_dir(&place.dir)
                    .map_err(|e| NotDone::io("create", &place.dir, &e))?;
                std::fs::rename(single, &index).map_err(|e| NotDone::io("move", single, &e))?;
            }
            std::fs::write(&written, &text).map_err(|e| NotDone::io("write", &written, &e))?;
            Ok(Added {
                file: relative,
                line: body_line,
                id: id.clone(),
                name: title.clone(),
                notes,
            })
        },
        || {
            let _ = std::fs::remove_file(&written);
            if let Some(single) = &convert {
                let _ = std::fs::rename(&index, single);
                let _ = std::fs::remove_dir(&place.dir);
            }
        },
    )
}

/// Every section file and folder under `dir`, depth first.
fn scan(dir: &Path, found: &mut Vec<Found>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = read.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || name == "_index.md" {
            continue;
        }
        let folder = path.is_dir();
        if !folder && !name.ends_with(".md") {
            continue;
        }
        let prefix = name.split_once('-').map(|(n, _)| n).unwrap_or("");
        let numbered = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit());
        found.push(Found {
            id: section_id(&name),
            path: path.clone(),
            folder,
            number: numbered.then(|| prefix.parse().ok()).flatten(),
            digits: if numbered { prefix.len() } else { 0 },
        });
        if folder {
            scan(&path, found);
        }
    }
}

fn place(content: &Path, request: &Request, found: &[Found]) -> Result<Place, NotDone> {
    let after = match request.after {
        Some(after) => Some(find(after, found, "--after")?),
        None => None,
    };
    let place = match request.under {
        Some(under) => under_place(content, under, found)?,
        None => Place {
            dir: after
                .and_then(|f| f.path.parent())
                .unwrap_or(content)
                .to_path_buf(),
            convert: None,
        },
    };
    if let Some(after) = after
        && (place.convert.is_some() || after.path.parent() != Some(place.dir.as_path()))
    {
        return Err(NotDone::usage(
            format!(
                "the section `{}` is not in {}",
                after.id,
                display_path(content.parent().unwrap_or(content), &place.dir)
            ),
            "give --after a section of the same folder, or leave out --under: the new section then goes into --after's folder",
        ));
    }
    Ok(place)
}

fn find<'f>(id: &str, found: &'f [Found], option: &str) -> Result<&'f Found, NotDone> {
    found.iter().find(|f| f.id == id).ok_or_else(|| {
        let near = crate::ids::closest(id, found.iter().map(|f| f.id.as_str()));
        NotDone::usage(
            format!("{option}: there is no section `{id}` in content/"),
            match near {
                Some(near) => format!("did you mean `{near}`? A section's id is its file name without the number and .md"),
                None => "a section's id is its file name without the number and .md, such as `reporting` for 030-reporting.md".into(),
            },
        )
    })
}

/// `--under`: a folder's path under content/, or a section's id.
fn under_place(content: &Path, under: &str, found: &[Found]) -> Result<Place, NotDone> {
    let path = under.trim().trim_end_matches('/');
    let path = path.strip_prefix("content/").unwrap_or(path);
    let safe = !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if safe {
        let candidate = content.join(path);
        if candidate.is_dir() {
            return Ok(Place {
                dir: candidate,
                convert: None,
            });
        }
        if candidate.is_file() && path.ends_with(".md") {
            return Ok(folder_for(&candidate));
        }
    }
    let section = find(under, found, "--under")?;
    if section.folder {
        Ok(Place {
            dir: section.path.clone(),
            convert: None,
        })
    } else {
        Ok(folder_for(&section.path))
    }
}

/// A single-file section `030-reporting.md` becomes `030-reporting/`.
fn folder_for(file: &Path) -> Place {
    Place {
        dir: file.with_extension(""),
        convert: Some(file.to_path_buf()),
    }
}

/// The number for the new file: the next ten after the folder's last, or
/// one between `after` and the section that follows it.
fn number(siblings: &[&Found], after: Option<&str>) -> Result<u64, NotDone> {
    let numbers = siblings.iter().filter_map(|f| f.number);
    let next_ten = |n: u64| (n / 10 + 1) * 10;
    let Some(after) = after else {
        return Ok(numbers.max().map_or(10, next_ten));
    };
    let Some(from) = siblings.iter().find(|f| f.id == after) else {
        unreachable!("--after was found in this folder");
    };
    let Some(low) = from.number else {
        return Err(NotDone::usage(
            format!("the file of `{after}` has no number, so nothing can follow it"),
            "number its file, such as 030-name.md, then try again",
        ));
    };
    let Some(high) = numbers.filter(|&n| n > low).min() else {
        return Ok(next_ten(low));
    };
    if high - low < 2 {
        let next = siblings
            .iter()
            .find(|f| f.number == Some(high))
            .map_or_else(String::new, |f| format!(" and `{}`", f.id));
        return Err(NotDone::usage(
            format!("there is no free number between `{after}` ({low}){next} ({high})"),
            "renumber the files that follow it (the numbers only set the order; addresses do not change), then try again",
        ));
    }
    let ten = next_ten(low);
    Ok(if ten < high {
        ten
    } else {
        low + (high - low) / 2
    })
}

/// The new file's text and the line its body starts on. The optional keys
/// are written as comments, with ids from this site where it has them.
fn section_text(root: &Path, title: &str) -> (String, usize) {
    let views = view_ids(root);
    let views = if views.is_empty() {
        "parents, staff, governors".to_string()
    } else {
        views.join(", ")
    };
    let role = hint_ids(root, "data/roles.yaml")
        .into_iter()
        .next()
        .unwrap_or_else(|| "dsl".into());
    let strand = strand_hint(root);
    let front = format!(
        "---\n\
         title: {}\n\
         # Optional keys: take the # off the start of a line to use it.\n\
         # summary: One sentence on what this section is for, shown in the contents.\n\
         # audiences: [{views}]   # the views that show it; default every view\n\
         # owner: {role}   # the role responsible for it, from data/roles.yaml\n\
         # strands: [{strand}]   # curriculum strands it is about, from data/strands.yaml\n\
         ---\n",
        yaml_text(title)
    );
    let body = "Replace this paragraph with the text of the section. Use ## headings for its parts: the title above is already the page's heading.\n";
    let line = front.lines().count() + 1;
    (format!("{front}{body}"), line)
}

fn view_ids(root: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(root.join("data/site.yaml")) else {
        return Vec::new();
    };
    let Ok(site) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    site.get("views")
        .and_then(serde_json::Value::as_array)
        .map(|views| {
            views
                .iter()
                .filter_map(|v| v.get("id").and_then(serde_json::Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn strand_hint(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("data/strands.yaml"))
        .unwrap_or_else(|_| crate::load::DEFAULT_FRAMEWORK.to_string());
    serde_saphyr::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|framework| {
            framework
                .get("strands")?
                .get(0)?
                .get("id")?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "online-bullying".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(id: &str, number: u64) -> Found {
        Found {
            id: id.into(),
            path: PathBuf::from(format!("content/{number:03}-{id}.md")),
            folder: false,
            number: Some(number),
            digits: 3,
        }
    }

    #[test]
    fn numbers_go_up_in_tens_or_between_neighbours() {
        let (a, b, c, d) = (at("a", 10), at("b", 20), at("c", 60), at("d", 61));
        let folder = [&a, &b, &c, &d];
        assert_eq!(number(&[], None).unwrap(), 10);
        assert_eq!(number(&[&a, &b, &c], None).unwrap(), 70);
        assert_eq!(number(&folder, None).unwrap(), 70);
        assert_eq!(number(&[&at("x", 45)], None).unwrap(), 50);
        assert_eq!(number(&folder, Some("a")).unwrap(), 15);
        assert_eq!(number(&folder, Some("b")).unwrap(), 30);
        assert_eq!(number(&folder, Some("d")).unwrap(), 70);
        assert!(number(&folder, Some("c")).is_err());
    }
}
