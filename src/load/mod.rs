//! Load: read the site root into memory. Walks content/, splits front
//! matter, parses every data/ file with spans kept. Checks only what it must
//! to read (UTF-8, YAML syntax, the shape of each file); every rule about
//! meaning belongs to `validate`.

pub mod content;
pub mod data;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
pub use content::{Asset, Content, RawSection};
use data::DataFiles;
use yaml::Document;

/// Everything read from one site root.
pub struct Loaded {
    pub root: PathBuf,
    pub sources: Sources,
    pub data: DataFiles,
    pub content: Content,
}

pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let data = DataFiles {
        site: data_file(root, "site", true, &mut sources, &mut diagnostics),
        roles: data_file(root, "roles", false, &mut sources, &mut diagnostics),
        people: data_file(root, "people", false, &mut sources, &mut diagnostics),
        organisations: data_file(root, "organisations", false, &mut sources, &mut diagnostics),
        documents: data_file(root, "documents", false, &mut sources, &mut diagnostics),
        reviews: data_file(root, "reviews", false, &mut sources, &mut diagnostics),
        versions: data_file(root, "versions", true, &mut sources, &mut diagnostics),
    };
    let content = content::load(root, &mut sources, &mut diagnostics);
    let loaded = Loaded {
        root: root.to_path_buf(),
        sources,
        data,
        content,
    };
    (loaded, diagnostics)
}

/// Reads and parses data/NAME.yaml. A missing optional file is `None` and
/// means "nothing of this kind"; a missing required one is an error.
fn data_file<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    required: bool,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Option<(Document, T)> {
    let path = root.join("data").join(format!("{name}.yaml"));
    if !path.is_file() {
        if required {
            diagnostics.push(
                Diagnostic::error(format!("data/{name}.yaml is missing"))
                    .in_file(format!("data/{name}.yaml"))
                    .help(format!(
                        "create data/{name}.yaml; docs/reference.md describes its keys"
                    )),
            );
        }
        return None;
    }
    let source = content::read_text(root, &path, sources, diagnostics)?;
    let document = Document::whole(sources, source);
    if sources.get(source).text.trim().is_empty() {
        if required {
            diagnostics.push(
                Diagnostic::error(format!("data/{name}.yaml is empty"))
                    .at(source, 0..0)
                    .help("docs/reference.md describes what it must hold"),
            );
        }
        return None;
    }
    match document.parse::<T>(sources) {
        Ok(value) => Some((document, value)),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            None
        }
    }
}
