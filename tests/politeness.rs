//! Every source shares one HTTP client, and it is polite per host: no more
//! requests a second than the host's budget, and a Retry-After one source was
//! given pauses every source on that host. Against a real server on 127.0.0.1.

mod common;

use std::time::Duration;

use common::{Reply, Server};
use reqwest::Url;
use reqwest::header::HeaderMap;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::source::hosts::Budget;
use tickwire::source::{FetchError, Http};
use tokio::time::Instant;

fn http(per_second: Option<f64>) -> Http {
    let text = "[general]\ntimeout = \"10s\"\nmax_concurrent_requests = 32\n\
                [[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\"]\n";
    let config = parse(text, ConfigOrigin::Embedded).unwrap();
    Http::with_budgets(&config.general, move |_| Budget {
        concurrent: 16,
        per_second,
    })
    .unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_hosts_rate_budget_holds_however_many_ask_at_once() {
    let server = Server::start();
    server.route("/x", Reply::new(200, "text/plain", "ok"));
    let http = http(Some(10.0));
    let url = Url::parse(&format!("{}/x", server.base)).unwrap();
    rt().block_on(async {
        let deadline = Instant::now() + Duration::from_secs(10);
        let asks = (0..25).map(|_| http.get(url.clone(), HeaderMap::new(), deadline));
        for r in futures_util::future::join_all(asks).await {
            assert_eq!(r.unwrap().status, 200);
        }
    });
    let mut at: Vec<std::time::Instant> = server.requests().iter().map(|r| r.at).collect();
    at.sort();
    assert_eq!(at.len(), 25);
    // Starts are 100 ms apart: any 0.9 s holds 9 of them, 10 with a late arrival.
    for (i, start) in at.iter().enumerate() {
        let within = at[i..]
            .iter()
            .take_while(|t| **t - *start < Duration::from_millis(900))
            .count();
        assert!(within <= 10, "{within} requests within 0.9 s of request {i}");
    }
    assert!(
        *at.last().unwrap() - at[0] >= Duration::from_millis(2000),
        "25 at 10/s take 2.4 s"
    );
}

#[test]
fn a_retry_after_pauses_every_source_on_that_host() {
    let server = Server::start();
    server.route(
        "/quotes",
        Reply::new(429, "text/plain", "slow down").header("Retry-After", "60"),
    );
    server.route("/feed", Reply::new(200, "text/plain", "ok"));
    let http = http(None);
    let base = Url::parse(&server.base).unwrap();
    rt().block_on(async {
        let deadline = Instant::now() + Duration::from_secs(5);
        let quotes = http
            .get(base.join("/quotes").unwrap(), HeaderMap::new(), deadline)
            .await;
        let fetched = quotes.unwrap();
        assert_eq!(fetched.status, 429);
        // Another source on the same host is not sent, and says why.
        let feed = http
            .get(base.join("/feed").unwrap(), HeaderMap::new(), deadline)
            .await;
        match feed {
            Err(e @ FetchError::HostPaused(_)) => {
                assert!(e.retry_after().unwrap() > Duration::from_secs(55));
                assert!(
                    e.to_string().starts_with("not asked: the host wants a pause"),
                    "{e}"
                );
            }
            other => panic!("{other:?}"),
        }
    });
    assert_eq!(server.count("/feed"), 0);
    assert_eq!(server.count("/quotes"), 1);
}
