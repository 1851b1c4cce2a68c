//! A quote as JSON in the cache (the last good quote per symbol, with its series).

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Extended, ExtendedSession, Periods, Quote};

#[derive(Serialize, Deserialize)]
struct Stored {
    symbol: String,
    price: f64,
    previous_close: Option<f64>,
    /// Absent in quotes cached before the open was read.
    #[serde(default)]
    open: Option<f64>,
    day_high: Option<f64>,
    day_low: Option<f64>,
    volume: Option<u64>,
    currency: Option<String>,
    market_time: Option<DateTime<Utc>>,
    utc_offset_secs: Option<i32>,
    series: Vec<(i64, f64)>,
    periods: Option<[Option<(i64, i64)>; 3]>,
    week52: Option<(f64, f64)>,
    /// Absent in quotes cached before extended hours were read.
    #[serde(default)]
    extended: Option<(ExtendedSession, f64, DateTime<Utc>)>,
    name: Option<String>,
    provider: String,
    fetched_at: DateTime<Utc>,
}

pub fn encode(q: &Quote) -> String {
    let s = Stored {
        symbol: q.symbol.clone(),
        price: q.price,
        previous_close: q.previous_close,
        open: q.open,
        day_high: q.day_high,
        day_low: q.day_low,
        volume: q.volume,
        currency: q.currency.clone(),
        market_time: q.market_time,
        utc_offset_secs: q.utc_offset.map(|o| o.local_minus_utc()),
        series: q.series.clone(),
        periods: q.periods.map(|p| [p.pre, Some(p.regular), p.post]),
        week52: q.week52,
        extended: q.extended.map(|e| (e.session, e.price, e.time)),
        name: q.name.clone(),
        provider: q.provider.clone(),
        fetched_at: q.fetched_at,
    };
    serde_json::to_string(&s).unwrap_or_default()
}

/// None for anything this build cannot read back (an older shape, damage).
pub fn decode(json: &str) -> Option<Quote> {
    let s: Stored = serde_json::from_str(json).ok()?;
    Some(Quote {
        symbol: s.symbol,
        price: s.price,
        previous_close: s.previous_close,
        open: s.open,
        day_high: s.day_high,
        day_low: s.day_low,
        volume: s.volume,
        currency: s.currency,
        market_time: s.market_time,
        utc_offset: s.utc_offset_secs.and_then(FixedOffset::east_opt),
        series: s.series,
        periods: s.periods.and_then(|[pre, regular, post]| {
            Some(Periods {
                pre,
                regular: regular?,
                post,
            })
        }),
        week52: s.week52,
        extended: s
            .extended
            .map(|(session, price, time)| Extended { session, price, time }),
        name: s.name,
        provider: s.provider,
        fetched_at: s.fetched_at,
    })
}
