//! The live preview checks again only the links whose verdict could have
//! changed (`links::internal::Kept`): after each edit that breaks or
//! repairs a link without touching the page it is on (its target's
//! heading id renamed, its target page gone from the view), and after
//! edits that move it or put a text back as it was, the preview's errors
//! must be a full build's, word for word.

mod common;

use common::Site;

fn today() -> chrono::NaiveDate {
    "2024-06-01".parse().unwrap()
}

/// The preview's errors after a rebuild (empty when it builds), checked
/// against a full build of the same files.
fn rebuilt_errors(
    rebuilder: &mut policyweb::serve::rebuild::Rebuilder,
    site: &Site,
    after: &str,
) -> String {
    let preview = match rebuilder.rebuild() {
        Ok(_) => String::new(),
        Err(errors) => errors,
    };
    let (sources, errors) = policyweb::build_errors(site.root(), today());
    let built = if errors.has_errors() {
        errors.render(&sources, false)
    } else {
        String::new()
    };
    assert_eq!(
        preview, built,
        "after {after}, the preview's errors are not a build's"
    );
    preview
}

#[test]
fn the_preview_finds_a_link_broken_by_an_edit_to_the_page_it_leads_to_as_a_build_does() {
    let site = Site::example();
    let mut rebuilder = policyweb::serve::rebuild::Rebuilder::new(site.root().into(), today());
    rebuilder.rebuild().expect("the example builds");
    let mut errors = |after: &str| rebuilt_errors(&mut rebuilder, &site, after);

    // A link in the draft's scope to a heading of another section, and
    // to another section's page.
    let scope = "content/020-scope.md";
    site.replace(
        scope,
        "This Online Safety Policy applies",
        "See [CEOP](../useful-links/#links-ceop) and [training](../staff-training/).\n\nThis Online Safety Policy applies",
    );
    assert_eq!(errors("two links added"), "");

    // The heading's id renamed in its own section: the scope page is as
    // it was, and its link now leads nowhere.
    let useful_links = "content/070-useful-links.md";
    site.replace(useful_links, "{#links-ceop}", "{#links-ceop-uk}");
    let broken = errors("the fragment's target renamed");
    assert!(
        broken.contains("../useful-links/#links-ceop") && broken.contains("content/020-scope.md"),
        "{broken}"
    );
    // Blank lines above the broken link (after the front matter's four
    // lines and a blank one): the same page, byte for byte, and the link
    // now on line 8, not 6.
    site.replace(scope, "---\n\nSee [CEOP]", "---\n\n\n\nSee [CEOP]");
    let moved = errors("the broken link moved down");
    assert!(broken.contains("content/020-scope.md:6:"), "{broken}");
    assert!(moved.contains("content/020-scope.md:8:"), "{moved}");
    site.replace(scope, "---\n\n\n\nSee [CEOP]", "---\n\nSee [CEOP]");
    assert_eq!(errors("the link moved back"), broken);

    // The text put back as it was: the link works again.
    site.replace(useful_links, "{#links-ceop-uk}", "{#links-ceop}");
    assert_eq!(errors("the fragment's target put back"), "");

    // The linked section taken out of the governors' view: its page goes.
    let training = "content/050-education/030-staff-training.md";
    site.replace(
        training,
        "audiences: [staff, governors]",
        "audiences: [staff]",
    );
    let gone = errors("the linked page gone");
    assert!(
        gone.contains("../staff-training/") && gone.contains("does not write"),
        "{gone}"
    );
    site.replace(
        training,
        "audiences: [staff]",
        "audiences: [staff, governors]",
    );
    assert_eq!(errors("the linked page back"), "");
}
