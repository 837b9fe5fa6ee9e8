//! Load: read the site root into memory. Reads site.yaml and versions.yaml
//! from the working tree, then each revision's content/ and data/ from where
//! versions.yaml says it lives (the working tree, a folder under versions/,
//! or a git ref). Walks content/, splits front matter, parses every data/
//! file with spans kept. Checks only what it must to read (UTF-8, YAML
//! syntax, the shape of each file, where a revision's files are); every rule
//! about meaning belongs to `validate`.

pub mod content;
pub mod entries;
pub mod git;
mod hidden;
pub mod inherit;
pub mod link_report;
mod omit;
pub mod yaml;
pub mod yaml_errors;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;
use tempfile::TempDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources, display_path};
pub use content::{Content, RawSection};

use crate::model::RevisionSource;
use entries::{DataFiles, SiteFile, Text, VersionEntry};
use yaml::Document;

/// Everything read from one site root.
pub struct Loaded {
    pub root: PathBuf,
    pub sources: Sources,
    pub site: Option<(Document, SiteFile)>,
    pub versions: Option<(Document, Vec<VersionEntry>)>,
    /// The revisions whose files could be found, in versions.yaml order.
    pub revisions: Vec<LoadedRevision>,
    /// Folders holding revisions copied out of git; they must outlive the
    /// build, since images are copied from them when the site is written.
    pub scratch: Vec<TempDir>,
    /// The last external link check's report, from .policyweb/ (the build
    /// itself never goes online).
    pub link_report: Option<crate::model::link_report::Report>,
    /// The template this site inherits from, read, when site.yaml names one.
    pub template: Option<inherit::TemplateSite>,
    /// Every template root read along the chain (canonical), nearest
    /// first: what `serve` watches besides the site's own folders.
    pub templates: Vec<PathBuf>,
}

/// One revision's files, as read.
pub struct LoadedRevision {
    /// Its entry's position in versions.yaml; `None` for the working tree
    /// read only so that its problems are reported when versions.yaml
    /// could not be read.
    pub entry: Option<usize>,
    pub source: RevisionSource,
    pub data: DataFiles,
    pub content: Content,
    /// What it inherits, for a site with a template.
    pub template: Option<crate::model::TemplateUse>,
}

/// A folder holding content/ and data/, and how its files are named in
/// messages: `content/scope.md`, `versions/2023-24/content/scope.md`, or
/// `v2023-24:content/scope.md` for a git ref; a template's files start with
/// the template's path (`../la-template/content/scope.md`).
#[derive(Debug, Clone)]
pub struct TreeRoot {
    pub dir: PathBuf,
    pub shown: String,
    /// Whether the site has a template, so that its files may omit and
    /// replace the template's.
    pub inherits: bool,
    /// Where the folders read so far really are (`content::inside`).
    pub real: content::RealFolders,
}

impl TreeRoot {
    pub fn display(&self, path: &Path) -> String {
        format!("{}{}", self.shown, display_path(&self.dir, path))
    }
}

pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    load_with(root, &yaml::Memo::default())
}

/// `load`, reusing the documents `memo` kept from earlier loads.
pub fn load_with(root: &Path, memo: &yaml::Memo) -> (Loaded, Diagnostics) {
    load_inheriting(root, memo, None)
}

/// `load_with` for a school of a trust: `inherited` is the trust's
/// template, as a path from this site's root (`../template`), which the
/// site inherits from when its own site.yaml names no template.
pub fn load_inheriting(
    root: &Path,
    memo: &yaml::Memo,
    inherited: Option<String>,
) -> (Loaded, Diagnostics) {
    memo.next_load();
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut scratch = Vec::new();
    let mut reading = Reading {
        sources: &mut sources,
        diagnostics: &mut diagnostics,
        memo,
        scratch: &mut scratch,
        chain: Vec::new(),
        roots: Vec::new(),
        inherited,
    };
    let read = read_site(
        &SiteRoot {
            dir: root.to_path_buf(),
            shown: String::new(),
        },
        &mut reading,
    );
    // The first root read is the site's own.
    let templates = reading.roots.split_off(1.min(reading.roots.len()));
    let loaded = Loaded {
        root: root.to_path_buf(),
        sources,
        site: read.site,
        versions: read.versions,
        revisions: read.revisions,
        scratch,
        link_report: link_report::load(root),
        template: read.template,
        templates,
    };
    (loaded, diagnostics)
}

/// A site root and how its files are named from the site being built: the
/// site itself (`""`) or a template (`../la-template/`).
#[derive(Debug, Clone)]
pub(crate) struct SiteRoot {
    pub dir: PathBuf,
    pub shown: String,
}

/// What every read of a site shares along a chain of templates.
pub(crate) struct Reading<'a> {
    pub sources: &'a mut Sources,
    pub diagnostics: &'a mut Diagnostics,
    pub memo: &'a yaml::Memo,
    pub scratch: &'a mut Vec<TempDir>,
    /// The site roots being read, the site built first, with how their
    /// site.yaml is named: a template that comes back to one is a cycle.
    pub chain: Vec<(PathBuf, String)>,
    /// Every site root read so far (canonical), in the order read.
    pub roots: Vec<PathBuf>,
    /// The template the site being built inherits from when its site.yaml
    /// names none (a trust's), from its root; taken by the first read.
    pub inherited: Option<String>,
}

/// One site root read: its own files, each revision merged with the
/// template revision it is pinned to.
pub(crate) struct SiteRead {
    pub site: Option<(Document, SiteFile)>,
    pub versions: Option<(Document, Vec<VersionEntry>)>,
    pub revisions: Vec<LoadedRevision>,
    pub template: Option<inherit::TemplateSite>,
}

pub(crate) fn read_site(root: &SiteRoot, reading: &mut Reading) -> SiteRead {
    let canonical = root.dir.canonicalize().unwrap_or_else(|_| root.dir.clone());
    if !reading.roots.contains(&canonical) {
        reading.roots.push(canonical.clone());
    }
    reading
        .chain
        .push((canonical, format!("{}data/site.yaml", root.shown)));
    let working = TreeRoot {
        dir: root.dir.clone(),
        shown: root.shown.clone(),
        inherits: false,
        real: Default::default(),
    };
    let mut files = DataReader {
        tree: &working,
        sources: reading.sources,
        diagnostics: reading.diagnostics,
        unreadable: Vec::new(),
        memo: reading.memo,
    };
    let mut site: Option<(Document, SiteFile)> = files.read("site", true);
    if let (Some(path), Some((_, file))) = (reading.inherited.take(), &mut site)
        && file.template.is_none()
    {
        file.template = Some(inherit::given(path));
    }
    let versions = files.read::<Vec<VersionEntry>>("versions", true);
    let template = site
        .as_ref()
        .and_then(|(document, file)| inherit::read_template(root, document, file, reading));
    let inherits = site
        .as_ref()
        .is_some_and(|(_, file)| file.template.is_some());
    let working = TreeRoot {
        inherits,
        ..working
    };
    let mut revisions = Vec::new();
    if let Some((document, entries)) = &versions {
        let count = entries.len();
        if let Some(last) = entries.last()
            && !entries
                .iter()
                .enumerate()
                .any(|(index, entry)| reads_working_tree(entry, index + 1 == count))
            && root.dir.join("content").is_dir()
        {
            // Just after a release: an edit to content/ now would build
            // cleanly and be published nowhere, without a word.
            let at = last.source.as_ref().unwrap_or(&last.id);
            reading.diagnostics.push(
                Diagnostic::warning("no revision reads content/ and data/, so changes there are published nowhere")
                    .at(document.source, document.span_of(reading.sources, at))
                    .help("start the next revision: add a draft at the end of data/versions.yaml (`- id: ...`, `status: draft`, `source: working`)"),
            );
        }
        for (index, entry) in entries.iter().enumerate() {
            let Some(source) = source_of(
                reading.sources,
                document,
                entry,
                index + 1 == count,
                reading.diagnostics,
            ) else {
                continue;
            };
            let Some(tree) = tree_for(root, inherits, document, entry, &source, reading) else {
                continue;
            };
            let (data, content) =
                read_tree(&tree, reading.sources, reading.diagnostics, reading.memo);
            let mut revision = LoadedRevision {
                entry: Some(index),
                source,
                data,
                content,
                template: None,
            };
            if !inherit::pin(
                &mut revision,
                document,
                entry,
                site.as_ref(),
                template.as_ref(),
                reading,
            ) {
                continue;
            }
            revisions.push(revision);
        }
    } else {
        // versions.yaml could not be read: still read the working tree, so
        // its own problems are reported in the same run.
        let (data, content) =
            read_tree(&working, reading.sources, reading.diagnostics, reading.memo);
        revisions.push(LoadedRevision {
            entry: None,
            source: RevisionSource::Working,
            data,
            content,
            template: None,
        });
    }
    reading.chain.pop();
    SiteRead {
        site,
        versions,
        revisions,
        template,
    }
}

/// Reads one revision's data/ files and content/.
fn read_tree(
    tree: &TreeRoot,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    memo: &yaml::Memo,
) -> (DataFiles, Content) {
    let mut files = DataReader {
        tree,
        sources,
        diagnostics,
        unreadable: Vec::new(),
        memo,
    };
    let mut omits = Vec::new();
    let mut data = if tree.inherits {
        DataFiles {
            roles: files.read_layered("roles", &mut omits),
            people: files.read_layered("people", &mut omits),
            organisations: files.read_layered("organisations", &mut omits),
            documents: files.read_layered("documents", &mut omits),
            reviews: files.read_layered_reviews(&mut omits),
            strands: files.read("strands", false),
            curriculum: files.read("curriculum", false),
            fills: files.read("fills", false),
            glossary: files.read_layered("glossary", &mut omits),
            ..DataFiles::default()
        }
    } else {
        DataFiles {
            roles: files.read("roles", false),
            people: files.read("people", false),
            organisations: files.read("organisations", false),
            documents: files.read("documents", false),
            reviews: files.read("reviews", false),
            strands: files.read("strands", false),
            curriculum: files.read("curriculum", false),
            fills: files.read("fills", false),
            glossary: files.read("glossary", false),
            ..DataFiles::default()
        }
    };
    data.omits = omits;
    data.unreadable = files.unreadable;
    data.strands_own = data.strands.is_some();
    if data.strands.is_none() && !data.unreadable.contains(&"strands") {
        data.strands = Some(built_in_framework(sources));
    }
    let content = content::load(tree, sources, diagnostics, memo);
    (data, content)
}

/// How the built-in framework is named where a file's path would be.
pub const BUILT_IN_STRANDS: &str = "data/strands.yaml (built in)";

/// Education for a Connected World, for a revision without strands.yaml.
fn built_in_framework(sources: &mut Sources) -> (Document, entries::StrandsFile) {
    let source = sources.add(BUILT_IN_STRANDS.into(), DEFAULT_FRAMEWORK.into());
    let document = Document::whole(sources, source);
    let framework = document
        .parse(sources)
        .expect("the built-in strands.yaml parses (tested in curriculum)");
    (document, framework)
}

/// Education for a Connected World, used by a revision without its own
/// data/strands.yaml.
pub const DEFAULT_FRAMEWORK: &str = include_str!("default-strands.yaml");

/// Whether an entry's text is content/ and data/ in the site root:
/// `source: working`, or no `source` on the newest entry.
pub fn reads_working_tree(entry: &VersionEntry, last: bool) -> bool {
    match &entry.source {
        Some(text) => text.value.trim() == "working",
        None => last,
    }
}

/// data/versions.yaml alone, for commands that edit it.
pub fn read_versions(
    root: &Path,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Option<(Document, Vec<VersionEntry>)> {
    let working = TreeRoot {
        dir: root.to_path_buf(),
        shown: String::new(),
        inherits: false,
        real: Default::default(),
    };
    DataReader {
        tree: &working,
        sources,
        diagnostics,
        unreadable: Vec::new(),
        memo: &yaml::Memo::default(),
    }
    .read("versions", true)
}

/// Where an entry's files live, with the rule that decides it: only the
/// newest revision (the last entry) reads the working tree.
fn source_of(
    sources: &Sources,
    document: &Document,
    entry: &VersionEntry,
    last: bool,
    diagnostics: &mut Diagnostics,
) -> Option<RevisionSource> {
    let id = entry.id.value.trim();
    let error = |value: &Text, message: String, help: &str| {
        Diagnostic::error(message)
            .at(document.source, document.span_of(sources, value))
            .help(help.to_string())
    };
    let source = match &entry.source {
        _ if reads_working_tree(entry, last) => RevisionSource::Working,
        None => RevisionSource::Folder(format!("versions/{id}")),
        Some(text) => {
            let value = text.value.trim();
            if let Some(reference) = value.strip_prefix("git:") {
                let reference = reference.trim();
                if reference.is_empty() {
                    diagnostics.push(error(
                        text,
                        "`git:` needs a tag, branch or commit after it".into(),
                        "write, for example, `source: git:policy-2023-24`",
                    ));
                    return None;
                }
                RevisionSource::Git(reference.to_string())
            } else {
                let path = Path::new(value);
                if value.is_empty()
                    || path.is_absolute()
                    || path
                        .components()
                        .any(|c| matches!(c, std::path::Component::ParentDir))
                {
                    diagnostics.push(error(
                        text,
                        format!("`{value}` is not a revision source"),
                        "write `working`, a folder inside the site such as `versions/2023-24`, or `git:` and a tag, branch or commit",
                    ));
                    return None;
                }
                RevisionSource::Folder(value.trim_end_matches('/').to_string())
            }
        }
    };
    if source == RevisionSource::Working {
        let at = entry.source.as_ref().unwrap_or(&entry.id);
        if !last {
            diagnostics.push(error(
                at,
                format!("revision {id} reads the working tree, but it is not the newest revision"),
                "only the last revision in versions.yaml is content/ and data/; freeze earlier ones with `policyweb release` or point them at `versions/<id>`",
            ));
            return None;
        }
    }
    Some(source)
}

/// The folder to read a revision from; a git ref is copied out first.
fn tree_for(
    root: &SiteRoot,
    inherits: bool,
    document: &Document,
    entry: &VersionEntry,
    source: &RevisionSource,
    reading: &mut Reading,
) -> Option<TreeRoot> {
    let at = entry.source.as_ref().unwrap_or(&entry.id);
    let place = document.span_of(reading.sources, at);
    let id = entry.id.value.trim();
    let diagnostics = &mut *reading.diagnostics;
    match source {
        RevisionSource::Working => Some(TreeRoot {
            dir: root.dir.clone(),
            shown: root.shown.clone(),
            inherits,
            real: Default::default(),
        }),
        RevisionSource::Folder(path) => {
            let dir = root.dir.join(path);
            if !dir.is_dir() {
                diagnostics.push(
                    Diagnostic::error(format!("revision {id} should be in {}{path}/, which does not exist", root.shown))
                        .at(document.source, place)
                        .help(format!(
                            "restore the frozen copy (content/ and data/) to {path}/, or set `source:` to where revision {id} is kept (a folder, or `git:` and a tag)"
                        )),
                );
                return None;
            }
            Some(TreeRoot {
                dir,
                shown: format!("{}{path}/", root.shown),
                inherits,
                real: Default::default(),
            })
        }
        RevisionSource::Git(reference) => {
            let scratch = match tempfile::Builder::new().prefix(".policyweb-git-").tempdir() {
                Ok(dir) => dir,
                Err(error) => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "cannot make a folder to read `{reference}` into: {error}"
                        ))
                        .at(document.source, place),
                    );
                    return None;
                }
            };
            if let Err(problem) = git::extract(&root.dir, reference, scratch.path()) {
                diagnostics.push(
                    Diagnostic::error(format!("revision {id}: {}", problem.message))
                        .at(document.source, place)
                        .help(problem.help),
                );
                return None;
            }
            let tree = TreeRoot {
                dir: scratch.path().to_path_buf(),
                shown: format!("{}{reference}:", root.shown),
                inherits,
                real: Default::default(),
            };
            reading.scratch.push(scratch);
            Some(tree)
        }
    }
}

struct DataReader<'a> {
    tree: &'a TreeRoot,
    sources: &'a mut Sources,
    diagnostics: &'a mut Diagnostics,
    unreadable: Vec<&'static str>,
    memo: &'a yaml::Memo,
}

impl DataReader<'_> {
    /// Reads and parses data/NAME.yaml. A missing optional file is `None`
    /// and means "nothing of this kind"; a missing required one is an error.
    fn read<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &mut self,
        name: &'static str,
        required: bool,
    ) -> Option<(Document, T)> {
        let document = self.open(name, required)?;
        match document.parse_memo::<T>(self.sources, self.memo) {
            Ok(value) => Some((document, value)),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                self.unreadable.push(name);
                None
            }
        }
    }

    /// data/NAME.yaml's text, when it exists and holds something.
    fn open(&mut self, name: &'static str, required: bool) -> Option<Document> {
        let path = self.tree.dir.join("data").join(format!("{name}.yaml"));
        let shown = self.tree.display(&path);
        // A link that points nowhere is read, so that it is reported.
        if !path.is_file() && !path.is_symlink() {
            if required {
                self.diagnostics.push(
                    Diagnostic::error(format!("{shown} is missing"))
                        .in_file(&shown)
                        .help(format!(
                            "create {shown}; {} describes its keys",
                            crate::explain::command(&format!("{name}.yaml"))
                        )),
                );
            }
            return None;
        }
        let Some(source) = content::read_text(self.tree, &path, self.sources, self.diagnostics)
        else {
            self.unreadable.push(name);
            return None;
        };
        let document = Document::whole(self.sources, source);
        if self.sources.get(source).text.trim().is_empty() {
            if required {
                self.diagnostics.push(
                    Diagnostic::error(format!("{shown} is empty"))
                        .at(source, 0..0)
                        .help(format!(
                            "{} describes what it must hold",
                            crate::explain::command(&format!("{name}.yaml"))
                        )),
                );
            }
            return None;
        }
        Some(document)
    }

    /// A list of entries in a site with a template: entries with
    /// `omit: true` are taken out (into `omits`) and the rest parsed as the
    /// file's entries, every line and column as written.
    fn read_layered<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &mut self,
        name: &'static str,
        omits: &mut Vec<(&'static str, Document, entries::OmitEntry)>,
    ) -> Option<(Document, Vec<T>)> {
        let document = self.open(name, false)?;
        if !self.sources.get(document.source).text.contains("omit") {
            return self.parse_memo(name, document);
        }
        let text = self.sources.get(document.source).text.clone();
        let Some(items) = omit::probe::<Vec<Spanned<omit::Probe>>>(&text)
            .map(|list| list.iter().map(omit::Item::of).collect::<Vec<_>>())
        else {
            return self.parse_read(name, document, &text);
        };
        let (keep, only) = omit::masks(&text, &[items.as_slice()]);
        if only.is_none() {
            // Nothing omitted: read as any other file (and reuse the memo).
            return self.parse_memo(name, document);
        }
        if let Some(only) = only {
            match document.parse_text::<Vec<entries::OmitEntry>>(self.sources, &only) {
                Ok(found) => omits.extend(found.into_iter().map(|e| (name, document, e))),
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        self.parse_read(name, document, &keep)
    }

    /// reviews.yaml in a site with a template: `read_layered` for its
    /// `dates` and `checks`.
    fn read_layered_reviews(
        &mut self,
        omits: &mut Vec<(&'static str, Document, entries::OmitEntry)>,
    ) -> Option<(Document, entries::ReviewsFile)> {
        let document = self.open("reviews", false)?;
        if !self.sources.get(document.source).text.contains("omit") {
            return self.parse_memo("reviews", document);
        }
        let text = self.sources.get(document.source).text.clone();
        let Some(probe) = omit::probe::<omit::ReviewsProbe>(&text) else {
            return self.parse_read("reviews", document, &text);
        };
        let dates: Vec<omit::Item> = probe.dates.iter().flatten().map(omit::Item::of).collect();
        let checks: Vec<omit::Item> = probe.checks.iter().flatten().map(omit::Item::of).collect();
        let (keep, only) = omit::masks(&text, &[dates.as_slice(), checks.as_slice()]);
        if only.is_none() {
            return self.parse_memo("reviews", document);
        }
        if let Some(only) = only {
            match document.parse_text::<omit::ReviewsOmits>(self.sources, &only) {
                Ok(found) => {
                    omits.extend(found.dates.into_iter().map(|e| ("dates", document, e)));
                    omits.extend(found.checks.into_iter().map(|e| ("checks", document, e)));
                }
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        self.parse_read("reviews", document, &keep)
    }

    fn parse_memo<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &mut self,
        name: &'static str,
        document: Document,
    ) -> Option<(Document, T)> {
        match document.parse_memo::<T>(self.sources, self.memo) {
            Ok(value) => Some((document, value)),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                self.unreadable.push(name);
                None
            }
        }
    }

    fn parse_read<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        document: Document,
        text: &str,
    ) -> Option<(Document, T)> {
        match document.parse_text::<T>(self.sources, text) {
            Ok(value) => Some((document, value)),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                self.unreadable.push(name);
                None
            }
        }
    }
}
