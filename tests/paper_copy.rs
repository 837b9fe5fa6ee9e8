//! A paper copy on request: site.yaml's `paper_copy` says who to ask and
//! how, the landing and print pages say it, and a printed copy carries its
//! revision, approval and build day at top and bottom. The minimal
//! fixture's site.yaml has 23 lines, so a block appended to it starts on
//! line 24.

mod common;

use common::{Site, visible_text};

const PAPER_COPY: &str = "paper_copy:
  contact:
    ask: the school office
    email: office@hillside.example
    phone: \"01632 960000\"
";

fn with_paper_copy(block: &str) -> Site {
    let site = Site::copy_of("minimal");
    let yaml = site.read("data/site.yaml");
    site.write("data/site.yaml", format!("{yaml}{block}"));
    site
}

/// The page's "A paper copy" section, from its heading to its end.
fn paper_copy_section(html: &str) -> String {
    let start = html
        .find("<h2 id=\"paper-copy\">")
        .unwrap_or_else(|| panic!("no paper copy section in {html}"));
    let rest = &html[start..];
    rest[..rest.find("</section>").unwrap()].to_string()
}

#[test]
fn the_landing_and_print_pages_say_who_to_ask_and_how() {
    let site = with_paper_copy(PAPER_COPY);
    site.build().assert_success();
    for page in [
        "index.html",
        "parents/all/index.html",
        "staff/all/index.html",
        "governors/all/index.html",
    ] {
        let section = paper_copy_section(&site.page(page));
        let text = visible_text(&section);
        assert!(
            text.contains(
                "You can have a paper copy of this policy free of charge. Ask the school office:"
            ),
            "{page}: {text}"
        );
        assert!(
            text.contains("by email: office@hillside.example"),
            "{page}: {text}"
        );
        assert!(text.contains("by phone: 01632 960000"), "{page}: {text}");
        // The links dial and write: the number without its spacing.
        assert!(
            section.contains("href=\"mailto:office@hillside.example\""),
            "{page}: {section}"
        );
        assert!(
            section.contains("href=\"tel:01632960000\""),
            "{page}: {section}"
        );
    }
}

#[test]
fn without_paper_copy_the_pages_say_to_ask_the_school_and_invent_nothing() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    for page in ["index.html", "parents/all/index.html"] {
        let section = paper_copy_section(&site.page(page));
        let text = visible_text(&section);
        assert!(
            text.contains(
                "You can have a paper copy of this policy free of charge: ask the school."
            ),
            "{page}: {text}"
        );
        // The accessibility contact in site.yaml is not taken for this one.
        assert!(
            !section.contains("mailto:") && !section.contains("tel:"),
            "{page}: {section}"
        );
        // The school's own website is named, as where its contact details are.
        assert!(
            section.contains("href=\"https://hillside.example\">school website</a>"),
            "{page}: {section}"
        );
    }
}

#[test]
fn a_printed_copy_says_its_revision_approval_and_build_day_at_top_and_bottom() {
    let site = Site::copy_of("minimal");
    site.run(&["build", "--today", "2025-01-15"])
        .assert_success();
    let html = site.page("parents/all/index.html");
    // The fixture's revision 2024-25 was approved on 2024-03-13.
    let line = "Revision 2024-25. Approved by the Full Governing Body on 13 March 2024. \
                Printed from the website as built on 15 January 2025";
    let header = html
        .find("print-running print-header")
        .expect("a print header");
    let footer = html
        .find("print-running print-footer")
        .expect("a print footer");
    let heading = html.find("<h1").unwrap();
    let last_section = html.rfind("print-section").unwrap();
    assert!(header < heading, "the header comes before the title");
    assert!(
        footer > last_section,
        "the footer comes after the last section"
    );
    for start in [header, footer] {
        let block = &html[start..];
        let block = &block[..block.find("</div>").unwrap()];
        assert!(visible_text(block).contains(line), "{block}");
        assert!(block.contains("datetime=\"2025-01-15\""), "{block}");
    }
    // On screen they are hidden; print.css shows them.
    let screen = site.page("assets/site.css");
    assert!(screen.contains(".print-running { display: none; }"));
    let print = site.page("assets/print.css");
    assert!(print.contains(".print-running { display: block;"));
}

#[test]
fn every_bad_way_to_ask_is_an_error_at_its_line_and_column() {
    let site = with_paper_copy(
        "paper_copy:
  contact:
    ask: the school office
    email: office.hillside.example
    phone: call the office
    url: http://hillside.example/paper-copy
",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    // All three, in one run, each where its value starts.
    for (place, message) in [
        (
            "data/site.yaml:27:12",
            "`office.hillside.example` is not an email address",
        ),
        (
            "data/site.yaml:28:12",
            "`call the office` is not a telephone number",
        ),
        ("data/site.yaml:29:10", "http:"),
    ] {
        assert!(run.stderr.contains(place), "{place}:\n{}", run.stderr);
        assert!(run.stderr.contains(message), "{message}:\n{}", run.stderr);
    }
    assert!(
        !site.out().exists(),
        "a failed build writes no public/ folder"
    );
}

#[test]
fn a_contact_with_nowhere_to_ask_or_an_unknown_key_is_an_error() {
    let site = with_paper_copy("paper_copy:\n  contact: {}\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the paper copy contact says nowhere to ask"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("data/site.yaml:25:12"),
        "{}",
        run.stderr
    );

    let site = with_paper_copy("paper_copy:\n  contact:\n    emial: office@hillside.example\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("emial"), "{}", run.stderr);
    assert!(run.stderr.contains("data/site.yaml:26:5"), "{}", run.stderr);
}
