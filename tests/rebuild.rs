//! A rebuild into the output an earlier build wrote: every file the new
//! site has byte for byte is kept as the same file on disk (a second name
//! of it, made in the new folder before the swap), not written again;
//! every other file is written anew; and the result is exactly what a
//! build into an empty folder writes.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::Site;

/// The file's identity on disk: its device and inode.
fn identity(path: &Path) -> (u64, u64) {
    let meta = std::fs::metadata(path).unwrap();
    (meta.dev(), meta.ino())
}

/// Builds `site`, edits `source` so that `edited` changes, builds again:
/// each of `unchanged` is the same file on disk, `edited` is a new one,
/// and the output is byte for byte a fresh build of the edited site.
fn rebuild_keeps(site: &Site, unchanged: &[&str], source: &str, edited: &str) {
    site.build().assert_success();
    let out = site.out();
    let kept: Vec<(u64, u64)> = unchanged.iter().map(|f| identity(&out.join(f))).collect();
    let before = identity(&out.join(edited));
    site.replace(source, "Tell any member of staff", "Tell any trusted adult");
    site.build().assert_success();
    for (file, was) in unchanged.iter().zip(&kept) {
        assert_eq!(identity(&out.join(file)), *was, "{file} was written again");
    }
    assert_ne!(
        identity(&out.join(edited)),
        before,
        "{edited} is a new file"
    );
    assert!(site.page(edited).contains("Tell any trusted adult"));
    // The same bytes as a build into a folder of its own.
    let fresh = Site::copy_from(site.root());
    std::fs::remove_dir_all(fresh.out()).unwrap();
    fresh.build().assert_success();
    assert_eq!(site.snapshot(), fresh.snapshot());
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_writes_the_changed_ones() {
    rebuild_keeps(
        &Site::copy_of("minimal"),
        &[
            "assets/site.css",
            "parents/introduction/index.html",
            "staff/introduction/index.html",
        ],
        "content/020-reporting.md",
        "parents/reporting/index.html",
    );
}

#[test]
fn a_file_changed_in_the_output_by_hand_is_written_again() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let page = site.out().join("parents/introduction/index.html");
    let good = std::fs::read(&page).unwrap();
    // Same length, other bytes: only a comparison of the bytes tells.
    let mut changed = good.clone();
    changed[good.len() / 2] ^= 0x20;
    std::fs::write(&page, &changed).unwrap();
    site.build().assert_success();
    assert_eq!(std::fs::read(&page).unwrap(), good);
}

#[test]
fn a_trust_rebuild_keeps_each_schools_unchanged_files_and_writes_the_edited_one() {
    // Another school's page, the edited school's other page, and the
    // trust's own landing page: none of them changes.
    rebuild_keeps(
        &Site::copy_of("trust"),
        &[
            "school-a/parents/introduction/index.html",
            "school-b/parents/introduction/index.html",
            "index.html",
        ],
        "school-b/content/020-reporting.md",
        "school-b/parents/reporting/index.html",
    );
}
