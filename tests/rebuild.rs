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

#[test]
fn a_rebuild_keeps_unchanged_files_and_writes_the_changed_ones() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let out = site.out();
    let unchanged = [
        "assets/site.css",
        "parents/introduction/index.html",
        "staff/introduction/index.html",
    ];
    let kept: Vec<(u64, u64)> = unchanged.iter().map(|f| identity(&out.join(f))).collect();
    let edited = "parents/reporting/index.html";
    let before = identity(&out.join(edited));
    site.replace(
        "content/020-reporting.md",
        "Tell any member of staff",
        "Tell any trusted adult",
    );
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
    let trust = Site::copy_of("trust");
    trust.build().assert_success();
    let out = trust.out();
    // Another school's page, the edited school's other page, and the
    // trust's own landing page: none of them changes.
    let unchanged = [
        "school-a/parents/introduction/index.html",
        "school-b/parents/introduction/index.html",
        "index.html",
    ];
    let kept: Vec<(u64, u64)> = unchanged.iter().map(|f| identity(&out.join(f))).collect();
    let edited = "school-b/parents/reporting/index.html";
    let before = identity(&out.join(edited));
    trust.replace(
        "school-b/content/020-reporting.md",
        "Tell any member of staff",
        "Tell any trusted adult",
    );
    trust.build().assert_success();
    for (file, was) in unchanged.iter().zip(&kept) {
        assert_eq!(identity(&out.join(file)), *was, "{file} was written again");
    }
    assert_ne!(
        identity(&out.join(edited)),
        before,
        "{edited} is a new file"
    );
    assert!(trust.page(edited).contains("Tell any trusted adult"));
    let fresh = Site::copy_from(trust.root());
    std::fs::remove_dir_all(fresh.out()).unwrap();
    fresh.build().assert_success();
    assert_eq!(trust.snapshot(), fresh.snapshot());
}
