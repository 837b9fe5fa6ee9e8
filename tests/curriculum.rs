//! The curriculum map on the `curriculum` fixture: a school's own framework
//! (three strands, two age bands), an approved 2024-25 map and a 2025-26
//! draft, and four views asking for different curriculum pages (parents:
//! years; staff: map and strands; governors: all; a restricted view: the
//! gaps alone).

mod common;

use common::{Site, visible_text};

fn built() -> Site {
    let site = Site::copy_of("curriculum");
    site.build().assert_success();
    site
}

/// Every curriculum page a tree holds, as paths under it.
fn curriculum_pages(tree: &std::path::Path, prefix: &str) -> Vec<String> {
    let mut pages: Vec<String> = common::snapshot(tree)
        .into_keys()
        .filter(|p| p.starts_with(prefix) && p.contains("curriculum"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn each_view_has_the_curriculum_pages_it_asks_for() {
    let site = built();
    let public = site.out();
    assert_eq!(
        curriculum_pages(&public, "parents/"),
        [
            "parents/curriculum/index.html",
            "parents/curriculum/reception/index.html",
            "parents/curriculum/year-1/index.html",
            "parents/curriculum/year-3/index.html",
        ]
    );
    assert_eq!(
        curriculum_pages(&public, "staff/"),
        [
            "staff/curriculum/index.html",
            "staff/curriculum/strands/information/index.html",
            "staff/curriculum/strands/kindness/index.html",
            "staff/curriculum/strands/privacy/index.html",
        ]
    );
    let governors = [
        "governors/curriculum/coverage/index.html",
        "governors/curriculum/index.html",
        "governors/curriculum/reception/index.html",
        "governors/curriculum/strands/information/index.html",
        "governors/curriculum/strands/kindness/index.html",
        "governors/curriculum/strands/privacy/index.html",
        "governors/curriculum/year-1/index.html",
        "governors/curriculum/year-3/index.html",
    ];
    assert_eq!(curriculum_pages(&public, "governors/"), governors);
    // The draft's own map, for governors only.
    let draft: Vec<String> = governors
        .iter()
        .map(|p| format!("versions/2025-26/{p}"))
        .collect();
    assert_eq!(curriculum_pages(&public, "versions/"), draft);
    // A restricted view's pages stay beside public/, never in it.
    assert_eq!(
        curriculum_pages(&site.path("restricted"), ""),
        [
            "leaders/curriculum/coverage/index.html",
            "leaders/curriculum/index.html",
        ]
    );
    assert!(curriculum_pages(&public, "leaders/").is_empty());
    // Each view's navigation leads to its curriculum pages.
    for view in ["parents", "staff", "governors"] {
        assert!(
            site.page(&format!("{view}/index.html"))
                .contains(&format!("href=\"../{view}/curriculum/\">Curriculum</a>")),
            "{view} links to its curriculum pages"
        );
    }
}

#[test]
fn the_map_lists_units_with_counts_and_marks_gaps_in_words() {
    let site = built();
    let map = site.page("staff/curriculum/index.html");
    let text = visible_text(&map);
    // In force is 2024-25: Year 1 teaches Kindness online with one unit,
    // and nothing teaches Privacy and passwords.
    assert!(text.contains("Online safety units by strand and year group"));
    assert!(text.contains(
        "Kindness online 1 unit Kind words (Autumn 2) 1 unit Telling a grown-up (Summer 1) Gap"
    ));
    assert!(text.contains("Privacy and passwords Gap Gap Gap"));
    assert!(map.contains("class=\"heat heat-gap\""));
    // Staff have strand pages, not year pages: rows link, columns do not.
    assert!(map.contains("href=\"../../staff/curriculum/strands/kindness/\">Kindness online</a>"));
    assert!(!map.contains("curriculum/year-1/"));
    // The draft's map, on the governors' view, counts two units where
    // Year 1 now teaches privacy twice.
    let draft = visible_text(&site.page("versions/2025-26/governors/curriculum/index.html"));
    assert!(draft.contains(
        "Privacy and passwords Gap 2 units Telling a grown-up (Summer 1) Passwords are secrets (Spring 1) 1 unit Is it true? (Autumn 1)"
    ));
    assert!(draft.contains("6 of 9 strand and year-group pairs are taught. 2 strands have gaps"));
}

#[test]
fn the_coverage_page_and_the_build_list_the_gaps() {
    let site = Site::copy_of("curriculum");
    let run = site.build();
    run.assert_success();
    // The build names the newest revision's gaps, one line a strand.
    assert!(
        run.stderr.contains(
            "Curriculum gaps in revision 2025-26:\n  - Privacy and passwords is not taught in Reception.\n  - Finding things out is not taught in Reception or Year 1, so not at all in the age band Infants.\n"
        ),
        "{}",
        run.stderr
    );
    // The governors' page for the revision in force, 2024-25.
    let coverage = visible_text(&site.page("governors/curriculum/coverage/index.html"));
    assert!(
        coverage.contains("Kindness online Not taught in Year 3 ."),
        "{coverage}"
    );
    assert!(coverage.contains(
        "Privacy and passwords Not taught in Reception , Year 1 or Year 3 . Whole age band Not taught at all in Infants, Juniors."
    ), "{coverage}");
    assert!(coverage.contains(
        "Finding things out Not taught in Reception or Year 1 . Whole age band Not taught at all in Infants."
    ), "{coverage}");
    assert!(coverage.contains("3 of 9 pairs of strand and year group"));
    // Parents are not shown gaps; governors see them on the year page.
    let parents = visible_text(&site.page("parents/curriculum/year-1/index.html"));
    assert!(!parents.contains("Not taught"));
    let governors = visible_text(&site.page("governors/curriculum/year-1/index.html"));
    assert!(
        governors.contains("Not taught in Year 1: Privacy and passwords , Finding things out .")
    );
}

#[test]
fn a_year_page_tells_parents_what_their_child_learns() {
    let site = built();
    let year = site.page("versions/2025-26/governors/curriculum/year-1/index.html");
    let text = visible_text(&year);
    assert!(text.contains("What your child learns in Year 1 about staying safe online"));
    // Units come term by term, whatever order the file lists them in.
    let spring = text
        .find("Spring 1 Passwords are secrets")
        .expect("spring unit");
    let summer = text
        .find("Summer 1 Telling a grown-up")
        .expect("summer unit");
    assert!(spring < summer);
    assert!(text.contains("Children learn why a password is kept secret."));
    assert!(text.contains("Framework statements: HDC privacy 1"));
    // Parents see the same units without the planning references.
    let parents = visible_text(&site.page("parents/curriculum/reception/index.html"));
    assert!(parents.contains("What your child learns in Reception about staying safe online"));
    assert!(parents.contains("Children learn to use kind words online."));
    assert!(parents.contains("Kind words PSHE · Autumn 2"));
    assert!(!parents.contains("Framework statements"));
    // No strand pages for parents: the strand is named, not linked.
    assert!(parents.contains("Strands: Kindness online"));
    assert!(
        !site
            .page("parents/curriculum/reception/index.html")
            .contains("strands/kindness")
    );
}

#[test]
fn strand_pages_list_units_by_year_and_the_sections_tagged_with_them() {
    let site = built();
    let page = site.page("staff/curriculum/strands/kindness/index.html");
    let text = visible_text(&page);
    assert!(
        text.contains("Kindness online Being kind online and telling someone when others are not.")
    );
    assert!(text.contains("A strand of Hillside Digital Citizenship."));
    assert!(text.contains("Reception Kind words PSHE · Autumn 2"));
    assert!(text.contains("Year 3 Not taught in Year 3."));
    // The section tagged `strands: [kindness]`, linked within the view.
    assert!(page.contains("href=\"../../../../staff/reporting/\">Reporting a concern</a>"));
    // Governors see the same gap called a gap.
    let governors = visible_text(&site.page("governors/curriculum/strands/kindness/index.html"));
    assert!(governors.contains("Gap: no unit teaches Kindness online in Year 3."));
}

#[test]
fn sections_show_their_strands_and_references_link_to_them() {
    let site = built();
    // Staff have strand pages: the section's strand is a link.
    let staff = site.page("staff/reporting/index.html");
    assert!(staff.contains(
        "Curriculum strands: <a href=\"../../staff/curriculum/strands/kindness/\">Kindness online</a>"
    ));
    // Parents have none: the strand is named.
    let parents = site.page("parents/reporting/index.html");
    assert!(visible_text(&parents).contains("Curriculum strands: Kindness online"));
    assert!(!parents.contains("strands/kindness"));
    // The draft's text uses [[curriculum|…]] and [[strand:…]].
    let draft = site.page("versions/2025-26/governors/reporting/index.html");
    assert!(draft.contains(
        "<a class=\"ref-curriculum\" href=\"../../../../versions/2025-26/governors/curriculum/\">our online safety lessons</a>, under <a class=\"ref-strand\" href=\"../../../../versions/2025-26/governors/curriculum/strands/kindness/\">Kindness online</a>"
    ), "{draft}");
}

#[test]
fn what_changed_includes_the_curriculum_and_its_coverage() {
    let site = Site::copy_of("curriculum");
    let run = site.run_here(&["diff", "2024-25", "2025-26"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "\
  - ‘Checking devices’ now covers the strand ‘Privacy and passwords’.
  - 2 Computing units were added.
  - 1 Assembly unit was added.
  - 1 Purple Mash unit was removed.
  - ‘Telling a grown-up’ (Year 1) now also teaches ‘Privacy and passwords’.
  - Kindness online is now taught in Year 3, where it was a gap.
  - Privacy and passwords is now taught in Year 1 and Year 3, where it was a gap.
";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    // The governors' page of the same comparison says the same.
    site.build().assert_success();
    let page = visible_text(&site.page("governors/changes/2024-25...2025-26/index.html"));
    assert!(
        page.contains(
            "Privacy and passwords is now taught in Year 1 and Year 3, where it was a gap."
        )
    );
}

#[test]
fn without_strands_yaml_the_built_in_framework_is_used() {
    let site = Site::copy_of("minimal");
    site.write(
        "data/curriculum.yaml",
        "years:\n  - id: year-2\n    name: Year 2\n    units:\n      - name: Smart passwords\n        provider: Project Evolve\n        term: autumn 1\n        strands: [privacy-and-security]\n",
    );
    let run = site.build();
    run.assert_success();
    let map = visible_text(&site.page("staff/curriculum/index.html"));
    assert!(map.contains("matched against Education for a Connected World"));
    assert!(map.contains("Privacy and security 1 unit Smart passwords (Autumn 1)"));
    // Seven strands are not taught in Year 2, nor in its age band.
    assert!(run.stderr.contains(
        "  - Copyright and ownership is not taught in Year 2, so not at all in the age band Early years to age 7.\n"
    ), "{}", run.stderr);
}

#[test]
fn a_site_without_a_curriculum_has_no_curriculum_pages() {
    let site = Site::copy_of("minimal");
    let run = site.build();
    run.assert_success();
    assert!(curriculum_pages(&site.out(), "").is_empty());
    assert!(!run.stderr.contains("Curriculum gaps"));
    assert!(!site.page("staff/index.html").contains(">Curriculum<"));
}

#[test]
fn the_example_publishes_its_map_and_its_real_gap() {
    let site = Site::example();
    let run = site.build();
    run.assert_success();
    assert!(run.stderr.contains(
        "  - Online reputation is not taught in Reception, Year 1 or Year 2, so not at all in the age band Early years to age 7.\n"
    ), "{}", run.stderr);
    for year in [
        "reception",
        "year-1",
        "year-2",
        "year-3",
        "year-4",
        "year-5",
        "year-6",
    ] {
        let page = visible_text(&site.page(&format!("parents/curriculum/{year}/index.html")));
        assert!(page.contains("What your child learns in"), "{year}");
    }
    let staff = visible_text(&site.page("staff/curriculum/index.html"));
    assert!(staff.contains("Online bullying"));
    let coverage =
        visible_text(&site.page("versions/2025-26/governors/curriculum/coverage/index.html"));
    assert!(
        coverage.contains("Copyright and ownership Not taught in Year 3 ."),
        "{coverage}"
    );
}

#[test]
fn a_year_group_outside_every_age_band_is_a_warning_not_a_failure() {
    let site = Site::copy_of("curriculum");
    site.replace("data/curriculum.yaml", "id: year-3", "id: year-3x");
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr
            .contains("the year group `year-3x` is in none of the framework's age bands")
    );
    assert!(
        run.stderr.contains("data/curriculum.yaml:23:9"),
        "{}",
        run.stderr
    );
    // Its gaps are still counted for the year itself.
    assert!(
        site.path("public/versions/2025-26/governors/curriculum/year-3x/index.html")
            .is_file()
    );
}
