//! The poll task against a local server: backoff while a source fails, recovery
//! when it comes back, and a refresh on request.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Reply, Server, config_text};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::model::Validators;
use tickwire::source::feeds::FeedFetcher;
use tickwire::source::poll;
use tickwire::source::quotes::QuoteJob;
use tickwire::source::{Delivery, Http, Output, QuoteFetcher, Sources};
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
        cover: None,
    };
    let task = tokio::spawn(poll::run(job, interval, tx, refresh_rx, 1));

    // At a steady 200 ms that would be ~15 polls in 3 s; doubling waits allow about 4.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let polls = server.count("/yahoo/v8/finance/chart/NVDA");
    assert!((2..=6).contains(&polls), "{polls} polls in 3 s while failing");
    let mut failures = 0;
    while let Ok(Delivery {
        output: Output::Quote(o),
        ..
    }) = rx.try_recv()
    {
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
            if let Some(Delivery {
                output: Output::Quote(o),
                ..
            }) = rx.recv().await
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
        cover: None,
    };
    let task = tokio::spawn(poll::run(job, config.general.quote_interval, tx, refresh_rx, 1));
    assert!(rx.recv().await.is_some());
    refresh_tx.send_modify(|n| *n += 1);
    let second = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
    assert!(matches!(second, Ok(Some(_))), "refresh did not poll");
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 2);
    task.abort();
}

/// A config on `server` with one symbol polled once an hour, so every request
/// the tests count was asked for.
fn hourly(server: &Server, symbols: &[&str], extra: &str) -> tickwire::config::Config {
    let mut config = parse(&config_text(&server.base, symbols, extra), ConfigOrigin::Embedded).unwrap();
    config.general.quote_interval = Duration::from_secs(3600);
    config.watchlists.truncate(1);
    config
}

async fn next_quote(rx: &mut mpsc::Receiver<Delivery>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a source answered")
        .expect("the channel is open")
}

#[tokio::test]
async fn tasks_started_after_a_refresh_poll_once() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::fixture(200, "yahoo/nvda.json"),
    );
    server.route("/rss", Reply::fixture(200, "feeds/rss2.xml"));
    // Quote tasks and feed tasks alike: each kind gets its refresh receiver its own way.
    let feed = format!(
        "[[feed]]\nname = \"Desk\"\nurl = \"{}/rss\"\ninterval = \"1h\"\n",
        server.base
    );
    let config = hourly(&server, &["NVDA"], &feed);
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    next_quote(&mut rx).await;
    next_quote(&mut rx).await;
    sources.refresh();
    next_quote(&mut rx).await;
    next_quote(&mut rx).await;
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 2);
    assert_eq!(server.count("/rss"), 2);
    // A reload that changes every source: each new task polls once. A receiver
    // cloned from one that never saw the refresh would poll twice, back to back.
    let mut changed = hourly(&server, &["NVDA"], &feed.replace("\"1h\"", "\"2h\""));
    changed.general.quote_interval = Duration::from_secs(7200);
    sources.reconfigure(&changed).unwrap();
    next_quote(&mut rx).await;
    next_quote(&mut rx).await;
    let extra = tokio::time::timeout(Duration::from_millis(1500), rx.recv()).await;
    assert!(extra.is_err(), "a second poll right after the first");
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 3);
    assert_eq!(server.count("/rss"), 3);
}

#[tokio::test]
async fn a_refresh_waits_for_retry_after() {
    let server = busy_for_30s();
    let config = hourly(&server, &["NVDA"], "");
    let (sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    next_quote(&mut rx).await;
    sources.refresh();
    let early = tokio::time::timeout(Duration::from_millis(1500), rx.recv()).await;
    assert!(early.is_err(), "r polled a server that asked for 30 s");
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 1);
}

#[tokio::test]
async fn results_of_a_replaced_configuration_are_dropped() {
    let server = Server::start();
    common::market_day(&server);
    let old = hourly(&server, &["NVDA"], "");
    let (mut sources, mut rx) = Sources::start(&old, Default::default(), None).unwrap();
    let stale = next_quote(&mut rx).await;
    sources.reconfigure(&hourly(&server, &["AAPL"], "")).unwrap();
    assert_eq!(
        sources.accept(stale),
        None,
        "NVDA's answer came from the old tasks"
    );
    let fresh = next_quote(&mut rx).await;
    let Some(Output::Quote(o)) = sources.accept(fresh) else {
        panic!("the new task's answer is kept");
    };
    assert_eq!(o.symbol, "AAPL");
}

#[tokio::test]
async fn a_configuration_without_a_client_keeps_the_old_tasks() {
    let server = Server::start();
    common::market_day(&server);
    let config = hourly(&server, &["NVDA"], "");
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    let first = next_quote(&mut rx).await;
    let mut broken = config.clone();
    // Validation refuses this; a client that cannot be built for any reason is the same.
    broken.general.user_agent = "bad\nagent".into();
    assert!(sources.reconfigure(&broken).is_err());
    assert!(sources.accept(first).is_some(), "still the same source");
    sources.refresh();
    let again = next_quote(&mut rx).await;
    assert!(sources.accept(again).is_some(), "the old tasks still run");
}

/// A position edit, a sort or an alert line restarts no source; a new symbol
/// starts its own and nothing else (once every edit built a new client: the
/// hosts' pauses were forgotten and every source polled at once).
#[tokio::test]
async fn a_config_change_restarts_only_the_sources_it_changes() {
    let server = Server::start();
    for s in ["NVDA", "AAPL", "MSFT"] {
        server.route(
            &format!("/yahoo/v8/finance/chart/{s}"),
            Reply::fixture(200, "yahoo/nvda.json"),
        );
    }
    server.route("/rss", Reply::fixture(200, "feeds/rss2.xml"));
    let feed = format!(
        "[[feed]]\nname = \"Desk\"\nurl = \"{}/rss\"\ninterval = \"1h\"\n",
        server.base
    );
    let config = hourly(&server, &["NVDA", "AAPL"], &feed);
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    for _ in 0..3 {
        next_quote(&mut rx).await;
    }
    let mut edited = config.clone();
    edited.alerts.thresholds.alert_drop_pct = 12.0;
    edited.watchlists[0].symbols.reverse();
    if let Some(n) = edited.symbols.get_mut("NVDA") {
        n.position = vec![tickwire::position::Lot {
            shares: 10.0,
            cost: 100.0,
        }];
    }
    sources.reconfigure(&edited).unwrap();
    let extra = tokio::time::timeout(Duration::from_millis(1500), rx.recv()).await;
    assert!(
        extra.is_err(),
        "no source polled again: {:?}",
        extra.ok().flatten().map(|d| d.source)
    );
    let added = hourly(&server, &["NVDA", "AAPL", "MSFT"], &feed);
    sources.reconfigure(&added).unwrap();
    next_quote(&mut rx).await;
    let extra = tokio::time::timeout(Duration::from_millis(1500), rx.recv()).await;
    assert!(extra.is_err(), "only the new symbol polled");
    assert_eq!(server.count("/yahoo/v8/finance/chart/MSFT"), 1);
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 1);
    assert_eq!(server.count("/yahoo/v8/finance/chart/AAPL"), 1);
    assert_eq!(
        server.count("/rss"),
        1,
        "the feed runs on: it links MSFT from its next poll"
    );
}

/// A server's Retry-After outlives a reload: the restarted task does not ask it
/// again before the pause is over (a new HTTP client per edit forgot it).
#[tokio::test]
async fn a_reload_keeps_the_hosts_pauses() {
    let server = busy_for_30s();
    let config = hourly(&server, &["NVDA"], "");
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    next_quote(&mut rx).await;
    let mut changed = config.clone();
    changed.general.quote_interval = Duration::from_secs(7200);
    sources.reconfigure(&changed).unwrap();
    let answer = next_quote(&mut rx).await;
    let Some(tickwire::source::Output::Quote(o)) = sources.accept(answer) else {
        panic!("the restarted task's answer")
    };
    let why = o.result.expect_err("paused");
    assert!(why.contains("not asked: the host wants a pause"), "{why}");
    assert_eq!(server.count("/yahoo/v8/finance/chart/NVDA"), 1);
}

/// A server whose both providers answer NVDA with 429 and Retry-After: 30.
fn busy_for_30s() -> Server {
    let server = Server::start();
    let busy = Reply::new(429, "text/plain", "slow down").header("Retry-After", "30");
    server.route("/yahoo/v8/finance/chart/NVDA", busy.clone());
    server.route("/nasdaq/api/quote/NVDA/info", busy);
    server
}

/// A base URL nothing listens on: connecting is refused.
fn dead_base() -> String {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", dead.local_addr().unwrap())
}

/// Only a failure that never reached a server keeps the poll's wait short (the
/// rows come back soon after the network does); a server that answers with an
/// error is backed off as before, even when the other provider is unreachable.
#[tokio::test]
async fn a_round_knows_whether_its_failure_reached_a_server() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(500, "text/plain", "down"),
    );
    server.route("/broken.xml", Reply::new(500, "text/plain", "down"));
    let dead = dead_base();
    let soon = || tokio::time::Instant::now() + Duration::from_secs(5);
    let feeds = format!(
        "[[feed]]\nname = \"Gone\"\nurl = \"{dead}/feed.xml\"\n\n[[feed]]\nname = \"Broken\"\nurl = \"{}/broken.xml\"\n",
        server.base
    );
    let text = config_text(&dead, &["NVDA"], &feeds);
    let config = parse(&text, ConfigOrigin::Embedded).unwrap();
    let quotes = QuoteFetcher::new(Http::new(&config.general).unwrap(), &config);
    let (outcome, unreachable) = quotes.fetch_with_reach("NVDA", soon()).await;
    assert!(outcome.result.is_err());
    assert!(unreachable, "both providers refused: {:?}", outcome.result);

    let mixed = text.replacen(&format!("{dead}/yahoo"), &format!("{}/yahoo", server.base), 1);
    let config = parse(&mixed, ConfigOrigin::Embedded).unwrap();
    let quotes = QuoteFetcher::new(Http::new(&config.general).unwrap(), &config);
    let (outcome, unreachable) = quotes.fetch_with_reach("NVDA", soon()).await;
    assert!(
        outcome.result.as_ref().is_err_and(|e| e.contains("500")),
        "{:?}",
        outcome.result
    );
    assert!(!unreachable, "Yahoo answered 500: {:?}", outcome.result);

    let news = FeedFetcher::new(Http::new(&config.general).unwrap(), &config);
    let validators = Validators::default();
    let (gone, unreachable) = news.fetch_with_reach(0, None, &validators, soon()).await;
    assert!(gone.result.is_err() && unreachable, "{:?}", gone.result);
    let (broken, unreachable) = news.fetch_with_reach(1, None, &validators, soon()).await;
    assert!(broken.result.is_err() && !unreachable, "{:?}", broken.result);
}
