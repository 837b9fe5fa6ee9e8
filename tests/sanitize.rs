//! Raw HTML a parent can trust: what an author types into a section can
//! never take an id or a class of the theme (so no fake DRAFT banner and no
//! second `main`), never set a style, role or aria-* attribute, never keep
//! a form control or a heading of its own, and never use `http:` where a
//! Markdown link may not. Everything removed is a warning at its file,
//! line and column; active content (scripts, styles, frames, handlers,
//! `javascript:` and `data:` addresses) is an error, every one listed, and
//! public/ is left as it was.

mod common;

use common::{Site, visible_text};
use policyweb::html::start_tags;

const REPORTING: &str = "content/020-reporting.md";

/// The minimal fixture with `html` on the lines just before "## Who is
/// told", which is line 15 of content/020-reporting.md: the first line of
/// `html` is line 15.
fn with_raw_html(html: &str) -> Site {
    let site = Site::copy_of("minimal");
    site.replace(
        REPORTING,
        "## Who is told",
        &format!("{html}\n\n## Who is told"),
    );
    site
}

fn assert_says(stderr: &str, expected: &[&str]) {
    for line in expected {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

#[test]
fn a_fake_draft_notice_keeps_its_words_but_not_the_themes_look() {
    let site = with_raw_html(concat!(
        "<div id=\"main\" class=\"notice notice-draft\"><strong>DRAFT</strong> This policy has been withdrawn.</div>\n",
        "\n",
        "<p>Call <abbr title=\"Child Exploitation and Online Protection\">CEOP</abbr> on<br>the <a href=\"https://www.ceop.police.uk/\">website</a>, <mark>today</mark>.</p>",
    ));
    let run = site.build();
    run.assert_success();
    // Two warnings, and none for the HTML a policy needs (line 17).
    assert_eq!(
        run.stderr.matches("was removed").count(),
        2,
        "{}",
        run.stderr
    );
    assert_says(
        &run.stderr,
        &[
            "⚠ the id attribute of <div> is not allowed and was removed",
            "--> content/020-reporting.md:15:6",
            "⚠ the class attribute of <div> is not allowed and was removed",
            "--> content/020-reporting.md:15:16",
        ],
    );
    for page in ["parents/reporting/index.html", "parents/all/index.html"] {
        let html = site.page(page);
        let tags = start_tags(&html);
        let mains = tags
            .iter()
            .filter(|t| t.attribute("id") == Some("main"))
            .count();
        assert_eq!(mains, 1, "{page} has one element with id main");
        assert!(
            !tags
                .iter()
                .any(|t| t.attribute("class").is_some_and(|c| c.contains("notice"))),
            "{page} has no notice: the approved policy shows none"
        );
        assert!(
            visible_text(&html).contains("DRAFT This policy has been withdrawn."),
            "the words stay, as plain text: {page}"
        );
        let abbr = tags.iter().find(|t| t.name == "abbr").expect("<abbr> kept");
        assert_eq!(
            abbr.attribute("title"),
            Some("Child Exploitation and Online Protection")
        );
        assert!(tags.iter().any(|t| t.name == "mark"), "<mark> kept");
        assert!(
            tags.iter().any(
                |t| t.name == "a" && t.attribute("href") == Some("https://www.ceop.police.uk/")
            ),
            "the link kept"
        );
    }
}

#[test]
fn nothing_in_raw_html_can_style_or_announce_itself() {
    let site = with_raw_html(
        "<div role=\"alert\" aria-label=\"Notice\" tabindex=\"0\"><span style=\"color:#d4351c\">Overdue</span></div>\n\n<h1>Withdrawn</h1>\n\n<p><input type=\"password\" name=\"pw\"> <button>Sign in</button></p>",
    );
    site.replace(
        REPORTING,
        "## Who is told",
        "## Who is told {.notice-overdue}",
    );
    let run = site.build();
    run.assert_success();
    assert_says(
        &run.stderr,
        &[
            "the role attribute of <div> is not allowed and was removed",
            "--> content/020-reporting.md:15:6",
            "the aria-label attribute of <div> is not allowed and was removed",
            "--> content/020-reporting.md:15:19",
            "the tabindex attribute of <div> is not allowed and was removed",
            "--> content/020-reporting.md:15:39",
            "the style attribute of <span> is not allowed and was removed",
            "--> content/020-reporting.md:15:58",
            "the <h1> element is not allowed and was removed",
            "--> content/020-reporting.md:17:1",
            "the <input> element is not allowed and was removed",
            "--> content/020-reporting.md:19:4",
            "the <button> element is not allowed and was removed",
            "--> content/020-reporting.md:19:38",
            "`.notice-overdue` on this heading is not allowed and was removed",
            "--> content/020-reporting.md:21:1",
        ],
    );
    let html = site.page("parents/reporting/index.html");
    let tags = start_tags(&html);
    for tag in &tags {
        for (name, value) in &tag.attributes {
            assert!(
                !(name == "role" && value == "alert"),
                "<{} role=alert>",
                tag.name
            );
            assert_ne!(name, "style", "<{} style>", tag.name);
        }
        assert!(
            !matches!(tag.name.as_str(), "input" | "button" | "form"),
            "<{}> survives",
            tag.name
        );
        assert!(
            !tag.attribute("class")
                .is_some_and(|c| c.contains("notice-overdue")),
            "a heading takes the overdue notice's class"
        );
    }
    let h1s = tags.iter().filter(|t| t.name == "h1").count();
    assert_eq!(h1s, 1, "the page title is the only h1");
    let text = visible_text(&html);
    assert!(text.contains("Overdue") && text.contains("Withdrawn") && text.contains("Sign in"));
}

#[test]
fn http_in_raw_html_is_refused_as_in_a_markdown_link() {
    let site = with_raw_html(
        "<p>See <a href=\"http://insecure.example/advice\">the advice</a>.</p>\n\nOr [the same](http://insecure.example/advice).",
    );
    let before = site.snapshot();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The same error, at the raw attribute and at the Markdown link.
    let message = "× `http://insecure.example/advice` uses http:, which is not secure";
    assert_eq!(run.stderr.matches(message).count(), 2, "{}", run.stderr);
    assert_says(
        &run.stderr,
        &[
            "--> content/020-reporting.md:15:11",
            "--> content/020-reporting.md:17:4",
        ],
    );
    assert_eq!(site.snapshot(), before, "public/ is untouched");
}

#[test]
fn active_content_is_an_error_and_every_piece_is_listed() {
    let site = with_raw_html(concat!(
        "<style>.notice-draft { display: none }</style>\n",
        "\n",
        "<iframe src=\"https://tracker.example/\"></iframe>\n",
        "\n",
        "<p>A <a href=\"data:text/html,hello\">page</a> and a <a href=\"vbscript:msgbox\">box</a>.</p>\n",
        "\n",
        "<form action=\"https://phish.example/\"><p>Your password</p></form>\n",
        "\n",
        "<details ontoggle=\"alert(1)\"><summary>More</summary></details>",
    ));
    let before = site.snapshot();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_says(
        &run.stderr,
        &[
            "× <style> is never allowed in a policy section",
            "--> content/020-reporting.md:15:1",
            "× <iframe> is never allowed in a policy section",
            "--> content/020-reporting.md:17:1",
            "× the href attribute of <a> uses the data: scheme",
            "--> content/020-reporting.md:19:9",
            "× the href attribute of <a> uses the vbscript: scheme",
            "--> content/020-reporting.md:19:55",
            "× <form> is never allowed in a policy section",
            "--> content/020-reporting.md:21:1",
            "× the ontoggle attribute of <details> runs a script",
            "--> content/020-reporting.md:23:10",
        ],
    );
    assert_eq!(site.snapshot(), before, "public/ is untouched");
}

/// An SVG picture is published at an address of the school's site, where
/// opening it on its own runs any script in it (an `<img>` does not). Each
/// way an SVG can carry code is an error naming the file, every file is
/// listed, and public/ is left as it was; a plain picture is published,
/// even with "on =" in its text.
#[test]
fn an_svg_that_carries_code_is_refused_and_a_plain_one_is_published() {
    let site = Site::copy_of("minimal");
    let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#1d70b8\"/><text>Carry on = keep going</text></svg>";
    site.write("content/plain.svg", plain);
    site.replace(
        REPORTING,
        "## Who is told",
        "![A blue square](plain.svg)\n\n## Who is told",
    );
    site.build().assert_success();
    let before = site.snapshot();
    assert!(
        before.keys().any(|path| path.ends_with("plain.svg")),
        "the plain picture is published: {:?}",
        before.keys().collect::<Vec<_>>()
    );

    let active = [
        (
            "script.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><SCRIPT>alert(document.domain)</SCRIPT></svg>",
            "a script",
        ),
        (
            "handler.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "an event handler",
        ),
        (
            "spaced.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a xlink:href = ' javascript:alert(1)'><rect/></a></svg>",
            "a `javascript:` or `data:` address",
        ),
        (
            "html.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><iframe src=\"x\"></iframe></foreignObject></svg>",
            "embedded HTML",
        ),
        (
            "encoded.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&#106;avascript:alert(1)\"><rect/></a></svg>",
            "an encoded address",
        ),
        (
            "animated.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a><set attributeName=\"href\" to=\"javascript:alert(1)\"/><rect/></a></svg>",
            "an animated link",
        ),
    ];
    for (name, svg, _) in &active {
        site.write(&format!("content/{name}"), svg);
    }
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (name, _, kind) in &active {
        assert_says(&run.stderr, &[&format!("× content/{name} holds {kind}")]);
    }
    assert_eq!(site.snapshot(), before, "public/ is left as it was");
}
