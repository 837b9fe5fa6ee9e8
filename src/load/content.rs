//! Walking content/: one section per Markdown file, folders as sections
//! with children (`_index.md`), the numeric prefix as order only, front
//! matter split from the body. Images and other files are collected as
//! assets. No rule about what a section says is checked here.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::TreeRoot;
use super::data::FrontMatter;
use super::yaml::{Document, Memo};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceId, Sources, display_path};

/// A section file as found, before validation.
#[derive(Debug)]
pub struct RawSection {
    pub source: SourceId,
    /// The id from the file or folder name, without its numeric prefix.
    pub id: String,
    /// The enclosing folder section, as an index into the list.
    pub parent: Option<usize>,
    pub depth: usize,
    pub front: Option<(Document, FrontMatter)>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Folder containing the file, relative to content/ (for images).
    pub dir: PathBuf,
}

/// A file under content/ that is not a section: an image or a download.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to content/, with `/` separators.
    pub path: String,
    pub absolute: PathBuf,
}

pub struct Content {
    pub sections: Vec<RawSection>,
    pub assets: Vec<Asset>,
}

pub fn load(
    tree: &TreeRoot,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    memo: &Memo,
) -> Content {
    let content_dir = tree.dir.join("content");
    let shown = tree.display(&content_dir);
    let mut content = Content {
        sections: Vec::new(),
        assets: Vec::new(),
    };
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!("there is no {shown}/ folder"))
                .in_file(format!("{shown}/"))
                .help("create content/ with one Markdown file per section, such as content/010-introduction.md"),
        );
        return content;
    }
    walk_folder(
        tree,
        &content_dir,
        None,
        0,
        sources,
        diagnostics,
        &mut content,
        memo,
    );
    if content.sections.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::error(format!("{shown}/ has no sections"))
                .in_file(format!("{shown}/"))
                .help("add one Markdown file per section, such as content/010-introduction.md"),
        );
    }
    content
}

/// Entries of one folder in section order: by numeric prefix, then name.
fn sorted_entries(dir: &Path) -> Vec<walkdir::DirEntry> {
    let mut entries: Vec<_> = WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort_by_cached_key(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        (prefix_number(&name).unwrap_or(u64::MAX), name)
    });
    entries
}

fn prefix_number(name: &str) -> Option<u64> {
    let (number, _) = name.split_once('-')?;
    number.parse().ok()
}

/// `030-reporting.md` → `reporting`; `010-roles` → `roles`.
pub fn section_id(name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    match stem.split_once('-') {
        Some((number, rest))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest.to_string()
        }
        _ => stem.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_folder(
    tree: &TreeRoot,
    dir: &Path,
    parent: Option<usize>,
    depth: usize,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    content: &mut Content,
    memo: &Memo,
) {
    let content_dir = tree.dir.join("content");
    for entry in sorted_entries(dir) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_dir() {
            let index = path.join("_index.md");
            if !index.is_file() {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "the section folder {} has no _index.md",
                        tree.display(path)
                    ))
                    .in_file(tree.display(path))
                    .help("add _index.md with the folder section's title and front matter"),
                );
                continue;
            }
            let Some(source) = read_text(tree, &index, sources, diagnostics) else {
                continue;
            };
            let position = content.sections.len();
            content.sections.push(raw_section(
                sources,
                source,
                folder_of(&content_dir, &index),
                section_id(&name),
                parent,
                depth,
                diagnostics,
                memo,
            ));
            walk_folder(
                tree,
                path,
                Some(position),
                depth + 1,
                sources,
                diagnostics,
                content,
                memo,
            );
        } else if name == "_index.md" {
            // Read with its folder.
        } else if name.ends_with(".md") {
            let Some(source) = read_text(tree, path, sources, diagnostics) else {
                continue;
            };
            let section = raw_section(
                sources,
                source,
                folder_of(&content_dir, path),
                section_id(&name),
                parent,
                depth,
                diagnostics,
                memo,
            );
            content.sections.push(section);
        } else {
            content.assets.push(Asset {
                path: display_path(&content_dir, path),
                absolute: path.to_path_buf(),
            });
        }
    }
}

/// The folder holding a section file, relative to content/.
fn folder_of(content_dir: &Path, file: &Path) -> PathBuf {
    file.parent()
        .and_then(|p| p.strip_prefix(content_dir).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub(super) fn read_text(
    tree: &TreeRoot,
    path: &Path,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Option<SourceId> {
    let shown = tree.display(path);
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let text = text
                    .strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text);
                Some(sources.add(shown, text))
            }
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let bytes = error.as_bytes();
                let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
                diagnostics.push(
                    Diagnostic::error(format!(
                        "{shown} is not UTF-8 text (line {line}, byte {offset})"
                    ))
                    .in_file(&shown)
                    .help("save the file as UTF-8; most editors offer this under \"Save with encoding\""),
                );
                None
            }
        },
        Err(error) => {
            diagnostics
                .push(Diagnostic::error(format!("cannot read {shown}: {error}")).in_file(&shown));
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn raw_section(
    sources: &Sources,
    source: SourceId,
    dir: PathBuf,
    id: String,
    parent: Option<usize>,
    depth: usize,
    diagnostics: &mut Diagnostics,
    memo: &Memo,
) -> RawSection {
    let file = sources.get(source);
    let mut section = RawSection {
        source,
        id,
        parent,
        depth,
        front: None,
        body_start: 0,
        dir,
    };
    match split_front_matter(&file.text) {
        Some((yaml, body_start)) => {
            section.body_start = body_start;
            let document = Document {
                source,
                start: yaml.start,
                end: yaml.end,
            };
            match document.parse_memo::<FrontMatter>(sources, memo) {
                Ok(front) => section.front = Some((document, front)),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        None if file.text.lines().next().map(str::trim_end) == Some("---") => diagnostics.push(
            Diagnostic::error("the front matter is never closed")
                .at(source, 0..3)
                .label("it opens here")
                .help("end it with a line `---` after the last key (such as `title: …`), before the section's text"),
        ),
        None => diagnostics.push(
            Diagnostic::error("this section has no front matter")
                .at(source, 0..0)
                .help("start the file with a line `---`, then `title: …`, then another line `---`"),
        ),
    }
    section
}

/// The byte range of the YAML between the opening and closing `---` lines,
/// and where the body begins.
pub fn split_front_matter(text: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_line_end + 1;
    let mut line_start = yaml_start;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "---" {
            let body_start = (line_end + 1).min(text.len());
            return Some((yaml_start..line_start, body_start));
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drop_the_numeric_prefix_only() {
        assert_eq!(section_id("030-reporting.md"), "reporting");
        assert_eq!(section_id("010-roles"), "roles");
        assert_eq!(section_id("online-safety.md"), "online-safety");
        assert_eq!(section_id("360-degree-safe.md"), "degree-safe");
    }

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "---\ntitle: Scope\n---\nBody\n";
        let (yaml, body) = split_front_matter(text).unwrap();
        assert_eq!(&text[yaml], "title: Scope\n");
        assert_eq!(&text[body..], "Body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
    }
}
