//! The offline check of internal links: every `href` in every rendered page
//! that points inside the site must reach a page or file that exists, and
//! its `#fragment` an id on that page. A broken link from Markdown is
//! reported at its line in content/; one from a template names the page.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
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
    html::start_tags_naming(&String::from_utf8_lossy(page), ATTRIBUTES)
}

pub fn check(tree: &Tree, tags: &PageTags, sources: &LinkSources) -> Vec<Diagnostic> {
    let pages: HashMap<&str, &[html::StartTag]> = tags
        .iter()
        .map(|(path, tags)| (path.as_str(), tags.as_slice()))
        .collect();
    let ids: HashMap<&str, Ids> = pages
        .iter()
        .map(|(path, tags)| {
            let all = tags.iter().filter_map(|t| t.attribute("id")).collect();
            let headings = tags
                .iter()
                .filter(|t| matches!(t.name.as_str(), "h2" | "h3" | "h4" | "h5" | "h6"))
                .filter_map(|t| t.attribute("id"))
                .collect();
            (*path, Ids { all, headings })
        })
        .collect();
    let mut paths: Vec<&&str> = pages.keys().collect();
    // Section pages before print pages: a broken link is reported once, and
    // reads best as its section page has it (no section-id prefixes).
    paths.sort_by_key(|p| (p.contains("/all/"), **p));
    let mut problems: Vec<Diagnostic> = paths
        .par_iter()
        .flat_map_iter(|file| {
            let page = file.strip_suffix("index.html").unwrap_or(file);
            problems_on(tree, &ids, sources, file, page, pages[**file])
        })
        .collect();
    // The same Markdown link appears on several pages (each view, and the
    // print page); report it once, where it is written.
    let mut seen = HashSet::new();
    problems.retain(|d| d.place.is_none() || seen.insert(d.place.clone()));
    problems
}

/// The ids on a page: all of them, and its headings' in page order (what
/// a lead can link to, named when a `#fragment` is wrong).
struct Ids<'a> {
    all: HashSet<&'a str>,
    headings: Vec<&'a str>,
}

/// The broken links among one page's tags.
fn problems_on(
    tree: &Tree,
    ids: &HashMap<&str, Ids>,
    sources: &LinkSources,
    file: &str,
    page: &str,
    tags: &[html::StartTag],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // A link written many times on one page is judged once: its sources
    // already list every place it is written.
    let mut judged = HashSet::new();
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
        let placed = sources.get(&(page.to_string(), href.to_string()));
        let Some(problem) = broken(tree, ids, page, href).or_else(|| {
            // A section's link lands on a section's heading, never on the
            // page around it (`#main`, `#contents`, a notice).
            let (_, fragment) = href.split_once('#')?;
            (placed.is_some() && crate::markdown::PAGE_IDS.contains(&fragment))
                .then(|| format!("`#{fragment}` is the page's own, not a heading of a section"))
        }) else {
            continue;
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
fn broken(tree: &Tree, ids: &HashMap<&str, Ids>, page: &str, href: &str) -> Option<String> {
    let resolved = match href.strip_prefix('/') {
        Some(from_root) => urls::resolve("", from_root),
        None => urls::resolve(page, href),
    };
    let Some((target, fragment)) = resolved else {
        return Some("points outside the site".into());
    };
    let file = urls::file_for(&target);
    let file = if tree.files.contains_key(&file) {
        file
    } else if tree.files.contains_key(&format!("{target}/index.html")) {
        format!("{target}/index.html")
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
