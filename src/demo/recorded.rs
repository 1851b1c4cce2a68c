//! A recorded day as a replay: the recording's quotes served as Yahoo's chart
//! answers at replay time, its headlines as a feed, under the user's own
//! thresholds and watchlists, through the same loopback path as the demo.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;

use super::day::Day;
use super::news::Story;
use super::{Clock, Replay};
use crate::config::{Config, ConfigOrigin, Feed, ProviderConfig, Watchlist};
use crate::model::Quote;
use crate::record::read::RecordedDay;

/// The recorded quotes of each symbol in the order they were seen.
#[derive(Debug, Default)]
pub struct Script {
    pub date: Option<NaiveDate>,
    by_symbol: HashMap<String, Vec<(DateTime<Utc>, Quote)>>,
}

impl Script {
    /// The symbol's quote as the monitor had it at `t` (the newest seen by
    /// then; its first before it was seen), with the day's chart: the regular
    /// prices recorded so far.
    pub fn quote_at(&self, symbol: &str, t: DateTime<Utc>) -> Option<Quote> {
        let seen = self.by_symbol.get(symbol)?;
        let i = seen.partition_point(|(at, _)| *at <= t).max(1) - 1;
        let mut q = seen.get(i)?.1.clone();
        let regular = |t: i64| q.periods.is_none_or(|p| t >= p.regular.0 && t <= p.regular.1);
        let mut series: Vec<(i64, f64)> = Vec::new();
        for (_, p) in &seen[..=i] {
            if let Some(at) = p.market_time.map(|m| m.timestamp())
                && regular(at)
                && series.last().is_none_or(|l| l.0 < at)
            {
                series.push((at, p.price));
            }
        }
        q.series = series;
        Some(q)
    }

    pub fn symbols(&self) -> Vec<String> {
        let mut s: Vec<String> = self.by_symbol.keys().cloned().collect();
        s.sort();
        s
    }
}

/// The feed the recorded headlines are served as.
pub const FEED: &str = "Replay Wire";

impl Replay {
    /// `tickwire replay DATE`: the recorded day from its first point to its last at `speed`.
    pub fn recorded(day: RecordedDay, speed: f64) -> Arc<Self> {
        let date = day.day;
        let offset = crate::market::eastern::offset_on(date);
        let at = |h: u32, m: u32| {
            offset
                .from_local_datetime(&date.and_hms_opt(h, m, 0).unwrap_or_default())
                .single()
                .map_or(DateTime::UNIX_EPOCH, |t| t.to_utc())
        };
        let periods = day.quotes.iter().find_map(|(_, q)| q.periods);
        let from = |t: i64| DateTime::from_timestamp(t, 0);
        let open = periods
            .and_then(|p| from(p.regular.0))
            .unwrap_or_else(|| at(9, 30));
        let close = periods
            .and_then(|p| from(p.regular.1))
            .unwrap_or_else(|| at(16, 0));
        let first = day.quotes.first().map_or(open, |(t, _)| *t);
        let last = day.quotes.last().map_or(close, |(t, _)| *t);
        let skeleton = Day {
            offset,
            replay_start: first,
            open,
            close,
            replay_end: last.max(first),
            symbols: Vec::new(),
            halts: Vec::new(),
            constituents: Vec::new(),
        };
        // The links the monitor made travel as cashtags, which the linker reads.
        let stories = day
            .headlines
            .iter()
            .map(|h| Story {
                id: h.id.clone(),
                at: h.published.unwrap_or(first),
                feed: FEED.into(),
                title: h.title.clone(),
                summary: h
                    .symbols
                    .iter()
                    .map(|s| format!("${s}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect();
        let mut by_symbol: HashMap<String, Vec<(DateTime<Utc>, Quote)>> = HashMap::new();
        for (seen, q) in day.quotes {
            by_symbol.entry(q.symbol.clone()).or_default().push((seen, q));
        }
        let clock = Clock::running(first, last.max(first), speed);
        Arc::new(Self {
            day: skeleton,
            stories,
            clock,
            recorded: Some(Script {
                date: Some(date),
                by_symbol,
            }),
        })
    }
}

/// A recorded quote as Yahoo's chart API answers (`range=1d&interval=5m`, with
/// pre/post), so the same provider reads it back.
pub fn chart_json(q: &Quote) -> String {
    let mut stamps: Vec<i64> = q.series.iter().map(|(t, _)| *t).collect();
    let mut closes: Vec<f64> = q.series.iter().map(|(_, p)| *p).collect();
    if let Some(e) = q.extended
        && stamps.last().is_none_or(|l| *l < e.time.timestamp())
    {
        stamps.push(e.time.timestamp());
        closes.push(e.price);
    }
    let period = |(s, e): (i64, i64)| json!({"start": s, "end": e});
    let mut meta = json!({
        "currency": q.currency,
        "symbol": q.symbol,
        "regularMarketPrice": q.price,
        "regularMarketTime": q.market_time.map(|t| t.timestamp()),
        "previousClose": q.previous_close,
        "chartPreviousClose": q.previous_close,
        "regularMarketDayHigh": q.day_high,
        "regularMarketDayLow": q.day_low,
        "regularMarketVolume": q.volume,
        "gmtoffset": q.utc_offset.map(|o| o.local_minus_utc()),
        "fiftyTwoWeekLow": q.week52.map(|w| w.0),
        "fiftyTwoWeekHigh": q.week52.map(|w| w.1),
        "longName": q.name,
        "dataGranularity": "5m",
        "range": "1d",
    });
    if let Some(p) = q.periods {
        let mut trading = json!({"regular": [[period(p.regular)]]});
        let mut current = json!({"regular": period(p.regular)});
        for (name, span) in [("pre", p.pre), ("post", p.post)] {
            if let Some(span) = span {
                trading[name] = json!([[period(span)]]);
                current[name] = period(span);
            }
        }
        meta["tradingPeriods"] = trading;
        meta["currentTradingPeriod"] = current;
    }
    // The session's open on its first regular bar, where Yahoo's reader takes it.
    let first_regular = q
        .periods
        .and_then(|p| stamps.iter().position(|t| *t >= p.regular.0 && *t < p.regular.1));
    let opens: Vec<Option<f64>> = (0..stamps.len())
        .map(|i| if Some(i) == first_regular { q.open } else { None })
        .collect();
    let result = json!({"meta": meta, "timestamp": stamps,
        "indicators": {"quote": [{"close": closes, "open": opens}]}});
    json!({"chart": {"result": [result], "error": null}}).to_string()
}

/// The user's configuration pointed at the replay's server on `port`: its
/// thresholds, names, positions and watchlists (cut to the recorded symbols;
/// those in none in a watchlist of their own), nothing polled but the replay,
/// nothing recorded or saved.
pub fn config(user: &Config, port: u16, recorded: &[String], date: NaiveDate) -> Config {
    let mut c = user.clone();
    let fallback = user.yahoo_base();
    let url = |path: &str| {
        reqwest::Url::parse(&format!("http://127.0.0.1:{port}{path}")).unwrap_or_else(|_| fallback.clone())
    };
    c.origin = ConfigOrigin::Demo;
    c.providers = vec![ProviderConfig {
        name: "yahoo".into(),
        base_url: url("/yahoo"),
        api_key: None,
    }];
    c.routed.clear();
    c.symbols.values_mut().for_each(|s| s.provider = None);
    c.stream = crate::config::Streams::default();
    c.feeds = vec![Feed {
        name: FEED.into(),
        url: url("/feeds/wire.xml"),
        interval: Duration::from_secs(2),
    }];
    c.news.per_symbol = false;
    c.news.filings.clear();
    c.halts.enabled = false;
    c.market.index = None;
    c.signals.volume = false;
    c.record.enabled = false;
    c.general.quote_interval = Duration::from_secs(2);
    c.general.news_interval = Duration::from_secs(2);
    let mut lists: Vec<Watchlist> = user
        .watchlists
        .iter()
        .map(|w| Watchlist {
            symbols: w
                .symbols
                .iter()
                .filter(|s| recorded.contains(s))
                .cloned()
                .collect(),
            ..w.clone()
        })
        .filter(|w| !w.symbols.is_empty())
        .collect();
    let listed: Vec<&String> = lists.iter().flat_map(|w| &w.symbols).collect();
    // A benchmark priced for the relative signal was recorded, not listed.
    let benchmarks: Vec<String> = user
        .priced_symbols()
        .into_iter()
        .filter(|s| !user.all_symbols().contains(s))
        .collect();
    let rest: Vec<String> = recorded
        .iter()
        .filter(|s| !listed.contains(s) && !benchmarks.contains(s))
        .cloned()
        .collect();
    if !rest.is_empty() || lists.is_empty() {
        lists.insert(
            0,
            Watchlist {
                name: format!("Recorded {date}"),
                symbols: if rest.is_empty() { recorded.to_vec() } else { rest },
                benchmark: None,
            },
        );
    }
    c.watchlists = lists;
    c
}

#[cfg(test)]
mod tests;
