//! Where every page lives and how one page links to another: the only place
//! output paths are spelled. Paths are relative to the output root, with
//! `/` separators, and name folders (`parents/reporting/`), written out as
//! `parents/reporting/index.html`. Links between pages are relative, so a
//! site works under any base address and from any folder.

/// A page's address within the output: `""` for the landing page, else a
/// folder path ending in `/` (`parents/people/`), or a file (`sitemap.xml`).
pub type PagePath = String;

pub fn landing() -> PagePath {
    String::new()
}

/// Where a revision other than the one in force is published for a view:
/// `versions/2023-24/parents`. The functions below take such a base or a
/// view id (`parents`) alike.
pub fn edition_base(revision: &str, view: &str) -> String {
    format!("versions/{revision}/{view}")
}

/// The governance view's timeline of revisions and approvals.
pub fn revisions(view: &str) -> PagePath {
    format!("{view}/revisions/")
}

/// What changed from revision `old` to `new`, with changes marked.
pub fn changes(view: &str, old: &str, new: &str) -> PagePath {
    format!("{view}/changes/{old}...{new}/")
}

/// What changed in each approved revision, as one view reads it.
pub fn view_changes(view: &str) -> PagePath {
    format!("{view}/changes/")
}

/// A view's Atom feed: one entry per approved revision.
pub fn feed(view: &str) -> PagePath {
    format!("{view}/feed.xml")
}

/// The same, old and new side by side.
pub fn changes_side_by_side(view: &str, old: &str, new: &str) -> PagePath {
    format!("{view}/changes/{old}...{new}/side-by-side/")
}

pub fn view(view: &str) -> PagePath {
    format!("{view}/")
}

pub fn section(view: &str, section: &str) -> PagePath {
    format!("{view}/{section}/")
}

pub fn all_sections(view: &str) -> PagePath {
    format!("{view}/all/")
}

pub fn people(view: &str) -> PagePath {
    format!("{view}/people/")
}

pub fn organisations(view: &str) -> PagePath {
    format!("{view}/organisations/")
}

pub fn reviews(view: &str) -> PagePath {
    format!("{view}/reviews/")
}

/// The glossary: every term of glossary.yaml, written out.
pub fn glossary(view: &str) -> PagePath {
    format!("{view}/glossary/")
}

/// The view's index from A to Z: headings, roles, organisations, strands,
/// documents and terms, each linked to where the view uses it.
pub fn a_z(view: &str) -> PagePath {
    format!("{view}/a-z/")
}

/// The curriculum pages of a view: the map or the list of year groups.
pub fn curriculum(view: &str) -> PagePath {
    format!("{view}/curriculum/")
}

/// What one year group learns.
pub fn curriculum_year(view: &str, year: &str) -> PagePath {
    format!("{view}/curriculum/{year}/")
}

/// One strand of the framework, taught year by year.
pub fn curriculum_strand(view: &str, strand: &str) -> PagePath {
    format!("{view}/curriculum/strands/{strand}/")
}

/// The gaps in coverage.
pub fn curriculum_coverage(view: &str) -> PagePath {
    format!("{view}/curriculum/coverage/")
}

/// What changed in the template a school's site is built on, on
/// governance views.
pub fn template_changes(view: &str) -> PagePath {
    format!("{view}/template/")
}

/// The last external link check, on governance views.
pub fn link_report(view: &str) -> PagePath {
    format!("{view}/links/")
}

/// The accessibility statement: one for the whole site, outside any view,
/// and one at the same place in the restricted tree, so every page's footer
/// link is the same relative path.
pub fn accessibility() -> PagePath {
    "accessibility/".into()
}

pub fn not_found() -> PagePath {
    "404.html".into()
}

pub fn asset(name: &str) -> PagePath {
    format!("assets/{name}")
}

/// A file from a revision's content/ (an image), copied under
/// assets/content/<revision>/ so that revisions never overwrite each
/// other's images.
pub fn content_asset(revision: &str, path: &str) -> PagePath {
    format!("assets/content/{revision}/{path}")
}

/// Where one of the site's own folder names is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Inside each view, by the view's own pages (`parents/people/`): no
    /// section may have the id.
    InView,
    /// At the output's root, beside the views (`assets/`): no view may
    /// have the id.
    AtRoot,
    /// Both. The view pages named here have always been refused as view
    /// ids too, though no page sits at the root under them.
    Both,
}

/// The folder names the site itself uses, from the builders above (and
/// `restricted/`, the restricted tree beside the output): the one list
/// that section ids and view ids are checked against.
pub const OWN_FOLDERS: [(&str, Taken); 15] = [
    ("all", Taken::Both),
    ("people", Taken::Both),
    ("changes", Taken::Both),
    ("curriculum", Taken::Both),
    ("reviews", Taken::Both),
    ("links", Taken::InView),
    ("organisations", Taken::InView),
    ("revisions", Taken::InView),
    ("template", Taken::InView),
    ("glossary", Taken::InView),
    ("a-z", Taken::InView),
    ("assets", Taken::AtRoot),
    ("versions", Taken::AtRoot),
    ("restricted", Taken::AtRoot),
    ("accessibility", Taken::AtRoot),
];

/// Whether a section called `id` would sit where one of a view's own
/// pages does.
pub fn taken_in_view(id: &str) -> bool {
    OWN_FOLDERS
        .iter()
        .any(|(name, taken)| *name == id && *taken != Taken::AtRoot)
}

/// Whether a view called `id` would sit where one of the site's own
/// folders does.
pub fn taken_at_root(id: &str) -> bool {
    OWN_FOLDERS
        .iter()
        .any(|(name, taken)| *name == id && *taken != Taken::InView)
}

/// Anchors on the who's who page.
pub fn role_anchor(role: &str) -> String {
    format!("role-{role}")
}

pub fn person_anchor(person: &str) -> String {
    format!("person-{person}")
}

/// A term's entry on the glossary page.
pub fn term_anchor(term: &str) -> String {
    format!("term-{term}")
}

/// An organisation's entry on the organisations page.
pub fn organisation_anchor(organisation: &str) -> String {
    format!("org-{organisation}")
}

/// The file a page path is written to.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// `relative` followed from `folder` (both written with `/`): `.` and
/// empty segments are skipped and `..` climbs one folder. `None` when it
/// climbs out of where `folder` starts. The one way a written path is
/// normalised, for links between pages and images beside a section.
pub fn join(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// A link from the page at `from` to `to` (which may carry a `#fragment`).
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    let up = "../".repeat(depth);
    let link = format!("{up}{to}");
    if link.is_empty() { "./".into() } else { link }
}

/// The page path a relative link from `from` points at, with its fragment,
/// or `None` when it climbs out of the site.
pub fn resolve(from: &str, link: &str) -> Option<(PagePath, Option<String>)> {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let path = path.split(['?']).next().unwrap_or(path);
    if path.is_empty() {
        return Some((from.to_string(), fragment));
    }
    // The folder of `from`: all before its file name, or before the
    // empty part after its last '/'.
    let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut resolved = join(folder, path)?;
    if path.ends_with('/') && !resolved.is_empty() {
        resolved.push('/');
    }
    if resolved.ends_with("index.html") {
        resolved.truncate(resolved.len() - "index.html".len());
    }
    Some((resolved, fragment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_the_site_uses_is_kept_from_sections_and_views() {
        let first = |path: String, skip: usize| path.split('/').nth(skip).unwrap().to_string();
        for page in [
            all_sections("v"),
            people("v"),
            organisations("v"),
            reviews("v"),
            revisions("v"),
            curriculum("v"),
            link_report("v"),
            glossary("v"),
            a_z("v"),
            changes("v", "a", "b"),
        ] {
            assert!(taken_in_view(&first(page.clone(), 1)), "{page}");
        }
        for path in [asset("x"), accessibility(), edition_base("r", "v")] {
            assert!(taken_at_root(&first(path.clone(), 0)), "{path}");
        }
        assert!(!taken_in_view("reporting") && !taken_at_root("parents"));
    }

    #[test]
    fn links_are_relative_and_resolve_back() {
        let from = section("parents", "reporting");
        let link = relative(
            &from,
            &format!("{}#{}", people("parents"), role_anchor("dsl")),
        );
        assert_eq!(link, "../../parents/people/#role-dsl");
        assert_eq!(
            resolve(&from, &link),
            Some(("parents/people/".into(), Some("role-dsl".into())))
        );
        assert_eq!(relative(&landing(), &view("staff")), "staff/");
        assert_eq!(resolve("", "staff/"), Some(("staff/".into(), None)));
        assert_eq!(
            resolve(&from, "#top"),
            Some((from.clone(), Some("top".into())))
        );
        assert_eq!(
            resolve(&from, "../../assets/site.css"),
            Some(("assets/site.css".into(), None))
        );
        assert_eq!(resolve(&from, "../../../outside"), None);
        assert_eq!(file_for(&from), "parents/reporting/index.html");
    }
}
