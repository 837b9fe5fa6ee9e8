//! The offline check of internal links: every `href` in every rendered page
//! that points inside the site must reach a page or file that exists, and
//! its `#fragment` an id on that page. A broken link from Markdown is
//! reported at its line in content/; one from a template names the page.
//! A live preview keeps each page's verdict (`Kept`) and judges again only
//! the pages whose verdict could differ; `build` keeps them too, in the
//! render cache between builds (`render::stored`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::hash::{Map, Set, hash_of};
use crate::html;
use crate::output::Tree;
use crate::urls;

use crate::address::Target;

/// Where a Markdown link came from, by (page, href).
pub type LinkSources = HashMap<(String, String), Vec<Diagnostic>>;

/// Every HTML page's start tags, by its path in the tree: read once, when
/// the page is rendered, so a live preview does not read unchanged pages
/// again.
pub type PageTags = HashMap<String, std::sync::Arc<Vec<html::StartTag>>>;

/// The attributes a page's tags are kept with: the links and ids `check`
/// follows (`rel` tells the canonical link), the addresses a public
/// links page may name, and the `name` and `content` of a robots
/// `<meta>` that keeps a page out of the sitemap. A tag with none of them
/// matters to neither and is not kept.
pub const ATTRIBUTES: &[&str] = &["href", "src", "id", "rel", "name", "content"];

/// The start tags of a page, for `check`, with only `ATTRIBUTES`.
pub fn tags_of(page: &[u8]) -> Vec<html::StartTag> {
    // `from_utf8` first: checking a page that is UTF-8 (every page the
    // build writes) costs a tenth of what `from_utf8_lossy` takes for it.
    match std::str::from_utf8(page) {
        Ok(text) => html::start_tags_naming(text, ATTRIBUTES),
        Err(_) => html::start_tags_naming(&String::from_utf8_lossy(page), ATTRIBUTES),
    }
}

pub fn check(tree: &Tree, tags: &PageTags, sources: &LinkSources) -> Vec<Diagnostic> {
    let pages = pages_of(tags);
    let ids = ids_of(&pages);
    let paths = in_order(&pages);
    let written = written(tree);
    let problems: Vec<Diagnostic> = paths
        .par_iter()
        .flat_map_iter(|file| {
            let page = file.strip_suffix("index.html").unwrap_or(file);
            problems_on(&written, &ids, sources, file, page, pages[**file], None)
        })
        .collect();
    once_each(problems)
}

/// What the last check of a tree found on each page, with what it read to
/// find it, so that a preview's next check judges again only the pages
/// whose verdict could differ: a page whose tags changed (they are shared
/// with the cache of finished pages, so an unchanged page has the very
/// same ones), whose links' places in content/ moved, or one of whose
/// links leads to a file that appeared or went, or to a page whose ids
/// changed. Every other page's verdict is the one a full check gives.
#[derive(Default)]
pub struct Kept {
    pages: HashMap<String, Verdict>,
    /// Every file of the tree checked, by `file_key`.
    files: HashSet<u64>,
}

/// One page's verdict, and all it was reached from. Stored between builds
/// with its tags as the finished page they are (`render::stored`), so
/// that an unchanged page has the very same ones in the next build too.
pub struct Verdict {
    /// Held, so that no other page's tags can take their place in memory.
    pub tags: Arc<Vec<html::StartTag>>,
    /// The page's own ids (`ids_hash`), which other pages' links read.
    pub ids: u64,
    /// Where the page's links are written in content/ (`sources_hash`).
    pub sources: u64,
    /// Every file whose existence or ids the verdict read, by `file_key`,
    /// sorted: a page's hundreds of links cost one allocation to keep,
    /// not one each. Two paths of one key only make a page checked again.
    pub read: Arc<Vec<u64>>,
    pub problems: Arc<Vec<Diagnostic>>,
}

impl Kept {
    /// What an earlier check kept: each page's verdict, by its path, and
    /// every file of the tree it checked.
    pub fn from_parts(pages: HashMap<String, Verdict>, files: HashSet<u64>) -> Kept {
        Kept { pages, files }
    }

    /// Each page's verdict, by its path.
    pub fn verdicts(&self) -> &HashMap<String, Verdict> {
        &self.pages
    }

    /// Every file of the tree the last check checked, by `file_key`.
    pub fn files(&self) -> &HashSet<u64> {
        &self.files
    }
}

/// `check`, judging again only what `kept` (the last check of the same
/// tree's earlier version) cannot vouch for, and keeping this check's
/// verdicts in it for the next.
pub fn check_kept(
    tree: &Tree,
    tags: &PageTags,
    sources: &LinkSources,
    kept: &mut Kept,
) -> Vec<Diagnostic> {
    let pages = pages_of(tags);
    let ids = ids_of(&pages);
    let paths = in_order(&pages);
    let placed = sources_hash(sources);
    let written = written(tree);
    let files: HashSet<u64> = written.iter().map(|f| file_key(f)).collect();
    // The files whose existence or ids changed since the last check.
    let mut changed: Set<u64> = files.symmetric_difference(&kept.files).copied().collect();
    let own_ids: Map<&str, u64> = pages
        .iter()
        .map(|(path, page_tags)| {
            let id = match kept.pages.get(*path) {
                Some(verdict) if Arc::ptr_eq(&verdict.tags, &tags[*path]) => verdict.ids,
                _ => ids_hash(page_tags),
            };
            (*path, id)
        })
        .collect();
    for (path, id) in &own_ids {
        if kept
            .pages
            .get(*path)
            .is_none_or(|verdict| verdict.ids != *id)
        {
            changed.insert(file_key(path));
        }
    }
    let verdicts: Vec<(&str, Verdict)> = paths
        .par_iter()
        .map(|file| {
            let page_tags = &tags[**file];
            let page = file.strip_suffix("index.html").unwrap_or(file);
            let sources_of = placed.get(page).copied().unwrap_or(0);
            let ids_of_page = own_ids[**file];
            if let Some(verdict) = kept.pages.get(**file)
                && Arc::ptr_eq(&verdict.tags, page_tags)
                && verdict.sources == sources_of
                && !verdict.read.iter().any(|f| changed.contains(f))
            {
                let again = Verdict {
                    tags: Arc::clone(page_tags),
                    ids: ids_of_page,
                    sources: sources_of,
                    read: Arc::clone(&verdict.read),
                    problems: Arc::clone(&verdict.problems),
                };
                return (**file, again);
            }
            let mut read = Vec::new();
            let problems = problems_on(
                &written,
                &ids,
                sources,
                file,
                page,
                pages[**file],
                Some(&mut read),
            );
            read.sort_unstable();
            read.dedup();
            let fresh = Verdict {
                tags: Arc::clone(page_tags),
                ids: ids_of_page,
                sources: sources_of,
                read: Arc::new(read),
                problems: Arc::new(problems),
            };
            (**file, fresh)
        })
        .collect();
    let problems = verdicts
        .iter()
        .flat_map(|(_, verdict)| verdict.problems.iter().cloned())
        .collect();
    kept.pages = verdicts
        .into_iter()
        .map(|(file, verdict)| (file.to_string(), verdict))
        .collect();
    kept.files = files;
    once_each(problems)
}

/// What a verdict knows a file by: a hash of its path.
fn file_key(path: &str) -> u64 {
    hash_of(path)
}

/// A page's ids, which of them are headings', in page order: all that a
/// link into the page reads of it.
fn ids_hash(tags: &[html::StartTag]) -> u64 {
    let ids: Vec<(&str, bool)> = tags
        .iter()
        .filter_map(|t| Some((t.attribute("id")?, is_heading(t))))
        .collect();
    hash_of(ids)
}

/// Each page's links' places in content/, hashed, by the page's address
/// as `problems_on` looks its links up. Summed, so that the order the
/// links are met in does not matter.
fn sources_hash(sources: &LinkSources) -> Map<&str, u64> {
    let mut by_page: Map<&str, u64> = Map::default();
    for ((page, href), placed) in sources {
        let sum = by_page.entry(page.as_str()).or_default();
        *sum = sum.wrapping_add(hash_of((href, placed)));
    }
    by_page
}

/// Every file of the tree, in memory or linked, by its path: what a link
/// may lead to.
fn written(tree: &Tree) -> Set<&str> {
    tree.paths().into_iter().map(String::as_str).collect()
}

fn pages_of(tags: &PageTags) -> Map<&str, &[html::StartTag]> {
    tags.iter()
        .map(|(path, tags)| (path.as_str(), tags.as_slice()))
        .collect()
}

fn is_heading(tag: &html::StartTag) -> bool {
    matches!(tag.name.as_str(), "h2" | "h3" | "h4" | "h5" | "h6")
}

fn ids_of<'a>(pages: &Map<&'a str, &'a [html::StartTag]>) -> Map<&'a str, Ids<'a>> {
    pages
        .iter()
        .map(|(path, tags)| {
            let all = tags.iter().filter_map(|t| t.attribute("id")).collect();
            let headings = tags
                .iter()
                .filter(|t| is_heading(t))
                .filter_map(|t| t.attribute("id"))
                .collect();
            (*path, Ids { all, headings })
        })
        .collect()
}

/// Section pages before print pages: a broken link is reported once, and
/// reads best as its section page has it (no section-id prefixes).
fn in_order<'a, 'b>(pages: &'b Map<&'a str, &'a [html::StartTag]>) -> Vec<&'b &'a str> {
    let mut paths: Vec<&&str> = pages.keys().collect();
    paths.sort_by_key(|p| (p.contains("/all/"), **p));
    paths
}

/// The same Markdown link appears on several pages (each view, and the
/// print page); report it once, where it is written.
fn once_each(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    problems.retain(|d| d.place.is_none() || seen.insert(d.place.clone()));
    problems
}

/// The ids on a page: all of them, and its headings' in page order (what
/// a lead can link to, named when a `#fragment` is wrong).
struct Ids<'a> {
    all: Set<&'a str>,
    headings: Vec<&'a str>,
}

/// The broken links among one page's tags.
fn problems_on(
    written: &Set<&str>,
    ids: &Map<&str, Ids>,
    sources: &LinkSources,
    file: &str,
    page: &str,
    tags: &[html::StartTag],
    mut read: Option<&mut Vec<u64>>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // A link written many times on one page is judged once: its sources
    // already list every place it is written.
    let mut judged = Set::default();
    // Where a link is written in content/, looked up only for a link found
    // wanting (the key is two owned strings: most links never need it).
    let placed_of = |href: &str| sources.get(&(page.to_string(), href.to_string()));
    for tag in tags {
        let Some(href) = tag.attribute("href").or_else(|| tag.attribute("src")) else {
            continue;
        };
        if !judged.insert(href) {
            continue;
        }
        // The canonical address names the page itself under base_url.
        let canonical = tag.name == "link" && tag.attribute("rel") == Some("canonical");
        if crate::address::classify(href, true) != Ok(Target::Internal)
            || tag.name == "base"
            || canonical
        {
            continue;
        }
        let (problem, placed) = match broken(written, ids, page, href, read.as_deref_mut()) {
            Some(problem) => (problem, placed_of(href)),
            None => {
                // A section's link lands on a section's heading, never on
                // the page around it (`#main`, `#contents`, a notice).
                let Some((_, fragment)) = href.split_once('#') else {
                    continue;
                };
                if !crate::markdown::PAGE_IDS.contains(&fragment) {
                    continue;
                }
                let Some(placed) = placed_of(href) else {
                    continue;
                };
                (
                    format!("`#{fragment}` is the page's own, not a heading of a section"),
                    Some(placed),
                )
            }
        };
        match placed {
            Some(placed) => problems.extend(placed.iter().map(|d| Diagnostic {
                message: format!("{} ({problem})", d.message),
                ..d.clone()
            })),
            None => problems.push(
                Diagnostic::error(format!(
                    "the page {file} links to `{href}`, which {problem}"
                ))
                .help(
                    "this link comes from the theme's templates: check the template that writes it",
                ),
            ),
        }
    }
    problems
}

/// Why `href` on `page` leads nowhere, or `None` if it is fine.
/// The files it looks at are added to `read`, when given.
fn broken(
    written: &Set<&str>,
    ids: &Map<&str, Ids>,
    page: &str,
    href: &str,
    read: Option<&mut Vec<u64>>,
) -> Option<String> {
    let resolved = match href.strip_prefix('/') {
        Some(from_root) => urls::resolve("", from_root),
        None => urls::resolve(page, href),
    };
    let Some((target, fragment)) = resolved else {
        return Some("points outside the site".into());
    };
    let file = urls::file_for(&target);
    let index = format!("{target}/index.html");
    if let Some(read) = read {
        read.push(file_key(&file));
        read.push(file_key(&index));
    }
    let file = if written.contains(file.as_str()) {
        file
    } else if written.contains(index.as_str()) {
        index
    } else {
        return Some(format!("leads to {target}, which the build does not write"));
    };
    let on_page = ids.get(file.as_str());
    match fragment.filter(|f| !f.is_empty()) {
        Some(fragment) if !on_page.is_some_and(|ids| ids.all.contains(fragment.as_str())) => {
            let headings: Vec<String> = on_page
                .map(|ids| ids.headings.iter().map(|id| format!("`#{id}`")).collect())
                .unwrap_or_default();
            Some(if headings.is_empty() {
                format!("there is no heading `#{fragment}` there, and no heading there has an id")
            } else {
                format!(
                    "there is no heading `#{fragment}` there; its headings' ids are {}",
                    headings.join(", ")
                )
            })
        }
        _ => None,
    }
}
