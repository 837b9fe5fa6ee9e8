//! Rebuilding in memory for the live preview: the same load, validate,
//! render and check as `build`, keeping the parsed YAML, each render job's
//! output and each finished page between runs, so that only the files, jobs
//! and pages a change touches are parsed, rendered and minified again.
//! Nothing is written to disk, so restricted views never reach public/.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::BuildCache;
use crate::output::Tree;

/// The site as last built: its trees, or the errors that stopped it.
pub struct Rebuilt {
    pub public: Tree,
    pub restricted: Tree,
    /// Warnings, as the terminal shows them (without colour).
    pub warnings: String,
}

pub struct Rebuilder {
    root: PathBuf,
    today: NaiveDate,
    cache: BuildCache,
    /// The YAML documents parsed in the last load.
    parsed: crate::load::yaml::Memo,
    /// The template roots the last load read (a chain's included), whose
    /// files are watched as the site's own are.
    templates: Vec<PathBuf>,
}

impl Rebuilder {
    pub fn new(root: PathBuf, today: NaiveDate) -> Rebuilder {
        Rebuilder {
            root,
            today,
            cache: BuildCache::preview(),
            parsed: crate::load::yaml::Memo::default(),
            templates: Vec::new(),
        }
    }

    /// Treats `today` as today from the next rebuild on (what is overdue
    /// changes with it); what does not read the date is kept.
    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = today;
    }

    /// The template roots the last rebuild read, nearest first.
    pub fn templates(&self) -> &[PathBuf] {
        &self.templates
    }

    /// Builds the site in memory. On errors, their text as the terminal
    /// shows it (file, line, caret), without colour.
    pub fn rebuild(&mut self) -> Result<Rebuilt, String> {
        let kept = self.cache.take_sections();
        let (loaded, found) = crate::load::load_with(&self.root, &self.parsed);
        self.templates = loaded.templates.clone();
        let checked = match crate::check_loaded(loaded, self.today, found, &self.parsed, kept) {
            Ok(checked) => checked,
            Err(refused) => return Err(refused.errors().render(&refused.sources, false)),
        };
        self.cache.keep_sections(checked.sections);
        let (site, mut diagnostics) = (checked.site, checked.diagnostics);
        let sources = &site.sources;
        let (generated, more) = crate::generate_cached(&site, &mut self.cache);
        diagnostics.extend(more);
        diagnostics.sort(sources);
        if diagnostics.has_errors() {
            diagnostics.items.retain(|d| d.is_error());
            return Err(diagnostics.render(sources, false));
        }
        Ok(Rebuilt {
            public: generated.public,
            restricted: generated.restricted,
            warnings: diagnostics.render(sources, false),
        })
    }
}
