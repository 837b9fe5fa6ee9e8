//! Serving the site from memory: a path is looked up in the last good
//! build and nowhere else, so nothing outside the output can be served
//! (a `..` segment, plain or encoded, is refused before any lookup).
//! HTML pages get a small script that reloads on the server's events, and,
//! while the last change has an error, an overlay with the error's text.
//! Restricted views are served under /restricted/ with a banner, unless
//! the preview can be reached from other computers and that was not
//! allowed. A request not addressed to the preview (see `host`) gets 421
//! and nothing else.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::Reporter;
use super::host::{self, Refusals};
use crate::html::escape;
use crate::output::Tree;

/// Where the browser listens for rebuilds.
pub const EVENTS: &str = "/__policyweb/events";

/// What is served now.
#[derive(Default)]
pub struct Served {
    pub public: Tree,
    pub restricted: Tree,
    /// The last change's errors, shown over every page until fixed.
    pub error: Option<String>,
}

#[derive(Clone)]
pub struct Shared {
    pub served: Arc<RwLock<Served>>,
    pub events: broadcast::Sender<()>,
    /// The address listened on, which requests must name.
    pub bound: SocketAddr,
    /// Whether /restricted/ is served (false when the preview can be
    /// reached from other computers and that was not allowed).
    pub restricted_served: bool,
    /// How often a reload stream sends a comment, to stay under the
    /// connections' idle timeout.
    pub heartbeat: Duration,
    pub refusals: Arc<Mutex<Refusals>>,
    pub reporter: Arc<Mutex<dyn Reporter>>,
}

pub fn router(shared: Shared) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(get(page))
        .layer(middleware::from_fn_with_state(shared.clone(), addressed))
        .with_state(shared)
}

/// Lets through only requests addressed to the preview; any other gets
/// 421 with a short page, and a line in the terminal (at most one per
/// `Refusals::QUIET`).
async fn addressed(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST);
    let named = host
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| host::names_preview(value, shared.bound));
    let target = request
        .uri()
        .authority()
        .is_none_or(|authority| host::names_preview(authority.as_str(), shared.bound));
    if named && target {
        return next.run(request).await;
    }
    let asked = match request.uri().authority() {
        Some(authority) if named => authority.as_str().as_bytes().to_vec(),
        _ => host
            .map(|value| value.as_bytes().to_vec())
            .unwrap_or_default(),
    };
    let told = lock(&shared.refusals).refused(Instant::now());
    if let Some(untold) = told {
        lock(&shared.reporter).refused(&host::shown(&asked), untold);
    }
    let mut response = html(
        StatusCode::MISDIRECTED_REQUEST,
        host::refusal_page(shared.bound).into_bytes(),
    );
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

pub fn lock<T: ?Sized>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

async fn events(
    State(shared): State<Shared>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(shared.events.subscribe())
        .map(|_| Ok(Event::default().event("reload").data("rebuilt")));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(shared.heartbeat))
}

/// The file a request path names in the output, or `None` when the path
/// tries to leave it. Percent-encoding is undone first, so `%2e%2e` and
/// `..%2f` are caught like `..`.
pub fn file_for(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(crate::urls::file_for(trimmed))
}

async fn page(State(shared): State<Shared>, uri: Uri) -> Response {
    let served = match shared.served.read() {
        Ok(served) => served,
        Err(poisoned) => poisoned.into_inner(),
    };
    let Some(file) = file_for(uri.path()) else {
        return not_found(&served);
    };
    let (tree, key, restricted) = match file.strip_prefix("restricted/") {
        Some(_) if !shared.restricted_served => return restricted_withheld(),
        Some(rest) => (&served.restricted, rest.to_string(), true),
        None => (&served.public, file.clone(), false),
    };
    // A folder named without its slash: send the browser to it, so that
    // the page's relative links resolve.
    if !tree.files.contains_key(&key) && tree.files.contains_key(&format!("{key}/index.html")) {
        let to = format!("{}/", uri.path());
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    let Some(bytes) = tree.files.get(&key) else {
        if served.public.files.is_empty() {
            // Nothing has built yet: every address shows the error.
            return html(StatusCode::OK, page_for_error(&served));
        }
        return not_found(&served);
    };
    if key.ends_with(".html") {
        let body = inject(bytes, served.error.as_deref(), restricted);
        return html(StatusCode::OK, body);
    }
    let mut response = bytes.clone().into_response();
    if let Some(kind) = content_type(&key) {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    }
    response
}

/// What /restricted/ answers when the preview can be reached from other
/// computers and serving restricted views there was not allowed.
fn restricted_withheld() -> Response {
    html(
        StatusCode::FORBIDDEN,
        b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Restricted views are not served here</title></head><body><main><h1>Restricted views are not served here</h1><p>This preview can be reached from other computers, so it does not serve restricted views. Start it on this computer only (without --bind), or add --allow-restricted-on-network.</p></main></body></html>".to_vec(),
    )
}

fn not_found(served: &Served) -> Response {
    let body = match served.public.files.get("404.html") {
        Some(bytes) => inject(bytes, served.error.as_deref(), false),
        None => page_for_error(served),
    };
    html(StatusCode::NOT_FOUND, body)
}

fn html(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn content_type(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "css" => "text/css; charset=utf-8",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// A page standing in for the site before any build has succeeded.
fn page_for_error(served: &Served) -> Vec<u8> {
    inject(
        b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>policyweb preview</title></head><body><main><h1>policyweb preview</h1><p>The site has not built yet.</p></main></body></html>",
        served.error.as_deref(),
        false,
    )
}

/// The preview's additions to a page, placed before `</body>`: a banner
/// on restricted views, the error overlay, the reload script. Only served
/// pages get them; the build's output never does.
pub fn inject(page: &[u8], error: Option<&str>, restricted: bool) -> Vec<u8> {
    let mut extra = String::from(STYLE);
    if restricted {
        extra.push_str(
            "<p id=\"policyweb-restricted\" role=\"note\"><strong>Preview of a restricted view.</strong> It is shown here on this computer only; the build never writes it into public/.</p>",
        );
    }
    if let Some(error) = error {
        extra.push_str(&format!(
            "<section id=\"policyweb-error\" role=\"alert\" aria-labelledby=\"policyweb-error-title\"><h2 id=\"policyweb-error-title\">The last change has an error</h2><p>This is the last good version of the page. Fix the problem below and the page reloads by itself.</p>{}</section>",
            error_text(error)
        ));
        extra.push_str(SCROLL_TO_CARET);
    }
    extra.push_str(&format!(
        "<script>new EventSource(\"{EVENTS}\").addEventListener(\"reload\",function(){{location.reload();}});</script>"
    ));
    let mut out = page.to_vec();
    let at = find(&out, b"</body>").unwrap_or(out.len());
    out.splice(at..at, extra.into_bytes());
    out
}

/// The error's text as the overlay shows it: the quoted lines of a file,
/// with the caret line under them, in a box of their own whose lines never
/// wrap (so the caret stays under the mistake however narrow the screen;
/// the box scrolls sideways), and the words around them wrapping as
/// prose. A quote runs from the line that opens it (`╭─[file]`) to the
/// one that closes it (`╰──`), as the terminal draws them.
fn error_text(error: &str) -> String {
    let mut blocks: Vec<(bool, String)> = Vec::new();
    let mut quoting = false;
    for line in error.lines() {
        let drawn = line.trim_start();
        let opens = !quoting && drawn.starts_with("╭─");
        let code = quoting || opens;
        match blocks.last_mut() {
            Some((was_code, text)) if *was_code == code => {
                text.push('\n');
                text.push_str(line);
            }
            _ => blocks.push((code, line.to_string())),
        }
        quoting = code && !drawn.starts_with("╰─");
    }
    blocks
        .into_iter()
        .map(|(code, text)| {
            let class = if code {
                "policyweb-code"
            } else {
                "policyweb-prose"
            };
            format!("<pre class=\"{class}\">{}</pre>", escape(&text))
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Scrolls each quoted box sideways so that its caret is in view, on a
/// screen too narrow for the whole line.
const SCROLL_TO_CARET: &str = "<script>document.querySelectorAll(\"#policyweb-error pre.policyweb-code\").forEach(function(box){var lines=box.textContent.split(\"\\n\"),widest=Math.max.apply(null,lines.map(function(l){return l.length;}));for(var i=0;i<lines.length;i++){var mark=/^(\\s*\u{b7}\\s*)[\u{2500}\u{252c}^]/.exec(lines[i]);if(mark){box.scrollLeft=Math.max(0,mark[1].length*box.scrollWidth/widest-box.clientWidth/2);break;}}});</script>";

/// The preview's own styles. The quoted lines of the error keep their
/// lines whole (a wrapped line would leave the caret under the wrong
/// character on a narrow screen): their box scrolls sideways inside
/// itself, never the page.
const STYLE: &str = "<style>#policyweb-error{position:fixed;inset:auto 0 0 0;max-height:70vh;overflow-x:hidden;overflow-y:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#0b0c0c;border-top:.5rem solid #d4351c;box-shadow:0 -2px 12px rgba(0,0,0,.3);z-index:1000;box-sizing:border-box}#policyweb-error pre{margin:0;font-family:ui-monospace,Menlo,Consolas,\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:.875rem;line-height:1.4;tab-size:4;white-space:pre-wrap;overflow-wrap:anywhere}#policyweb-error pre.policyweb-code{white-space:pre;overflow-wrap:normal;overflow-x:auto;overscroll-behavior-x:contain;max-width:100%;padding:.25rem 0}#policyweb-restricted{margin:0;padding:.75rem 1.25rem;background:#0b0c0c;color:#fff}</style>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        assert_eq!(file_for("/"), Some("index.html".into()));
        assert_eq!(
            file_for("/parents/reporting/"),
            Some("parents/reporting/index.html".into())
        );
        assert_eq!(file_for("/assets/site.css"), Some("assets/site.css".into()));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/data/site.yaml",
            "/parents/..%2f..%2fdata%2fsite.yaml",
            "/..%5c..%5cdata/site.yaml",
            "/parents/%2E%2E/%2E%2E/data/site.yaml",
            "/./index.html",
            "/%00",
        ] {
            assert_eq!(file_for(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_preview_adds_its_script_and_overlay_before_the_body_ends() {
        let page = b"<html><body><p>Text</p></body></html>";
        let shown = String::from_utf8(inject(page, Some("error: <bad>"), false)).unwrap();
        assert!(shown.starts_with("<html><body><p>Text</p><style>"));
        assert!(shown.contains("<pre class=\"policyweb-prose\">error: &lt;bad&gt;</pre>"));
        assert!(shown.ends_with("</script></body></html>"));
        let clean = String::from_utf8(inject(page, None, false)).unwrap();
        assert!(!clean.contains("id=\"policyweb-error\""));
    }

    #[test]
    fn the_quoted_lines_and_their_caret_stay_whole_and_the_words_wrap() {
        let error = "  × unknown role `dls`\n  │   --> data/people.yaml:2:11\n   ╭─[data/people.yaml:1:1]\n 1 │ - id: x\n 2 │   roles: [dls]\n   ·           ─┬─\n   ·            ╰── no role has this id\n   ╰────\n  help: did you mean `dsl`?\n";
        let shown = String::from_utf8(inject(b"<body></body>", Some(error), false)).unwrap();
        let code = "<pre class=\"policyweb-code\">   ╭─[data/people.yaml:1:1]\n 1 │ - id: x\n 2 │   roles: [dls]\n   ·           ─┬─\n   ·            ╰── no role has this id\n   ╰────</pre>";
        assert!(shown.contains(code), "{shown}");
        assert!(shown.contains("<pre class=\"policyweb-prose\">  × unknown role `dls`\n  │   --&gt; data/people.yaml:2:11</pre>"), "{shown}");
        assert!(
            shown.contains("<pre class=\"policyweb-prose\">  help: did you mean `dsl`?</pre>"),
            "{shown}"
        );
        // The quote's box never wraps and scrolls by itself; words wrap.
        assert!(STYLE.contains("pre.policyweb-code{white-space:pre;"));
        assert!(STYLE.contains("overflow-x:auto;overscroll-behavior-x:contain"));
    }
}
