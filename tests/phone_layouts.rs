//! The markup the theme's narrow-screen forms rely on: every cell of the
//! reviews table and the side-by-side page labelled with its column, and
//! every image linked to its full-size file. How they look at 320 and
//! 390 px is checked in the browser audit (scripts/audit).

mod common;

use common::Site;

const FLOWCHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 120" width="640" height="120"><text x="10" y="60" font-size="12">Someone notices a worry</text></svg>"##;

#[test]
fn an_image_links_to_its_full_size_file_unless_it_is_a_link_already() {
    let site = Site::copy_of("minimal");
    site.write("content/flowchart.svg", FLOWCHART);
    let intro = site.read("content/010-introduction.md");
    site.write(
        "content/010-introduction.md",
        format!(
            "{intro}\n![How a concern is reported](flowchart.svg)\n\n\
             [![The same chart, linked](flowchart.svg)](https://hillside.example/report/)\n"
        ),
    );
    site.build().assert_success();
    let html = site.page("parents/introduction/index.html");
    let link = "<span class=\"image-full\"><a href=\"";
    assert_eq!(html.matches(link).count(), 1, "{html}");
    let start = html.find(link).unwrap() + link.len();
    let href = html[start..].split('"').next().unwrap();
    assert!(href.ends_with("flowchart.svg"), "{href}");
    let file = site.out().join("parents/introduction").join(href);
    assert_eq!(
        std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{href}: {e}"))
            .trim(),
        FLOWCHART
    );
    assert!(
        html[start..].starts_with(&format!("{href}\">Open the image at full size</a></span>")),
        "{html}"
    );
}

#[test]
fn every_reviews_cell_is_labelled_with_its_column() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let html = site.page("governors/reviews/index.html");
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    let rows: Vec<&str> = table.split("<tr").skip(2).collect();
    assert!(!rows.is_empty(), "{table}");
    for row in rows {
        let labels: Vec<&str> = row
            .split("data-label=")
            .skip(1)
            .map(|rest| {
                let rest = rest.trim_start_matches('"');
                rest.split(['"', '>']).next().unwrap()
            })
            .collect();
        assert_eq!(
            labels,
            ["Who", "How often", "Last done", "Next due", "Status"],
            "{row}"
        );
        assert_eq!(row.matches("<td").count(), 5, "{row}");
    }
}

#[test]
fn a_markdown_tables_cells_carry_their_columns_heading_as_written_for_readers() {
    let site = Site::copy_of("minimal");
    let intro = site.read("content/010-introduction.md");
    // The raw <b> sends the section through the final sanitising pass,
    // which must keep the labels.
    site.write(
        "content/010-introduction.md",
        format!(
            "{intro}\nTable: Who is told\n\n\
             | Incident | Tell the [[role:dsl]] | Parents & carers |\n\
             |---|---|---|\n\
             | A <b>worry</b> | Yes | |\n"
        ),
    );
    site.build().assert_success();
    let html = site.page("parents/introduction/index.html");
    assert!(html.contains("<table class=\"stack-narrow\">"), "{html}");
    assert!(
        // The heading as the page shows it: the role's name and its holder.
        html.contains(
            r#"<td data-label="Tell the Designated Safeguarding Lead (Asha Patel)">Yes</td>"#
        ),
        "{html}"
    );
    // The & comes through as one character, written once as a reference
    // (never `&amp;amp;`); an empty cell keeps its label.
    assert!(
        html.contains(r#"<td data-label="Parents &amp; carers"></td>"#),
        "{html}"
    );
    assert!(!html.contains("&amp;amp;"), "{html}");
    // The row's own heading is its card's title, not a labelled cell.
    assert!(
        html.contains("<th scope=\"row\">A <b>worry</b></th>"),
        "{html}"
    );
}
