//! Every command that reads a site refuses it for the same reasons: a
//! mistyped reference in a section stops `build`, `status`, `check`, `diff`
//! and `release` alike, each naming the same file, line and column. The
//! outside addresses point at a server the test starts on 127.0.0.1, so
//! nothing leaves the machine even if `check` were to go ahead.

mod common;

use common::Site;
use common::server::TestServer;

/// The history fixture (an approved revision and a draft) with its draft's
/// `[[role:dsl]]` mistyped, and every outside address on `server`.
fn site_with_a_mistyped_reference(server: &TestServer) -> Site {
    let site = Site::copy_of("history");
    site.replace(
        "content/010-introduction.md",
        "The [[role:dsl]] leads",
        "The [[role:dls]] leads",
    );
    site.replace(
        "data/site.yaml",
        "  website: https://hillside.example\n",
        "",
    );
    for file in [
        "data/organisations.yaml",
        "versions/2024-25/data/organisations.yaml",
    ] {
        if site.path(file).exists() {
            let ok = format!("{}\n  allow_http: true", server.url("/ok"));
            site.replace(file, "https://www.ceop.police.uk/", &ok);
            site.replace(file, "http://testfiltering.com/", &server.url("/ok"));
        }
    }
    site
}

#[test]
fn every_command_names_a_mistyped_reference_where_it_is() {
    let server = TestServer::start("127.0.0.1");
    let site = site_with_a_mistyped_reference(&server);
    // "The " is four characters: the reference starts in column 5 of the
    // line that names the role in content/010-introduction.md.
    let place = "content/010-introduction.md:13:5";
    let runs = [
        ("build", site.build()),
        (
            "status",
            site.run_here(&["status", "--today", common::TODAY]),
        ),
        ("check", site.run_here(&["check"])),
        ("diff", site.run_here(&["diff", "2024-25", "2025-26"])),
        (
            "release",
            site.run_here(&[
                "release",
                "2025-26",
                "--approved",
                "2025-07-09",
                "--by",
                "the Full Governing Body",
                "--minute",
                "FGB 25/06: item 4",
            ]),
        ),
    ];
    for (command, run) in &runs {
        assert_ne!(run.code, 0, "{command} accepted the site:\n{}", run.stderr);
        assert!(
            run.stderr.contains(place) && run.stderr.contains("unknown role `dls`"),
            "{command} did not name {place}:\n{}",
            run.stderr
        );
    }
    assert_eq!(server.total_hits(), 0, "check went online");
    assert!(!site.out().exists(), "build wrote public/");
    assert!(
        !site.path("versions/2025-26").exists(),
        "release froze the draft"
    );
}
