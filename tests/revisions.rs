//! Revisions: what changed between two revisions (the exact account for
//! known edits, in the terminal, as JSON and on the governors' pages), the
//! draft kept from parents and staff, `release`, and revisions read from a
//! git tag.
//!
//! The `history` fixture is the minimal site with two revisions: 2024-25
//! approved and frozen under versions/2024-25/, and a 2025-26 draft in
//! content/ and data/ that changes a word, removes a list item, renames a
//! section (new file name and title) and inserts a paragraph and changes a
//! table row in it, moves a section to the top level, passes the DSL role
//! to another person and moves two dates.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, visible_text};

const EXPECTED_ACCOUNT: &str = "\
What changed from 2024-25 to 2025-26
Sections: 0 added, 0 removed, 2 changed, 1 moved, 1 renamed, 2 unchanged. 17 words added, 6 words removed.

People, dates, organisations and curriculum
  - The next review of the policy moved from September 2024 to September 2025.
  - Asha Patel no longer holds Designated Safeguarding Lead; Ben Okafor does.
  - Policy created moved from January 2024 to January 2025.

Sections

  Introduction (introduction): changed: 4 words added, 6 words removed
    paragraph: This policy applies to everyone at Hillside Primary School. It was [-created-]{+written+} in January [-2024-]{+2025+} and is next reviewed in September [-2024.-]{+2025.+}
    list item: [-remote learning-]
    paragraph: See [-Reporting-]{+Raising+} a concern to raise a concern.

  Raising a concern (raising-a-concern): changed: 13 words added, 0 words removed; renamed from ‘Reporting a concern’
    paragraph: {+You can also report a worry anonymously through the school office.+}
    table row: Accidental access | Yes{+ | Yes+}

  Checking devices (checking-devices): moved from ‘Procedures’ to the top level
";

/// Text only the 2025-26 draft has.
const DRAFT_ONLY: &str = "anonymously through the school office";

#[test]
fn the_account_of_known_edits_is_exact() {
    let site = Site::copy_of("history");
    let run = site.run_here(&["diff", "2024-25", "2025-26"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, EXPECTED_ACCOUNT);
}

#[test]
fn json_gives_the_same_account_for_tools() {
    let site = Site::copy_of("history");
    let run = site.run_here(&["diff", "2024-25", "2025-26", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["summary"]["changed"], 2);
    assert_eq!(json["summary"]["moved"], 1);
    assert_eq!(json["summary"]["renamed"], 1);
    assert_eq!(json["summary"]["words_added"], 17);
    assert_eq!(json["summary"]["words_removed"], 6);
    let renamed = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["new"]["id"] == "raising-a-concern")
        .expect("the renamed section is matched");
    assert_eq!(renamed["old"]["id"], "reporting");
    assert_eq!(renamed["status"], "changed");
    assert_eq!(
        json["data"][1],
        "Asha Patel no longer holds Designated Safeguarding Lead; Ben Okafor does."
    );
}

#[test]
fn diff_is_plain_when_piped_and_names_unknown_revisions() {
    let site = Site::copy_of("history");
    // NO_COLOR is unset here: output to a pipe is still plain.
    let output = Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(["diff", "2024-25", "2025-26", "--root"])
        .arg(site.root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\x1b'), "colour codes in piped output");
    assert!(stdout.contains("{+written+}"));

    let run = site.run_here(&["diff", "2024-25", "2030-31"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("there is no revision `2030-31`; data/versions.yaml lists 2024-25, 2025-26"),
        "{}",
        run.stderr
    );
}

#[test]
fn parents_and_staff_never_see_the_draft() {
    let site = Site::copy_of("history");
    site.build().assert_success();
    let pages = site.snapshot();
    let mut draft_pages = 0;
    for (path, bytes) in &pages {
        let html = String::from_utf8_lossy(bytes);
        let governors =
            path.starts_with("governors/") || path.starts_with("versions/2025-26/governors/");
        if !governors {
            assert!(!html.contains(DRAFT_ONLY), "{path} shows draft text");
            assert!(
                !html.contains("Raising a concern"),
                "{path} shows a draft title"
            );
            assert!(
                !path.starts_with("versions/2025-26/"),
                "{path}: the draft outside governors"
            );
        }
        if path.starts_with("versions/2025-26/") && path.ends_with(".html") {
            draft_pages += 1;
            assert!(
                html.contains("<strong>DRAFT</strong>"),
                "{path} is not marked DRAFT"
            );
            assert!(
                html.contains("<meta name=\"robots\" content=\"noindex\">"),
                "{path}"
            );
        }
    }
    assert!(draft_pages >= 6, "only {draft_pages} draft pages");
    // Parents read the approved text, with its own DSL.
    let parents = visible_text(&site.page("parents/introduction/index.html"));
    assert!(parents.contains("remote learning"), "{parents}");
    assert!(parents.contains("Asha Patel"), "{parents}");
    assert!(!parents.contains("DRAFT"));
    // The governors' contents page points at the draft and what it changes.
    let governors = site.page("governors/index.html");
    assert!(governors.contains("Draft revision 2025-26 is awaiting approval"));
    assert!(governors.contains("href=\"../versions/2025-26/governors/\""));
    assert!(governors.contains("href=\"../governors/changes/2024-25...2025-26/\""));
}

#[test]
fn the_change_pages_mark_each_change_for_every_reader() {
    let site = Site::copy_of("history");
    site.build().assert_success();
    let page = site.page("governors/changes/2024-25...2025-26/index.html");
    assert!(page.contains(
        "It was <del><span class=\"visually-hidden\">removed: </span>created</del><ins><span class=\"visually-hidden\">added: </span>written</ins> in"
    ));
    let text = visible_text(&page);
    for expected in [
        "2 sections changed",
        "1 section moved",
        "Asha Patel no longer holds Designated Safeguarding Lead; Ben Okafor does.",
        "Policy created moved from January 2024 to January 2025.",
        "renamed from ‘Reporting a concern’",
        "moved from ‘Procedures’ to the top level",
        "added paragraph: You can also report a worry anonymously",
        "removed list item: remote learning",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    // Each changed section links to itself in both revisions.
    assert!(page.contains("href=\"../../../governors/reporting/\""));
    assert!(page.contains("href=\"../../../versions/2025-26/governors/raising-a-concern/\""));
    let side = site.page("governors/changes/2024-25...2025-26/side-by-side/index.html");
    assert!(side.contains("<th scope=\"col\">2024-25</th><th scope=\"col\">2025-26</th>"));
    let timeline = visible_text(&site.page("governors/revisions/index.html"));
    assert!(timeline.contains("Revision 2025-26 draft"), "{timeline}");
    assert!(
        timeline.contains("Approved by the Full Governing Body on 13 March 2024"),
        "{timeline}"
    );
}

#[test]
fn release_approves_the_draft_keeps_the_file_and_freezes_the_text() {
    let site = Site::copy_of("history");
    let run = site.run_here(&[
        "release",
        "2025-26",
        "--approved",
        "2025-07-09",
        "--by",
        "the Full Governing Body",
        "--minute",
        "FGB 25/06: item 4",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let versions = site.read("data/versions.yaml");
    assert!(
        versions.starts_with("# A history of two revisions"),
        "{versions}"
    );
    assert!(
        versions.ends_with(
            "- id: 2025-26\n  status: approved\n  approved: 2025-07-09\n  approved_by: the Full Governing Body\n  minute: \"FGB 25/06: item 4\"\n  next_review: 2025-09\n  source: versions/2025-26\n"
        ),
        "{versions}"
    );
    assert_eq!(
        site.read("versions/2025-26/content/020-raising-a-concern.md"),
        site.read("content/020-raising-a-concern.md")
    );
    assert!(!site.path("versions/2025-26/data/versions.yaml").exists());
    assert!(!site.path("versions/2025-26/data/site.yaml").exists());

    // Parents now read 2025-26; 2024-25 is browsable and says it is not
    // the current policy, linking to the page that replaced it. Until a
    // new draft reads content/ again, the build says edits there go nowhere.
    let built = site.build();
    built.assert_success();
    assert!(
        built.stderr.contains(
            "no revision reads content/ and data/, so changes there are published nowhere"
        ) && built.stderr.contains("data/versions.yaml:"),
        "{}",
        built.stderr
    );
    assert!(visible_text(&site.page("parents/raising-a-concern/index.html")).contains(DRAFT_ONLY));
    let old = site.page("versions/2024-25/parents/introduction/index.html");
    assert!(visible_text(&old).contains("This is not the current policy."));
    assert!(
        old.contains("<a href=\"../../../../parents/introduction/\">Read the current policy</a>")
    );
    let old_section = site.page("versions/2024-25/staff/checking-devices/index.html");
    assert!(
        old_section
            .contains("href=\"../../../../staff/checking-devices/\">Read the current policy")
    );

    // Never twice.
    let before = site.files();
    let again = site.run_here(&[
        "release",
        "2025-26",
        "--approved",
        "2025-07-10",
        "--by",
        "x",
    ]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("revision 2025-26 is already approved"),
        "{}",
        again.stderr
    );
    assert_eq!(site.files(), before, "a refused release changed files");

    // The next draft reads the working tree, and the warning goes.
    let mut versions = site.read("data/versions.yaml");
    versions
        .push_str("- id: 2026-27\n  status: draft\n  next_review: 2026-09\n  source: working\n");
    site.write("data/versions.yaml", versions);
    let built = site.build();
    built.assert_success();
    assert!(
        !built.stderr.contains("no revision reads"),
        "{}",
        built.stderr
    );
}

#[test]
fn release_refuses_while_the_site_has_errors() {
    let site = Site::copy_of("history");
    site.replace(
        "content/010-introduction.md",
        "[[role:dsl]]",
        "[[role:dls]]",
    );
    let before = site.files();
    let run = site.run_here(&[
        "release",
        "2025-26",
        "--approved",
        "2025-07-09",
        "--by",
        "FGB",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown role `dls`"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("release refused: the site has 1 error to fix first"),
        "{}",
        run.stderr
    );
    assert_eq!(site.files(), before, "a refused release changed files");
}

#[test]
fn a_new_revision_is_appended_with_its_next_review() {
    let site = Site::copy_of("history");
    // The working tree is draft 2025-26: it cannot be released as another id.
    let run = site.run_here(&[
        "release",
        "2026-27",
        "--approved",
        "2026-07-08",
        "--by",
        "FGB",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("revision 2025-26 already reads the working tree"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("run `policyweb release 2025-26 …`"),
        "{}",
        run.stderr
    );

    let run = site.run_here(&[
        "release",
        "2025-26",
        "--approved",
        "2025-07-09",
        "--by",
        "FGB",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No entry reads the working tree now: a new revision is appended, and
    // it must say when it is next reviewed.
    let run = site.run_here(&[
        "release",
        "2026-27",
        "--approved",
        "2026-07-08",
        "--by",
        "FGB",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("add --next-review"), "{}", run.stderr);
    let run = site.run_here(&[
        "release",
        "2026-27",
        "--approved",
        "2026-07-08",
        "--by",
        "FGB",
        "--next-review",
        "2027-09",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("data/versions.yaml").ends_with(
        "  source: versions/2025-26\n- id: 2026-27\n  status: approved\n  approved: 2026-07-08\n  approved_by: FGB\n  next_review: 2027-09\n  source: versions/2026-27\n"
    ));
    site.build().assert_success();
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A repository whose tag `policy-2024-25` holds the approved text, and
/// whose working tree is the 2025-26 draft reading 2024-25 from the tag.
fn repository_with_a_tag() -> Site {
    let site = Site::copy_of("history");
    let root = site.root();
    // Commit 2024-25 as the site stood then.
    let frozen = root.join("versions/2024-25");
    let draft = tempfile::tempdir().unwrap();
    for folder in ["content", "data"] {
        std::fs::rename(root.join(folder), draft.path().join(folder)).unwrap();
        std::fs::rename(frozen.join(folder), root.join(folder)).unwrap();
    }
    std::fs::remove_dir_all(root.join("versions")).unwrap();
    for file in ["site.yaml", "versions.yaml"] {
        std::fs::copy(
            draft.path().join("data").join(file),
            root.join("data").join(file),
        )
        .unwrap();
    }
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Approved 2024-25"]);
    git(root, &["tag", "policy-2024-25"]);
    // Then the draft, with 2024-25 read from the tag.
    for folder in ["content", "data"] {
        std::fs::remove_dir_all(root.join(folder)).unwrap();
        std::fs::rename(draft.path().join(folder), root.join(folder)).unwrap();
    }
    site.replace(
        "data/versions.yaml",
        "source: versions/2024-25",
        "source: git:policy-2024-25",
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Draft 2025-26"]);
    site
}

#[test]
fn an_earlier_revision_is_read_from_a_git_tag() {
    let site = repository_with_a_tag();
    assert!(!site.path("versions").exists());
    site.build().assert_success();
    let parents = visible_text(&site.page("parents/introduction/index.html"));
    assert!(
        parents.contains("remote learning"),
        "the tag's text: {parents}"
    );
    let run = site.run_here(&["diff", "2024-25", "2025-26"]);
    assert_eq!(run.stdout, EXPECTED_ACCOUNT);

    // A problem inside the tagged text is placed as `ref:path`.
    site.replace(
        "data/versions.yaml",
        "git:policy-2024-25",
        "git:nonexistent-tag",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("there is no git ref `nonexistent-tag`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("data/versions.yaml:"), "{}", run.stderr);
}

#[test]
fn a_shallow_clone_says_how_to_fetch_the_history() {
    let origin = repository_with_a_tag();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.root().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", "--no-tags", &url, "site"],
    );
    let site = Site::copy_from(&clone.path().join("site"));
    // copy_from copies .git too, so the copy is the shallow clone itself.
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the git ref `policy-2024-25` is not in this clone, which is shallow"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("git fetch --unshallow --tags"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}
