//! The tags the link check reads from every page (`links::internal::tags_of`,
//! html5gum's tokenizer) are the tags html5ever's tokenizer finds in it
//! (`html::start_tags`, the reader the check used before), with only the
//! attributes the check names: on hostile markup made up from the pieces
//! that trip tokenizers, on hand-picked cases, and on every page of the
//! example site and the fixtures.

mod common;

use std::time::Duration;

use arbtest::arbitrary::Unstructured;
use common::Site;
use policyweb::html::{self, StartTag};
use policyweb::links::internal::{ATTRIBUTES, tags_of};

/// What html5ever's tokenizer gives for `page`, narrowed to the tags with
/// one of the check's attributes, each with only those attributes.
fn html5ever_tags(page: &[u8]) -> Vec<StartTag> {
    html::start_tags(&String::from_utf8_lossy(page))
        .into_iter()
        .filter_map(|tag| {
            let attributes: Vec<(String, String)> = tag
                .attributes
                .into_iter()
                .filter(|(name, _)| ATTRIBUTES.contains(&name.as_str()))
                .collect();
            (!attributes.is_empty()).then_some(StartTag {
                name: tag.name,
                attributes,
            })
        })
        .collect()
}

fn assert_same_tags(page: &[u8], what: &str) {
    assert_eq!(
        tags_of(page),
        html5ever_tags(page),
        "{what}: the tags differ from html5ever's for {:?}",
        String::from_utf8_lossy(page)
    );
}

/// The pieces hostile markup is made of: tags of each case, every kind of
/// attribute quoting, character references with and without their `;`
/// (which attribute values treat differently from text), raw-text and
/// RCDATA elements, comments and CDATA-like junk left open, NUL, carriage
/// returns, a byte-order mark and bytes that are not UTF-8.
const PIECES: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"/",
    b"<a",
    b"<A",
    b"<Img",
    b"<link",
    b"<meta",
    b"<p>",
    b"</p>",
    b"</a href=x>",
    b"<br/>",
    b"<script>",
    b"</script>",
    b"</SCRIPT >",
    b"<style>",
    b"</style>",
    b"<title>",
    b"</title>",
    b"<textarea>",
    b"</textarea>",
    b"<plaintext>",
    b"<xmp>",
    b"<noscript>",
    b"<svg>",
    b"<math>",
    b"<!--",
    b"-->",
    b"--!>",
    b"<!-->",
    b"<!",
    b"<![CDATA[",
    b"]]>",
    b"<!DOCTYPE html>",
    b"<?xml version=1?>",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x0c",
    b"\0",
    b"=",
    b"\"",
    b"'",
    b"`",
    b" href",
    b" HREF",
    b" href=",
    b" href=\"",
    b" href='",
    b" id=",
    b" Id",
    b" ID=\"",
    b" src=",
    b" rel=",
    b" name=",
    b" content=",
    b" class=",
    b" data-x=",
    b" hr\0ef=",
    b"&amp;",
    b"&amp",
    b"&ampx",
    b"&amp=",
    b"&lt",
    b"&#38;",
    b"&#x26;",
    b"&#X26",
    b"&#0;",
    b"&#xD800;",
    b"&#x110000;",
    b"&#128;",
    b"&notit;",
    b"&noti",
    b"&not",
    b"&AMP;",
    b"&Aacute",
    b"&",
    b"#",
    b"x",
    b"../people/#dsl",
    b"\xc3\xa9",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xe2\x82",
    b"\xc0\xaf",
];

fn hostile_page(u: &mut Unstructured<'_>) -> arbtest::arbitrary::Result<Vec<u8>> {
    let mut page = Vec::new();
    while !u.is_empty() {
        if u.ratio(1, 8)? {
            // Now and then a raw byte, so no list of pieces bounds what
            // the tokenizers see.
            page.push(u.arbitrary()?);
        } else {
            page.extend_from_slice(u.choose(PIECES)?);
        }
    }
    Ok(page)
}

#[test]
fn hostile_markup_gives_html5evers_tags() {
    arbtest::arbtest(|u| {
        let page = hostile_page(u)?;
        assert_same_tags(&page, "generated page");
        Ok(())
    })
    .budget(Duration::from_secs(3))
    .size_max(2_048);
}

#[test]
fn hand_picked_cases_give_html5evers_tags_and_the_expected_ones() {
    // Each with the tags a reader of the HTML standard expects: the first
    // of two `href`s, an unquoted value ended by `>`, `&amp` decoded in
    // text position but not before `=` in an attribute, uppercase names
    // lowered, a tag inside `<script>` still read (nothing tells the
    // tokenizer it is in a script), none inside a comment, an end tag's
    // attributes ignored, and a tag cut off by the end of the page dropped.
    let page = concat!(
        r#"<A HREF="one" href="two" ID=x&amp;y>"#,
        r#"<a href=a&ampb=c id=&lt>"#,
        r#"<script>"<a href='in-script'>"</script>"#,
        r#"<!-- <a href="in-comment"> --><![CDATA[<a id=cdata>]]>"#,
        r#"</p id="end-tag"><img src="x.png" class="c" alt=x>"#,
        r#"<a href="cut-off"#,
    );
    let expected: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("a", vec![("href", "one"), ("id", "x&y")]),
        ("a", vec![("href", "a&ampb=c"), ("id", "<")]),
        ("a", vec![("href", "in-script")]),
        // `<![CDATA[` is a bogus comment in HTML content, ended by the
        // first `>`: the `<a id=cdata>` inside it is text.
        ("img", vec![("src", "x.png")]),
    ];
    let tags = tags_of(page.as_bytes());
    let found: Vec<(&str, Vec<(&str, &str)>)> = tags
        .iter()
        .map(|tag| {
            (
                tag.name.as_str(),
                tag.attributes
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert_same_tags(page.as_bytes(), "hand-picked page");

    // Not UTF-8, NUL and carriage returns inside values.
    for page in [
        &b"<a href=\"x\xffy\" id=\"a\0b\">"[..],
        b"<a href=\"line\r\nbreak\rhere\">",
        b"\xef\xbb\xbf<a id=bom>",
        b"<a\0href=x href=y>",
        b"<a href=x/><a/href=y>",
    ] {
        assert_same_tags(page, "hand-picked page");
    }
}

/// Every HTML page a build of `site` writes, public and restricted.
fn pages_of(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut pages = Vec::new();
    for folder in ["public", "restricted"] {
        for (path, bytes) in common::snapshot(&site.path(folder)) {
            if path.ends_with(".html") {
                pages.push((format!("{folder}/{path}"), bytes));
            }
        }
    }
    pages
}

#[test]
fn every_page_of_the_example_and_the_fixtures_gives_html5evers_tags() {
    let mut sites = vec![("example", Site::example())];
    for fixture in ["minimal", "history", "restricted", "curriculum", "status"] {
        sites.push((fixture, Site::copy_of(fixture)));
    }
    for (name, site) in &sites {
        site.build().assert_success();
        let pages = pages_of(site);
        assert!(
            pages.len() > 1,
            "{name}: the build wrote {} pages",
            pages.len()
        );
        let mut links = 0;
        for (path, page) in &pages {
            assert_same_tags(page, &format!("{name}: {path}"));
            links += tags_of(page).len();
        }
        // The comparison means something only if pages have links.
        assert!(links > pages.len(), "{name}: only {links} tags read");
    }
}
