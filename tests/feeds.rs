//! Feeds against a real HTTP server on 127.0.0.1: conditional GET, and broken
//! feeds among good ones, through the library and through `once --json`.

mod common;

use std::time::Duration;

use common::{Behaviour, Reply, Server, config_text, write_config};
use serde_json::Value;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::model::{FeedUpdate, Validators};
use tickwire::source::Http;
use tickwire::source::Output;
use tickwire::source::feeds::{FeedFetcher, FeedJob};
use tickwire::source::poll::Job;

fn feeds_toml(server: &Server, feeds: &[(&str, &str)]) -> String {
    feeds
        .iter()
        .map(|(name, path)| format!("[[feed]]\nname = \"{name}\"\nurl = \"{}{path}\"\n", server.base))
        .collect()
}

#[tokio::test]
async fn the_second_poll_is_conditional_and_a_304_keeps_everything() {
    let server = Server::start();
    server.route(
        "/rss",
        Reply::fixture(200, "feeds/rss2.xml")
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Mon, 27 Jan 2025 21:05:00 GMT"),
    );
    let text = config_text(
        &server.base,
        &["NVDA"],
        &feeds_toml(&server, &[("Market Desk", "/rss")]),
    );
    let config = parse(&text, ConfigOrigin::Embedded).unwrap();
    let fetcher = std::sync::Arc::new(FeedFetcher::new(Http::new(&config.general).unwrap(), &config));
    let mut job = FeedJob {
        fetcher,
        feed: 0,
        validators: Validators::default(),
        at: None,
        pacer: None,
    };

    let first = job.round().await;
    let Some(Output::Feed(o)) = first.output else {
        panic!("not a feed event")
    };
    match &o.result {
        Ok(FeedUpdate::Fresh {
            headlines,
            validators,
            ..
        }) => {
            assert_eq!(headlines.len(), 4);
            assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
        }
        other => panic!("{other:?}"),
    }
    let second = job.round().await;
    let Some(Output::Feed(o)) = second.output else {
        panic!("not a feed event")
    };
    assert_eq!(o.result, Ok(FeedUpdate::NotModified));
    assert!(second.ok);
    let reqs = server.requests();
    assert_eq!(
        reqs[0].headers.get("if-none-match"),
        None,
        "the first poll is unconditional"
    );
    assert_eq!(reqs[1].headers["if-none-match"], "\"v1\"");
    assert_eq!(
        reqs[1].headers["if-modified-since"],
        "Mon, 27 Jan 2025 21:05:00 GMT"
    );
    assert!(reqs[0].headers["accept"].contains("application/rss+xml"));
}

fn once(server: &Server, feeds: &[(&str, &str)]) -> (Value, String) {
    let tmp = tempfile::tempdir().unwrap();
    common::market_day(server);
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA", "AAPL"], &feeds_toml(server, feeds)),
    );
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&out)));
    let text = common::stdout(&common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    (json, text)
}

#[test]
fn a_dozen_feeds_with_broken_ones_among_them() {
    let server = Server::start();
    let hang = Behaviour::Hang(Duration::from_secs(60));
    server
        .route("/rss2", Reply::fixture(200, "feeds/rss2.xml"))
        .route("/rss091", Reply::fixture(200, "feeds/rss091.xml"))
        .route("/rdf", Reply::fixture(200, "feeds/rdf.xml"))
        .route("/atom", Reply::fixture(200, "feeds/atom.xml"))
        .route("/json", Reply::fixture(200, "feeds/feed.json"))
        .route("/latin1", Reply::fixture(200, "feeds/latin1.xml"))
        .route("/dup-a", Reply::fixture(200, "feeds/dup_a.xml"))
        .route("/dup-b", Reply::fixture(200, "feeds/dup_b.xml"))
        .route("/broken-500", Reply::new(500, "text/plain", "oops"))
        .route("/broken-html", Reply::fixture(200, "html_login.html"))
        .route("/broken-xml", Reply::fixture(200, "feeds/malformed.xml"))
        .route("/broken-hang", Reply::fixture(200, "feeds/rss2.xml").behave(hang));
    let feeds = [
        ("Market Desk", "/rss2"),
        ("Old School", "/rss091"),
        ("RDF Ticker", "/rdf"),
        ("Atom Markets", "/atom"),
        ("JSON Markets", "/json"),
        ("Börse", "/latin1"),
        ("Wire A", "/dup-a"),
        ("Wire B", "/dup-b"),
        ("Down", "/broken-500"),
        ("Login wall", "/broken-html"),
        ("Broken XML", "/broken-xml"),
        ("Hanging", "/broken-hang"),
    ];
    let started = std::time::Instant::now();
    let (json, text) = once(&server, &feeds);
    assert!(started.elapsed() < Duration::from_secs(15));

    let headlines = json["headlines"].as_array().unwrap();
    // 4 + 1 + 1 + 2 + 2 + 1, the two wires' shared story once, and what the
    // broken document had before it broke off.
    assert_eq!(headlines.len(), 13, "{headlines:#?}");
    let ids: Vec<&str> = headlines.iter().map(|h| h["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every headline exactly once");
    let dated: Vec<&str> = headlines.iter().filter_map(|h| h["published"].as_str()).collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "newest first: {dated:?}");
    let first_undated = headlines.iter().position(|h| h["published"].is_null()).unwrap();
    assert!(
        headlines[first_undated..]
            .iter()
            .all(|h| h["published"].is_null()),
        "undated last"
    );
    let nvidia = headlines.iter().find(|h| h["id"] == "md-1001").unwrap();
    assert_eq!(nvidia["symbols"], serde_json::json!(["NVDA"]));
    assert_eq!(nvidia["feed"], "Market Desk");
    assert_eq!(nvidia["published"], "2025-01-27T21:05:00Z");
    assert!(
        headlines
            .iter()
            .any(|h| h["title"] == "Nvidia-Aktie stürzt ab: größter Verlust der Börsengeschichte")
    );

    let sources: Vec<&Value> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "feed")
        .collect();
    assert_eq!(sources.len(), 12);
    let by_name = |n: &str| sources.iter().find(|s| s["name"] == n).unwrap();
    assert_eq!(by_name("Market Desk")["ok"], true);
    assert_eq!(by_name("Market Desk")["items"], 4);
    assert_eq!(by_name("Down")["error"], "HTTP 500 Internal Server Error");
    assert_eq!(
        by_name("Login wall")["error"],
        "expected a feed, got an HTML page (HTTP 200)"
    );
    let broken = by_name("Broken XML");
    assert_eq!(
        (broken["ok"].as_bool(), broken["items"].as_u64()),
        (Some(true), Some(1))
    );
    assert_eq!(broken["repaired"], true, "its status says it was repaired");
    assert_eq!(by_name("Market Desk")["repaired"], false);
    assert_eq!(by_name("Hanging")["error"], "timed out after 2s");
    assert_eq!(by_name("Hanging")["url"], format!("{}/broken-hang", server.base));
    assert_eq!(json["quotes"][0]["price"], 118.42, "quotes are unaffected");

    assert!(text.contains("HEADLINES (13 of 13, times in UTC)"), "{text}");
    assert!(
        text.contains("feed Broken XML: repaired (ill-formed or mis-encoded)"),
        "{text}"
    );
    assert!(
        text.contains("Market Desk") && text.contains("[NVDA] ") || text.contains(" [NVDA]"),
        "{text}"
    );
    assert!(
        text.contains("feed Down: HTTP 500 Internal Server Error"),
        "{text}"
    );
}

/// A feed whose items get a new guid on every poll (a per-fetch token, as some
/// CMSs do): the canonical link keeps them one headline each, and read marks stay.
#[tokio::test]
async fn items_that_change_id_on_every_poll_are_not_duplicated() {
    let server = Server::start();
    let feed_with = |poll: usize| {
        let items: String = (0..5)
            .map(|i| {
                format!(
                    "<item><title>Story {i}</title><guid>token-{poll}-{i}</guid>\
                     <link>https://churn.example.com/{i}?utm_source=rss&amp;utm_term={poll}</link>\
                     <pubDate>Mon, 27 Jan 2025 15:0{i}:00 GMT</pubDate></item>"
                )
            })
            .collect();
        Reply::new(
            200,
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>Churn</title>{items}</channel></rss>"),
        )
    };
    server.route("/churn", feed_with(0));
    let text = config_text(
        &server.base,
        &["NVDA"],
        &feeds_toml(&server, &[("Churn", "/churn")]),
    );
    let config = parse(&text, ConfigOrigin::Embedded).unwrap();
    let fetcher = FeedFetcher::new(Http::new(&config.general).unwrap(), &config);
    let mut store = tickwire::news::store::Store::default();
    for poll in 0..4 {
        server.route("/churn", feed_with(poll));
        let o = fetcher
            .fetch(
                0,
                None,
                &Validators::default(),
                tokio::time::Instant::now() + Duration::from_secs(5),
            )
            .await;
        let Ok(FeedUpdate::Fresh { headlines, .. }) = o.result else {
            panic!("{:?}", o.result)
        };
        store.merge(headlines, 2000);
        if poll == 0 {
            store.set_read("token-0-2", true);
        }
    }
    assert_eq!(
        store.len(),
        5,
        "one headline per story however often its id changes"
    );
    let story2 = store.items().iter().find(|h| h.title == "Story 2").unwrap();
    assert!(story2.read, "the read mark stays on the story");
}
