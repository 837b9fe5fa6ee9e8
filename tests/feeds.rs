//! Each view's Atom feed (`<view>/feed.xml`), read as a feed reader reads
//! it (feed-rs) and checked against what RFC 4287 requires (quick-xml):
//! one entry per approved revision with its approval date, the draft only
//! in governance views, entry ids the same from one build to the next,
//! school data escaped, a link from every page of the view, and a
//! restricted view's feed only in restricted/.

mod common;

use std::collections::BTreeMap;

use common::Site;
use quick_xml::events::Event;

fn built() -> Site {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    site
}

fn parse(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}:\n{xml}"))
}

/// Each entry as (id, title, updated, link).
fn entries(feed: &feed_rs::model::Feed) -> Vec<(String, String, String, String)> {
    feed.entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default(),
                e.updated.map(|u| u.to_rfc3339()).unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_views_feed_has_one_entry_per_approved_revision_with_its_approval_date() {
    let site = built();
    let feed = parse(&site.page("parents/feed.xml"));
    let base = "https://hillside.example/online-safety/";
    assert_eq!(
        entries(&feed)
            .into_iter()
            .map(|(_, title, updated, link)| (title, updated, link))
            .collect::<Vec<_>>(),
        vec![
            (
                "Revision 2024-25 approved".to_string(),
                "2024-03-13T00:00:00+00:00".to_string(),
                format!("{base}parents/changes/2023-24...2024-25/"),
            ),
            (
                "Revision 2023-24 approved".to_string(),
                "2023-03-15T00:00:00+00:00".to_string(),
                format!("{base}versions/2023-24/parents/"),
            ),
        ]
    );
    let newest = &feed.entries[0];
    let summary = newest.summary.as_ref().unwrap().content.clone();
    assert_eq!(
        summary,
        "Approved by the Full Governing Body on 13 March 2024 (minute: FGB 24/07). \
         Changed for Parents and carers: 2 sections and 1 other change."
    );
    let content = newest.content.as_ref().unwrap().body.clone().unwrap();
    assert!(content.contains("Reporting a concern</a>"), "{content}");
    assert!(!content.contains("working day"), "{content}");
    assert_eq!(
        feed.updated.map(|u| u.to_rfc3339()).as_deref(),
        Some("2024-03-13T00:00:00+00:00")
    );
    assert_eq!(
        feed.authors[0].name.as_deref(),
        Some("Hillside Primary School")
    );

    // Governors are also told of the open draft, dated the day of the build.
    let governors = entries(&parse(&site.page("governors/feed.xml")));
    assert_eq!(governors.len(), 3, "{governors:?}");
    assert_eq!(governors[0].1, "Draft revision 2025-26 awaiting approval");
    assert_eq!(governors[0].2, format!("{}T00:00:00+00:00", common::TODAY));
    assert_eq!(
        governors[0].3,
        format!("{base}governors/changes/2024-25...2025-26/")
    );
}

/// The children each element of a document has, by the path to it
/// (`feed/entry`), with their attributes, for the rules of RFC 4287.
#[derive(Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    text: String,
    children: Vec<Element>,
}

fn tree(xml: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    let element = |e: &quick_xml::events::BytesStart| Element {
        name: e.local_name().as_ref().to_string(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{e}:\n{xml}"))
        {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let child = element(&e);
                stack.last_mut().unwrap().children.push(child);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = (*r).to_string();
                let character = r
                    .resolve_char_ref()
                    .unwrap()
                    .map(String::from)
                    .or_else(|| quick_xml::escape::resolve_xml_entity(&name).map(String::from))
                    .unwrap_or_else(|| panic!("unknown entity &{name};"));
                stack.last_mut().unwrap().text.push_str(&character);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().unwrap().children.pop().expect("a root element")
}

impl Element {
    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn one(&self, name: &str) -> &Element {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "{} must have one {name}", self.name);
        found[0]
    }
}

/// RFC 3339, as Atom's dates are written: `2024-03-13T00:00:00Z`.
fn is_date(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// The rules of RFC 4287 section 4.1 that a feed reader relies on.
fn check_atom(xml: &str, file: &str) {
    let feed = tree(xml);
    assert_eq!(feed.name, "feed", "{file}");
    assert_eq!(
        feed.attributes.get("xmlns").map(String::as_str),
        Some("http://www.w3.org/2005/Atom"),
        "{file}"
    );
    let iri = |text: &str| {
        url::Url::parse(text).is_ok_and(|u| !u.cannot_be_a_base() || u.scheme() == "tag")
    };
    assert!(iri(&feed.one("id").text), "{file}: feed id");
    assert!(!feed.one("title").text.is_empty(), "{file}");
    assert!(is_date(&feed.one("updated").text), "{file}");
    // The feed has an author, so every entry has one.
    assert!(!feed.one("author").one("name").text.is_empty(), "{file}");
    let self_link = feed
        .all("link")
        .into_iter()
        .filter(|l| l.attributes.get("rel").map(String::as_str) == Some("self"))
        .count();
    assert_eq!(self_link, 1, "{file}: a link to itself");
    let mut ids = Vec::new();
    for entry in feed.all("entry") {
        let id = &entry.one("id").text;
        assert!(iri(id), "{file}: entry id {id}");
        ids.push(id.clone());
        assert!(!entry.one("title").text.is_empty(), "{file}");
        assert!(is_date(&entry.one("updated").text), "{file}");
        let alternate: Vec<_> = entry
            .all("link")
            .into_iter()
            .filter(|l| l.attributes.get("rel").is_none_or(|r| r == "alternate"))
            .collect();
        assert_eq!(alternate.len(), 1, "{file}: {id} has one alternate link");
        assert!(
            url::Url::parse(&alternate[0].attributes["href"]).is_ok(),
            "{file}"
        );
        // No content with src, so a summary is not required, but ours says
        // what changed; HTML content is escaped text, not markup.
        assert!(!entry.one("summary").text.is_empty(), "{file}");
        let content = entry.one("content");
        assert_eq!(content.attributes["type"], "html", "{file}");
        assert!(content.children.is_empty(), "{file}: escaped, not markup");
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{file}: ids repeat");
}

#[test]
fn every_feed_has_what_rfc_4287_requires_and_a_restricted_views_only_in_restricted() {
    let site = built();
    for view in ["parents", "staff", "governors"] {
        let file = format!("{view}/feed.xml");
        check_atom(&site.page(&file), &file);
    }
    let restricted = site.root().join("restricted/heads-office/feed.xml");
    let xml = std::fs::read_to_string(&restricted).unwrap();
    check_atom(&xml, "restricted/heads-office/feed.xml");
    assert!(!site.out().join("heads-office").exists());
    let public = site.snapshot();
    assert!(
        public.keys().all(|p| !p.contains("heads-office")),
        "{:?}",
        public.keys().collect::<Vec<_>>()
    );
}

#[test]
fn entry_ids_are_the_same_in_two_builds_and_unique_to_view_and_revision() {
    let ids = |site: &Site, view: &str| -> Vec<String> {
        entries(&parse(&site.page(&format!("{view}/feed.xml"))))
            .into_iter()
            .map(|(id, ..)| id)
            .collect()
    };
    let first = built();
    // Another day, another folder, an edited draft: the same ids.
    let second = Site::copy_of("restricted");
    second.replace(
        "content/010-introduction.md",
        "starts in September.",
        "starts in October.",
    );
    second
        .run(&["build", "--today", "2025-01-10"])
        .assert_success();
    for view in ["parents", "staff", "governors"] {
        assert_eq!(ids(&first, view), ids(&second, view), "{view}");
    }
    assert_eq!(
        ids(&first, "parents"),
        [
            "tag:hillside.example,2023-03-15:online-safety/parents/2024-25",
            "tag:hillside.example,2023-03-15:online-safety/parents/2023-24",
        ]
    );
    let governors = ids(&first, "governors");
    assert_eq!(
        governors[0],
        "tag:hillside.example,2023-03-15:online-safety/governors/2025-26/draft"
    );
}

#[test]
fn every_page_of_a_view_links_to_its_feed() {
    let site = built();
    let mut pages = 0;
    for (path, bytes) in site.snapshot() {
        let Some(view) = ["parents", "staff", "governors"]
            .into_iter()
            .find(|v| path.starts_with(&format!("{v}/")) || path.contains(&format!("/{v}/")))
        else {
            continue;
        };
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let depth = path.matches('/').count();
        let href = format!("{}{view}/feed.xml", "../".repeat(depth));
        assert!(
            html.contains(&format!(
                "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{href}\""
            )),
            "{path} links to {href}"
        );
    }
    assert!(pages > 40, "{pages} pages");
}

#[test]
fn names_from_the_school_data_are_escaped_in_the_feed() {
    let site = Site::copy_of("restricted");
    site.replace(
        "data/site.yaml",
        "name: Hillside Primary School",
        "name: \"Hillside & <Dale> \\\"Primary\\\" \\u0001School\"",
    );
    site.replace(
        "data/site.yaml",
        "title: Parents and carers",
        "title: Parents & carers </title><script>",
    );
    site.build().assert_success();
    let xml = site.page("parents/feed.xml");
    check_atom(&xml, "parents/feed.xml");
    let feed = parse(&xml);
    assert_eq!(
        feed.authors[0].name.as_deref(),
        Some("Hillside & <Dale> \"Primary\" School")
    );
    assert_eq!(
        feed.title.unwrap().content,
        "Online Safety Policy: what changed for Parents & carers </title><script>"
    );
    assert!(!xml.contains("<script>"), "{xml}");
}

#[test]
fn without_an_address_to_name_it_by_no_feed_is_built_or_linked() {
    let site = Site::copy_of("restricted");
    site.replace(
        "data/site.yaml",
        "base_url: https://hillside.example/online-safety/\n",
        "",
    );
    site.replace(
        "data/site.yaml",
        "  website: https://hillside.example\n",
        "",
    );
    site.build().assert_success();
    assert!(!site.out().join("parents/feed.xml").exists());
    let contents = site.page("parents/index.html");
    assert!(!contents.contains("application/atom+xml"), "{contents}");
    // The pages of what changed are built all the same.
    assert!(site.out().join("parents/changes/index.html").exists());

    // With the school's website, a feed from the host's root.
    let site = Site::copy_of("restricted");
    site.replace(
        "data/site.yaml",
        "base_url: https://hillside.example/online-safety/\n",
        "",
    );
    site.build().assert_success();
    let feed = parse(&site.page("parents/feed.xml"));
    assert_eq!(
        feed.entries[0].links[0].href,
        "/parents/changes/2023-24...2024-25/"
    );
    assert_eq!(
        feed.entries[0].id,
        "tag:hillside.example,2023-03-15:parents/2024-25"
    );
}
