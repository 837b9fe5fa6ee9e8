//! Restricted means restricted, everywhere: the `restricted` fixture has a
//! view, heads-office, that is `restricted: true`, with a section of its
//! own (and an image beside it), an audience block in a section everyone
//! reads, an organisation and a person's contact only it lists, and the
//! addresses they use; its 2025-26 draft changes each of them. After a
//! build, and a link check's report that names those addresses, not one
//! byte of any file under public/ (pages, sitemap.xml, 404, the
//! accessibility statement, the governors' reviews, links and change
//! pages, assets) may hold any of them; restricted/ holds every one.

mod common;

use std::collections::BTreeMap;

use common::{Site, snapshot, visible_text};

/// What only the restricted view may show: text, addresses, a contact,
/// and the names of its files, section and view. Compared without regard
/// to case, so a title and the slug made from it are both caught.
const RESTRICTED_ONLY: &[&str] = &[
    // The restricted section's title, text and file names, in both revisions.
    "Quillfeather",
    "locked cabinet in room 14",
    "Wrenfield annexe",
    "040-casework-log",
    "casework-log",
    "quillfeather-plan",
    // What only the restricted view showed in 2023-24, so each view's
    // change pages and feed from 2023-24 to 2024-25 are scanned too.
    "Bramblegate",
    "priya.venn.2023@hillside.example",
    "01632 960778",
    // A section only the draft has.
    "Thistledown",
    "exclusion-reviews",
    // The audience block inside a public section.
    "Larkspur",
    "larkspur-panel.example",
    // A link in the restricted section.
    "county-casework-desk.example",
    // The organisation only the restricted view lists.
    "Marlowe Casework Trust",
    "Confidential advice on casework",
    "marlowe-casework.example",
    // A person's contact that only the restricted view shows.
    "priya.venn.private@hillside.example",
    "p.venn.casework@hillside.example",
    "01632 960777",
    // The view itself.
    "heads-office",
    "Casework notes for the senior leadership team",
];

/// Where `needle` first stands in a file of the site: `file:line:column`,
/// as `policyweb check` records it.
fn place(site: &Site, file: &str, needle: &str) -> String {
    let text = site.read(file);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {file}"));
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rfind('\n').map_or(at, |n| at - n - 1) + 1;
    format!("{file}:{line}:{column}")
}

/// Where CEOP's address is used: in organisations.yaml, which every view
/// reads, in the restricted view's own section, and in its audience block
/// inside a public section.
fn ceop_places(site: &Site) -> [String; 3] {
    [
        place(site, "data/organisations.yaml", "https://www.ceop"),
        place(site, "content/040-casework-log.md", "https://www.ceop"),
        place(site, "content/020-reporting.md", "https://www.ceop"),
    ]
}

/// A link check's report, as `policyweb check` would leave it: one public
/// address that is broken, the accessibility contact, and the restricted
/// view's addresses, three of them needing attention.
fn write_report(site: &Site) {
    let link = |url: &str, outcome: &str, places: &[String]| {
        format!(
            r#"{{"url":"{url}","outcome":{outcome},"places":{},"cached":false}}"#,
            serde_json::to_string(places).unwrap()
        )
    };
    let broken = r#"{"status":"broken","reason":"404 Not Found","code":404}"#;
    let links = [
        link(
            "https://larkspur-panel.example/cases",
            broken,
            &[place(site, "content/020-reporting.md", "https://larkspur")],
        ),
        link(
            "https://county-casework-desk.example/intake",
            broken,
            &[place(site, "content/040-casework-log.md", "https://county")],
        ),
        link("https://www.ceop.police.uk/", broken, &ceop_places(site)),
        link(
            "https://marlowe-casework.example/referrals-2025",
            r#"{"status":"moved","code":301,"to":"https://marlowe-casework.example/new"}"#,
            &[place(site, "data/organisations.yaml", "https://marlowe")],
        ),
        link(
            "mailto:office@hillside.example",
            r#"{"status":"mail"}"#,
            &[place(site, "data/site.yaml", "office@")],
        ),
        link(
            "mailto:p.venn.casework@hillside.example",
            r#"{"status":"mail"}"#,
            &[place(site, "data/people.yaml", "p.venn.casework@")],
        ),
    ];
    site.write(
        ".policyweb/link-report.json",
        format!(
            r#"{{"checked_at":"2024-05-30T09:00:00Z","links":[{}]}}"#,
            links.join(",")
        ),
    );
}

fn lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_lowercase()
}

/// Every needle that some file of `tree` holds, with the first such file.
fn found_in(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&'static str, String> {
    let mut found = BTreeMap::new();
    for (path, bytes) in tree {
        let text = lower(bytes);
        for needle in RESTRICTED_ONLY {
            if text.contains(&needle.to_lowercase()) || path.contains(needle) {
                found.entry(*needle).or_insert_with(|| path.clone());
            }
        }
    }
    found
}

#[test]
fn nothing_of_a_restricted_view_reaches_any_byte_of_public() {
    let site = Site::copy_of("restricted");
    write_report(&site);
    site.build().assert_success();

    let public = site.snapshot();
    let leaks = found_in(&public);
    assert!(
        leaks.is_empty(),
        "restricted text in public/ (needle → first file):\n{leaks:#?}"
    );

    // The fixture does exercise each of them: every one is in restricted/.
    let restricted = snapshot(&site.root().join("restricted"));
    let found = found_in(&restricted);
    let missing: Vec<&&str> = RESTRICTED_ONLY
        .iter()
        .filter(|n| !found.contains_key(**n))
        .collect();
    assert!(
        missing.is_empty(),
        "the fixture should show these in restricted/: {missing:?}"
    );

    // And public/ has what it should: the governors' pages of the link
    // check, the change pages and the accessibility statement.
    for page in [
        "governors/reviews/index.html",
        "governors/links/index.html",
        "governors/changes/2024-25...2025-26/index.html",
        "accessibility/index.html",
        "sitemap.xml",
        "404.html",
    ] {
        assert!(public.contains_key(page), "public/{page} is built");
    }
}

#[test]
fn the_governors_link_pages_count_and_list_only_public_addresses() {
    let site = Site::copy_of("restricted");
    write_report(&site);
    site.build().assert_success();

    // Of the six addresses, two are on public pages: CEOP (broken) and
    // the accessibility contact (an e-mail address, fine).
    let links = visible_text(&site.page("governors/links/index.html"));
    assert!(
        links.contains("Links last checked on 30 May 2024: 2 links: 1 fine, 1 broken."),
        "{links}"
    );
    assert!(links.contains("https://www.ceop.police.uk/"), "{links}");
    // Only the place every view reads: not the restricted section, nor
    // the restricted block in a section parents read.
    let [data, section, block] = ceop_places(&site);
    assert!(links.contains(&format!("Used at {data} ")), "{links}");
    assert!(!links.contains(&block), "{links}");
    assert!(!links.contains(&section), "{links}");
    let reviews = visible_text(&site.page("governors/reviews/index.html"));
    assert!(reviews.contains("2 links: 1 fine, 1 broken"), "{reviews}");

    // The restricted view's own pages have the whole report.
    let restricted = site.root().join("restricted/heads-office");
    let links =
        visible_text(&std::fs::read_to_string(restricted.join("links/index.html")).unwrap());
    assert!(
        links.contains("6 links: 2 fine, 3 broken, 1 moved"),
        "{links}"
    );
    assert!(
        links.contains(&format!("Used at {data}, {section}, {block}")),
        "{links}"
    );
    assert!(
        links.contains(&place(
            &site,
            "content/040-casework-log.md",
            "https://county"
        )),
        "{links}"
    );
}

#[test]
fn an_image_only_a_restricted_section_shows_is_published_only_with_it() {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    let image = "assets/content/2025-26/quillfeather-plan.png";
    assert!(
        !site.out().join(image).exists(),
        "public/{image} is published"
    );
    assert!(site.root().join("restricted").join(image).exists());
    let page = site.read("restricted/versions/2025-26/heads-office/casework-log/index.html");
    assert!(page.contains("quillfeather-plan.png"), "{page}");
}
