//! The live preview renders again only the jobs an edit touches
//! (`Job::identity`): after each kind of edit to the example site (three
//! revisions: one replaced, one in force, a draft), every page the preview
//! serves must be byte for byte the page a full build of the edited site
//! makes, in both trees. A job that reads something its fingerprint leaves
//! out would keep a stale page, and one of these edits would show it.

mod common;

use common::Site;
use common::preview::{page, rebuilt_as_built};

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

#[test]
fn every_page_of_the_preview_after_each_kind_of_edit_is_the_page_a_build_makes() {
    let today = day("2024-06-01");
    let site = Site::example();
    let mut rebuilder = policyweb::serve::rebuild::Rebuilder::new(site.root().into(), today);
    rebuilder.rebuild().expect("the example builds");
    let mut check = |after: &str| rebuilt_as_built(&mut rebuilder, &site, today, after);

    // The revision in force (2024-25): its text, then a title.
    site.replace(
        "versions/2024-25/content/020-scope.md",
        "applies to all members of the school community",
        "applies to every member of the school community",
    );
    let public = check("an edit to a section in force");
    assert!(page(&public, "parents/scope/index.html").contains("applies to every member"));
    site.replace(
        "versions/2024-25/content/020-scope.md",
        "title: Scope of the Online Safety Policy",
        "title: Who the Online Safety Policy covers",
    );
    let public = check("a section in force renamed");
    assert!(page(&public, "parents/index.html").contains("Who the Online Safety Policy covers"));

    // A section removed from the revision in force: the replaced
    // revision's page of it no longer leads to it there, but to the
    // contents; then put back.
    let staff_training = "versions/2024-25/content/050-education/030-staff-training.md";
    let text = site.read(staff_training);
    site.remove(staff_training);
    let public = check("a section removed from the revision in force");
    assert!(!public.files.contains_key("staff/staff-training/index.html"));
    assert!(
        public
            .files
            .contains_key("versions/2023-24/staff/staff-training/index.html")
    );
    site.write(staff_training, &text);
    let public = check("a section added to the revision in force");
    assert!(public.files.contains_key("staff/staff-training/index.html"));
    // The same, with no file added or removed: the section in force is
    // no longer shown to staff.
    site.replace(
        staff_training,
        "audiences: [staff, governors]",
        "audiences: [governors]",
    );
    let public = check("a section in force taken out of a view");
    assert!(!public.files.contains_key("staff/staff-training/index.html"));

    // The data of the revision in force.
    site.replace(
        "versions/2024-25/data/people.yaml",
        "name: Tom Clarke",
        "name: Tom Clarke-Hill",
    );
    check("a person in force renamed");
    site.replace(
        "versions/2024-25/data/roles.yaml",
        "title: Acting Deputy Headteacher",
        "title: Deputy Headteacher",
    );
    check("a role in force renamed");
    site.replace(
        "versions/2024-25/data/curriculum.yaml",
        "name: Reception",
        "name: Reception class",
    );
    check("the curriculum in force edited");

    // The replaced revision, and the draft's text and data.
    site.replace(
        "versions/2023-24/content/020-scope.md",
        "applies to all members",
        "applies to all the members",
    );
    check("an edit to a replaced revision");
    site.replace(
        "content/020-scope.md",
        "applies to all members",
        "applies to each and every member",
    );
    let public = check("an edit to the draft");
    assert!(
        page(&public, "versions/2025-26/governors/scope/index.html")
            .contains("each and every member")
    );
    site.replace("data/people.yaml", "name: Tom Clarke", "name: T. Clarke");
    check("a person in the draft renamed");
    site.replace(
        "data/reviews.yaml",
        "last_done: 2024-09\n",
        "last_done: 2024-05\n",
    );
    check("a check recorded in the draft");

    // The theme, which every page reads.
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/section.html"),
    )
    .unwrap();
    site.write(
        "themes/default/templates/section.html",
        template.replace(
            "<div class=\"prose\">",
            "<div class=\"prose\" data-theme=\"edited\">",
        ),
    );
    let public = check("a theme edit");
    assert!(page(&public, "parents/scope/index.html").contains("data-theme=\"edited\""));

    // The draft approved: it is now in force, and every view shows it.
    site.replace(
        "data/versions.yaml",
        "status: draft                     # not yet approved: only the governors' view shows it",
        "status: approved\n  approved: 2024-05-15\n  approved_by: the Westgate Primary Governing Body",
    );
    let public = check("the draft approved");
    assert!(page(&public, "parents/scope/index.html").contains("each and every member"));
    // Now the text in content/ is the revision in force.
    site.replace(
        "content/020-scope.md",
        "applies to each and every member",
        "applies to each member",
    );
    check("an edit to the section in force in content/");

    // Another day: overdue reviews and checks move with it.
    let later = day("2025-11-01");
    rebuilder.set_today(later);
    rebuilt_as_built(&mut rebuilder, &site, later, "a later day");
}

/// A section's reading is kept only while the headings it asks of other
/// sections answer the same. Two headings added above the one a link
/// names push that heading's id on (`actions-2` becomes `actions-2-2`,
/// the added ones taking `actions` and `actions-2`): the unedited
/// sections that link to it must link to its new id, not to the old one,
/// which now names another heading. Then a heading renamed must show the
/// broken links to it in the unedited sections, until it comes back.
#[test]
fn a_link_follows_a_heading_that_an_edit_to_its_section_renamed() {
    let today = day("2024-06-01");
    let site = Site::example();
    let linked = "content/040-policy-and-leadership/030-policy/010-acceptable-use.md";
    site.replace(
        linked,
        "## User actions {#user-actions}",
        "## User actions {#actions-2}",
    );
    for linking in [
        "020-reporting-concerns",
        "030-responding-to-learner-actions",
        "040-responding-to-staff-actions",
    ] {
        site.replace(
            &format!("content/040-policy-and-leadership/030-policy/{linking}.md"),
            "acceptable-use#user-actions",
            "acceptable-use#actions-2",
        );
    }
    let mut rebuilder = policyweb::serve::rebuild::Rebuilder::new(site.root().into(), today);
    rebuilder.rebuild().expect("the example builds");
    site.replace(
        linked,
        "## User actions {#actions-2}",
        "## Actions\n\nWho may do what.\n\n## Actions\n\nAnd when.\n\n## User actions {#actions-2}",
    );
    let built = rebuilt_as_built(&mut rebuilder, &site, today, "two headings added");
    let learner = page(
        &built,
        "versions/2025-26/governors/responding-to-learner-actions/index.html",
    );
    assert!(learner.contains("acceptable-use/#actions-2-2"));

    site.replace(linked, "{#actions-2}", "{#what-users-do}");
    let errors = rebuilder
        .rebuild()
        .err()
        .expect("the links to the renamed heading are broken");
    assert!(
        errors.contains("030-responding-to-learner-actions.md")
            && errors.contains(
                "`[[section:acceptable-use#actions-2]]` is broken (there is no heading `#actions-2` there"
            ),
        "the unedited section's link to the renamed heading is not reported: {errors}"
    );
    site.replace(linked, "{#what-users-do}", "{#actions-2}");
    rebuilt_as_built(&mut rebuilder, &site, today, "the heading put back");
}

/// A glossary term is marked at its first use on a page, so on the print
/// page, which shows every section one after another, a section's reading
/// depends on the sections above it. A term used first in an edited
/// section higher up takes the mark from the unedited section that had
/// it, and gives it back when it is taken out again.
#[test]
fn a_term_used_higher_up_the_print_page_takes_the_mark_from_an_unedited_section() {
    let today = day("2024-06-01");
    let site = Site::example();
    let mut rebuilder = policyweb::serve::rebuild::Rebuilder::new(site.root().into(), today);
    rebuilder.rebuild().expect("the example builds");
    let print = "versions/2025-26/governors/all/index.html";
    let marked = r#"<abbr title="Child Sexual Abuse Material">CSAM</abbr>"#;
    // Where the one marked use is: before the reporting section (in the
    // scope) or in it.
    let marked_in_scope = |html: &str| {
        assert_eq!(html.matches(marked).count(), 1, "CSAM is marked once");
        html.find(marked) < html.find(r#"id="reporting-concerns""#)
    };
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "nothing changed");
    assert!(!marked_in_scope(&page(&public, print)));

    site.replace(
        "content/020-scope.md",
        "applies to all members",
        "applies, as it does to [[term:csam]], to all members",
    );
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "a term used higher up");
    assert!(marked_in_scope(&page(&public, print)));

    site.replace(
        "content/020-scope.md",
        "applies, as it does to [[term:csam]], to all members",
        "applies to all members",
    );
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "the term taken out");
    assert!(!marked_in_scope(&page(&public, print)));
}
