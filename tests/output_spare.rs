//! The spare output kept between builds (`.public.spare` beside public/,
//! `.restricted.spare` beside restricted/): a build keeps the output it
//! replaces there and the next one brings it up to date in place. After
//! every kind of edit, and after the spare or the live output was changed
//! by hand, the rebuild writes public/ and restricted/ byte for byte as a
//! cold build into a fresh folder does, with no stale file; a build
//! stopped while updating the spare leaves the live output as it was; a
//! spare-named path that is not policyweb's is left alone and reported;
//! the spare is never published.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Site, TODAY, snapshot};

const SPARES: [&str; 2] = [".public.spare", ".restricted.spare"];

type Outputs = [BTreeMap<String, Vec<u8>>; 2];

/// Puts something at a spare's place.
type Make<'a> = &'a dyn Fn(&Path);

fn outputs(root: &Path) -> Outputs {
    [
        snapshot(&root.join("public")),
        snapshot(&root.join("restricted")),
    ]
}

fn spares(root: &Path) -> Outputs {
    SPARES.map(|spare| snapshot(&root.join(spare)))
}

/// What a cold build of `site` as it is now writes: the site copied to a
/// fresh folder with no output, no spare and no render cache.
fn cold(site: &Site) -> Outputs {
    let fresh = Site::copy_from(site.root());
    for leftover in ["public", "restricted", ".policyweb"]
        .into_iter()
        .chain(SPARES)
    {
        let _ = std::fs::remove_dir_all(fresh.path(leftover));
    }
    for school in ["school-a", "school-b", "school-c"] {
        let _ = std::fs::remove_dir_all(fresh.path(school).join(".policyweb"));
    }
    fresh.build().assert_success();
    outputs(fresh.root())
}

/// Builds `site` and checks the outputs are the cold build's and the
/// previous outputs (`before`) are kept as the spares.
fn rebuild_matches_cold(site: &Site, what: &str) {
    let before = outputs(site.root());
    let run = site.build();
    run.assert_success();
    assert!(!run.stderr.contains("spare"), "{what}: {}", run.stderr);
    let after = outputs(site.root());
    assert!(
        after == cold(site),
        "{what}: the rebuild is not a cold build"
    );
    assert!(
        spares(site.root()) == before,
        "{what}: the previous outputs are not the spares"
    );
}

#[test]
fn every_rebuild_is_a_cold_build_and_keeps_the_previous_output_as_the_spare() {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    // The first build had no output to keep.
    assert!(!site.path(".public.spare").exists());
    rebuild_matches_cold(&site, "unchanged");
    site.replace(
        "content/020-reporting.md",
        "Tell any member",
        "A sentence added for the rebuild. Tell any member",
    );
    rebuild_matches_cold(&site, "a section's text");
    site.remove("content/050-exclusion-reviews.md");
    rebuild_matches_cold(&site, "a section removed");
    // A page renamed: its folder disappears from every view.
    std::fs::rename(
        site.path("content/030-procedures/010-checking-devices.md"),
        site.path("content/030-procedures/010-checking-phones.md"),
    )
    .unwrap();
    site.replace(
        "content/020-reporting.md",
        "[[section:checking-devices]]",
        "[[section:checking-phones]]",
    );
    rebuild_matches_cold(&site, "a page renamed");
    let mut image = std::fs::read(site.path("content/quillfeather-plan.png")).unwrap();
    let last = image.len() - 1;
    image[last] ^= 0xff;
    site.write("content/quillfeather-plan.png", &image);
    rebuild_matches_cold(&site, "an image replaced");
    // The live output changed by hand: a page edited, a file added.
    site.write("public/index.html", "changed by hand");
    site.write("public/parents/extra.html", "added by hand");
    site.write("restricted/extra.txt", "added by hand");
    site.build().assert_success();
    assert!(
        outputs(site.root()) == cold(&site),
        "the live output edited"
    );
}

#[test]
fn a_tampered_spare_still_gives_a_correct_output() {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    site.build().assert_success();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("mine.txt"), "mine").unwrap();
    // An extra file, a changed page, a missing folder, a file where a
    // folder was, a link out of the spare where a page was.
    site.write(".public.spare/extra.html", "extra");
    // A page changed with its length kept, as a new file (writing into
    // it would change public/ too: the two share unchanged files).
    let mut page = std::fs::read(site.path(".public.spare/index.html")).unwrap();
    let middle = page.len() / 2;
    page[middle] ^= 0x01;
    site.remove(".public.spare/index.html");
    site.write(".public.spare/index.html", &page);
    site.remove(".public.spare/staff");
    site.remove(".public.spare/parents");
    site.write(".public.spare/parents", "a file, not a folder");
    site.remove(".public.spare/404.html");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("mine.txt"),
        site.path(".public.spare/404.html"),
    )
    .unwrap();
    site.write(".restricted.spare/extra.txt", "extra");
    site.replace(
        "content/020-reporting.md",
        "Tell any member",
        "A sentence added for the rebuild. Tell any member",
    );
    // A page the edit changes, in the spare already as long as the new
    // one but not the same: only comparing the bytes tells.
    let live = site.snapshot();
    let [expected, _] = cold(&site);
    let (changed, bytes) = expected
        .iter()
        .find(|(path, bytes)| live.get(*path).is_some_and(|was| was != *bytes))
        .expect("the edit changes a page");
    let mut wrong = bytes.clone();
    wrong[0] ^= 0x01;
    site.remove(&format!(".public.spare/{changed}"));
    site.write(&format!(".public.spare/{changed}"), &wrong);
    rebuild_matches_cold(&site, "a tampered spare");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("mine.txt")).unwrap(),
        "mine",
        "a link in the spare is never followed"
    );
}

#[test]
fn a_spare_named_path_that_is_not_policyweb_s_is_left_alone_and_reported() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let someone = tempfile::tempdir().unwrap();
    std::fs::write(someone.path().join("notes.txt"), "mine").unwrap();
    let cases: [(&str, Make); 3] = [
        ("a folder without the marker", &|spare: &Path| {
            std::fs::create_dir(spare).unwrap();
            std::fs::write(spare.join("notes.txt"), "mine").unwrap();
        }),
        ("a file", &|spare: &Path| {
            std::fs::write(spare, "mine").unwrap();
        }),
        ("a link to someone's folder", &|spare: &Path| {
            #[cfg(unix)]
            std::os::unix::fs::symlink(someone.path(), spare).unwrap();
            #[cfg(not(unix))]
            std::fs::write(spare, "mine").unwrap();
        }),
    ];
    for (what, make) in cases {
        let spare = site.path(".public.spare");
        if let Ok(meta) = std::fs::symlink_metadata(&spare) {
            if meta.is_dir() {
                std::fs::remove_dir_all(&spare).unwrap();
            } else {
                std::fs::remove_file(&spare).unwrap();
            }
        }
        make(&spare);
        let before = common::snapshot(&spare);
        site.replace("data/site.yaml", "Hillside Primary", "Hillside Upper");
        let run = site.build();
        run.assert_success();
        assert!(
            run.stderr.contains(".public.spare") && run.stderr.contains("left as it is"),
            "{what}: not reported:\n{}",
            run.stderr
        );
        assert!(site.page("index.html").contains("Hillside Upper"), "{what}");
        assert_eq!(common::snapshot(&spare), before, "{what}: touched");
        assert_eq!(
            std::fs::read_to_string(someone.path().join("notes.txt")).unwrap(),
            "mine",
            "{what}"
        );
        // The replaced output was removed, not left as a staging folder.
        let left: Vec<_> = std::fs::read_dir(site.root())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.new-"))
            .collect();
        assert!(left.is_empty(), "{what}: {left:?}");
        site.replace("data/site.yaml", "Hillside Upper", "Hillside Primary");
    }
}

#[test]
fn the_spare_is_never_published_nor_an_output() {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    site.build().assert_success();
    assert!(site.path(".restricted.spare/.policyweb-output").is_file());
    for (path, _) in site.snapshot() {
        assert!(!path.contains("spare"), "public/{path}");
    }
    // Neither output may be the other's spare: a restricted output there
    // would be published by the next swap.
    let restricted_there = site.path(".public.spare");
    let run = site.run(&[
        "build",
        "--today",
        TODAY,
        "--restricted-out",
        restricted_there.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("overlap"), "{}", run.stderr);
    // A view no longer restricted: the restricted output and its spare go.
    site.replace("data/site.yaml", "    restricted: true\n", "");
    site.build().assert_success();
    assert!(!site.path("restricted").exists());
    assert!(!site.path(".restricted.spare").exists());
}

#[test]
fn a_trusts_rebuild_is_a_cold_build() {
    let site = Site::copy_of("trust");
    site.build().assert_success();
    site.build().assert_success();
    let before = outputs(site.root());
    site.replace(
        "school-a/content/020-reporting.md",
        "Tell any member",
        "A sentence added for the rebuild. Tell any member",
    );
    site.build().assert_success();
    assert!(outputs(site.root()) == cold(&site));
    assert!(spares(site.root()) == before, "the spares are kept");
}

/// A build stopped (SIGTERM) or killed (SIGKILL) while it brings the spare
/// up to date leaves public/ as it was, and the next build, starting from
/// the half-updated spare, is a cold build.
#[cfg(unix)]
#[test]
fn a_build_stopped_while_updating_the_spare_leaves_the_live_output() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let site = Site::copy_of("minimal");
    let paragraph = "Staff check that every device used in school is filtered and monitored, \
        and report anything that gets through to the designated safeguarding lead the same day. "
        .repeat(6);
    for n in 0..300 {
        site.write(
            &format!("content/040-generated/{:04}-rule-{n}.md", 10 * (n + 1)),
            format!("---\ntitle: Rule {n}\nsummary: Generated rule {n}.\n---\n{paragraph}\n"),
        );
    }
    site.write(
        "content/040-generated/_index.md",
        "---\ntitle: Generated rules\nsummary: Many rules.\n---\nThe rules follow.\n",
    );
    site.build().assert_success();
    site.build().assert_success();
    let old = site.snapshot();
    // Every page changes, so the update rewrites every file of the spare.
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    let first_written = site.path(".public.spare/404.html");
    for (signal, code) in [("-TERM", Some(143)), ("-KILL", None)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(["build", "--today", TODAY, "--quiet", "--root"])
            .arg(site.root())
            .arg("--out")
            .arg(site.out())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !std::fs::read_to_string(&first_written).is_ok_and(|p| p.contains("Hillside Academy"))
            && child.try_wait().unwrap().is_none()
            && started.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "{signal}: the build was still updating the spare when signalled"
        );
        let sent = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        if let Some(code) = code {
            assert_eq!(status.code(), Some(code), "{signal}");
        }
        assert!(site.snapshot() == old, "{signal}: public/ changed");
    }
    site.build().assert_success();
    assert!(
        outputs(site.root()) == cold(&site),
        "the next build is cold's"
    );
    assert!(site.snapshot() != old);
}
