//! Output: the rendered site as files in memory (`Tree`), minified, then
//! written to a temporary folder beside the destination and swapped into
//! place only when every file is written. A failed build never touches the
//! last good output.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Output files by path relative to the output folder (`parents/index.html`).
/// A `BTreeMap`, so writing order and listings are the same on every run.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Tree {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn html_pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// One page, minified as every page is before it is written.
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_comments = false;
    minify_html::minify(html, &cfg)
}

/// Writes `tree` to `destination`, replacing what was there only once the
/// whole tree is on disk.
pub fn write(tree: &Tree, destination: &Path) -> io::Result<()> {
    let parent = match destination.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = destination
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)?;
    let folders: std::collections::BTreeSet<PathBuf> = tree
        .files
        .keys()
        .filter_map(|path| staging.path().join(path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        std::fs::create_dir_all(folder)?;
    }
    // Many small files: written in parallel, the wait on the disk overlaps.
    tree.files
        .par_iter()
        .try_for_each(|(path, bytes)| std::fs::write(staging.path().join(path), bytes))?;
    let staged = staging.keep();
    if destination.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)?
            .keep();
        std::fs::rename(destination, old.join("site"))?;
        if let Err(error) = std::fs::rename(&staged, destination) {
            // Put the last good output back before reporting.
            let _ = std::fs::rename(old.join("site"), destination);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(error);
        }
        std::fs::remove_dir_all(old)?;
    } else {
        std::fs::rename(&staged, destination)?;
    }
    Ok(())
}

/// Removes a folder of output if it exists (a restricted view that is no
/// longer restricted must not linger).
pub fn remove(destination: &Path) -> io::Result<()> {
    if destination.exists() {
        std::fs::remove_dir_all(destination)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_destination_whole() {
        let dir = tempfile::tempdir().unwrap();
        let destination = dir.path().join("public");
        std::fs::create_dir_all(destination.join("stale")).unwrap();
        std::fs::write(destination.join("stale/index.html"), "old").unwrap();
        let mut tree = Tree::default();
        tree.insert("index.html", "new");
        write(&tree, &destination).unwrap();
        assert_eq!(
            std::fs::read_to_string(destination.join("index.html")).unwrap(),
            "new"
        );
        assert!(!destination.join("stale").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
    }
}
