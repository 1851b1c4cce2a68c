//! A chart range's ask over loopback with the cache: fetched once, shown
//! again from the cache while young, the older bars kept when the server fails.

mod common;

use tickwire::cache::{self, Write};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::history::ChartRange;
use tickwire::source::Output;
use tickwire::source::history::{Ask, answer};

use common::{Reply, Server, config_text};

fn ask(server: &Server, cache: &std::path::Path) -> Ask {
    let config = parse(&config_text(&server.base, &["NVDA"], ""), ConfigOrigin::Embedded).unwrap();
    Ask {
        http: tickwire::source::Http::new(&config.general).unwrap(),
        base: config.yahoo_base(),
        cache: Some(cache.to_path_buf()),
        symbol: "NVDA".into(),
        range: ChartRange::FiveYears,
    }
}

fn outcome(o: Output) -> tickwire::model::HistoryOutcome {
    match o {
        Output::History(o) => *o,
        other => panic!("not a history outcome: {other:?}"),
    }
}

#[tokio::test]
async fn a_range_is_fetched_once_then_read_from_the_cache_and_kept_through_a_failure() {
    let server = Server::start();
    let (_, _, _, body) = common::shapes::weekly();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(200, "application/json", body),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let (c, _) = cache::open(&path).cache.unwrap();

    let first = outcome(answer(ask(&server, &path)).await);
    assert_eq!(first.history.as_ref().unwrap().bars.len(), 261);
    assert!(first.error.is_none());
    let target = &server.requests()[0].target;
    assert!(
        target.contains("range=5y") && target.contains("interval=1wk"),
        "{target}"
    );
    // The run loop keeps what came; the next ask reads it back without asking.
    let body = first.body.clone().expect("a fetched answer carries its body");
    let keep = |fetched| Write::History {
        symbol: "NVDA".into(),
        range: "5y".into(),
        interval: "1wk".into(),
        fetched,
        body: body.clone(),
    };
    c.write(keep(first.fetched));
    c.flush();
    let again = outcome(answer(ask(&server, &path)).await);
    assert_eq!(server.requests().len(), 1, "young bars come from the cache");
    assert_eq!(again.history, first.history);
    assert!(again.body.is_none(), "nothing new to keep");

    // Two days on the bars are old; the server fails: the old bars stay, with why.
    c.write(keep(first.fetched - chrono::Duration::days(2)));
    c.flush();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(503, "text/plain", "busy"),
    );
    let failed = outcome(answer(ask(&server, &path)).await);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(failed.history, first.history);
    let why = failed.error.unwrap();
    assert!(why.contains("503"), "{why}");
    let kept_at = first.fetched - chrono::Duration::days(2);
    assert_eq!(
        failed.fetched.timestamp(),
        kept_at.timestamp(),
        "the cache keeps seconds"
    );
}
