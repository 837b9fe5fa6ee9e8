//! Which policyweb this is: the version from Cargo.toml and the commit it
//! was built from (recorded by build.rs; absent when it was built from a
//! source that had neither git nor cargo's record of the commit). Shown by
//! `policyweb --version`, and the version on every page's
//! `<meta name="generator">`.

/// The version, such as `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit, as 12 hex digits, when the build knew it.
pub const COMMIT: Option<&str> = option_env!("POLICYWEB_COMMIT");

/// `0.1.0 (commit 0123456789ab)`, or `0.1.0` without a commit: what
/// `--version` prints after the program's name.
pub const LONG_VERSION: &str = env!("POLICYWEB_LONG_VERSION");

/// The generator's name and version, as pages name it: `policyweb 0.1.0`.
/// No commit: a page is the same whichever build of a version made it.
pub const GENERATOR: &str = concat!("policyweb ", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_starts_with_the_version_and_names_the_commit() {
        assert!(LONG_VERSION.starts_with(VERSION));
        match COMMIT {
            Some(commit) => {
                assert_eq!(LONG_VERSION, format!("{VERSION} (commit {commit})"));
                assert!(commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit()));
            }
            None => assert_eq!(LONG_VERSION, VERSION),
        }
    }
}
