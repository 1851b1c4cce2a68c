//! Reading the recording back: the days kept, and one day's quotes in the
//! order the monitor saw them, its headlines and its alerts.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, params};
use serde::Serialize;

use crate::model::{Extended, ExtendedSession, Headline, Quote};

/// `replay --list`: a recorded day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaySummary {
    pub day: NaiveDate,
    pub symbols: Vec<String>,
    pub points: usize,
    pub alerts: usize,
    pub headlines: usize,
}

/// An alert as the monitor raised it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct RecordedAlert {
    pub at: DateTime<Utc>,
    pub symbol: String,
    pub kind: String,
    pub level: String,
    pub change_pct: f64,
    pub headline: Option<String>,
}

/// One recorded day.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedDay {
    pub day: NaiveDate,
    /// Each quote with the moment the monitor saw it, in that order (without
    /// a series: the day's points are the chart).
    pub quotes: Vec<(DateTime<Utc>, Quote)>,
    pub headlines: Vec<Headline>,
    pub alerts: Vec<RecordedAlert>,
}

/// The cache file, read-only: a replay or a back-test never writes.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// Every recorded day, newest first.
pub fn days(conn: &Connection) -> rusqlite::Result<Vec<DaySummary>> {
    let mut out: Vec<DaySummary> = Vec::new();
    let mut q = conn.prepare(
        "SELECT day, symbol, COUNT(*) FROM rec_ticks GROUP BY day, symbol ORDER BY day DESC, symbol",
    )?;
    let rows = q.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (day, symbol, n) = row?;
        let Ok(day) = day.parse::<NaiveDate>() else {
            continue;
        };
        match out.last_mut() {
            Some(d) if d.day == day => {
                d.symbols.push(symbol);
                d.points += n as usize;
            }
            _ => out.push(DaySummary {
                day,
                symbols: vec![symbol],
                points: n as usize,
                alerts: 0,
                headlines: 0,
            }),
        }
    }
    for (table, alerts) in [("rec_alerts", true), ("rec_headlines", false)] {
        let mut q = conn.prepare(&format!("SELECT day, COUNT(*) FROM {table} GROUP BY day"))?;
        let counts: HashMap<String, i64> = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for d in &mut out {
            let n = counts.get(&d.day.to_string()).copied().unwrap_or(0) as usize;
            if alerts {
                d.alerts = n;
            } else {
                d.headlines = n;
            }
        }
    }
    Ok(out)
}

fn at(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

/// One day as recorded; `None` when nothing was recorded on it.
pub fn day(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Option<RecordedDay>> {
    let key = day.to_string();
    let mut q = conn.prepare("SELECT symbol, quote FROM rec_days WHERE day = ?1")?;
    let bases: HashMap<String, Quote> = q
        .query_map(params![key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|row| {
            let (symbol, json) = row.ok()?;
            Some((symbol, crate::cache::quote_json::decode(&json)?))
        })
        .collect();
    let mut q = conn.prepare(
        "SELECT symbol, seen, price, previous_close, open, high, low, volume, market_time, ext_session,
                ext_price, ext_time
         FROM rec_ticks WHERE day = ?1 ORDER BY seen, symbol",
    )?;
    // Previous close, open, high, low: written only when they change.
    let mut steady: HashMap<String, [Option<f64>; 4]> = HashMap::new();
    let mut quotes = Vec::new();
    let rows = q.query_map(params![key], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, f64>(2)?,
            (
                r.get::<_, Option<f64>>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, Option<f64>>(5)?,
                r.get::<_, Option<f64>>(6)?,
            ),
            r.get::<_, Option<i64>>(7)?,
            r.get::<_, Option<i64>>(8)?,
            (
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<f64>>(10)?,
                r.get::<_, Option<i64>>(11)?,
            ),
        ))
    })?;
    for row in rows {
        let (symbol, seen, price, (previous_close, open, high, low), volume, market_time, ext) = row?;
        let Some(base) = bases.get(&symbol) else {
            continue;
        };
        let kept = steady.entry(symbol.clone()).or_default();
        for (slot, v) in kept.iter_mut().zip([previous_close, open, high, low]) {
            if v.is_some() {
                *slot = v;
            }
        }
        let [previous_close, open, high, low] = *kept;
        let market_time = market_time.map(at);
        let extended = match ext {
            (s, Some(p), Some(t)) => s
                .as_deref()
                .and_then(ExtendedSession::parse)
                .map(|session| Extended {
                    session,
                    price: p,
                    time: at(t),
                }),
            _ => None,
        };
        let quote = Quote {
            price,
            previous_close,
            open,
            day_high: high,
            day_low: low,
            volume: volume.map(|v| v.max(0) as u64),
            market_time,
            extended,
            // The day's chart is the recording itself (see `demo::recorded`):
            // a copy in each quote would cost the square of the day's points.
            series: Vec::new(),
            fetched_at: at(seen),
            ..base.clone()
        };
        quotes.push((at(seen), quote));
    }
    if quotes.is_empty() {
        return Ok(None);
    }
    let mut q = conn.prepare(
        "SELECT id, at, title, url, feed, symbols FROM rec_headlines WHERE day = ?1 ORDER BY at, id",
    )?;
    let headlines = q
        .query_map(params![key], |r| {
            let symbols: String = r.get(5)?;
            Ok(Headline {
                id: r.get(0)?,
                published: Some(at(r.get(1)?)),
                title: r.get(2)?,
                url: r.get(3)?,
                canonical: None,
                feed: r.get(4)?,
                feed_id: Default::default(),
                feed_index: 0,
                summary: String::new(),
                symbols: symbols.split_whitespace().map(String::from).collect(),
                read: false,
                filing: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut q = conn.prepare(
        "SELECT at, symbol, kind, level, change_pct, headline FROM rec_alerts WHERE day = ?1 ORDER BY at",
    )?;
    let alerts = q
        .query_map(params![key], |r| {
            Ok(RecordedAlert {
                at: at(r.get(0)?),
                symbol: r.get(1)?,
                kind: r.get(2)?,
                level: r.get(3)?,
                change_pct: r.get(4)?,
                headline: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(RecordedDay {
        day,
        quotes,
        headlines,
        alerts,
    }))
}
