//! A fetched range's chart: its bars (adjusted when a split falls inside),
//! the live price on its newest bar, its events, and a day's headlines on
//! that day's bar.

use super::{Candle, ChartData, ChartEvent, EventKind, Marker};
use crate::history::{ChartRange, History};
use crate::model::Quote;
use crate::news::Headline;

/// How long a bar of `interval` lasts, in seconds (a month as 31 days: long
/// enough to hold any month's trades).
fn bar_seconds(interval: &str) -> f64 {
    let (n, unit) = interval.split_at(interval.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
    let n: f64 = n.parse().unwrap_or(1.0);
    let unit = match unit {
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "wk" => 7.0 * 86_400.0,
        "mo" => 31.0 * 86_400.0,
        _ => 86_400.0,
    };
    n * unit
}

/// The index of the bar holding time `t`: the last that starts at or before
/// it; `None` before the first.
fn bar_of(candles: &[Candle], t: f64) -> Option<usize> {
    candles.partition_point(|c| c.x <= t).checked_sub(1)
}

/// The daily bar of the exchange day of `t` (`offset`: the exchange's seconds
/// east of UTC), or of the first trading day after it; the last bar for news
/// after it, `None` for news before the first.
fn day_bar(candles: &[Candle], t: i64, offset: i32) -> Option<usize> {
    let day = |t: i64| (t + i64::from(offset)).div_euclid(86_400);
    let first = candles.first()?;
    if day(t) < day(first.x as i64) {
        return None;
    }
    let i = candles.partition_point(|c| day(c.x as i64) < day(t));
    Some(i.min(candles.len() - 1))
}

/// Prepares `history`'s chart; `quote`, when given, moves its newest bar (or
/// starts a new one) so the range does not lag the price on screen.
pub fn prepare_range<'a>(
    history: &History,
    quote: Option<&Quote>,
    range: ChartRange,
    headlines: &[&'a Headline],
) -> ChartData<'a> {
    let span = (history.bars.first(), history.bars.last());
    let adjusted = match span {
        (Some(first), Some(last)) => history
            .splits
            .iter()
            .any(|s| s.time > first.time && s.time <= last.time),
        _ => false,
    };
    let mut candles: Vec<Candle> = history
        .bars
        .iter()
        .map(|b| {
            // Adjusted prices scale the whole bar by its close's adjustment.
            let f = if adjusted {
                b.adj_close
                    .map(|a| a / b.close)
                    .filter(|f| f.is_finite() && *f > 0.0)
                    .unwrap_or(1.0)
            } else {
                1.0
            };
            let close = b.close * f;
            let open = b.open.map_or(close, |o| o * f);
            Candle {
                x: b.time.timestamp() as f64,
                open,
                high: b.high.map_or(close, |h| h * f).max(open).max(close),
                low: b.low.map_or(close, |l| l * f).min(open).min(close),
                close,
                volume: b.volume.map(|v| v as f64),
            }
        })
        .collect();
    if let Some(q) = quote.filter(|q| q.price.is_finite() && q.price > 0.0) {
        splice_live(&mut candles, q, bar_seconds(&history.interval));
    }
    let events = events(history, &candles);
    let first = candles.first().copied();
    let last = candles.last().copied();
    let (x0, mut x1) = (first.map_or(0.0, |c| c.x), last.map_or(0.0, |c| c.x));
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let lo = candles.iter().map(|c| c.low).fold(f64::INFINITY, f64::min);
    let hi = candles.iter().map(|c| c.high).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = if hi - lo > f64::EPSILON {
        (hi - lo) * 0.05
    } else {
        (hi.abs() * 0.01).max(0.01)
    };
    let high = candles
        .iter()
        .map(|c| (c.x, c.high))
        .reduce(|a, b| if b.1 > a.1 { b } else { a });
    let low = candles
        .iter()
        .map(|c| (c.x, c.low))
        .reduce(|a, b| if b.1 < a.1 { b } else { a });
    // A day's headlines on that day's bar (the exchange's day: the morning's
    // news is on the day it moved, the weekend's on Monday's); on longer bars
    // the bar holding them.
    let daily = history.interval == "1d";
    let offset = history
        .utc_offset
        .or(quote.and_then(|q| q.utc_offset))
        .map_or(0, |o| o.local_minus_utc());
    let mut markers: Vec<Marker> = headlines
        .iter()
        .filter_map(|h| {
            let t = h.published?.timestamp();
            let i = if daily {
                day_bar(&candles, t, offset)?
            } else {
                bar_of(&candles, t as f64)?
            };
            let bar = candles[i];
            Some(Marker {
                x: bar.x,
                y: bar.close,
                id: h.id.as_str(),
                clamped: false,
                filing: h.filing.is_some(),
            })
        })
        .collect();
    markers.sort_by(|a, b| a.x.total_cmp(&b.x).then_with(|| a.id.cmp(b.id)));
    ChartData {
        points: candles.iter().map(|c| (c.x, c.close)).collect(),
        pre: Vec::new(),
        post: Vec::new(),
        boundaries: Vec::new(),
        x_bounds: [x0, x1],
        y_bounds: [lo - pad, hi + pad],
        // The range's first close: the line its change is measured from.
        previous_close: first.map(|c| c.close),
        warn_line: None,
        alert_line: None,
        high,
        low,
        markers,
        range,
        candles,
        events,
        adjusted,
    }
}

/// The live price on the newest bar when its trade falls inside it, else a
/// bar of its own.
fn splice_live(candles: &mut Vec<Candle>, q: &Quote, bar: f64) {
    let Some(t) = q.market_time.map(|t| t.timestamp() as f64) else {
        return;
    };
    match candles.last_mut() {
        Some(last) if t < last.x => {}
        Some(last) if t < last.x + bar => {
            last.close = q.price;
            last.high = last.high.max(q.price);
            last.low = last.low.min(q.price);
        }
        _ => {
            let mut c = Candle::flat(t, q.price);
            c.open = q.open.unwrap_or(q.price);
            c.high = c.high.max(c.open);
            c.low = c.low.min(c.open);
            c.volume = q.volume.map(|v| v as f64);
            candles.push(c);
        }
    }
}

fn events(history: &History, candles: &[Candle]) -> Vec<ChartEvent> {
    let on_bar =
        |t: chrono::DateTime<chrono::Utc>| bar_of(candles, t.timestamp() as f64).map(|i| candles[i].x);
    let mut out: Vec<ChartEvent> = Vec::new();
    for s in &history.splits {
        if let Some(x) = on_bar(s.time) {
            let kind = EventKind::Split {
                numerator: s.numerator,
                denominator: s.denominator,
            };
            out.push(ChartEvent { x, kind });
        }
    }
    for d in &history.dividends {
        if let Some(x) = on_bar(d.time) {
            out.push(ChartEvent {
                x,
                kind: EventKind::Dividend(d.amount),
            });
        }
    }
    for g in &history.capital_gains {
        if let Some(x) = on_bar(g.time) {
            out.push(ChartEvent {
                x,
                kind: EventKind::CapitalGain(g.amount),
            });
        }
    }
    out.sort_by(|a, b| a.x.total_cmp(&b.x));
    out
}

#[cfg(test)]
mod tests;
