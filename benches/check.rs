//! The external link check on 2,000 distinct addresses spread over 20
//! loopback hosts (127.0.0.1 to 127.0.0.20), each answering after 20 ms.
//! Run with `cargo bench --bench check`. Reports the median wall time of
//! the same check repeated, and requests per second, with the default
//! settings (32 requests in flight, 2 per host, at least 25 ms between
//! two requests to one host). Target: under 3 s.

#[path = "../tests/common/server.rs"]
mod server;

use std::time::{Duration, Instant};

use policyweb::links::external::check;
use policyweb::links::external::collect::Address;
use policyweb::model::LinkCheck;

const HOSTS: usize = 20;
const ADDRESSES: usize = 2_000;
const RUNS: usize = 5;

fn main() {
    let servers: Vec<server::TestServer> = (1..=HOSTS)
        .map(|n| {
            server::TestServer::start_with_delay(&format!("127.0.0.{n}"), Duration::from_millis(20))
        })
        .collect();
    let addresses: Vec<Address> = (0..ADDRESSES)
        .map(|n| Address {
            url: servers[n % HOSTS].url(&format!("/item/{n}")),
            places: vec![format!("data/organisations.yaml:{}:8", n + 1)],
        })
        .collect();
    let settings = LinkCheck::default();
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = check::check(addresses.clone(), &settings, None, &|_, _, _| {})
            .expect("the checker runs");
        times.push(started.elapsed());
        assert_eq!(report.counts().fine, ADDRESSES, "every address answered");
    }
    times.sort();
    let median = times[RUNS / 2];
    let requests: usize = servers.iter().map(|s| s.total_hits()).sum();
    println!(
        "{ADDRESSES} addresses on {HOSTS} loopback hosts, 20 ms server delay, {RUNS} runs ({requests} requests in all):"
    );
    println!(
        "  settings: {} in flight, {} per host, {} ms between requests to one host",
        settings.concurrency, settings.per_host, settings.interval_ms
    );
    println!(
        "  median wall time {:.2} s, {:.0} requests per second (target < 3 s)",
        median.as_secs_f64(),
        ADDRESSES as f64 / median.as_secs_f64()
    );
    println!(
        "  fastest {:.2} s, slowest {:.2} s",
        times[0].as_secs_f64(),
        times[RUNS - 1].as_secs_f64()
    );
}
