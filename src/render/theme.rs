//! The theme: Tera templates and static files. The default theme is built
//! into the binary, so an installed `policyweb` needs no repository; a
//! site's own `themes/<name>/` replaces it file by file.

use std::path::Path;
use std::sync::Arc;

use tera::Tera;

use crate::diagnostics::Diagnostic;

/// The default theme's files, as (path under themes/default/, contents).
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "landing.html",
        include_str!("../../themes/default/templates/landing.html"),
    ),
    (
        "view.html",
        include_str!("../../themes/default/templates/view.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "all.html",
        include_str!("../../themes/default/templates/all.html"),
    ),
    (
        "people.html",
        include_str!("../../themes/default/templates/people.html"),
    ),
    (
        "organisations.html",
        include_str!("../../themes/default/templates/organisations.html"),
    ),
    (
        "reviews.html",
        include_str!("../../themes/default/templates/reviews.html"),
    ),
    (
        "unpublished.html",
        include_str!("../../themes/default/templates/unpublished.html"),
    ),
    (
        "revisions.html",
        include_str!("../../themes/default/templates/revisions.html"),
    ),
    (
        "changes.html",
        include_str!("../../themes/default/templates/changes.html"),
    ),
    (
        "side-by-side.html",
        include_str!("../../themes/default/templates/side-by-side.html"),
    ),
    (
        "curriculum.html",
        include_str!("../../themes/default/templates/curriculum.html"),
    ),
    (
        "curriculum-year.html",
        include_str!("../../themes/default/templates/curriculum-year.html"),
    ),
    (
        "curriculum-strand.html",
        include_str!("../../themes/default/templates/curriculum-strand.html"),
    ),
    (
        "curriculum-coverage.html",
        include_str!("../../themes/default/templates/curriculum-coverage.html"),
    ),
    (
        "template-changes.html",
        include_str!("../../themes/default/templates/template-changes.html"),
    ),
    (
        "links.html",
        include_str!("../../themes/default/templates/links.html"),
    ),
    (
        "accessibility.html",
        include_str!("../../themes/default/templates/accessibility.html"),
    ),
    (
        "glossary.html",
        include_str!("../../themes/default/templates/glossary.html"),
    ),
    (
        "a-z.html",
        include_str!("../../themes/default/templates/a-z.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "what-changed.html",
        include_str!("../../themes/default/templates/what-changed.html"),
    ),
    (
        "feed.xml",
        include_str!("../../themes/default/templates/feed.xml"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
];

const DEFAULT_STATIC: &[(&str, &str)] = &[
    (
        "site.css",
        include_str!("../../themes/default/static/site.css"),
    ),
    (
        "print.css",
        include_str!("../../themes/default/static/print.css"),
    ),
];

/// The bytes a page is given to start with: nine pages in ten of a
/// 40-section school are shorter (median 6.6 kB, 90th percentile 10 kB).
const PAGE_ROOM: usize = 12 * 1024;

pub struct Theme {
    pub tera: Tera,
    /// Files copied to assets/, by name.
    pub assets: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The page at `path` from `template`, or the error naming the
    /// template, the file it was for and the template's line: the one way
    /// every page, the landing page and the sitemap are rendered.
    pub fn render(
        &self,
        template: &str,
        path: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        // Room for nine pages in ten from the start (Tera's own `render`
        // starts at 2,000 bytes and grows the page two or three times,
        // copying it: 1% of a trust's build).
        let mut page = Vec::with_capacity(PAGE_ROOM);
        self.tera
            .render_to(template, context, &mut page)
            .map_err(|error| {
                Diagnostic::error(format!(
                    "the template {template} failed for {}: {}",
                    crate::urls::file_for(path),
                    describe(&error)
                ))
                .help("fix the template; the message names the line")
            })?;
        // Tera writes only the `str`s of its templates and values.
        Ok(String::from_utf8(page)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

/// Each page a render gave to Tera, by a hash of all Tera was given (the
/// theme's and the site's fingerprint, the template, the page's path and
/// every value of its context), with what came out: kept by `serve`
/// between rebuilds, so that the pages of a job rendered again whose
/// context is as it was (an edit to one section leaves every other
/// section page's, and most of the view's pages) are not rendered again.
/// Tera gives the same page for the same templates and context: the
/// default theme reads nothing else (no `now()`, no environment), and a
/// job kept whole between rebuilds relies on the same.
#[derive(Default)]
pub struct Memo {
    /// The last render's pages, read only.
    before: KeptPages,
    now: std::sync::Mutex<KeptPages>,
}

/// A page as Tera gave it, or its failure.
type Page = Arc<Result<String, Diagnostic>>;

/// The pages a render kept for the next, by the hash of their input.
pub type KeptPages = std::collections::HashMap<u64, Page>;

/// How many pages a render keeps for the next at most: its own, and the
/// last render's it did not ask for again while all together are no
/// more than this (a section edited again and again leaves a page each
/// time). The example's preview renders about 700 pages.
const PAGES_KEPT_AT_MOST: usize = 4096;

impl Memo {
    /// A memo that starts from what the last render kept (`into_kept`).
    pub fn remembering(before: KeptPages) -> Memo {
        Memo {
            before,
            now: std::sync::Mutex::default(),
        }
    }

    /// `theme.render`, or what it gave for the same input before; `site`
    /// is the fingerprint of the site-wide inputs the theme was read under.
    pub fn render(
        &self,
        theme: &Theme,
        site: u64,
        template: &str,
        path: &str,
        context: tera::Context,
    ) -> Result<String, Diagnostic> {
        let value = context.into_json();
        let key = crate::hash::hash_of((site, template, path, Json(&value)));
        let now = || {
            self.now
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let kept = now().get(&key).or_else(|| self.before.get(&key)).cloned();
        let page = match kept {
            Some(page) => page,
            // `into_json` gives an object, which is always a context.
            None => Arc::new(match tera::Context::from_value(value) {
                Ok(context) => theme.render(template, path, &context),
                Err(problem) => Err(Diagnostic::error(format!(
                    "{path}: the page's context could not be read again ({problem})"
                ))),
            }),
        };
        now().insert(key, Arc::clone(&page));
        page.as_ref().clone()
    }

    /// The pages this render asked for, and the last render's it did not
    /// while they are few (`PAGES_KEPT_AT_MOST`), for the next render.
    pub fn into_kept(self) -> KeptPages {
        let now = self
            .now
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::changes::text::kept_for_next(now, self.before, PAGES_KEPT_AT_MOST)
    }
}

/// A JSON value, hashed whole (`serde_json::Value` has no `Hash`).
struct Json<'a>(&'a serde_json::Value);

impl std::hash::Hash for Json<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use serde_json::Value;
        match self.0 {
            Value::Null => state.write_u8(0),
            Value::Bool(b) => (1u8, b).hash(state),
            Value::Number(n) => {
                (2u8, n.as_u64(), n.as_i64(), n.as_f64().map(f64::to_bits)).hash(state)
            }
            Value::String(text) => (3u8, text).hash(state),
            Value::Array(items) => {
                (4u8, items.len()).hash(state);
                for item in items {
                    Json(item).hash(state);
                }
            }
            Value::Object(map) => {
                (5u8, map.len()).hash(state);
                for (name, item) in map {
                    name.hash(state);
                    Json(item).hash(state);
                }
            }
        }
    }
}

/// Starts parsing the default theme (with the site's own files of it) on a
/// thread of its own, while the site is read, which is not parallel: the
/// render's `load` then finds it parsed, or waits on the lock held while it
/// is parsed, never parsing it twice. Only where the site can be using it
/// (no themes/ folder, or a themes/default/); a failure is `load`'s to
/// report, when the render asks.
pub fn prepare_default(root: &Path) {
    let themes = root.join("themes");
    if themes.exists() && !themes.join("default").is_dir() {
        return;
    }
    let root = root.to_path_buf();
    // A thread, not rayon: the site's reading may be waiting on the pool.
    let started = std::thread::Builder::new()
        .name("theme".into())
        .spawn(move || drop(load(&root, "default")));
    // Without a thread the render parses it, as before.
    drop(started);
}

/// The theme named in site.yaml: the site's own files where it has them,
/// the built-in default's otherwise.
pub fn load(root: &Path, name: &str) -> Result<Arc<Theme>, Diagnostic> {
    let folder = root.join("themes").join(name);
    if name != "default" && !folder.is_dir() {
        return Err(
            Diagnostic::error(format!("the theme `{name}` is not in themes/"))
                .in_file("data/site.yaml")
                .help("create themes/<name>/templates/, or remove `theme:` to use the default"),
        );
    }
    let read = |relative: &str, default: &str| -> Result<String, Diagnostic> {
        let path = folder.join(relative);
        if path.is_file() {
            std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::error(format!("cannot read themes/{name}/{relative}: {e}"))
                    .in_file(format!("themes/{name}/{relative}"))
            })
        } else {
            Ok(default.to_string())
        }
    };
    let mut templates = Vec::new();
    for (file, default) in DEFAULT_TEMPLATES {
        templates.push((
            file.to_string(),
            read(&format!("templates/{file}"), default)?,
        ));
    }
    let mut assets = Vec::new();
    for (file, default) in DEFAULT_STATIC {
        assets.push((
            file.to_string(),
            read(&format!("static/{file}"), default)?.into_bytes(),
        ));
    }
    // Schools built in one run mostly share a theme: its templates are
    // parsed once, and given again to every site with the same files.
    let mut parsed = PARSED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, theme)) = parsed
        .iter()
        .find(|(sources, _)| sources.0 == templates && sources.1 == assets)
    {
        return Ok(Arc::clone(theme));
    }
    let theme = Arc::new(parse(name, templates.clone(), assets.clone())?);
    if parsed.len() == PARSED_KEPT {
        parsed.remove(0);
    }
    parsed.push(((templates, assets), Arc::clone(&theme)));
    Ok(theme)
}

/// A theme's files as read: its templates and its static files.
type ThemeFiles = (Vec<(String, String)>, Vec<(String, Vec<u8>)>);

/// The themes parsed in this process, with the files each was parsed
/// from: the last few, so a run over many schools with their own themes
/// keeps no more than these.
static PARSED: std::sync::Mutex<Vec<(ThemeFiles, Arc<Theme>)>> = std::sync::Mutex::new(Vec::new());
const PARSED_KEPT: usize = 4;

/// The templates parsed, and the static files kept, as one theme.
fn parse(
    name: &str,
    templates: Vec<(String, String)>,
    assets: Vec<(String, Vec<u8>)>,
) -> Result<Theme, Diagnostic> {
    let mut tera = Tera::default();
    // Compact by construction: the pages are never minified after.
    let templates = templates.into_iter().map(|(file, text)| {
        let text = if file.ends_with(".html") {
            super::compact::template(&text)
        } else {
            text
        };
        (file, text)
    });
    tera.add_raw_templates(templates).map_err(|e| {
        Diagnostic::error(format!(
            "the theme's templates do not parse: {}",
            describe(&e)
        ))
        .in_file(format!("themes/{name}/templates/"))
        .help("fix the template named in the message")
    })?;
    tera.autoescape_on(vec![".html", ".xml"]);
    // The same escaping as Markdown output: `<>&"'` only, so addresses keep
    // their slashes in links and the sitemap.
    tera.set_escape_fn(crate::html::escape);
    Ok(Theme { tera, assets })
}

/// A Tera error with its causes, which hold the useful part.
pub fn describe(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
