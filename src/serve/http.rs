//! Serving the site from memory: a path is looked up in the last good
//! build and nowhere else, so nothing outside the output can be served
//! (a `..` segment, plain or encoded, is refused before any lookup).
//! HTML pages get a small script that reloads on the server's events, and,
//! while the last change has an error, an overlay with the error's text.
//! Restricted views are served under /restricted/ with a banner.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

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
}

pub fn router(shared: Shared) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(get(page))
        .with_state(shared)
}

async fn events(
    State(shared): State<Shared>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(shared.events.subscribe())
        .map(|_| Ok(Event::default().event("reload").data("rebuilt")));
    Sse::new(stream).keep_alive(KeepAlive::default())
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
    Some(if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    })
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
            "<section id=\"policyweb-error\" role=\"alert\" aria-labelledby=\"policyweb-error-title\"><h2 id=\"policyweb-error-title\">The last change has an error</h2><p>This is the last good version of the page. Fix the problem below and the page reloads by itself.</p><pre>{}</pre></section>",
            escape(error)
        ));
    }
    extra.push_str(&format!(
        "<script>new EventSource(\"{EVENTS}\").addEventListener(\"reload\",function(){{location.reload();}});</script>"
    ));
    let mut out = page.to_vec();
    let at = find(&out, b"</body>").unwrap_or(out.len());
    out.splice(at..at, extra.into_bytes());
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

const STYLE: &str = "<style>#policyweb-error{position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#0b0c0c;border-top:.5rem solid #d4351c;box-shadow:0 -2px 12px rgba(0,0,0,.3);z-index:1000}#policyweb-error pre{white-space:pre-wrap;font-size:1rem}#policyweb-restricted{margin:0;padding:.75rem 1.25rem;background:#0b0c0c;color:#fff}</style>";

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
        assert!(shown.contains("<pre>error: &lt;bad&gt;</pre>"));
        assert!(shown.ends_with("</script></body></html>"));
        let clean = String::from_utf8(inject(page, None, false)).unwrap();
        assert!(!clean.contains("id=\"policyweb-error\""));
    }
}
