//! Defects found in review of the newer features, each as a reader or an
//! outside tester meets it: a `#fragment` that lands on the theme's own
//! element (`#contents`, `#main`) or on nothing, a section id that is one
//! of the page's own, a reference in a heading shown as `term:dsl` in the
//! contents and the A–Z, and markup in a title, a name or a description
//! that reaches the built bytes.

mod common;

use common::{Site, visible_text};
use policyweb::html::start_tags;

const GLOSSARY: &str = "\
- id: dsl
  term: DSL
  stands_for: Designated Safeguarding Lead
  meaning: The member of staff who leads on keeping children safe.
";

/// The href of the first `<a class="ref-section">` on a page.
fn section_reference(html: &str) -> String {
    start_tags(html)
        .into_iter()
        .find(|t| t.name == "a" && t.attribute("class") == Some("ref-section"))
        .and_then(|t| t.attribute("href").map(str::to_string))
        .expect("a [[section:]] link on the page")
}

/// How many elements of a page have the id `id`.
fn with_id(html: &str, id: &str) -> usize {
    start_tags(html)
        .iter()
        .filter(|t| t.attribute("id") == Some(id))
        .count()
}

#[test]
fn a_reference_to_a_heading_called_contents_reaches_the_heading_not_the_themes_contents() {
    let site = Site::copy_of("minimal");
    site.replace(
        "content/020-reporting.md",
        "## Who is told",
        "## Contents\n\nWhat the steps below cover.\n\n## Who is told",
    );
    site.replace(
        "content/010-introduction.md",
        "[[section:reporting#how-to-report]]",
        "[[section:reporting#contents]]",
    );
    site.build().assert_success();
    // The theme keeps `#contents` for its own list (section.html); the
    // heading took the next free id, and the reference must follow it.
    let reporting = site.page("parents/reporting/index.html");
    assert_eq!(with_id(&reporting, "contents-2"), 1, "{reporting}");
    assert!(
        start_tags(&reporting)
            .iter()
            .any(|t| t.name == "h2" && t.attribute("id") == Some("contents-2")),
        "{reporting}"
    );
    let introduction = site.page("parents/introduction/index.html");
    assert_eq!(
        section_reference(&introduction),
        "../../parents/reporting/#contents-2"
    );
    // On the print page every id is the section's own.
    let all = site.page("parents/all/index.html");
    assert_eq!(section_reference(&all), "#reporting--contents");
    assert_eq!(with_id(&all, "reporting--contents"), 1);
}

#[test]
fn a_fragment_the_section_has_no_heading_for_is_an_error_at_the_reference() {
    for fragment in ["main", "contents", "site-footer", "no-such-heading"] {
        let site = Site::copy_of("minimal");
        site.replace(
            "content/010-introduction.md",
            "[[section:reporting#how-to-report]]",
            &format!("[[section:reporting#{fragment}]]"),
        );
        let run = site.build();
        assert_eq!(run.code, 1, "#{fragment}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "the link `[[section:reporting#{fragment}]]` is broken (there is no heading `#{fragment}` there; its headings' ids are `#how-to-report`, `#who-is-told`)"
            )),
            "#{fragment}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--> content/010-introduction.md:15:5"),
            "#{fragment}: {}",
            run.stderr
        );
        assert!(!site.out().exists(), "a failed build wrote public/");
    }
}

#[test]
fn a_link_from_a_section_to_the_pages_own_ids_is_an_error() {
    // Each of these ids is on the page linked to, so the old check, which
    // asked only that the id exist there, let them through.
    for written in [
        "(../reporting/#main)",
        "(../reporting/#site-footer)",
        "(../reporting/#breadcrumbs)",
    ] {
        let site = Site::copy_of("minimal");
        site.replace(
            "content/010-introduction.md",
            "to raise a concern.",
            &format!("to raise a concern, or [skip ahead]{written}."),
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{written}: {}", run.stderr);
        assert!(
            run.stderr.contains("--> content/010-introduction.md:15:"),
            "{written}: {}",
            run.stderr
        );
        assert!(!site.out().exists(), "a failed build wrote public/");
    }
}

#[test]
fn a_section_may_not_take_an_id_the_pages_use() {
    for id in ["main", "contents", "breadcrumbs"] {
        let site = Site::copy_of("minimal");
        let text = site.read("content/020-reporting.md");
        site.remove("content/020-reporting.md");
        site.write(&format!("content/020-{id}.md"), text);
        site.replace(
            "content/010-introduction.md",
            "See [[section:reporting#how-to-report]] to raise a concern.",
            "",
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{id}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "`{id}` cannot be a section id: the pages use `#{id}`"
            )),
            "{id}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("content/020-{id}.md")),
            "{id}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_reference_in_a_heading_shows_its_words_in_the_contents_and_the_a_z() {
    let site = Site::copy_of("minimal");
    site.write("data/glossary.yaml", GLOSSARY);
    site.replace(
        "content/020-reporting.md",
        "## Who is told",
        "## The [[term:dsl]] and the [[role:online-safety-lead]]\n\nThey decide together.\n\n## Who is told",
    );
    site.build().assert_success();
    let reporting = visible_text(&site.page("parents/reporting/index.html"));
    let a_z = visible_text(&site.page("parents/a-z/index.html"));
    for text in [&reporting, &a_z] {
        assert!(!text.contains("term:dsl"), "{text}");
        assert!(!text.contains("role:online-safety-lead"), "{text}");
    }
    // The contents list and the heading itself, and the A–Z entry.
    assert!(
        reporting
            .matches("The DSL and the Online Safety Lead")
            .count()
            >= 2,
        "{reporting}"
    );
    assert!(a_z.contains("The DSL and the Online Safety Lead"), "{a_z}");
}

/// Every file a build wrote, as text.
fn every_file(site: &Site) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = site
        .snapshot()
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    let restricted = common::snapshot(&site.path("restricted"));
    files.extend(
        restricted
            .into_iter()
            .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned())),
    );
    files
}

#[test]
fn markup_in_titles_names_and_descriptions_never_reaches_the_built_bytes() {
    let site = Site::copy_of("minimal");
    site.replace(
        "content/010-introduction.md",
        "title: Introduction",
        "title: \"Intro </title><script>alert(1)</script> <b>x</b>\"",
    );
    site.replace(
        "content/010-introduction.md",
        "summary: What this policy is for.",
        "summary: \"\\\"><script>alert(2)</script><img src=x onerror=alert(3)>\"",
    );
    site.replace(
        "data/site.yaml",
        "name: Hillside Primary School",
        "name: \"Hillside <script>alert(4)</script> School\"",
    );
    site.replace(
        "data/site.yaml",
        "title: Online Safety Policy",
        "title: \"Online <SCRIPT>alert(5)</SCRIPT> Policy\"",
    );
    site.replace(
        "data/site.yaml",
        "description: How we keep your child safe online.",
        "description: \"</title><script>alert(6)</script>\"",
    );
    site.write(
        "data/glossary.yaml",
        "- id: dsl\n  term: \"<script>alert(7)</script>\"\n  stands_for: \"\\\" onmouseover=\\\"alert(8)\"\n  meaning: \"<script>alert(9)</script>\"\n",
    );
    site.replace(
        "content/020-reporting.md",
        "Tell any member of staff,",
        "The [[term:dsl]] decides. Tell any member of staff,",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = every_file(&site);
    assert!(files.iter().any(|(path, _)| path.ends_with("feed.xml")));
    for (path, text) in &files {
        let lower = text.to_ascii_lowercase();
        // The default theme has no script of its own.
        assert!(!lower.contains("<script"), "{path} holds markup:\n{text}");
        assert!(
            !lower.contains("<img src=x"),
            "{path} holds markup:\n{text}"
        );
        assert!(!lower.contains("<b>x"), "{path} holds markup:\n{text}");
    }
    // The words are there, as text.
    let page = site.page("parents/introduction/index.html");
    let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
    assert!(
        title.contains("Intro &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{title}"
    );
}
