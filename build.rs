//! Records the commit policyweb is built from, for `policyweb --version`.
//!
//! From git when the source is a git checkout (a clone, or `cargo install
//! --git`); otherwise from the `.cargo_vcs_info.json` cargo writes into a
//! published crate's tarball. With neither (no git program, a source
//! archive), the version is printed without a commit. Nothing here can
//! fail the build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=POLICYWEB_COMMIT");
    let commit = std::env::var("POLICYWEB_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(from_git)
        .or_else(from_vcs_info);
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let long = match &commit {
        Some(commit) => {
            println!("cargo:rustc-env=POLICYWEB_COMMIT={commit}");
            format!("{version} (commit {commit})")
        }
        None => version,
    };
    println!("cargo:rustc-env=POLICYWEB_LONG_VERSION={long}");
}

/// The checked-out commit, shortened to 12 hex digits, and the git files
/// that change when it does, so a new commit rebuilds with the new id.
fn from_git() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git").args(args).output().ok()?;
        let text = String::from_utf8(output.stdout).ok()?;
        output.status.success().then(|| text.trim().to_string())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    if !is_commit_id(&commit) {
        return None;
    }
    // A worktree keeps HEAD in its own folder and the branches in the
    // shared one; --git-path names the right file either way.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch])?);
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"])?);
    // Only files that exist: cargo reruns a script on every build while a
    // path it watches is missing, and that would recompile policyweb too.
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    Some(commit)
}

/// `{"git": {"sha1": "…"}}` from a published crate's tarball.
fn from_vcs_info() -> Option<String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let path = Path::new(&dir).join(".cargo_vcs_info.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let sha1 = after[start..].split('"').next()?;
    let short: String = sha1.chars().take(12).collect();
    is_commit_id(&short).then_some(short)
}

fn is_commit_id(text: &str) -> bool {
    text.len() >= 7 && text.chars().all(|c| c.is_ascii_hexdigit())
}
