//! Walking content/: one section per Markdown file, folders as sections
//! with children (`_index.md`), the numeric prefix as order only, front
//! matter split from the body. Images and other files are collected as
//! assets. No rule about what a section says is checked here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use walkdir::WalkDir;

use super::TreeRoot;
use super::entries::{FrontMatter, OmitFrontMatter, Text};
use super::hidden::{self, Escapes};
use super::yaml::{Document, Memo};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceId, Sources, display_path};
use crate::model::{Asset, Origin};
use serde_saphyr::Spanned;

/// A section file as found, before validation.
#[derive(Debug, Clone)]
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
    /// The number its file or folder name starts with: its place among a
    /// template's sections.
    pub order: Option<u64>,
    /// Whether it is the site's own or inherited (set by the merge).
    pub origin: Origin,
    /// `omit: true` in its front matter: it leaves out the template's
    /// section of the same id.
    pub omit: Option<OmitMark>,
    /// A folder without `_index.md` in a site with a template: it takes the
    /// template's folder section of the same id.
    pub needs_index: bool,
}

/// `omit: true` and its reason, where they are written.
#[derive(Debug, Clone)]
pub struct OmitMark {
    pub document: Document,
    pub omit: Spanned<bool>,
    pub reason: Option<Text>,
}

#[derive(Clone)]
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
        if tree.inherits {
            // Every section may come from the template.
            return content;
        }
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
    if content.sections.is_empty() && !tree.inherits && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::error(format!("{shown}/ has no sections"))
                .in_file(format!("{shown}/"))
                .help("add one Markdown file per section, such as content/010-introduction.md"),
        );
    }
    content
}

/// Files beside sections that are published as they are, by extension
/// (in any case): images and documents a section links to. Anything else
/// in content/ (an editor's backup `010-intro.md~`, notes, exports) is
/// left out of the site with a warning, since it may hold text no view
/// should show.
pub const ASSET_TYPES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "pdf", "docx", "xlsx", "pptx", "odt",
    "ods", "odp",
];

/// The largest text file read (a section, a data file): far above any
/// policy's, low enough that a file pasted in by mistake is an error
/// rather than minutes of work and gigabytes of pages.
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// The largest image or document published.
pub const MAX_ASSET_BYTES: u64 = 64 * 1024 * 1024;

/// How deep section folders may nest in content/.
pub const MAX_FOLDER_DEPTH: usize = 8;

/// Entries of one folder in section order: by numeric prefix, then name.
/// A folder that cannot be listed is an error, never an empty folder.
fn sorted_entries(
    tree: &TreeRoot,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<walkdir::DirEntry> {
    let mut entries = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).max_depth(1) {
        match entry {
            Ok(entry) if entry.file_name().as_encoded_bytes().starts_with(b".") => {}
            Ok(entry) => entries.push(entry),
            Err(error) => {
                let shown = tree.display(error.path().unwrap_or(dir));
                diagnostics.push(
                    Diagnostic::error(format!("cannot read {shown}: {error}"))
                        .in_file(&shown)
                        .help("check that the folder exists and can be read"),
                );
            }
        }
    }
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

/// What a file found in content/ is.
enum Found {
    Folder,
    Section,
    Asset,
    /// Not published: why, and what to do.
    Skipped(String),
}

/// Whether `path` (the entry called `name`) is a section, a folder of
/// sections, a file to publish or something to leave out. A symbolic link
/// is taken for what it points to, but only inside the tree.
fn kind_of(
    tree: &TreeRoot,
    path: &Path,
    name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Found> {
    let metadata = match inside(tree, path) {
        Ok(_) => std::fs::metadata(path),
        Err(problem) => {
            diagnostics.push(problem);
            return None;
        }
    };
    let metadata = match metadata {
        Ok(metadata) => metadata,
        Err(error) => {
            let shown = tree.display(path);
            diagnostics
                .push(Diagnostic::error(format!("cannot read {shown}: {error}")).in_file(&shown));
            return None;
        }
    };
    if metadata.is_dir() {
        if path.is_symlink() {
            let shown = tree.display(path);
            diagnostics.push(
                Diagnostic::error(format!(
                    "{shown} is a link to a folder, which is not followed"
                ))
                .in_file(&shown)
                .help("put the folder itself in content/, not a link to it"),
            );
            return None;
        }
        return Some(Found::Folder);
    }
    if !metadata.is_file() {
        return Some(Found::Skipped("it is not an ordinary file".into()));
    }
    if name.ends_with(".md") {
        return Some(Found::Section);
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    if extension.as_deref() == Some("md") {
        let stem = &name[..name.len() - 3];
        return Some(Found::Skipped(format!(
            "only files ending in `.md` (lower case) are sections: rename it to `{stem}.md` to publish it as one"
        )));
    }
    match extension {
        Some(extension) if ASSET_TYPES.contains(&extension.as_str()) => {
            if metadata.len() > MAX_ASSET_BYTES {
                let shown = tree.display(path);
                diagnostics.push(
                    Diagnostic::error(format!(
                        "{shown} is {} MB; a file published with the policy may be at most {} MB",
                        metadata.len() / (1024 * 1024),
                        MAX_ASSET_BYTES / (1024 * 1024)
                    ))
                    .in_file(&shown)
                    .help("make the file smaller, or publish it elsewhere and link to it"),
                );
                return None;
            }
            if extension == "svg"
                && let Some(active) = svg_active_content(path)
            {
                let shown = tree.display(path);
                diagnostics.push(
                    Diagnostic::error(format!(
                        "{shown} holds {active}, which a browser would run when the picture is opened on its own"
                    ))
                    .in_file(&shown)
                    .help("export the picture again without scripts or links (or as a PNG); a policy picture never needs them"),
                );
                return None;
            }
            Some(Found::Asset)
        }
        _ => Some(Found::Skipped(format!(
            "only `.md` sections, images and documents ({}) are published",
            ASSET_TYPES.join(", ")
        ))),
    }
}

/// Where `path` really is, when that is inside the tree. A symbolic link
/// out of the site, or a loop of them, is refused and never followed: a
/// link in content/ must not publish a file from elsewhere on the computer.
pub(super) fn inside(tree: &TreeRoot, path: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = tree.display(path);
    let root = tree.real.of(&tree.dir).unwrap_or_else(|| tree.dir.clone());
    match tree.real.of_file(path) {
        Ok(real) if real.starts_with(&root) => Ok(real),
        Ok(_) => Err(Diagnostic::error(format!(
            "{shown} is a link to a file outside the site, which is not followed"
        ))
        .in_file(&shown)
        .help("copy the file into the site instead of linking to it")),
        Err(error) => Err(Diagnostic::error(format!("cannot read {shown}: {error}"))
            .in_file(&shown)
            .help(if path.is_symlink() {
                "the link points nowhere or at itself: replace it with the file"
            } else {
                "check that the file exists and can be read"
            })),
    }
}

/// Where the folders one load has read really are: a file that is not a
/// link is where its folder is, so each folder is resolved once
/// (`canonicalize` asks the system about every component of the path,
/// and was 40% of reading a site) and only links are resolved whole.
/// Made anew for every load, so a folder replaced by a link between two
/// of `serve`'s rebuilds is seen.
#[derive(Debug, Default)]
pub struct RealFolders(Mutex<HashMap<PathBuf, Option<PathBuf>>>);

impl Clone for RealFolders {
    /// Nothing is carried over: a copy resolves afresh.
    fn clone(&self) -> Self {
        RealFolders::default()
    }
}

impl RealFolders {
    /// Where the folder `dir` really is, if it can be resolved.
    fn of(&self, dir: &Path) -> Option<PathBuf> {
        let kept = || self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(real) = kept().get(dir) {
            return real.clone();
        }
        let real = dir.canonicalize().ok();
        kept().insert(dir.to_path_buf(), real.clone());
        real
    }

    /// `path.canonicalize()`, from its folder's real place when `path` is
    /// not itself a link.
    fn of_file(&self, path: &Path) -> std::io::Result<PathBuf> {
        let not_a_link = std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink());
        if let (true, Some(parent), Some(name)) = (not_a_link, path.parent(), path.file_name())
            && let Some(real) = self.of(parent)
        {
            return Ok(real.join(name));
        }
        path.canonicalize()
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
    for entry in sorted_entries(tree, dir, diagnostics) {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            let shown = tree.display(path);
            diagnostics.push(
                Diagnostic::error(format!("the name of {shown} is not UTF-8 text"))
                    .in_file(&shown)
                    .help("rename the file using letters, digits and hyphens, such as 030-reporting.md"),
            );
            continue;
        };
        let Some(found) = kind_of(tree, path, &name, diagnostics) else {
            continue;
        };
        match found {
            Found::Folder => {
                if depth + 1 >= MAX_FOLDER_DEPTH {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the section folder {} is nested too deep: at most {MAX_FOLDER_DEPTH} levels of folders",
                            tree.display(path)
                        ))
                        .in_file(tree.display(path))
                        .help("move its sections up into a folder nearer content/"),
                    );
                    continue;
                }
                let index = path.join("_index.md");
                if !index.is_file() && tree.inherits {
                    // Its folder section comes from the template; the merge
                    // reports it when the template has no such folder.
                    let position = content.sections.len();
                    let folder = sources.add(format!("{}/", tree.display(path)), String::new());
                    content.sections.push(RawSection {
                        source: folder,
                        id: section_id(&name),
                        parent,
                        depth,
                        front: None,
                        body_start: 0,
                        dir: folder_of(&content_dir, &index),
                        order: prefix_number(&name),
                        origin: Origin::Own,
                        omit: None,
                        needs_index: true,
                    });
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
                    continue;
                }
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
                let mut section = raw_section(
                    sources,
                    source,
                    folder_of(&content_dir, &index),
                    section_id(&name),
                    parent,
                    depth,
                    diagnostics,
                    memo,
                );
                section.order = prefix_number(&name);
                content.sections.push(section);
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
            }
            // Read with its folder.
            Found::Section if name == "_index.md" => {}
            Found::Section => {
                let Some(source) = read_text(tree, path, sources, diagnostics) else {
                    continue;
                };
                let mut section = raw_section(
                    sources,
                    source,
                    folder_of(&content_dir, path),
                    section_id(&name),
                    parent,
                    depth,
                    diagnostics,
                    memo,
                );
                section.order = prefix_number(&name);
                content.sections.push(section);
            }
            Found::Asset => content.assets.push(Asset {
                path: display_path(&content_dir, path),
                absolute: path.to_path_buf(),
            }),
            Found::Skipped(why) => {
                let shown = tree.display(path);
                diagnostics.push(
                    Diagnostic::warning(format!("{shown} is not published: {why}"))
                        .in_file(&shown)
                        .help("remove the file from content/ if it is not part of the policy"),
                );
            }
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
    if let Err(problem) = inside(tree, path) {
        diagnostics.push(problem);
        return None;
    }
    // Read at most one byte past the limit, so a huge file costs nothing.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| {
        use std::io::Read;
        file.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes)
    });
    if let Err(error) = read {
        diagnostics
            .push(Diagnostic::error(format!("cannot read {shown}: {error}")).in_file(&shown));
        return None;
    }
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        diagnostics.push(
            Diagnostic::error(format!(
                "{shown} is larger than {} MB, the most a section or data file may be",
                MAX_TEXT_BYTES / (1024 * 1024)
            ))
            .in_file(&shown)
            .help(
                "split it into smaller files; a whole policy is rarely more than a few hundred KB",
            ),
        );
        return None;
    }
    match String::from_utf8(bytes) {
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
                .help(
                    "save the file as UTF-8; most editors offer this under \"Save with encoding\"",
                ),
            );
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
        order: None,
        origin: Origin::Own,
        omit: None,
        needs_index: false,
    };
    match split_front_matter(&file.text) {
        Some((yaml, body_start)) => {
            section.body_start = body_start;
            // The body is shown as it is written: a character that turns
            // text around it unseen is refused there, as in YAML.
            let body = &file.text[body_start..];
            diagnostics.extend(hidden::controls(
                sources,
                source,
                body_start,
                body,
                Escapes::Html,
            ));
            let document = Document {
                source,
                start: yaml.start,
                end: yaml.end,
            };
            match document.parse_memo::<FrontMatter>(sources, memo) {
                Ok(front) => {
                    if let Some(omit) = front.omit.clone().filter(|o| o.value) {
                        section.omit = Some(OmitMark {
                            document,
                            omit,
                            reason: front.reason.clone(),
                        });
                    }
                    section.front = Some((document, front));
                }
                // A file that only omits a template section needs no title.
                Err(diagnostic) => match document.parse_memo::<OmitFrontMatter>(sources, memo) {
                    Ok(only) if only.omit.value => {
                        section.omit = Some(OmitMark {
                            document,
                            omit: only.omit,
                            reason: only.reason,
                        })
                    }
                    _ => diagnostics.push(diagnostic),
                },
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

/// What in an SVG file would run as code if the picture were opened on its
/// own (an `<img>` never runs it, but the file is published at an address
/// of the school's site): a script, an event handler, a `javascript:` or
/// `data:` address, embedded HTML or another document. `None` for a plain
/// picture. Matched in any case and spacing; an address that starts with
/// an entity (`&#106;avascript:`) is refused as it stands, since a plain
/// picture never writes one.
fn svg_active_content(path: &Path) -> Option<&'static str> {
    static ACTIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?i)(<\s*script)|(<\s*foreignobject)|(<\s*(?:iframe|embed|object|handler|listener)\b)|([\s/"']on[a-z]+\s*=)|((?:href|src|from|to|values)\s*=\s*["']?\s*(?:javascript|vbscript|data)\s*:)|(=\s*["']?\s*&#)|(<\s*set\b[^>]*attributename\s*=\s*["']?\s*(?:xlink:)?href)"#,
        )
        .expect("a valid pattern")
    });
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let found = ACTIVE.captures(&text)?;
    const KINDS: [&str; 7] = [
        "a script",
        "embedded HTML (`<foreignObject>`)",
        "an embedded document",
        "an event handler (`on…=`)",
        "a `javascript:` or `data:` address",
        "an encoded address",
        "an animated link",
    ];
    (1..=KINDS.len())
        .find(|i| found.get(*i).is_some())
        .map(|i| KINDS[i - 1])
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
