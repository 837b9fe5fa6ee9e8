//! Whole-site behaviour: the example policy builds cleanly, each view shows
//! what it should and nothing it should not, names typed once change
//! everywhere, restricted and draft text never reaches public pages, and
//! nothing a YAML or Markdown author writes can run in a reader's browser.

mod common;

use common::{Site, snapshot, visible_text};

fn public_pages(site: &Site, prefix: &str) -> Vec<(String, String)> {
    snapshot(&site.out())
        .into_iter()
        .filter(|(path, _)| path.starts_with(prefix) && path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn the_example_policy_builds_without_warnings() {
    let site = Site::example();
    let run = site.build();
    run.assert_success();
    assert!(!run.stderr.contains('⚠'), "warnings:\n{}", run.stderr);
    assert!(run.stderr.contains("Built "), "{}", run.stderr);
    let verbose = site.run(&["build", "--today", common::TODAY, "--verbose"]);
    assert!(verbose.stderr.contains("  parents: "), "{}", verbose.stderr);
    let quiet = site.run(&["build", "--today", common::TODAY, "--quiet"]);
    assert_eq!(quiet.stderr, "", "--quiet prints nothing on success");
    let landing = visible_text(&site.page("index.html"));
    for expected in [
        "Westgate Primary School",
        "Online Safety Policy",
        "2024-25",
        "Approved by the Westgate Primary Governing Body on 13 March 2024",
        "September 2024",
        "Parents and carers",
        "Staff",
        "Governors",
    ] {
        assert!(
            landing.contains(expected),
            "landing page lacks {expected:?}: {landing}"
        );
    }
    // Every name in data/people.yaml is on the staff who's who.
    let people = visible_text(&site.page("staff/people/index.html"));
    for name in [
        "Tom Clarke",
        "Vicky Hodgson",
        "Simon Tait",
        "Natalie Hay",
        "Emma Townley",
        "John Bodley",
    ] {
        assert!(people.contains(name), "who's who lacks {name}");
    }
}

#[test]
fn the_example_keeps_staff_procedures_from_parents() {
    let site = Site::example();
    site.build().assert_success();
    let staff_only = "designated device that will not be used by learners";
    let staff = visible_text(&site.page("staff/reporting-and-responding/index.html"));
    assert!(staff.contains(staff_only), "staff page lacks the procedure");
    for (path, html) in public_pages(&site, "parents/") {
        assert!(
            !visible_text(&html).contains(staff_only),
            "{path} shows a staff-only procedure"
        );
    }
    assert!(
        !site
            .out()
            .join("parents/responding-to-staff-actions")
            .exists()
    );
    assert!(
        site.out()
            .join("governors/responding-to-staff-actions/index.html")
            .exists()
    );
    let parents = visible_text(&site.page("parents/reporting-and-responding/index.html"));
    assert!(
        parents.contains("clear reporting routes"),
        "parents lack the reporting routes"
    );
}

#[test]
fn a_staff_only_block_is_absent_from_every_parents_page() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let block = "Staff record every concern in the incident log";
    for view in ["staff", "governors"] {
        let page = visible_text(&site.page(&format!("{view}/reporting/index.html")));
        assert!(page.contains(block), "{view} lacks the staff block");
        let print = visible_text(&site.page(&format!("{view}/all/index.html")));
        assert!(
            print.contains(block),
            "{view} print page lacks the staff block"
        );
    }
    let parents = public_pages(&site, "parents/");
    assert!(parents.len() >= 5);
    for (path, html) in parents {
        assert!(!html.contains(block), "{path} shows staff-only text");
        assert!(
            !html.contains("Two senior members of staff"),
            "{path} shows a staff-only section"
        );
    }
    assert!(!site.out().join("parents/checking-devices").exists());
}

#[test]
fn renaming_a_person_changes_every_page_that_names_them() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let before: Vec<String> = public_pages(&site, "")
        .into_iter()
        .filter(|(_, html)| html.contains("Asha Patel"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        before.len() >= 10,
        "the DSL is named on most pages: {before:?}"
    );

    site.replace(
        "data/people.yaml",
        "name: Asha Patel",
        "name: Asha Kowalska",
    );
    site.build().assert_success();
    for (path, html) in public_pages(&site, "") {
        assert!(
            !html.contains("Asha Patel"),
            "{path} still names Asha Patel"
        );
        if before.contains(&path) {
            assert!(html.contains("Asha Kowalska"), "{path} lost the name");
        }
    }
}

/// The working tree is the 2025-26 draft: a name changed in its data
/// reaches every page of the draft, and no page of an approved revision.
#[test]
fn the_example_renames_everywhere_in_the_draft_only() {
    let site = Site::example();
    site.replace(
        "data/people.yaml",
        "name: Tom Clarke",
        "name: Thomas Clarke",
    );
    site.build().assert_success();
    let mut naming = 0;
    for (path, html) in public_pages(&site, "versions/2025-26/") {
        assert!(
            !html.contains("Tom Clarke"),
            "{path} still names Tom Clarke"
        );
        naming += usize::from(html.contains("Thomas Clarke"));
    }
    assert!(naming > 20, "only {naming} draft pages name the DSL");
    for (path, html) in public_pages(&site, "parents/") {
        assert!(
            !html.contains("Thomas Clarke"),
            "{path} shows a name from the draft"
        );
    }
    let changes = site.page("governors/changes/2024-25...2025-26/index.html");
    assert!(
        visible_text(&changes).contains("Tom Clarke is now named Thomas Clarke."),
        "the change page names the rename"
    );
}

#[test]
fn references_show_names_dates_and_links_from_data() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let page = site.page("parents/introduction/index.html");
    let text = visible_text(&page);
    assert!(
        text.contains("everyone at Hillside Primary School"),
        "{text}"
    );
    assert!(
        text.contains("created in January 2024 and is next reviewed in September 2024"),
        "{text}"
    );
    assert!(
        text.contains("Designated Safeguarding Lead (Asha Patel)"),
        "{text}"
    );
    assert!(
        text.contains("Asha Patel – Designated Safeguarding Lead"),
        "{text}"
    );
    assert!(
        page.contains("href=\"../../parents/people/#role-dsl\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../parents/reporting/#how-to-report\""),
        "{page}"
    );
    let reporting = site.page("parents/reporting/index.html");
    assert!(
        reporting.contains("href=\"https://www.ceop.police.uk/\""),
        "{reporting}"
    );
    assert!(visible_text(&reporting).contains("Keeping Children Safe in Education (2024)"));
}

#[test]
fn tables_have_captions_and_header_scopes() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let page = site.page("parents/reporting/index.html");
    assert!(
        page.contains("<caption>Who is told about each kind of incident</caption>"),
        "{page}"
    );
    assert!(
        page.contains("aria-label=\"Who is told about each kind of incident\""),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"col\">Class teacher</th>"),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"row\">Online bullying</th>"),
        "{page}"
    );
    assert_eq!(page.matches("<h1").count(), 1, "one h1 per page");
}

#[test]
fn contact_details_show_only_in_the_views_they_name() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    assert!(
        site.page("staff/people/index.html")
            .contains("dsl@hillside.example")
    );
    assert!(
        site.page("governors/people/index.html")
            .contains("dsl@hillside.example")
    );
    for (path, html) in public_pages(&site, "parents/") {
        assert!(
            !html.contains("dsl@hillside.example"),
            "{path} shows a staff contact"
        );
    }
}

#[test]
fn organisations_are_listed_per_view() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let parents = visible_text(&site.page("parents/organisations/index.html"));
    assert!(
        parents.contains("CEOP") && !parents.contains("SWGfL Test Filtering"),
        "{parents}"
    );
    let staff = visible_text(&site.page("staff/organisations/index.html"));
    assert!(staff.contains("SWGfL Test Filtering"), "{staff}");
}

#[test]
fn output_is_byte_identical_from_build_to_build() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let first = site.snapshot();
    site.build().assert_success();
    assert_eq!(site.snapshot(), first);
    let sitemap = String::from_utf8(first["sitemap.xml"].clone()).unwrap();
    assert!(
        sitemap.contains("<loc>https://hillside.example/online-safety/parents/reporting/</loc>"),
        "{sitemap}"
    );
    assert!(first.contains_key("404.html") && first.contains_key("assets/site.css"));
}

#[test]
fn overdue_reviews_show_on_the_governors_view_and_warn() {
    let site = Site::copy_of("minimal");
    let run = site.run(&["build", "--today", "2025-01-15"]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("overdue: Review of this policy was due by September 2024."),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("overdue: Filtering and monitoring review was due by 20 September 2024."),
        "{}",
        run.stderr
    );
    // Each warning points at the line that records the date to change.
    for place in ["data/versions.yaml:6:16", "data/reviews.yaml:10:16"] {
        assert!(run.stderr.contains(place), "{place}:\n{}", run.stderr);
    }
    let governors = visible_text(&site.page("governors/index.html"));
    assert!(
        governors.contains("Overdue Review of this policy was due by September 2024."),
        "{governors}"
    );
    let reviews = visible_text(&site.page("governors/reviews/index.html"));
    assert!(
        reviews.contains("Filtering and monitoring review"),
        "{reviews}"
    );
    assert!(reviews.contains("20 September 2023"), "{reviews}");
    let parents = visible_text(&site.page("parents/reporting/index.html"));
    assert!(
        !parents.contains("Overdue"),
        "parents see the governors' notice"
    );
}

#[test]
fn a_draft_never_reaches_parents_or_staff() {
    let site = Site::copy_of("minimal");
    site.write(
        "data/versions.yaml",
        "- id: 2024-25\n  status: draft\n  next_review: 2024-09\n",
    );
    site.build().assert_success();
    for view in ["parents", "staff"] {
        let pages = public_pages(&site, &format!("{view}/"));
        assert_eq!(
            pages.len(),
            1,
            "{view} publishes only a notice: {:?}",
            pages.iter().map(|p| &p.0).collect::<Vec<_>>()
        );
        let text = visible_text(&pages[0].1);
        assert!(text.contains("has not yet been approved"), "{text}");
        assert!(!text.contains("Asha Patel"), "{text}");
    }
    let governors = visible_text(&site.page("governors/introduction/index.html"));
    assert!(governors.contains("DRAFT"), "{governors}");
    assert!(governors.contains("Hillside Primary School"), "{governors}");
}

#[test]
fn restricted_views_never_reach_public() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "    governance: true\n",
        "    governance: true\n    restricted: true\n",
    );
    let run = site.build();
    run.assert_success();
    assert!(
        !site.out().join("governors").exists(),
        "restricted view in public/"
    );
    for (path, html) in public_pages(&site, "") {
        assert!(
            !html.contains("governors/"),
            "{path} links to the restricted view"
        );
    }
    assert!(
        !String::from_utf8(site.snapshot()["sitemap.xml"].clone())
            .unwrap()
            .contains("governors")
    );
    let restricted = site.root().join("restricted");
    let page = std::fs::read_to_string(restricted.join("governors/reporting/index.html")).unwrap();
    assert!(
        visible_text(&page).contains("Restricted: this view is not published"),
        "{page}"
    );
    assert!(restricted.join("assets/site.css").exists());
    assert!(run.stderr.contains("Restricted views:"), "{}", run.stderr);
}

/// Raw HTML that would run in a browser, before the heading it is put above.
const RAW_SCRIPTS: &str = "<script>alert('markdown')</script>\n\n<p onclick=\"alert('p')\">Click</p>\n\n<img src=\"https://x.example/a.png\" alt=\"x\" onerror=\"alert('img')\">\n\n<a href=\"javascript:alert('href')\">link</a>\n\n## Who is told";

#[test]
fn nothing_an_author_writes_runs_in_the_browser() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/people.yaml",
        "name: Ben Okafor",
        "name: \"Ben <script>alert('name')</script> Okafor\"",
    );
    site.replace(
        "data/organisations.yaml",
        "helps_with: Reporting online sexual abuse or grooming.",
        "helps_with: \"<img src=x onerror=alert('org')>\"",
    );
    site.build().assert_success();
    // What a browser would run: script elements, event handler attributes,
    // javascript: addresses, read with a real HTML tokenizer. (Text inside a
    // quoted attribute, such as a tooltip naming "<script>", is inert.)
    for (path, html) in public_pages(&site, "") {
        for tag in policyweb::html::start_tags(&html) {
            assert_ne!(tag.name, "script", "{path} has a script element");
            for (name, value) in &tag.attributes {
                assert!(!name.starts_with("on"), "{path}: <{} {name}>", tag.name);
                assert!(
                    !value.trim().to_lowercase().starts_with("javascript:"),
                    "{path}: {name}={value}"
                );
            }
        }
    }
    let people = site.page("staff/people/index.html");
    assert!(
        people.contains("Ben &lt;script&gt;alert"),
        "the name is shown as text"
    );

    // Script in a section's raw HTML is never legitimate: each piece is an
    // error at its place (tests/sanitize.rs has the rest).
    let before = site.snapshot();
    site.replace("content/020-reporting.md", "## Who is told", RAW_SCRIPTS);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "<script> is never allowed in a policy section",
        "--> content/020-reporting.md:15:1",
        "the onclick attribute of <p> runs a script",
        "--> content/020-reporting.md:17:4",
        "the onerror attribute of <img> runs a script",
        "the href attribute of <a> uses the javascript: scheme",
        "--> content/020-reporting.md:21:4",
    ] {
        assert!(run.stderr.contains(expected), "{expected}:\n{}", run.stderr);
    }
    assert_eq!(
        site.snapshot(),
        before,
        "a failed build leaves public/ as it was"
    );
    site.replace("content/020-reporting.md", RAW_SCRIPTS, "## Who is told");
    site.replace(
        "content/020-reporting.md",
        "[[org:ceop]]",
        "[CEOP](javascript:alert(1))",
    );
    assert_eq!(
        site.build().code,
        1,
        "a javascript: link in Markdown fails the build"
    );
}
