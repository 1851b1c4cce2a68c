//! `tickwire history SYMBOL`: a symbol's bars over a range from Yahoo's chart
//! API, with its dividends and splits, as JSON, CSV or a short table.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use answer::Envelope;

/// The ranges the chart API takes, each with the interval that fits it.
pub const RANGES: [(&str, &str); 9] = [
    ("1d", "5m"),
    ("5d", "15m"),
    ("1mo", "1d"),
    ("3mo", "1d"),
    ("6mo", "1d"),
    ("ytd", "1d"),
    ("1y", "1d"),
    ("5y", "1wk"),
    ("max", "1mo"),
];

/// The intervals the chart API takes.
pub const INTERVALS: [&str; 12] = [
    "1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo",
];

/// The interval that fits `range`, when it is one the API takes.
pub fn interval_for(range: &str) -> Option<&'static str> {
    RANGES.iter().find(|(r, _)| *r == range).map(|(_, i)| *i)
}

/// A moment of the chart: serialised as RFC 3339 in UTC, to the second.
fn rfc3339<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    #[serde(serialize_with = "rfc3339")]
    pub time: DateTime<Utc>,
    pub open: Option<f64>,
    pub high: Option<f64>,
    pub low: Option<f64>,
    pub close: f64,
    /// The close adjusted for splits and dividends, when the answer has it.
    pub adj_close: Option<f64>,
    pub volume: Option<u64>,
}

/// A cash distribution: a dividend, or a fund's capital gain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dividend {
    #[serde(serialize_with = "rfc3339")]
    pub time: DateTime<Utc>,
    pub amount: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    #[serde(serialize_with = "rfc3339")]
    pub time: DateTime<Utc>,
    pub numerator: f64,
    pub denominator: f64,
}

/// SPEC §10's `history --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub symbol: String,
    pub range: String,
    pub interval: String,
    pub currency: Option<String>,
    pub bars: Vec<Bar>,
    pub dividends: Vec<Dividend>,
    pub splits: Vec<Split>,
    /// A fund's distributed capital gains (absent from a stock's answer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capital_gains: Vec<Dividend>,
    /// The exchange's offset from UTC (the answer's `gmtoffset`): a bar's
    /// trading day is its date there, not in UTC.
    #[serde(skip)]
    pub utc_offset: Option<chrono::FixedOffset>,
}

fn moment(t: Option<i64>) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp(t?, 0)
}

/// Reads a chart answer; bars without a close are left out, events by time.
pub fn parse(body: &[u8], symbol: &str, range: &str, interval: &str) -> Result<History, String> {
    let r = Envelope::read(body).map_err(|e| e.to_string())?;
    let mut bars: Vec<Bar> = r
        .bars()
        .into_iter()
        .filter_map(|b| {
            Some(Bar {
                time: moment(Some(b.time))?,
                open: b.open,
                high: b.high,
                low: b.low,
                close: b.close.filter(|c| *c > 0.0)?,
                adj_close: b.adj_close,
                volume: b.volume.filter(|v| *v >= 0.0).map(|v| v as u64),
            })
        })
        .collect();
    bars.sort_by_key(|b| b.time);
    let events = r.events.unwrap_or_default();
    let cash = |m: &std::collections::BTreeMap<String, answer::Cash>| -> Vec<Dividend> {
        let mut v: Vec<Dividend> = m
            .values()
            .filter_map(|e| {
                Some(Dividend {
                    time: moment(e.date)?,
                    amount: e.amount.filter(|a| a.is_finite())?,
                })
            })
            .collect();
        v.sort_by_key(|d| d.time);
        v
    };
    let mut splits: Vec<Split> = events
        .splits
        .values()
        .filter_map(|e| {
            Some(Split {
                time: moment(e.date)?,
                numerator: e.numerator.filter(|n| n.is_finite() && *n > 0.0)?,
                denominator: e.denominator.filter(|d| d.is_finite() && *d > 0.0)?,
            })
        })
        .collect();
    splits.sort_by_key(|s| s.time);
    Ok(History {
        symbol: symbol.to_string(),
        range: range.to_string(),
        // The bars' own length when the answer says it (Yahoo may not give the one asked).
        interval: r
            .meta
            .data_granularity
            .filter(|g| !g.trim().is_empty())
            .unwrap_or_else(|| interval.to_string()),
        currency: r.meta.currency.filter(|c| !c.trim().is_empty()),
        bars,
        dividends: cash(&events.dividends),
        splits,
        capital_gains: cash(&events.capital_gains),
        utc_offset: r.meta.gmtoffset.and_then(chrono::FixedOffset::east_opt),
    })
}

/// Asks Yahoo at `base` for `symbol`'s bars: the answer's body (for the cache)
/// and what it says, or why there is none in a line worth showing.
pub async fn fetch(
    http: &crate::source::Http,
    base: &reqwest::Url,
    symbol: &str,
    range: &str,
    interval: &str,
    deadline: tokio::time::Instant,
) -> Result<(Vec<u8>, History), String> {
    let mut url = crate::source::provider::chart_url(base, symbol);
    url.query_pairs_mut()
        .append_pair("range", range)
        .append_pair("interval", interval)
        .append_pair("events", "div,splits,capitalGains")
        .append_pair("includePrePost", if range == "1d" { "true" } else { "false" });
    let r = http
        .get(url, crate::source::http::browser_json_headers(None), deadline)
        .await
        .map_err(|e| e.to_string())?;
    // Yahoo says why in a chart error (a 404 for an unknown symbol): its words, not the status.
    if let Err(answer::AnswerError::NoData(why)) = Envelope::read(&r.body) {
        return Err(why);
    }
    r.check_status(|_| None).map_err(|e| e.to_string())?;
    if crate::sniff::looks_like_html(&r.body) {
        return Err(format!(
            "expected bars (JSON), got an HTML page (HTTP {})",
            r.status.as_u16()
        ));
    }
    let h = parse(&r.body, symbol, range, interval)?;
    Ok((r.body.into(), h))
}

impl History {
    /// The trading day of a bar starting at `t`: its date at the exchange.
    pub fn day_of(&self, t: DateTime<Utc>) -> chrono::NaiveDate {
        self.utc_offset
            .map_or(t.date_naive(), |o| t.with_timezone(&o).date_naive())
    }

    /// `time,open,high,low,close,adj_close,volume`, a row per bar.
    pub fn csv(&self) -> String {
        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut out = String::from("time,open,high,low,close,adj_close,volume\n");
        for b in &self.bars {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                b.time.to_rfc3339_opts(SecondsFormat::Secs, true),
                cell(b.open),
                cell(b.high),
                cell(b.low),
                b.close,
                cell(b.adj_close),
                b.volume.map(|v| v.to_string()).unwrap_or_default()
            ));
        }
        out
    }

    /// The range's change and extremes, then the events and the last bars.
    pub fn text(&self) -> String {
        let (Some(first), Some(last)) = (self.bars.first(), self.bars.last()) else {
            return format!("{} {} {}: no bars\n", self.symbol, self.range, self.interval);
        };
        let high = self
            .bars
            .iter()
            .map(|b| b.high.unwrap_or(b.close))
            .fold(f64::MIN, f64::max);
        let low = self
            .bars
            .iter()
            .map(|b| b.low.unwrap_or(b.close))
            .fold(f64::MAX, f64::min);
        let pct = (last.close / first.close - 1.0) * 100.0;
        let mut out = format!(
            "{} {} ({} bars of {}) · {} → {} {} · high {} low {}\n",
            self.symbol,
            self.range,
            self.bars.len(),
            self.interval,
            crate::format::price(first.close),
            crate::format::price(last.close),
            crate::format::pct(pct),
            crate::format::price(high),
            crate::format::price(low),
        );
        for s in &self.splits {
            out.push_str(&format!(
                "split {}:{} on {}\n",
                s.numerator,
                s.denominator,
                s.time.format("%Y-%m-%d")
            ));
        }
        for d in &self.dividends {
            out.push_str(&format!(
                "dividend {} on {}\n",
                d.amount,
                d.time.format("%Y-%m-%d")
            ));
        }
        for g in &self.capital_gains {
            out.push_str(&format!(
                "capital gain {} on {}\n",
                g.amount,
                g.time.format("%Y-%m-%d")
            ));
        }
        out
    }
}

pub mod answer;
mod range;

pub use range::ChartRange;

#[cfg(test)]
mod tests;
