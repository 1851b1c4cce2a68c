//! Nasdaq Trader's halt feed from a loopback server: `once` (JSON and table),
//! a bot wall, halts off, and the monitor in a pseudo-terminal.

mod common;

use chrono::{DateTime, Utc};
use common::pty::Pty;
use common::{Reply, Server, config_text, halt_feed, halts_on, market_today, run, stdout, write_config};
use tickwire::market::{calendar, eastern};

const WATCHED: [&str; 3] = ["NVDA", "BRK-B", "AAPL"];

/// The day's quotes and the halt feed on `server`, and a config of the
/// watchlist with halts on, in a fresh directory.
fn halted_day(server: &Server) -> (tempfile::TempDir, std::path::PathBuf) {
    market_today(server);
    server.route("/ndaq/rss.aspx", halt_feed());
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &WATCHED, &halts_on(server)),
    );
    (tmp, cfg)
}

fn once_json(server: &Server, extra: &str, args: &[&str]) -> (serde_json::Value, i32) {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &WATCHED, extra));
    let mut argv = vec!["-c", cfg.to_str().unwrap(), "once", "--json"];
    argv.extend(args);
    let out = run(tmp.path(), &argv);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), common::stderr(&out)));
    (json, out.status.code().unwrap_or(-1))
}

/// Today's (the current trading day's) `hh:mm:ss` in New York, as `once` writes it.
fn today_at(hms: &str) -> String {
    let day = calendar::current_day(Utc::now());
    let t = chrono::NaiveTime::parse_from_str(hms, "%H:%M:%S").unwrap();
    let utc: DateTime<Utc> = day
        .and_time(t)
        .and_local_timezone(eastern::offset_on(day))
        .unwrap()
        .to_utc();
    utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn once_lists_the_watchlists_halts_and_each_circuit_breaker_once() {
    let server = Server::start();
    market_today(&server);
    server.route("/ndaq/rss.aspx", halt_feed());
    let (json, code) = once_json(&server, &halts_on(&server), &["--fail-on-alert"]);
    let halts = json["halts"].as_array().unwrap();
    let symbols: Vec<&str> = halts.iter().map(|h| h["symbol"].as_str().unwrap()).collect();
    assert_eq!(
        symbols,
        ["NVDA", "BRK-B", "SPY"],
        "newest first, XYZQ is nobody's: {halts:#?}"
    );
    let nvda = &halts[0];
    assert_eq!(nvda["reason_code"], "T1");
    assert_eq!(nvda["reason"], "news pending");
    assert_eq!(nvda["name"], "NVIDIA Corp & Co (test)");
    assert_eq!(nvda["market"], "NASDAQ");
    assert_eq!(nvda["halted_at"], today_at("04:00:00"));
    assert_eq!(nvda["resumed_at"], serde_json::Value::Null);
    assert_eq!(nvda["active"], true);
    let brk = &halts[1];
    assert_eq!(brk["market"], "NYSE", "the older Mkt element");
    assert_eq!(brk["resumed_at"], today_at("04:05:00"));
    assert_eq!(brk["active"], false);
    assert_eq!(halts[2]["reason"], "market-wide circuit breaker, level 1");
    assert_eq!(halts[2]["active"], false, "it resumed");
    let source = common::source(&json, "halts");
    assert_eq!(
        (source["ok"].as_bool(), source["items"].as_u64()),
        (Some(true), Some(5))
    );
    assert_eq!(source["skipped"], 1, "the item with an impossible date");
    assert_eq!(code, 3, "--fail-on-alert");
}

#[test]
fn the_table_says_halted_and_resumed() {
    let server = Server::start();
    let (tmp, cfg) = halted_day(&server);
    let out = stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    let halts: Vec<&str> = out.lines().skip_while(|l| *l != "HALTS").collect();
    assert!(halts[1].starts_with("HALT NVDA   halted"), "{out}");
    assert!(halts[1].ends_with("04:00 ET · news pending (T1)"), "{out}");
    assert!(
        halts[2].ends_with("04:00 ET · volatility pause (LUDP) · threshold 455.10 · resumed 04:05 ET"),
        "{out}"
    );
}

#[test]
fn a_bot_wall_is_an_error_of_the_halt_feed_alone() {
    let server = Server::start();
    market_today(&server);
    server.route("/ndaq/rss.aspx", Reply::fixture(403, "html_login.html"));
    let (json, _) = once_json(&server, &halts_on(&server), &[]);
    assert_eq!(json["halts"], serde_json::json!([]));
    let source = common::source(&json, "halts");
    assert_eq!(source["ok"], false);
    assert!(source["error"].as_str().unwrap().contains("403"), "{source}");
    assert_eq!(
        common::quote(&json, "NVDA")["change_pct"],
        -16.968,
        "quotes unharmed"
    );
    // An answer that is HTML with a 200 says so too.
    server.route("/ndaq/rss.aspx", Reply::fixture(200, "html_login.html"));
    let (json, _) = once_json(&server, &halts_on(&server), &[]);
    let source = common::source(&json, "halts");
    assert!(
        source["error"].as_str().unwrap().contains("HTML page"),
        "{source}"
    );
}

#[test]
fn halts_off_or_nothing_that_can_halt_asks_nothing() {
    let server = Server::start();
    market_today(&server);
    server.route("/ndaq/rss.aspx", halt_feed());
    let (json, _) = once_json(&server, "", &[]);
    assert!(
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["kind"] != "halts")
    );
    assert_eq!(server.count("/ndaq/rss.aspx"), 0);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA"], &halts_on(&server)),
    );
    run(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "-w", "Indices", "once", "--json"],
    );
    assert_eq!(server.count("/ndaq/rss.aspx"), 0, "an index is never halted");
}

#[test]
fn the_monitor_flags_banners_and_logs_a_halt() {
    let server = Server::start();
    let (tmp, cfg) = halted_day(&server);
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 120, 30);
    pty.wait_for("the halt banner", 20, |s| {
        s.contents().contains("NVDA HALTED 04:00 ET · news pending (T1)")
    });
    pty.wait_for("the HALT flag", 20, |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("│NVDA") && l.contains("HALT"))
    });
    pty.send("A");
    pty.wait_for("the alert log's halt", 5, |s| {
        s.contents().contains("NVDA    HALT   04:00 ET news pending (T1)")
    });
    pty.send("q");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn check_says_whether_halts_are_on_and_why_not() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let check = |extra: &str, symbols: &[&str]| {
        let cfg = write_config(tmp.path(), &config_text(&server.base, symbols, extra));
        stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]))
    };
    let on = check(&halts_on(&server), &["NVDA"]);
    assert!(
        on.contains(&format!(
            "halts: every 1s while the US market is in a session ({}/ndaq/rss.aspx?feed=tradehalts)",
            server.base
        )),
        "{on}"
    );
    assert!(check("", &["NVDA"]).contains("halts: off"));
    // The Indices watchlist has ^NDX: no watched symbol can be halted there alone.
    let text = config_text(&server.base, &["^GSPC"], &halts_on(&server));
    let cfg = write_config(
        tmp.path(),
        &text.replace("symbols = [\"^NDX\"]", "symbols = [\"^IXIC\"]"),
    );
    let none = stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]));
    assert!(
        none.contains("halts: on, but no watched symbol is a US listing that can be halted"),
        "{none}"
    );
}
