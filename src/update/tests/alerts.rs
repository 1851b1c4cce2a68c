//! The alert rule as the reducer applies it: once per (symbol, trading day,
//! session, level), for the current trading day's move only, across restarts.

use super::*;
use crate::cache::Snapshot;
use crate::model::{Extended, ExtendedSession, StreamEvent, Ticker};

/// New York time on a day of January 2025 (UTC-5).
fn ny(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, day, h + 5, m, 0)
        .single()
        .unwrap_or_default()
}

fn at(now: DateTime<Utc>) -> State {
    let config = parse(CONFIG, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    State::new(Arc::new(config), 0, now.fixed_offset())
}

fn clock(s: &mut State, now: DateTime<Utc>) {
    on_event(s, Event::Tick(now.fixed_offset()));
}

/// NVDA at `price` against `previous_close`, traded at `traded`, fetched at `fetched`.
fn nvda(price: f64, previous_close: f64, traded: DateTime<Utc>, fetched: DateTime<Utc>) -> Quote {
    Quote {
        market_time: Some(traded),
        fetched_at: fetched,
        utc_offset: FixedOffset::west_opt(5 * 3600),
        ..Quote::sample("NVDA", price, previous_close)
    }
}

fn fetched(q: Quote) -> Event {
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: q.symbol.clone(),
        result: Ok(q),
        attempts: vec![],
        retry_after: None,
    }))
}

/// NVDA's answer from Nasdaq at 04:05 the morning after 27 January: `secondaryData`
/// is Monday's close with Monday's change, `primaryData` Tuesday's pre-market trade.
fn nasdaq_premarket_after_the_crash(pre_price: f64) -> Quote {
    Quote {
        provider: "nasdaq".into(),
        market_time: Some(ny(27, 16, 0)),
        utc_offset: FixedOffset::west_opt(5 * 3600),
        extended: Some(Extended {
            session: ExtendedSession::Pre,
            price: pre_price,
            time: ny(28, 4, 5),
        }),
        fetched_at: ny(28, 4, 5),
        ..Quote::sample("NVDA", 118.42, 142.62)
    }
}

#[test]
fn nasdaq_in_the_pre_market_does_not_announce_yesterdays_crash() {
    let mut s = at(ny(28, 4, 5));
    let out = on_event(&mut s, fetched(nasdaq_premarket_after_the_crash(119.0)));
    assert!(announced(&out).is_empty(), "Monday's -16.97% is Monday's");
    assert_eq!(
        s.quotes["NVDA"].level,
        Level::Alert,
        "the row still shows the move it shows"
    );
    // Tuesday's own fall later that day is announced: yesterday's did not use its slot.
    clock(&mut s, ny(28, 10, 0));
    let q = nvda(106.0, 118.42, ny(28, 10, 0), ny(28, 10, 0));
    let out = on_event(&mut s, fetched(q));
    assert_eq!(announced(&out), [("NVDA".to_string(), Level::Alert)]);
    assert_eq!(s.alert_log[0].day.to_string(), "2025-01-28");
}

#[test]
fn a_pre_market_fall_of_the_new_day_is_announced_as_pre_market() {
    let mut s = at(ny(28, 4, 5));
    // Tuesday's pre-market trade -11% against Monday's close.
    let out = on_event(&mut s, fetched(nasdaq_premarket_after_the_crash(105.4)));
    assert_eq!(announced(&out), [("NVDA".to_string(), Level::Alert)]);
    assert_eq!(s.alert_log[0].session, Some(ExtendedSession::Pre));
    assert_eq!(s.alert_log[0].day.to_string(), "2025-01-28");
}

#[test]
fn an_alert_first_raised_on_a_weekend_is_not_raised_again_at_each_restart() {
    // Friday 24 January's fall, first seen on Saturday morning (or from Europe).
    let friday = || nvda(88.0, 100.0, ny(24, 16, 0), ny(25, 9, 0));
    let mut log: Vec<AlertEvent> = Vec::new();
    let mut raised = 0;
    for start in 0..3 {
        let mut s = at(ny(25, 9, 0) + Duration::hours(start * 30));
        s.restore(Snapshot {
            quotes: vec![friday()],
            alerts: log.clone(),
            ..Snapshot::default()
        });
        raised += announced(&on_event(&mut s, fetched(friday()))).len();
        log = s.alert_log.clone();
    }
    assert_eq!(raised, 1, "three starts, one alert");
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].day.to_string(),
        "2025-01-24",
        "the quote's trading day, not the wall clock's"
    );
}

#[test]
fn an_old_move_never_raises_an_alert_on_a_new_trading_day() {
    // Started on Tuesday at 09:00 with nothing cached: Monday's crash is not today's.
    let mut s = at(ny(28, 9, 0));
    let q = nvda(118.42, 142.62, ny(27, 16, 0), ny(28, 9, 0));
    assert!(announced(&on_event(&mut s, fetched(q))).is_empty());
}

#[test]
fn a_cached_quote_raises_nothing_until_a_poll_confirms_it() {
    let mut s = at(ny(27, 15, 0));
    let q = Quote {
        market_time: Some(ny(27, 14, 0)),
        utc_offset: FixedOffset::west_opt(5 * 3600),
        ..Quote::sample("NVDA", 120.0, 142.62)
    };
    s.restore(Snapshot {
        quotes: vec![q],
        ..Snapshot::default()
    });
    let out = on_event(&mut s, streamed(119.0, ny(27, 15, 0), None));
    assert!(announced(&out).is_empty(), "a tick on a cached quote");
    assert_eq!(s.quotes["NVDA"].quote.as_ref().map(|q| q.price), Some(119.0));
}

fn streamed(price: f64, time: DateTime<Utc>, previous_close: Option<f64>) -> Event {
    Event::Streamed(Box::new(StreamEvent::Tick {
        symbol: "NVDA".into(),
        ticker: Ticker {
            price: Some(price),
            time: Some(time),
            market_hours: Some(1),
            previous_close,
            ..Ticker::default()
        },
    }))
}

/// NVDA at 99 on Monday at 11:00 (against Friday's 100), then every poll failed.
fn polled_monday_then_offline() -> State {
    let mut s = at(ny(27, 11, 0));
    let q = nvda(99.0, 100.0, ny(27, 11, 0), ny(27, 11, 0));
    on_event(&mut s, fetched(q));
    on_event(&mut s, failed("NVDA", "connection refused"));
    s
}

#[test]
fn a_streamed_trade_of_a_new_day_is_not_measured_against_a_stale_close() {
    let mut s = polled_monday_then_offline();
    clock(&mut s, ny(28, 10, 0));
    // Tuesday 92.50 without a previous close: against Friday's 100 it would read -7.5%.
    let out = on_event(&mut s, streamed(92.5, ny(28, 10, 0), None));
    assert!(announced(&out).is_empty());
    let q = s.quotes["NVDA"]
        .quote
        .clone()
        .unwrap_or_else(|| Quote::sample("NVDA", 0.0, 0.0));
    assert_eq!(q.price, 99.0, "the trade waits for a poll");
    // The frame's own previous close (Monday's last, 99) measures it: -6.57%.
    let out = on_event(&mut s, streamed(92.5, ny(28, 10, 1), Some(99.0)));
    let pct = s.quotes["NVDA"]
        .quote
        .as_ref()
        .and_then(Quote::change_pct)
        .unwrap_or_default();
    assert!((pct - -6.5657).abs() < 1e-3, "{pct}");
    assert_eq!(
        s.quotes["NVDA"].level,
        Level::Warn,
        "NVDA's own lines are 5 and 10"
    );
    assert_eq!(announced(&out), [("NVDA".to_string(), Level::Warn)]);
}

#[test]
fn a_streamed_trade_after_a_close_is_measured_against_that_close() {
    // Polled after Monday's close (99 against 100), then the stream alone on Tuesday.
    let mut s = at(ny(27, 16, 30));
    let q = nvda(99.0, 100.0, ny(27, 16, 0), ny(27, 16, 30));
    on_event(&mut s, fetched(q));
    clock(&mut s, ny(28, 9, 31));
    on_event(&mut s, streamed(92.5, ny(28, 9, 31), None));
    let q = s.quotes["NVDA"]
        .quote
        .clone()
        .unwrap_or_else(|| Quote::sample("NVDA", 0.0, 0.0));
    assert_eq!(q.previous_close, Some(99.0));
    assert_eq!(q.day_high, Some(92.5), "Monday's range is not Tuesday's");
}

#[test]
fn a_pre_market_trade_waits_when_the_regular_price_is_not_a_close() {
    let mut s = polled_monday_then_offline();
    clock(&mut s, ny(28, 5, 0));
    let tick = Event::Streamed(Box::new(StreamEvent::Tick {
        symbol: "NVDA".into(),
        ticker: Ticker {
            price: Some(85.0),
            time: Some(ny(28, 5, 0)),
            market_hours: Some(0),
            ..Ticker::default()
        },
    }));
    let out = on_event(&mut s, tick);
    assert!(announced(&out).is_empty());
    assert!(
        s.quotes["NVDA"]
            .quote
            .as_ref()
            .is_some_and(|q| q.extended.is_none())
    );
}
