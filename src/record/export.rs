//! A recorded day as files a user can share and replay elsewhere
//! (`replay DATE --export DIR`, `replay --from DIR`). The format:
//!
//! - `day.json`: `{"format": "tickwire-day/1", "date": "YYYY-MM-DD", "symbols":
//!   {"NVDA": {"name", "currency", "utc_offset_secs", "periods": {"pre", "regular",
//!   "post"} as [start, end] unix seconds, "week52": [low, high], "provider"}}}`
//! - `quotes.csv`: a header row `seen,symbol,price,previous_close,open,high,low,volume,
//!   market_time,ext_session,ext_price,ext_time`, then a row per recorded point in the
//!   order seen; times in unix seconds, empty where unknown.
//! - `headlines.json`: `[{id, at, title, url, feed, symbols}]` (`at` RFC 3339).
//! - `alerts.json`: `[{at, symbol, kind, level, change_pct, headline}]`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::read::{RecordedAlert, RecordedDay};
use crate::model::{Extended, ExtendedSession, Headline, Periods, Quote};

const FORMAT: &str = "tickwire-day/1";

#[derive(Serialize, Deserialize)]
struct DayFile {
    format: String,
    date: NaiveDate,
    symbols: BTreeMap<String, Facts>,
}

/// What stays the same for a symbol all day.
#[derive(Serialize, Deserialize, Default)]
struct Facts {
    name: Option<String>,
    currency: Option<String>,
    utc_offset_secs: Option<i32>,
    periods: Option<PeriodsFile>,
    week52: Option<(f64, f64)>,
    provider: String,
}

#[derive(Serialize, Deserialize)]
struct PeriodsFile {
    pre: Option<(i64, i64)>,
    regular: (i64, i64),
    post: Option<(i64, i64)>,
}

#[derive(Serialize, Deserialize)]
struct HeadlineFile {
    id: String,
    at: Option<DateTime<Utc>>,
    title: String,
    url: Option<String>,
    feed: String,
    symbols: Vec<String>,
}

const HEADER: &str =
    "seen,symbol,price,previous_close,open,high,low,volume,market_time,ext_session,ext_price,ext_time";

fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes `day` into `dir` (created if missing); existing files of the same
/// names are replaced.
pub fn write(day: &RecordedDay, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut symbols = BTreeMap::new();
    let mut csv = format!("{HEADER}\n");
    for (seen, q) in &day.quotes {
        symbols.entry(q.symbol.clone()).or_insert_with(|| Facts {
            name: q.name.clone(),
            currency: q.currency.clone(),
            utc_offset_secs: q.utc_offset.map(|o| o.local_minus_utc()),
            periods: q.periods.map(|p| PeriodsFile {
                pre: p.pre,
                regular: p.regular,
                post: p.post,
            }),
            week52: q.week52,
            provider: q.provider.clone(),
        });
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            seen.timestamp(),
            q.symbol,
            q.price,
            cell(q.previous_close),
            cell(q.open),
            cell(q.day_high),
            cell(q.day_low),
            cell(q.volume),
            cell(q.market_time.map(|t| t.timestamp())),
            cell(q.extended.map(|e| e.session.as_str())),
            cell(q.extended.map(|e| e.price)),
            cell(q.extended.map(|e| e.time.timestamp())),
        );
    }
    let facts = DayFile {
        format: FORMAT.into(),
        date: day.day,
        symbols,
    };
    let headlines: Vec<HeadlineFile> = day
        .headlines
        .iter()
        .map(|h| HeadlineFile {
            id: h.id.clone(),
            at: h.published,
            title: h.title.clone(),
            url: h.url.clone(),
            feed: h.feed.to_string(),
            symbols: h.symbols.clone(),
        })
        .collect();
    for (name, text) in [
        ("day.json", pretty(&facts)),
        ("quotes.csv", csv),
        ("headlines.json", pretty(&headlines)),
        ("alerts.json", pretty(&day.alerts)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn pretty<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

fn read_file(dir: &Path, name: &str) -> Result<String, String> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Reads a day written by [`write`] (or by hand in its format).
pub fn read(dir: &Path) -> Result<RecordedDay, String> {
    let facts: DayFile = serde_json::from_str(&read_file(dir, "day.json")?)
        .map_err(|e| format!("{}: {e}", dir.join("day.json").display()))?;
    if facts.format != FORMAT {
        return Err(format!(
            "{}: format {:?}, this tickwire reads {FORMAT:?}",
            dir.join("day.json").display(),
            facts.format
        ));
    }
    let csv = read_file(dir, "quotes.csv")?;
    let mut lines = csv.lines();
    if lines.next().map(str::trim) != Some(HEADER) {
        return Err(format!(
            "{}: the first row must be {HEADER}",
            dir.join("quotes.csv").display()
        ));
    }
    let mut quotes = Vec::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row = n + 2;
        let bad = |what: &str| format!("quotes.csv row {row}: {what}");
        let f: Vec<&str> = line.trim().split(',').collect();
        if f.len() != 12 {
            return Err(bad(&format!("{} fields, 12 expected", f.len())));
        }
        let num = |i: usize| -> Result<Option<f64>, String> {
            match f[i] {
                "" => Ok(None),
                v => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| bad(&format!("{v:?} is not a number"))),
            }
        };
        let int = |i: usize| -> Result<Option<i64>, String> {
            match f[i] {
                "" => Ok(None),
                v => v
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| bad(&format!("{v:?} is not a whole number"))),
            }
        };
        let when = |t: Option<i64>| t.and_then(|t| DateTime::from_timestamp(t, 0));
        let seen = when(int(0)?).ok_or_else(|| bad("no time seen"))?;
        let symbol = f[1].to_string();
        let base = facts
            .symbols
            .get(&symbol)
            .ok_or_else(|| bad(&format!("{symbol} is not in day.json")))?;
        let price = num(2)?.filter(|p| *p > 0.0).ok_or_else(|| bad("no price"))?;
        let market_time = when(int(8)?);
        let periods = base.periods.as_ref().map(|p| Periods {
            pre: p.pre,
            regular: p.regular,
            post: p.post,
        });
        let extended = match (ExtendedSession::parse(f[9]), num(10)?, when(int(11)?)) {
            (Some(session), Some(price), Some(time)) => Some(Extended { session, price, time }),
            _ => None,
        };
        quotes.push((
            seen,
            Quote {
                symbol,
                price,
                previous_close: num(3)?,
                open: num(4)?,
                day_high: num(5)?,
                day_low: num(6)?,
                volume: int(7)?.map(|v| v.max(0) as u64),
                currency: base.currency.clone(),
                market_time,
                utc_offset: base.utc_offset_secs.and_then(FixedOffset::east_opt),
                series: Vec::new(),
                periods,
                week52: base.week52,
                extended,
                name: base.name.clone(),
                provider: base.provider.clone(),
                fetched_at: seen,
            },
        ));
    }
    quotes.sort_by_key(|(seen, _)| *seen);
    if quotes.is_empty() {
        return Err(format!("{}: no quotes", dir.join("quotes.csv").display()));
    }
    let headlines: Vec<HeadlineFile> = serde_json::from_str(&read_file(dir, "headlines.json")?)
        .map_err(|e| format!("{}: {e}", dir.join("headlines.json").display()))?;
    let alerts: Vec<RecordedAlert> = serde_json::from_str(&read_file(dir, "alerts.json")?)
        .map_err(|e| format!("{}: {e}", dir.join("alerts.json").display()))?;
    Ok(RecordedDay {
        day: facts.date,
        quotes,
        headlines: headlines
            .into_iter()
            .map(|h| Headline {
                id: h.id,
                title: crate::clean::line(&h.title, 500),
                url: h
                    .url
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                canonical: None,
                feed: h.feed.into(),
                feed_id: Default::default(),
                feed_index: 0,
                published: h.at,
                summary: String::new(),
                symbols: h.symbols,
                read: false,
                filing: None,
            })
            .collect(),
        alerts,
    })
}
