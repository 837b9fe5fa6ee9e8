//! An output written in parts: a trust's schools one after another, each
//! part's files put in the staging folder as soon as they are rendered and
//! then dropped from memory, the whole swapped in at the end exactly as
//! `write` swaps in one tree (`write` is one `add` of its whole tree).
//! Dropped without `finish` (a school failed, a signal came), the staging
//! folder goes and the last good output stays as it was.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::{Tree, WriteFailure, guard, interrupt, spare};

/// Every folder the tree's files are in (`parents`, `parents/online`),
/// by depth: those of the first level first.
fn folder_levels(tree: &Tree) -> Vec<Vec<&str>> {
    let mut folders = std::collections::BTreeSet::new();
    for path in tree.paths() {
        for (end, _) in path.match_indices('/') {
            folders.insert(&path[..end]);
        }
    }
    let mut levels: Vec<Vec<&str>> = Vec::new();
    for folder in folders {
        let depth = folder.matches('/').count();
        if levels.len() <= depth {
            levels.resize_with(depth + 1, Vec::new);
        }
        levels[depth].push(folder);
    }
    levels
}

/// Makes `target` a second name of `old` when `old` is a plain file with
/// exactly `bytes` in it (the previous output's copy of an unchanged
/// page), so that an unchanged file costs no new file on the disk. False
/// when it is not, or when the link cannot be made; the caller writes.
fn link_if_unchanged(old: &Path, bytes: &[u8], target: &Path) -> bool {
    let same = std::fs::symlink_metadata(old).is_ok_and(|meta| {
        meta.is_file()
            && meta.len() == bytes.len() as u64
            && std::fs::read(old).is_ok_and(|was| was == bytes)
    });
    same && std::fs::hard_link(old, target).is_ok()
}

/// Makes `target` a second name of `from`, or a copy of it where a link
/// cannot be made (another disk).
pub(super) fn link_or_copy(from: &Path, target: &Path) -> io::Result<()> {
    if std::fs::hard_link(from, target).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, target).map(|_| ())
}

/// Where an output is being written.
pub(super) enum Target {
    /// A new temporary folder, removed if dropped before the swap.
    Fresh(tempfile::TempDir),
    /// The spare (`spare::path`): the output before the last one, brought
    /// up to date in place. Never trusted: every file is compared.
    Spare {
        folder: PathBuf,
        /// Every file added (relative to the output), so that `finish`
        /// can remove what the new output no longer has.
        added: Mutex<HashSet<String>>,
    },
}

/// An output being written: the staging folder beside its destination.
pub struct Staged {
    into: Target,
    destination: PathBuf,
    parent: PathBuf,
    name: String,
    /// The output being replaced, when it is policyweb's: a file the new
    /// output has byte for byte is linked from it, not written again.
    previous: Option<PathBuf>,
    /// Why the previous output cannot be kept as the spare, if it cannot.
    spare_note: Option<String>,
    /// Held from the first file to the swap, so that a signal lets the
    /// staging folder be removed.
    _writing: interrupt::Writing,
}

impl Staged {
    /// Starts writing `destination`, which must be policyweb's to replace
    /// (see `guard`); leftovers of killed builds are removed first.
    pub fn begin(destination: &Path, kind: guard::Kind) -> Result<Staged, WriteFailure> {
        let what = destination.display().to_string();
        let owner = guard::owner(destination, kind);
        if !owner.replaceable() {
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
        let previous = matches!(
            owner,
            guard::Owner::Policyweb | guard::Owner::EarlierPolicyweb
        )
        .then(|| destination.to_path_buf());
        let spare = spare::path(destination);
        let (into, spare_note) = match spare::state(&spare) {
            spare::State::Ours => (
                Target::Spare {
                    folder: spare,
                    added: Mutex::default(),
                },
                None,
            ),
            found => {
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
                let note = matches!(found, spare::State::Someone)
                    .then(|| spare::not_ours_note(&spare, destination));
                (Target::Fresh(staging), note)
            }
        };
        Ok(Staged {
            into,
            destination: destination.to_path_buf(),
            parent,
            name,
            previous,
            spare_note,
            _writing: writing,
        })
    }

    fn folder(&self) -> &Path {
        match &self.into {
            Target::Fresh(staging) => staging.path(),
            Target::Spare { folder, .. } => folder,
        }
    }

    /// Writes `tree`'s files under `folder` (`school-a`, or `""` for the
    /// top) in the staging folder.
    pub fn add(&self, folder: &str, tree: &Tree) -> Result<(), WriteFailure> {
        let in_spare = matches!(self.into, Target::Spare { .. });
        let base = if folder.is_empty() {
            self.folder().to_path_buf()
        } else {
            let base = self.folder().join(folder);
            let made = if in_spare {
                spare::make_folders(self.folder(), folder)
            } else {
                std::fs::create_dir_all(&base)
            };
            made.map_err(WriteFailure::io(format!(
                "make the folder {}",
                base.display()
            )))?;
            base
        };
        // Each folder made once, a level at a time, the folders of one level
        // in parallel (every parent exists before its children are made).
        for level in folder_levels(tree) {
            level.par_iter().try_for_each(|made| {
                let path = base.join(made);
                let result = if in_spare {
                    spare::make_folder(&path)
                } else {
                    match std::fs::create_dir(&path) {
                        // A part added later may share a folder with an earlier one.
                        Err(error)
                            if error.kind() == io::ErrorKind::AlreadyExists && path.is_dir() =>
                        {
                            Ok(())
                        }
                        made => made,
                    }
                };
                result.map_err(WriteFailure::io(format!(
                    "make the folder {}",
                    path.display()
                )))
            })?;
        }
        let shown = |path: &str| {
            if folder.is_empty() {
                format!("write {}/{path}", self.name)
            } else {
                format!("write {}/{folder}/{path}", self.name)
            }
        };
        let previous = self.previous.as_ref().map(|previous| previous.join(folder));
        // Many small files: written in parallel, the wait on the disk overlaps.
        tree.files.par_iter().try_for_each(|(path, bytes)| {
            if interrupt::stopped().is_some() {
                return Err(WriteFailure::Interrupted);
            }
            let target = base.join(path);
            let old = previous.as_ref().map(|previous| previous.join(path));
            if in_spare {
                return spare::bring_up_to_date(&target, bytes, old.as_deref())
                    .map_err(WriteFailure::io(shown(path)));
            }
            if let Some(old) = &old
                && link_if_unchanged(old, bytes, &target)
            {
                return Ok(());
            }
            std::fs::write(&target, bytes).map_err(WriteFailure::io(shown(path)))
        })?;
        // What the previous output holds as it should be: a second name.
        tree.linked.par_iter().try_for_each(|(path, linked)| {
            if interrupt::stopped().is_some() {
                return Err(WriteFailure::Interrupted);
            }
            let target = base.join(path);
            if in_spare {
                return spare::bring_in(&target, &linked.from)
                    .map_err(WriteFailure::io(shown(path)));
            }
            link_or_copy(&linked.from, &target).map_err(WriteFailure::io(shown(path)))
        })?;
        if let Target::Spare { added, .. } = &self.into {
            let mut added = added.lock().unwrap_or_else(PoisonError::into_inner);
            added.extend(tree.paths().into_iter().map(|path| {
                if folder.is_empty() {
                    path.clone()
                } else {
                    format!("{folder}/{path}")
                }
            }));
        }
        Ok(())
    }

    /// Swaps the written folder into the destination's place, as `write`
    /// does; a warning when the old output could not be kept or removed.
    pub fn finish(self) -> Result<Option<String>, WriteFailure> {
        let Staged {
            into,
            destination,
            parent,
            name,
            spare_note,
            _writing,
            ..
        } = self;
        if let Target::Spare { folder, added } = &into {
            let added = added.lock().unwrap_or_else(PoisonError::into_inner);
            spare::remove_stale(folder, &added).map_err(WriteFailure::io(format!(
                "remove what the new site no longer has from {}",
                folder.display()
            )))?;
        }
        let swapped =
            interrupt::unless_stopped(|| super::swap_in(into, &destination, &parent, &name))
                .unwrap_or(Err(WriteFailure::Interrupted));
        drop(_writing);
        let note = swapped?;
        Ok(match (spare_note, note) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        })
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
        // The abandoned staging folder is gone; the replaced output is the spare.
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, [".public.spare", "public"]);
    }
}
