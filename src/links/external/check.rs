//! Asking about each address: a limit on requests in flight, a limit and a
//! least interval per host, retries (of 5xx, 429, refused and reset
//! connections, timeouts, bodies cut off) with a doubling wait or the wait
//! the site asked for, a timeout on each attempt and a deadline on the
//! whole check. One attempt (redirects, status, #fragment) is `ask`'s.
//! E-mail addresses are checked for form only; excluded and freshly cached
//! addresses are not asked about at all.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use super::ask::{self, Attempt, Clients, Rules};
use super::cache::Cache;
use super::collect::Address;
use super::reason;
use super::{LinkOutcome, LinkResult, Report};
use crate::model::LinkCheck;

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
            Some((LinkOutcome::Excluded, false))
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
        let asked = runtime.block_on(ask_all(asks, settings, &excludes, &settle))?;
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
        max_undecided_percent: settings.max_undecided_percent,
    })
}

/// Broken first, then undecided, moved, fine, excluded.
fn rank(outcome: &LinkOutcome) -> u8 {
    match outcome {
        LinkOutcome::Broken { .. } => 0,
        LinkOutcome::Unchecked { .. } => 1,
        LinkOutcome::Moved { .. } => 2,
        LinkOutcome::Fine { .. } | LinkOutcome::Mail => 3,
        LinkOutcome::Excluded => 4,
    }
}

/// One host's share of the check: how many of its addresses are asked at
/// once, when it may next be asked, and whether it has been given up on
/// (it asked to wait past the deadline).
struct Host {
    permits: tokio::sync::Semaphore,
    next: std::sync::Mutex<tokio::time::Instant>,
    /// Until when the host asked not to be asked (a 429's wait).
    held: std::sync::Mutex<tokio::time::Instant>,
    given_up: std::sync::Mutex<Option<String>>,
}

impl Host {
    /// Takes the next turn at this host, `interval` after the last, and
    /// no earlier than `at_least`; returns when it falls.
    fn turn(&self, interval: Duration, at_least: Instant) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let at = (*next).max(at_least);
        *next = at + interval;
        at
    }

    /// Nothing more is sent to this host before `at`.
    fn hold_until(&self, at: Instant) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        *next = (*next).max(at);
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        *held = (*held).max(at);
    }

    /// Whether the host asked, since a turn was taken, to be left alone
    /// past `now`.
    fn held_past(&self, now: Instant) -> bool {
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) > now
    }

    fn given_up(&self) -> Option<String> {
        self.given_up
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn give_up(&self, reason: &str) {
        *self.given_up.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason.to_string());
    }
}

/// The host (and port) requests to an address go to.
fn host_key(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| url.to_string(),
        |u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        },
    )
}

/// "10 minutes", "3 seconds".
fn span_words(span: Duration) -> String {
    let seconds = span.as_secs_f64();
    if seconds >= 60.0 && seconds % 60.0 == 0.0 {
        let minutes = seconds / 60.0;
        format!("{minutes} minute{}", if minutes == 1.0 { "" } else { "s" })
    } else {
        let seconds = seconds.round().max(1.0);
        format!("{seconds} second{}", if seconds == 1.0 { "" } else { "s" })
    }
}

async fn ask_all(
    asks: Vec<(usize, Address)>,
    settings: &LinkCheck,
    excludes: &regex::RegexSet,
    settle: &(dyn Fn(LinkResult) -> LinkResult + Sync),
) -> Result<Vec<(usize, LinkResult)>, String> {
    let clients = Arc::new(Clients::new(settings)?);
    let started = Instant::now();
    let deadline = started
        .checked_add(settings.deadline)
        .unwrap_or(started + Duration::from_secs(86_400 * 365));
    let limit = Arc::new(tokio::sync::Semaphore::new(settings.concurrency));
    let mut hosts: HashMap<String, Arc<Host>> = HashMap::new();
    let shared = Arc::new((settings.clone(), excludes.clone()));
    let mut tasks = tokio::task::JoinSet::new();
    for (position, address) in asks {
        let host = Arc::clone(hosts.entry(host_key(&address.url)).or_insert_with(|| {
            Arc::new(Host {
                permits: tokio::sync::Semaphore::new(settings.per_host),
                next: std::sync::Mutex::new(started),
                held: std::sync::Mutex::new(started),
                given_up: std::sync::Mutex::new(None),
            })
        }));
        let (clients, limit, shared) = (
            Arc::clone(&clients),
            Arc::clone(&limit),
            Arc::clone(&shared),
        );
        tasks.spawn(async move {
            let (settings, excludes) = &*shared;
            let rules = Rules { settings, excludes };
            let outcome =
                settle_address(&address.url, &clients, &rules, &host, &limit, deadline).await;
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

/// Asks about one address until it is settled, it has had its retries,
/// or the deadline passes. Each attempt, redirects and the fragment search
/// included, is under `timeout_seconds`. The address keeps its host's turn
/// while it waits to try again, so retries do not queue behind new
/// addresses.
async fn settle_address(
    url: &str,
    clients: &Clients,
    rules: &Rules<'_>,
    host: &Host,
    limit: &tokio::sync::Semaphore,
    deadline: Instant,
) -> LinkOutcome {
    let settings = rules.settings;
    let late = || LinkOutcome::Unchecked {
        reason: format!(
            "not checked: the check's deadline of {} passed first",
            span_words(settings.deadline)
        ),
    };
    let Ok(Ok(_turn)) = tokio::time::timeout_at(deadline, host.permits.acquire()).await else {
        return late();
    };
    let interval = Duration::from_millis(settings.interval_ms);
    let timeout = Duration::from_secs(settings.timeout_seconds);
    let mut backoff = Duration::from_secs(1);
    let mut earliest = Instant::now();
    let mut tried = 0;
    loop {
        if let Some(reason) = host.given_up() {
            return LinkOutcome::Unchecked { reason };
        }
        let at = host.turn(interval, earliest);
        if at >= deadline {
            return late();
        }
        tokio::time::sleep_until(at).await;
        if host.held_past(Instant::now()) {
            // A 429 to another address came in while this one waited.
            continue;
        }
        let Ok(Ok(permit)) = tokio::time::timeout_at(deadline, limit.acquire()).await else {
            return late();
        };
        let attempt = tokio::time::timeout(timeout, ask::ask(clients, url, rules))
            .await
            .unwrap_or_else(|_| Attempt::Again {
                outcome: LinkOutcome::Broken {
                    reason: reason::no_answer(settings.timeout_seconds),
                    code: None,
                },
                retry_after: None,
                slow_down: false,
            });
        drop(permit);
        let (outcome, retry_after, slow_down) = match attempt {
            Attempt::Done(outcome) => return outcome,
            Attempt::Again {
                outcome,
                retry_after,
                slow_down,
            } => (outcome, retry_after, slow_down),
        };
        if tried >= settings.retries {
            return outcome;
        }
        tried += 1;
        // The site's own word on when to ask again is the wait, for its
        // whole host when it asked to slow down; otherwise 1 s, 2 s, 4 s…
        let wait = retry_after.unwrap_or(backoff);
        backoff = backoff.saturating_mul(2);
        let now = Instant::now();
        let again = now.checked_add(wait).unwrap_or(deadline);
        if again >= deadline {
            if slow_down {
                let reason = format!(
                    "not checked: the site asked to wait {} (429 Too Many Requests), past the check's deadline of {}",
                    span_words(wait),
                    span_words(settings.deadline)
                );
                host.give_up(&reason);
                return LinkOutcome::Unchecked { reason };
            }
            return LinkOutcome::Unchecked {
                reason: format!(
                    "{}, and the check's deadline of {} came before it could be asked again",
                    detail(&outcome),
                    span_words(settings.deadline)
                ),
            };
        }
        if slow_down {
            host.hold_until(again);
        }
        earliest = again;
    }
}

/// The words of an outcome that was going to be tried again.
fn detail(outcome: &LinkOutcome) -> String {
    match outcome {
        LinkOutcome::Broken { reason, .. } | LinkOutcome::Unchecked { reason } => reason.clone(),
        other => format!("{other:?}"),
    }
}

/// An e-mail address is checked for its form alone: asking a mail server
/// about a mailbox is unreliable and unkind.
fn mail_outcome(address: &str) -> LinkOutcome {
    let address = address.split('?').next().unwrap_or(address);
    let well_formed = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !address.contains(char::is_whitespace)
    });
    if well_formed {
        LinkOutcome::Mail
    } else {
        LinkOutcome::Broken {
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
        assert_eq!(mail_outcome("dsl@school.example"), LinkOutcome::Mail);
        assert_eq!(
            mail_outcome("dsl@school.example?subject=Concern"),
            LinkOutcome::Mail
        );
        assert!(mail_outcome("dsl@school").is_broken());
        assert!(mail_outcome("@school.example").is_broken());
        assert!(mail_outcome("dsl school@school.example").is_broken());
    }
}
