//! The render cache kept between builds (.policyweb/render-cache): after
//! any edit, a rebuild that starts from it writes public/ and restricted/
//! byte for byte as a cold build of the edited site into a fresh folder
//! does; a cache that is damaged, cut short, another version's or gone is
//! not used; a failed build leaves it as it was; none of it is published.

mod common;

use std::path::Path;

use common::{Site, TODAY, snapshot};

const CACHE: &str = ".policyweb/render-cache";

/// `build --verbose` on `site` with `--today today`.
fn build_on(site: &Site, today: &str) -> common::Run {
    let run = site.run(&["build", "--verbose", "--today", today]);
    run.assert_success();
    run
}

/// Every file of public/ and restricted/ (and of each school's, in a
/// trust's, which are under the same two folders).
fn outputs(root: &Path) -> [std::collections::BTreeMap<String, Vec<u8>>; 2] {
    [
        snapshot(&root.join("public")),
        snapshot(&root.join("restricted")),
    ]
}

/// What a cold build of `site` as it is now writes: the site copied to a
/// fresh folder with no output and no cache, built with `today`.
fn cold(site: &Site, today: &str) -> [std::collections::BTreeMap<String, Vec<u8>>; 2] {
    let fresh = Site::copy_from(site.root());
    for leftover in [
        "public",
        "restricted",
        ".policyweb",
        ".public.spare",
        ".restricted.spare",
    ] {
        let _ = std::fs::remove_dir_all(fresh.path(leftover));
    }
    for school in ["school-a", "school-b", "school-c"] {
        let _ = std::fs::remove_dir_all(fresh.path(school).join(".policyweb"));
    }
    build_on(&fresh, today);
    outputs(fresh.root())
}

/// How many render jobs the build's `--verbose` says it reused.
fn reused(run: &common::Run) -> usize {
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("render jobs"))
        .unwrap_or_else(|| panic!("--verbose names the render jobs:\n{}", run.stderr));
    match line.trim().strip_prefix("reused ") {
        Some(rest) => rest.split(' ').next().unwrap().parse().unwrap(),
        None => 0,
    }
}

/// Builds `site`, makes `edit`, builds again (with `today` the second
/// time): the rebuild's output is the cold build's, file for file.
/// Returns how many jobs the rebuild reused.
fn rebuild_is_cold(site: &Site, edit: impl Fn(&Site), today: &str) -> usize {
    let first = build_on(site, TODAY);
    assert_eq!(reused(&first), 0, "{}", first.stderr);
    assert!(site.path(CACHE).is_file(), "the first build keeps a cache");
    edit(site);
    let rebuild = build_on(site, today);
    let [public, restricted] = outputs(site.root());
    let [cold_public, cold_restricted] = cold(site, today);
    assert_eq!(
        public.keys().collect::<Vec<_>>(),
        cold_public.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &public {
        assert!(
            cold_public[path] == *bytes,
            "public/{path} differs from a cold build's"
        );
    }
    assert_eq!(
        restricted.keys().collect::<Vec<_>>(),
        cold_restricted.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &restricted {
        assert!(
            cold_restricted[path] == *bytes,
            "restricted/{path} differs from a cold build's"
        );
    }
    reused(&rebuild)
}

/// Appends a paragraph to a section's text.
fn add_paragraph(site: &Site, file: &str) {
    let text = site.read(file);
    site.write(
        file,
        format!("{text}\nA sentence added since the last build.\n"),
    );
}

#[test]
fn a_section_edited_in_the_revision_in_force() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| add_paragraph(s, "versions/2024-25/content/010-introduction.md");
    // Every page links to the revision in force, so every job renders
    // again; the pages whose HTML is as it was are not finished again.
    rebuild_is_cold(&site, edit, TODAY);
    assert!(
        site.page("parents/introduction/index.html")
            .contains("A sentence added")
    );
}

#[test]
fn a_section_edited_in_an_earlier_frozen_revision() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| add_paragraph(s, "versions/2023-24/content/010-introduction.md");
    assert!(rebuild_is_cold(&site, edit, TODAY) > 0);
}

/// A view's list of changes tells every revision: what it said of a
/// comparison is kept between builds, and must not outlive an edit to
/// either revision compared.
#[test]
fn a_list_of_changes_tells_an_edit_to_an_older_revision() {
    let site = Site::copy_of("restricted");
    let list = "parents/changes/index.html";
    let edit = |s: &Site| {
        assert!(
            s.page(list)
                .contains("Introduction</a>: changed: 1 word added, 1 word removed"),
            "{}",
            s.page(list)
        );
        add_paragraph(s, "versions/2023-24/content/010-introduction.md");
    };
    rebuild_is_cold(&site, edit, TODAY);
    assert!(
        site.page(list)
            .contains("Introduction</a>: changed: 1 word added, 8 words removed"),
        "{}",
        site.page(list)
    );
    let feed = site.page("parents/feed.xml");
    assert!(feed.contains("8 words removed"), "{feed}");
}

#[test]
fn a_section_edited_in_the_draft() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| add_paragraph(s, "content/040-casework-log.md");
    assert!(rebuild_is_cold(&site, edit, TODAY) > 0);
}

#[test]
fn a_section_retitled() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        s.replace(
            "versions/2024-25/content/020-reporting.md",
            "title: Reporting a concern",
            "title: Reporting a worry",
        )
    };
    rebuild_is_cold(&site, edit, TODAY);
    assert!(
        site.page("parents/index.html")
            .contains("Reporting a worry")
    );
}

/// The comparisons' word similarities are kept between builds: a
/// section renamed in the draft (a new file and title, the same text) is
/// found by its text; rewritten whole after the first build, it is no
/// longer the old section renamed, and the rebuild says so as a cold
/// build does, never the first build's answer for the old text.
#[test]
fn a_renamed_section_rewritten() {
    let site = Site::copy_of("restricted");
    let text = site.read("content/040-casework-log.md").replace(
        "title: Quillfeather casework log",
        "title: Quillfeather referrals",
    );
    site.remove("content/040-casework-log.md");
    site.write("content/045-referrals.md", &text);
    let rewrite = |s: &Site| {
        let text = s.read("content/045-referrals.md");
        let (front, _) = text.rsplit_once("---\n").unwrap();
        s.write(
            "content/045-referrals.md",
            format!(
                "{front}---\nEach referral is logged by the deputy head on the day \
                 it is made, with the family told unless that would put the \
                 child at risk.\n"
            ),
        );
    };
    let renamed = "renamed from ‘Quillfeather casework log’";
    let before = site.run_here(&["diff", "2024-25", "2025-26"]);
    assert!(before.stdout.contains(renamed), "{}", before.stdout);
    rebuild_is_cold(&site, rewrite, TODAY);
    let after = site.run_here(&["diff", "2024-25", "2025-26"]);
    assert!(
        after
            .stdout
            .contains("Quillfeather referrals (referrals): added")
            && !after.stdout.contains(renamed),
        "{}",
        after.stdout
    );
}

#[test]
fn a_data_file_edited() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        s.replace(
            "data/people.yaml",
            "name: Priya Venn",
            "name: Priya Vennard",
        )
    };
    rebuild_is_cold(&site, edit, TODAY);
}

#[test]
fn versions_yaml_edited() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        s.replace(
            "data/versions.yaml",
            "minute: FGB 23/05",
            "minute: FGB 23/06",
        )
    };
    rebuild_is_cold(&site, edit, TODAY);
}

#[test]
fn a_theme_file_edited() {
    let site = Site::copy_of("restricted");
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    common::copy_tree(&themes, &site.path("themes"));
    let edit = |s: &Site| {
        let css = s.read("themes/default/static/site.css");
        s.write(
            "themes/default/static/site.css",
            format!("{css}\n.added-since {{ color: #000; }}\n"),
        );
        let base = s.read("themes/default/templates/section.html");
        s.write(
            "themes/default/templates/section.html",
            base.replacen(
                "{% endblock main %}",
                "<p>Added to the theme.</p>{% endblock main %}",
                1,
            ),
        );
    };
    rebuild_is_cold(&site, edit, TODAY);
    assert!(
        site.page("parents/introduction/index.html")
            .contains("Added to the theme.")
    );
}

#[test]
fn another_day() {
    let site = Site::copy_of("restricted");
    // A year on, every review is overdue.
    rebuild_is_cold(&site, |_| {}, "2025-11-20");
}

#[test]
fn an_image_replaced() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        let mut png = std::fs::read(s.path("content/quillfeather-plan.png")).unwrap();
        png.extend_from_slice(b"another image, the same picture");
        s.write("content/quillfeather-plan.png", png);
    };
    assert!(rebuild_is_cold(&site, edit, TODAY) > 0);
}

/// An image replaced by another of the same size, its modification time
/// kept (as `cp -p` or an unpacked archive leaves it): the page's copy is
/// the new picture, not the one kept from the last build.
#[test]
fn an_image_replaced_by_one_of_the_same_size_and_time() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        let file = s.path("content/quillfeather-plan.png");
        let before = std::fs::metadata(&file).unwrap().modified().unwrap();
        let mut png = std::fs::read(&file).unwrap();
        let last = png.len() - 1;
        png[last] ^= 0xff;
        s.write("content/quillfeather-plan.png", png);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(before)
            .unwrap();
    };
    rebuild_is_cold(&site, edit, TODAY);
}

/// Riverside's draft has adopted its template's working revision; a
/// section of the template edited is a section of the school edited.
#[test]
fn a_template_section_edited() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/template");
    let built = tempfile::tempdir().unwrap();
    common::copy_tree(&examples, built.path());
    let school = built.path().join("riverside");
    let first = policyweb(&school, &["build", "--verbose", "--today", TODAY]);
    assert_eq!(reused(&first), 0);
    let file = built
        .path()
        .join("anyshire-template/content/060-training.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nA sentence the template added.\n")).unwrap();
    let rebuild = policyweb(&school, &["build", "--verbose", "--today", TODAY]);
    assert!(reused(&rebuild) > 0, "{}", rebuild.stderr);
    // The edited template and school, copied without output or cache.
    let fresh = tempfile::tempdir().unwrap();
    common::copy_tree(built.path(), fresh.path());
    let cold_school = fresh.path().join("riverside");
    for leftover in [
        "public",
        "restricted",
        ".policyweb",
        ".public.spare",
        ".restricted.spare",
    ] {
        let _ = std::fs::remove_dir_all(cold_school.join(leftover));
    }
    policyweb(&cold_school, &["build", "--today", TODAY]);
    let shown = snapshot(&school.join("public")).values().any(|page| {
        page.windows(30)
            .any(|w| w == b"A sentence the template added.")
    });
    assert!(shown, "the draft shows the template's edit");
    assert!(
        outputs(&school) == outputs(&cold_school),
        "the rebuild is the cold build"
    );
}

/// `policyweb ARGS --root ROOT`, which must succeed.
fn policyweb(root: &Path, args: &[&str]) -> common::Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("policyweb runs");
    let run = common::Run {
        code: output.status.code().expect("policyweb exits"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    run.assert_success();
    run
}

#[test]
fn a_trust_keeps_one_cache_per_school() {
    let site = Site::copy_of("trust");
    let edit = |s: &Site| add_paragraph(s, "school-b/content/010-introduction.md");
    rebuild_is_cold_trust(&site, edit);
    for school in ["school-a", "school-b", "school-c"] {
        assert!(
            site.path(school).join(CACHE).is_file(),
            "{school} has its own"
        );
    }
}

fn rebuild_is_cold_trust(site: &Site, edit: impl Fn(&Site)) {
    site.run(&["build", "--today", TODAY]).assert_success();
    edit(site);
    site.run(&["build", "--today", TODAY]).assert_success();
    let fresh = Site::copy_from(site.root());
    for leftover in ["public", "restricted"] {
        let _ = std::fs::remove_dir_all(fresh.path(leftover));
    }
    for school in ["school-a", "school-b", "school-c"] {
        let _ = std::fs::remove_dir_all(fresh.path(school).join(".policyweb"));
    }
    fresh.run(&["build", "--today", TODAY]).assert_success();
    assert!(
        outputs(site.root()) == outputs(fresh.root()),
        "the rebuild is the cold build"
    );
}

#[test]
fn a_damaged_cache_is_not_used() {
    let site = Site::copy_of("restricted");
    // A byte of a stored page's tags changed: used, the link check
    // would read the page wrong.
    let edit = |s: &Site| {
        let mut bytes = std::fs::read(s.path(CACHE)).unwrap();
        let at = bytes
            .windows(4)
            .rposition(|w| w == b"href")
            .expect("the cache holds the pages' tags");
        bytes[at + 1] = b'x';
        std::fs::write(s.path(CACHE), bytes).unwrap();
    };
    assert_eq!(rebuild_is_cold(&site, edit, TODAY), 0);
}

#[test]
fn a_cache_cut_short_is_not_used() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        let bytes = std::fs::read(s.path(CACHE)).unwrap();
        std::fs::write(s.path(CACHE), &bytes[..bytes.len() / 2]).unwrap();
    };
    assert_eq!(rebuild_is_cold(&site, edit, TODAY), 0);
}

#[test]
fn another_versions_cache_is_not_used() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        let bytes = std::fs::read(s.path(CACHE)).unwrap();
        let at = bytes
            .windows(11)
            .position(|w| w == b"\"version\":\"")
            .expect("the cache names the version that wrote it");
        let mut faked = bytes[..at + 11].to_vec();
        faked.extend_from_slice(b"0.0.1-other ");
        faked.extend_from_slice(&bytes[at + 11..]);
        std::fs::write(s.path(CACHE), faked).unwrap();
        add_paragraph(s, "content/040-casework-log.md");
    };
    assert_eq!(rebuild_is_cold(&site, edit, TODAY), 0);
    let again = build_on(&site, TODAY);
    assert!(
        again.stderr.contains("reused"),
        "the rebuild wrote this version's cache:\n{}",
        again.stderr
    );
}

#[test]
fn another_versions_cache_is_said_to_be_so() {
    let site = Site::copy_of("restricted");
    build_on(&site, TODAY);
    let text = std::fs::read(site.path(CACHE)).unwrap();
    let text = String::from_utf8_lossy(&text).replacen("\"version\":\"", "\"version\":\"9", 1);
    std::fs::write(site.path(CACHE), text.as_bytes()).unwrap();
    let run = build_on(&site, TODAY);
    assert!(
        run.stderr
            .contains("the render cache was not used, as another version of policyweb wrote it"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_deleted_cache_renders_everything() {
    let site = Site::copy_of("restricted");
    let edit = |s: &Site| {
        s.remove(CACHE);
        add_paragraph(s, "content/040-casework-log.md");
    };
    assert_eq!(rebuild_is_cold(&site, edit, TODAY), 0);
}

#[test]
fn an_unchanged_site_reuses_every_job_and_a_failed_build_keeps_the_cache() {
    let site = Site::copy_of("restricted");
    build_on(&site, TODAY);
    let kept = std::fs::read(site.path(CACHE)).unwrap();
    let again = build_on(&site, TODAY);
    let line = again
        .stderr
        .lines()
        .find(|l| l.contains("render jobs"))
        .unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "reused");
    assert_eq!(words[1], words[3], "every job reused: {line}");
    // A failed build changes nothing of it.
    add_paragraph(&site, "content/040-casework-log.md");
    site.replace(
        "data/people.yaml",
        "roles: [headteacher]",
        "roles: [no-such-role]",
    );
    let failed = site.run(&["build", "--today", TODAY]);
    assert_ne!(failed.code, 0);
    assert_eq!(std::fs::read(site.path(CACHE)).unwrap(), kept);
    let leftovers: Vec<_> = std::fs::read_dir(site.path(".policyweb"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("render-cache")]);
}

#[test]
fn nothing_of_the_cache_is_published() {
    let site = Site::copy_of("restricted");
    build_on(&site, TODAY);
    add_paragraph(&site, "content/040-casework-log.md");
    build_on(&site, TODAY);
    for folder in ["public", "restricted"] {
        for (path, bytes) in snapshot(&site.path(folder)) {
            assert!(!path.contains("render-cache"), "{folder}/{path}");
            assert!(
                !bytes.windows(22).any(|w| w == b"policyweb render cache"),
                "{folder}/{path} holds the cache"
            );
        }
    }
    // An output folder where the cache would go: the cache is not kept.
    let into = Site::copy_of("restricted");
    let out = into.path(".policyweb");
    for _ in 0..2 {
        policyweb(
            into.root(),
            &["build", "--today", TODAY, "--out", &out.to_string_lossy()],
        );
        assert!(out.join("index.html").is_file());
        assert!(
            !out.join("render-cache").exists(),
            "the cache is not in the output"
        );
    }
}

/// Builds `site` (after `prepare`), makes `edit`, which breaks a link on
/// a page whose HTML it leaves as it was, and builds again: the link
/// check's verdict on that page, kept between builds, must give way, and
/// the rebuild fail as a cold build of the edited site does.
fn a_kept_verdict_gives_way(prepare: impl Fn(&Site), edit: impl Fn(&Site), broken: &str) {
    let site = Site::copy_of("minimal");
    prepare(&site);
    build_on(&site, TODAY);
    let before = site.snapshot();
    edit(&site);
    let rebuild = site.run(&["build", "--today", TODAY]);
    assert_eq!(rebuild.code, 1, "{}", rebuild.stderr);
    assert!(rebuild.stderr.contains(broken), "{}", rebuild.stderr);
    assert_eq!(site.snapshot(), before, "public/ changed");
}

#[test]
fn a_kept_verdict_gives_way_to_a_renamed_heading() {
    // Only the parents' introduction links to a heading of the staff's
    // page on checking devices, a section parents do not see: no page of
    // theirs changes when that heading's id does.
    a_kept_verdict_gives_way(
        |s| {
            link_from_the_parents_introduction(s, "../../staff/checking-devices/#who-is-present");
            let text = s.read(DEVICES);
            s.write(
                DEVICES,
                format!("{text}\n## Who is present {{#who-is-present}}\n\nTwo senior staff.\n"),
            );
        },
        |s| s.replace(DEVICES, "{#who-is-present}", "{#who-attends}"),
        "the link `../../staff/checking-devices/#who-is-present` is broken (there is no heading `#who-is-present` there; its headings' ids are `#who-attends`)",
    );
}

const DEVICES: &str = "content/030-procedures/010-checking-devices.md";

/// A link in raw HTML in a block of the introduction only parents see.
fn link_from_the_parents_introduction(site: &Site, href: &str) {
    let text = site.read("content/010-introduction.md");
    site.write(
        "content/010-introduction.md",
        format!("{text}\n::: parents\nSee <a href=\"{href}\">the checks staff make</a>.\n:::\n"),
    );
}

#[test]
fn a_kept_verdict_gives_way_to_a_page_gone() {
    // Only the parents' introduction links to the staff's page on
    // checking devices, and it is as it was when staff no longer see
    // that section (nor do parents, before or after).
    a_kept_verdict_gives_way(
        |s| link_from_the_parents_introduction(s, "../../staff/checking-devices/"),
        |s| {
            s.replace(
                DEVICES,
                "summary: How a device is checked when misuse is suspected.\n",
                "summary: How a device is checked when misuse is suspected.\naudiences: [governors]\n",
            )
        },
        "the link `../../staff/checking-devices/` is broken (leads to staff/checking-devices/, which the build does not write)",
    );
}

/// The cache holds no page's bytes: a reused job's pages are linked from
/// the output being replaced, once each is found there as the build wrote
/// it. One changed or gone there has its job rendered again.
fn a_page_of_the_output_altered(alter: impl Fn(&std::path::Path)) {
    let site = Site::copy_of("restricted");
    let page = "parents/introduction/index.html";
    let edit = |s: &Site| alter(&s.path("public").join(page));
    let all = {
        let probe = Site::copy_of("restricted");
        build_on(&probe, TODAY);
        let again = build_on(&probe, TODAY);
        reused(&again)
    };
    let reused = rebuild_is_cold(&site, edit, TODAY);
    assert!(reused < all, "the job of {page} is rendered again");
    assert!(reused > 0, "the other jobs are reused");
}

#[test]
fn a_page_edited_by_hand_in_the_output_is_written_again() {
    // The same length, a letter changed: its hash, not its size, tells.
    a_page_of_the_output_altered(|page| {
        let mut bytes = std::fs::read(page).unwrap();
        let at = bytes.windows(6).position(|w| w == b"<body>").unwrap();
        bytes[at + 1] = b'B';
        std::fs::write(page, bytes).unwrap();
    });
}

#[test]
fn a_page_deleted_from_the_output_is_written_again() {
    a_page_of_the_output_altered(|page| std::fs::remove_file(page).unwrap());
}

#[test]
fn a_page_made_a_link_in_the_output_is_written_again() {
    // A symbolic link to a copy of the very page is not the page.
    a_page_of_the_output_altered(|page| {
        // Beside the site's folders, so that it outlives the output.
        let copy = page.ancestors().nth(4).unwrap().join("copy.html");
        std::fs::rename(page, &copy).unwrap();
        std::os::unix::fs::symlink(&copy, page).unwrap();
    });
}

#[test]
fn the_cache_holds_no_page() {
    let site = Site::copy_of("restricted");
    build_on(&site, TODAY);
    let cache = std::fs::read(site.path(CACHE)).unwrap();
    let page = site.page("parents/introduction/index.html");
    let tail = &page.as_bytes()[page.len() - 200..];
    assert!(
        !cache.windows(tail.len()).any(|w| w == tail),
        "the cache holds a page's bytes"
    );
}

/// A rebuild that fails on an error in an older revision's data, before
/// anything is rendered, still lists the warnings of the revision in
/// force, whose reading it kept from the build before rather than reading
/// its Markdown again: the same problems, in the same order, as a cold
/// build of the edited site.
#[test]
fn a_failed_rebuild_lists_the_problems_a_cold_build_lists() {
    let site = Site::copy_of("history");
    site.replace(
        "content/020-raising-a-concern.md",
        "## Who is told",
        "## Who is told {.big}",
    );
    let first = build_on(&site, TODAY);
    assert!(
        first.stderr.contains("`.big` on this heading"),
        "{}",
        first.stderr
    );
    site.replace(
        "versions/2024-25/data/people.yaml",
        "roles: [dsl, online-safety-group]",
        "roles: [dsl, no-such-role]",
    );
    let rebuild = site.run(&["build", "--today", TODAY]);
    assert_eq!(rebuild.code, 1, "{}", rebuild.stderr);
    assert!(
        rebuild.stderr.contains("no-such-role"),
        "the older revision's error: {}",
        rebuild.stderr
    );
    let cold = Site::copy_from(site.root());
    let _ = std::fs::remove_dir_all(cold.path(".policyweb"));
    let _ = std::fs::remove_dir_all(cold.path("public"));
    let cold_run = cold.run(&["build", "--today", TODAY]);
    assert_eq!(
        rebuild
            .stderr
            .replace(&*site.root().to_string_lossy(), "ROOT"),
        cold_run
            .stderr
            .replace(&*cold.root().to_string_lossy(), "ROOT")
    );
    assert!(
        rebuild.stderr.contains("`.big` on this heading"),
        "the kept warning of the revision in force: {}",
        rebuild.stderr
    );
}

/// From the third build on, the output is brought up to date in the
/// spare, its unchanged files linked from the live output: a page edited
/// by hand there is not linked, but written again.
#[test]
fn a_page_edited_by_hand_is_written_again_from_the_spare_too() {
    let site = Site::copy_of("restricted");
    let page = "parents/introduction/index.html";
    build_on(&site, TODAY);
    build_on(&site, TODAY);
    assert!(
        site.path(".public.spare").is_dir(),
        "the second build keeps a spare"
    );
    let written = site.path("public").join(page);
    let mut bytes = std::fs::read(&written).unwrap();
    let at = bytes.windows(6).position(|w| w == b"<body>").unwrap();
    bytes[at + 1] = b'B';
    std::fs::write(&written, bytes).unwrap();
    let rebuild = build_on(&site, TODAY);
    assert!(reused(&rebuild) > 0, "{}", rebuild.stderr);
    let [public, restricted] = outputs(site.root());
    let [cold_public, cold_restricted] = cold(&site, TODAY);
    assert!(
        public[page] == cold_public[page],
        "{page} is the build's again"
    );
    assert!(public == cold_public, "public/ is the cold build's");
    assert!(
        restricted == cold_restricted,
        "restricted/ is the cold build's"
    );
}
