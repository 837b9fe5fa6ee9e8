//! Where a revision's files came from: its source as versions.yaml names
//! it, and the files under content/ that are not sections (images,
//! downloads). Plain data, read by `load` and carried in the model so that
//! pages can link to and copy them.

use std::path::PathBuf;

/// Where a revision's content/ and data/ live, from `source:` in
/// versions.yaml. Without `source:`, the last revision is the working tree
/// and an earlier one is the folder versions/<id>/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionSource {
    /// content/ and data/ in the site root.
    Working,
    /// A folder relative to the site root, usually `versions/<id>`.
    Folder(String),
    /// A tag, branch or commit of the repository holding the site.
    Git(String),
}

impl RevisionSource {
    /// How versions.yaml spells it.
    pub fn spelled(&self) -> String {
        match self {
            RevisionSource::Working => "working".into(),
            RevisionSource::Folder(path) => path.clone(),
            RevisionSource::Git(reference) => format!("git:{reference}"),
        }
    }
}

/// A file under content/ that is not a section: an image or a download.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to content/, with `/` separators.
    pub path: String,
    pub absolute: PathBuf,
}
