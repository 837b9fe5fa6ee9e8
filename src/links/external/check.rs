//! Asking about each address with lychee-lib: a limit on requests in
//! flight, a limit and a least interval per host, retries with a doubling
//! wait, a timeout, redirects followed and recorded, fragments looked for
//! on the page, accepted status codes from site.yaml. E-mail addresses are
//! checked for form only; excluded and freshly cached addresses are not
//! asked about at all.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lychee_lib::ratelimit::RateLimitConfig;
use lychee_lib::{ClientBuilder, ErrorKind, FragmentCheckerOptions, Redirects, Status};

use super::cache::Cache;
use super::collect::Address;
use super::{LinkResult, Outcome, Report};
use crate::model::LinkCheck;

/// Redirects followed before giving up; a loop ends here too.
const MAX_REDIRECTS: usize = 5;

/// Called as each address is settled: how many are done, of how many.
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &LinkResult) + Sync);

/// Checks every address and returns the report (broken first). `cache`
/// is consulted and updated when given.
pub fn check(
    addresses: Vec<Address>,
    settings: &LinkCheck,
    mut cache: Option<&mut Cache>,
    progress: Progress,
) -> Result<Report, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let max_age = settings.cache_hours * 3600;
    let excludes = regex::RegexSet::new(&settings.exclude).map_err(|e| e.to_string())?;
    let total = addresses.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let settle = |result: LinkResult| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        progress(n, total, &result);
        result
    };

    let mut results: Vec<Option<LinkResult>> = Vec::with_capacity(total);
    let mut asks: Vec<(usize, Address)> = Vec::new();
    for (position, address) in addresses.into_iter().enumerate() {
        let known = if let Some(email) = address.url.strip_prefix("mailto:") {
            Some((mail_outcome(email), false))
        } else if excludes.is_match(&address.url) {
            Some((Outcome::Excluded, false))
        } else {
            cache
                .as_deref()
                .and_then(|c| c.fresh(&address.url, now, max_age))
                .map(|outcome| (outcome.clone(), true))
        };
        match known {
            Some((outcome, cached)) => results.push(Some(settle(LinkResult {
                url: address.url,
                outcome,
                places: address.places,
                cached,
            }))),
            None => {
                results.push(None);
                asks.push((position, address));
            }
        }
    }

    if !asks.is_empty() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the checker: {e}"))?;
        let asked = runtime.block_on(ask_all(asks, settings, &settle))?;
        for (position, result) in asked {
            if let Some(cache) = cache.as_deref_mut() {
                cache.record(&result.url, &result.outcome, now);
            }
            results[position] = Some(result);
        }
    }

    let mut links: Vec<LinkResult> = results.into_iter().flatten().collect();
    links.sort_by_key(|l| rank(&l.outcome));
    Ok(Report {
        checked_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        links,
    })
}

/// Broken first, then undecided, moved, fine, excluded.
fn rank(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::Broken { .. } => 0,
        Outcome::Unchecked { .. } => 1,
        Outcome::Moved { .. } => 2,
        Outcome::Fine { .. } | Outcome::Mail => 3,
        Outcome::Excluded => 4,
    }
}

async fn ask_all(
    asks: Vec<(usize, Address)>,
    settings: &LinkCheck,
    settle: &(dyn Fn(LinkResult) -> LinkResult + Sync),
) -> Result<Vec<(usize, LinkResult)>, String> {
    let accepted: HashSet<http::StatusCode> = settings
        .accept
        .iter()
        .filter_map(|&c| http::StatusCode::from_u16(c).ok())
        .collect();
    let client = ClientBuilder::builder()
        .max_retries(settings.retries)
        .retry_wait_time(Duration::from_secs(1))
        .timeout(Duration::from_secs(settings.timeout_seconds))
        .max_redirects(MAX_REDIRECTS)
        .accepted(accepted)
        .fragment_checker_options(FragmentCheckerOptions {
            check_anchor_fragments: true,
            check_text_fragments: false,
        })
        .rate_limit_config(RateLimitConfig {
            concurrency: settings.per_host,
            request_interval: Duration::from_millis(settings.interval_ms),
        })
        .build()
        .client()
        .map_err(|e| format!("cannot start the checker: {e}"))?;
    let client = Arc::new(client);
    let limit = Arc::new(tokio::sync::Semaphore::new(settings.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (position, address) in asks {
        let (client, limit) = (Arc::clone(&client), Arc::clone(&limit));
        let timeout = settings.timeout_seconds;
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let outcome = match client.check(address.url.as_str()).await {
                Ok(response) => outcome(response.status(), response.redirects(), timeout),
                Err(error) => Outcome::Broken {
                    reason: format!("not a usable address: {error}"),
                    code: None,
                },
            };
            (position, address, outcome)
        });
    }
    let mut out = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (position, address, outcome) = joined.map_err(|e| format!("a check failed: {e}"))?;
        out.push((
            position,
            settle(LinkResult {
                url: address.url,
                outcome,
                places: address.places,
                cached: false,
            }),
        ));
    }
    Ok(out)
}

/// "no answer within 20 seconds".
fn no_answer(timeout: u64) -> String {
    if timeout == 1 {
        "no answer within 1 second".into()
    } else {
        format!("no answer within {timeout} seconds")
    }
}

/// "404 Not Found".
fn code_words(code: http::StatusCode) -> String {
    match code.canonical_reason() {
        Some(reason) => format!("{} {reason}", code.as_u16()),
        None => code.as_u16().to_string(),
    }
}

/// The hops of a redirect chain: (address, status that led there).
fn hops(redirects: Option<&Redirects>) -> Vec<(String, u16)> {
    let Some(value) = redirects.and_then(|r| serde_json::to_value(r).ok()) else {
        return Vec::new();
    };
    value["redirects"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|hop| {
                    let url = hop["url"].as_str()?.to_string();
                    let code = hop["code"].as_u64()?;
                    Some((url, u16::try_from(code).ok()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn outcome(status: &Status, redirects: Option<&Redirects>, timeout: u64) -> Outcome {
    let hops = hops(redirects);
    match status {
        Status::Ok(code) => match hops.iter().find(|(_, c)| *c == 301 || *c == 308) {
            Some(&(_, permanent)) => Outcome::Moved {
                code: permanent,
                to: hops.last().map(|(url, _)| url.clone()).unwrap_or_default(),
            },
            None => Outcome::Fine {
                code: code.as_u16(),
            },
        },
        Status::Error(ErrorKind::RejectedStatusCode(code)) if code.is_redirection() => {
            let mut seen = HashSet::new();
            let looped = hops.iter().any(|(url, _)| !seen.insert(url.as_str()));
            Outcome::Broken {
                reason: if looped {
                    "redirects in a loop".into()
                } else {
                    format!("more than {MAX_REDIRECTS} redirects")
                },
                code: Some(code.as_u16()),
            }
        }
        Status::Error(ErrorKind::RejectedStatusCode(code))
            if *code == http::StatusCode::TOO_MANY_REQUESTS =>
        {
            Outcome::Unchecked {
                reason: "the site kept asking to slow down (429 Too Many Requests)".into(),
            }
        }
        Status::Error(ErrorKind::RejectedStatusCode(code)) => Outcome::Broken {
            reason: code_words(*code),
            code: Some(code.as_u16()),
        },
        Status::Error(ErrorKind::InvalidFragment(uri)) => Outcome::Broken {
            reason: format!(
                "the page has no #{}",
                uri.as_str().split_once('#').map_or("", |(_, f)| f)
            ),
            code: None,
        },
        Status::Error(ErrorKind::NetworkRequest(error)) if error.is_timeout() => Outcome::Broken {
            reason: no_answer(timeout),
            code: None,
        },
        Status::Timeout(_) => Outcome::Broken {
            reason: no_answer(timeout),
            code: None,
        },
        Status::Error(ErrorKind::NetworkRequest(error)) if error.is_connect() => Outcome::Broken {
            reason: "could not connect to the site".into(),
            code: None,
        },
        Status::Error(error) => Outcome::Broken {
            reason: error.to_string(),
            code: None,
        },
        Status::RequestError(error) => Outcome::Broken {
            reason: error.to_string(),
            code: None,
        },
        Status::Excluded => Outcome::Excluded,
        Status::UnknownStatusCode(code) => Outcome::Unchecked {
            reason: format!("an unknown status, {}", code.as_u16()),
        },
        other => Outcome::Unchecked {
            reason: other.to_string(),
        },
    }
}

/// An e-mail address is checked for its form alone: asking a mail server
/// about a mailbox is unreliable and unkind.
fn mail_outcome(address: &str) -> Outcome {
    let address = address.split('?').next().unwrap_or(address);
    let well_formed = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !address.contains(char::is_whitespace)
    });
    if well_formed {
        Outcome::Mail
    } else {
        Outcome::Broken {
            reason: "not a well-formed e-mail address".into(),
            code: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_checked_for_form_only() {
        assert_eq!(mail_outcome("dsl@school.example"), Outcome::Mail);
        assert_eq!(
            mail_outcome("dsl@school.example?subject=Concern"),
            Outcome::Mail
        );
        assert!(mail_outcome("dsl@school").is_broken());
        assert!(mail_outcome("@school.example").is_broken());
        assert!(mail_outcome("dsl school@school.example").is_broken());
    }
}
