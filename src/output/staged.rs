//! An output written in parts: a trust's schools one after another, each
//! part's files put in the staging folder as soon as they are rendered and
//! then dropped from memory, the whole swapped in at the end exactly as
//! `write` swaps in one tree. Dropped without `finish` (a school failed,
//! a signal came), the staging folder goes and the last good output stays
//! as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Tree, WriteFailure, guard, interrupt};

/// An output being written: the staging folder beside its destination.
pub struct Staged {
    staging: tempfile::TempDir,
    destination: PathBuf,
    parent: PathBuf,
    name: String,
    /// Held from the first file to the swap, so that a signal lets the
    /// staging folder be removed.
    _writing: interrupt::Writing,
}

impl Staged {
    /// Starts writing `destination`, which must be policyweb's to replace
    /// (see `guard`); leftovers of killed builds are removed first.
    pub fn begin(destination: &Path, kind: guard::Kind) -> Result<Staged, WriteFailure> {
        let what = destination.display().to_string();
        if !guard::owner(destination, kind).replaceable() {
            return Err(WriteFailure::Refused(guard::not_ours(destination, &what)));
        }
        let parent = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(WriteFailure::io(format!(
            "make the folder {}",
            parent.display()
        )))?;
        let _ = guard::remove_leftovers(destination, kind);
        let name = destination
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let Some(writing) = interrupt::writing() else {
            return Err(WriteFailure::Interrupted);
        };
        let staging = tempfile::Builder::new()
            .prefix(&guard::own_staging_prefix(&name))
            .tempdir_in(&parent)
            .map_err(WriteFailure::io(format!(
                "make a temporary folder in {}",
                parent.display()
            )))?;
        let marker = staging.path().join(guard::MARKER);
        std::fs::write(&marker, guard::MARKER_TEXT)
            .map_err(WriteFailure::io(format!("write {}", marker.display())))?;
        Ok(Staged {
            staging,
            destination: destination.to_path_buf(),
            parent,
            name,
            _writing: writing,
        })
    }

    /// Writes `tree`'s files under `folder` (`school-a`, or `""` for the
    /// top) in the staging folder.
    pub fn add(&self, folder: &str, tree: &Tree) -> Result<(), WriteFailure> {
        let base = if folder.is_empty() {
            self.staging.path().to_path_buf()
        } else {
            self.staging.path().join(folder)
        };
        let folders: std::collections::BTreeSet<PathBuf> = tree
            .files
            .keys()
            .filter_map(|path| base.join(path).parent().map(Path::to_path_buf))
            .collect();
        for made in &folders {
            std::fs::create_dir_all(made).map_err(WriteFailure::io(format!(
                "make the folder {}",
                made.display()
            )))?;
        }
        let shown = |path: &str| {
            if folder.is_empty() {
                format!("{}/{path}", self.name)
            } else {
                format!("{}/{folder}/{path}", self.name)
            }
        };
        tree.files.par_iter().try_for_each(|(path, bytes)| {
            if interrupt::stopped().is_some() {
                return Err(WriteFailure::Interrupted);
            }
            std::fs::write(base.join(path), bytes).map_err(WriteFailure::io(shown(path)))
        })
    }

    /// Swaps the written folder into the destination's place, as `write`
    /// does; a warning when the old output could not be removed after.
    pub fn finish(self) -> Result<Option<String>, WriteFailure> {
        let Staged {
            staging,
            destination,
            parent,
            name,
            _writing,
        } = self;
        let swapped =
            interrupt::unless_stopped(|| super::swap_in(staging, &destination, &parent, &name))
                .unwrap_or(Err(WriteFailure::Interrupted));
        drop(_writing);
        swapped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_land_together_and_a_dropped_one_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let destination = dir.path().join("public");
        std::fs::create_dir_all(&destination).unwrap();
        std::fs::write(destination.join(guard::MARKER), "").unwrap();
        std::fs::write(destination.join("index.html"), "old").unwrap();
        let mut a = Tree::default();
        a.insert("index.html", "a");
        let abandoned = Staged::begin(&destination, guard::Kind::Public).unwrap();
        abandoned.add("a", &a).unwrap();
        drop(abandoned);
        assert_eq!(
            std::fs::read_to_string(destination.join("index.html")).unwrap(),
            "old"
        );
        let staged = Staged::begin(&destination, guard::Kind::Public).unwrap();
        staged.add("a", &a).unwrap();
        let mut top = Tree::default();
        top.insert("index.html", "top");
        staged.add("", &top).unwrap();
        staged.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(destination.join("a/index.html")).unwrap(),
            "a"
        );
        assert_eq!(
            std::fs::read_to_string(destination.join("index.html")).unwrap(),
            "top"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
