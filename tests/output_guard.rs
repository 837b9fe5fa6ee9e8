//! The output guard: a build replaces or deletes only folders policyweb
//! wrote (they hold `.policyweb-output`), empty ones and missing ones; it
//! refuses, with exit 2 and nothing changed, an output that is or holds
//! the site's own files or someone else's; restricted views go to
//! restricted/ in the site root (or where site.yaml or --restricted-out
//! says), never beside an arbitrary --out; and a write that fails (a full
//! or read-only disk) or a build killed earlier leaves no temporary folder.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, Site, TODAY, snapshot};

const MARKER: &str = ".policyweb-output";

/// `policyweb build --today … --root <site> ARGS…`, from `cwd`.
fn build_in(site: &Site, cwd: &Path, args: &[OsString]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .current_dir(cwd)
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("policyweb runs");
    Run {
        code: output.status.code().expect("policyweb exits"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn build(site: &Site, args: &[OsString]) -> Run {
    build_in(site, site.root(), args)
}

fn out(path: impl Into<PathBuf>) -> Vec<OsString> {
    vec!["--out".into(), path.into().into_os_string()]
}

/// The governors' view made restricted.
fn with_restricted_view(site: &Site) {
    site.replace(
        "data/site.yaml",
        "    governance: true\n",
        "    governance: true\n    restricted: true\n",
    );
}

/// Staging folders (`.public.new-…`, `.restricted.old-…`) in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') && (name.contains(".new-") || name.contains(".old-")))
        .collect()
}

#[test]
fn a_users_restricted_folder_beside_out_is_never_touched() {
    // `--out ~/Sites/policy` used to delete ~/Sites/restricted/.
    for restricted_views in [false, true] {
        let site = Site::copy_of("minimal");
        if restricted_views {
            with_restricted_view(&site);
        }
        let sites = tempfile::tempdir().unwrap();
        std::fs::create_dir(sites.path().join("restricted")).unwrap();
        std::fs::write(sites.path().join("restricted/minutes.txt"), "mine").unwrap();
        build(&site, &out(sites.path().join("policy"))).assert_success();
        assert_eq!(
            std::fs::read_to_string(sites.path().join("restricted/minutes.txt")).unwrap(),
            "mine",
            "restricted views: {restricted_views}"
        );
        assert!(sites.path().join("policy/index.html").exists());
        // Restricted views go to restricted/ in the site root instead.
        assert_eq!(
            site.path("restricted/governors/index.html").exists(),
            restricted_views
        );
        assert!(!sites.path().join("restricted/governors").exists());
    }
}

#[test]
fn an_output_that_is_or_holds_the_sites_own_files_is_refused() {
    // The site one folder down, so that the folder holding it is this
    // test's own.
    let outer = tempfile::tempdir().unwrap();
    let site = Site {
        dir: tempfile::tempdir_in(outer.path()).unwrap(),
    };
    common::copy_tree(&common::fixture_path("minimal"), site.root());
    std::fs::create_dir_all(site.path("versions/2023-24")).unwrap();
    std::fs::create_dir_all(site.path("themes/default")).unwrap();
    std::fs::write(site.path("themes/default/note.txt"), "theme").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.path("data"), site.path("data-link")).unwrap();
    let before = site.files();
    let parent = outer.path().to_path_buf();
    let cases: Vec<(PathBuf, &str)> = vec![
        ("content".into(), "content/"),
        ("data".into(), "data/"),
        ("data/new".into(), "data/"),
        ("themes".into(), "themes/"),
        ("versions/2023-24".into(), "versions/"),
        (".".into(), "site root"),
        ("public/../content".into(), "content/"),
        (site.root().to_path_buf(), "site root"),
        (parent, "holds the site root"),
        #[cfg(unix)]
        ("data-link".into(), "data/"),
    ];
    for (path, says) in cases {
        let run = build(&site, &out(&path));
        assert_eq!(run.code, 2, "--out {}:\n{}", path.display(), run.stderr);
        assert!(
            run.stderr.contains(says) && run.stderr.contains("policy's own files"),
            "--out {}: {}",
            path.display(),
            run.stderr
        );
        assert!(run.stderr.contains("Nothing was built"), "{}", run.stderr);
        assert_eq!(
            site.files(),
            before,
            "--out {} changed the site",
            path.display()
        );
        assert!(
            leftovers(site.root()).is_empty(),
            "--out {}",
            path.display()
        );
        assert!(!site.path("public").exists());
    }
}

#[test]
fn an_output_folder_of_other_files_is_refused_and_kept() {
    let site = Site::copy_of("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let docs = elsewhere.path().join("docs");
    std::fs::create_dir_all(docs.join("guide")).unwrap();
    std::fs::write(docs.join("index.html"), "<p>our documentation</p>").unwrap();
    std::fs::write(docs.join("guide/index.html"), "<p>a guide</p>").unwrap();
    let file = elsewhere.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    let before = snapshot(elsewhere.path());

    let run = build(&site, &out(&docs));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("holds files policyweb did not write") && run.stderr.contains(MARKER),
        "{}",
        run.stderr
    );
    let run = build(&site, &out(&file));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(elsewhere.path()), before);
    assert!(leftovers(elsewhere.path()).is_empty());

    // A restricted output there is refused the same way.
    with_restricted_view(&site);
    let run = build(
        &site,
        &[
            out(elsewhere.path().join("public")),
            vec!["--restricted-out".into(), docs.clone().into()],
        ]
        .concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--restricted-out"), "{}", run.stderr);
    assert_eq!(snapshot(elsewhere.path()), before);
    assert!(
        !elsewhere.path().join("public").exists(),
        "refused before building"
    );
}

#[cfg(unix)]
#[test]
fn an_out_that_is_a_link_replaces_the_folder_it_points_to_and_stays_a_link() {
    let site = Site::copy_of("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("www");
    build(&site, &out(&target)).assert_success();
    std::os::unix::fs::symlink(&target, site.path("public")).unwrap();
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    site.build().assert_success();
    assert!(
        std::fs::symlink_metadata(site.path("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(target.join("index.html"))
            .unwrap()
            .contains("Hillside Academy")
    );
    assert!(leftovers(elsewhere.path()).is_empty() && leftovers(site.root()).is_empty());
}

#[test]
fn outputs_carry_the_marker_and_are_replaced_by_the_next_build() {
    let site = Site::copy_of("minimal");
    with_restricted_view(&site);
    std::fs::create_dir(site.path("public")).unwrap(); // an empty folder is fine
    site.build().assert_success();
    for tree in ["public", "restricted"] {
        assert!(site.path(tree).join(MARKER).is_file(), "{tree}/{MARKER}");
    }
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    site.build().assert_success();
    assert!(site.page("index.html").contains("Hillside Academy"));
    let restricted = std::fs::read_to_string(site.path("restricted/governors/index.html")).unwrap();
    assert!(restricted.contains("Hillside Academy"));
    assert!(leftovers(site.root()).is_empty());
}

#[test]
fn an_earlier_versions_output_is_taken_over_once() {
    let site = Site::copy_of("minimal");
    with_restricted_view(&site);
    site.build().assert_success();
    // What an earlier version wrote: the same pages, without the marker.
    for tree in ["public", "restricted"] {
        let _ = std::fs::remove_file(site.path(tree).join(MARKER));
    }
    site.build().assert_success();
    for tree in ["public", "restricted"] {
        assert!(site.path(tree).join(MARKER).is_file(), "{tree} taken over");
    }
    // The same without restricted views: the earlier restricted/ goes.
    std::fs::remove_file(site.path("restricted").join(MARKER)).unwrap();
    site.replace("data/site.yaml", "    restricted: true\n", "");
    site.build().assert_success();
    assert!(!site.path("restricted").exists());

    // An earlier output with a file of someone else's added is refused.
    std::fs::remove_file(site.path("public").join(MARKER)).unwrap();
    site.write("public/minutes.txt", "mine");
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(site.read("public/minutes.txt"), "mine");
}

#[test]
fn a_folder_of_anyones_at_restricted_stays_when_there_is_no_restricted_view() {
    let site = Site::copy_of("minimal");
    site.write("restricted/minutes.txt", "mine");
    site.build().assert_success();
    assert_eq!(site.read("restricted/minutes.txt"), "mine");
    // With a restricted view it is refused, and kept.
    with_restricted_view(&site);
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("restricted/ in the site root"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("restricted/minutes.txt"), "mine");
}

#[test]
fn restricted_output_goes_where_site_yaml_or_the_option_says() {
    let site = Site::copy_of("minimal");
    with_restricted_view(&site);
    site.replace(
        "data/site.yaml",
        "base_url:",
        "restricted_out: private/staff-only\nbase_url:",
    );
    let run = site.build();
    run.assert_success();
    assert!(
        site.path("private/staff-only/governors/index.html")
            .exists()
    );
    assert!(!site.path("restricted").exists());
    assert!(run.stderr.contains("staff-only"), "{}", run.stderr);

    let elsewhere = tempfile::tempdir().unwrap();
    let chosen = elsewhere.path().join("governors-only");
    let args = [
        out(site.out()),
        vec!["--restricted-out".into(), chosen.clone().into()],
    ]
    .concat();
    build(&site, &args).assert_success();
    assert!(chosen.join("governors/index.html").exists());

    // Never inside the public output, nor the public output inside it.
    for restricted in ["public/restricted", "public", "."] {
        let args = [
            out(site.out()),
            vec!["--restricted-out".into(), restricted.into()],
        ]
        .concat();
        let run = build(&site, &args);
        assert_eq!(run.code, 2, "--restricted-out {restricted}: {}", run.stderr);
    }
    let run = build(&site, &out(site.path("private/staff-only/public")));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("overlap"), "{}", run.stderr);
    assert!(!site.path("public/restricted").exists());
}

#[test]
fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    // Left by a build killed while writing: the marker comes first.
    site.write(".public.new-Ab12Cd/.policyweb-output", "");
    site.write(".public.new-Ab12Cd/parents/index.html", "half");
    // Left by an earlier version, killed between its two renames.
    std::fs::create_dir(site.path(".public.old-Zz99Yy")).unwrap();
    common::copy_tree(&site.out(), &site.path(".public.old-Zz99Yy/site"));
    let _ = std::fs::remove_file(site.path(".public.old-Zz99Yy/site").join(MARKER));
    // Named like one, but someone's own: kept.
    site.write(".public.new-mine/notes.txt", "mine");
    // Being written by another build that is running (this test's process
    // stands in for it): kept.
    let running = format!(".public.new-{}-Xy12Zz", std::process::id());
    site.write(&format!("{running}/.policyweb-output"), "");
    site.build().assert_success();
    let mut left = leftovers(site.root());
    left.sort();
    let mut kept = vec![".public.new-mine".to_string(), running];
    kept.sort();
    assert_eq!(left, kept);
    assert_eq!(site.read(".public.new-mine/notes.txt"), "mine");
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped; `None`
/// where this test may not mount (not root, or no CAP_SYS_ADMIN).
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    fn tmpfs(size: &str) -> Option<Mount> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Mount { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// How many bytes the files of a folder take on a tmpfs (a page each,
/// at least).
fn footprint(dir: &Path) -> u64 {
    snapshot(dir)
        .values()
        .map(|bytes| (bytes.len() as u64).div_ceil(4096).max(1) * 4096)
        .sum()
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_last_good_site() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    // Room for one copy of the site, and not for the old and new at once.
    let size = footprint(&site.out()) * 3 / 2;
    let Some(disk) = Mount::tmpfs(&size.to_string()) else {
        return;
    };
    let public = disk.path().join("public");
    build(&site, &out(&public)).assert_success();
    let good = snapshot(&public);
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    let run = build(&site, &out(&public));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device") && run.stderr.contains("disk is full"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("was not changed"), "{}", run.stderr);
    assert_eq!(snapshot(&public), good, "the last good site is whole");
    assert!(
        leftovers(disk.path()).is_empty(),
        "{:?}",
        leftovers(disk.path())
    );
}

#[test]
fn a_read_only_output_folder_fails_clearly_and_changes_nothing() {
    let site = Site::copy_of("minimal");
    let Some(disk) = Mount::tmpfs("16m") else {
        return;
    };
    let public = disk.path().join("public");
    build(&site, &out(&public)).assert_success();
    let good = snapshot(&public);
    disk.remount("ro");
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    let run = build(&site, &out(&public));
    disk.remount("rw");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("Read-only file system") && run.stderr.contains("read-only disk"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&public), good);
    assert!(leftovers(disk.path()).is_empty());
}
