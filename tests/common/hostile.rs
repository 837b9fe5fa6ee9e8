//! The answers of a server that misbehaves, for `check`'s hostile tests:
//! pages that never end, a gzip bomb, a page that trickles, bodies cut off
//! or not decodable, redirects with no, a bad or a non-web `Location`,
//! chains of redirects, 429s that never stop, a 500 before a 200, unknown
//! status codes. Paths that are not hostile are left to `server.rs`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, SystemTime};

/// Answers `path` if it is one of the hostile ones; false otherwise.
pub fn answer(path: &str, count: usize, stream: &mut TcpStream) -> bool {
    let port = stream.local_addr().map_or(0, |a| a.port());
    let head = |stream: &mut TcpStream, status: &str, headers: &[String]| {
        let mut text = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
        for header in headers {
            text.push_str(header);
            text.push_str("\r\n");
        }
        text.push_str("\r\n");
        stream.write_all(text.as_bytes())
    };
    let short = |stream: &mut TcpStream, status: &str, headers: &[String]| {
        let mut headers = headers.to_vec();
        headers.push("Content-Length: 0".into());
        let _ = head(stream, status, &headers);
    };
    let html = "Content-Type: text/html".to_string();
    match path {
        // An HTML page that never ends, the id (when there is one) first.
        "/endless" | "/endless-early" => {
            if head(stream, "200 OK", &[html]).is_err() {
                return true;
            }
            let mut first = String::from("<!DOCTYPE html><title>Endless</title>");
            if path == "/endless-early" {
                first.push_str("<h2 id=early>Early</h2>");
            }
            let _ = stream.write_all(first.as_bytes());
            let filler = "<p>more and more text, never an id</p>\n".repeat(1_000);
            while stream.write_all(filler.as_bytes()).is_ok() {}
        }
        // Gzip of endless spaces: a few kilobytes on the wire become
        // gigabytes when decoded.
        "/bomb" => {
            if head(stream, "200 OK", &[html, "Content-Encoding: gzip".into()]).is_err() {
                return true;
            }
            let mut gzip = flate2::write::GzEncoder::new(&mut *stream, flate2::Compression::best());
            let _ = gzip.write_all(b"<!DOCTYPE html><title>Bomb</title><p>");
            let spaces = vec![b' '; 1 << 20];
            while gzip.write_all(&spaces).is_ok() {}
        }
        // A byte every tenth of a second, for ever.
        "/trickle" => {
            if head(stream, "200 OK", &[html]).is_err() {
                return true;
            }
            while stream.write_all(b" ").is_ok() {
                thread::sleep(Duration::from_millis(100));
            }
        }
        // Promises 100,000 bytes and sends 100.
        "/cut-off" => {
            let _ = head(stream, "200 OK", &[html, "Content-Length: 100000".into()]);
            let _ = stream.write_all(&[b' '; 100]);
        }
        // Says gzip, sends something else.
        "/bad-gzip" => {
            let body = b"this was never compressed";
            let _ = head(
                stream,
                "200 OK",
                &[
                    html,
                    "Content-Encoding: gzip".into(),
                    format!("Content-Length: {}", body.len()),
                ],
            );
            let _ = stream.write_all(body);
        }
        "/no-location" => short(stream, "302 Found", &[]),
        "/bad-location" => short(stream, "302 Found", &["Location: http://[::1".into()]),
        // A redirect to whatever follows `?to=`, such as file:///etc/passwd.
        _ if path.starts_with("/go?to=") => {
            let to = &path["/go?to=".len()..];
            short(stream, "302 Found", &[format!("Location: {to}")]);
        }
        // /chain/3 → /chain/2 → /chain/1 → /chain/0, which is fine.
        _ if path.starts_with("/chain/") => match path["/chain/".len()..].parse::<u32>() {
            Ok(0) | Err(_) => fine(stream),
            Ok(n) => short(
                stream,
                "302 Found",
                &[format!("Location: /chain/{}", n - 1)],
            ),
        },
        // 429 for ever, asking for a second's wait or an hour's.
        _ if path.starts_with("/always-busy/") => {
            short(stream, "429 Too Many Requests", &["Retry-After: 1".into()]);
        }
        _ if path.starts_with("/busy-for-an-hour/") => {
            short(
                stream,
                "429 Too Many Requests",
                &["Retry-After: 3600".into()],
            );
        }
        // 429 until a moment two seconds after the first request, given as
        // an HTTP date: a client that asks before then gets 429 again.
        "/busy-until" => {
            let ready = *ready_times()
                .lock()
                .unwrap()
                .entry((port, path.to_string()))
                .or_insert_with(|| {
                    // Whole seconds, as the date says.
                    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
                    httpdate::parse_http_date(&at).expect("a date it wrote")
                });
            if SystemTime::now() >= ready {
                fine(stream);
            } else {
                let date = httpdate::fmt_http_date(ready);
                short(
                    stream,
                    "429 Too Many Requests",
                    &[format!("Retry-After: {date}")],
                );
            }
        }
        // A server error, then fine.
        "/flaky" if count == 1 => short(stream, "500 Internal Server Error", &[]),
        "/flaky" => fine(stream),
        // The connection closed without an answer, then fine.
        "/drops-once" if count == 1 => {}
        "/drops-once" => fine(stream),
        "/odd-client-code" => short(stream, "499 Whatever", &[]),
        _ => return false,
    }
    let _ = stream.flush();
    true
}

fn fine(stream: &mut impl Write) {
    let body = "<!DOCTYPE html><title>Fine</title><h1 id=top>Fine</h1>";
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// When each (port, path) of `/busy-until` stops answering 429.
fn ready_times() -> &'static Mutex<HashMap<(u16, String), SystemTime>> {
    static READY: OnceLock<Mutex<HashMap<(u16, String), SystemTime>>> = OnceLock::new();
    READY.get_or_init(Mutex::default)
}

/// An HTTPS server on 127.0.0.1 whose certificate (tests/fixtures/tls/,
/// for 127.0.0.1) no authority vouches for: it signed it itself. Answers
/// any request that gets through with a fine page. Returns its port.
pub fn self_signed() -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/");
    let certificates = CertificateDer::pem_file_iter(format!("{dir}self-signed.crt"))
        .expect("the test certificate")
        .collect::<Result<Vec<_>, _>>()
        .expect("a readable certificate");
    let key = PrivateKeyDer::from_pem_file(format!("{dir}self-signed.key")).expect("its key");
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certificates, key)
            .expect("a usable certificate"),
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let port = listener.local_addr().expect("a bound port").port();
    thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            thread::spawn(move || {
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, tcp);
                let mut request = [0u8; 4096];
                if tls.read(&mut request).is_ok() {
                    fine(&mut tls);
                    let _ = tls.flush();
                }
            });
        }
    });
    port
}
