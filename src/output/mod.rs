//! Output: the rendered site as files in memory (`Tree`), each page with
//! no text left looking like markup (`markup_free`), then
//! written to a temporary folder beside the destination and swapped into
//! place only when every file is written. A failed build never touches the
//! last good output, and no build replaces a folder policyweb did not
//! write (`guard`). `swap` is the exchange of the two folders, `interrupt`
//! what Ctrl-C does meanwhile, `spare` the previous output kept beside the
//! destination for the next build to bring up to date in place.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

pub mod guard;
pub mod interrupt;
pub mod markup_free;
pub mod spare;
pub mod staged;
pub mod swap;

/// Output files by path relative to the output folder (`parents/index.html`).
/// A `BTreeMap`, so writing order and listings are the same on every run.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files the previous output holds exactly as this one has them (a
    /// render job reused from the render cache between builds, which
    /// checked each): given a second name there, never read into memory.
    pub linked: BTreeMap<String, Linked>,
}

/// A file of the previous output, checked to be as a build wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub from: std::path::PathBuf,
    pub len: u64,
    /// The hash of its bytes (`Linked::sum_of`).
    pub sum: u64,
}

impl Linked {
    /// The hash a file's bytes are known by: 64 bits (foldhash), so that
    /// a page edited by hand in the previous output is not taken for the
    /// one written there but once in 2^64.
    pub fn sum_of(bytes: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        foldhash::quality::FixedState::with_seed(0x706f_6c69_6379_7765).hash_one(bytes)
    }

    /// Whether `from` is still the file a build wrote there: a plain file
    /// (not a link), of its length, whose bytes have its hash.
    pub fn holds(&self) -> bool {
        use std::io::Read;
        let Ok(meta) = std::fs::symlink_metadata(&self.from) else {
            return false;
        };
        if !meta.is_file() || meta.len() != self.len {
            return false;
        }
        let Ok(file) = std::fs::File::open(&self.from) else {
            return false;
        };
        let mut bytes = Vec::with_capacity(self.len as usize);
        // One byte more than it should have tells a file that grew since.
        match file.take(self.len + 1).read_to_end(&mut bytes) {
            Ok(_) => bytes.len() as u64 == self.len && Linked::sum_of(&bytes) == self.sum,
            Err(_) => false,
        }
    }
}

impl Tree {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Whether the tree has a file at `path`, in memory or linked.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.linked.contains_key(path)
    }

    /// Every file's path, in memory or linked, in order.
    pub fn paths(&self) -> Vec<&String> {
        let mut paths: Vec<&String> = self.files.keys().chain(self.linked.keys()).collect();
        if !self.linked.is_empty() {
            paths.sort_unstable();
        }
        paths
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.linked.is_empty()
    }

    pub fn html_pages(&self) -> usize {
        self.paths()
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .count()
    }
}

/// Replaces the file `file` whole with `bytes`, creating its folder: they
/// are written to a file beside it, then renamed over it, so that no
/// reader ever finds it half written (the link report and its cache,
/// versions.yaml on release).
pub fn replace_file(file: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut staged = tempfile::NamedTempFile::new_in(folder)?;
    io::Write::write_all(&mut staged, bytes)?;
    staged.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// One page as it is written: compact already (its templates were
/// compacted when the theme was loaded, `render::compact`), with no text in
/// a title, textarea or attribute value left looking like markup.
pub fn finish_page(html: Vec<u8>) -> Vec<u8> {
    match markup_free::escape_text_markup(&html) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// Why an output could not be written. The last good output is as it was
/// in every case, and no staging folder is left behind.
#[derive(Debug)]
pub enum WriteFailure {
    /// The folder is not policyweb's to replace (it changed during the
    /// build: `guard` is asked before building too).
    Refused(guard::Refusal),
    /// A file or folder could not be written or moved.
    Io {
        /// What was being done, such as "write public/parents/index.html".
        doing: String,
        error: io::Error,
    },
    /// Ctrl-C or SIGTERM arrived while writing.
    Interrupted,
}

impl WriteFailure {
    fn io(doing: impl Into<String>) -> impl FnOnce(io::Error) -> WriteFailure {
        move |error| WriteFailure::Io {
            doing: doing.into(),
            error,
        }
    }
}

/// Writes `tree` to `destination`, replacing what was there only once the
/// whole tree is on disk, and only if the folder is policyweb's (see
/// `guard`). The new folder carries the marker from its first byte on, so
/// that a build killed at any moment leaves nothing the next one cannot
/// recognise and remove. Returns a warning when the new output is in place
/// but the old one could not be removed.
pub fn write(
    tree: &Tree,
    destination: &Path,
    kind: guard::Kind,
) -> Result<Option<String>, WriteFailure> {
    let staged = staged::Staged::begin(destination, kind)?;
    staged.add("", tree)?;
    staged.finish()
}

/// The written staging folder (or the spare) into the destination's
/// place; the old output, if any, kept as the next build's spare, or
/// removed when it cannot be.
fn swap_in(
    into: staged::Target,
    destination: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<String>, WriteFailure> {
    let doing = || format!("move the new site into {}", destination.display());
    let written = match &into {
        staged::Target::Fresh(staging) => staging.path().to_path_buf(),
        staged::Target::Spare { folder, .. } => folder.clone(),
    };
    match std::fs::symlink_metadata(destination) {
        Err(_) => {
            // Nothing there: one rename, atomic.
            std::fs::rename(&written, destination).map_err(WriteFailure::io(doing()))?;
            if let staged::Target::Fresh(staging) = into {
                let _ = staging.keep();
            }
            Ok(None)
        }
        Ok(_) => {
            // An earlier version's output gets the marker first, so that it
            // is still recognised if this build is killed while removing it.
            let marker = destination.join(guard::MARKER);
            if !marker.exists() {
                std::fs::write(&marker, guard::MARKER_TEXT)
                    .map_err(WriteFailure::io(format!("write {}", marker.display())))?;
            }
            let aside = parent.join(format!("{}aside", guard::own_staging_prefix(name)));
            swap::exchange(&written, destination, &aside).map_err(WriteFailure::io(doing()))?;
            // The folder written now holds the old output: the spare
            // already, or a staging folder to become the spare.
            let staged::Target::Fresh(staging) = into else {
                return Ok(None);
            };
            let old = staging.keep();
            let spare = spare::path(destination);
            if spare::state(&spare) == spare::State::Missing
                && std::fs::rename(&old, &spare).is_ok()
            {
                return Ok(None);
            }
            Ok(guard::remove_owned(&old).err().map(|error| {
                format!(
                    "the new site is in place, but the previous one could not be removed from {}: {error}; the next build tries again, or delete that folder by hand",
                    old.display()
                )
            }))
        }
    }
}

/// Removes a folder of output if policyweb wrote it (a restricted view that
/// is no longer restricted must not linger); a folder of anyone else's is
/// left as it is.
pub fn remove(destination: &Path, kind: guard::Kind) -> Result<(), WriteFailure> {
    let _ = guard::remove_leftovers(destination, kind);
    match guard::owner(destination, kind) {
        guard::Owner::Policyweb | guard::Owner::EarlierPolicyweb => {
            guard::remove_owned(destination).map_err(WriteFailure::io(format!(
                "remove {}",
                destination.display()
            )))?;
        }
        _ => {}
    }
    spare::remove(destination).map_err(WriteFailure::io(format!(
        "remove {}",
        spare::path(destination).display()
    )))
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
        std::fs::write(destination.join(guard::MARKER), "").unwrap();
        let mut tree = Tree::default();
        tree.insert("index.html", "new");
        write(&tree, &destination, guard::Kind::Public).unwrap();
        assert_eq!(
            std::fs::read_to_string(destination.join("index.html")).unwrap(),
            "new"
        );
        assert!(!destination.join("stale").exists());
        // No staging folder is left behind; the replaced output is the spare.
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, [".public.spare", "public"]);
        assert_eq!(
            std::fs::read_to_string(spare::path(&destination).join("stale/index.html")).unwrap(),
            "old"
        );
    }
}
