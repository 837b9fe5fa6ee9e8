//! Hostile input to the features that landed last (glossary.yaml,
//! `paper_copy`, trust.yaml): each is an error naming the file, line and
//! column, never a panic, and public/ is left as it was.

mod common;

use common::{Site, TODAY};

/// Builds `site` once, breaks it with `edit`, and builds again: exit 1,
/// every message in `expected` printed, and public/ byte-identical.
fn refused(site: &Site, edit: impl FnOnce(&Site), expected: &[&str]) -> String {
    site.build().assert_success();
    let before = site.snapshot();
    edit(site);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for text in expected {
        assert!(
            run.stderr.contains(text),
            "`{text}` not in:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        site.snapshot(),
        before,
        "public/ changed after a failed build"
    );
    run.stderr
}

#[test]
fn bidirectional_overrides_and_c1_controls_in_names_are_errors_where_they_are() {
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.write(
                "data/glossary.yaml",
                "- id: dsl\n  term: \"DSL\u{202E} evil\"\n  stands_for: \"Designated\u{2066} Lead\"\n",
            );
        },
        &[
            "an invisible control character (U+202E)",
            "--> data/glossary.yaml:2:13",
            "there are more at 3:26",
        ],
    );
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.replace(
                "data/site.yaml",
                "name: Hillside Primary School",
                "name: \"Hillside\u{85} Primary School\"",
            )
        },
        &["(U+0085)", "--> data/site.yaml:2:18"],
    );
    // Or as an escape in a double-quoted YAML string.
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.replace(
                "data/site.yaml",
                "name: Hillside Primary School",
                "name: \"Hillside\\u202E Primary School\"",
            )
        },
        &[
            "(U+202E)",
            "--> data/site.yaml:2:18",
            "`\\u202E` is that character",
        ],
    );
    // A section's title, in its front matter.
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.replace(
                "content/010-introduction.md",
                "title: Introduction",
                "title: Intro\u{202D}duction",
            )
        },
        &["(U+202D)", "--> content/010-introduction.md:2:13"],
    );
    // The marks right-to-left text needs are kept.
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "name: Hillside Primary School",
        "name: \"Hillside Primary School \u{200F}مدرسة\u{200E}\"",
    );
    site.build().assert_success();
}

#[test]
fn bidirectional_overrides_and_c1_controls_in_a_section_body_are_errors_where_they_are() {
    // The body is text a reader sees: U+202E there would show the words
    // after it reversed, in every view. Each file's first is an error at
    // its line and column, with the others in the same file listed.
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.replace(
                "content/010-introduction.md",
                "It was created in",
                "It was \u{202E}created in",
            );
            site.replace(
                "content/010-introduction.md",
                "leads on safeguarding",
                "leads\u{2067} on\u{9B} safeguarding",
            );
            site.replace(
                "content/020-reporting.md",
                "Tell any member of staff",
                "Tell\u{202B} any member of staff",
            );
        },
        &[
            "an invisible control character (U+202E)",
            "--> content/010-introduction.md:5:55",
            "there are more at 8:23, 8:27",
            "(U+202B)",
            "--> content/020-reporting.md:8:5",
        ],
    );
    // Written as a character reference, in text or in raw HTML, it is the
    // same character in the page.
    let site = Site::copy_of("minimal");
    refused(
        &site,
        |site| {
            site.replace(
                "content/010-introduction.md",
                "It was created in",
                "It was &#x202E;created in",
            );
            site.replace(
                "content/010-introduction.md",
                "leads on safeguarding",
                "leads <span>&#8295</span> on safeguarding",
            );
        },
        &[
            "(U+202E)",
            "--> content/010-introduction.md:5:55",
            "`&#x202E;` is that character",
            "there are more at 8:30",
        ],
    );
    // The marks right-to-left text needs are kept in a body too.
    let site = Site::copy_of("minimal");
    site.replace(
        "content/010-introduction.md",
        "It was created in",
        "It was created (\u{200F}مدرسة\u{200E}) in",
    );
    site.build().assert_success();
}

#[test]
fn a_paper_copy_email_that_would_add_to_its_mailto_address_is_an_error() {
    for email in [
        "office@hillside.example?subject=x",
        "office@hillside.example?cc=all@hillside.example",
        "<office>@hillside.example",
        "office@hillside.example>",
        "office@-hillside.example",
        "\"office\"@hillside.example",
    ] {
        let site = Site::copy_of("minimal");
        let block = format!("paper_copy:\n  contact:\n    email: '{email}'\n");
        refused(
            &site,
            |site| {
                let text = site.read("data/site.yaml");
                site.write("data/site.yaml", format!("{text}{block}"));
            },
            &["is not an email address", "--> data/site.yaml:"],
        );
    }
}

fn trust() -> Site {
    Site::copy_of("trust")
}

/// Builds the trust, then with trust.yaml edited: exit 1, each message
/// printed, nothing in public/ or restricted/ changed.
fn trust_refused(site: &Site, edit: impl FnOnce(&Site), expected: &[&str]) {
    site.build().assert_success();
    let public = common::snapshot(&site.path("public"));
    let restricted = common::snapshot(&site.path("restricted"));
    edit(site);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for text in expected {
        assert!(
            run.stderr.contains(text),
            "`{text}` not in:\n{}",
            run.stderr
        );
    }
    assert_eq!(common::snapshot(&site.path("public")), public);
    assert_eq!(common::snapshot(&site.path("restricted")), restricted);
    let status = site.run_here(&["status", "--today", TODAY]);
    assert_eq!(status.code, 1, "{}", status.stderr);
}

#[test]
fn a_school_outside_the_trusts_folder_is_an_error_at_its_path() {
    // Beside the trust's folder, through `..`.
    let site = trust();
    let outside = site.root().parent().unwrap().join("elsewhere");
    common::copy_tree(&site.path("school-c"), &outside);
    trust_refused(
        &site,
        |site| site.replace("trust.yaml", "path: school-c", "path: ../elsewhere"),
        &[
            "the folder of the school `school-c` (../elsewhere) leads outside the trust's folder",
            "--> trust.yaml:11:11",
        ],
    );
    std::fs::remove_dir_all(&outside).unwrap();

    // Through a link out of it.
    let site = trust();
    let outside = tempfile::tempdir().unwrap();
    common::copy_tree(&site.path("school-c"), outside.path());
    trust_refused(
        &site,
        |site| {
            std::fs::remove_dir_all(site.path("school-c")).unwrap();
            std::os::unix::fs::symlink(outside.path(), site.path("school-c")).unwrap();
        },
        &[
            "the folder of the school `school-c` (school-c) leads outside the trust's folder",
            "--> trust.yaml:11:11",
        ],
    );
}

#[test]
fn a_school_that_is_the_trusts_folder_or_its_output_is_an_error() {
    let site = trust();
    trust_refused(
        &site,
        |site| site.replace("trust.yaml", "path: school-c", "path: school-c/.."),
        &[
            "the folder of the school `school-c` (school-c/..) is the trust's own folder",
            "--> trust.yaml:11:11",
        ],
    );
    let site = trust();
    trust_refused(
        &site,
        |site| {
            std::fs::remove_dir_all(site.path("school-c")).unwrap();
            std::os::unix::fs::symlink(site.path("public"), site.path("school-c")).unwrap();
        },
        &[
            "is inside the trust's output, public/",
            "--> trust.yaml:11:11",
        ],
    );
}
