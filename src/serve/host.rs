//! Which requests the preview answers: only those addressed to it. A web
//! page the lead visits can point a name of its own at 127.0.0.1 (DNS
//! rebinding) and then read whatever answers there as if it were its own
//! site; its requests then carry that name in `Host`. So a request is
//! answered only when its `Host` (and the address in the request line, if
//! it has one) is the address the preview is bound to, with its port:
//! on loopback, `127.0.0.1`, `localhost` or `[::1]` (or the bound address
//! itself); on another address, that address; on every address (`0.0.0.0`
//! or `::`), `localhost` or any address written as numbers, since no web
//! page can make numbers mean its own site. A name is never enough.
//!
//! Refusals are counted, and told at most once per `Refusals::QUIET`, so
//! that a page retrying in a loop cannot flood the terminal.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// Whether `host` (a `Host` header's value, or a request target's
/// authority) names the preview bound at `bound`.
pub fn names_preview(host: &str, bound: SocketAddr) -> bool {
    if host.contains('@') {
        return false;
    }
    let Ok(authority) = host.parse::<http::uri::Authority>() else {
        return false;
    };
    // No port is the default port, which must then be the bound one.
    if authority.port_u16().unwrap_or(80) != bound.port() {
        return false;
    }
    let name = authority.host();
    let literal = name
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(name);
    let bound_ip = bound.ip();
    match literal.parse::<IpAddr>() {
        // On every address, any of this computer's addresses reach it;
        // a number cannot be rebound, so any number is answered.
        Ok(_) if bound_ip.is_unspecified() => true,
        Ok(ip) if bound_ip.is_loopback() => ip == bound_ip || ip.is_loopback(),
        Ok(ip) => ip == bound_ip,
        Err(_) => {
            name.eq_ignore_ascii_case("localhost")
                && (bound_ip.is_loopback() || bound_ip.is_unspecified())
        }
    }
}

/// How a refused request's `Host` is shown in the terminal: control
/// characters escaped (a terminal must never receive a page's escape
/// codes), and cut short.
pub fn shown(host: &[u8]) -> String {
    let text = String::from_utf8_lossy(host);
    let mut shown: String = text.chars().take(80).flat_map(char::escape_debug).collect();
    if text.chars().count() > 80 {
        shown.push('…');
    }
    shown
}

/// Refusals since the last one told.
#[derive(Default)]
pub struct Refusals {
    told: Option<Instant>,
    untold: usize,
}

impl Refusals {
    /// At most one line in the terminal this often.
    pub const QUIET: Duration = Duration::from_secs(10);

    /// Counts a refusal at `now`; `Some(earlier untold refusals)` when
    /// this one is to be told.
    pub fn refused(&mut self, now: Instant) -> Option<usize> {
        match self.told {
            Some(told) if now.saturating_duration_since(told) < Refusals::QUIET => {
                self.untold += 1;
                None
            }
            _ => {
                self.told = Some(now);
                Some(std::mem::take(&mut self.untold))
            }
        }
    }
}

/// The short page a refused request gets, saying where the preview is.
pub fn refusal_page(bound: SocketAddr) -> String {
    let address = if bound.ip().is_unspecified() {
        format!(
            "this computer's address written as numbers, with port {}, or http://localhost:{}/",
            bound.port(),
            bound.port()
        )
    } else if bound.ip().is_loopback() {
        format!("http://127.0.0.1:{}/ on this computer", bound.port())
    } else {
        format!("http://{bound}/")
    };
    format!(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Not this preview's address</title></head><body><main><h1>Not this preview's address</h1><p>This policyweb preview answers only at the address it was started on: {address}.</p></main></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(address: &str) -> SocketAddr {
        address.parse().unwrap()
    }

    #[test]
    fn on_loopback_only_loopback_names_with_the_port_are_answered() {
        let bound = at("127.0.0.1:8000");
        for host in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LocalHost:8000",
            "[::1]:8000",
            "127.0.0.2:8000",
        ] {
            assert!(names_preview(host, bound), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example:8000",
            "localhost",
            "127.0.0.1",
            "127.0.0.1:8001",
            "127.0.0.1:8000@evil.example",
            "evil.example@127.0.0.1:8000",
            "192.168.1.5:8000",
            "",
            "127.1:8000",
            "localhost.:8000",
        ] {
            assert!(!names_preview(host, bound), "{host}");
        }
        // The default port needs no port in Host.
        assert!(names_preview("localhost", at("127.0.0.1:80")));
    }

    #[test]
    fn on_another_address_only_that_address_is_answered() {
        let bound = at("192.168.1.5:8000");
        assert!(names_preview("192.168.1.5:8000", bound));
        assert!(!names_preview("127.0.0.1:8000", bound));
        assert!(!names_preview("localhost:8000", bound));
        assert!(!names_preview("laptop.local:8000", bound));
    }

    #[test]
    fn on_every_address_numbers_and_localhost_are_answered_names_are_not() {
        let bound = at("0.0.0.0:8000");
        assert!(names_preview("192.168.1.5:8000", bound));
        assert!(names_preview("127.0.0.1:8000", bound));
        assert!(names_preview("localhost:8000", bound));
        assert!(!names_preview("laptop.local:8000", bound));
        assert!(!names_preview("evil.example:8000", bound));
        assert!(!names_preview("192.168.1.5:9000", bound));
        let both = at("[::]:8000");
        assert!(names_preview("[fe80::1]:8000", both));
        assert!(names_preview("10.0.0.2:8000", both));
    }

    #[test]
    fn a_flood_of_refusals_is_told_once_per_quiet_spell_with_a_count() {
        let mut refusals = Refusals::default();
        let start = Instant::now();
        assert_eq!(refusals.refused(start), Some(0));
        for i in 1..=500 {
            assert_eq!(refusals.refused(start + Duration::from_millis(i)), None);
        }
        let later = start + Refusals::QUIET;
        assert_eq!(refusals.refused(later), Some(500));
        assert_eq!(refusals.refused(later), None);
    }

    #[test]
    fn a_hostile_host_reaches_the_terminal_escaped_and_short() {
        assert_eq!(shown(b"evil\x1b[2Jexample"), "evil\\u{1b}[2Jexample");
        let long = "a".repeat(500);
        assert_eq!(shown(long.as_bytes()).chars().count(), 81);
    }
}
