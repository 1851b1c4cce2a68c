//! `tickwire history SYMBOL`: a symbol's bars over a range from Yahoo's chart
//! API, with its dividends and splits, as JSON, CSV or a short table.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub time: String,
    pub open: Option<f64>,
    pub high: Option<f64>,
    pub low: Option<f64>,
    pub close: f64,
    /// The close adjusted for splits and dividends, when the answer has it.
    pub adj_close: Option<f64>,
    pub volume: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dividend {
    pub time: String,
    pub amount: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    pub time: String,
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
}

fn stamp(t: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(t, 0).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn finite(v: Option<&Value>) -> Option<f64> {
    v?.as_f64().filter(|x| x.is_finite())
}

/// Reads a chart answer; bars without a close are left out, events by time.
pub fn parse(body: &[u8], symbol: &str, range: &str, interval: &str) -> Result<History, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))?;
    if let Some(d) = v.pointer("/chart/error/description").and_then(Value::as_str) {
        return Err(crate::clean::line(d, 200));
    }
    let r = v
        .pointer("/chart/result/0")
        .ok_or("no chart result in the answer")?;
    let empty = Vec::new();
    let stamps = r.get("timestamp").and_then(Value::as_array).unwrap_or(&empty);
    let q = r.pointer("/indicators/quote/0");
    let col = |name: &str| q.and_then(|q| q.get(name)).and_then(Value::as_array);
    let at = |c: Option<&Vec<Value>>, i: usize| finite(c.and_then(|c| c.get(i)));
    let (open, high, low, close, volume) =
        (col("open"), col("high"), col("low"), col("close"), col("volume"));
    let adj = r
        .pointer("/indicators/adjclose/0/adjclose")
        .and_then(Value::as_array);
    let bars: Vec<Bar> = stamps
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            Some(Bar {
                time: stamp(t.as_i64()?)?,
                open: at(open, i),
                high: at(high, i),
                low: at(low, i),
                close: at(close, i).filter(|c| *c > 0.0)?,
                adj_close: at(adj, i),
                volume: at(volume, i).filter(|v| *v >= 0.0).map(|v| v as u64),
            })
        })
        .collect();
    let events = |kind: &str| -> Vec<&Value> {
        let mut v: Vec<&Value> = r
            .pointer(&format!("/events/{kind}"))
            .and_then(Value::as_object)
            .map(|m| m.values().collect())
            .unwrap_or_default();
        v.sort_by_key(|e| e.get("date").and_then(Value::as_i64));
        v
    };
    let dividends = events("dividends")
        .into_iter()
        .filter_map(|e| {
            Some(Dividend {
                time: stamp(e.get("date")?.as_i64()?)?,
                amount: finite(e.get("amount"))?,
            })
        })
        .collect();
    let splits = events("splits")
        .into_iter()
        .filter_map(|e| {
            Some(Split {
                time: stamp(e.get("date")?.as_i64()?)?,
                numerator: finite(e.get("numerator"))?,
                denominator: finite(e.get("denominator")).filter(|d| *d != 0.0)?,
            })
        })
        .collect();
    Ok(History {
        symbol: symbol.to_string(),
        range: range.to_string(),
        interval: interval.to_string(),
        currency: r
            .pointer("/meta/currency")
            .and_then(Value::as_str)
            .map(String::from),
        bars,
        dividends,
        splits,
    })
}

impl History {
    /// `time,open,high,low,close,adj_close,volume`, a row per bar.
    pub fn csv(&self) -> String {
        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut out = String::from("time,open,high,low,close,adj_close,volume\n");
        for b in &self.bars {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                b.time,
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
                &s.time[..10]
            ));
        }
        for d in &self.dividends {
            out.push_str(&format!("dividend {} on {}\n", d.amount, &d.time[..10]));
        }
        out
    }
}

#[cfg(test)]
mod tests;
