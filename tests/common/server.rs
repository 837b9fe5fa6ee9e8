//! A small HTTP server on 127.0.0.x for link-check tests and benchmarks:
//! each path answers one way (fine, missing, gone, moved, looping, busy,
//! slow…), and every request is counted, so a test can tell whether the
//! cache spared a request. One thread per connection; nothing leaves the
//! machine. The answers of a server that misbehaves (endless pages, a gzip
//! bomb, broken redirects, 429s, bodies cut off) are in `hostile.rs`.

#![allow(dead_code)]

#[path = "hostile.rs"]
pub mod hostile;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub struct TestServer {
    pub host: String,
    pub port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    /// Delay before every answer, for the benchmark's slow hosts.
    delay: Duration,
}

impl TestServer {
    /// Starts on `ip` (such as `127.0.0.1`) at a free port.
    pub fn start(ip: &str) -> TestServer {
        TestServer::start_with_delay(ip, Duration::ZERO)
    }

    pub fn start_with_delay(ip: &str, delay: Duration) -> TestServer {
        let listener = TcpListener::bind((ip, 0)).expect("a free loopback port");
        let port = listener.local_addr().expect("a bound port").port();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counted = Arc::clone(&hits);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counted = Arc::clone(&counted);
                thread::spawn(move || answer(stream, &counted, delay));
            }
        });
        TestServer {
            host: ip.to_string(),
            port,
            hits,
            delay,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}:{}{path}", self.host, self.port)
    }

    /// Requests received for a path (without its fragment).
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

fn answer(stream: TcpStream, hits: &Mutex<HashMap<String, usize>>, delay: Duration) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers are read and ignored.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let count = {
        let mut hits = hits.lock().unwrap();
        let count = hits.entry(path.clone()).or_insert(0);
        *count += 1;
        *count
    };
    thread::sleep(delay);
    let mut stream = stream;
    if hostile::answer(&path, count, &mut stream) {
        return;
    }
    let page = |body: &str| (200, "OK", Vec::new(), body.to_string());
    let redirect =
        |code, reason, to: &str| (code, reason, vec![format!("Location: {to}")], String::new());
    let (code, reason, headers, body) = match path.as_str() {
        "/ok" => page("<!DOCTYPE html><title>Fine</title><h1 id=top>Fine</h1>"),
        "/page" => {
            page("<!DOCTYPE html><title>Help</title><h1>Help</h1><h2 id=\"present\">Present</h2>")
        }
        "/missing" => (404, "Not Found", Vec::new(), "not here".into()),
        "/gone" => (410, "Gone", Vec::new(), "gone".into()),
        "/moved" => redirect(301, "Moved Permanently", "/ok"),
        "/temporary" => redirect(302, "Found", "/ok"),
        "/loop-a" => redirect(301, "Moved Permanently", "/loop-b"),
        "/loop-b" => redirect(301, "Moved Permanently", "/loop-a"),
        "/busy" if count == 1 => (
            429,
            "Too Many Requests",
            vec!["Retry-After: 1".into()],
            "wait".into(),
        ),
        "/busy" => page("<!DOCTYPE html><title>Ready</title><p>Ready"),
        "/slow" => {
            thread::sleep(Duration::from_secs(3));
            page("<!DOCTYPE html><title>Late</title><p>Late")
        }
        _ if path.starts_with("/item/") => page("<!DOCTYPE html><title>Item</title><p>Item"),
        _ => (404, "Not Found", Vec::new(), "not here".into()),
    };
    let mut response = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        response.push_str(&header);
        response.push_str("\r\n");
    }
    response.push_str("\r\n");
    response.push_str(&body);
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}
