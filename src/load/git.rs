//! A revision kept in git history: the content/ and data/ folders of the
//! site root as they stood at a tag, branch or commit, read from the object
//! database with gix (no checkout, no `git` program) and copied into a
//! scratch folder so that the rest of `load` reads it like any other tree.

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

/// Why a git ref could not be read, in words for the person who wrote it.
#[derive(Debug)]
pub struct GitProblem {
    pub message: String,
    pub help: String,
}

const FETCH_HELP: &str = "this clone may be shallow (CI checkouts often are): fetch the full history with `git fetch --unshallow --tags`, or in GitHub Actions give actions/checkout `fetch-depth: 0`";

/// Copies content/ and data/ of the site root at `reference` into `into`.
pub fn extract(root: &Path, reference: &str, into: &Path) -> Result<(), GitProblem> {
    let problem = |message: String, help: &str| GitProblem {
        message,
        help: help.to_string(),
    };
    let repo = gix::discover(root).map_err(|error| {
        problem(
            format!(
                "the site is not in a git repository, so `git:{reference}` cannot be read ({error})"
            ),
            "keep the site in git, or freeze the revision as a folder: `source: versions/<id>`",
        )
    })?;
    let shallow = repo.is_shallow().unwrap_or(false);
    let id = repo.rev_parse_single(reference).map_err(|_| {
        if shallow {
            problem(
                format!("the git ref `{reference}` is not in this clone, which is shallow"),
                FETCH_HELP,
            )
        } else {
            problem(
                format!("there is no git ref `{reference}` in this repository"),
                "check the name with `git tag` or `git branch -a`; a tag made on another machine needs `git fetch --tags`",
            )
        }
    })?;
    let commit = id
        .object()
        .and_then(|object| object.peel_to_commit())
        .map_err(|error| GitProblem {
            message: format!(
                "the git ref `{reference}` names a commit this clone does not have ({error})"
            ),
            help: FETCH_HELP.to_string(),
        })?;
    let tree = commit.tree().map_err(|error| GitProblem {
        message: format!("cannot read the files of `{reference}`: {error}"),
        help: FETCH_HELP.to_string(),
    })?;
    let prefix = site_prefix(&repo, root);
    for folder in ["content", "data"] {
        let path = prefix.join(folder);
        let entry = tree.lookup_entry_by_path(&path).map_err(|error| {
            problem(
                format!("cannot read {} at `{reference}`: {error}", path.display()),
                FETCH_HELP,
            )
        })?;
        let Some(entry) = entry.filter(|e| e.mode().is_tree()) else {
            return Err(problem(
                format!("`{reference}` has no {} folder", path.display()),
                "point `source` at a commit that holds the site's content/ and data/",
            ));
        };
        let subtree = entry
            .object()
            .map_err(|error| {
                problem(
                    format!("cannot read {} at `{reference}`: {error}", path.display()),
                    FETCH_HELP,
                )
            })?
            .into_tree();
        copy_tree(&subtree, &into.join(folder)).map_err(|message| problem(message, FETCH_HELP))?;
    }
    Ok(())
}

/// Where the site root sits inside the repository (empty at the top).
fn site_prefix(repo: &gix::Repository, root: &Path) -> PathBuf {
    let (Some(workdir), Ok(root)) = (repo.workdir(), root.canonicalize()) else {
        return PathBuf::new();
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    root.strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn copy_tree(tree: &gix::Tree<'_>, into: &Path) -> Result<(), String> {
    std::fs::create_dir_all(into).map_err(|e| format!("cannot write {}: {e}", into.display()))?;
    for entry in tree.iter() {
        let entry = entry.map_err(|e| format!("cannot read a git tree: {e}"))?;
        let name = entry.filename().to_str_lossy().into_owned();
        if name.contains(['/', '\\']) || name == ".." {
            continue;
        }
        let target = into.join(&name);
        let object = entry
            .object()
            .map_err(|e| format!("cannot read {name} from git: {e}"))?;
        if entry.mode().is_tree() {
            copy_tree(&object.into_tree(), &target)?;
        } else if entry.mode().is_blob() {
            std::fs::write(&target, &object.data)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
    }
    Ok(())
}
