//! `policyweb serve` started for a test on a free port of 127.0.0.1, its
//! stderr read line by line, stopped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::TODAY;

/// A running preview, stopped when dropped.
pub struct Preview {
    pub child: Child,
    pub port: u16,
    /// stderr lines, as they come.
    pub lines: mpsc::Receiver<String>,
}

impl Preview {
    /// The preview of the site at `root`, with more arguments such as
    /// `--bind 0.0.0.0`.
    pub fn start(root: &Path, more: &[&str]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(["serve", "--port", "0", "--today", TODAY])
            .args(more)
            .arg("--root")
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
        let line = preview.wait_for("Serving on http://");
        let port = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|address| address.rsplit_once(':'))
            .and_then(|(_, p)| p.parse().ok())
            .expect("a port");
        preview.port = port;
        preview
    }

    /// The first stderr line containing `text`, within 20 seconds.
    pub fn wait_for(&self, text: &str) -> String {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(20)) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("serve never said `{text}`"),
            }
        }
    }

    /// A raw GET, so the path reaches the server exactly as written.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_for(&format!("127.0.0.1:{}", self.port), path)
    }

    /// A raw GET with this `Host`.
    pub fn get_for(&self, host: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// The body at `path`, which must be served.
    pub fn page(&self, path: &str) -> String {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Listens to the reload events; each arrives on the channel.
    pub fn events(&self) -> mpsc::Receiver<String> {
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
            let _ = send.send("closed".into());
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

/// Rebuilds a preview (`serve`'s `Rebuilder`) in memory and compares
/// every page of both trees with a full build of the site as it now is;
/// gives the rebuilt public tree.
pub fn rebuilt_as_built(
    rebuilder: &mut policyweb::serve::rebuild::Rebuilder,
    site: &super::Site,
    today: chrono::NaiveDate,
    after: &str,
) -> policyweb::output::Tree {
    let rebuilt = rebuilder
        .rebuild()
        .unwrap_or_else(|e| panic!("the site builds after {after}: {e}"));
    let (model, _, _) = policyweb::load_site(site.root(), today);
    let (built, diagnostics) = policyweb::generate(&model.expect("the site loads"));
    assert!(!diagnostics.has_errors(), "after {after}");
    for (name, built, rebuilt) in [
        ("public", &built.public, &rebuilt.public),
        ("restricted", &built.restricted, &rebuilt.restricted),
    ] {
        let stale: Vec<&String> = built
            .files
            .iter()
            .filter(|(path, bytes)| rebuilt.files.get(*path) != Some(*bytes))
            .map(|(path, _)| path)
            .collect();
        assert!(
            stale.is_empty(),
            "after {after}, the preview's {name} pages differ from a build's: {stale:?}"
        );
        assert_eq!(
            rebuilt.files.keys().collect::<Vec<_>>(),
            built.files.keys().collect::<Vec<_>>(),
            "after {after}, the preview's {name} pages are not a build's"
        );
    }
    rebuilt.public
}

/// A page of a tree the preview or a build made, as text.
pub fn page(tree: &policyweb::output::Tree, path: &str) -> String {
    String::from_utf8(tree.files[path].clone()).unwrap()
}
