//! The SQLite cache: round trips, migration, damaged files, unwritable places,
//! two instances, a kill -9 while marking headlines read, and restarts.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, TimeZone, Utc};
use tickwire::cache::{self, Write, db};
use tickwire::model::{AlertEvent, AlertKind, Extended, ExtendedSession, Level, Quote};
use tickwire::model::{Company, FeedId, TickerMap, Validators};
use tickwire::news::Headline;

fn headline(id: &str, minute: u32) -> Headline {
    Headline {
        filing: None,
        id: id.into(),
        title: format!("title {id}"),
        url: Some(format!("https://e.example.com/{id}")),
        canonical: Some(format!("https://e.example.com/{id}")),
        feed: "Feed".into(),
        feed_id: Default::default(),
        feed_index: 0,
        published: Some(Utc.with_ymd_and_hms(2025, 1, 27, 14, minute, 0).unwrap()),
        summary: "s".into(),
        symbols: vec!["NVDA".into(), "^NDX".into()],
        read: false,
    }
}

/// A quote with every field set, so a round trip through the cache checks them all.
fn quote() -> Quote {
    Quote {
        day_high: Some(128.4),
        day_low: Some(116.7),
        volume: Some(818_830_938),
        market_time: DateTime::from_timestamp(1_738_011_600, 0),
        utc_offset: chrono::FixedOffset::west_opt(5 * 3600),
        series: vec![(1, 124.8), (2, 118.42)],
        week52: Some((60.7, 153.13)),
        extended: Some(Extended {
            session: ExtendedSession::Post,
            price: 117.9,
            time: Utc.with_ymd_and_hms(2025, 1, 27, 22, 30, 0).unwrap(),
        }),
        name: Some("NVIDIA Corporation".into()),
        ..common::sample_quote("NVDA")
    }
}

fn open(path: &Path) -> (cache::Cache, cache::Snapshot) {
    let opened = cache::open(path);
    assert_eq!(opened.warning, None);
    opened.cache.expect("a cache")
}

/// A cache file holding `n` headlines h0, h1, ... of one feed, closed again.
fn seed(path: &Path, n: u32) {
    let (c, _) = open(path);
    c.write(Write::Feed {
        id: FeedId::from_stored("u"),
        validators: Validators::default(),
        headlines: (0..n).map(|i| headline(&format!("h{i}"), i % 60)).collect(),
    });
}

#[test]
fn everything_written_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/cache.db");
    {
        let (c, snap) = open(&path);
        assert!(snap.headlines.is_empty());
        c.write(Write::Feed {
            id: FeedId::from_stored("https://e.example.com/rss"),
            validators: Validators {
                etag: Some("\"v1\"".into()),
                last_modified: None,
            },
            headlines: vec![
                headline("a", 1),
                headline("b", 2),
                Headline {
                    filing: Some("8-K".into()),
                    ..headline("f", 3)
                },
            ]
            .into(),
        });
        c.write(Write::Tickers(std::sync::Arc::new(TickerMap {
            fetched: Utc.with_ymd_and_hms(2025, 1, 27, 9, 0, 0).unwrap(),
            companies: [(
                "NVDA".to_string(),
                Company {
                    cik: 1_045_810,
                    title: "NVIDIA CORP".into(),
                },
            )]
            .into(),
        })));
        c.write(Write::Read {
            id: "b".into(),
            read: true,
        });
        c.write(Write::Quote(Box::new(quote())));
        c.write(Write::Alert(AlertEvent {
            at: Utc.with_ymd_and_hms(2025, 1, 27, 14, 31, 0).unwrap(),
            day: chrono::NaiveDate::from_ymd_opt(2025, 1, 27).unwrap(),
            symbol: "NVDA".into(),
            name: "NVIDIA".into(),
            price: 124.8,
            change_pct: -12.5,
            level: Level::Alert,
            session: Some(ExtendedSession::Pre),
            currency: Some("USD".into()),
            day_pnl: Some(-3630.0),
            headline: Some("DeepSeek rattles AI stocks".into()),
            kind: AlertKind::Money,
            since: None,
            detail: None,
        }));
        c.write(Write::Sort {
            watchlist: "AI shock".into(),
            sort: "change_pct reversed".into(),
        });
    } // drop commits
    let (_c, snap) = open(&path);
    assert_eq!(snap.headlines.len(), 3);
    let f = snap.headlines.iter().find(|h| h.id == "f").unwrap();
    assert_eq!(f.filing.as_deref(), Some("8-K"));
    assert!(
        snap.headlines
            .iter()
            .filter(|h| h.id != "f")
            .all(|h| h.filing.is_none())
    );
    let tickers = snap.tickers.expect("SEC's map");
    assert_eq!(
        tickers.fetched,
        Utc.with_ymd_and_hms(2025, 1, 27, 9, 0, 0).unwrap()
    );
    assert_eq!(tickers.companies["NVDA"].cik, 1_045_810);
    let b = snap.headlines.iter().find(|h| h.id == "b").unwrap();
    assert!(b.read);
    assert_eq!(b.symbols, ["NVDA", "^NDX"]);
    assert_eq!(b.published, headline("b", 2).published);
    assert_eq!(snap.quotes, vec![quote()]);
    assert_eq!(snap.validators[0].1.etag.as_deref(), Some("\"v1\""));
    assert_eq!(snap.alerts[0].level, Level::Alert);
    assert_eq!(
        snap.alerts[0].day.to_string(),
        "2025-01-27",
        "the alert's trading day, its key"
    );
    assert_eq!(snap.alerts[0].change_pct, -12.5);
    assert_eq!(snap.alerts[0].session, Some(ExtendedSession::Pre));
    assert_eq!(snap.alerts[0].day_pnl, Some(-3630.0));
    assert_eq!(snap.alerts[0].kind, AlertKind::Money);
    assert_eq!(
        snap.alerts[0].headline.as_deref(),
        Some("DeepSeek rattles AI stocks")
    );
    assert_eq!(
        snap.sorts,
        [("AI shock".to_string(), "change_pct reversed".to_string())]
    );
}

/// The schema of version 1, the oldest a file can have.
const V1_SCHEMA: &str = "CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
    CREATE TABLE headlines (id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT, canonical TEXT,
        feed TEXT NOT NULL, feed_index INTEGER NOT NULL, published INTEGER, summary TEXT NOT NULL,
        symbols TEXT NOT NULL, read INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE quotes (symbol TEXT PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE alerts (at INTEGER NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
        price REAL NOT NULL, change_pct REAL NOT NULL, level TEXT NOT NULL);
    PRAGMA user_version = 1;";

/// The first column of every row `sql` gives, as text.
fn names(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A migration that fails part way leaves the file at the version it started
/// from, none of the earlier steps half-applied.
#[test]
fn a_failed_migration_leaves_the_version_it_started_from() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!(
        "{V1_SCHEMA}\nCREATE TABLE usual_volume (stray INTEGER);"
    ))
    .unwrap();
    // Step 8 creates usual_volume, which is in the way; steps 1 to 7 came before it.
    assert!(db::migrate(&conn).is_err());
    let v: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 1);
    let columns = names(&conn, "SELECT name FROM pragma_table_info('headlines')");
    assert!(
        !columns.iter().any(|c| c == "stored"),
        "step 1 rolled back too: {columns:?}"
    );
}

#[test]
fn an_older_schema_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            &format!(
                "{V1_SCHEMA}\nINSERT INTO headlines VALUES ('old', 'Old title', NULL, NULL, 'Feed', 0, 1737990000, '', 'NVDA', 1);"
            ),
        )
        .unwrap();
    }
    let (_c, snap) = open(&path);
    assert_eq!(snap.headlines[0].id, "old");
    assert!(snap.headlines[0].read, "read marks survive the migration");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, db::VERSION);
    // v7: the index on `published` (which no query used) is gone; only primary keys remain.
    let indexes = names(
        &conn,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'headlines'",
    );
    assert_eq!(indexes, ["sqlite_autoindex_headlines_1"]);
}

#[test]
fn a_newer_schema_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let opened = cache::open(&path);
    assert!(opened.cache.is_none());
    assert!(opened.warning.unwrap().contains("newer than this tickwire"));
    assert!(path.exists(), "not moved: it belongs to a newer version");
}

#[test]
fn a_corrupt_file_is_moved_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let junk = b"this is not a database, it is a text file that got in the way";
    std::fs::write(&path, junk).unwrap();
    let opened = cache::open(&path);
    let warning = opened.warning.expect("a warning");
    assert!(
        warning.contains("corrupt") && warning.contains("rebuilt"),
        "{warning}"
    );
    let (c, snap) = opened.cache.expect("a fresh cache");
    assert!(snap.headlines.is_empty());
    c.write(Write::Read {
        id: "x".into(),
        read: true,
    });
    drop(c);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("cache.db.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept");
    assert_eq!(std::fs::read(dir.path().join(&kept[0])).unwrap(), junk);
}

#[test]
fn a_truncated_file_does_not_stop_tickwire() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    seed(&path, 50);
    // Fold the WAL in, then cut the file short.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let opened = cache::open(&path);
    // Either SQLite still reads what is left, or it is moved aside and rebuilt.
    match (&opened.cache, &opened.warning) {
        (Some(_), None) | (Some(_), Some(_)) => {}
        (None, w) => panic!("no cache after truncation: {w:?}"),
    }
}

#[test]
fn an_unwritable_place_means_no_cache_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    // A cache "inside" a regular file: the directory can never be made.
    let opened = cache::open(&file.join("cache.db"));
    assert!(opened.cache.is_none());
    assert!(opened.warning.unwrap().starts_with("running without a cache"));
    // A read-only directory, where permissions apply (not to root).
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        Command::new("chmod")
            .args(["0555", ro.to_str().unwrap()])
            .status()
            .unwrap();
        let opened = cache::open(&ro.join("cache.db"));
        assert!(opened.cache.is_none(), "{:?}", opened.warning);
    }
}

#[test]
fn two_instances_share_one_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let (a, _) = open(&path);
    let (b, _) = open(&path);
    a.write(Write::Feed {
        id: FeedId::from_stored("a"),
        validators: Validators::default(),
        headlines: vec![headline("a1", 1)].into(),
    });
    b.write(Write::Feed {
        id: FeedId::from_stored("b"),
        validators: Validators::default(),
        headlines: vec![headline("b1", 2)].into(),
    });
    b.flush();
    // One instance marks read what the other stored.
    a.write(Write::Read {
        id: "b1".into(),
        read: true,
    });
    a.flush();
    drop((a, b));
    let (_c, snap) = open(&path);
    assert_eq!(snap.headlines.len(), 2);
    assert!(snap.headlines.iter().find(|h| h.id == "b1").unwrap().read);
}

fn from_feed(feed: &str, mut h: Headline) -> Headline {
    h.feed_id = FeedId::from_stored(feed);
    h
}

fn prune(max: usize, max_age_days: i64, feeds: &[&str], symbols: &[&str]) -> Write {
    Write::Prune {
        max,
        max_age_days,
        feeds: feeds.iter().map(|f| f.to_string()).collect(),
        symbols: symbols.iter().map(|s| s.to_string()).collect(),
        record_days: 60,
    }
}

#[test]
fn retention_keeps_the_newest_and_drops_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let mut conn = db::open(&path).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    let mut batch = vec![Write::Feed {
        id: FeedId::from_stored("u"),
        validators: Validators::default(),
        headlines: (0..10)
            .map(|i| from_feed("u", headline(&format!("h{i}"), i)))
            .collect(),
    }];
    let mut fresh = from_feed("v", headline("fresh", 0));
    fresh.published = Some(now - chrono::Duration::days(1));
    batch.push(Write::Feed {
        id: FeedId::from_stored("v"),
        validators: Validators::default(),
        headlines: vec![fresh].into(),
    });
    db::apply(&mut conn, &batch, now).unwrap();
    db::apply(&mut conn, &[prune(5, 60, &["u", "v"], &[])], now).unwrap();
    let snap = db::load(&conn).unwrap();
    let mut ids: Vec<&str> = snap.headlines.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["fresh", "h6", "h7", "h8", "h9"], "capped at 5, newest kept");
    db::apply(&mut conn, &[prune(100, 7, &["u", "v"], &[])], now).unwrap();
    let snap = db::load(&conn).unwrap();
    assert_eq!(snap.headlines.len(), 1, "older than a week: gone");
}

/// Two monitors with different configs on one cache file: each prunes only what
/// its configuration owns (once they pruned each other's quotes every five
/// minutes and, with a smaller cap, each other's headlines and read marks).
#[test]
fn two_instances_on_one_cache_keep_each_others_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("cache.db")).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 1, 28, 0, 0, 0).unwrap();
    let mut nvda = common::sample_quote("NVDA");
    nvda.fetched_at = now;
    let mut tsm = common::sample_quote("TSM");
    tsm.fetched_at = now;
    let mut alert = AlertEvent {
        at: now - chrono::Duration::days(3),
        day: chrono::NaiveDate::from_ymd_opt(2025, 1, 24).unwrap(),
        symbol: "TSM".into(),
        name: "TSMC".into(),
        price: 1.0,
        change_pct: -13.3,
        level: Level::Alert,
        session: None,
        currency: None,
        day_pnl: None,
        headline: None,
        kind: AlertKind::Drop,
        since: None,
        detail: None,
    };
    let theirs: Vec<Headline> = (0..10)
        .map(|i| from_feed("b", headline(&format!("b{i}"), i)))
        .collect();
    let mine: Vec<Headline> = (0..10)
        .map(|i| from_feed("a", headline(&format!("a{i}"), i)))
        .collect();
    let mut writes = vec![
        Write::Quote(Box::new(nvda)),
        Write::Quote(Box::new(tsm)),
        Write::Alert(alert.clone()),
        Write::Feed {
            id: FeedId::from_stored("b"),
            validators: Validators::default(),
            headlines: theirs.into(),
        },
        Write::Feed {
            id: FeedId::from_stored("a"),
            validators: Validators::default(),
            headlines: mine.into(),
        },
        Write::Read {
            id: "b0".into(),
            read: true,
        },
    ];
    alert.symbol = "NVDA".into();
    writes.push(Write::Alert(alert));
    db::apply(&mut conn, &writes, now).unwrap();
    // Instance A: feed "a", symbol NVDA, a cap of 3 and a day of age.
    db::apply(&mut conn, &[prune(3, 1, &["a"], &["NVDA"])], now).unwrap();
    let snap = db::load(&conn).unwrap();
    let mut quotes: Vec<&str> = snap.quotes.iter().map(|q| q.symbol.as_str()).collect();
    quotes.sort_unstable();
    assert_eq!(quotes, ["NVDA", "TSM"], "B's quote stays");
    assert_eq!(
        snap.headlines.iter().filter(|h| h.id.starts_with('b')).count(),
        10,
        "B's headlines stay"
    );
    assert!(
        snap.headlines.iter().any(|h| h.id == "b0" && h.read),
        "with their read marks"
    );
    assert_eq!(
        snap.headlines.iter().filter(|h| h.id.starts_with('a')).count(),
        3,
        "A's own: capped"
    );
    let alerts: Vec<&str> = snap.alerts.iter().map(|a| a.symbol.as_str()).collect();
    assert_eq!(alerts, ["TSM"], "A's old alert went, B's stays");
    // What nobody owns goes after ORPHAN_DAYS; a quote nobody refreshed as well.
    let later = now + chrono::Duration::days(db::ORPHAN_DAYS + 1);
    db::apply(&mut conn, &[prune(3, 1, &["a"], &["NVDA"])], later).unwrap();
    let snap = db::load(&conn).unwrap();
    assert!(snap.headlines.is_empty() && snap.alerts.is_empty() && snap.quotes.is_empty());
}

/// The child half of the crash test: marks headlines read one at a time and says
/// so only once each mark is committed.
#[test]
#[allow(clippy::print_stdout)] // the parent reads these lines
fn crash_child() {
    let Ok(path) = std::env::var("TICKWIRE_CRASH_CACHE") else {
        return; // only when the crash test starts this binary as its child
    };
    let (c, _) = open(Path::new(&path));
    for i in 0.. {
        c.write(Write::Read {
            id: format!("h{}", i % 400),
            read: true,
        });
        c.flush();
        println!("marked h{}", i % 400);
    }
}

#[test]
fn a_kill_9_while_marking_read_loses_no_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    seed(&path, 400);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env("TICKWIRE_CRASH_CACHE", &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut marked = Vec::new();
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(id) = line.strip_prefix("marked ") {
            marked.push(id.to_string());
            if marked.len() == 150 {
                Command::new("kill")
                    .args(["-KILL", &child.id().to_string()])
                    .status()
                    .unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    let opened = cache::open(&path);
    assert_eq!(opened.warning, None, "the cache opens after a kill -9");
    let (_c, snap) = opened.cache.unwrap();
    for id in &marked {
        assert!(
            snap.headlines.iter().find(|h| &h.id == id).unwrap().read,
            "{id} lost its read mark"
        );
    }
}

#[test]
fn a_restart_is_conditional_and_keeps_what_it_knew() {
    let server = common::Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    let run = || common::once_cached(&server, tmp.path(), "Market Desk");
    let first = run();
    let second = run();
    let feed_requests: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/rss")
        .collect();
    assert_eq!(feed_requests.len(), 2);
    assert_eq!(feed_requests[0].headers.get("if-none-match"), None);
    assert_eq!(
        feed_requests[1].headers["if-none-match"], "\"day-1\"",
        "the second run sends the validator"
    );
    assert_eq!(
        first["headlines"], second["headlines"],
        "a 304 answers with what the cache held"
    );
    assert_eq!(second["headlines"].as_array().unwrap().len(), 4);
    // Without --cache, once is a pure snapshot: no file appears.
    let tmp2 = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("config.toml");
    common::run(tmp2.path(), &["-c", cfg.to_str().unwrap(), "once"]);
    assert!(!tmp2.path().join("xdg-data/tickwire/cache.db").exists());
}

#[test]
fn usual_volumes_are_kept_with_when_they_were_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let fetched = Utc.with_ymd_and_hms(2025, 1, 27, 14, 0, 0).unwrap();
    {
        let (c, snap) = open(&path);
        assert!(snap.usual.is_empty());
        for average in [250e6, 260e6] {
            c.write(Write::Usual {
                symbol: "NVDA".into(),
                average,
                fetched,
            });
        }
    }
    let (_c, snap) = open(&path);
    assert_eq!(snap.usual, [("NVDA".to_string(), 260e6, fetched)]);
}

/// A brief run (`once`) leaves what it committed in the write-ahead log, not
/// copied into the file at exit; the next opening reads it all the same.
#[test]
fn a_brief_run_leaves_its_writes_in_the_log_and_the_next_run_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cache.db");
    {
        let (c, _) = cache::open_brief(&path).cache.expect("a cache");
        c.write(Write::Feed {
            id: FeedId::from_stored("u"),
            validators: Validators::default(),
            headlines: (0..50).map(|i| headline(&format!("h{i}"), i)).collect(),
        });
    }
    let wal = std::fs::metadata(tmp.path().join("cache.db-wal")).map_or(0, |m| m.len());
    assert!(wal > 0, "no checkpoint at exit: the log keeps the writes");
    let (_, snap) = open(&path);
    assert_eq!(snap.headlines.len(), 50);
    // An ordinary opening checkpoints at exit, as the monitor's does.
    drop(open(&path));
    let wal = std::fs::metadata(tmp.path().join("cache.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "checkpointed and removed at close");
}

/// A brief run's writer gathers rows before it commits (each commit writes the
/// pages it touched again): a flush commits what waits, a few hundred rows commit
/// by themselves, and the end commits the rest.
#[test]
fn a_brief_run_gathers_its_writes_and_loses_none() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cache.db");
    let stored = || -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row("SELECT count(*) FROM headlines", [], |r| r.get(0))
            .unwrap()
    };
    // The count once it reaches `n`, or after 20 s.
    let stored_within = |n: i64| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while stored() < n && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        stored()
    };
    let feed = |n: u32, from: u32| Write::Feed {
        id: FeedId::from_stored(&format!("feed-{from}")),
        validators: Validators::default(),
        headlines: (from..from + n)
            .map(|i| headline(&format!("h{i}"), i % 60))
            .collect(),
    };
    let (c, _) = cache::open_brief(&path).cache.expect("a cache");
    c.write(feed(10, 0));
    c.write(feed(10, 10));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(stored(), 0, "20 rows wait for more");
    c.flush();
    assert_eq!(stored(), 20, "a flush commits what waits");
    c.write(feed(600, 100));
    assert_eq!(stored_within(620), 620, "hundreds of rows commit by themselves");
    c.write(feed(5, 1000));
    c.commit_soon();
    assert_eq!(
        stored_within(625),
        625,
        "asked to, it commits what waits without being waited for"
    );
    c.write(feed(5, 1100));
    drop(c);
    assert_eq!(stored(), 630, "the end commits the rest");
    // The monitor's writer commits at once, as before.
    let (c, _) = open(&path);
    c.write(feed(1, 2000));
    assert_eq!(stored_within(631), 631);
}

/// A new file is made without syncs (nothing in it to lose), then every opening,
/// new file or not, syncs as usual: a commit survives a crash of the process, and
/// the log is synced at checkpoints.
#[test]
fn a_new_file_is_made_unsynced_and_then_synced_as_usual() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cache.db");
    let synchronous = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap()
    };
    const NORMAL: i64 = 1;
    let conn = db::open(&path).unwrap();
    assert_eq!(synchronous(&conn), NORMAL, "a new file");
    drop(conn);
    seed(&path, 3);
    let conn = db::open(&path).unwrap();
    assert_eq!(synchronous(&conn), NORMAL, "a file with headlines");
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, db::VERSION);
    assert_eq!(open(&path).1.headlines.len(), 3);
}

/// A new cache file is made with 16 KiB pages; one made before keeps its own.
#[test]
fn a_new_file_gets_large_pages_and_an_old_one_keeps_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let page_size = |path: &Path| -> i64 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap()
    };
    let new = tmp.path().join("new.db");
    seed(&new, 3);
    assert_eq!(page_size(&new), tickwire::cache::db::PAGE_SIZE);
    let old = tmp.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096; CREATE TABLE t (x); DROP TABLE t;")
            .unwrap();
    }
    seed(&old, 3);
    assert_eq!(page_size(&old), 4096);
    assert_eq!(open(&old).1.headlines.len(), 3);
}
