//! `policyweb serve` on a school built on a template: an edit to the
//! template's files, or to its own template's (a chain of three), reaches
//! the school's page and the browser is told to reload, as an edit to the
//! school's own files does. Each site is a temporary folder; the preview
//! listens on a free port of 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running preview of one site root, stopped when dropped.
struct Preview {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(["serve", "--port", "0", "--today", common::TODAY, "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("policyweb serve starts");
        let (send, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut preview = Preview {
            child,
            port: 0,
            lines,
        };
        let line = loop {
            match preview.lines.recv_timeout(Duration::from_secs(20)) {
                Ok(line) if line.contains("Serving on http://") => break line,
                Ok(_) => {}
                Err(_) => panic!("serve never said where it serves"),
            }
        };
        preview.port = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|address| address.rsplit_once(':'))
            .and_then(|(_, p)| p.parse().ok())
            .expect("a port");
        preview
    }

    /// The page's text at `path`, which must be served.
    fn page(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
        response
    }

    /// The reload events, each as it arrives.
    fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__policyweb/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let (send, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.starts_with("event:") {
                    let _ = send.send(line);
                }
            }
        });
        // Let the subscription reach the server before anything changes.
        std::thread::sleep(Duration::from_millis(200));
        events
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn reload(events: &mpsc::Receiver<String>, after: &str) {
    let event = events
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("no reload after {after}"));
    assert_eq!(event, "event: reload");
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn replace(root: &Path, relative: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(root.join(relative)).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in {relative}");
    write(root, relative, &text.replace(from, to));
}

/// A site root with one view, inheriting from `template` when given.
fn site(root: &Path, folder: &str, name: &str, template: Option<&str>) {
    let template_key = template
        .map(|t| format!("template:\n  path: {t}\n"))
        .unwrap_or_default();
    write(
        root,
        &format!("{folder}/data/site.yaml"),
        &format!(
            "school:\n  name: {name}\npolicy:\n  title: Online Safety Policy\n{template_key}views:\n  - id: parents\n    title: Parents\n    description: For parents.\naccessibility:\n  contact:\n    email: office@school.example\n  compliance: full\n"
        ),
    );
    let pin = template
        .map(|_| "  template: 2025-26\n")
        .unwrap_or_default();
    write(
        root,
        &format!("{folder}/data/versions.yaml"),
        &format!(
            "- id: 2025-26\n  status: approved\n  approved: 2025-06-01\n  approved_by: the board\n{pin}  source: working\n"
        ),
    );
}

#[test]
fn an_edit_to_the_template_or_its_template_reloads_the_schools_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site(root, "national", "National Online Safety", None);
    write(
        root,
        "national/content/010-duties.md",
        "---\ntitle: Duties\n---\n\nEvery school names a lead.\n",
    );
    site(root, "la", "Anyshire Council", Some("../national"));
    write(
        root,
        "la/content/020-local.md",
        "---\ntitle: Local help\n---\n\nCall the Anyshire safeguarding hub.\n",
    );
    site(root, "school", "Hill School", Some("../la"));
    write(
        root,
        "school/content/030-ours.md",
        "---\ntitle: Our own\n---\n\nWritten at Hill.\n",
    );
    let preview = Preview::start(&root.join("school"));
    assert!(
        preview
            .page("/parents/local/")
            .contains("Call the Anyshire safeguarding hub.")
    );
    let events = preview.events();

    // The school's own template.
    replace(
        root,
        "la/content/020-local.md",
        "Call the Anyshire safeguarding hub.",
        "Ring the Anyshire safeguarding hub.",
    );
    reload(&events, "an edit to ../la/content/020-local.md");
    let page = preview.page("/parents/local/");
    assert!(
        page.contains("Ring the Anyshire safeguarding hub."),
        "{page}"
    );

    // Its template's template, two levels up.
    replace(
        root,
        "national/content/010-duties.md",
        "Every school names a lead.",
        "Every school names a lead and a deputy.",
    );
    reload(&events, "an edit to ../national/content/010-duties.md");
    let page = preview.page("/parents/duties/");
    assert!(page.contains("names a lead and a deputy."), "{page}");

    // A new section in the template's data and content joins too.
    write(
        root,
        "la/content/025-training.md",
        "---\ntitle: Training\n---\n\nEvery year, for every member of staff.\n",
    );
    reload(&events, "a new file ../la/content/025-training.md");
    let page = preview.page("/parents/training/");
    assert!(
        page.contains("Every year, for every member of staff."),
        "{page}"
    );
}
