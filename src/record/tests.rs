use super::*;
use crate::config::{ConfigOrigin, parse};

const CONFIG: &str = r#"
[[watchlist]]
name = "w"
symbols = ["NVDA"]
[[feed]]
name = "f"
url = "https://example.com/rss"
"#;

fn config(extra: &str) -> Config {
    parse(&format!("{CONFIG}{extra}"), ConfigOrigin::Embedded).unwrap()
}

fn quote(price: f64, at: DateTime<Utc>) -> Quote {
    let mut q = Quote::bare("NVDA", price, "yahoo", at);
    q.previous_close = Some(142.62);
    q.market_time = Some(at);
    // New York's: the trading day is the exchange's, not UTC's.
    q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
    q
}

fn t(minute: i64, second: i64) -> DateTime<Utc> {
    // 27 Jan 2025, 10:00 New York.
    DateTime::from_timestamp(1_737_990_000 + minute * 60 + second, 0).unwrap()
}

#[test]
fn a_point_a_minute_while_the_price_moves_and_every_change_of_flag() {
    let c = config("");
    let mut r = Recorder::default();
    assert!(
        r.quote(&c, &quote(140.0, t(0, 0)), t(0, 0)).is_some(),
        "the first"
    );
    assert!(
        r.quote(&c, &quote(139.0, t(0, 20)), t(0, 20)).is_none(),
        "same minute"
    );
    assert!(
        r.quote(&c, &quote(139.0, t(1, 5)), t(1, 5)).is_some(),
        "a new minute"
    );
    assert!(
        r.quote(&c, &quote(139.0, t(2, 5)), t(2, 5)).is_none(),
        "nothing moved"
    );
    // 5% down (warn) within the same minute: kept for the flag.
    assert!(r.quote(&c, &quote(135.0, t(2, 30)), t(2, 30)).is_some());
    let Some(Recorded::Tick { day, quote: kept, .. }) = r.quote(&c, &quote(120.0, t(2, 40)), t(2, 40)) else {
        panic!("the alert level is kept");
    };
    assert_eq!(day.to_string(), "2025-01-27");
    assert!(kept.series.is_empty(), "the day's bars are the recording itself");
    let off = config("[record]\nenabled = false\n");
    assert!(
        Recorder::default()
            .quote(&off, &quote(1.0, t(0, 0)), t(0, 0))
            .is_none()
    );
}

#[test]
fn headlines_linked_to_a_symbol_once_and_not_the_backlog() {
    let c = config("");
    let mut r = Recorder::default();
    let h = |id: &str, symbols: &[&str], at: DateTime<Utc>| Headline::linked(id, at.timestamp(), symbols);
    let items = [
        h("linked", &["NVDA"], t(-60, 0)),
        h("unlinked", &[], t(-60, 0)),
        h("last week", &["NVDA"], t(-7 * 24 * 60, 0)),
    ];
    let Some(Recorded::Headlines(kept)) = r.headlines(&c, &items, t(0, 0)) else {
        panic!("one kept");
    };
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1.id, "linked");
    assert!(r.headlines(&c, &items, t(1, 0)).is_none(), "not twice");
}

/// A cache file and a recorder offered quotes as the app offers them.
struct Session {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    conn: rusqlite::Connection,
    config: Config,
    recorder: Recorder,
    writes: Vec<crate::cache::Write>,
}

impl Session {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = crate::cache::db::open(&path).unwrap();
        Self {
            dir,
            path,
            conn,
            config: config(""),
            recorder: Recorder::default(),
            writes: Vec::new(),
        }
    }

    /// `q` seen at its market time; what the recorder keeps is queued.
    fn offer(&mut self, q: &Quote) {
        let seen = q.market_time.unwrap();
        if let Some(r) = self.recorder.quote(&self.config, q, seen) {
            self.writes.push(crate::cache::Write::Record(r));
        }
    }

    fn commit(&mut self, now: DateTime<Utc>) {
        let batch = std::mem::take(&mut self.writes);
        crate::cache::db::apply(&mut self.conn, &batch, now).unwrap();
    }
}

#[test]
fn a_recorded_day_reads_back_and_back_tests_like_the_monitor() {
    let mut s = Session::new();
    // NVDA slides from 140 to 118.42 over ten minutes.
    for m in 0..=10 {
        let price = 140.0 - (140.0 - 118.42) * m as f64 / 10.0;
        s.offer(&quote(price, t(m, 0)));
    }
    s.commit(t(11, 0));
    let (c, path) = (&s.config, &s.path);
    let read = read::open(path).unwrap();
    let days = read::days(&read).unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(
        (days[0].symbols.clone(), days[0].points),
        (vec!["NVDA".to_string()], 11)
    );
    let day = read::day(&read, days[0].day).unwrap().unwrap();
    assert_eq!(day.quotes.len(), 11);
    assert_eq!(day.quotes[10].1.price, 118.42);
    assert_eq!(day.quotes[10].1.previous_close, Some(142.62));
    // The default 3 / 7: warn, then alert; a trial of 12 / 15 crosses them later.
    let levels = |trial| -> Vec<(String, DateTime<Utc>)> {
        backtest::run(c, &day, trial, None)
            .into_iter()
            .map(|x| (x.level, x.time))
            .collect()
    };
    let default = levels(backtest::Trial::default());
    assert_eq!(
        default.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
        ["warn", "alert"]
    );
    let strict = levels(backtest::Trial {
        warn: Some(12.0),
        alert: Some(15.0),
    });
    assert_eq!(
        strict.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
        ["warn", "alert"]
    );
    assert!(strict[0].1 > default[0].1, "a deeper line is crossed later");
    let never = levels(backtest::Trial {
        warn: Some(30.0),
        alert: Some(40.0),
    });
    assert!(never.is_empty());
    // Pruned past [record] days.
    let prune = crate::cache::Write::Prune {
        max: 10,
        max_age_days: 3650,
        feeds: vec![],
        symbols: vec![],
        record_days: 2,
    };
    crate::cache::db::apply(&mut s.conn, &[prune], t(0, 0) + chrono::Duration::days(5)).unwrap();
    assert!(read::days(&read).unwrap().is_empty());
}

#[test]
fn an_exported_day_reads_back_whole_and_bad_files_say_where() {
    let mut s = Session::new();
    for m in 0..5 {
        let mut q = quote(140.0 - m as f64 * 4.0, t(m, 0));
        q.name = Some("NVIDIA Corporation".into());
        q.currency = Some("USD".into());
        q.periods = Some(crate::model::Periods {
            pre: Some((1_737_968_400, 1_737_988_200)),
            regular: (1_737_988_200, 1_738_011_600),
            post: None,
        });
        if m == 4 {
            q.extended = Some(crate::model::Extended {
                session: crate::model::ExtendedSession::Post,
                price: 123.0,
                time: t(m, 30),
            });
        }
        s.offer(&q);
    }
    let headline = Headline {
        title: "DeepSeek rattles chip stocks".into(),
        url: Some("https://news.example.com/1".into()),
        feed: "Wire".into(),
        ..Headline::linked("h1", t(1, 0).timestamp(), &["NVDA"])
    };
    let kept = s.recorder.headlines(&s.config, &[headline], t(2, 0)).unwrap();
    s.writes.push(crate::cache::Write::Record(kept));
    s.commit(t(5, 0));
    let read = read::open(&s.path).unwrap();
    let day = read::day(&read, t(0, 0).date_naive()).unwrap().unwrap();
    assert_eq!(day.quotes[4].1.extended.map(|e| e.price), Some(123.0));
    let out = s.dir.path().join("export");
    export::write(&day, &out).unwrap();
    let back = export::read(&out).unwrap();
    assert_eq!(back, day);
    // A damaged row says which.
    let csv = std::fs::read_to_string(out.join("quotes.csv")).unwrap();
    std::fs::write(
        out.join("quotes.csv"),
        csv.replacen(",NVDA,140,", ",NVDA,lots,", 1),
    )
    .unwrap();
    let err = export::read(&out).unwrap_err();
    assert!(
        err.contains("quotes.csv row 2") && err.contains("\"lots\" is not a number"),
        "{err}"
    );
    std::fs::write(
        out.join("day.json"),
        r#"{"format": "tickwire-day/9", "date": "2025-01-27", "symbols": {}}"#,
    )
    .unwrap();
    assert!(export::read(&out).unwrap_err().contains("this tickwire reads"));
}

#[test]
fn daily_bars_give_each_days_worst_level_and_a_split_is_no_crash() {
    use crate::history::{Bar, History};
    let c = config("");
    let bar = |d: i64, low: f64, close: f64, adj: f64| Bar {
        time: t(d * 24 * 60, 0),
        open: Some(close),
        high: Some(close),
        low: Some(low),
        close,
        adj_close: Some(adj),
        volume: None,
    };
    let h = History {
        symbol: "NVDA".into(),
        range: "1y".into(),
        interval: "1d".into(),
        currency: None,
        bars: vec![
            bar(0, 140.0, 142.62, 142.62),
            // -18% at the low, -17% at the close: alert once.
            bar(1, 116.7, 118.42, 118.42),
            // -4% at worst: a warn at the default 3 / 7.
            bar(2, 113.7, 118.0, 118.0),
            // A 10:1 split: 11.8 is no -90%.
            bar(3, 11.5, 11.8, 11.8),
        ],
        dividends: vec![],
        splits: vec![],
        capital_gains: vec![],
        utc_offset: None,
    };
    // Before the split every bar is adjusted down tenfold.
    let mut adjusted = h.clone();
    for b in &mut adjusted.bars[..3] {
        b.adj_close = Some(b.close / 10.0);
    }
    let x = backtest::from_bars(&c, &adjusted, backtest::Trial::default());
    let levels: Vec<(&str, i64)> = x
        .iter()
        .map(|c| (c.level.as_str(), c.change_pct.round() as i64))
        .collect();
    assert_eq!(levels, [("alert", -18), ("warn", -4)]);
    let x = backtest::from_bars(
        &c,
        &adjusted,
        backtest::Trial {
            warn: Some(3.0),
            alert: Some(20.0),
        },
    );
    assert_eq!(
        x.iter().map(|c| c.level.as_str()).collect::<Vec<_>>(),
        ["warn", "warn"]
    );
    // A day is the exchange's: Sydney's bars start at 23:00 UTC the day before.
    adjusted.utc_offset = chrono::FixedOffset::east_opt(10 * 3600);
    let utc = adjusted.bars[1].time.date_naive();
    let x = backtest::from_bars(&c, &adjusted, backtest::Trial::default());
    assert_eq!(x[0].date, utc.succ_opt().unwrap());
}

#[test]
fn a_day_of_ticks_is_bounded_to_a_point_a_minute_with_steady_figures_written_once() {
    let mut s = Session::new();
    // Ten hours of a tick every ten seconds, the price moving each time by a cent.
    for i in 0..3600 {
        let at = t(0, 0) + chrono::Duration::seconds(i * 10);
        let mut q = quote(140.0 + (i % 2) as f64 * 0.01, at);
        q.open = Some(139.5);
        s.offer(&q);
    }
    s.commit(t(600, 0));
    let count = |sql: &str| -> i64 { s.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM rec_ticks"), 600, "one a minute");
    assert_eq!(
        count("SELECT COUNT(previous_close) FROM rec_ticks"),
        1,
        "written when it changes"
    );
    assert_eq!(count("SELECT COUNT(open) FROM rec_ticks"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM rec_days"), 1);
    let read = read::open(&s.path).unwrap();
    let day = read::day(&read, t(0, 0).date_naive()).unwrap().unwrap();
    assert!(
        day.quotes
            .iter()
            .all(|(_, q)| q.previous_close == Some(142.62) && q.open == Some(139.5))
    );
}
