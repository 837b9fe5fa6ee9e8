//! The governors' overdue notice: the full list on the view's contents and
//! reviews pages, one line linking to the reviews page everywhere else.
//!
//! The minimal fixture's policy review is due by September 2024 (overdue
//! from 1 October) and its filtering check, last done on 20 September 2023
//! every 12 months, is due by 20 September 2024 (overdue from the 21st).

mod common;

use std::path::Path;

use common::{Site, visible_text};

/// The notice at the top of a page: from `id="review-notice"` to the end of
/// its element, or `None` when the page has none.
fn notice(html: &str) -> Option<String> {
    let start = html.find("id=\"review-notice\"")?;
    let rest = &html[start..];
    let end = rest.find("<main").unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

/// The one `href` in a piece of a page.
fn only_link(html: &str) -> String {
    let hrefs: Vec<&str> = html.split("href=").skip(1).collect();
    assert_eq!(hrefs.len(), 1, "one link expected in {html}");
    hrefs[0]
        .trim_start_matches('"')
        .split(['"', '>', ' '])
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn pages_other_than_contents_and_reviews_say_how_many_in_one_line() {
    let site = Site::copy_of("minimal");
    site.run(&["build", "--today", "2025-01-15"])
        .assert_success();
    for page in [
        "governors/reporting/index.html",
        "governors/all/index.html",
        "governors/people/index.html",
        "governors/revisions/index.html",
    ] {
        let html = site.page(page);
        let notice = notice(&html).unwrap_or_else(|| panic!("{page} has no overdue notice"));
        let text = visible_text(&notice);
        assert!(
            text.contains("2 reviews and checks are overdue"),
            "{page}: {text}"
        );
        // The sentences themselves are left to the reviews page.
        assert!(!text.contains("was due by"), "{page}: {text}");
        // The line links to the reviews page, wherever the page is.
        let href = only_link(&notice);
        let folder = Path::new(page).parent().unwrap();
        let target = site.out().join(folder).join(&href).join("index.html");
        let target = std::fs::canonicalize(&target)
            .unwrap_or_else(|e| panic!("{page}: {href} does not resolve: {e}"));
        assert_eq!(
            target,
            std::fs::canonicalize(site.out().join("governors/reviews/index.html")).unwrap(),
            "{page}"
        );
    }
    // The view's contents and reviews pages keep the full list.
    for page in ["governors/index.html", "governors/reviews/index.html"] {
        let text = visible_text(&notice(&site.page(page)).unwrap());
        for sentence in [
            "Review of this policy was due by September 2024.",
            "Filtering and monitoring review was due by 20 September 2024.",
        ] {
            assert!(text.contains(sentence), "{page}: {text}");
        }
        assert!(!text.contains("are overdue"), "{page}: {text}");
    }
    // Parents and staff never see either.
    for page in ["parents/reporting/index.html", "staff/reporting/index.html"] {
        assert!(notice(&site.page(page)).is_none(), "{page}");
    }
}

#[test]
fn one_overdue_item_is_singular() {
    let site = Site::copy_of("minimal");
    // The filtering check is overdue; the policy review not until October.
    site.run(&["build", "--today", "2024-09-25"])
        .assert_success();
    let text = visible_text(&notice(&site.page("governors/reporting/index.html")).unwrap());
    assert!(text.contains("1 review or check is overdue"), "{text}");
    let full = visible_text(&notice(&site.page("governors/index.html")).unwrap());
    assert!(
        full.contains("Filtering and monitoring review was due by 20 September 2024.")
            && !full.contains("Review of this policy"),
        "{full}"
    );
    // With nothing overdue there is no line at all.
    site.run(&["build", "--today", "2024-06-01"])
        .assert_success();
    assert!(notice(&site.page("governors/reporting/index.html")).is_none());
}
