use super::*;
use crate::model::{Extended, ExtendedSession, Periods};
use crate::source::provider::{Provider, Yahoo};

fn nvda() -> Quote {
    let open = 1_737_988_200;
    let mut q = Quote::bare(
        "NVDA",
        118.42,
        "yahoo",
        DateTime::from_timestamp(open + 23_400, 0).unwrap(),
    );
    q.previous_close = Some(142.62);
    q.open = Some(124.8);
    q.day_high = Some(128.4);
    q.day_low = Some(116.7);
    q.volume = Some(818_830_900);
    q.currency = Some("USD".into());
    q.name = Some("NVIDIA Corporation".into());
    q.week52 = Some((66.25, 153.13));
    q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
    q.market_time = DateTime::from_timestamp(open + 23_400, 0);
    q.periods = Some(Periods {
        pre: Some((open - 19_800, open)),
        regular: (open, open + 23_400),
        post: Some((open + 23_400, open + 37_800)),
    });
    q.series = vec![(open, 124.8), (open + 300, 125.1), (open + 23_100, 118.42)];
    q.extended = Some(Extended {
        session: ExtendedSession::Post,
        price: 117.9,
        time: DateTime::from_timestamp(open + 25_000, 0).unwrap(),
    });
    q
}

#[test]
fn a_recorded_quote_reads_back_through_the_yahoo_provider_as_it_was() {
    let q = nvda();
    let body = chart_json(&q);
    let yahoo = Yahoo::new(reqwest::Url::parse("http://127.0.0.1/yahoo").unwrap());
    let back = yahoo.parse("NVDA", body.as_bytes(), q.fetched_at).unwrap();
    assert_eq!(back.price, q.price);
    assert_eq!(back.previous_close, q.previous_close);
    assert_eq!(back.open, q.open, "the open on the first regular bar");
    assert_eq!(
        (back.day_high, back.day_low, back.volume),
        (q.day_high, q.day_low, q.volume)
    );
    assert_eq!(back.extended, q.extended, "the after-hours trade");
    assert_eq!(back.periods, q.periods);
    assert_eq!(back.week52, q.week52);
    assert_eq!(back.name, q.name);
    assert_eq!(back.utc_offset, q.utc_offset);
    assert_eq!(&back.series[..3], &q.series[..]);
}

#[test]
fn the_replay_config_points_at_loopback_keeps_the_users_lines_and_lists_every_recorded_symbol() {
    let user = crate::config::parse(
        r#"
[alerts]
warn_drop_pct = 4.0
[[watchlist]]
name = "AI"
symbols = ["NVDA", "AVGO"]
benchmark = "^NDX"
[[watchlist]]
name = "Other"
symbols = ["KO"]
[[feed]]
name = "f"
url = "https://example.com/rss"
"#,
        ConfigOrigin::Embedded,
    )
    .unwrap();
    let recorded = ["NVDA", "TSLA", "^NDX"].map(String::from);
    let date = NaiveDate::from_ymd_opt(2025, 1, 27).unwrap();
    let c = config(&user, 4242, &recorded, date);
    assert_eq!(c.alerts.thresholds.warn_drop_pct, 4.0);
    let lists: Vec<(&str, Vec<&str>)> = c
        .watchlists
        .iter()
        .map(|w| (w.name.as_str(), w.symbols.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        lists,
        [("Recorded 2025-01-27", vec!["TSLA"]), ("AI", vec!["NVDA"])],
        "a symbol no watchlist has any more in one of its own; the benchmark stays a benchmark"
    );
    assert!(
        c.providers
            .iter()
            .all(|p| p.base_url.host_str() == Some("127.0.0.1"))
    );
    assert!(c.feeds.iter().all(|f| f.url.host_str() == Some("127.0.0.1")));
    assert!(!c.record.enabled && !c.halts.enabled && c.market.index.is_none() && c.stream.is_off());
    assert!(!c.news.per_symbol);
}

#[test]
fn the_replayed_chart_is_the_regular_prices_recorded_by_then() {
    let open = 1_737_988_200;
    let at = |s: i64| DateTime::from_timestamp(open + s, 0).unwrap();
    let point = |s: i64, price: f64| {
        let mut q = nvda();
        q.series.clear();
        q.extended = None;
        q.price = price;
        q.market_time = Some(at(s));
        (at(s + 2), q)
    };
    // A pre-market point (its market time is the last close's), then three in the session.
    let mut pre = point(-3600, 142.62);
    pre.1.market_time = Some(at(-86_400 + 23_400));
    let day = RecordedDay {
        day: NaiveDate::from_ymd_opt(2025, 1, 27).unwrap(),
        quotes: vec![pre, point(60, 124.8), point(120, 125.5), point(180, 124.0)],
        headlines: vec![],
        alerts: vec![],
    };
    let replay = Replay::recorded(day, 195.0);
    let script = replay.recorded.as_ref().unwrap();
    let q = script.quote_at("NVDA", at(150)).unwrap();
    assert_eq!(q.price, 125.5);
    assert_eq!(q.series, [(open + 60, 124.8), (open + 120, 125.5)]);
    let first = script.quote_at("NVDA", at(-7200)).unwrap();
    assert_eq!(
        (first.price, first.series.len()),
        (142.62, 0),
        "before its first point: the first"
    );
    assert!(script.quote_at("AAPL", at(150)).is_none());
    assert_eq!(replay.clock.end(), at(182));
}
