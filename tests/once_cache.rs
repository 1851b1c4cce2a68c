//! `once --cache` keys what it holds by feed id: renaming a feed in the config
//! keeps its headlines, and validators never come without what they validate.

mod common;

#[test]
fn a_renamed_feed_keeps_its_cached_headlines() {
    let server = common::Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    let first = common::once_cached(&server, tmp.path(), "Market Desk");
    assert_eq!(first["headlines"].as_array().unwrap().len(), 4);
    for _ in 0..2 {
        let renamed = common::once_cached(&server, tmp.path(), "Desk");
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
    common::once_cached(&server, tmp.path(), "Market Desk");
    // The headlines go (pruned, or a cache written before ids were kept); the validator stays.
    let conn = rusqlite::Connection::open(tmp.path().join("cache.db")).unwrap();
    conn.execute("DELETE FROM headlines", []).unwrap();
    drop(conn);
    let json = common::once_cached(&server, tmp.path(), "Market Desk");
    assert_eq!(json["headlines"].as_array().unwrap().len(), 4);
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/rss")
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers.get("if-none-match"), None);
}
