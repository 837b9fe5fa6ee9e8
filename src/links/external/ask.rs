//! One attempt at one address: the request, every redirect hop checked
//! against the rules before it is followed, the status, and the #fragment
//! looked for on the page. Retries, waits and deadlines are `check`'s.
//!
//! The rules for a hop (docs/links.md says the same):
//! - its `Location` must be there, readable, and an `http:` or `https:`
//!   address; a redirect from `https:` to `http:` is not followed;
//! - it must not match `link_check.exclude`;
//! - it must not lead to a loopback, private or link-local address (by its
//!   IP or by what its name resolves to), unless the address written in the
//!   policy is itself on one;
//! - at most `link_check.max_redirects` hops, and none back to an address
//!   already visited.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::LinkOutcome;
use super::fragment::{self, Search};
use super::reason::{self, PrivateAddress, UnknownName};
use crate::model::LinkCheck;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Settled: asking again would give the same answer.
    Done(LinkOutcome),
    /// A failure worth asking again about (a 5xx, a 429, a refused or reset
    /// connection, no answer, a body cut off). `outcome` stands if no try
    /// is left.
    Again {
        outcome: LinkOutcome,
        /// The wait the site asked for (Retry-After), if it said.
        retry_after: Option<Duration>,
        /// A 429: the wait is for the whole host, not only this address.
        slow_down: bool,
    },
}

/// The two clients: one for addresses on the public internet, whose names
/// must not resolve to private addresses, and one for addresses written
/// as loopback or private ones (a school's test server, this project's
/// tests), which may.
pub struct Clients {
    public: reqwest::Client,
    local: reqwest::Client,
}

pub struct Rules<'a> {
    pub settings: &'a LinkCheck,
    pub excludes: &'a regex::RegexSet,
}

impl Clients {
    pub fn new(settings: &LinkCheck) -> Result<Clients, String> {
        let build = |allow_private| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(Duration::from_secs(settings.timeout_seconds))
                .user_agent(concat!(
                    "policyweb/",
                    env!("CARGO_PKG_VERSION"),
                    " (link check)"
                ))
                .dns_resolver(Arc::new(Resolver { allow_private }))
                .build()
                .map_err(|e| format!("cannot start the checker: {e}"))
        };
        Ok(Clients {
            public: build(false)?,
            local: build(true)?,
        })
    }
}

/// Whether a host is this machine or a private network by its name or IP.
fn is_private_host(host: Option<Host<&str>>) -> bool {
    match host {
        Some(Host::Ipv4(ip)) => is_private_ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_private_ip(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

/// Loopback, private (RFC 1918, unique local), link-local, carrier-grade
/// NAT, unspecified and broadcast addresses: none is a public web site.
fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
                || a == 0
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private_ip(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
            }
        },
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The system's resolver, refusing names that lead to private addresses
/// when `allow_private` is false (so a public page cannot send the check
/// into the network it runs on).
struct Resolver {
    allow_private: bool,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), 0)).await {
                Ok(found) => found.collect(),
                Err(_) => Vec::new(),
            };
            if found.is_empty() {
                return Err(Box::new(UnknownName { host }) as BoxError);
            }
            if !allow_private && let Some(private) = found.iter().find(|a| is_private_ip(a.ip())) {
                return Err(Box::new(PrivateAddress {
                    host,
                    ip: private.ip(),
                }) as BoxError);
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// The wait a `Retry-After` asks for: seconds, or an HTTP date.
pub fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Asks about `address` once, following redirects by the rules.
pub async fn ask(clients: &Clients, address: &str, rules: &Rules<'_>) -> Attempt {
    let settings = rules.settings;
    let mut current = match Url::parse(address) {
        Ok(url) => url,
        Err(error) => {
            return Attempt::Done(LinkOutcome::Broken {
                reason: format!("not a usable address: {error}"),
                code: None,
            });
        }
    };
    let mut wanted = current.fragment().map(str::to_string);
    current.set_fragment(None);
    let local = is_private_host(current.host());
    let client = if local {
        &clients.local
    } else {
        &clients.public
    };
    let mut visited = HashSet::from([current.clone()]);
    // (address reached, the status that led there)
    let mut hops: Vec<(Url, u16)> = Vec::new();
    loop {
        let mut response = match client.get(current.clone()).send().await {
            Ok(response) => response,
            Err(error) => return failure(&error, settings.timeout_seconds),
        };
        let status = response.status();
        if is_redirect(status) {
            let next = match next_hop(&current, &response, hops.len() + 1, local, rules) {
                Ok(next) => next,
                Err(outcome) => return Attempt::Done(outcome),
            };
            if let Some(fragment) = next.fragment() {
                wanted = Some(fragment.to_string());
            }
            let mut next = next;
            next.set_fragment(None);
            hops.push((next.clone(), status.as_u16()));
            if !visited.insert(next.clone()) {
                return Attempt::Done(LinkOutcome::Broken {
                    reason: "redirects in a loop".into(),
                    code: Some(status.as_u16()),
                });
            }
            if hops.len() > settings.max_redirects {
                return Attempt::Done(LinkOutcome::Broken {
                    reason: format!("more than {} redirects", settings.max_redirects),
                    code: Some(status.as_u16()),
                });
            }
            current = next;
            continue;
        }
        if settings.accept.contains(&status.as_u16()) {
            if let Some(id) = wanted.as_deref().filter(|f| !fragment::needs_no_element(f))
                && is_html(&response)
            {
                match fragment::search(&mut response, id, settings.max_page_bytes).await {
                    Search::Found => {}
                    Search::Missing => {
                        return Attempt::Done(LinkOutcome::Broken {
                            reason: format!("the page has no #{id}"),
                            code: None,
                        });
                    }
                    Search::TooLarge => {
                        return Attempt::Done(LinkOutcome::Unchecked {
                            reason: format!(
                                "the page is larger than {}, too large to look for #{id}",
                                megabytes(settings.max_page_bytes)
                            ),
                        });
                    }
                    Search::Damaged(reason) => {
                        return Attempt::Again {
                            outcome: LinkOutcome::Broken { reason, code: None },
                            retry_after: None,
                            slow_down: false,
                        };
                    }
                }
            }
            return Attempt::Done(settled(status, &hops));
        }
        let waited = retry_after(response.headers(), SystemTime::now());
        return if status == http::StatusCode::TOO_MANY_REQUESTS {
            Attempt::Again {
                outcome: LinkOutcome::Unchecked {
                    reason: "the site kept asking to slow down (429 Too Many Requests)".into(),
                },
                retry_after: waited,
                slow_down: true,
            }
        } else if status.is_server_error() || status == http::StatusCode::REQUEST_TIMEOUT {
            Attempt::Again {
                outcome: LinkOutcome::Broken {
                    reason: reason::code_words(status),
                    code: Some(status.as_u16()),
                },
                retry_after: waited,
                slow_down: false,
            }
        } else {
            Attempt::Done(LinkOutcome::Broken {
                reason: reason::code_words(status),
                code: Some(status.as_u16()),
            })
        };
    }
}

/// The statuses that send a browser elsewhere (300 and 304 do not).
fn is_redirect(status: http::StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// "10 MB", "1.5 MB".
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb} MB")
    }
}

/// Pages whose ids can be looked for: HTML, or a page that does not say.
fn is_html(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("text/html") || v.starts_with("application/xhtml")
        })
}

/// Fine, or moved when any hop was permanent (the address should change).
fn settled(status: http::StatusCode, hops: &[(Url, u16)]) -> LinkOutcome {
    match hops.iter().find(|(_, c)| *c == 301 || *c == 308) {
        Some(&(_, permanent)) => LinkOutcome::Moved {
            code: permanent,
            to: hops
                .last()
                .map(|(url, _)| url.to_string())
                .unwrap_or_default(),
        },
        None => LinkOutcome::Fine {
            code: status.as_u16(),
        },
    }
}

/// The address a redirect leads to, if the rules let it be followed.
fn next_hop(
    current: &Url,
    response: &reqwest::Response,
    hop: usize,
    local: bool,
    rules: &Rules<'_>,
) -> Result<Url, LinkOutcome> {
    let code = response.status().as_u16();
    let broken = |reason: String| LinkOutcome::Broken {
        reason,
        code: Some(code),
    };
    let Some(location) = response.headers().get(http::header::LOCATION) else {
        return Err(broken(format!(
            "redirect {hop} ({code}) does not say where to: it has no Location"
        )));
    };
    let Ok(text) = location.to_str() else {
        return Err(broken(format!(
            "redirect {hop} ({code}) has a Location that is not readable text"
        )));
    };
    let next = match current.join(text.trim()) {
        Ok(next) if !text.trim().is_empty() => next,
        _ => {
            return Err(broken(format!(
                "redirect {hop} ({code}) leads to `{}`, which is not an address",
                text.escape_debug()
            )));
        }
    };
    match next.scheme() {
        "https" => {}
        "http" if current.scheme() == "http" => {}
        "http" => {
            return Err(broken(format!(
                "redirect {hop} ({code}) leads from https to unencrypted {next}, which is not followed"
            )));
        }
        other => {
            return Err(broken(format!(
                "redirect {hop} ({code}) leads to a `{other}:` address, not a web page: {next}"
            )));
        }
    }
    if !local && is_private_host(next.host()) {
        return Err(LinkOutcome::Unchecked {
            reason: format!(
                "redirect {hop} ({code}) leads to a private address ({}), which `check` does not ask about",
                next.host_str().unwrap_or_default()
            ),
        });
    }
    if rules.excludes.is_match(next.as_str()) {
        return Err(LinkOutcome::Unchecked {
            reason: format!(
                "redirect {hop} ({code}) leads to {next}, which link_check.exclude names: not asked about"
            ),
        });
    }
    Ok(next)
}

fn failure(error: &reqwest::Error, timeout: u64) -> Attempt {
    let failure = reason::request_failure(error, timeout);
    if failure.refused_by_rules {
        Attempt::Done(LinkOutcome::Unchecked {
            reason: failure.reason,
        })
    } else if failure.passing {
        Attempt::Again {
            outcome: LinkOutcome::Broken {
                reason: failure.reason,
                code: None,
            },
            retry_after: None,
            slow_down: false,
        }
    } else {
        Attempt::Done(LinkOutcome::Broken {
            reason: failure.reason,
            code: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_known_by_ip_and_by_name() {
        let private = |url: &str| is_private_host(Url::parse(url).unwrap().host());
        assert!(private("http://127.0.0.1:8000/"));
        assert!(private("http://10.1.2.3/"));
        assert!(private("http://192.168.0.1/"));
        assert!(private("http://169.254.169.254/latest/meta-data/"));
        assert!(private("http://[::1]/"));
        assert!(private("http://[fd00::1]/"));
        assert!(private("http://[::ffff:127.0.0.1]/"));
        assert!(private("http://localhost/"));
        assert!(private("http://app.localhost./"));
        assert!(!private("https://www.ceop.police.uk/"));
        assert!(!private("https://8.8.8.8/"));
    }

    /// Where a redirect from `from` with `location` leads, by the rules.
    fn hop(from: &str, location: &str, exclude: &[&str]) -> Result<String, LinkOutcome> {
        let response = http::Response::builder()
            .status(302)
            .header(http::header::LOCATION, location)
            .body(String::new())
            .unwrap();
        let current = Url::parse(from).unwrap();
        let local = is_private_host(current.host());
        let rules = Rules {
            settings: &LinkCheck::default(),
            excludes: &regex::RegexSet::new(exclude).unwrap(),
        };
        next_hop(
            &current,
            &reqwest::Response::from(response),
            1,
            local,
            &rules,
        )
        .map(|url| url.to_string())
    }

    #[test]
    fn a_public_page_cannot_send_the_check_into_a_private_network() {
        let from = "https://www.example.org/help";
        for to in [
            "https://127.0.0.1/admin",
            "https://localhost:8080/",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/",
            "https://10.0.0.5/",
        ] {
            let reason = match hop(from, to, &[]) {
                Err(LinkOutcome::Unchecked { reason }) => reason,
                other => panic!("{to}: {other:?}"),
            };
            assert!(reason.contains("leads to a private address"), "{reason}");
        }
        // A test server on loopback may redirect on loopback.
        assert_eq!(
            hop("http://127.0.0.1:8000/a", "/b", &[]),
            Ok("http://127.0.0.1:8000/b".to_string())
        );
    }

    #[test]
    fn https_is_not_given_up_for_http_on_the_way() {
        let Err(LinkOutcome::Broken { reason, .. }) =
            hop("https://www.example.org/", "http://www.example.org/", &[])
        else {
            panic!("a downgrade is broken");
        };
        assert!(reason.contains("from https to unencrypted"), "{reason}");
        assert_eq!(
            hop("http://www.example.org/", "http://www.example.org/new", &[]),
            Ok("http://www.example.org/new".to_string())
        );
        assert!(matches!(
            hop(
                "https://a.example/",
                "https://b.example/",
                &["^https://b\\.example/"]
            ),
            Err(LinkOutcome::Unchecked { .. })
        ));
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Tue, 01 Dec 2026 08:00:00 GMT").unwrap();
        let with = |value: &str| {
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::RETRY_AFTER, value.parse().unwrap());
            retry_after(&headers, now)
        };
        assert_eq!(with("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            with("Tue, 01 Dec 2026 08:01:30 GMT"),
            Some(Duration::from_secs(90))
        );
        assert_eq!(with("Tue, 01 Dec 2026 07:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(with("soon"), None);
    }
}
