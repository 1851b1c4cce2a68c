//! The recording's tables: each tick's changing figures in columns, those
//! that rarely change (previous close, open, high, low) only when they did
//! (NULL: as before), the rest of a symbol's day once, as the cache's quote JSON.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::Recorded;

/// The schema step that adds the recording (cache schema v11).
pub const SCHEMA: &str = "
    CREATE TABLE rec_ticks (day TEXT NOT NULL, symbol TEXT NOT NULL, seen INTEGER NOT NULL,
        price REAL NOT NULL, previous_close REAL, open REAL, high REAL, low REAL, volume INTEGER,
        market_time INTEGER, ext_session TEXT, ext_price REAL, ext_time INTEGER,
        PRIMARY KEY (day, symbol, seen)) WITHOUT ROWID;
    CREATE TABLE rec_days (day TEXT NOT NULL, symbol TEXT NOT NULL, quote TEXT NOT NULL,
        PRIMARY KEY (day, symbol)) WITHOUT ROWID;
    CREATE TABLE rec_headlines (id TEXT PRIMARY KEY, day TEXT NOT NULL, at INTEGER NOT NULL,
        title TEXT NOT NULL, url TEXT, feed TEXT NOT NULL, symbols TEXT NOT NULL);
    CREATE INDEX rec_headlines_at ON rec_headlines (at);
    CREATE TABLE rec_alerts (day TEXT NOT NULL, at INTEGER NOT NULL, symbol TEXT NOT NULL,
        kind TEXT NOT NULL, level TEXT NOT NULL, change_pct REAL NOT NULL, price REAL NOT NULL,
        session TEXT, headline TEXT, detail TEXT);
";

pub fn apply(tx: &Transaction, r: &Recorded) -> rusqlite::Result<()> {
    match r {
        Recorded::Tick {
            day, seen, quote: q, ..
        } => {
            let day = day.to_string();
            tx.prepare_cached(
                "INSERT OR REPLACE INTO rec_ticks (symbol, seen, day, price, previous_close, open, high, low,
                     volume, market_time, ext_session, ext_price, ext_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                q.symbol,
                seen.timestamp(),
                day,
                q.price,
                q.previous_close,
                q.open,
                q.day_high,
                q.day_low,
                q.volume.map(|v| v as i64),
                q.market_time.map(|t| t.timestamp()),
                q.extended.map(|e| e.session.as_str()),
                q.extended.map(|e| e.price),
                q.extended.map(|e| e.time.timestamp()),
            ])?;
            // The day's name, currency, periods and 52 weeks: the newest quote's.
            tx.prepare_cached(
                "INSERT INTO rec_days (day, symbol, quote) VALUES (?1, ?2, ?3)
                 ON CONFLICT(day, symbol) DO UPDATE SET quote = ?3 WHERE quote <> ?3",
            )?
            .execute(params![
                day,
                q.symbol,
                crate::cache::quote_json::encode(&static_part(q))
            ])?;
        }
        Recorded::Headlines(items) => {
            let mut ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO rec_headlines (id, day, at, title, url, feed, symbols)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (day, h) in items {
                let at = h.published.map_or(Utc::now().timestamp(), |t| t.timestamp());
                ins.execute(params![
                    h.id,
                    day.to_string(),
                    at,
                    h.title,
                    h.url,
                    h.feed,
                    h.symbols.join(" ")
                ])?;
            }
        }
        Recorded::Alert(a) => {
            tx.prepare_cached(
                "INSERT INTO rec_alerts (day, at, symbol, kind, level, change_pct, price, session, headline, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                a.day.to_string(),
                a.at.timestamp(),
                a.symbol,
                a.kind.as_str(),
                a.level.as_str(),
                a.change_pct,
                a.price,
                a.session.map(|s| s.as_str()),
                a.headline,
                a.detail
            ])?;
        }
    }
    Ok(())
}

/// What stays with the day (name, currency, zone, periods, 52 weeks): the
/// figures that change are the ticks', blanked here so the row is written
/// only when the day's own facts change.
fn static_part(q: &crate::model::Quote) -> crate::model::Quote {
    crate::model::Quote {
        price: 0.0,
        previous_close: None,
        open: None,
        day_high: None,
        day_low: None,
        volume: None,
        market_time: None,
        series: Vec::new(),
        extended: None,
        fetched_at: DateTime::UNIX_EPOCH,
        ..q.clone()
    }
}

/// Drops recorded days before the newest `days` calendar days up to `now`.
pub fn prune(tx: &Transaction, days: i64, now: DateTime<Utc>) -> rusqlite::Result<()> {
    let oldest = (now - chrono::Duration::days(days)).date_naive().to_string();
    for table in ["rec_ticks", "rec_days", "rec_headlines", "rec_alerts"] {
        tx.execute(&format!("DELETE FROM {table} WHERE day < ?1"), params![oldest])?;
    }
    Ok(())
}
