//! Coverage: which strands of the framework each year group and each age
//! band is taught, and the gaps. Computed from a revision's model for the
//! curriculum pages, the build's summary and the account of what changed;
//! nothing here renders or checks.

use crate::model::{AgeBand, Curriculum, Framework, Revision, Strand, Unit, YearGroup};
use crate::prose;

/// How a curriculum covers a framework: for each strand and year group, the
/// units that teach it.
pub struct Coverage<'a> {
    pub framework: &'a Framework,
    pub curriculum: &'a Curriculum,
    /// `cells[strand][year]`, in framework and curriculum order.
    cells: Vec<Vec<Vec<&'a Unit>>>,
    /// The framework's age bands that hold at least one of the curriculum's
    /// year groups, with those year groups' positions.
    pub bands: Vec<(&'a AgeBand, Vec<usize>)>,
}

/// One strand's gaps: the year groups with no unit for it, and the age
/// bands where none of the school's year groups has one.
#[derive(Debug)]
pub struct Gaps<'a> {
    pub strand: &'a Strand,
    pub years: Vec<&'a YearGroup>,
    pub bands: Vec<&'a AgeBand>,
}

impl<'a> Coverage<'a> {
    pub fn of(framework: &'a Framework, curriculum: &'a Curriculum) -> Coverage<'a> {
        let cells = framework
            .strands
            .iter()
            .map(|strand| {
                curriculum
                    .years
                    .iter()
                    .map(|year| {
                        year.units
                            .iter()
                            .filter(|unit| unit.strands.contains(&strand.id))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let bands = framework
            .bands
            .iter()
            .filter_map(|band| {
                let years: Vec<usize> = curriculum
                    .years
                    .iter()
                    .enumerate()
                    .filter(|(_, y)| band.years.contains(&y.id))
                    .map(|(i, _)| i)
                    .collect();
                (!years.is_empty()).then_some((band, years))
            })
            .collect();
        Coverage {
            framework,
            curriculum,
            cells,
            bands,
        }
    }

    /// A revision's coverage, when it keeps a curriculum.
    pub fn of_revision(revision: &'a Revision) -> Option<Coverage<'a>> {
        let curriculum = revision.curriculum.as_ref()?;
        Some(Coverage::of(&revision.framework, curriculum))
    }

    /// The units of year group `year` that teach strand `strand`
    /// (positions in the framework and the curriculum).
    pub fn units(&self, strand: usize, year: usize) -> &[&'a Unit] {
        &self.cells[strand][year]
    }

    /// How many units of a band's year groups teach a strand.
    pub fn band_units(&self, strand: usize, band: usize) -> usize {
        self.bands[band]
            .1
            .iter()
            .map(|&year| self.cells[strand][year].len())
            .sum()
    }

    /// Strand × year-group cells with at least one unit, and all cells.
    pub fn covered(&self) -> (usize, usize) {
        let all = self.cells.iter().flatten();
        let covered = all.clone().filter(|units| !units.is_empty()).count();
        (covered, all.count())
    }

    /// Every strand with a gap, in framework order.
    pub fn gaps(&self) -> Vec<Gaps<'a>> {
        let mut out = Vec::new();
        for (s, strand) in self.framework.strands.iter().enumerate() {
            let years: Vec<&YearGroup> = self
                .curriculum
                .years
                .iter()
                .enumerate()
                .filter(|&(y, _)| self.cells[s][y].is_empty())
                .map(|(_, year)| year)
                .collect();
            let bands: Vec<&AgeBand> = (0..self.bands.len())
                .filter(|&b| self.band_units(s, b) == 0)
                .map(|b| self.bands[b].0)
                .collect();
            if !years.is_empty() {
                out.push(Gaps {
                    strand,
                    years,
                    bands,
                });
            }
        }
        out
    }
}

impl Gaps<'_> {
    /// "Online reputation is not taught in Reception, Year 1 or Year 2, so
    /// not at all in the age band Early years to age 7."
    pub fn sentence(&self) -> String {
        let years: Vec<String> = self.years.iter().map(|y| y.name.clone()).collect();
        let mut sentence = format!(
            "{} is not taught in {}",
            self.strand.name,
            prose::list(&years, "or")
        );
        if !self.bands.is_empty() {
            let bands: Vec<String> = self.bands.iter().map(|b| b.name.clone()).collect();
            sentence.push_str(&format!(
                ", so not at all in the age band{} {}",
                if bands.len() == 1 { "" } else { "s" },
                prose::list(&bands, "or")
            ));
        }
        sentence.push('.');
        sentence
    }
}

/// The gaps in a revision's curriculum, one sentence a strand; empty when
/// it keeps no curriculum.
pub fn gap_sentences(revision: &Revision) -> Vec<String> {
    Coverage::of_revision(revision)
        .map(|coverage| coverage.gaps().iter().map(Gaps::sentence).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Term;

    fn strand(id: &str, name: &str) -> Strand {
        Strand {
            id: id.into(),
            name: name.into(),
            description: None,
        }
    }

    fn unit(name: &str, strands: &[&str]) -> Unit {
        Unit {
            name: name.into(),
            provider: "Project Evolve".into(),
            term: Term::Autumn1,
            strands: strands.iter().map(|s| s.to_string()).collect(),
            statements: Vec::new(),
            url: None,
            summary: None,
        }
    }

    fn year(id: &str, name: &str, units: Vec<Unit>) -> YearGroup {
        YearGroup {
            id: id.into(),
            name: name.into(),
            summary: None,
            units,
        }
    }

    fn band(id: &str, name: &str, years: &[&str]) -> AgeBand {
        AgeBand {
            id: id.into(),
            name: name.into(),
            years: years.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn framework() -> Framework {
        Framework {
            name: "Test framework".into(),
            url: None,
            strands: vec![
                strand("bullying", "Online bullying"),
                strand("reputation", "Online reputation"),
                strand("privacy", "Privacy and security"),
            ],
            bands: vec![
                band("young", "Early years to age 7", &["reception", "year-1"]),
                band("older", "Ages 7 to 11", &["year-3", "year-4"]),
                band("secondary", "Ages 11 to 14", &["year-7"]),
            ],
        }
    }

    fn curriculum() -> Curriculum {
        Curriculum {
            years: vec![
                year(
                    "reception",
                    "Reception",
                    vec![unit("Kind words", &["bullying"])],
                ),
                year(
                    "year-1",
                    "Year 1",
                    vec![
                        unit("Passwords", &["privacy"]),
                        unit("Telling someone", &["bullying", "privacy"]),
                    ],
                ),
                year(
                    "year-3",
                    "Year 3",
                    vec![unit("Footprints", &["reputation", "privacy"])],
                ),
                year("year-4", "Year 4", vec![unit("Upstanders", &["bullying"])]),
            ],
        }
    }

    #[test]
    fn cells_hold_the_units_that_teach_each_strand() {
        let (framework, curriculum) = (framework(), curriculum());
        let coverage = Coverage::of(&framework, &curriculum);
        let names = |s, y| -> Vec<&str> {
            coverage
                .units(s, y)
                .iter()
                .map(|u| u.name.as_str())
                .collect()
        };
        assert_eq!(names(0, 1), ["Telling someone"]);
        assert_eq!(names(2, 1), ["Passwords", "Telling someone"]);
        assert!(names(1, 0).is_empty());
        // 12 cells (3 strands × 4 years); 6 have a unit.
        assert_eq!(coverage.covered(), (6, 12));
        // The secondary band holds none of the school's years: not counted.
        let bands: Vec<&str> = coverage.bands.iter().map(|(b, _)| b.id.as_str()).collect();
        assert_eq!(bands, ["young", "older"]);
        assert_eq!(coverage.band_units(2, 0), 2);
    }

    #[test]
    fn gaps_name_the_years_and_the_bands_left_without_a_strand() {
        let (framework, curriculum) = (framework(), curriculum());
        let coverage = Coverage::of(&framework, &curriculum);
        let sentences: Vec<String> = coverage.gaps().iter().map(Gaps::sentence).collect();
        assert_eq!(
            sentences,
            [
                "Online bullying is not taught in Year 3.",
                "Online reputation is not taught in Reception, Year 1 or Year 4, so not at all in the age band Early years to age 7.",
                "Privacy and security is not taught in Reception or Year 4.",
            ]
        );
    }

    #[test]
    fn the_built_in_framework_is_education_for_a_connected_world() {
        let framework: crate::load::entries::StrandsFile =
            serde_saphyr::from_str(crate::load::DEFAULT_FRAMEWORK)
                .expect("the built-in framework parses");
        let names: Vec<&str> = framework
            .strands
            .iter()
            .map(|s| s.name.value.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Self-image and identity",
                "Online relationships",
                "Online reputation",
                "Online bullying",
                "Managing online information",
                "Health, wellbeing and lifestyle",
                "Privacy and security",
                "Copyright and ownership",
            ]
        );
        assert_eq!(framework.age_bands.len(), 4);
    }
}
