//! A build killed at any moment: `policyweb build` of a large generated
//! site is SIGKILLed at many points (while rendering, as its staging folder
//! appears, while it fills, right after the swap), and public/ is always
//! the previous complete site or the new complete one, never a mix; the
//! next build succeeds and removes what the killed ones left. SIGINT and
//! SIGTERM while writing remove the staging folder before exiting.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, TODAY, snapshot};

/// Enough sections that writing takes a while: about 900 files.
const SECTIONS: usize = 300;

fn large_site() -> Site {
    let site = Site::copy_of("minimal");
    let paragraph = "Staff check that every device used in school is filtered and monitored, \
        and report anything that gets through to the designated safeguarding lead the same day. "
        .repeat(6);
    for n in 0..SECTIONS {
        site.write(
            &format!("content/040-generated/{:04}-rule-{n}.md", 10 * (n + 1)),
            format!(
                "---\ntitle: Rule {n}\nsummary: Generated rule {n}.\n---\n## What we do\n\n{paragraph}\n\n## Who checks\n\n{paragraph}\n"
            ),
        );
    }
    site.write(
        "content/040-generated/_index.md",
        "---\ntitle: Generated rules\nsummary: Many rules.\n---\nThe rules follow.\n",
    );
    site
}

fn start(site: &Site) -> Child {
    Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(["build", "--today", TODAY, "--quiet", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(site.out())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("policyweb starts")
}

fn finish(site: &Site) {
    let status = start(site).wait().unwrap();
    assert!(status.success(), "a whole build succeeds");
}

/// Staging folders beside public/ (not the spare).
fn staging(root: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        // The previous output, kept for the next build (tests/output_spare.rs).
        .filter(|e| e.file_name() != ".public.spare")
        .map(|e| e.path())
        .collect()
}

fn files_in(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .count()
}

/// When to kill a build.
#[derive(Debug, Clone, Copy)]
enum Point {
    After(Duration),
    /// Once a staging folder holds this many entries.
    Staged(usize),
    /// Once public/ holds the new landing page (after the swap, while the
    /// old site is being removed).
    Swapped,
}

/// Waits for `point` (or the build's end, or a minute), then kills.
/// Returns whether the build was still running when killed.
fn kill_at(site: &Site, point: Point, new_name: &str) -> bool {
    let mut child = start(site);
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let reached = match point {
            Point::After(delay) => started.elapsed() >= delay,
            Point::Staged(entries) => staging(site.root())
                .iter()
                .any(|dir| files_in(dir) >= entries),
            Point::Swapped => std::fs::read_to_string(site.out().join("index.html"))
                .is_ok_and(|page| page.contains(new_name)),
        };
        if reached || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    running
}

/// public/ as saved, and no spare: every kill starts from the same state,
/// the new site written into a staging folder (the spare's own kills are
/// in tests/output_spare.rs).
fn restore(site: &Site, saved: &Path) {
    for folder in [site.out(), site.root().join(".public.spare")] {
        if folder.exists() {
            std::fs::remove_dir_all(folder).unwrap();
        }
    }
    common::copy_tree(saved, &site.out());
}

#[test]
fn public_is_always_the_old_site_or_the_new_one() {
    let site = large_site();
    let timer = Instant::now();
    finish(&site);
    let whole = timer.elapsed();
    let old = snapshot(&site.out());
    assert!(old.len() > 2 * SECTIONS, "{} files", old.len());
    let saved = tempfile::tempdir().unwrap();
    common::copy_tree(&site.out(), saved.path());

    // The new site: every page changes, and there is one more section.
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    site.write(
        "content/050-added.md",
        "---\ntitle: Added later\nsummary: A section the old site lacks.\n---\nNew.\n",
    );
    let mut points: Vec<Point> = (0..6).map(|i| Point::After(whole * i / 6)).collect();
    points.extend([1, 30, 300, 800].map(Point::Staged));
    points.push(Point::Swapped);
    let mut seen: Vec<(Point, bool, BTreeMap<String, Vec<u8>>)> = Vec::new();
    for point in points {
        restore(&site, saved.path());
        let killed_running = kill_at(&site, point, "Hillside Academy");
        seen.push((point, killed_running, snapshot(&site.out())));
    }
    let interrupted_while_writing = seen
        .iter()
        .filter(|(point, running, _)| *running && !matches!(point, Point::After(_)))
        .count();
    assert!(
        interrupted_while_writing >= 3,
        "at least three kills while the output was being written"
    );

    // The next build succeeds and leaves nothing behind.
    finish(&site);
    assert!(
        staging(site.root()).is_empty(),
        "{:?}",
        staging(site.root())
    );
    let new = snapshot(&site.out());
    assert_ne!(old, new);
    let mut old_count = 0;
    for (point, _, public) in &seen {
        assert!(
            *public == old || *public == new,
            "killed at {point:?}: public/ is a mix of {} files",
            public.len()
        );
        old_count += usize::from(*public == old);
    }
    assert!(old_count > 0, "some kills came before the swap");
    eprintln!(
        "{} kills ({interrupted_while_writing} while writing): {old_count} left the old site, {} the new",
        seen.len(),
        seen.len() - old_count
    );
}

#[test]
fn sigint_and_sigterm_while_writing_leave_no_temporary_folder() {
    let site = large_site();
    finish(&site);
    let old = snapshot(&site.out());
    site.replace(
        "data/site.yaml",
        "Hillside Primary School",
        "Hillside Academy",
    );
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let mut child = start(&site);
        let started = Instant::now();
        while !staging(site.root()).iter().any(|dir| files_in(dir) >= 20)
            && child.try_wait().unwrap().is_none()
            && started.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_micros(500));
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build was still writing when signalled"
        );
        let sent = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{signal}: exits with {code}");
        assert!(
            staging(site.root()).is_empty(),
            "{signal}: {:?}",
            staging(site.root())
        );
        assert_eq!(snapshot(&site.out()), old, "{signal}: public/ as it was");
    }
}
