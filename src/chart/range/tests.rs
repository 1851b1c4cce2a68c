use super::*;
use crate::history::{Bar, Dividend, Split};
use chrono::{DateTime, Utc};

const DAY: i64 = 86_400;
/// 2020-08-27 13:30 UTC, a Thursday's open in New York.
const T0: i64 = 1_598_535_000;

fn at(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap()
}

fn bar(day: i64, close: f64, adj: f64) -> Bar {
    Bar {
        time: at(T0 + day * DAY),
        open: Some(close - 1.0),
        high: Some(close + 2.0),
        low: Some(close - 2.0),
        close,
        adj_close: Some(adj),
        volume: Some(1_000),
    }
}

/// AAPL around its 4:1 split of 31 Aug 2020: 500 before, 125 after.
fn split_history() -> History {
    History {
        symbol: "AAPL".into(),
        range: "1mo".into(),
        interval: "1d".into(),
        currency: Some("USD".into()),
        bars: vec![
            bar(0, 500.0, 125.0),
            bar(1, 504.0, 126.0),
            bar(4, 129.0, 129.0),
            bar(5, 134.0, 134.0),
        ],
        dividends: vec![Dividend {
            time: at(T0 + 5 * DAY),
            amount: 0.205,
        }],
        splits: vec![Split {
            time: at(T0 + 4 * DAY),
            numerator: 4.0,
            denominator: 1.0,
        }],
        capital_gains: vec![],
        utc_offset: None,
    }
}

#[test]
fn a_split_inside_the_range_draws_adjusted_prices_and_is_marked() {
    let d = prepare_range(&split_history(), None, ChartRange::Month, &[]);
    assert!(d.adjusted);
    // Each bar scaled by its adjustment: the split is no cliff.
    assert_eq!(d.candles[0].close, 125.0);
    assert_eq!(d.candles[0].open, 499.0 * 0.25);
    assert_eq!(d.candles[0].high, 502.0 * 0.25);
    assert_eq!(d.candles[2].close, 129.0);
    assert!(d.y_bounds[1] < 200.0, "{:?}", d.y_bounds);
    assert_eq!(
        d.previous_close,
        Some(125.0),
        "the range is measured from its first close"
    );
    let kinds: Vec<EventKind> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Split {
                numerator: 4.0,
                denominator: 1.0
            },
            EventKind::Dividend(0.205)
        ]
    );
    assert_eq!(d.events[0].x, (T0 + 4 * DAY) as f64);
    // Without a split inside, the prices are as traded (they meet the live price).
    let mut h = split_history();
    h.splits.clear();
    let d = prepare_range(&h, None, ChartRange::Month, &[]);
    assert!(!d.adjusted);
    assert_eq!(d.candles[0].close, 500.0);
}

#[test]
fn the_live_price_moves_the_newest_bar_or_starts_the_next() {
    let mut h = split_history();
    h.splits.clear();
    let mut q = crate::model::Quote::bare("AAPL", 130.0, "yahoo", at(T0 + 5 * DAY + 3600));
    q.market_time = Some(at(T0 + 5 * DAY + 3600));
    let d = prepare_range(&h, Some(&q), ChartRange::Month, &[]);
    let last = d.candles.last().unwrap();
    assert_eq!(d.candles.len(), 4);
    assert_eq!((last.close, last.low), (130.0, 130.0));
    // The next session's trade is a bar of its own.
    q.market_time = Some(at(T0 + 6 * DAY + 60));
    q.open = Some(131.5);
    let d = prepare_range(&h, Some(&q), ChartRange::Month, &[]);
    assert_eq!(d.candles.len(), 5);
    let last = d.candles.last().unwrap();
    assert_eq!((last.open, last.close, last.high), (131.5, 130.0, 131.5));
    // A trade older than the bars (a stale quote) changes nothing.
    q.market_time = Some(at(T0 - DAY));
    let d = prepare_range(&h, Some(&q), ChartRange::Month, &[]);
    assert_eq!(d.candles.last().unwrap().close, 134.0);
}

#[test]
fn a_days_headlines_sit_on_its_bar_and_older_ones_are_left_out() {
    let headline = |id: &str, t: i64| Headline::linked(id, t, &["AAPL"]);
    let hs = [
        headline("before the range", T0 - 3 * DAY),
        headline("the night before the first bar", T0 - 20 * 3600),
        headline("morning of day 1", T0 + DAY - 3 * 3600),
        headline("day 1 close", T0 + DAY + 6 * 3600),
        headline("weekend", T0 + 2 * DAY + 5 * 3600),
        headline("after the last bar", T0 + 9 * DAY),
    ];
    let refs: Vec<&Headline> = hs.iter().collect();
    let d = prepare_range(&split_history(), None, ChartRange::Month, &refs);
    let placed: Vec<(&str, f64)> = d.markers.iter().map(|m| (m.id, m.x)).collect();
    let day = |n: i64| (T0 + n * DAY) as f64;
    assert_eq!(
        placed,
        [
            // Before day 1's open, on day 1: the morning's news is the day's.
            ("day 1 close", day(1)),
            ("morning of day 1", day(1)),
            // Days 2 and 3 have no bar: the next trading day's.
            ("weekend", day(4)),
            ("after the last bar", day(5)),
        ]
    );
    assert!(d.markers.iter().all(|m| !m.clamped));
}

#[test]
fn the_split_in_a_real_answer_is_adjusted_away() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/yahoo-ranges/AAPL-period20200831-20201107-1d.yf2wrapper.json");
    let Ok(raw) = std::fs::read(&path) else {
        eprintln!("skipped: no corpus at {}", path.display());
        return;
    };
    let v: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    let body = serde_json::to_vec(&v["response"]["bodyJson"]).unwrap();
    let h = crate::history::parse(&body, "AAPL", "3mo", "1d").unwrap();
    let d = prepare_range(&h, None, ChartRange::SixMonths, &[]);
    // The answer begins on the split's day: nothing before it to adjust.
    let split_inside = h.splits.iter().any(|s| s.time > h.bars[0].time);
    assert_eq!(d.adjusted, split_inside);
    let (lo, hi) = (d.y_bounds[0], d.y_bounds[1]);
    assert!(hi / lo < 1.6, "no 4:1 cliff: {lo}..{hi}");
    assert!(d.events.iter().any(|e| matches!(e.kind, EventKind::Dividend(_))));
}
