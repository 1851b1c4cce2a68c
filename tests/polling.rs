//! The poll task against a local server: backoff while a source fails, recovery
//! when it comes back, and a refresh on request.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Reply, Server, config_text};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::source::poll;
use tickwire::source::quotes::QuoteJob;
use tickwire::source::{Http, QuoteFetcher};
use tokio::sync::{mpsc, watch};

#[tokio::test]
async fn backs_off_while_failing_then_recovers() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(500, "text/plain", "down"),
    );
    server.route(
        "/nasdaq/api/quote/NVDA/info",
        Reply::new(500, "text/plain", "down"),
    );
    let config = parse(&config_text(&server.base, &["NVDA"], ""), ConfigOrigin::Embedded).unwrap();
    let fetcher = Arc::new(QuoteFetcher::new(Http::new(&config.general).unwrap(), &config));
    let (tx, mut rx) = mpsc::channel(16);
    let (_refresh_tx, refresh_rx) = watch::channel(0u64);
    let interval = Duration::from_millis(200);
    let job = QuoteJob {
        fetcher,
        symbol: "NVDA".into(),
    };
    let task = tokio::spawn(poll::run(job, interval, tx, refresh_rx));

    // At a steady 200 ms that would be ~15 polls in 3 s; doubling waits allow about 4.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let polls = server.count("/yahoo/v8/finance/chart/NVDA");
    assert!((2..=6).contains(&polls), "{polls} polls in 3 s while failing");
    let mut failures = 0;
    while let Ok(Event::QuoteFetched(o)) = rx.try_recv() {
        assert!(o.result.is_err());
        failures += 1;
    }
    assert_eq!(failures, polls, "every failure is reported");

    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::fixture(200, "yahoo/nvda.json"),
    );
    let recovered = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(Event::QuoteFetched(o)) = rx.recv().await
                && o.result.is_ok()
            {
                return;
            }
        }
    })
    .await;
    assert!(recovered.is_ok(), "the source recovers by itself");
    task.abort();
}

#[tokio::test]
async fn a_refresh_polls_at_once() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::fixture(200, "yahoo/nvda.json"),
    );
    let mut config = parse(&config_text(&server.base, &["NVDA"], ""), ConfigOrigin::Embedded).unwrap();
    config.general.quote_interval = Duration::from_secs(3600);
    let fetcher = Arc::new(QuoteFetcher::new(Http::new(&config.general).unwrap(), &config));
    let (tx, mut rx) = mpsc::channel(16);
    let (refresh_tx, refresh_rx) = watch::channel(0u64);
    let job = QuoteJob {
        fetcher,
        symbol: "NVDA".into(),
    };
    let task = tokio::spawn(poll::run(job, config.general.quote_interval, tx, refresh_rx));
    assert!(matches!(rx.recv().await, Some(Event::QuoteFetched(_))));
    refresh_tx.send_modify(|n| *n += 1);
    let second = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
    assert!(
        matches!(second, Ok(Some(Event::QuoteFetched(_)))),
        "refresh did not poll"
    );
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 2);
    task.abort();
}
