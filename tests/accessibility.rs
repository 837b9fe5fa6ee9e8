//! The accessibility statement: written from site.yaml's `accessibility`
//! block (the school, the contact, the compliance status, known issues and
//! dates), published at accessibility/ in public/ and again in restricted/,
//! linked from the footer of every page of both, listed in the sitemap,
//! and still published (with a warning) when site.yaml has no block.

mod common;

use std::path::Path;

use common::{Site, snapshot, visible_text};

/// The minimal fixture's block, as the file has it.
const BLOCK: &str = "accessibility:
  contact:
    email: office@hillside.example
    phone: \"01632 960000\"
  response_days: 10
  prepared: 2024-05-20
";

const ISSUE: &str = "The flowchart in Reporting a concern has no text description yet.";

fn statement(site: &Site) -> String {
    visible_text(&site.page("accessibility/index.html"))
}

/// The kinds of page whose footers are checked: the landing page, then
/// parts of the paths of the others.
const PAGE_KINDS: [&str; 7] = [
    "landing",
    "404.html",
    "/all/",
    "/curriculum/",
    "/changes/",
    "/revisions/",
    "versions/",
];

#[test]
fn the_statement_says_what_site_yaml_says() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "  response_days: 10\n",
        "  response_days: 10\n  compliance: full\n",
    );
    let run = site.build();
    run.assert_success();
    assert!(
        !run.stderr.contains("no way to report"),
        "a statement with a contact gives no warning:\n{}",
        run.stderr
    );
    let text = statement(&site);
    for expected in [
        "Accessibility statement for the Online Safety Policy",
        "This website is run by Hillside Primary School.",
        "zoom in up to 400%",
        "using just a keyboard",
        "screen reader",
        "mobile phone",
        "print any page",
        "JavaScript turned off",
        "How accessible this website is",
        "Feedback and contact information",
        "office@hillside.example",
        "01632 960000",
        "reply within 10 working days",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service (EASS)",
        "England, Scotland and Wales",
        "Technical information about this website’s accessibility",
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
        "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.",
        "Non-accessible content",
        "How we tested this website",
        "The school has not recorded when this website was last tested",
        "This statement was prepared on 20 May 2024",
    ] {
        assert!(
            text.contains(expected),
            "the statement lacks {expected:?}:\n{text}"
        );
    }
    let html = site.page("accessibility/index.html");
    assert!(
        html.contains("href=\"mailto:office@hillside.example\""),
        "{html}"
    );
    assert!(html.contains("href=\"tel:01632960000\""), "{html}");
    assert!(html.contains("href=\"https://www.equalityadvisoryservice.com/\""));
    let sitemap = site.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://hillside.example/online-safety/accessibility/</loc>"),
        "{sitemap}"
    );

    // A partly compliant site, its known issue, and who tested it when.
    site.replace(
        "data/site.yaml",
        "  compliance: full\n  prepared: 2024-05-20\n",
        &format!(
            "  compliance: partial\n  known_issues:\n    - {ISSUE}\n  prepared: 2024-05-20\n  reviewed: 2024-09-02\n  tested: 2024-05-13\n  tested_by: the school, with automated checks of every page\n"
        ),
    );
    site.build().assert_success();
    let text = statement(&site);
    for expected in [
        ISSUE,
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.",
        "We know some parts of this website are not fully accessible.",
        "Non-compliance with the accessibility regulations",
        "This website was last tested on 13 May 2024 . It was tested by the school, with automated checks of every page.",
        "It was last reviewed on 2 September 2024",
    ] {
        assert!(
            text.contains(expected),
            "the statement lacks {expected:?}:\n{text}"
        );
    }
    assert!(!text.contains("fully compliant with"), "{text}");
}

#[test]
fn without_the_block_the_statement_is_published_with_a_warning() {
    let site = Site::copy_of("minimal");
    site.replace("data/site.yaml", BLOCK, "");
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr.contains(
            "⚠ the accessibility statement gives no way to report an accessibility problem"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> data/site.yaml"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "⚠ the accessibility statement does not say how far the site meets WCAG 2.2 AA"
        ),
        "{}",
        run.stderr
    );
    let text = statement(&site);
    assert!(
        !text.contains("compliant with"),
        "nothing is claimed: {text}"
    );
    for expected in [
        "Accessibility statement for the Online Safety Policy",
        "This website is run by Hillside Primary School.",
        "Hillside Primary School has not yet assessed how far this website complies with the Web Content Accessibility Guidelines version 2.2 AA standard. The date of the last accessibility test has not been recorded.",
        "The school has not yet given a way to contact it about this website. Its usual contact details are on the Hillside Primary School website",
        "The date this statement was first prepared has not been recorded.",
    ] {
        assert!(
            text.contains(expected),
            "the statement lacks {expected:?}:\n{text}"
        );
    }
    assert!(
        !text.contains("working day"),
        "no reply time is invented: {text}"
    );
    assert!(!text.contains("using the contact details above"), "{text}");
}

#[test]
fn without_compliance_the_statement_claims_none_and_says_when_it_was_tested() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "  prepared: 2024-05-20\n",
        &format!("  known_issues:\n    - {ISSUE}\n  prepared: 2024-05-20\n  tested: 2024-05-13\n"),
    );
    let run = site.build();
    run.assert_success();
    // The warning points at the block, line 19 of the fixture's site.yaml
    // (`contact:`, where the block's mapping starts), for the lead to fill.
    assert!(
        run.stderr.contains(
            "⚠ the accessibility statement does not say how far the site meets WCAG 2.2 AA"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> data/site.yaml:19:3"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("compliance: full"), "{}", run.stderr);
    let text = statement(&site);
    assert!(
        !text.contains("compliant with"),
        "nothing is claimed: {text}"
    );
    assert!(!text.contains("We believe every page"), "{text}");
    for expected in [
        "We have not yet assessed how far this website meets the accessibility standard explained below.",
        "Hillside Primary School has not yet assessed how far this website complies with the Web Content Accessibility Guidelines version 2.2 AA standard. The website was last tested against that standard on 13 May 2024 .",
        ISSUE,
        "This website was last tested on 13 May 2024 .",
    ] {
        assert!(
            text.contains(expected),
            "the statement lacks {expected:?}:\n{text}"
        );
    }
}

#[test]
fn a_misspelt_compliance_status_suggests_the_word_meant() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "  response_days: 10\n",
        "  response_days: 10\n  compliance: fully\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/site.yaml:23:15"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `full`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_statement_gives_the_school_website_as_its_contact() {
    let site = Site::example();
    site.build().assert_success();
    let html = site.page("accessibility/index.html");
    let text = visible_text(&html);
    assert!(text.contains("Westgate Primary School"), "{text}");
    assert!(
        html.contains("online at <a href=\"https://www.westgatesch.com\">"),
        "{html}"
    );
}

/// Every HTML page of a built tree, by its path in the tree.
fn html_pages(tree: &Path) -> Vec<(String, String)> {
    snapshot(tree)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// The footer's link to the statement, as written.
fn footer_link(page: &str) -> Option<String> {
    let footer = &page[page.find("<footer")?..];
    let footer = &footer[..footer.find("</footer>")?];
    let end = footer.find(">Accessibility statement</a>")?;
    let tag = &footer[footer[..end].rfind("<a ")?..end];
    let href = &tag[tag.find("href=")? + "href=".len()..];
    let href = href.trim_start_matches('"');
    Some(
        href.split(['"', ' ', '>'])
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

/// The file a relative link from `page` reaches in its tree. A page with
/// `<base>` (the 404 page, served at any depth) links from the root.
fn resolve(page_path: &str, page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = if page.contains("<base ") {
        Vec::new()
    } else {
        page_path.split('/').collect()
    };
    parts.pop();
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop().expect("the link stays inside the tree");
            }
            other => parts.push(other),
        }
    }
    parts.push("index.html");
    parts.join("/")
}

#[test]
fn every_page_in_public_and_restricted_links_to_a_statement_from_its_footer() {
    // The curriculum fixture as it is (a restricted view of curriculum
    // pages; governors with a draft, revisions and changes), then with the
    // governors' view restricted too.
    for restrict_governors in [false, true] {
        let site = Site::copy_of("curriculum");
        if restrict_governors {
            site.replace(
                "data/site.yaml",
                "    governance: true\n",
                "    governance: true\n    restricted: true\n",
            );
        }
        site.build().assert_success();
        let restricted = site.path("restricted");
        let mut kinds_seen = Vec::new();
        for tree in [site.out(), restricted.clone()] {
            let pages = html_pages(&tree);
            assert!(pages.len() > 5, "{}: {} pages", tree.display(), pages.len());
            for (path, html) in &pages {
                let href = footer_link(html)
                    .unwrap_or_else(|| panic!("{path} in {} has no footer link", tree.display()));
                let target = resolve(path, html, &href);
                assert_eq!(
                    target, "accessibility/index.html",
                    "{path}: the footer link {href} leads to {target}"
                );
                let statement = std::fs::read_to_string(tree.join(&target))
                    .unwrap_or_else(|e| panic!("{path}: {target} in {}: {e}", tree.display()));
                assert!(statement.contains("Accessibility statement for the"));
                for &kind in &PAGE_KINDS[1..] {
                    if path.contains(kind) {
                        kinds_seen.push(kind);
                    }
                }
                if path == "index.html" {
                    kinds_seen.push("landing");
                }
            }
        }
        for kind in PAGE_KINDS {
            assert!(kinds_seen.contains(&kind), "no {kind} page was checked");
        }
        // The restricted copy has no landing page to link home to.
        let copy = std::fs::read_to_string(restricted.join("accessibility/index.html")).unwrap();
        assert!(!copy.contains("href=\"../\""), "{copy}");
        assert!(
            copy.contains("href=\"../accessibility/\" aria-current=\"page\""),
            "{copy}"
        );
    }
}
