//! The glossary and the A–Z, on the `minimal` fixture with a glossary.yaml
//! written here: a term's first use on each page is marked and linked to
//! its entry, later uses are the word alone; the glossary page lists every
//! term; a term typed bare is a warning at its line and column (never in a
//! frozen revision); a mistyped term id is an error with the nearest id;
//! the A–Z links a role and a heading to their page and fragment, and a
//! heading only staff read is not in the parents' A–Z.

mod common;

use common::{Site, visible_text};
use policyweb::html::start_tags;
use policyweb::urls;

const GLOSSARY: &str = "\
- id: dsl
  term: DSL
  stands_for: Designated Safeguarding Lead
  meaning: The member of staff who leads on keeping children safe.
- id: ceop
  term: CEOP
  stands_for: Child Exploitation and Online Protection
  url: https://www.ceop.police.uk/
";

fn site_with_glossary() -> Site {
    let site = Site::copy_of("minimal");
    site.write("data/glossary.yaml", GLOSSARY);
    site
}

/// Writes the introduction with `body` under its front matter: the body's
/// first line is line 4 of the file.
fn introduction(site: &Site, body: &str) {
    site.write(
        "content/010-introduction.md",
        format!("---\ntitle: Introduction\n---\n{body}"),
    );
}

/// The `<abbr>` elements of a page, by their title.
fn abbr_titles(html: &str) -> Vec<String> {
    start_tags(html)
        .into_iter()
        .filter(|t| t.name == "abbr")
        .map(|t| t.attribute("title").unwrap_or_default().to_string())
        .collect()
}

/// The address of each link named `text`, as written.
fn hrefs_of(html: &str, text: &str) -> Vec<String> {
    let closing = format!(">{text}</a>");
    html.match_indices(&closing)
        .filter_map(|(at, _)| {
            let open = html[..at].rfind("<a ")?;
            let tag = start_tags(&html[open..at + 1]).into_iter().next()?;
            Some(tag.attribute("href")?.to_string())
        })
        .collect()
}

/// The page and fragment each link named `text` on the page at `from`
/// leads to.
fn targets_of(html: &str, from: &str, text: &str) -> Vec<(String, Option<String>)> {
    hrefs_of(html, text)
        .iter()
        .filter_map(|href| urls::resolve(from, href))
        .collect()
}

/// Whether the built page at `path` has an element with the id.
fn has_id(site: &Site, path: &str, id: &str) -> bool {
    start_tags(&site.page(&urls::file_for(path)))
        .iter()
        .any(|t| t.attribute("id") == Some(id))
}

#[test]
fn a_term_is_marked_and_linked_at_its_first_use_on_each_page_only() {
    let site = site_with_glossary();
    introduction(
        &site,
        "The [[term:dsl]] is told first. Tell the [[term:dsl]] again if nothing happens.\n",
    );
    site.replace(
        "content/020-reporting.md",
        "Tell any member of staff,",
        "Tell the [[term:dsl]] or any member of staff,",
    );
    site.build().assert_success();

    let page = site.page("parents/introduction/index.html");
    assert_eq!(abbr_titles(&page), ["Designated Safeguarding Lead"]);
    let linked = targets_of(&page, "parents/introduction/", "DSL");
    assert!(
        linked.is_empty(),
        "the link holds the <abbr>, not the bare word"
    );
    let first = page.find("<abbr").unwrap();
    let open = page[..first].rfind("<a ").unwrap();
    let link = &start_tags(&page[open..first])[0];
    assert_eq!(link.attribute("class"), Some("ref-term"));
    let target = urls::resolve("parents/introduction/", link.attribute("href").unwrap());
    assert_eq!(
        target,
        Some(("parents/glossary/".into(), Some("term-dsl".into())))
    );
    assert!(
        !page[first..].contains("ref-term"),
        "only the first use is linked"
    );
    assert!(
        visible_text(&page).contains("The DSL is told first. Tell the DSL again"),
        "{}",
        visible_text(&page)
    );

    // Each page marks its own first use: the reporting page too, once.
    let reporting = site.page("parents/reporting/index.html");
    assert_eq!(abbr_titles(&reporting), ["Designated Safeguarding Lead"]);
    // The print page holds both sections: one mark for the whole page.
    let all = site.page("parents/all/index.html");
    assert_eq!(abbr_titles(&all), ["Designated Safeguarding Lead"]);
}

#[test]
fn the_glossary_page_lists_each_term_with_what_it_stands_for() {
    let site = site_with_glossary();
    site.build().assert_success();
    for view in ["parents", "staff", "governors"] {
        let path = urls::glossary(view);
        let page = site.page(&urls::file_for(&path));
        let text = visible_text(&page);
        assert!(
            text.contains(
                "DSL Designated Safeguarding Lead The member of staff who leads on keeping children safe."
            ),
            "{view}: {text}"
        );
        assert!(
            text.contains("CEOP Child Exploitation and Online Protection"),
            "{text}"
        );
        assert!(has_id(&site, &path, "term-dsl") && has_id(&site, &path, "term-ceop"));
        assert_eq!(
            hrefs_of(&page, "More about CEOP"),
            ["https://www.ceop.police.uk/"]
        );
    }
}

#[test]
fn a_term_typed_bare_is_a_warning_at_its_line_and_column() {
    let site = site_with_glossary();
    introduction(
        &site,
        "This policy applies to everyone at [[school]].\n\
         \n\
         Report grooming to CEOP straight away.\n\
         \n\
         `CEOP` in code, [CEOP](https://www.ceop.police.uk/) as a link and UKCEOPX are not it.\n\
         \n\
         ## Reporting to CEOP\n",
    );
    let run = site.build();
    run.assert_success();
    // Line 6 of the file (the body starts on line 4), after the 19
    // characters of "Report grooming to ".
    assert!(
        run.stderr.contains("content/010-introduction.md:6:20"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("`CEOP` is in the glossary").count(),
        1,
        "code, a link's text, a longer word and a heading are not bare uses:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("[[term:ceop]]"), "{}", run.stderr);
}

#[test]
fn a_frozen_revision_is_never_warned_about_a_bare_term() {
    let site = site_with_glossary();
    introduction(&site, "Report grooming to CEOP straight away.\n");
    // The same files, frozen as an earlier approved revision.
    for dir in ["content", "data"] {
        common::copy_tree(
            &site.path(dir),
            &site.path(&format!("versions/2023-24/{dir}")),
        );
    }
    let versions = site.read("data/versions.yaml");
    site.write(
        "data/versions.yaml",
        format!(
            "- id: 2023-24\n  status: approved\n  approved: 2023-03-15\n  approved_by: the Full Governing Body\n{versions}"
        ),
    );
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr.contains("content/010-introduction.md:4:20"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("versions/2023-24/content/"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_term_is_an_error_naming_the_nearest_id() {
    let site = site_with_glossary();
    introduction(&site, "Tell the [[term:dls]] the same day.\n");
    let before = site.snapshot();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("unknown term `dls`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/010-introduction.md:4:10"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("did you mean `dsl`? The ids are defined in data/glossary.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.snapshot(),
        before,
        "a failed build leaves public/ as it was"
    );
}

#[test]
fn glossary_yaml_is_checked_like_every_data_file() {
    let site = site_with_glossary();
    site.write(
        "data/glossary.yaml",
        "- id: dsl\n  term: DSL\n  stand_for: Designated Safeguarding Lead\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/glossary.yaml:3:3"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("stands_for"), "{}", run.stderr);

    site.write(
        "data/glossary.yaml",
        "- id: dsl\n  term: DSL\n  stands_for: Designated Safeguarding Lead\n\
         - id: dsl\n  term: DSL\n  stands_for: Designated Safety Lead\n  url: javascript:alert(1)\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (problem, place) in [
        (
            "the term id `dsl` is used twice (first on line 1)",
            "data/glossary.yaml:4:7",
        ),
        (
            "the term `DSL` is in the glossary twice (first on line 2)",
            "data/glossary.yaml:5:9",
        ),
        ("javascript:", "data/glossary.yaml:7:8"),
    ] {
        assert!(run.stderr.contains(problem), "{problem}:\n{}", run.stderr);
        assert!(run.stderr.contains(place), "{place}:\n{}", run.stderr);
    }
}

#[test]
fn the_a_z_links_a_role_and_a_heading_to_their_page_and_fragment() {
    let site = site_with_glossary();
    site.build().assert_success();
    let path = urls::a_z("parents");
    let page = site.page(&urls::file_for(&path));
    assert_eq!(
        targets_of(&page, &path, "Designated Safeguarding Lead"),
        [("parents/people/".to_string(), Some("role-dsl".to_string()))]
    );
    assert_eq!(
        targets_of(&page, &path, "How to report"),
        [(
            "parents/reporting/".to_string(),
            Some("how-to-report".to_string())
        )]
    );
    assert!(has_id(&site, "parents/people/", "role-dsl"));
    assert!(has_id(&site, "parents/reporting/", "how-to-report"));
    // The glossary's terms, each linked to its entry.
    assert_eq!(
        targets_of(&page, &path, "CEOP"),
        [
            (
                "parents/organisations/".to_string(),
                Some("org-ceop".to_string())
            ),
            (
                "parents/glossary/".to_string(),
                Some("term-ceop".to_string())
            ),
        ]
    );
    assert!(has_id(&site, "parents/organisations/", "org-ceop"));
    // Letters as headings, reached from the list of letters.
    assert_eq!(
        targets_of(&page, &path, "D"),
        [(path.clone(), Some("letter-d".to_string()))]
    );
    assert!(has_id(&site, &path, "letter-d"));
    // Every page of the view links to it.
    for page in ["parents/", "parents/introduction/", "parents/people/"] {
        let html = site.page(&urls::file_for(page));
        assert_eq!(
            targets_of(&html, page, "A–Z"),
            [(path.clone(), None)],
            "{page}"
        );
    }
}

#[test]
fn a_heading_only_staff_read_is_not_in_the_parents_a_z() {
    let site = site_with_glossary();
    site.replace(
        "content/020-reporting.md",
        "::: staff governors\n",
        "::: staff governors\n## Recording in the incident log\n\n",
    );
    site.build().assert_success();
    let parents = visible_text(&site.page("parents/a-z/index.html"));
    let staff = site.page("staff/a-z/index.html");
    assert_eq!(
        targets_of(&staff, "staff/a-z/", "Recording in the incident log"),
        [(
            "staff/reporting/".to_string(),
            Some("recording-in-the-incident-log".to_string())
        )]
    );
    assert!(has_id(
        &site,
        "staff/reporting/",
        "recording-in-the-incident-log"
    ));
    assert!(!parents.contains("incident log"), "{parents}");
    // Nor a section only staff and governors are shown.
    assert!(
        visible_text(&staff).contains("Checking devices"),
        "{}",
        visible_text(&staff)
    );
    assert!(!parents.contains("Checking devices"), "{parents}");
}
