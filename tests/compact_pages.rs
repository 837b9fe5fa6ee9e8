//! Pages are compact as they are rendered (the theme's templates are
//! compacted when the theme is loaded), not minified after: no line of a
//! page is indented, a code block keeps every space and line break, and a
//! school's own template is compacted as the default theme's are.

mod common;

use common::Site;

/// `html` without the contents of its `<pre>` elements, the one place a
/// line may start with spaces.
fn outside_pre(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        rest = rest
            .find("</pre>")
            .map_or("", |end| &rest[end + "</pre>".len()..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn no_line_of_any_page_is_indented() {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let mut pages = 0;
    for (path, bytes) in site.snapshot() {
        // The 404 page holds the stylesheets, as written, in <style>.
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        pages += 1;
        let html = outside_pre(&String::from_utf8(bytes).unwrap());
        // A template's line break and indentation became one space at
        // most (nothing between block-level tags); a line break left is
        // the Markdown's own, after a block.
        for line in html.lines() {
            assert!(
                !line.starts_with("  ") && !line.starts_with('\t'),
                "{path} has an indented line: {line:?}"
            );
        }
        assert!(!html.contains("<!--"), "{path} keeps a comment");
    }
    assert!(pages > 20, "{pages} pages");
}

#[test]
fn a_code_block_keeps_its_spaces_and_line_breaks_exactly() {
    let site = Site::copy_of("minimal");
    site.replace(
        "content/010-introduction.md",
        "\n---\n",
        "\n---\n```\nif  worried:\n    tell   someone\n\n  then  wait\n```\n\n",
    );
    site.build().assert_success();
    let html = site.page("parents/introduction/index.html");
    assert!(
        html.contains("if  worried:\n    tell   someone\n\n  then  wait\n"),
        "{html}"
    );
}

#[test]
fn a_schools_own_template_is_compacted_and_its_tera_and_pre_kept() {
    let site = Site::copy_of("minimal");
    let section = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/section.html"),
    )
    .unwrap();
    // The site's own section template: the default's, with an indented
    // block, a comment and a preformatted note added at its end.
    let own = section.replace(
        "{% endblock main %}",
        "<aside class=\"own-note\">\n    <!-- for the theme's authors only -->\n    <p>\n      Kept\n      {{ title }}\n    </p>\n    <pre>  two  spaces\n    four</pre>\n</aside>\n{% endblock main %}",
    );
    site.write("themes/own/templates/section.html", own);
    let yaml = site.read("data/site.yaml");
    site.write("data/site.yaml", format!("{yaml}theme: own\n"));
    site.build().assert_success();
    let html = site.page("parents/introduction/index.html");
    // Whitespace between block-level tags goes; beside text it is one
    // space; the <pre> is as written.
    assert!(
        html.contains(
            "<aside class=\"own-note\"><p> Kept Introduction </p><pre>  two  spaces\n    four</pre></aside>"
        ),
        "{html}"
    );
    assert!(!html.contains("for the theme's authors only"), "{html}");
}
