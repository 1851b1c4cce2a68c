//! Every day recorded: the real binary records a session in its cache, then
//! `replay --list` shows it and `backtest` raises the session's own alerts.

mod common;

use common::pty::Pty;
use common::{Server, config_text, market_today, run, stderr, stdout, write_config};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn a_recorded_session_is_listed_and_back_tested_to_the_same_alerts() {
    let server = Server::start();
    market_today(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], ""));
    let c = cfg.to_str().unwrap();
    let mut pty = Pty::spawn(tmp.path(), &["-c", c], &[], 120, 30);
    pty.wait_for("NVDA at alert", 20, |s| s.contents().contains("ALERT"));
    let polls = server.count("/yahoo/v8/finance/chart/NVDA");
    while server.count("/yahoo/v8/finance/chart/NVDA") < polls + 2 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);

    let days = json(&run(tmp.path(), &["-c", c, "replay", "--list", "--json"]));
    let day = &days[0];
    let symbols: Vec<&str> = day["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    // The benchmark is priced for the relative signal: recorded too, for a back-test.
    assert_eq!(symbols, ["AAPL", "NVDA", "^NDX"], "{days}");
    // The fixture's price does not move between polls: a point each, not one a poll.
    assert_eq!(day["points"].as_u64(), Some(3), "{days}");
    let text = stdout(&run(tmp.path(), &["-c", c, "replay", "--list"]));
    assert!(text.contains("AAPL NVDA ^NDX (3 symbols)"), "{text}");

    // The session's alerts, as the monitor raised them.
    let db = tmp.path().join("xdg-data/tickwire/cache.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut q = conn
        .prepare("SELECT symbol, level FROM rec_alerts ORDER BY at, symbol")
        .unwrap();
    let live: Vec<(String, String)> = q
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!live.is_empty(), "the session raised alerts");
    assert_eq!(day["alerts"].as_u64(), Some(live.len() as u64));

    // The back-test under the same thresholds raises the same ones.
    let crossings = json(&run(tmp.path(), &["-c", c, "backtest", "--json"]));
    let tested: Vec<(String, String)> = crossings
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["symbol"].as_str().unwrap().into(),
                x["level"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(tested, live);
    assert!(
        crossings[0]["change_pct"].as_f64().unwrap() < -10.0,
        "{crossings}"
    );
    // Lines below NVDA's -16.97%: nothing; a day that was not recorded: said so.
    let none = json(&run(
        tmp.path(),
        &["-c", c, "backtest", "--warn", "20", "--alert", "30", "--json"],
    ));
    assert_eq!(none.as_array().map(Vec::len), Some(0), "{none}");
    let missing = run(tmp.path(), &["-c", c, "backtest", "--date", "2001-09-11"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("2001-09-11 was not recorded"),
        "{}",
        stderr(&missing)
    );
    let summary = stdout(&run(tmp.path(), &["-c", c, "backtest"]));
    assert!(
        summary.contains("NVDA") && summary.contains("raised by the monitor that day"),
        "{summary}"
    );
    // The day replayed on the screen: the same path as --demo, the user's lines.
    let date = day["day"].as_str().unwrap().to_string();
    let mut replay = Pty::spawn(
        tmp.path(),
        &["-c", c, "replay", &date, "--speed", "50"],
        &[],
        120,
        30,
    );
    replay.wait_for("the replayed day", 20, |s| {
        let t = s.contents();
        t.contains(&format!("REPLAY of {date}")) && t.contains("ALERT") && t.contains("NVDA")
    });
    replay.send("a");
    replay.wait_for("nothing saved", 10, |s| s.contents().contains("saves nothing"));
    replay.send("q");
    assert_eq!(replay.wait_exit(10), 0);
    replay.restored().unwrap();
    // The day as files, replayed from them.
    let shared = tmp.path().join("shared-day");
    let out = run(
        tmp.path(),
        &["-c", c, "replay", &date, "--export", shared.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("written to"), "{}", stdout(&out));
    for f in ["day.json", "quotes.csv", "headlines.json", "alerts.json"] {
        assert!(shared.join(f).is_file(), "{f}");
    }
    let mut from = Pty::spawn(
        tmp.path(),
        &[
            "-c",
            c,
            "replay",
            "--from",
            shared.to_str().unwrap(),
            "--speed",
            "50",
        ],
        &[],
        120,
        30,
    );
    from.wait_for("the shared day", 20, |s| {
        let t = s.contents();
        t.contains(&format!("REPLAY of {date}")) && t.contains("ALERT")
    });
    from.send("q");
    assert_eq!(from.wait_exit(10), 0);
    // A replay records nothing of its own.
    let again = json(&run(tmp.path(), &["-c", c, "replay", "--list", "--json"]));
    assert_eq!(again[0]["points"], day["points"]);
    let missing = run(tmp.path(), &["-c", c, "replay", "2001-09-11"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("was not recorded"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn nothing_recorded_is_said_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["replay", "--list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing recorded yet"), "{}", stderr(&out));
    // A cache from before recording holds nothing recorded.
    let old = tmp.path().join("old.db");
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch("CREATE TABLE quotes (symbol TEXT)")
        .unwrap();
    let out = run(
        tmp.path(),
        &["--cache", old.to_str().unwrap(), "replay", "--list"],
    );
    assert!(
        stderr(&out).contains("nothing recorded yet in"),
        "{}",
        stderr(&out)
    );
    let bad = run(tmp.path(), &["backtest", "--warn", "150"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a drop"), "{}", stderr(&bad));
    let crossed = run(tmp.path(), &["backtest", "--warn", "12", "--alert", "8"]);
    assert_eq!(crossed.status.code(), Some(2));
    assert!(
        stderr(&crossed).contains("must be a smaller drop"),
        "{}",
        stderr(&crossed)
    );
}

#[test]
fn record_days_out_of_range_is_refused_where_it_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA"], "[record]\ndays = 0\n"),
    );
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("record.days") && stderr(&out).contains("keep 1 to 3650"),
        "{}",
        stderr(&out)
    );
}
