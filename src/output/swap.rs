//! Putting a fully written staging folder in the place of the output.
//!
//! On Linux the two folders are exchanged with one `renameat2` call
//! (`RENAME_EXCHANGE`): at every instant the output's name points at the
//! old complete site or the new complete one. Where the file system or
//! the system cannot exchange, the old folder is moved aside and the new
//! one moved in: two renames, with a moment between them when the output
//! is missing, but never a moment when it is a mix.

use std::io;
use std::path::Path;

/// Exchanges two existing folders. After it, `staged` holds what was at
/// `destination`.
pub fn exchange(staged: &Path, destination: &Path, aside: &Path) -> io::Result<()> {
    match exchange_atomically(staged, destination) {
        Ok(()) => Ok(()),
        Err(error) if unsupported(&error) => exchange_in_two_steps(staged, destination, aside),
        Err(error) => Err(error),
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange_atomically(staged: &Path, destination: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, staged, CWD, destination, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange_atomically(_staged: &Path, _destination: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Kernels and file systems without `RENAME_EXCHANGE` say so in these ways.
fn unsupported(error: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    error.kind() == io::ErrorKind::Unsupported
        || matches!(error.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// The old output to `aside` (a name that does not exist yet), the new
/// one into place, and the old one to `staged` so the caller finds it
/// where an exchange would have left it. On failure the old output is put
/// back.
fn exchange_in_two_steps(staged: &Path, destination: &Path, aside: &Path) -> io::Result<()> {
    std::fs::rename(destination, aside)?;
    if let Err(error) = std::fs::rename(staged, destination) {
        let _ = std::fs::rename(aside, destination);
        return Err(error);
    }
    std::fs::rename(aside, staged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(path: &Path, text: &str) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join("index.html"), text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path.join("index.html")).unwrap()
    }

    #[test]
    fn both_ways_leave_the_new_site_in_place_and_the_old_in_staging() {
        let dir = tempfile::tempdir().unwrap();
        let (staged, destination, aside) = (
            dir.path().join(".public.new-1"),
            dir.path().join("public"),
            dir.path().join(".public.new-2"),
        );
        folder_with(&staged, "new");
        folder_with(&destination, "old");
        exchange(&staged, &destination, &aside).unwrap();
        assert_eq!(
            (read(&destination), read(&staged)),
            ("new".into(), "old".into())
        );
        // The way without RENAME_EXCHANGE ends the same.
        exchange_in_two_steps(&staged, &destination, &aside).unwrap();
        assert_eq!(
            (read(&destination), read(&staged)),
            ("old".into(), "new".into())
        );
        assert!(!aside.exists());
    }
}
