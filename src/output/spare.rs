//! The spare: the output before the last one, kept beside the output
//! (`.public.spare` beside `public/`) so that the next build brings it up
//! to date in place instead of making a whole new tree of folders and
//! files, then exchanges it with the output (`swap`). It holds the marker,
//! so `guard` knows it as policyweb's; it is never published and never
//! inside an output.
//!
//! The spare is never trusted: a build killed while updating it, or a
//! hand that changed it, leaves it a mix, so every file is compared byte
//! for byte with the new site. A file is never written in place (the
//! spare and the output share files through hard links): a changed one is
//! written beside its old name and renamed over it. A spare-named path
//! that is not policyweb's folder (no marker, a link, a file) is never
//! touched.

use std::collections::HashSet;
use std::fs::{self, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::guard;

/// Where the spare of `destination` is: `.NAME.spare` beside it.
pub fn path(destination: &Path) -> PathBuf {
    let name = destination
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = match destination.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent.join(format!(".{name}.spare"))
}

/// What is at a spare's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Missing,
    /// A folder (not a link to one) holding the marker.
    Ours,
    /// Anything else: left as it is.
    Someone,
}

pub fn state(spare: &Path) -> State {
    match fs::symlink_metadata(spare) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => State::Missing,
        Ok(meta)
            if meta.is_dir()
                && fs::symlink_metadata(spare.join(guard::MARKER)).is_ok_and(|m| m.is_file()) =>
        {
            State::Ours
        }
        _ => State::Someone,
    }
}

/// The warning for a spare-named path that is not policyweb's.
pub fn not_ours_note(spare: &Path, destination: &Path) -> String {
    format!(
        "{} is where policyweb keeps the previous output of {} for the next build, but it is not policyweb's (not a folder holding {}), so it was left as it is and the previous output was not kept; move it away to let the next build start from the previous output",
        spare.display(),
        destination.display(),
        guard::MARKER
    )
}

/// Removes the spare of `destination` if it is policyweb's (an output
/// that is no longer written must not linger beside it either).
pub fn remove(destination: &Path) -> io::Result<()> {
    let spare = path(destination);
    match state(&spare) {
        State::Ours => guard::remove_owned(&spare),
        _ => Ok(()),
    }
}

/// Makes `path` a folder of the spare: a file or a link in its place is
/// removed (a link is never followed), a folder is kept.
pub fn make_folder(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => {
            fs::remove_file(path)?;
            fs::create_dir(path)
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => match fs::create_dir(path) {
            Err(error)
                if error.kind() == io::ErrorKind::AlreadyExists
                    && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) =>
            {
                Ok(())
            }
            made => made,
        },
        Err(error) => Err(error),
    }
}

/// `make_folder` for each folder of `relative` (`school-a`) under `base`.
pub fn make_folders(base: &Path, relative: &str) -> io::Result<()> {
    let mut path = base.to_path_buf();
    for part in relative.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        make_folder(&path)?;
    }
    Ok(())
}

/// Does the plain file at `path` hold exactly `bytes`? Read in pieces
/// into a buffer on the stack: no memory is taken for the comparison.
fn holds(path: &Path, meta: &Metadata, bytes: &[u8]) -> bool {
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut buffer = [0u8; 16 * 1024];
    let mut offset = 0;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return offset == bytes.len(),
            Ok(n) => {
                if bytes.get(offset..offset + n) != Some(&buffer[..n]) {
                    return false;
                }
                offset += n;
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// The name a file is made under before it is renamed over `target`.
fn beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.policyweb-new"))
}

/// Clears `path` of whatever is there (a leftover of a killed build, or
/// anything put in the spare by hand), never following a link.
fn clear(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

/// Renames `made` over `target`, a folder there removed first.
fn put(made: &Path, target: &Path, here: Option<&Metadata>) -> io::Result<()> {
    if here.is_some_and(Metadata::is_dir) {
        fs::remove_dir_all(target)?;
    }
    fs::rename(made, target)
}

/// Makes the spare's file `target` hold `bytes`. A file the live output
/// (`live`) has with exactly these bytes is shared with it (a hard link),
/// so that an unchanged page keeps its file and its time; otherwise a file
/// already holding them is kept, and any other is replaced by a new one.
pub fn bring_up_to_date(target: &Path, bytes: &[u8], live: Option<&Path>) -> io::Result<()> {
    let here = fs::symlink_metadata(target).ok();
    if let Some(live) = live
        && let Ok(live_meta) = fs::symlink_metadata(live)
        && holds(live, &live_meta, bytes)
    {
        if here
            .as_ref()
            .is_some_and(|here| same_file(here, &live_meta))
        {
            return Ok(());
        }
        let made = beside(target);
        clear(&made)?;
        if fs::hard_link(live, &made).is_ok() {
            return put(&made, target, here.as_ref());
        }
    }
    if let Some(meta) = &here
        && holds(target, meta, bytes)
    {
        return Ok(());
    }
    let made = beside(target);
    clear(&made)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&made)?;
    file.write_all(bytes)?;
    drop(file);
    put(&made, target, here.as_ref())
}

/// Makes the spare's file `target` the live output's file `from` (a
/// file a reused render job wrote, checked to be as it was written): kept
/// when it is already that file, else a second name of it made beside and
/// renamed over it.
pub fn bring_in(target: &Path, from: &Path) -> io::Result<()> {
    let here = fs::symlink_metadata(target).ok();
    let from_meta = fs::symlink_metadata(from)?;
    if here
        .as_ref()
        .is_some_and(|here| same_file(here, &from_meta))
    {
        return Ok(());
    }
    let made = beside(target);
    clear(&made)?;
    super::staged::link_or_copy(from, &made)?;
    put(&made, target, here.as_ref())
}

/// Removes from the spare every file and folder not in `added` (paths
/// relative to it) and not the marker: what the new site no longer has,
/// a killed build's half-made files, anything put there by hand. A link
/// is removed, never followed.
pub fn remove_stale(spare: &Path, added: &HashSet<String>) -> io::Result<()> {
    let mut folders: HashSet<&str> = HashSet::new();
    for path in added {
        for (end, _) in path.match_indices('/') {
            folders.insert(&path[..end]);
        }
    }
    let mut walk = walkdir::WalkDir::new(spare)
        .min_depth(1)
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry
            .path()
            .strip_prefix(spare)
            .ok()
            .and_then(Path::to_str)
            .map(|p| p.replace(std::path::MAIN_SEPARATOR, "/"));
        let kind = entry.file_type();
        let keep = relative.as_deref().is_some_and(|relative| {
            if kind.is_dir() {
                folders.contains(relative)
            } else {
                kind.is_file() && (added.contains(relative) || relative == guard::MARKER)
            }
        });
        if keep {
            continue;
        }
        if kind.is_dir() {
            walk.skip_current_dir();
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
