//! The cache when it cannot keep up (another instance holding the file): the
//! queue stays bounded, the app is told, and no read mark or recorded point is lost. And the quotes
//! of symbols no watchlist has any more are forgotten.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use tickwire::cache::{self, Write, db};
use tickwire::model::{FeedId, Headline, Validators};

fn headline(id: &str) -> Headline {
    Headline {
        filing: None,
        id: id.into(),
        title: format!("title {id}"),
        url: None,
        canonical: None,
        feed: "Feed".into(),
        feed_id: FeedId::from_stored("https://e.example.com/rss"),
        feed_index: 0,
        published: Some(Utc.with_ymd_and_hms(2025, 1, 27, 14, 0, 0).unwrap()),
        summary: String::new(),
        symbols: vec![],
        read: false,
    }
}

fn open(path: &Path) -> (cache::Cache, cache::Snapshot) {
    cache::open(path).cache.expect("a cache")
}

#[test]
fn a_held_file_makes_the_cache_behind_and_loses_no_read_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    {
        let (c, _) = open(&path);
        c.write(Write::Feed {
            id: FeedId::from_stored("https://e.example.com/rss"),
            validators: Validators::default(),
            headlines: (0..10).map(|i| headline(&format!("h{i}"))).collect(),
        });
    }
    let (c, _) = open(&path);
    // Another process takes the write lock and keeps it.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    // The writer takes one batch (at most 1,000 writes) and then waits for the lock;
    // from then on the bounded queue (256) fills. Until then it may drain the queue
    // as fast as it fills, so keep writing past both.
    let mut writes = 0;
    while writes < 1_300 || !c.behind() {
        assert!(writes < 5_000, "the queue never filled: it is not bounded");
        c.write(Write::Quote(Box::new(common::sample_quote("NVDA"))));
        writes += 1;
    }
    c.write(Write::Read {
        id: "h3".into(),
        read: true,
    });
    // A point of the recording made meanwhile waits too (the next points'
    // unchanged figures are written once, on it).
    let seen = Utc.with_ymd_and_hms(2025, 1, 27, 15, 0, 0).unwrap();
    c.write(Write::Record(tickwire::record::Recorded::Tick {
        day: seen.date_naive(),
        seen,
        quote: Box::new(common::sample_quote("NVDA")),
    }));
    assert!(c.behind(), "the read mark waits with the rest");
    other.execute_batch("COMMIT;").unwrap();
    drop(other);
    let deadline = Instant::now() + Duration::from_secs(60);
    while c.behind() {
        assert!(Instant::now() < deadline, "the cache never caught up");
        std::thread::sleep(Duration::from_millis(20));
    }
    c.flush();
    drop(c);
    let (_c, snap) = open(&path);
    let h3 = snap.headlines.iter().find(|h| h.id == "h3").unwrap();
    assert!(h3.read, "the read mark made while the file was held was saved");
    let points: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM rec_ticks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        points, 1,
        "the recorded point made while the file was held was saved"
    );
}

#[test]
fn quotes_of_removed_symbols_are_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("cache.db")).unwrap();
    let now = Utc::now();
    let writes = [
        Write::Quote(Box::new(common::sample_quote("NVDA"))),
        Write::Quote(Box::new(common::sample_quote("AAPL"))),
    ];
    db::apply(&mut conn, &writes, now).unwrap();
    let forget = Write::ForgetQuotes {
        gone: vec!["NVDA".into(), "TSM".into()],
    };
    db::apply(&mut conn, &[forget], now).unwrap();
    let symbols: Vec<String> = db::load(&conn)
        .unwrap()
        .quotes
        .into_iter()
        .map(|q| q.symbol)
        .collect();
    assert_eq!(symbols, ["AAPL"]);
}

/// `once` takes a permit before each feed's fetch and the writer gives it back
/// as it takes the feed's write: while the file is held the permits run out and
/// the wait goes on, the thread keeps serving other tasks, and the wait ends
/// once the writer takes writes again.
#[test]
fn the_writer_gives_permits_back_as_it_takes_writes() {
    use std::sync::Arc;
    use tokio::sync::Semaphore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let (c, _) = cache::open_brief(&path).cache.expect("a cache");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let feed = |i: usize| Write::Feed {
        id: FeedId::from_stored(&format!("https://e{i}.example.com/rss")),
        validators: Validators::default(),
        headlines: (0..50).map(|k| headline(&format!("f{i}-{k}"))).collect(),
    };
    let permits = Arc::new(Semaphore::new(8));
    // The writer gathers what comes until it commits, then waits for the lock;
    // the queue fills behind it. Until then it may take writes (and give their
    // permits back) as they come.
    let mut writes = 0;
    loop {
        while let Ok(permit) = Arc::clone(&permits).try_acquire_owned() {
            assert!(writes < 200, "the permits never ran out");
            c.write_waiting(feed(writes), Some(permit));
            writes += 1;
        }
        std::thread::sleep(Duration::from_millis(50));
        if permits.available_permits() == 0 {
            break;
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let permit = Arc::clone(&permits).acquire_owned();
        let mut permit = std::pin::pin!(permit);
        tokio::select! {
            _ = &mut permit => panic!("a permit back while the writer cannot take anything"),
            () = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
        other.execute_batch("COMMIT;").unwrap();
        let back = tokio::time::timeout(Duration::from_secs(30), permit)
            .await
            .expect("permits back once the writer goes on");
        assert!(back.is_ok(), "an open semaphore");
    });
    drop(other);
    c.flush();
    drop(c);
    let conn = db::open(&path).unwrap();
    let stored: i64 = conn
        .query_row("SELECT COUNT(*) FROM headlines", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        stored,
        writes as i64 * 50,
        "every feed written while waiting is kept"
    );
}
