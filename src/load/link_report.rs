//! Reading the last link check's report from .policyweb/ (the build never
//! goes online, so this file is how pages and `status` know how the links
//! stood when last checked).

use std::path::{Path, PathBuf};

use crate::model::link_report::Report;

/// Where the last report is kept, under the site root (git-ignored).
pub const REPORT_FILE: &str = ".policyweb/link-report.json";

pub fn path(root: &Path) -> PathBuf {
    root.join(REPORT_FILE)
}

/// The last report, if a check has run here and its file is readable.
pub fn load(root: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(path(root)).ok()?;
    serde_json::from_str(&text).ok()
}
