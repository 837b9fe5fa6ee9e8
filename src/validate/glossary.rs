//! Rules for data/glossary.yaml: each entry's id (well formed, used once),
//! its term (written once across the glossary, so `[[term:…]]` and the
//! bare-capitals warning mean one thing), its expansion and its address.

use std::collections::HashMap;

use super::Checker;
use super::data_rules::{check_url, claim_entry_ids};
use crate::load::entries::DataFiles;
use crate::model::GlossaryTerm;

pub(super) fn glossary(check: &mut Checker, data: &DataFiles) -> Vec<GlossaryTerm> {
    let Some((document, entries)) = &data.glossary else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        entries
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "term",
    );
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut terms = Vec::new();
    for (entry, id) in entries.iter().zip(ids) {
        let document = entry.from.as_ref().unwrap_or(document);
        let term = check.text(document, &entry.term, "term");
        let line = entry.term.referenced.line() as usize;
        if let Some(first) = seen.get(&term) {
            check.error(
                document,
                &entry.term,
                format!("the term `{term}` is in the glossary twice (first on line {first})"),
                "keep one entry for each term; a word with two meanings needs two different terms",
            );
        } else if !term.is_empty() {
            seen.insert(term.clone(), line);
        }
        terms.push(GlossaryTerm {
            id,
            term,
            stands_for: check.text(document, &entry.stands_for, "stands_for"),
            meaning: entry
                .meaning
                .as_ref()
                .map(|m| m.value.trim().to_string())
                .filter(|m| !m.is_empty()),
            url: entry
                .url
                .as_ref()
                .map(|u| check_url(check, document, u, false)),
        });
    }
    terms
}
