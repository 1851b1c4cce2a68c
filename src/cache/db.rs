//! The SQLite cache file: schema, migrations, reads, and one batched write.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use crate::model::{
    AlertEvent, AlertKind, Company, ExtendedSession, FeedId, Headline, Level, Quote, TickerMap, Validators,
};

/// The schema version this build writes (PRAGMA user_version).
pub const VERSION: i32 = 11;

/// The page size a new cache file is made with.
pub const PAGE_SIZE: i64 = 16 * 1024;

/// Opens (creating if needed) and migrates; checks the file really is a usable
/// database, so a corrupt one fails here and not in the middle of a run.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let new = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // A new file is made without waiting for the disk: its first page, the log's
    // header and the schema took six fsyncs, and opening and loading a fresh cache
    // 4.4-4.9 ms instead of 2.5-3.0. Power lost in that moment can only spoil an
    // empty file, which the next opening finds corrupt and makes again. Synced as
    // usual from here.
    if new {
        conn.pragma_update(None, "synchronous", "OFF")?;
    }
    // 16 KiB pages for a new file (an existing one keeps its own): a headline
    // row is some 700 bytes, and a cold `once` of 10,000 of them took a median
    // 175 ms with 4 KiB pages, 138 ms with 16 KiB (111 ms without a cache).
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // WAL: readers never block the writer, a second instance can share the file,
    // and a kill -9 loses nothing that was committed.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // 1 MiB of pages instead of SQLite's 2 MiB: the file is small and the OS caches it;
    // the memory counts against `once`'s peak.
    conn.pragma_update(None, "cache_size", -1024)?;
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(format!("quick_check: {ok}")),
        ));
    }
    migrate(&conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

/// The schema at [`VERSION`], as the steps of [`migrate`] leave it: a new file
/// is made with it in one batch. The steps' ALTERs took 1.6-1.9 ms of a cold
/// `once`'s start, before any request. A test holds the two schemas equal.
const FRESH: &str = "
    CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
    CREATE TABLE headlines (id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT,
        canonical TEXT, feed TEXT NOT NULL, feed_index INTEGER NOT NULL,
        published INTEGER, summary TEXT NOT NULL, symbols TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0, stored INTEGER NOT NULL DEFAULT 0,
        feed_id TEXT NOT NULL DEFAULT '', filing TEXT);
    CREATE TABLE quotes (symbol TEXT PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE alerts (at INTEGER NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
        price REAL NOT NULL, change_pct REAL NOT NULL, level TEXT NOT NULL, session TEXT,
        currency TEXT, day_pnl REAL, headline TEXT, day TEXT, kind TEXT, since INTEGER,
        detail TEXT);
    CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sec_tickers (ticker TEXT PRIMARY KEY, cik INTEGER NOT NULL, title TEXT NOT NULL);
    CREATE TABLE usual_volume (symbol TEXT PRIMARY KEY, average REAL NOT NULL,
        fetched INTEGER NOT NULL);
    CREATE TABLE chart_history (symbol TEXT NOT NULL, range TEXT NOT NULL,
        interval TEXT NOT NULL, fetched INTEGER NOT NULL, body BLOB NOT NULL,
        PRIMARY KEY (symbol, range, interval));
";

/// Brings any older schema up to [`VERSION`], one step at a time, all in one
/// transaction: a crash mid-migration leaves the version it started from. A new
/// file is made at [`VERSION`] at once ([`FRESH`]).
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    upgrade(conn, true)
}

/// [`migrate`]; `fresh` lets a new file skip the steps.
fn upgrade(conn: &Connection, fresh: bool) -> rusqlite::Result<()> {
    let mut version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
            Some(format!(
                "cache schema {version} is newer than this tickwire ({VERSION})"
            )),
        ));
    }
    if version == VERSION {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    if version == 0 && fresh {
        tx.execute_batch(FRESH)?;
        tx.execute_batch(crate::record::store::SCHEMA)?;
        version = VERSION;
    }
    while version < VERSION {
        let step = match version {
            0 => {
                "CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
                 CREATE TABLE headlines (id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT,
                     canonical TEXT, feed TEXT NOT NULL, feed_index INTEGER NOT NULL,
                     published INTEGER, summary TEXT NOT NULL, symbols TEXT NOT NULL,
                     read INTEGER NOT NULL DEFAULT 0);
                 CREATE TABLE quotes (symbol TEXT PRIMARY KEY, json TEXT NOT NULL);
                 CREATE TABLE alerts (at INTEGER NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
                     price REAL NOT NULL, change_pct REAL NOT NULL, level TEXT NOT NULL);"
            }
            // v2: when each headline was first stored, for age-based retention.
            1 => {
                "ALTER TABLE headlines ADD COLUMN stored INTEGER NOT NULL DEFAULT 0;
                 CREATE INDEX headlines_published ON headlines (published);"
            }
            // v3: the feed each headline came from by its id (canonical URL), not its
            // name, which the user may edit; rows from before are re-fetched.
            // and which session's move an alert was.
            2 => {
                "ALTER TABLE headlines ADD COLUMN feed_id TEXT NOT NULL DEFAULT '';
                 ALTER TABLE alerts ADD COLUMN session TEXT;"
            }
            // v4: an alert's context (currency, a position's day P&L, the headline
            // that explains it), and the user's choices that are not config (sorts).
            3 => {
                "ALTER TABLE alerts ADD COLUMN currency TEXT;
                 ALTER TABLE alerts ADD COLUMN day_pnl REAL;
                 ALTER TABLE alerts ADD COLUMN headline TEXT;
                 CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            }
            // v5: filings among the headlines, and SEC's ticker map (refreshed weekly).
            4 => {
                "ALTER TABLE headlines ADD COLUMN filing TEXT;
                 CREATE TABLE sec_tickers (ticker TEXT PRIMARY KEY, cik INTEGER NOT NULL,
                     title TEXT NOT NULL);"
            }
            // v6: an alert's trading day in its exchange's time zone (its key with
            // symbol, session and level), instead of deriving it from the wall clock.
            5 => "ALTER TABLE alerts ADD COLUMN day TEXT;",
            // v7: no index on published. No query used it (pruning sorts by
            // COALESCE(published, stored) and by feed), and every insert paid for it
            // (the writer's CPU for a cold `once` of 10,000 headlines: 61 ms, 58 without).
            6 => "DROP INDEX IF EXISTS headlines_published;",
            // v8: what an alert is about (a drop, a position's loss, a halt), when
            // a halt began (its key: a second halt of a day is a second alert),
            // and a halt's reason in words.
            7 => {
                "ALTER TABLE alerts ADD COLUMN kind TEXT;
                 ALTER TABLE alerts ADD COLUMN since INTEGER;
                 ALTER TABLE alerts ADD COLUMN detail TEXT;"
            }
            // v9: each symbol's usual daily volume (the volume signal), asked once a day.
            8 => {
                "CREATE TABLE usual_volume (symbol TEXT PRIMARY KEY, average REAL NOT NULL,
                      fetched INTEGER NOT NULL);"
            }
            // v10: chart answers of the longer ranges, shown again while young enough.
            9 => {
                "CREATE TABLE chart_history (symbol TEXT NOT NULL, range TEXT NOT NULL,
                      interval TEXT NOT NULL, fetched INTEGER NOT NULL, body BLOB NOT NULL,
                      PRIMARY KEY (symbol, range, interval));"
            }
            // v11: every day recorded, for replays and back-tests.
            10 => crate::record::store::SCHEMA,
            _ => unreachable!("every version below VERSION has a step"),
        };
        tx.execute_batch(step)?;
        version += 1;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()
}

/// Days after which what no running configuration prunes (another instance's
/// feeds, a quote nobody refreshes) goes anyway.
pub const ORPHAN_DAYS: i64 = 90;

/// Everything a start-up shows before the first network answer.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub headlines: Vec<Headline>,
    pub quotes: Vec<Quote>,
    pub validators: Vec<(FeedId, Validators)>,
    pub alerts: Vec<AlertEvent>,
    /// Each watchlist's sort, as [`crate::sort::Sort::to_stored`] writes it.
    pub sorts: Vec<(String, String)>,
    /// SEC's ticker map as last fetched, when it has been.
    pub tickers: Option<TickerMap>,
    /// Each symbol's usual daily volume and when it was fetched.
    pub usual: Vec<(String, f64, DateTime<Utc>)>,
}

/// The prefs key of a watchlist's sort.
const SORT_PREFIX: &str = "sort:";
/// The prefs key of when SEC's ticker map was fetched (Unix seconds).
const TICKERS_AT: &str = "sec_tickers_at";

pub fn load(conn: &Connection) -> rusqlite::Result<Snapshot> {
    let mut s = Snapshot::default();
    let mut q = conn.prepare(
        "SELECT id, title, url, canonical, feed, feed_index, published, summary, symbols, read, feed_id,
             filing
         FROM headlines",
    )?;
    s.headlines = q
        .query_map([], |r| {
            let symbols: String = r.get(8)?;
            Ok(Headline {
                filing: r.get(11)?,
                id: r.get(0)?,
                title: r.get(1)?,
                url: r.get(2)?,
                canonical: r.get(3)?,
                feed: r.get(4)?,
                feed_id: FeedId::from_stored(&r.get::<_, String>(10)?),
                feed_index: r.get::<_, i64>(5)? as usize,
                published: r
                    .get::<_, Option<i64>>(6)?
                    .and_then(|t| DateTime::from_timestamp(t, 0)),
                summary: r.get(7)?,
                symbols: symbols.split_whitespace().map(String::from).collect(),
                read: r.get::<_, i64>(9)? != 0,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut q = conn.prepare("SELECT json FROM quotes")?;
    s.quotes = q
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|j| j.ok().and_then(|j| super::quote_json::decode(&j)))
        .collect();
    let mut q = conn.prepare("SELECT url, etag, last_modified FROM feeds")?;
    s.validators = q
        .query_map([], |r| {
            Ok((
                FeedId::from_stored(&r.get::<_, String>(0)?),
                Validators {
                    etag: r.get(1)?,
                    last_modified: r.get(2)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut q = conn.prepare(
        "SELECT at, symbol, name, price, change_pct, level, session, currency, day_pnl, headline, day,
                      kind, since, detail
                      FROM alerts ORDER BY at",
    )?;
    s.alerts = q
        .query_map([], |r| {
            let level: String = r.get(5)?;
            let at = DateTime::from_timestamp(r.get(0)?, 0).unwrap_or_default();
            // Rows from before v6 have no day: the UTC date is the best guess left.
            let day = r
                .get::<_, Option<String>>(10)?
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .unwrap_or(at.date_naive());
            Ok(AlertEvent {
                // Rows from before v8 are all drops.
                kind: r
                    .get::<_, Option<String>>(11)?
                    .and_then(|k| AlertKind::parse(&k))
                    .unwrap_or_default(),
                at,
                day,
                symbol: r.get(1)?,
                name: r.get(2)?,
                price: r.get(3)?,
                change_pct: r.get(4)?,
                level: if level == "alert" {
                    Level::Alert
                } else {
                    Level::Warn
                },
                session: r
                    .get::<_, Option<String>>(6)?
                    .as_deref()
                    .and_then(ExtendedSession::parse),
                currency: r.get(7)?,
                day_pnl: r.get(8)?,
                headline: r.get(9)?,
                since: r
                    .get::<_, Option<i64>>(12)?
                    .and_then(DateTime::from_timestamp_millis),
                detail: r.get(13)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut q = conn.prepare("SELECT key, value FROM prefs WHERE key LIKE 'sort:%'")?;
    s.sorts = q
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .filter_map(Result::ok)
        .filter_map(|(k, v)| Some((k.strip_prefix(SORT_PREFIX)?.to_string(), v)))
        .collect();
    s.tickers = load_tickers(conn)?;
    let mut q = conn.prepare("SELECT symbol, average, fetched FROM usual_volume")?;
    s.usual = q
        .query_map([], |r| {
            let at = DateTime::from_timestamp(r.get(2)?, 0).unwrap_or_default();
            Ok((r.get(0)?, r.get(1)?, at))
        })?
        .collect::<Result<_, _>>()?;
    Ok(s)
}

fn load_tickers(conn: &Connection) -> rusqlite::Result<Option<TickerMap>> {
    let at: Option<String> = conn
        .query_row("SELECT value FROM prefs WHERE key = ?1", [TICKERS_AT], |r| {
            r.get(0)
        })
        .ok();
    let Some(fetched) = at
        .and_then(|t| t.parse::<i64>().ok())
        .and_then(|t| DateTime::from_timestamp(t, 0))
    else {
        return Ok(None);
    };
    let mut q = conn.prepare("SELECT ticker, cik, title FROM sec_tickers")?;
    let companies = q
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Company {
                    cik: r.get::<_, i64>(1)? as u64,
                    title: r.get(2)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(TickerMap { fetched, companies }))
}

/// One thing to write.
#[derive(Debug, Clone)]
pub enum Write {
    Feed {
        id: FeedId,
        validators: Validators,
        headlines: super::Rows,
    },
    Read {
        id: String,
        read: bool,
    },
    Quote(Box<Quote>),
    Alert(AlertEvent),
    /// A watchlist's sort (by name), as [`crate::sort::Sort::to_stored`] writes it.
    Sort {
        watchlist: String,
        sort: String,
    },
    /// Forget the quotes of these symbols (this instance removed them from every watchlist).
    ForgetQuotes {
        gone: Vec<String>,
    },
    /// SEC's ticker map, replacing the one held.
    Tickers(std::sync::Arc<TickerMap>),
    /// A symbol's usual daily volume, fetched at `fetched`.
    Usual {
        symbol: String,
        average: f64,
        fetched: DateTime<Utc>,
    },
    /// A chart answer of `symbol` over `range` in bars of `interval`.
    History {
        symbol: String,
        range: String,
        interval: String,
        fetched: DateTime<Utc>,
        body: Vec<u8>,
    },
    /// What the monitor saw, for replays and back-tests.
    Record(crate::record::Recorded),
    /// Keep the newest `max` headlines of `feeds` and none of theirs older than
    /// `max_age_days`, and the alerts of `symbols` no older. Another tickwire on
    /// the same file owns its own feeds and symbols: what neither names goes
    /// only at [`ORPHAN_DAYS`], as do quotes not refreshed for as long.
    Prune {
        max: usize,
        max_age_days: i64,
        /// The ids of this configuration's feeds (their canonical URLs).
        feeds: Vec<String>,
        symbols: Vec<String>,
        /// Recorded days kept (`[record] days`).
        record_days: i64,
    },
}

impl Write {
    /// Rows it writes, about: a feed's headlines, one for anything else.
    pub fn rows(&self) -> usize {
        match self {
            Write::Feed { headlines, .. } => headlines.len().max(1),
            _ => 1,
        }
    }
}

/// Applies a batch in one transaction.
pub fn apply(conn: &mut Connection, batch: &[Write], now: DateTime<Utc>) -> rusqlite::Result<()> {
    // Immediate: the write lock is taken (or waited for, busy_timeout) at the start. A
    // deferred transaction that meets another writer mid-way fails at once instead.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for w in batch {
        match w {
            Write::Feed {
                id,
                validators,
                headlines,
            } => {
                let url = id.as_str();
                // Prepared once per batch, not parsed again for each of 200 feeds.
                tx.prepare_cached(
                    "INSERT INTO feeds (url, etag, last_modified) VALUES (?1, ?2, ?3)
                     ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3",
                )?
                .execute(params![url, validators.etag, validators.last_modified])?;
                let mut ins = tx.prepare_cached(
                    "INSERT INTO headlines (id, title, url, canonical, feed, feed_index, published, summary, symbols, stored,
                         feed_id, filing)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT(id) DO UPDATE SET title = ?2, url = ?3, canonical = ?4, feed = ?5,
                         feed_index = ?6, published = ?7, summary = ?8, symbols = ?9, feed_id = ?11,
                         filing = ?12",
                )?;
                for h in headlines.iter() {
                    ins.execute(params![
                        h.id,
                        h.title,
                        h.url,
                        h.canonical,
                        h.feed,
                        h.feed_index as i64,
                        h.published,
                        h.summary,
                        h.symbols,
                        now.timestamp(),
                        h.feed_id,
                        h.filing
                    ])?;
                }
            }
            Write::Read { id, read } => {
                tx.execute(
                    "UPDATE headlines SET read = ?2 WHERE id = ?1",
                    params![id, i64::from(*read)],
                )?;
            }
            Write::Quote(q) => {
                tx.execute(
                    "INSERT INTO quotes (symbol, json) VALUES (?1, ?2) ON CONFLICT(symbol) DO UPDATE SET json = ?2",
                    params![q.symbol, super::quote_json::encode(q)],
                )?;
            }
            Write::Alert(a) => {
                tx.execute(
                    "INSERT INTO alerts (at, symbol, name, price, change_pct, level, session,
                         currency, day_pnl, headline, day, kind, since, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    params![
                        a.at.timestamp(),
                        a.symbol,
                        a.name,
                        a.price,
                        a.change_pct,
                        a.level.as_str(),
                        a.session.map(ExtendedSession::as_str),
                        a.currency,
                        a.day_pnl,
                        a.headline,
                        a.day.to_string(),
                        a.kind.as_str(),
                        a.since.map(|t| t.timestamp_millis()),
                        a.detail
                    ],
                )?;
            }
            Write::Sort { watchlist, sort } => {
                tx.execute(
                    "INSERT INTO prefs (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                    params![format!("{SORT_PREFIX}{watchlist}"), sort],
                )?;
            }
            Write::ForgetQuotes { gone } => {
                for s in gone {
                    tx.execute("DELETE FROM quotes WHERE symbol = ?1", params![s])?;
                    tx.execute("DELETE FROM chart_history WHERE symbol = ?1", params![s])?;
                }
            }
            Write::History {
                symbol,
                range,
                interval,
                fetched,
                body,
            } => {
                tx.execute(
                    "INSERT INTO chart_history (symbol, range, interval, fetched, body) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(symbol, range, interval) DO UPDATE SET fetched = ?4, body = ?5",
                    params![symbol, range, interval, fetched.timestamp(), body],
                )?;
            }
            Write::Tickers(map) => {
                tx.execute("DELETE FROM sec_tickers", [])?;
                let mut ins =
                    tx.prepare_cached("INSERT INTO sec_tickers (ticker, cik, title) VALUES (?1, ?2, ?3)")?;
                for (ticker, c) in &map.companies {
                    ins.execute(params![ticker, c.cik as i64, c.title])?;
                }
                tx.execute(
                    "INSERT INTO prefs (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                    params![TICKERS_AT, map.fetched.timestamp().to_string()],
                )?;
            }
            Write::Usual {
                symbol,
                average,
                fetched,
            } => {
                tx.execute(
                    "INSERT INTO usual_volume (symbol, average, fetched) VALUES (?1, ?2, ?3)
                     ON CONFLICT(symbol) DO UPDATE SET average = ?2, fetched = ?3",
                    params![symbol, average, fetched.timestamp()],
                )?;
            }
            Write::Record(r) => crate::record::store::apply(&tx, r)?,
            Write::Prune {
                max,
                max_age_days,
                feeds,
                symbols,
                record_days,
            } => {
                crate::record::store::prune(&tx, *record_days, now)?;
                let cutoff = now.timestamp() - max_age_days * 86_400;
                let orphan = now.timestamp() - ORPHAN_DAYS * 86_400;
                let feeds = serde_json::to_string(feeds).unwrap_or_default();
                let symbols = serde_json::to_string(symbols).unwrap_or_default();
                tx.execute(
                    "DELETE FROM headlines WHERE COALESCE(published, stored) < ?1
                       AND (feed_id IN (SELECT value FROM json_each(?2)) OR COALESCE(published, stored) < ?3)",
                    params![cutoff, feeds, orphan],
                )?;
                tx.execute(
                    "DELETE FROM headlines WHERE feed_id IN (SELECT value FROM json_each(?2)) AND id NOT IN
                     (SELECT id FROM headlines WHERE feed_id IN (SELECT value FROM json_each(?2))
                      ORDER BY published IS NULL, published DESC LIMIT ?1)",
                    params![*max as i64, feeds],
                )?;
                tx.execute(
                    "DELETE FROM alerts WHERE at < ?1 AND (symbol IN (SELECT value FROM json_each(?2)) OR at < ?3)",
                    params![cutoff, symbols, orphan],
                )?;
                let stale = (now - chrono::Duration::days(ORPHAN_DAYS))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                tx.execute(
                    "DELETE FROM quotes WHERE json_extract(json, '$.fetched_at') < ?1",
                    params![stale],
                )?;
                tx.execute("DELETE FROM usual_volume WHERE fetched < ?1", params![orphan])?;
                // A range's bars are worth keeping a week at most: the newest bar has moved on.
                let week = now.timestamp() - 7 * 86_400;
                tx.execute("DELETE FROM chart_history WHERE fetched < ?1", params![week])?;
            }
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table's and index's columns, as SQLite reads them back.
    fn shape(conn: &Connection) -> Vec<String> {
        let names: Vec<(String, String)> = conn
            .prepare("SELECT type, name FROM sqlite_master ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = Vec::new();
        for (kind, name) in names {
            let pragma = if kind == "table" {
                "table_xinfo"
            } else {
                "index_xinfo"
            };
            let mut q = conn
                .prepare(&format!("SELECT * FROM pragma_{pragma}(?1)"))
                .unwrap();
            let width = q.column_count();
            let rows: Vec<String> = q
                .query_map([&name], |r| {
                    (0..width)
                        .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                        .collect::<Result<Vec<_>, _>>()
                        .map(|v| v.join(" "))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            out.push(format!("{kind} {name}: {}", rows.join("; ")));
        }
        let without_rowid: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE sql LIKE '%WITHOUT ROWID%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push(format!("without rowid: {without_rowid:?}"));
        out
    }

    #[test]
    fn a_new_file_has_the_schema_the_steps_make() {
        let stepped = Connection::open_in_memory().unwrap();
        upgrade(&stepped, false).unwrap();
        let fresh = Connection::open_in_memory().unwrap();
        migrate(&fresh).unwrap();
        let version = |c: &Connection| {
            c.query_row("PRAGMA user_version", [], |r| r.get::<_, i32>(0))
                .unwrap()
        };
        assert_eq!(version(&fresh), VERSION);
        assert_eq!(version(&stepped), VERSION);
        let (stepped, fresh) = (shape(&stepped), shape(&fresh));
        assert!(stepped.len() > 10, "{stepped:?}");
        assert_eq!(fresh, stepped);
    }
}
