//! The data behind a ticker's intraday chart, prepared without ratatui so every
//! rule (bounds, reference lines, marker placement) is unit-testable.

mod range;
mod view;

pub use range::prepare_range;
pub use view::{ChartView, Slot};

use crate::history::ChartRange;
use crate::model::{ExtendedSession, Quote, Thresholds};
use crate::news::Headline;

/// One bar: its start (unix seconds) and prices; a day's polled point is a bar
/// with all four prices the same.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candle {
    pub x: f64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: Option<f64>,
}

impl Candle {
    fn flat(x: f64, price: f64) -> Self {
        Self {
            x,
            open: price,
            high: price,
            low: price,
            close: price,
            volume: None,
        }
    }
}

/// What happened to the security on a bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    Split { numerator: f64, denominator: f64 },
    Dividend(f64),
    CapitalGain(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartEvent {
    /// The start of the bar it happened on.
    pub x: f64,
    pub kind: EventKind,
}

/// A headline placed on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker<'a> {
    pub x: f64,
    pub y: f64,
    /// The headline's id, borrowed: a chart can carry thousands of markers a frame.
    pub id: &'a str,
    /// True when the headline came before the first or after the last point and
    /// was pinned to the chart's edge.
    pub clamped: bool,
    /// An SEC filing, drawn with a marker of its own.
    pub filing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartData<'a> {
    /// The regular session's (unix seconds, price).
    pub points: Vec<(f64, f64)>,
    /// Pre-market and after-hours bars, drawn apart from the regular session.
    pub pre: Vec<(f64, f64)>,
    pub post: Vec<(f64, f64)>,
    /// Where the regular session opens and closes, marked when extended bars are drawn.
    pub boundaries: Vec<f64>,
    pub x_bounds: [f64; 2],
    pub y_bounds: [f64; 2],
    pub previous_close: Option<f64>,
    /// Prices at which the symbol turns warn / alert, when they fall inside the chart.
    pub warn_line: Option<f64>,
    pub alert_line: Option<f64>,
    /// The day's high and low points.
    pub high: Option<(f64, f64)>,
    pub low: Option<(f64, f64)>,
    /// Sorted by time.
    pub markers: Vec<Marker<'a>>,
    /// The range drawn: the day (polled bars) or a fetched range.
    pub range: ChartRange,
    /// Every bar in time order, for candlesticks and volume.
    pub candles: Vec<Candle>,
    /// Splits, dividends and capital gains inside the range.
    pub events: Vec<ChartEvent>,
    /// The prices are adjusted for a split inside the range.
    pub adjusted: bool,
}

/// How long before the chart's start a linked headline still gets a marker.
pub const MARKER_LOOKBACK_SECS: f64 = 24.0 * 3600.0;

/// Prepares the chart of `quote` with markers for `headlines` (those linked to it).
pub fn prepare<'a>(quote: &Quote, thresholds: Thresholds, headlines: &[&'a Headline]) -> ChartData<'a> {
    let (mut pre, mut points, mut post) = (Vec::new(), Vec::new(), Vec::new());
    for &(t, p) in &quote.series {
        let bar = (t as f64, p);
        match quote.periods {
            Some(periods) if t < periods.regular.0 => pre.push(bar),
            Some(periods) if t >= periods.regular.1 => post.push(bar),
            _ => points.push(bar),
        }
    }
    // The newest extended trade (streamed, or the quote's own) may be newer than the
    // series: drawn, and inside the range, so the axis does not lag the price.
    // Only a trade of the day drawn: last evening's after-hours price, still shown
    // before the pre-market trades, would stretch the axis over the night.
    let of_this_day = |t: i64| {
        quote.periods.is_none_or(|p| {
            let start = p.pre.map_or(p.regular.0, |pre| pre.0);
            let end = p.post.map_or(p.regular.1, |post| post.1);
            t >= start && t <= end
        })
    };
    if let Some(e) = quote.extended.filter(|e| of_this_day(e.time.timestamp())) {
        let bar = (e.time.timestamp() as f64, e.price);
        let side = match e.session {
            ExtendedSession::Pre => &mut pre,
            ExtendedSession::Post => &mut post,
        };
        if side.last().is_none_or(|l| l.0 < bar.0) {
            side.push(bar);
        }
    }
    if points.is_empty() && pre.is_empty() && post.is_empty() {
        // No series (Nasdaq, or Yahoo's quote:[{}]): one point at the last trade.
        let t = quote.market_time.unwrap_or(quote.fetched_at).timestamp() as f64;
        points.push((t, quote.price));
    }
    let all = || pre.iter().chain(&points).chain(&post).copied();
    let first = all().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let last = all().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let (mut x0, mut x1) = match quote.periods {
        Some(p) => ((p.regular.0 as f64).min(first), (p.regular.1 as f64).max(last)),
        None => (first, last),
    };
    let boundaries = match quote.periods {
        Some(p) if !pre.is_empty() || !post.is_empty() => vec![p.regular.0 as f64, p.regular.1 as f64],
        _ => Vec::new(),
    };
    if x1 - x0 < 1.0 {
        x0 -= 1800.0;
        x1 += 1800.0;
    }
    // The day's high and low are the regular session's; the range drawn holds all.
    let day: &[(f64, f64)] = if points.is_empty() { &pre } else { &points };
    let high = day.iter().copied().reduce(|a, b| if b.1 > a.1 { b } else { a });
    let low = day.iter().copied().reduce(|a, b| if b.1 < a.1 { b } else { a });
    let lo = all().map(|p| p.1).fold(quote.price, f64::min);
    let hi = all().map(|p| p.1).fold(quote.price, f64::max);
    let prev = quote.previous_close;
    let (lo, hi) = match prev {
        Some(p) => (lo.min(p), hi.max(p)),
        None => (lo, hi),
    };
    let in_range = |v: f64| (v >= lo && v <= hi).then_some(v);
    let warn_line = prev.and_then(|p| in_range(p * (1.0 - thresholds.warn_drop_pct / 100.0)));
    let alert_line = prev.and_then(|p| in_range(p * (1.0 - thresholds.alert_drop_pct / 100.0)));
    let pad = if hi - lo > f64::EPSILON {
        (hi - lo) * 0.05
    } else {
        (hi.abs() * 0.01).max(0.01)
    };
    let every: Vec<(f64, f64)> = all().collect();
    let mut markers: Vec<Marker> = headlines
        .iter()
        .filter_map(|h| {
            let t = h.published?.timestamp() as f64;
            // Last night's and this morning's news explains the day; last week's does
            // not, and with months of linked headlines it would pile up on the edge.
            if t < x0 - MARKER_LOOKBACK_SECS {
                return None;
            }
            let x = t.clamp(x0, x1);
            Some(Marker {
                x,
                y: price_at(&every, t),
                id: h.id.as_str(),
                clamped: x != t,
                filing: h.filing.is_some(),
            })
        })
        .collect();
    markers.sort_by(|a, b| a.x.total_cmp(&b.x).then_with(|| a.id.cmp(b.id)));
    // The day's polled points as bars: each opens where the one before closed.
    let candles = every
        .iter()
        .scan(None, |before: &mut Option<f64>, &(x, p)| {
            let open = before.replace(p).unwrap_or(p);
            Some(Candle {
                open,
                high: open.max(p),
                low: open.min(p),
                ..Candle::flat(x, p)
            })
        })
        .collect();
    ChartData {
        points,
        pre,
        post,
        boundaries,
        x_bounds: [x0, x1],
        y_bounds: [lo - pad, hi + pad],
        previous_close: prev,
        warn_line,
        alert_line,
        high,
        low,
        markers,
        range: ChartRange::Day,
        candles,
        events: Vec::new(),
        adjusted: false,
    }
}

/// The last price at or before `t`; the first price before the series starts.
fn price_at(points: &[(f64, f64)], t: f64) -> f64 {
    let i = points.partition_point(|(x, _)| *x <= t);
    points[i.saturating_sub(1)].1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Periods;
    use chrono::{DateTime, Utc};

    const T: Thresholds = Thresholds {
        warn_drop_pct: 5.0,
        alert_drop_pct: 10.0,
    };
    const OPEN: i64 = 1_737_988_200; // 2025-01-27 09:30 New York

    fn quote(series: Vec<(i64, f64)>, prev: Option<f64>) -> Quote {
        Quote {
            symbol: "NVDA".into(),
            price: series.last().map_or(118.42, |p| p.1),
            previous_close: prev,
            open: None,
            day_high: None,
            day_low: None,
            volume: None,
            currency: Some("USD".into()),
            market_time: DateTime::from_timestamp(OPEN + 23_400, 0),
            utc_offset: None,
            series,
            periods: Some(Periods {
                pre: Some((OPEN - 19_800, OPEN)),
                regular: (OPEN, OPEN + 23_400),
                post: Some((OPEN + 23_400, OPEN + 37_800)),
            }),
            week52: None,
            extended: None,
            name: None,
            provider: "yahoo".into(),
            fetched_at: Utc::now(),
        }
    }

    #[test]
    fn a_pre_market_trade_newer_than_the_series_is_drawn_and_inside_the_range() {
        // Pre-market bars at 131-132 from before the open; a streamed trade at 126.86 since.
        let mut q = quote(vec![(OPEN - 7200, 132.0), (OPEN - 3600, 131.22)], Some(142.62));
        q.price = 142.62;
        q.extended = Some(crate::model::Extended {
            session: ExtendedSession::Pre,
            price: 126.86,
            time: DateTime::from_timestamp(OPEN - 600, 0).unwrap(),
        });
        let c = prepare(&q, T, &[]);
        assert!(c.y_bounds[0] < 126.86, "{:?}", c.y_bounds);
        assert_eq!(c.pre.last(), Some(&((OPEN - 600) as f64, 126.86)));
        // Last evening's after-hours trade is not of this day: not drawn.
        q.extended = Some(crate::model::Extended {
            session: ExtendedSession::Post,
            price: 90.0,
            time: DateTime::from_timestamp(OPEN - 86_400 + 30_000, 0).unwrap(),
        });
        let c = prepare(&q, T, &[]);
        assert!(c.post.is_empty() && c.y_bounds[0] > 100.0, "{:?}", c.y_bounds);
    }

    fn headline(id: &str, at: i64) -> Headline {
        Headline::linked(id, at, &["NVDA"])
    }

    fn nvda_day() -> Vec<(i64, f64)> {
        vec![
            (OPEN, 124.8),
            (OPEN + 3600, 128.4),
            (OPEN + 16_000, 116.7),
            (OPEN + 23_100, 118.42),
        ]
    }

    #[test]
    fn the_gap_down_sits_below_the_previous_close_with_both_thresholds() {
        let c = prepare(&quote(nvda_day(), Some(142.62)), T, &[]);
        assert_eq!(
            c.x_bounds,
            [OPEN as f64, (OPEN + 23_400) as f64],
            "the whole regular session"
        );
        assert!(c.y_bounds[1] > 142.62 && c.y_bounds[0] < 116.7);
        assert!(c.points.iter().all(|p| p.1 < 142.62));
        assert_eq!(c.warn_line, Some(142.62 * 0.95));
        assert_eq!(c.alert_line, Some(142.62 * 0.90));
        assert_eq!(c.high, Some(((OPEN + 3600) as f64, 128.4)));
        assert_eq!(c.low, Some(((OPEN + 16_000) as f64, 116.7)));
    }

    #[test]
    fn the_days_points_are_candles_opening_where_the_last_closed() {
        let c = prepare(&quote(nvda_day(), Some(142.62)), T, &[]);
        let bars: Vec<(f64, f64, f64, f64)> = c
            .candles
            .iter()
            .map(|b| (b.open, b.high, b.low, b.close))
            .collect();
        assert_eq!(
            bars,
            [
                (124.8, 124.8, 124.8, 124.8),
                (124.8, 128.4, 124.8, 128.4),
                (128.4, 128.4, 116.7, 116.7),
                (116.7, 118.42, 116.7, 118.42),
            ]
        );
        assert_eq!(c.range, ChartRange::Day);
    }

    #[test]
    fn thresholds_outside_the_range_are_not_drawn() {
        // A calm day: +1%; the warn and alert prices are far below anything shown.
        let c = prepare(
            &quote(vec![(OPEN, 100.0), (OPEN + 60, 101.0)], Some(100.0)),
            T,
            &[],
        );
        assert_eq!((c.warn_line, c.alert_line), (None, None));
    }

    #[test]
    fn a_single_point_and_a_flat_day_still_have_room() {
        let mut q = quote(vec![], Some(100.0));
        q.periods = None;
        q.price = 100.0;
        let c = prepare(&q, T, &[]);
        assert_eq!(c.points.len(), 1);
        assert!(c.x_bounds[1] - c.x_bounds[0] >= 3600.0);
        assert!(c.y_bounds[1] > c.y_bounds[0]);
        let flat = prepare(&quote(vec![(OPEN, 50.0), (OPEN + 300, 50.0)], None), T, &[]);
        assert!(flat.y_bounds[0] < 50.0 && flat.y_bounds[1] > 50.0);
    }

    #[test]
    fn markers_sit_on_the_price_and_outside_times_pin_to_the_edges() {
        let hs = [
            headline("last week", OPEN - 7 * 24 * 3600),
            headline("premarket", OPEN - 4 * 3600),
            headline("low", OPEN + 16_500),
            headline("evening", OPEN + 30_000),
            headline("undated", 0),
        ];
        let mut refs: Vec<&Headline> = hs.iter().collect();
        let mut undated = hs[4].clone();
        undated.published = None;
        refs[4] = &undated;
        let c = prepare(&quote(nvda_day(), Some(142.62)), T, &refs);
        let ids: Vec<&str> = c.markers.iter().map(|m| m.id).collect();
        assert_eq!(
            ids,
            ["premarket", "low", "evening"],
            "undated headlines and last week's have no place"
        );
        assert_eq!(
            (c.markers[0].x, c.markers[0].y, c.markers[0].clamped),
            (OPEN as f64, 124.8, true)
        );
        assert_eq!(
            (c.markers[1].y, c.markers[1].clamped),
            (116.7, false),
            "the last price before it"
        );
        assert_eq!(c.markers[2].x, (OPEN + 23_400) as f64);
        assert!(c.markers[2].clamped);
    }

    #[test]
    fn gaps_in_the_series_keep_the_last_price() {
        let points = [(0.0, 1.0), (100.0, 2.0), (1000.0, 3.0)];
        assert_eq!(price_at(&points, 500.0), 2.0);
        assert_eq!(price_at(&points, -5.0), 1.0);
        assert_eq!(price_at(&points, 5000.0), 3.0);
    }
}
