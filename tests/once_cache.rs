//! `once --cache` keys what it holds by feed id: renaming a feed in the config
//! keeps its headlines, and validators never come without what they validate.

mod common;

use serde_json::Value;

#[test]
fn a_renamed_feed_keeps_its_cached_headlines() {
    let server = common::Server::start();
    common::market_day(&server);
    server.route(
        "/rss",
        common::Reply::fixture(200, "feeds/rss2.xml").header("ETag", "\"day-1\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cache.db");
    let run = |feed_name: &str| -> Value {
        let feeds = format!(
            "[[feed]]\nname = \"{feed_name}\"\nurl = \"{}/rss\"\n",
            server.base
        );
        let cfg = common::write_config(tmp.path(), &common::config_text(&server.base, &["NVDA"], &feeds));
        let args = [
            "-c",
            cfg.to_str().unwrap(),
            "--cache",
            db.to_str().unwrap(),
            "once",
            "--json",
        ];
        let out = common::run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = run("Market Desk");
    assert_eq!(first["headlines"].as_array().unwrap().len(), 4);
    for _ in 0..2 {
        let renamed = run("Desk");
        assert_eq!(
            renamed["headlines"].as_array().unwrap().len(),
            4,
            "a 304 for the renamed feed answers with what the cache held"
        );
        let source = &renamed["sources"].as_array().unwrap()[1];
        assert_eq!(source["name"], "Desk");
        assert_eq!(source["items"], 4);
    }
}

#[test]
fn validators_without_cached_headlines_are_not_sent() {
    let server = common::Server::start();
    common::market_day(&server);
    server.route(
        "/rss",
        common::Reply::fixture(200, "feeds/rss2.xml").header("ETag", "\"day-1\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cache.db");
    let feeds = format!(
        "[[feed]]\nname = \"Market Desk\"\nurl = \"{}/rss\"\n",
        server.base
    );
    let cfg = common::write_config(tmp.path(), &common::config_text(&server.base, &["NVDA"], &feeds));
    let args = [
        "-c",
        cfg.to_str().unwrap(),
        "--cache",
        db.to_str().unwrap(),
        "once",
        "--json",
    ];
    assert_eq!(common::run(tmp.path(), &args).status.code(), Some(0));
    // The headlines go (pruned, or a cache written before ids were kept); the validator stays.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM headlines", []).unwrap();
    drop(conn);
    let out = common::run(tmp.path(), &args);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["headlines"].as_array().unwrap().len(), 4);
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/rss")
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers.get("if-none-match"), None);
}
