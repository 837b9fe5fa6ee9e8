//! Hostile and careless input: absurd numbers, enormous and deeply nested
//! files, odd files in content/, links out of the site. Each case builds,
//! or fails with an error naming the file (and line and column where there
//! is one), in bounded memory and time: never a panic, a crash or a file
//! published that should not be. Inputs are generated here, at run time.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Run, Site, TODAY};
use policyweb::markdown::depth::MAX_DEPTH;

/// The address space a build may use: far above what a policy needs, far
/// below what rendering a failed site with thousands of views, or a
/// 50 MB section on every page, would take.
const MEMORY_KB: u64 = 1_500_000;

/// A build that takes longer than this has hung (it is not a speed target).
const HANG: Duration = Duration::from_secs(300);

/// `policyweb build` on `site`, with its memory capped and a watchdog.
fn build(site: &Site) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_policyweb"))
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(site.out())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("policyweb starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            panic!("policyweb build hung for {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = err.join().unwrap();
    Run {
        code: status.code().unwrap_or_else(|| {
            panic!("policyweb was killed by a signal ({status}); stderr:\n{stderr}")
        }),
        stdout: out.join().unwrap(),
        stderr,
    }
}

/// The build fails cleanly: exit 1, no panic, the message at `location`,
/// and the last good public/ untouched.
fn fails_at(site: &Site, location: &str, message: &str) -> Run {
    let run = build(site);
    let stderr = &run.stderr;
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    assert_eq!(run.code, 1, "expected exit 1:\n{stderr}");
    assert!(stderr.contains(location), "expected {location}:\n{stderr}");
    assert!(stderr.contains(message), "expected {message}:\n{stderr}");
    run
}

fn section(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}")
}

#[test]
fn absurd_intervals_are_errors_at_their_place() {
    // 358,000,000 years is 4,296,000,000 months: past u32, so it wrapped
    // into a short interval without a word; the others panicked.
    for every in [
        "4000000000 months",
        "999999 years",
        "99999999 weeks",
        "358000000 years",
        "11 years",
    ] {
        let site = Site::copy_of("minimal");
        site.replace(
            "data/reviews.yaml",
            "every: 12 months",
            &format!("every: {every}"),
        );
        fails_at(&site, "data/reviews.yaml:9:12", "too long an interval");
    }
}

#[test]
fn a_problem_far_along_a_line_is_printed_with_its_place() {
    let site = Site::copy_of("minimal");
    // 70,000 characters, a space, then the reference: column 70,002.
    let line = format!("{} [[role:dls]]\n", "x".repeat(70_000));
    site.write("content/040-long.md", section("Long", &line));
    let run = fails_at(&site, "content/040-long.md:4:70002", "unknown role `dls`");
    assert!(
        run.stderr.len() < 20_000,
        "the long line is quoted in part, not whole ({} bytes)",
        run.stderr.len()
    );
}

#[test]
fn nesting_past_the_limit_is_an_error_where_it_is_passed() {
    let too_deep = "nests too deep";
    // Line 6 of the file; each case passes the limit at a known column.
    let intro = "Intro.\n\n";
    let cases = [
        // Quote k opens at column k; the one past the limit is too deep.
        (">".repeat(2_500) + " deep\n", MAX_DEPTH + 1),
        // Level k opens a list (start 2k - 1) and its item (2k) at
        // column 2k - 1: start MAX_DEPTH + 1 is a list, at level
        // MAX_DEPTH / 2 + 1.
        ("- ".repeat(5_000) + "deep\n", 2 * (MAX_DEPTH / 2 + 1) - 1),
        // The paragraph is one level; `<b>` number MAX_DEPTH is past it.
        ("<b>".repeat(3_000) + "deep\n", 3 * (MAX_DEPTH - 1) + 1),
    ];
    for (body, column) in cases {
        let site = Site::copy_of("minimal");
        site.write(
            "content/040-deep.md",
            section("Deep", &format!("{intro}{body}")),
        );
        fails_at(&site, &format!("content/040-deep.md:6:{column}"), too_deep);
    }
    // As deep as allowed builds, and every level reaches the page.
    let site = Site::copy_of("minimal");
    let body = format!(
        "{intro}{} quoted\n\n{}listed\n\n{}bold\n",
        ">".repeat(MAX_DEPTH - 1),
        "- ".repeat(MAX_DEPTH / 2 - 1),
        "<span>".repeat(MAX_DEPTH - 1),
    );
    site.write("content/040-deep.md", section("Deep", &body));
    build(&site).assert_success();
    let page = site.page("parents/deep/index.html");
    assert_eq!(page.matches("<blockquote").count(), MAX_DEPTH - 1, "{page}");
    assert!(page.contains("listed") && page.contains("bold"), "{page}");
}

#[test]
fn a_site_that_fails_validation_is_not_rendered() {
    // A 3 MB revision id: one error at the id, quoted in part.
    let site = Site::copy_of("minimal");
    let id = "x".repeat(3 * 1024 * 1024);
    site.replace("data/versions.yaml", "id: 2024-25", &format!("id: {id}"));
    let run = fails_at(&site, "data/versions.yaml:1:7", "is too long");
    assert!(run.stderr.len() < 20_000, "{} bytes", run.stderr.len());

    // 2,000 views with one id: each a mistake, listed; nothing rendered.
    let site = Site::copy_of("minimal");
    let views: String = (0..2_000)
        .map(|_| "  - id: staff\n    title: Staff\n    description: Again.\n")
        .collect();
    site.replace("data/site.yaml", "views:\n", &format!("views:\n{views}"));
    let run = fails_at(
        &site,
        "data/site.yaml:",
        "the view id `staff` is used twice",
    );
    assert!(run.stderr.matches("is used twice").count() >= 2_000);
}

#[test]
fn only_markdown_sections_and_known_files_are_published() {
    let site = Site::copy_of("minimal");
    let secret = "Only the DSL may read this: the incident log password.";
    let intro = site.read("content/010-introduction.md");
    site.write(
        "content/010-introduction.md~",
        format!("{intro}\n{secret}\n"),
    );
    site.write("content/020-notes.MD", section("Notes", secret));
    site.write("content/030-procedures/notes.txt", secret);
    // An image is published with the views whose pages show it, whatever
    // the case of its extension.
    site.write("content/logo.PNG", b"\x89PNG\r\n\x1a\n");
    site.write(
        "content/010-introduction.md",
        format!("{intro}\n![The school's logo](logo.PNG)\n"),
    );
    let run = build(&site);
    run.assert_success();
    for file in [
        "content/010-introduction.md~",
        "content/020-notes.MD",
        "content/030-procedures/notes.txt",
    ] {
        assert!(
            run.stderr.contains(&format!("{file} is not published")),
            "{file}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("rename it to `020-notes.md`"),
        "{}",
        run.stderr
    );
    for (path, bytes) in site.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("incident log password"),
            "{path} holds the text of a file that is not a section"
        );
    }
    assert!(
        site.snapshot().keys().any(|p| p.ends_with("/logo.PNG")),
        "images are published whatever the case of their extension"
    );
}

#[test]
fn a_view_id_too_long_for_a_file_name_is_an_error_at_the_id() {
    let site = Site::copy_of("minimal");
    let id = "a".repeat(300);
    site.replace("data/site.yaml", "id: staff", &format!("id: {id}"));
    fails_at(&site, "data/site.yaml:11:9", "the view id `aaaa");
    let run = fails_at(&site, "data/site.yaml:11:9", "is too long: 300 characters");
    assert!(!run.stderr.contains("File name too long"), "{}", run.stderr);
}

/// A name is printed several times on every page, so a 400,000-character
/// school name (of `&` or `<`, each escaped and decoded again on each page)
/// made the build take minutes; it is an error at the name.
#[test]
fn a_pasted_document_in_place_of_a_name_is_an_error_at_the_name() {
    for text in ["&", "<"] {
        let site = Site::copy_of("minimal");
        site.replace(
            "data/site.yaml",
            "name: Hillside Primary School",
            &format!("name: '{}'", text.repeat(400_000)),
        );
        fails_at(
            &site,
            "data/site.yaml:2:9",
            "the school name is 400000 characters long",
        );
    }
}

#[test]
fn a_fifty_megabyte_section_is_refused_quickly() {
    let site = Site::copy_of("minimal");
    let mut body = String::with_capacity(50 * 1024 * 1024);
    while body.len() < 50 * 1024 * 1024 {
        body.push_str("A paragraph of the policy, pasted in again and again.\n\n");
    }
    site.write("content/040-huge.md", section("Huge", &body));
    fails_at(&site, "content/040-huge.md", "is larger than 4 MB");
}

#[test]
fn ten_thousand_sections_build() {
    let site = Site::copy_of("minimal");
    for n in 0..10_000 {
        site.write(
            &format!("content/040-many/{n:05}-part-{n}.md"),
            section(&format!("Part {n}"), &format!("Text of part {n}.\n")),
        );
    }
    site.write(
        "content/040-many/_index.md",
        section("Many", "Many parts.\n"),
    );
    build(&site).assert_success();
    assert!(
        site.page("parents/part-9999/index.html")
            .contains("Text of part 9999.")
    );
}

#[test]
fn ten_thousand_people_build() {
    let site = Site::copy_of("minimal");
    let mut people = site.read("data/people.yaml");
    for n in 0..10_000 {
        people.push_str(&format!(
            "- id: person-{n}\n  name: Person Number {n}\n  roles: [online-safety-group]\n"
        ));
    }
    site.write("data/people.yaml", people);
    build(&site).assert_success();
    assert!(
        site.page("parents/people/index.html")
            .contains("Person Number 9999")
    );
}

#[test]
fn deeply_nested_yaml_is_an_error_at_its_line() {
    let site = Site::copy_of("minimal");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    site.replace(
        "data/people.yaml",
        "roles: [dsl, online-safety-group]",
        &format!("roles: {deep}"),
    );
    fails_at(&site, "data/people.yaml:3:", "error");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused_never_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = "A file elsewhere on the computer, never to be published.";
    std::fs::write(
        outside.path().join("notes.md"),
        section("Elsewhere", secret),
    )
    .unwrap();
    std::fs::write(outside.path().join("photo.png"), secret).unwrap();

    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let before = site.snapshot();
    symlink(
        outside.path().join("notes.md"),
        site.path("content/040-elsewhere.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("photo.png"),
        site.path("content/photo.png"),
    )
    .unwrap();
    symlink(outside.path(), site.path("content/050-folder")).unwrap();
    let run = fails_at(
        &site,
        "content/040-elsewhere.md",
        "is a link to a file outside the site, which is not followed",
    );
    assert!(
        run.stderr
            .contains("content/photo.png is a link to a file outside"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/050-folder is a link"),
        "{}",
        run.stderr
    );
    assert_eq!(site.snapshot(), before, "public/ is untouched");
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_link_out_of_the_site_publishes_nothing() {
    // Its files are no links themselves: where they really are is where
    // the folder is, which is outside.
    let outside = tempfile::tempdir().unwrap();
    let secret = "A file elsewhere on the computer, never to be published.";
    std::fs::write(
        outside.path().join("010-introduction.md"),
        section("Elsewhere", secret),
    )
    .unwrap();
    let site = Site::copy_of("minimal");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content")).unwrap();
    let run = fails_at(
        &site,
        "content/010-introduction.md",
        "is a link to a file outside the site, which is not followed",
    );
    assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    assert!(!site.path("public").exists(), "nothing is written");
}

#[cfg(unix)]
#[test]
fn a_loop_of_links_in_content_is_an_error() {
    use std::os::unix::fs::symlink;
    let site = Site::copy_of("minimal");
    symlink(
        site.path("content"),
        site.path("content/030-procedures/back"),
    )
    .unwrap();
    symlink("050-b.md", site.path("content/040-a.md")).unwrap();
    symlink("040-a.md", site.path("content/050-b.md")).unwrap();
    let run = fails_at(&site, "content/040-a.md", "cannot read content/040-a.md");
    assert!(
        run.stderr.contains("the link points nowhere or at itself"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/030-procedures/back is a link to a folder, which is not followed"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_errors_naming_the_file() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::copy_of("minimal");
    let content = site.path("content");
    let odd = |name: &[u8]| content.join(std::ffi::OsStr::from_bytes(name));
    // Two names that differ only in bytes that are not UTF-8 would be
    // published under one lossy name.
    std::fs::write(odd(b"photo-\xff.png"), "one").unwrap();
    std::fs::write(odd(b"photo-\xfe.png"), "two").unwrap();
    std::fs::write(odd(b"040-notes-\xe9.md"), section("Notes", "Text.\n")).unwrap();
    let run = fails_at(&site, "content/040-notes-\u{fffd}.md", "is not UTF-8 text");
    assert!(
        run.stderr
            .contains("the name of content/photo-\u{fffd}.png is not UTF-8 text"),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&site.out()).exists());
}
