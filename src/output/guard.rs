//! The output guard: which folders a build may replace or delete.
//!
//! A build replaces its output folders whole, so a wrong `--out` would
//! destroy whatever is there. This module owns the two rules that prevent
//! it: where an output may be (never the site's own sources, never the site
//! root or a folder holding it, never one output inside the other), and
//! whose folder it is (policyweb replaces only a folder holding its marker
//! file, an empty one, or one an earlier version wrote). It also finds the
//! staging folders a killed build left behind. It writes nothing except
//! when removing such leftovers.

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

/// The file policyweb writes at the top of every output folder it owns.
/// Its presence is what allows the next build to replace the folder.
pub const MARKER: &str = ".policyweb-output";

/// The marker's text: for someone who finds the file, and harmless on a
/// web server (it names no path and no view).
pub const MARKER_TEXT: &str = "This folder was written by `policyweb build`, which replaces it whole on\n\
every build. Keep nothing else here: it would be deleted by the next build.\n";

/// The folders of the site root an output may never be, hold or sit in.
pub const SOURCES: [&str; 5] = ["content", "data", "themes", "versions", ".git"];

/// Why a folder may not be used as an output: one sentence, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// Who a folder at an output's place belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Nothing is there.
    Nobody,
    /// An empty folder.
    Empty,
    /// A folder holding the marker.
    Policyweb,
    /// A folder an earlier version of policyweb wrote, before the marker:
    /// taken over once (the next build writes the marker).
    EarlierPolicyweb,
    /// Anything else: never replaced or deleted.
    Someone,
}

impl Owner {
    /// May a build replace (or delete) what is there?
    pub fn replaceable(self) -> bool {
        !matches!(self, Owner::Someone)
    }
}

/// What an output's place holds. `kind` is `public` or `restricted`: an
/// earlier version's output of each kind looks different.
pub fn owner(folder: &Path, kind: Kind) -> Owner {
    let Ok(metadata) = std::fs::symlink_metadata(folder) else {
        return Owner::Nobody;
    };
    if !metadata.is_dir() {
        return Owner::Someone;
    }
    if std::fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Owner::Policyweb;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Owner::Someone;
    };
    let entries: Vec<_> = entries.filter_map(Result::ok).collect();
    if entries.is_empty() {
        return Owner::Empty;
    }
    if earlier_output(folder, &entries, kind) {
        Owner::EarlierPolicyweb
    } else {
        Owner::Someone
    }
}

/// The two outputs a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Public,
    Restricted,
}

/// A page written by policyweb's default theme, from its first version:
/// the skip link and the school's name in the header.
fn policyweb_page(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        has(b"skip-link") && has(b"site-school") && has(b"site-policy")
    })
}

/// Does this marker-less folder look like what an earlier version wrote?
/// Public: the landing page, 404 page and sitemap at the top, and no other
/// file there. Restricted: only folders at the top, one of them a view
/// with a policyweb page. Anything else is someone's folder.
fn earlier_output(folder: &Path, entries: &[std::fs::DirEntry], kind: Kind) -> bool {
    let files: Vec<String> = entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    match kind {
        Kind::Public => {
            let written = ["index.html", "404.html", "sitemap.xml"];
            written.iter().all(|name| files.iter().any(|f| f == name))
                && files.iter().all(|f| written.contains(&f.as_str()))
                && policyweb_page(&folder.join("index.html"))
        }
        Kind::Restricted => {
            files.is_empty()
                && entries.iter().any(|e| {
                    e.file_name() != "assets" && policyweb_page(&e.path().join("index.html"))
                })
        }
    }
}

/// `path` made absolute and free of `.`, `..` and symbolic links, as far
/// as it exists; the rest (folders still to be made) is added as written,
/// with its `..` applied, since nothing there can be a link yet.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = absolute;
    // The missing part, last component first; `None` stands for `..`.
    let mut missing: Vec<Option<std::ffi::OsString>> = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(mut resolved) => {
                for component in missing.iter().rev() {
                    match component {
                        Some(name) => resolved.push(name),
                        None => {
                            resolved.pop();
                        }
                    }
                }
                return Ok(resolved);
            }
            Err(error) => {
                // Step up past the part that is missing (or a dangling link).
                match existing.components().next_back() {
                    Some(Component::Normal(name)) => missing.push(Some(name.to_os_string())),
                    Some(Component::ParentDir) => missing.push(None),
                    Some(Component::CurDir) => {}
                    _ => return Err(error),
                }
                if !existing.pop() {
                    return Err(error);
                }
            }
        }
    }
}

/// Where an output may not be, given the resolved site root: one refusal
/// or none. `what` names the option for the message (`--out public`).
pub fn placement(root: &Path, output: &Path, what: &str) -> Option<Refusal> {
    let choose = "choose a folder of its own for the built site, such as public/ in the site root";
    if output == root {
        return Some(Refusal {
            message: format!(
                "{what} is the site root itself; building there would replace the policy's own files"
            ),
            help: choose.into(),
        });
    }
    if root.starts_with(output) {
        return Some(Refusal {
            message: format!(
                "{what} ({}) holds the site root {}; building there would replace the policy's own files",
                output.display(),
                root.display()
            ),
            help: choose.into(),
        });
    }
    for source in SOURCES {
        let source_path = root.join(source);
        let source_path = source_path.canonicalize().unwrap_or(source_path);
        let relation = if output == source_path {
            "is"
        } else if output.starts_with(&source_path) {
            "is inside"
        } else if source_path.starts_with(output) {
            "holds"
        } else {
            continue;
        };
        return Some(Refusal {
            message: format!(
                "{what} {relation} the site's {source}/ folder; building there would replace the policy's own files"
            ),
            help: choose.into(),
        });
    }
    None
}

/// One output as asked for: the path and how to name it in a message
/// (`--out public`, `restricted_out in data/site.yaml`).
pub struct Asked<'a> {
    pub path: &'a Path,
    pub what: String,
}

/// The two outputs, resolved, once every rule holds; otherwise every
/// refusal found. `writes_restricted` says whether the restricted output
/// will be written (without restricted views it is only removed if it is
/// policyweb's, so anyone's folder there is no reason to refuse).
pub fn check(
    root: &Path,
    public: &Asked,
    restricted: &Asked,
    writes_restricted: bool,
) -> Result<(PathBuf, PathBuf), Vec<Refusal>> {
    let mut refusals = Vec::new();
    let mut resolved = |asked: &Asked| match resolve(asked.path) {
        Ok(path) => Some(path),
        Err(error) => {
            refusals.push(Refusal {
                message: format!("cannot tell where {} is: {error}", asked.what),
                help: "name a folder that can be made".into(),
            });
            None
        }
    };
    let (root_path, public_path, restricted_path) = (
        resolved(&Asked {
            path: root,
            what: "the site root".into(),
        }),
        resolved(public),
        resolved(restricted),
    );
    let (Some(root), Some(public_path), Some(restricted_path)) =
        (root_path, public_path, restricted_path)
    else {
        return Err(refusals);
    };
    for (asked, path, written, kind) in [
        (public, &public_path, true, Kind::Public),
        (
            restricted,
            &restricted_path,
            writes_restricted,
            Kind::Restricted,
        ),
    ] {
        if let Some(refusal) = placement(&root, path, &asked.what) {
            refusals.push(refusal);
        } else if written && !owner(path, kind).replaceable() {
            refusals.push(not_ours(path, &asked.what));
        }
    }
    // Each output's spare (`super::spare`) holds a copy of it: the other
    // output may not be it, hold it or sit in it either.
    let overlap = |a: &Path, b: &Path| a == b || a.starts_with(b) || b.starts_with(a);
    if overlap(&public_path, &restricted_path)
        || overlap(&public_path, &super::spare::path(&restricted_path))
        || overlap(&restricted_path, &super::spare::path(&public_path))
    {
        refusals.push(Refusal {
            message: format!(
                "{} and {} would overlap ({}), and restricted pages must never be published",
                public.what,
                restricted.what,
                restricted_path.display()
            ),
            help: "keep the restricted output apart from the public one, such as restricted/ in the site root beside public/".into(),
        });
    }
    if refusals.is_empty() {
        Ok((public_path, restricted_path))
    } else {
        Err(refusals)
    }
}

/// A refusal for an output folder that is not policyweb's to replace.
pub fn not_ours(folder: &Path, what: &str) -> Refusal {
    let is_file = std::fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir());
    if is_file {
        return Refusal {
            message: format!("{what} ({}) is a file, not a folder", folder.display()),
            help: "name a folder for the built site (it is made if missing)".into(),
        };
    }
    Refusal {
        message: format!(
            "{what} ({}) holds files policyweb did not write, and a build replaces its output folder whole, so nothing was built",
            folder.display()
        ),
        help: format!(
            "choose a new or empty folder, or move those files away; a folder policyweb wrote holds a file named {MARKER}"
        ),
    }
}

/// The name prefix of the staging folders beside an output named `name`.
pub fn staging_prefix(name: &str) -> String {
    format!(".{name}.new-")
}

/// The prefix of this process's staging folders: the build's process id
/// after the common prefix, so that another build into the same place can
/// tell a folder still being written from a leftover.
pub fn own_staging_prefix(name: &str) -> String {
    format!("{}{}-", staging_prefix(name), std::process::id())
}

/// Is the staging folder named `file_name` (after `prefix`) being written
/// by another build that is still running? Only Linux can say (/proc);
/// elsewhere every such folder counts as a leftover.
fn another_build_writes(file_name: &str, prefix: &str) -> bool {
    let Some(pid) = file_name
        .strip_prefix(prefix)
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    pid != std::process::id() && Path::new("/proc").join(pid.to_string()).is_dir()
}

/// Removes what killed builds left beside `destination`: folders named as
/// policyweb names its staging folders (`.public.new-…`, and `.public.old-…`
/// from earlier versions) that hold the marker, an earlier version's
/// output, or nothing, unless a build that is still running is writing
/// one. Others are left alone. Returns what could not be
/// removed, for a warning.
pub fn remove_leftovers(destination: &Path, kind: Kind) -> Vec<(PathBuf, io::Error)> {
    let (Some(parent), Some(name)) = (destination.parent(), destination.file_name()) else {
        return Vec::new();
    };
    let name = name.to_string_lossy();
    let prefixes = [staging_prefix(&name), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            || another_build_writes(&file_name, &prefixes[0])
        {
            continue;
        }
        let path = entry.path();
        let ours = match owner(&path, kind) {
            Owner::Policyweb | Owner::Empty | Owner::EarlierPolicyweb => true,
            // Earlier versions moved the old site into `.public.old-…/site`.
            Owner::Someone => {
                let only_site = std::fs::read_dir(&path).is_ok_and(|mut e| {
                    e.next()
                        .is_some_and(|e| e.is_ok_and(|e| e.file_name() == "site"))
                        && e.next().is_none()
                });
                only_site && owner(&path.join("site"), kind).replaceable()
            }
            Owner::Nobody => false,
        };
        if ours && let Err(error) = remove_owned(&path) {
            failures.push((path, error));
        }
    }
    failures
}

/// Deletes a folder policyweb owns so that an interruption at any moment
/// leaves it still recognisable: everything but the marker first, the
/// marker last, then the empty folder.
pub fn remove_owned(folder: &Path) -> io::Result<()> {
    let entries = std::fs::read_dir(folder)?.collect::<io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .filter(|entry| entry.file_name() != MARKER)
        .try_for_each(remove_entry)?;
    match std::fs::remove_file(folder.join(MARKER)) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    std::fs::remove_dir(folder)
}

/// Removes a file, or a folder and all in it, its entries in parallel
/// (removing is slow on some disks, and each removal waits on its own).
/// A link is removed, never followed.
fn remove_entry(entry: &std::fs::DirEntry) -> io::Result<()> {
    if entry.file_type()?.is_dir() {
        let path = entry.path();
        std::fs::read_dir(&path)?
            .collect::<io::Result<Vec<_>>>()?
            .par_iter()
            .try_for_each(remove_entry)?;
        std::fs::remove_dir(path)
    } else {
        std::fs::remove_file(entry.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_missing_folders_and_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("site")).unwrap();
        let resolved = resolve(&base.join("site/new/../other/./out")).unwrap();
        assert_eq!(resolved, base.join("site/other/out"));
    }

    #[test]
    fn only_a_policyweb_landing_page_makes_a_folder_an_earlier_output() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("public");
        std::fs::create_dir(&folder).unwrap();
        for name in ["404.html", "sitemap.xml"] {
            std::fs::write(folder.join(name), "x").unwrap();
        }
        std::fs::write(folder.join("index.html"), "<h1>Our documentation</h1>").unwrap();
        assert_eq!(owner(&folder, Kind::Public), Owner::Someone);
        std::fs::write(
            folder.join("index.html"),
            "<a class=skip-link><header class=site-header><p class=site-school>S<p class=site-policy>P",
        )
        .unwrap();
        assert_eq!(owner(&folder, Kind::Public), Owner::EarlierPolicyweb);
        std::fs::write(folder.join(MARKER), "").unwrap();
        assert_eq!(owner(&folder, Kind::Public), Owner::Policyweb);
    }

    #[test]
    fn sources_and_the_root_are_refused_and_siblings_allowed() {
        let root = Path::new("/school/site");
        for output in [
            "/school/site",
            "/school",
            "/",
            "/school/site/content",
            "/school/site/data/x",
            "/school/site/versions",
        ] {
            assert!(
                placement(root, Path::new(output), "--out").is_some(),
                "{output}"
            );
        }
        for output in [
            "/school/site/public",
            "/school/public",
            "/school/site/contents",
        ] {
            assert!(
                placement(root, Path::new(output), "--out").is_none(),
                "{output}"
            );
        }
    }
}
