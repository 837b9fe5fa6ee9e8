//! `policyweb check` against servers that misbehave, all started by the
//! tests on 127.0.0.1: pages that never end and a gzip bomb (the check
//! reads at most the page limit and its memory stays small), a page that
//! trickles (the timeout covers the fragment search), redirects that break
//! the rules or are broken themselves, 429s with Retry-After (seconds and
//! a date) and the deadline, failures that pass, bodies cut off, unknown
//! status codes and a certificate nobody vouches for. Nothing leaves the
//! machine.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;
use common::server::{TestServer, hostile};

/// A generous bound on any one run, to catch a hang, not to time it.
const HANG: Duration = Duration::from_secs(120);

/// The minimal site with the given `link_check` settings and one
/// organisation per address.
fn site_with(settings: &str, urls: &[String]) -> Site {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/site.yaml",
        "  website: https://hillside.example\n",
        "",
    );
    site.write(
        "data/site.yaml",
        site.read("data/site.yaml") + "link_check:\n  interval_ms: 0\n" + settings,
    );
    let organisations: String = urls
        .iter()
        .enumerate()
        .map(|(n, url)| {
            format!("- id: org-{n}\n  name: Org {n}\n  url: {url}\n  allow_http: true\n")
        })
        .collect();
    site.write("data/organisations.yaml", organisations);
    // The sections' references to the organisations replaced above would
    // stop the site (as they stop a build) before any address is asked.
    site.replace("content/020-reporting.md", "[[org:ceop]]", "CEOP");
    site.replace(
        "content/030-procedures/010-checking-devices.md",
        "[[org:swgfl-test-filtering]]",
        "SWGfL Test Filtering",
    );
    site
}

struct Checked {
    code: i32,
    report: serde_json::Value,
    stdout: String,
    stderr: String,
    /// The child's peak resident memory (VmHWM), in kB, as last seen.
    peak_kb: u64,
    took: Duration,
}

impl Checked {
    /// The outcome of one address, as JSON text.
    fn outcome(&self, url: &str) -> serde_json::Value {
        self.report["links"]
            .as_array()
            .expect("a list of links")
            .iter()
            .find(|l| l["url"] == url)
            .unwrap_or_else(|| panic!("{url} is in the report:\n{}", self.stdout))["outcome"]
            .clone()
    }

    fn reason(&self, url: &str) -> String {
        self.outcome(url)["reason"]
            .as_str()
            .unwrap_or_else(|| panic!("{url} has a reason: {}", self.outcome(url)))
            .to_string()
    }

    fn status(&self, url: &str) -> String {
        self.outcome(url)["status"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Runs `policyweb check --format json` on the site, watching the child's
/// peak memory in /proc while it runs, and killing it after `HANG`.
fn check(site: &Site) -> Checked {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(["check", "--format", "json", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("policyweb runs");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("policyweb check still running after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = stdout.join().expect("stdout read");
    let stderr = stderr.join().expect("stderr read");
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("a JSON report ({e}):\n{stdout}\n{stderr}"));
    Checked {
        code: status
            .code()
            .expect("policyweb exits, not killed by a signal"),
        report,
        stdout,
        stderr,
        peak_kb,
        took: started.elapsed(),
    }
}

/// Far more than `check` needs for a 1 MB page; far less than reading
/// the endless pages whole would take.
const MEMORY_KB: u64 = 200_000;

#[test]
fn pages_that_never_end_are_read_only_up_to_the_limit_and_the_timeout() {
    let server = TestServer::start("127.0.0.1");
    let (endless, early, bomb, trickle) = (
        server.url("/endless#nowhere"),
        server.url("/endless-early#early"),
        server.url("/bomb#nowhere"),
        server.url("/trickle#nowhere"),
    );
    let site = site_with(
        "  max_page_mb: 1\n  timeout_seconds: 5\n  retries: 0\n",
        &[
            endless.clone(),
            early.clone(),
            bomb.clone(),
            trickle.clone(),
        ],
    );
    let run = check(&site);
    eprintln!("peak memory {} kB, {:?}", run.peak_kb, run.took);
    let too_large = "the page is larger than 1 MB, too large to look for #nowhere";
    assert_eq!(run.reason(&endless), too_large, "{}", run.stderr);
    assert_eq!(run.status(&endless), "unchecked");
    assert_eq!(run.reason(&bomb), too_large);
    // A page that trickles in is under the timeout, fragment search and all.
    assert_eq!(run.reason(&trickle), "no answer within 5 seconds");
    // The id came first: the reading stopped there, and the link is fine.
    assert_eq!(run.status(&early), "fine", "{}", run.outcome(&early));
    assert!(
        run.peak_kb > 0 && run.peak_kb < MEMORY_KB,
        "peak memory {} kB",
        run.peak_kb
    );
    assert!(run.took < Duration::from_secs(60), "took {:?}", run.took);
}

#[test]
fn a_redirect_to_an_excluded_address_is_not_followed() {
    let allowed = TestServer::start("127.0.0.1");
    let excluded = TestServer::start("127.0.0.1");
    let via = allowed.url(&format!("/go?to={}", excluded.url("/ok")));
    let settings = format!(
        "  retries: 0\n  exclude: ['^http://127\\.0\\.0\\.1:{}/']\n",
        excluded.port
    );
    let site = site_with(&settings, std::slice::from_ref(&via));
    let run = check(&site);
    assert_eq!(
        run.reason(&via),
        format!(
            "redirect 1 (302) leads to {}, which link_check.exclude names: not asked about",
            excluded.url("/ok")
        )
    );
    assert_eq!(allowed.total_hits(), 1);
    assert_eq!(
        excluded.total_hits(),
        0,
        "the excluded server was not asked"
    );
}

#[test]
fn broken_redirects_are_reported_for_what_they_are() {
    let server = TestServer::start("127.0.0.1");
    let none = server.url("/no-location");
    let bad = server.url("/bad-location");
    let file = server.url("/go?to=file:///etc/passwd");
    let javascript = server.url("/go?to=javascript:alert(1)");
    let site = site_with(
        "  retries: 0\n",
        &[none.clone(), bad.clone(), file.clone(), javascript.clone()],
    );
    let run = check(&site);
    assert_eq!(
        run.reason(&none),
        "redirect 1 (302) does not say where to: it has no Location"
    );
    assert_eq!(
        run.reason(&bad),
        "redirect 1 (302) leads to `http://[::1`, which is not an address"
    );
    assert_eq!(
        run.reason(&file),
        "redirect 1 (302) leads to a `file:` address, not a web page: file:///etc/passwd"
    );
    assert_eq!(
        run.reason(&javascript),
        "redirect 1 (302) leads to a `javascript:` address, not a web page: javascript:alert(1)"
    );
    for url in [&none, &bad, &file, &javascript] {
        assert_eq!(run.status(url), "broken", "{url}");
    }
    // One request each: a broken redirect is not asked about again.
    assert_eq!(server.total_hits(), 4);
    assert_eq!(run.code, 1);
}

#[test]
fn at_most_max_redirects_are_followed() {
    let server = TestServer::start("127.0.0.1");
    let (two, three) = (server.url("/chain/2"), server.url("/chain/3"));
    let site = site_with(
        "  retries: 0\n  max_redirects: 2\n",
        &[two.clone(), three.clone()],
    );
    let run = check(&site);
    assert_eq!(run.status(&two), "fine", "{}", run.outcome(&two));
    assert_eq!(run.reason(&three), "more than 2 redirects");
    // /chain/3, /2 and /1 were asked; the third hop, to /chain/0, was not.
    assert_eq!(server.hits("/chain/3"), 1);
    assert_eq!(server.hits("/chain/0"), 1, "only from /chain/2's chain");
}

#[test]
fn retry_after_is_waited_out_and_a_site_that_always_says_429_fails_the_check() {
    let server = TestServer::start("127.0.0.1");
    let urls: Vec<String> = (0..10)
        .map(|n| server.url(&format!("/always-busy/{n}")))
        .collect();
    // Another host asks for a wait until a date two seconds on: asked
    // again before then, it would say 429 once more.
    let other = TestServer::start("127.0.0.1");
    let until = other.url("/busy-until");
    let site = site_with(
        "  retries: 1\n",
        &[urls.clone(), vec![until.clone()]].concat(),
    );
    let run = check(&site);
    assert_eq!(run.status(&until), "fine", "{}", run.outcome(&until));
    assert_eq!(other.hits("/busy-until"), 2);
    for url in &urls {
        assert_eq!(
            run.reason(url),
            "the site kept asking to slow down (429 Too Many Requests)"
        );
    }
    // Each asked twice: once, and once more after the wait it asked for.
    assert_eq!(server.total_hits(), 20);
    assert_eq!(run.code, 1, "a check that decided nothing fails");
    let text = site.run_here(&["check", "--quiet"]);
    assert!(
        text.stdout.contains(
            "10 of 13 links could not be decided, more than the 10% link_check.max_undecided_percent allows: the check fails."
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn a_wait_past_the_deadline_leaves_the_host_unchecked_at_once() {
    let server = TestServer::start("127.0.0.1");
    let urls: Vec<String> = (0..10)
        .map(|n| server.url(&format!("/busy-for-an-hour/{n}")))
        .collect();
    let site = site_with(
        "  retries: 2\n  per_host: 1\n  deadline_minutes: 1\n",
        &urls,
    );
    let run = check(&site);
    let reason = "not checked: the site asked to wait 60 minutes (429 Too Many Requests), past the check's deadline of 1 minute";
    for url in &urls {
        assert_eq!(run.reason(url), reason);
    }
    // The first answer said an hour: nothing more was asked of the host.
    assert_eq!(server.total_hits(), 1);
    assert_eq!(run.code, 1);
    assert!(run.took < Duration::from_secs(50), "took {:?}", run.took);
}

#[test]
fn what_the_deadline_leaves_is_reported_as_not_checked() {
    let server = TestServer::start_with_delay("127.0.0.1", Duration::from_millis(500));
    let urls: Vec<String> = (0..40).map(|n| server.url(&format!("/item/{n}"))).collect();
    // 0.05 minutes is 3 seconds; one request at a time, each taking half a
    // second, cannot ask about 40 addresses in that time.
    let site = site_with(
        "  retries: 0\n  per_host: 1\n  deadline_minutes: 0.05\n",
        &urls,
    );
    let run = check(&site);
    let late: Vec<&String> = urls
        .iter()
        .filter(|url| {
            run.outcome(url)["reason"]
                == "not checked: the check's deadline of 3 seconds passed first"
        })
        .collect();
    let fine = urls.iter().filter(|url| run.status(url) == "fine").count();
    assert!(fine >= 1, "some were asked before the deadline");
    assert_eq!(fine + late.len(), 40, "{}", run.stdout);
    assert!(server.total_hits() < 40);
    assert_eq!(run.code, 1, "most links undecided");
    assert!(run.took < Duration::from_secs(60), "took {:?}", run.took);
}

#[test]
fn failures_that_pass_are_asked_again() {
    let server = TestServer::start("127.0.0.1");
    let flaky = server.url("/flaky");
    let drops = server.url("/drops-once");
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!(
            "http://127.0.0.1:{}/",
            listener.local_addr().unwrap().port()
        )
    };
    let site = site_with(
        "  retries: 1\n",
        &[flaky.clone(), drops.clone(), refused.clone()],
    );
    let run = check(&site);
    assert_eq!(run.status(&flaky), "fine", "{}", run.outcome(&flaky));
    assert_eq!(server.hits("/flaky"), 2);
    assert_eq!(run.status(&drops), "fine", "{}", run.outcome(&drops));
    assert_eq!(server.hits("/drops-once"), 2);
    assert_eq!(run.reason(&refused), "the site refused the connection");
}

#[test]
fn bodies_cut_off_or_damaged_are_noticed() {
    let server = TestServer::start("127.0.0.1");
    let cut = server.url("/cut-off#help");
    let damaged = server.url("/bad-gzip#help");
    let site = site_with("  retries: 1\n", &[cut.clone(), damaged.clone()]);
    let run = check(&site);
    assert!(
        run.reason(&cut)
            .starts_with("the page was cut off before its end ("),
        "{}",
        run.reason(&cut)
    );
    assert!(
        run.reason(&damaged)
            .starts_with("the page arrived damaged: it could not be decoded ("),
        "{}",
        run.reason(&damaged)
    );
    assert_eq!(run.status(&cut), "broken");
    // A body cut off may be the network's doing: it is asked again.
    assert_eq!(server.hits("/cut-off"), 2);
    assert_eq!(run.code, 1);
}

#[test]
fn unknown_status_codes_are_named_with_their_class() {
    let server = TestServer::start("127.0.0.1");
    let odd = server.url("/odd-client-code");
    let site = site_with("  retries: 0\n", std::slice::from_ref(&odd));
    let run = check(&site);
    assert_eq!(run.reason(&odd), "499, an unknown client error code");
    assert_eq!(run.outcome(&odd)["code"], 499);
}

#[test]
fn a_self_signed_certificate_is_named_as_not_trusted() {
    let port = hostile::self_signed();
    let url = format!("https://127.0.0.1:{port}/");
    let site = site_with("  retries: 1\n", std::slice::from_ref(&url));
    let run = check(&site);
    assert!(
        run.reason(&url)
            .starts_with("the site's certificate is not trusted"),
        "{}",
        run.reason(&url)
    );
    assert_eq!(run.status(&url), "broken");
}

#[test]
fn new_settings_are_checked_where_they_stand() {
    let site = site_with(
        "  max_page_mb: 0\n  deadline_minutes: -1\n  max_undecided_percent: 150\n",
        &[],
    );
    let run = site.run_here(&["check"]);
    assert_eq!(run.code, 1);
    let yaml = site.read("data/site.yaml");
    let line_of = |key: &str| 1 + yaml.lines().position(|l| l.contains(key)).unwrap();
    for (key, says) in [
        ("max_page_mb", "0 MB is not a page size `check` can read"),
        ("deadline_minutes", "-1 is not a deadline `check` can keep"),
        ("max_undecided_percent", "150 is not a percentage"),
    ] {
        // The value stands after `  key: `.
        let place = format!("data/site.yaml:{}:{}", line_of(key), key.len() + 5);
        assert!(
            run.stderr.contains(says) && run.stderr.contains(&place),
            "{says} at {place}:\n{}",
            run.stderr
        );
    }
}
