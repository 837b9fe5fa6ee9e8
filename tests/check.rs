//! `policyweb check` against a server the test starts on 127.0.0.1: each
//! kind of answer a real site gives (fine, missing, gone, moved, a loop, a
//! 429 with Retry-After, too slow, a page without the #fragment linked to)
//! gets exactly the report expected, the cache spares the second run's
//! requests, and the report reaches the governors' pages. Every address in
//! the site is on the test server: nothing leaves the machine.

mod common;

use common::Site;
use common::server::TestServer;

/// The minimal site with every outside address pointing at `server`.
fn site_on(server: &TestServer) -> Site {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "  website: https://hillside.example\n",
        "",
    );
    site.write(
        "data/site.yaml",
        site.read("data/site.yaml")
            + "link_check:\n  timeout_seconds: 1\n  retries: 1\n  interval_ms: 0\n",
    );
    let organisation = |id: &str, path: &str| {
        format!(
            "- id: {id}\n  name: {id}\n  url: {}\n  allow_http: true\n",
            server.url(path)
        )
    };
    let organisations: String = [
        ("ceop", "/ok"),
        ("swgfl-test-filtering", "/missing"),
        ("gone", "/gone"),
        ("moved", "/moved"),
        ("temporary", "/temporary"),
        ("looping", "/loop-a"),
        ("busy", "/busy"),
        ("slow", "/slow"),
        ("anchor", "/page#present"),
        ("no-anchor", "/page#absent"),
    ]
    .iter()
    .map(|(id, path)| organisation(id, path))
    .collect();
    site.write("data/organisations.yaml", organisations);
    site
}

#[test]
fn each_kind_of_answer_is_reported_as_it_should_be() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    let run = site.run_here(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "broken links exit 1\n{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let outcome = |path: &str| -> String {
        let url = server.url(path);
        let link = report["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["url"] == url)
            .unwrap_or_else(|| panic!("{url} is in the report"));
        serde_json::to_string(&link["outcome"]).unwrap()
    };
    let expected = [
        ("/ok", r#"{"code":200,"status":"fine"}"#.to_string()),
        (
            "/missing",
            r#"{"code":404,"reason":"404 Not Found","status":"broken"}"#.into(),
        ),
        (
            "/gone",
            r#"{"code":410,"reason":"410 Gone","status":"broken"}"#.into(),
        ),
        (
            "/moved",
            format!(
                r#"{{"code":301,"status":"moved","to":"{}"}}"#,
                server.url("/ok")
            ),
        ),
        ("/temporary", r#"{"code":200,"status":"fine"}"#.into()),
        (
            "/loop-a",
            r#"{"code":301,"reason":"redirects in a loop","status":"broken"}"#.into(),
        ),
        ("/busy", r#"{"code":200,"status":"fine"}"#.into()),
        (
            "/slow",
            r#"{"code":null,"reason":"no answer within 1 second","status":"broken"}"#.into(),
        ),
        ("/page#present", r#"{"code":200,"status":"fine"}"#.into()),
        (
            "/page#absent",
            r#"{"code":null,"reason":"the page has no #absent","status":"broken"}"#.into(),
        ),
    ];
    for (path, want) in &expected {
        assert_eq!(&outcome(path), want, "{path}");
    }
    // The e-mail address is checked for its form, never asked about.
    assert!(
        run.stdout
            .contains(r#""url": "mailto:dsl@hillside.example""#)
    );
    // So is the accessibility statement's contact, where site.yaml gives it.
    let office = report["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["url"] == "mailto:office@hillside.example")
        .expect("the statement's contact is checked");
    assert_eq!(office["places"][0], "data/site.yaml:19:12");
    // The 429 was waited out and asked again.
    assert_eq!(server.hits("/busy"), 2);
    // Each address says where it is used.
    let ceop = report["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["url"] == server.url("/ok"))
        .unwrap();
    assert_eq!(ceop["places"][0], "data/organisations.yaml:3:8");
}

#[test]
fn the_terminal_report_groups_by_what_is_wrong_with_places() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    let run = site.run_here(&["check"]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    assert!(out.starts_with("Broken (5)\n"), "{out}");
    assert!(out.contains(&format!(
        "  {}\n    404 Not Found\n    used at data/organisations.yaml:7:8\n",
        server.url("/missing")
    )));
    assert!(out.contains(&format!(
        "Moved permanently: change the address (1)\n  {}\n    now {} (301)\n",
        server.url("/moved"),
        server.url("/ok")
    )));
    assert!(out.contains("12 links: 6 fine, 5 broken, 1 moved"), "{out}");
    // In CI (no terminal) progress is a plain line per address.
    assert!(run.stderr.contains("[12/12] "), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'));
}

#[test]
fn warn_only_reports_without_failing_and_markdown_suits_a_job_summary() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    let run = site.run_here(&["check", "--warn-only", "--format", "markdown", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("## External links\n\n12 links: 6 fine, 5 broken, 1 moved")
    );
    assert!(run.stdout.contains(&format!(
        "| Broken | <{}> | 410 Gone | data/organisations.yaml:11:8 |",
        server.url("/gone")
    )));
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_second_run_asks_nothing_of_good_links_until_told_to() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    site.run_here(&["check", "--quiet"]);
    // /ok is asked for itself and at the end of /moved and /temporary.
    assert_eq!(server.hits("/ok"), 3);
    let run = site.run_here(&["check", "--quiet"]);
    assert_eq!(run.code, 1);
    // Fine and moved links come from the cache; broken ones are asked again.
    assert_eq!(server.hits("/ok"), 3);
    assert_eq!(server.hits("/moved"), 1);
    assert_eq!(server.hits("/busy"), 2);
    assert_eq!(server.hits("/missing"), 2);
    assert!(run.stdout.contains("(5 from the cache)"), "{}", run.stdout);
    // --no-cache asks again.
    site.run_here(&["check", "--quiet", "--no-cache"]);
    assert_eq!(server.hits("/ok"), 6);
    assert!(site.path(".policyweb/link-cache").is_file());
}

#[test]
fn the_governors_see_the_last_report_and_the_build_stays_offline() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    site.build().assert_success();
    let before = common::visible_text(&site.page("governors/reviews/index.html"));
    assert!(
        before.contains("External links have not been checked yet"),
        "{before}"
    );
    site.run_here(&["check", "--quiet"]);
    let hits = server.total_hits();
    site.build().assert_success();
    assert_eq!(server.total_hits(), hits, "the build made no request");
    let reviews = common::visible_text(&site.page("governors/reviews/index.html"));
    assert!(
        reviews.contains("Links last checked on")
            && reviews.contains("12 links: 6 fine, 5 broken, 1 moved"),
        "{reviews}"
    );
    let page = common::visible_text(&site.page("governors/links/index.html"));
    assert!(page.contains(&server.url("/gone")), "{page}");
    assert!(page.contains("410 Gone"));
    // Parents and staff do not get the page.
    assert!(!site.path("public/parents/links/index.html").exists());
}

#[test]
fn a_site_with_errors_is_not_checked() {
    let server = TestServer::start("127.0.0.1");
    let site = site_on(&server);
    site.replace(
        "data/people.yaml",
        "roles: [dsl, online-safety-group]",
        "roles: [dls]",
    );
    let run = site.run_here(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown role `dls`"));
    assert_eq!(server.total_hits(), 0);
}
