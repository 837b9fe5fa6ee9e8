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
    let mut files = DataReader {
        root,
        sources: &mut sources,
        diagnostics: &mut diagnostics,
        unreadable: Vec::new(),
    };
    let data = DataFiles {
        site: files.read("site", true),
        roles: files.read("roles", false),
        people: files.read("people", false),
        organisations: files.read("organisations", false),
        documents: files.read("documents", false),
        reviews: files.read("reviews", false),
        versions: files.read("versions", true),
        unreadable: files.unreadable,
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

struct DataReader<'a> {
    root: &'a Path,
    sources: &'a mut Sources,
    diagnostics: &'a mut Diagnostics,
    unreadable: Vec<&'static str>,
}

impl DataReader<'_> {
    /// Reads and parses data/NAME.yaml. A missing optional file is `None`
    /// and means "nothing of this kind"; a missing required one is an error.
    fn read<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        required: bool,
    ) -> Option<(Document, T)> {
        let path = self.root.join("data").join(format!("{name}.yaml"));
        if !path.is_file() {
            if required {
                self.diagnostics.push(
                    Diagnostic::error(format!("data/{name}.yaml is missing"))
                        .in_file(format!("data/{name}.yaml"))
                        .help(format!(
                            "create data/{name}.yaml; docs/reference.md describes its keys"
                        )),
                );
            }
            return None;
        }
        let Some(source) = content::read_text(self.root, &path, self.sources, self.diagnostics)
        else {
            self.unreadable.push(name);
            return None;
        };
        let document = Document::whole(self.sources, source);
        if self.sources.get(source).text.trim().is_empty() {
            if required {
                self.diagnostics.push(
                    Diagnostic::error(format!("data/{name}.yaml is empty"))
                        .at(source, 0..0)
                        .help("docs/reference.md describes what it must hold"),
                );
            }
            return None;
        }
        match document.parse::<T>(self.sources) {
            Ok(value) => Some((document, value)),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                self.unreadable.push(name);
                None
            }
        }
    }
}
