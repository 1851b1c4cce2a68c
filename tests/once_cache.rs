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

/// `once` stores each feed as it arrives, past the few it lets wait in the
/// writer's queue: every feed and every headline is in the file when it exits.
#[test]
fn a_cold_once_stores_every_feed_it_fetched() {
    const FEEDS: usize = 40;
    const ITEMS: usize = 5;
    let server = common::Server::start();
    common::market_day(&server);
    let now = chrono::Utc::now();
    let mut feeds = String::new();
    for f in 0..FEEDS {
        let items: String = (0..ITEMS)
            .map(|i| {
                format!(
                    "<item><title>Story {f}-{i}</title><link>https://example.com/{f}/{i}</link>\
                     <pubDate>{}</pubDate></item>",
                    (now - chrono::Duration::minutes((f * ITEMS + i) as i64)).to_rfc2822()
                )
            })
            .collect();
        let body = format!("<rss version=\"2.0\"><channel><title>F{f}</title>{items}</channel></rss>");
        server.route(
            &format!("/rss/{f}"),
            common::Reply::new(200, "application/rss+xml", body).header("ETag", &format!("\"v{f}\"")),
        );
        feeds.push_str(&format!(
            "[[feed]]\nname = \"F{f}\"\nurl = \"{}/rss/{f}\"\n",
            server.base
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = common::write_config(tmp.path(), &common::config_text(&server.base, &["NVDA"], &feeds));
    let json = common::once_with_cache(tmp.path(), &cfg);
    assert_eq!(json["headlines"].as_array().unwrap().len(), FEEDS * ITEMS);
    let conn = rusqlite::Connection::open(tmp.path().join("cache.db")).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM headlines") as usize, FEEDS * ITEMS);
    assert_eq!(
        count("SELECT count(*) FROM feeds WHERE etag IS NOT NULL") as usize,
        FEEDS
    );
}

/// `once` opens its cache while the config is read (cli::EarlyCache): what the
/// opening says still reaches the screen and the log, and its answer is used.
#[test]
fn a_corrupt_cache_is_said_and_logged_when_once_opens_it_early() {
    let server = common::Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("cache.db"),
        b"not a database: a text file in the cache's place",
    )
    .unwrap();
    let feeds = common::rss_feed(&server, "Market Desk");
    let cfg = common::write_config(tmp.path(), &common::config_text(&server.base, &["NVDA"], &feeds));
    let out = common::run_once_with_cache(tmp.path(), &cfg);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("corrupt"),
        "{}",
        common::stderr(&out)
    );
    let log = std::fs::read_to_string(tmp.path().join("xdg-state/tickwire/tickwire.log")).unwrap();
    assert!(log.contains("corrupt"), "the log: {log}");
    // The rebuilt cache took this run's headlines: the next run's 304 is answered from it.
    let again = common::once_with_cache(tmp.path(), &cfg);
    assert_eq!(again["headlines"].as_array().unwrap().len(), 4);
}

#[test]
fn a_refused_config_ends_once_while_its_cache_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("bad.toml");
    std::fs::write(&cfg, "[[watchlist]]\nname = 7\n").unwrap();
    let out = common::run_once_with_cache(tmp.path(), &cfg);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        !common::stderr(&out).contains("panicked"),
        "{}",
        common::stderr(&out)
    );
}
