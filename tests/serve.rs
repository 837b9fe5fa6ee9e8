//! `policyweb serve` on a temporary copy of a fixture, on a free port of
//! 127.0.0.1: an edit reaches the page and the browser is told to reload;
//! a broken file leaves the last good page served with the error over it;
//! paths that try to leave the output are refused; restricted views are
//! served locally and never written; a taken port is a clear error; Ctrl-C
//! stops it cleanly. And the in-memory rebuild after an edit is the same,
//! byte for byte, as a full build of the edited site.
//!
//! Safe on a laptop: a request for another host (as a web page using DNS
//! rebinding would send) is refused and told once; idle, half-sent,
//! dripped, stalled and finished keep-alive connections are closed while a
//! live reload stream is not; bound to every address, restricted views are not
//! served unless that is asked for.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use common::Site;
use common::preview::{Preview, page, rebuilt_as_built};

fn reload(events: &mpsc::Receiver<String>) {
    let event = events
        .recv_timeout(Duration::from_secs(20))
        .expect("a reload event after the change");
    assert_eq!(event, "event: reload");
}

#[test]
fn an_edit_reloads_the_page_and_an_error_keeps_the_last_good_one() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &[]);
    let (status, page) = preview.get("/parents/introduction/");
    assert_eq!(status, 200);
    assert!(page.contains("This policy applies to everyone"));
    // The live-reload script is in served pages only.
    assert!(page.contains("/__policyweb/events"));
    assert!(!site.out().exists(), "serve writes nothing to public/");

    let events = preview.events();
    site.replace(
        "content/010-introduction.md",
        "This policy applies to everyone",
        "This policy covers everyone",
    );
    reload(&events);
    let (_, page) = preview.get("/parents/introduction/");
    assert!(page.contains("This policy covers everyone"), "{page}");
    assert!(!page.contains("id=\"policyweb-error\""));

    // Break the front matter: the last good page stays, with the error.
    site.replace(
        "content/010-introduction.md",
        "title: Introduction",
        "title: [Introduction",
    );
    reload(&events);
    let (status, page) = preview.get("/parents/introduction/");
    assert_eq!(status, 200);
    assert!(page.contains("This policy covers everyone"));
    assert!(page.contains("The last change has an error"));
    assert!(page.contains("content/010-introduction.md:2:8"), "{page}");
    assert!(page.contains("title: [Introduction"));
    preview.wait_for("the last good site is still served");

    // Fixing it clears the error.
    site.replace(
        "content/010-introduction.md",
        "title: [Introduction",
        "title: Introduction",
    );
    reload(&events);
    let (_, page) = preview.get("/parents/introduction/");
    assert!(!page.contains("The last change has an error"));
}

#[test]
fn nothing_outside_the_output_is_ever_served() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &[]);
    for path in [
        "/../data/site.yaml",
        "/%2e%2e/data/site.yaml",
        "/parents/..%2f..%2fdata%2fsite.yaml",
        "/..%5c..%5cdata/site.yaml",
        "/parents/%2E%2E/%2E%2E/data/site.yaml",
        "/data/site.yaml",
        "/content/010-introduction.md",
    ] {
        let (status, body) = preview.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("Hillside Primary School\n"), "{path}");
        assert!(!body.contains("school:"), "{path}");
    }
    let (status, css) = preview.get("/assets/site.css");
    assert_eq!(status, 200);
    assert!(css.contains("--text"));
}

#[test]
fn restricted_views_are_served_here_and_never_written() {
    let site = Site::copy_of("curriculum");
    let preview = Preview::start(site.root(), &[]);
    let (status, page) = preview.get("/restricted/leaders/");
    assert_eq!(status, 200);
    assert!(page.contains("Preview of a restricted view"));
    let (status, _) = preview.get("/restricted/leaders/curriculum/coverage/");
    assert_eq!(status, 200);
    // The landing page still does not mention it.
    let (_, landing) = preview.get("/");
    assert!(!landing.contains("leaders"));
    assert!(!site.path("restricted").exists());
    assert!(!site.out().exists());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::copy_of("minimal");
    let run = site.run_here(&["serve", "--port", &port]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("policyweb serve --port"));
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = Site::copy_of("minimal");
    let mut preview = Preview::start(site.root(), &[]);
    let pid = preview.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    preview.wait_for("Stopped.");
    let status = preview.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_rebuild_after_each_kind_of_edit_equals_a_full_build() {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let site = Site::copy_of("curriculum");
    let mut rebuilder = policyweb::serve::rebuild::Rebuilder::new(site.root().into(), today);
    rebuilder.rebuild().expect("the fixture builds");

    // A section of the draft: only the jobs showing the draft re-render.
    site.replace(
        "content/020-reporting.md",
        "Tell any member of staff",
        "Tell any adult in school",
    );
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "a section edit");
    let reporting = page(&public, "versions/2025-26/governors/reporting/index.html");
    assert!(reporting.contains("Tell any adult in school"));
    // The preview's additions are never part of the built pages.
    assert!(!reporting.contains("__policyweb"));

    // Data of the draft.
    site.replace("data/curriculum.yaml", "Kind words", "Kinder words");
    rebuilt_as_built(&mut rebuilder, &site, today, "a curriculum edit");
    site.replace("data/people.yaml", "Asha Patel", "Asha Patel-Jones");
    rebuilt_as_built(&mut rebuilder, &site, today, "a person renamed");

    // A check recorded in the draft shows on every governance page of
    // every revision that lists reviews.
    site.replace(
        "data/reviews.yaml",
        "last_done: 2023-09-20",
        "last_done: 2024-05-20",
    );
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "a check recorded");
    assert!(page(&public, "governors/reviews/index.html").contains("20 May 2024"));

    // The frozen revision's own text.
    site.replace(
        "versions/2024-25/content/020-reporting.md",
        "Tell any member of staff",
        "Tell a member of staff",
    );
    rebuilt_as_built(
        &mut rebuilder,
        &site,
        today,
        "an edit to the frozen revision",
    );

    // The draft approved: every view now shows it.
    site.replace(
        "data/versions.yaml",
        "- id: 2025-26\n  status: draft",
        "- id: 2025-26\n  status: approved\n  approved: 2024-05-15\n  approved_by: the Full Governing Body",
    );
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "the draft approved");
    assert!(page(&public, "parents/reporting/index.html").contains("Tell any adult in school"));

    // A theme change reaches every page, as in a full build.
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
    let public = rebuilt_as_built(&mut rebuilder, &site, today, "a theme edit");
    assert!(page(&public, "parents/reporting/index.html").contains("data-theme=\"edited\""));
}

/// Whether the server closes `stream` within 10 seconds: the read ends
/// (end of file or a reset) rather than timing out.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn a_request_for_another_host_is_refused_and_told_once() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &[]);
    let port = preview.port;
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, page) = preview.get_for(&host, "/parents/introduction/");
        assert_eq!(status, 200, "{host}");
        assert!(page.contains("This policy applies to everyone"), "{host}");
    }
    // What a page that pointed its own name at 127.0.0.1 would send.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/parents/introduction/", "/", "/__policyweb/events"] {
            let (status, page) = preview.get_for(&host, path);
            assert_eq!(status, 421, "{host}{path}");
            assert!(!page.contains("This policy applies"), "{host}{path}");
            assert!(page.contains("answers only at the address it was started on"));
        }
    }
    let told = preview.wait_for("refused a request");
    assert!(told.contains("\"evil.example\""), "{told}");
    // An address in the request line counts as much as Host.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET http://evil.example/parents/introduction/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 421"), "{response}");
    // Those refusals and a flood of a hundred more come well within one
    // quiet spell (10 s): the terminal has the one line.
    for _ in 0..100 {
        let (status, _) = preview.get_for("evil.example", "/");
        assert_eq!(status, 421);
    }
    std::thread::sleep(Duration::from_millis(500));
    let more: Vec<String> = preview.lines.try_iter().collect();
    assert!(
        !more.iter().any(|line| line.contains("refused")),
        "{more:?}"
    );
}

#[test]
fn idle_half_sent_dripped_and_finished_connections_are_closed() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &["--test-timeout-ms", "400"]);
    let port = preview.port;

    let mut idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    assert!(closed_by_server(&mut idle), "an idle connection stays open");

    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(half, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").unwrap();
    assert!(closed_by_server(&mut half), "a half-sent header stays open");

    // A header sent a byte at a time keeps bytes moving, but never ends.
    let mut drip = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut dripping = drip.try_clone().unwrap();
    std::thread::spawn(move || {
        let _ = write!(
            dripping,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: "
        );
        for _ in 0..200 {
            if dripping.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    assert!(closed_by_server(&mut drip), "a dripped header stays open");

    // A finished request on a kept-alive connection, then nothing.
    let mut kept = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(kept, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(
        closed_by_server(&mut kept),
        "a kept-alive connection stays open"
    );

    // And the preview still answers.
    let (status, _) = preview.get("/");
    assert_eq!(status, 200);
}

#[test]
fn at_the_cap_a_connection_never_answered_gives_way_to_a_new_one() {
    let site = Site::copy_of("minimal");
    // Timeouts far longer than the test, so only the cap can close them.
    let preview = Preview::start(
        site.root(),
        &["--test-timeout-ms", "60000", "--test-connections", "8"],
    );
    let port = preview.port;
    let mut held: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    write!(held[7], "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").unwrap();
    // A new request is answered at once (get_for gives up after 20 s)...
    let (status, _) = preview.get("/");
    assert_eq!(status, 200);
    // ...and the oldest of those that were never answered made room.
    assert!(
        closed_by_server(&mut held[0]),
        "the oldest idle one stays open"
    );
}

#[test]
fn a_connection_that_stops_reading_its_answers_is_closed() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &["--test-timeout-ms", "400"]);
    let port = preview.port;
    // Far more answers asked for at once than the system's buffers hold,
    // and none read: the preview's writes stall, with no byte moving.
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut asking = stalled.try_clone().unwrap();
    std::thread::spawn(move || {
        let request =
            format!("GET /parents/introduction/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        for _ in 0..20_000 {
            if asking.write_all(request.as_bytes()).is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        closed_by_server(&mut stalled),
        "a connection whose answers are not read stays open"
    );
}

#[test]
fn a_reload_stream_outlives_the_idle_timeout_that_closes_an_idle_connection() {
    let site = Site::copy_of("minimal");
    let preview = Preview::start(site.root(), &["--test-timeout-ms", "400"]);
    let events = preview.events();
    let mut idle = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
    assert!(closed_by_server(&mut idle), "the timeout is in force");
    // Several idle timeouts later, the stream still gets the reload.
    std::thread::sleep(Duration::from_millis(1600));
    site.replace(
        "content/010-introduction.md",
        "This policy applies to everyone",
        "This policy covers everyone",
    );
    reload(&events);
}

#[test]
fn bound_to_every_address_restricted_views_are_not_served_unless_allowed() {
    let site = Site::copy_of("curriculum");
    let preview = Preview::start(site.root(), &["--bind", "0.0.0.0"]);
    preview.wait_for("can be reached from other computers");
    let told = preview.wait_for("restricted views are not served");
    assert!(told.contains("--allow-restricted-on-network"), "{told}");
    assert!(told.contains("restricted/leaders/"), "{told}");
    let (status, page) = preview.get("/");
    assert_eq!(status, 200);
    for path in [
        "/restricted/leaders/",
        "/restricted/leaders/curriculum/coverage/",
        "/restricted/leaders/index.html",
        "/restricted/",
    ] {
        let (status, page) = preview.get(path);
        assert_eq!(status, 403, "{path}");
        assert!(!page.contains("Preview of a restricted view"), "{path}");
        assert!(page.contains("--allow-restricted-on-network"), "{path}");
    }
    assert!(!page.contains("leaders"));
    drop(preview);

    let allowed = Preview::start(
        site.root(),
        &["--bind", "0.0.0.0", "--allow-restricted-on-network"],
    );
    let view = allowed.wait_for("restricted view");
    assert!(view.contains("/restricted/leaders/"), "{view}");
    assert!(!view.contains("this computer only"), "{view}");
    allowed.wait_for("restricted views included");
    let (status, page) = allowed.get("/restricted/leaders/");
    assert_eq!(status, 200);
    assert!(page.contains("Preview of a restricted view"));
}

/// Bound to every address, an error's overlay does not quote the site's
/// files: a restricted section's text stays in the terminal.
#[test]
fn bound_to_every_address_the_error_overlay_quotes_nothing_of_the_site() {
    let site = Site::copy_of("restricted");
    let preview = Preview::start(site.root(), &["--bind", "0.0.0.0"]);
    preview.wait_for("restricted views are not served");
    let events = preview.events();
    site.replace(
        "content/040-casework-log.md",
        "The Quillfeather log is kept",
        "The [[role:quillfeather-keeper]] keeps the Quillfeather log",
    );
    reload(&events);
    let (status, page) = preview.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("The last change has an error"), "{page}");
    assert!(page.contains("shown in the terminal"), "{page}");
    for secret in ["Quillfeather", "quillfeather", "casework", "Wrenfield"] {
        assert!(
            !page.contains(secret),
            "the overlay quotes `{secret}`: {page}"
        );
    }
    // The terminal still has the whole error.
    preview.wait_for("content/040-casework-log.md");
}
