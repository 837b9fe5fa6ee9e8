//! What changed, for every view: the `restricted` fixture's 2024-25
//! revision changes a sentence everyone reads ("Tell your class teacher"
//! became "Tell any member of staff"), a sentence in a staff-and-governors
//! audience block ("within two working days" became "within one working
//! day"), and what only the restricted view shows; its 2025-26 draft adds
//! a sentence everyone will read once it is approved (the Saffronmere
//! pilot). Each view's change pages, its list of revisions, its contents
//! page, the landing page and the changed sections tell only what that
//! view shows, with the governors' marks.

mod common;

use common::{Site, visible_text};

const PARENTS_CHANGES: &str = "parents/changes/2023-24...2024-25/index.html";
const STAFF_CHANGES: &str = "staff/changes/2023-24...2024-25/index.html";

fn built() -> Site {
    let site = Site::copy_of("restricted");
    site.build().assert_success();
    site
}

/// The words inside each `<tag>` of a page, without the hidden "added: "
/// or "removed: " that screen readers hear first.
fn marked(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    html.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split(&close).next())
        .map(|inner| {
            visible_text(inner)
                .trim_start_matches("added: ")
                .trim_start_matches("removed: ")
                .to_string()
        })
        .collect()
}

#[test]
fn a_parents_change_page_marks_what_parents_read_and_says_nothing_of_the_staff_only_sentence() {
    let site = built();
    let page = site.page(PARENTS_CHANGES);
    let text = visible_text(&page);
    assert!(
        text.contains("What changed from 2023-24 to 2024-25"),
        "{text}"
    );
    assert!(text.contains("as Parents and carers read it"), "{text}");
    assert!(text.contains("Reporting a concern"), "{text}");
    let removed = marked(&page, "del");
    let added = marked(&page, "ins");
    assert!(
        removed.iter().any(|w| w == "your class teacher,"),
        "{removed:?}"
    );
    assert!(
        added.iter().any(|w| w == "any member of staff,"),
        "{added:?}"
    );
    // The audience block for staff and governors changed too, but parents
    // never read it: not its old words, not its new ones, not a count.
    for staff_only in ["working day", "incident log", "Staff record"] {
        assert!(
            !page.contains(staff_only),
            "{staff_only} on {PARENTS_CHANGES}"
        );
    }
    assert!(
        text.contains("Reporting a concern : changed: 4 words added, 3 words removed"),
        "only the parents' sentence is counted: {text}"
    );

    // Staff read both sentences, each marked.
    let page = site.page(STAFF_CHANGES);
    let (removed, added) = (marked(&page, "del"), marked(&page, "ins"));
    assert!(
        removed.iter().any(|w| w == "your class teacher,"),
        "{removed:?}"
    );
    // "within two working days." became "within one working day.".
    assert!(removed.iter().any(|w| w == "two"), "{removed:?}");
    assert!(removed.iter().any(|w| w == "days."), "{removed:?}");
    assert!(added.iter().any(|w| w == "one"), "{added:?}");
    assert!(added.iter().any(|w| w == "day."), "{added:?}");
}

#[test]
fn each_view_lists_its_revisions_with_what_changed_and_links_to_the_marked_page() {
    let site = built();
    let page = site.page("parents/changes/index.html");
    let text = visible_text(&page);
    assert!(text.contains("Revision 2024-25"), "{text}");
    assert!(text.contains("Revision 2023-24"), "{text}");
    assert!(
        text.find("Revision 2024-25") < text.find("Revision 2023-24"),
        "newest first: {text}"
    );
    assert!(
        text.contains("Approved by the Full Governing Body on 13 March 2024"),
        "{text}"
    );
    // Two sections changed for parents (the review date in the
    // introduction, the sentence in Reporting a concern), and one data
    // change they see (the next review); the restricted contact's change
    // is not theirs.
    assert!(
        text.contains("What changed since revision 2023-24: 2 sections and 1 other change."),
        "{text}"
    );
    assert!(
        page.contains("href=\"../../parents/changes/2023-24...2024-25/#change-reporting\""),
        "{page}"
    );
    assert!(text.contains("The first revision of the policy."), "{text}");
    // A view without governance never lists the draft.
    assert!(!text.contains("2025-26"), "{text}");

    let governors = visible_text(&site.page("governors/changes/index.html"));
    assert!(governors.contains("Revision 2025-26 draft"), "{governors}");
}

#[test]
fn the_contents_and_landing_pages_say_when_the_view_last_changed_and_how_much() {
    let site = built();
    let contents = site.page("parents/index.html");
    assert!(
        contents.contains(
            "<a href=\"../parents/changes/2023-24...2024-25/\">Changed on 13 March 2024: 2 sections and 1 other change</a>"
        ),
        "{contents}"
    );
    let landing = site.page("index.html");
    for view in ["parents", "staff", "governors"] {
        assert!(
            landing.contains(&format!(
                "<a href=\"{view}/changes/2023-24...2024-25/\">Changed on 13 March 2024: 2 sections and 1 other change</a>"
            )),
            "{view} on the landing page: {landing}"
        );
        assert!(
            landing.contains(&format!("<a href=\"{view}/changes/\">")),
            "{landing}"
        );
    }
}

#[test]
fn a_changed_section_says_it_was_updated_and_links_to_its_change_and_an_unchanged_one_does_not() {
    let site = built();
    let note = "Updated in this revision.";
    let reporting = site.page("parents/reporting/index.html");
    assert!(visible_text(&reporting).contains(note), "{reporting}");
    assert!(
        reporting.contains("href=\"../../parents/changes/2023-24...2024-25/#change-reporting\""),
        "{reporting}"
    );
    // The procedures (staff and governors) did not change from 2023-24.
    let procedures = site.page("staff/procedures/index.html");
    assert!(!visible_text(&procedures).contains(note), "{procedures}");
    // The first revision replaced nothing.
    let first = site.page("versions/2023-24/parents/reporting/index.html");
    assert!(!visible_text(&first).contains(note), "{first}");
    // The draft's new sentence is news to governors only.
    let draft = site.page("versions/2025-26/governors/introduction/index.html");
    assert!(
        draft.contains(
            "href=\"../../../../governors/changes/2024-25...2025-26/#change-introduction\""
        ),
        "{draft}"
    );
}

#[test]
fn no_draft_text_reaches_a_change_page_or_feed_of_a_view_without_governance() {
    let site = built();
    let draft_only = "Saffronmere";
    // The governors are told of it: the check can see it.
    assert!(
        site.page("governors/changes/2024-25...2025-26/index.html")
            .contains(draft_only)
    );
    for (path, bytes) in site.snapshot() {
        let public_view = path.starts_with("parents/")
            || path.starts_with("staff/")
            || path.starts_with("versions/2023-24/")
            || path.starts_with("versions/2024-25/parents/")
            || path.starts_with("versions/2024-25/staff/");
        if public_view || !path.contains("governors") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(draft_only),
                "draft text in {path}"
            );
        }
    }
}
