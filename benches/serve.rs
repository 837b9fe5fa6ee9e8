//! Edit-to-reload latency of `serve` on the example site: a one-section
//! change is written, and the time is taken until the browser's reload
//! event arrives, and until the changed page has been fetched again.
//! Run with `cargo bench --bench serve`. Medians of 20 edits of a section
//! of the draft (target: under 50 ms to the reload event), then of 20
//! edits of a section of the revision in force, which the pages of every
//! other revision link to.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The allocator `policyweb` itself runs with (src/main.rs), so that the
/// times are the command's, not glibc malloc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EDITS: usize = 20;
/// The section edited, and the page that shows it: in the draft, and in
/// the revision in force.
const DRAFT: (&str, &str) = (
    "content/050-education/010-education-programme.md",
    "/versions/2025-26/governors/education-programme/",
);
const IN_FORCE: (&str, &str) = (
    "versions/2024-25/content/050-education/010-education-programme.md",
    "/governors/education-programme/",
);

struct Report(mpsc::Sender<SocketAddr>);

impl policyweb::serve::Reporter for Report {
    fn listening(&mut self, address: SocketAddr, _: policyweb::serve::Restricted<'_>) {
        let _ = self.0.send(address);
    }
    fn refused(&mut self, host: &str, _: usize) {
        eprintln!("refused a request for {host}");
    }
    fn built(&mut self, result: Result<(usize, u128, String), String>) {
        if let Err(errors) = result {
            eprintln!("{errors}");
        }
    }
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn get(address: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    stream.read_to_string(&mut body).unwrap();
    body
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for folder in ["content", "data", "versions"] {
        copy(&repository.join(folder), &site.path().join(folder));
    }
    let (send, receive) = mpsc::channel();
    let root = site.path().to_path_buf();
    std::thread::spawn(move || {
        let options = policyweb::serve::Options {
            root,
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            today: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            allow_restricted_on_network: false,
            limits: policyweb::serve::Limits::default(),
        };
        let _ = policyweb::serve::serve(options, Report(send));
    });
    let address = receive.recv().expect("serve starts");

    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /__policyweb/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let (events_in, events) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("event:") {
                let _ = events_in.send(Instant::now());
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));

    for (name, (section, page)) in [("the draft", DRAFT), ("the revision in force", IN_FORCE)] {
        let (to_event, to_page) = edits(address, &events, &site.path().join(section), page);
        println!("example site, one-section edit of {name}, {EDITS} edits, medians:");
        println!(
            "  write → reload event          {:.1} ms (target < 50 ms; includes {} ms of settling)",
            median(to_event),
            policyweb::serve::SETTLE.as_millis()
        );
        println!("  write → changed page fetched  {:.1} ms", median(to_page));
    }
    std::process::exit(0);
}

/// Edits `file` `EDITS` times, each time waiting for the reload event and
/// fetching `page`, which must show the edit: the times to each.
fn edits(
    address: SocketAddr,
    events: &mpsc::Receiver<Instant>,
    file: &Path,
    page: &str,
) -> (Vec<Duration>, Vec<Duration>) {
    let original = std::fs::read_to_string(file).unwrap();
    let (mut to_event, mut to_page) = (Vec::new(), Vec::new());
    for edit in 0..EDITS {
        let marker = format!("Edit number {edit} of the benchmark.");
        let started = Instant::now();
        std::fs::write(file, format!("{original}\n{marker}\n")).unwrap();
        let reloaded = events
            .recv_timeout(Duration::from_secs(10))
            .expect("a reload event");
        to_event.push(reloaded - started);
        let body = get(address, page);
        assert!(body.contains(&marker), "the page shows the edit");
        to_page.push(started.elapsed());
        // Let the watcher go quiet before the next edit.
        std::thread::sleep(Duration::from_millis(150));
    }
    (to_event, to_page)
}
