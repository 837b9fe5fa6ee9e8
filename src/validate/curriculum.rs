//! Rules for strands.yaml and curriculum.yaml: ids (valid, unique, known),
//! terms, addresses, and year groups that fit the framework's age bands.

use std::collections::HashMap;

use super::Checker;
use super::data_rules::{check_refs, check_url, claim_ids};
use crate::diagnostics::Diagnostic;
use crate::load::entries::DataFiles;
use crate::model::{AgeBand, Curriculum, Framework, Strand, Term, Unit, YearGroup};

/// Year-group ids that would take the address of a curriculum page.
const RESERVED_YEARS: [&str; 2] = ["strands", "coverage"];

pub fn framework(check: &mut Checker, data: &DataFiles) -> Framework {
    let Some((document, file)) = &data.strands else {
        return Framework {
            name: String::new(),
            url: None,
            strands: Vec::new(),
            bands: Vec::new(),
        };
    };
    if file.strands.is_empty() {
        check.error(
            document,
            &file.name,
            "strands.yaml lists no strands".into(),
            "list the framework's strands under `strands:`, each with an id and a name",
        );
    }
    let strand_ids = claim_ids(
        check,
        document,
        file.strands.iter().map(|s| &s.id),
        "strand",
    );
    let strands = file
        .strands
        .iter()
        .zip(strand_ids)
        .map(|(entry, id)| Strand {
            id,
            name: check.text(document, &entry.name, "strand name"),
            description: entry
                .description
                .as_ref()
                .map(|d| d.value.trim().to_string()),
        })
        .collect();
    let band_ids = claim_ids(
        check,
        document,
        file.age_bands.iter().map(|b| &b.id),
        "age band",
    );
    let mut banded: HashMap<String, String> = HashMap::new();
    let mut bands = Vec::new();
    for (entry, id) in file.age_bands.iter().zip(band_ids) {
        let name = check.text(document, &entry.name, "age band name");
        let years = claim_ids(check, document, &entry.years, "year group");
        for (year, text) in years.iter().zip(&entry.years) {
            if let Some(other) = banded.get(year) {
                check.error(
                    document,
                    text,
                    format!("the year group `{year}` is already in the age band {other}"),
                    "put each year group in one age band",
                );
            } else {
                banded.insert(year.clone(), name.clone());
            }
        }
        bands.push(AgeBand { id, name, years });
    }
    Framework {
        name: check.text(document, &file.name, "framework name"),
        url: file
            .url
            .as_ref()
            .map(|u| check_url(check, document, u, false)),
        strands,
        bands,
    }
}

pub fn curriculum(
    check: &mut Checker,
    data: &DataFiles,
    framework: &Framework,
) -> Option<Curriculum> {
    let (document, file) = data.curriculum.as_ref()?;
    let strand_ids: Vec<String> = framework.strands.iter().map(|s| s.id.clone()).collect();
    let year_ids = claim_ids(
        check,
        document,
        file.years.iter().map(|y| &y.id),
        "year group",
    );
    let mut years = Vec::new();
    for (entry, id) in file.years.iter().zip(year_ids) {
        if RESERVED_YEARS.contains(&id.as_str()) {
            check.error(
                document,
                &entry.id,
                format!("`{id}` cannot be a year-group id: a curriculum page uses that address"),
                "choose another id, such as `year-3`",
            );
        }
        if !framework.bands.is_empty() && !framework.bands.iter().any(|b| b.years.contains(&id)) {
            check.warning(
                document,
                &entry.id,
                format!("the year group `{id}` is in none of the framework's age bands"),
                "check the id against the age bands' `years:` in data/strands.yaml, or add it to one; until then its gaps are counted for the year alone",
            );
        }
        let name = check.text(document, &entry.name, "year-group name");
        let mut units = Vec::new();
        for unit in &entry.units {
            let unit_name = check.text(document, &unit.name, "unit name");
            if unit.strands.value.is_empty() {
                check.error_at(
                    document,
                    &unit.strands,
                    format!("the unit ‘{unit_name}’ names no strand"),
                    "list the ids of the strands it teaches, from data/strands.yaml",
                );
            }
            let strands = check_refs(
                check,
                document,
                &unit.strands.value,
                &strand_ids,
                "strand",
                "data/strands.yaml",
            );
            let term = Term::parse(&unit.term.value);
            if term.is_none() {
                let names: Vec<&str> = Term::ALL.iter().map(|t| t.name()).collect();
                check.error(
                    document,
                    &unit.term,
                    format!("`{}` is not a term", unit.term.value.trim()),
                    format!("write one of: {}", names.join(", ")),
                );
            }
            let statements = unit
                .statements
                .iter()
                .map(|s| check.text(document, s, "statement reference"))
                .collect();
            units.push(Unit {
                name: unit_name,
                provider: check.text(document, &unit.provider, "provider"),
                term: term.unwrap_or(Term::AllYear),
                strands,
                statements,
                url: unit
                    .url
                    .as_ref()
                    .map(|u| check_url(check, document, u, false)),
                summary: unit.summary.as_ref().map(|s| s.value.trim().to_string()),
            });
        }
        years.push(YearGroup {
            id,
            name,
            summary: entry.summary.as_ref().map(|s| s.value.trim().to_string()),
            units,
        });
    }
    if years.is_empty() {
        check.diagnostics.push(
            Diagnostic::error("curriculum.yaml lists no year groups")
                .at(document.source, 0..0)
                .help("list each year group under `years:` with its units, or delete the file if the school keeps no map"),
        );
    }
    Some(Curriculum { years })
}
