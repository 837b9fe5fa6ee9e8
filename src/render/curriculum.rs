//! The curriculum pages of one edition: the map or the list of year
//! groups (curriculum/), one page per year group for parents, one per
//! strand with the sections tagged with it, and the gaps for governors.
//! Which of them a view has comes from `curriculum:` in site.yaml.

use serde::Serialize;

use super::ViewOutput;
use super::context::{Edition, Link, PageSpec, ViewPage, chrome, view_crumbs};
use super::theme::Theme;
use crate::curriculum::Coverage;
use crate::model::{Curriculum, CurriculumPages, Revision, Site, Strand, Term, Unit, YearGroup};
use crate::urls;

/// Whether the edition has curriculum pages at all.
pub fn has_pages(edition: &Edition) -> bool {
    edition.revision.curriculum.is_some() && edition.view.curriculum.any()
}

/// Whether a view shows the curriculum page at `rest` (`curriculum/year-3/`,
/// relative to the view's base) for a revision.
pub fn has_page(revision: &Revision, pages: CurriculumPages, rest: &str) -> bool {
    let Some(curriculum) = &revision.curriculum else {
        return false;
    };
    let parts: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["curriculum"] => pages.any(),
        ["curriculum", "coverage"] => pages.coverage,
        ["curriculum", "strands", id] => pages.strands && revision.framework.strand(id).is_some(),
        ["curriculum", id] => pages.years && curriculum.year(id).is_some(),
        _ => false,
    }
}

/// Something named and perhaps linked: the framework.
#[derive(Serialize)]
struct Named {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct StrandInfo {
    id: String,
    name: String,
    description: Option<String>,
    /// Its page, where the view has strand pages.
    url: Option<String>,
}

#[derive(Serialize)]
struct YearInfo {
    id: String,
    name: String,
    summary: Option<String>,
    /// Its page, where the view has year pages.
    url: Option<String>,
    units: usize,
}

#[derive(Serialize)]
struct UnitInfo {
    name: String,
    provider: String,
    term: &'static str,
    summary: Option<String>,
    url: Option<String>,
    strands: Vec<StrandInfo>,
    statements: Vec<String>,
}

/// One cell of the map or the band table: how many units, and how warm to
/// shade it; the count and the words carry the meaning without colour.
#[derive(Serialize)]
struct Cell {
    count: usize,
    /// `gap`, `one`, `two` or `many`.
    heat: &'static str,
    units: Vec<CellUnit>,
}

#[derive(Serialize)]
struct CellUnit {
    name: String,
    term: &'static str,
}

#[derive(Serialize)]
struct Row {
    strand: StrandInfo,
    cells: Vec<Cell>,
}

fn heat(count: usize) -> &'static str {
    match count {
        0 => "gap",
        1 => "one",
        2 => "two",
        _ => "many",
    }
}

/// Links and names shared by every page of one edition's curriculum.
struct Pages<'a> {
    site: &'a Site,
    theme: &'a Theme,
    edition: &'a Edition<'a>,
    curriculum: &'a Curriculum,
    coverage: Coverage<'a>,
    shows: CurriculumPages,
}

impl Pages<'_> {
    fn strand(&self, from: &str, strand: &Strand) -> StrandInfo {
        StrandInfo {
            id: strand.id.clone(),
            name: strand.name.clone(),
            description: strand.description.clone(),
            url: self.shows.strands.then(|| {
                urls::relative(
                    from,
                    &urls::curriculum_strand(&self.edition.base, &strand.id),
                )
            }),
        }
    }

    fn year(&self, from: &str, year: &YearGroup) -> YearInfo {
        YearInfo {
            id: year.id.clone(),
            name: year.name.clone(),
            summary: year.summary.clone(),
            url: self.shows.years.then(|| {
                urls::relative(from, &urls::curriculum_year(&self.edition.base, &year.id))
            }),
            units: year.units.len(),
        }
    }

    fn unit(&self, from: &str, unit: &Unit) -> UnitInfo {
        let framework = &self.edition.revision.framework;
        UnitInfo {
            name: unit.name.clone(),
            provider: unit.provider.clone(),
            term: unit.term.name(),
            summary: unit.summary.clone(),
            url: unit.url.clone(),
            strands: unit
                .strands
                .iter()
                .filter_map(|id| framework.strand(id))
                .map(|s| self.strand(from, s))
                .collect(),
            // Statement references are for the staff who plan lessons.
            statements: if self.shows.map || self.shows.strands {
                unit.statements.clone()
            } else {
                Vec::new()
            },
        }
    }

    fn crumbs(&self, from: &str, with_index: bool) -> Vec<Link> {
        let mut crumbs = view_crumbs(self.site, self.edition, from);
        if with_index {
            crumbs.push(Link {
                title: index_title(self.shows).into(),
                url: urls::relative(from, &urls::curriculum(&self.edition.base)),
            });
        }
        crumbs
    }

    fn render(
        &self,
        template: &str,
        spec: &PageSpec,
        extra: tera::Context,
        output: &mut ViewOutput,
    ) {
        let mut context = tera::Context::new();
        context.insert("page", &chrome(self.site, spec));
        let framework = &self.edition.revision.framework;
        context.insert(
            "framework",
            &Named {
                name: framework.name.clone(),
                url: framework.url.clone(),
            },
        );
        context.extend(extra);
        output.page(self.theme, template, spec.path, context);
    }
}

fn index_title(shows: CurriculumPages) -> &'static str {
    if shows.map {
        "Curriculum map"
    } else {
        "What children learn about staying safe online"
    }
}

/// Every curriculum page of an edition (none when the revision keeps no
/// curriculum or the view shows none).
pub fn pages(site: &Site, theme: &Theme, edition: &Edition, output: &mut ViewOutput) {
    let Some(curriculum) = edition.revision.curriculum.as_ref() else {
        return;
    };
    let shows = edition.view.curriculum;
    if !shows.any() {
        return;
    }
    let pages = Pages {
        site,
        theme,
        edition,
        curriculum,
        coverage: Coverage::of(&edition.revision.framework, curriculum),
        shows,
    };
    index_page(&pages, output);
    if shows.years {
        for position in 0..curriculum.years.len() {
            year_page(&pages, position, output);
        }
    }
    if shows.strands {
        for position in 0..edition.revision.framework.strands.len() {
            strand_page(&pages, position, output);
        }
    }
    if shows.coverage {
        coverage_page(&pages, output);
    }
}

fn index_page(pages: &Pages, output: &mut ViewOutput) {
    let (edition, shows) = (pages.edition, pages.shows);
    let framework = &edition.revision.framework;
    let path = urls::curriculum(&edition.base);
    let years: Vec<YearInfo> = pages
        .curriculum
        .years
        .iter()
        .map(|y| pages.year(&path, y))
        .collect();
    let map: Vec<Row> = if shows.map {
        framework
            .strands
            .iter()
            .enumerate()
            .map(|(s, strand)| Row {
                strand: pages.strand(&path, strand),
                cells: (0..years.len())
                    .map(|y| {
                        let units = pages.coverage.units(s, y);
                        Cell {
                            count: units.len(),
                            heat: heat(units.len()),
                            units: units
                                .iter()
                                .map(|u| CellUnit {
                                    name: u.name.clone(),
                                    term: u.term.name(),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let strands: Vec<StrandInfo> = if shows.strands {
        framework
            .strands
            .iter()
            .map(|s| pages.strand(&path, s))
            .collect()
    } else {
        Vec::new()
    };
    let (covered, cells) = pages.coverage.covered();
    let title = index_title(shows);
    let spec = PageSpec {
        path: &path,
        title: title.into(),
        description: format!(
            "What each year group at {} is taught about staying safe online, matched against {}.",
            pages.site.settings.school.name, framework.name
        ),
        view: Some((edition, ViewPage::Curriculum)),
        breadcrumbs: pages.crumbs(&path, false),
    };
    let mut context = tera::Context::new();
    context.insert("title", title);
    context.insert("years", &years);
    context.insert("map", &map);
    context.insert("strands", &strands);
    context.insert("show_years", &shows.years);
    context.insert("covered", &covered);
    context.insert("cells", &cells);
    context.insert(
        "coverage",
        &shows
            .coverage
            .then(|| urls::relative(&path, &urls::curriculum_coverage(&edition.base))),
    );
    context.insert("gaps", &pages.coverage.gaps().len());
    pages.render("curriculum.html", &spec, context, output);
}

#[derive(Serialize)]
struct TermUnits {
    /// The heading's id: `autumn-1`.
    id: String,
    term: &'static str,
    units: Vec<UnitInfo>,
}

fn year_page(pages: &Pages, position: usize, output: &mut ViewOutput) {
    let edition = pages.edition;
    let framework = &edition.revision.framework;
    let year = &pages.curriculum.years[position];
    let path = urls::curriculum_year(&edition.base, &year.id);
    let mut terms: Vec<TermUnits> = Vec::new();
    for term in Term::ALL {
        let units: Vec<UnitInfo> = year
            .units
            .iter()
            .filter(|u| u.term == term)
            .map(|u| pages.unit(&path, u))
            .collect();
        if !units.is_empty() {
            terms.push(TermUnits {
                id: crate::slug::slug(term.name()),
                term: term.name(),
                units,
            });
        }
    }
    let (taught, untaught): (Vec<_>, Vec<_>) = framework
        .strands
        .iter()
        .enumerate()
        .partition(|&(s, _)| !pages.coverage.units(s, position).is_empty());
    let info = |list: Vec<(usize, &Strand)>| -> Vec<StrandInfo> {
        list.into_iter()
            .map(|(_, s)| pages.strand(&path, s))
            .collect()
    };
    let neighbour = |p: Option<usize>| {
        p.and_then(|p| pages.curriculum.years.get(p)).map(|y| Link {
            title: y.name.clone(),
            url: urls::relative(&path, &urls::curriculum_year(&edition.base, &y.id)),
        })
    };
    let title = format!(
        "What your child learns in {} about staying safe online",
        year.name
    );
    let spec = PageSpec {
        path: &path,
        title: title.clone(),
        description: year.summary.clone().unwrap_or_else(|| {
            format!(
                "The online safety lessons {} is taught at {}, term by term.",
                year.name, pages.site.settings.school.name
            )
        }),
        view: Some((edition, ViewPage::Curriculum)),
        breadcrumbs: pages.crumbs(&path, true),
    };
    let mut context = tera::Context::new();
    context.insert("title", &title);
    context.insert("year", &pages.year(&path, year));
    context.insert("terms", &terms);
    context.insert("taught", &info(taught));
    // Gaps are for the views that have the coverage page.
    context.insert(
        "untaught",
        &if pages.shows.coverage {
            info(untaught)
        } else {
            Vec::new()
        },
    );
    context.insert("previous", &neighbour(position.checked_sub(1)));
    context.insert("next", &neighbour(Some(position + 1)));
    pages.render("curriculum-year.html", &spec, context, output);
}

#[derive(Serialize)]
struct StrandYear {
    year: YearInfo,
    units: Vec<UnitInfo>,
}

fn strand_page(pages: &Pages, position: usize, output: &mut ViewOutput) {
    let edition = pages.edition;
    let strand = &edition.revision.framework.strands[position];
    let path = urls::curriculum_strand(&edition.base, &strand.id);
    let years: Vec<StrandYear> = pages
        .curriculum
        .years
        .iter()
        .enumerate()
        .map(|(y, year)| StrandYear {
            year: pages.year(&path, year),
            units: pages
                .coverage
                .units(position, y)
                .iter()
                .map(|u| pages.unit(&path, u))
                .collect(),
        })
        .collect();
    let sections: Vec<Link> = edition
        .shown()
        .into_iter()
        .filter(|s| s.strands.contains(&strand.id))
        .map(|s| Link {
            title: s.title.clone(),
            url: urls::relative(&path, &urls::section(&edition.base, &s.id)),
        })
        .collect();
    let spec = PageSpec {
        path: &path,
        title: strand.name.clone(),
        description: strand.description.clone().unwrap_or_else(|| {
            format!(
                "How {} is taught in each year group, and the policy sections about it.",
                strand.name
            )
        }),
        view: Some((edition, ViewPage::Curriculum)),
        breadcrumbs: pages.crumbs(&path, true),
    };
    let mut context = tera::Context::new();
    context.insert("strand", &pages.strand(&path, strand));
    context.insert("years", &years);
    context.insert("sections", &sections);
    context.insert("show_gaps", &pages.shows.coverage);
    pages.render("curriculum-strand.html", &spec, context, output);
}

#[derive(Serialize)]
struct GapEntry {
    strand: StrandInfo,
    years: Vec<YearInfo>,
    bands: Vec<String>,
    sentence: String,
}

#[derive(Serialize)]
struct BandHeading {
    name: String,
    years: Vec<String>,
}

fn coverage_page(pages: &Pages, output: &mut ViewOutput) {
    let edition = pages.edition;
    let framework = &edition.revision.framework;
    let path = urls::curriculum_coverage(&edition.base);
    let coverage = &pages.coverage;
    let gaps: Vec<GapEntry> = coverage
        .gaps()
        .iter()
        .map(|gap| GapEntry {
            strand: pages.strand(&path, gap.strand),
            years: gap.years.iter().map(|y| pages.year(&path, y)).collect(),
            bands: gap.bands.iter().map(|b| b.name.clone()).collect(),
            sentence: gap.sentence(),
        })
        .collect();
    let bands: Vec<BandHeading> = coverage
        .bands
        .iter()
        .map(|(band, years)| BandHeading {
            name: band.name.clone(),
            years: years
                .iter()
                .map(|&y| pages.curriculum.years[y].name.clone())
                .collect(),
        })
        .collect();
    let rows: Vec<Row> = framework
        .strands
        .iter()
        .enumerate()
        .map(|(s, strand)| Row {
            strand: pages.strand(&path, strand),
            cells: (0..coverage.bands.len())
                .map(|b| {
                    let count = coverage.band_units(s, b);
                    Cell {
                        count,
                        heat: heat(count),
                        units: Vec::new(),
                    }
                })
                .collect(),
        })
        .collect();
    let (covered, cells) = coverage.covered();
    let spec = PageSpec {
        path: &path,
        title: "Gaps in the curriculum".into(),
        description: format!(
            "Where a strand of {} is not taught, by year group and age band.",
            framework.name
        ),
        view: Some((edition, ViewPage::Curriculum)),
        breadcrumbs: pages.crumbs(&path, true),
    };
    let mut context = tera::Context::new();
    context.insert("gaps", &gaps);
    context.insert("bands", &bands);
    context.insert("rows", &rows);
    context.insert("covered", &covered);
    context.insert("cells", &cells);
    context.insert("strand_count", &framework.strands.len());
    context.insert("year_count", &pages.curriculum.years.len());
    context.insert(
        "map",
        &urls::relative(&path, &urls::curriculum(&edition.base)),
    );
    pages.render("curriculum-coverage.html", &spec, context, output);
}
