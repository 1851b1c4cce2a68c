//! `once --cache` keys what it holds by feed id: renaming a feed in the config
//! keeps its headlines, and validators never come without what they validate.

mod common;

use serde_json::Value;

/// `once --json --cache DIR/cache.db` with the feed at /rss named `feed_name`.
fn once_cached(server: &common::Server, dir: &std::path::Path, feed_name: &str) -> Value {
    let feeds = common::rss_feed(server, feed_name);
    let cfg = common::write_config(dir, &common::config_text(&server.base, &["NVDA"], &feeds));
    let db = dir.join("cache.db");
    let args = [
        "-c",
        cfg.to_str().unwrap(),
        "--cache",
        db.to_str().unwrap(),
        "once",
        "--json",
    ];
    let out = common::run(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_renamed_feed_keeps_its_cached_headlines() {
    let server = common::Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    let first = once_cached(&server, tmp.path(), "Market Desk");
    assert_eq!(first["headlines"].as_array().unwrap().len(), 4);
    for _ in 0..2 {
        let renamed = once_cached(&server, tmp.path(), "Desk");
        assert_eq!(
            renamed["headlines"].as_array().unwrap().len(),
            4,
            "a 304 for the renamed feed answers with what the cache held"
        );
        let source = &renamed["sources"].as_array().unwrap()[1];
        assert_eq!(source["name"], "Desk");
        assert_eq!(source["items"], 4);
    }
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/rss")
        .collect();
    assert_eq!(
        sent[2].headers["if-none-match"], "\"day-1\"",
        "the renamed feed's poll is conditional"
    );
}

#[test]
fn validators_without_cached_headlines_are_not_sent() {
    let server = common::Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    once_cached(&server, tmp.path(), "Market Desk");
    // The headlines go (pruned, or a cache written before ids were kept); the validator stays.
    let conn = rusqlite::Connection::open(tmp.path().join("cache.db")).unwrap();
    conn.execute("DELETE FROM headlines", []).unwrap();
    drop(conn);
    let json = once_cached(&server, tmp.path(), "Market Desk");
    assert_eq!(json["headlines"].as_array().unwrap().len(), 4);
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/rss")
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers.get("if-none-match"), None);
}
