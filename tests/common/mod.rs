//! Shared test helpers: the fixture server, configs pointing at it, running the binary.
#![allow(dead_code, unused_imports)]

pub mod pty;
pub mod screen;
pub mod server;
pub mod shapes;
pub mod ws;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use server::{Behaviour, Reply, Server, fixtures_dir};

/// The start of a config whose test wants none of the per-symbol requests: no
/// symbol news, halt feed, index list or daily bars.
pub const QUIET: &str = "[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n\
    [signals]\nvolume = false\n";

/// A state of `config_text` at `at` (RFC 3339), before anything arrived.
pub fn state_at(config_text: &str, at: &str) -> tickwire::state::State {
    let config = tickwire::config::parse(config_text, tickwire::config::ConfigOrigin::Embedded).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    tickwire::state::State::new(std::sync::Arc::new(config), 0, now)
}

/// A config whose providers point at `base`, with one watchlist of `symbols`.
pub fn config_text(base: &str, symbols: &[&str], extra: &str) -> String {
    let list: Vec<String> = symbols.iter().map(|s| format!("\"{s}\"")).collect();
    // A symbol's own news would go to Yahoo and SEC, the halt feed to Nasdaq
    // Trader, the index's list to Nasdaq, each symbol's daily bars (the volume
    // signal) to Yahoo as a second request per symbol: tests that want them say so.
    let news = if extra.contains("[news]") {
        ""
    } else {
        "[news]\nper_symbol = false\n"
    };
    let halts = if extra.contains("[halts]") {
        ""
    } else {
        "[halts]\nenabled = false\n"
    };
    let market = if extra.contains("[market]") {
        ""
    } else {
        "[market]\nindex = \"none\"\n"
    };
    let signals = if extra.contains("[signals]") {
        ""
    } else {
        "[signals]\nvolume = false\n"
    };
    format!(
        r#"{news}{halts}{market}{signals}[general]
timeout = "2s"
quote_interval = "1s"

[[watchlist]]
name = "AI shock"
symbols = [{}]

[[watchlist]]
name = "Indices"
symbols = ["^NDX"]

[symbol."NVDA"]
name = "NVIDIA"
warn_drop_pct = 5.0
alert_drop_pct = 10.0
shares_outstanding = 24.49e9

[quotes]
providers = ["yahoo", "nasdaq"]
stream = false

[providers.yahoo]
base_url = "{base}/yahoo"

[providers.nasdaq]
base_url = "{base}/nasdaq"
{extra}"#,
        list.join(", ")
    )
}

pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The tickwire binary with an isolated environment (no user config, logs in `dir`).
pub fn tickwire(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tickwire"));
    c.env_remove("TICKWIRE_CONFIG")
        .env_remove("FINNHUB_API_KEY")
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("HOME", dir)
        .env_remove("NO_COLOR");
    c
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    tickwire(dir).args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The source row of `kind` ("halts", "market") in a `once --json` snapshot.
pub fn source<'a>(json: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} source in {json}"))
}

/// The row of `symbol` in a `once --json` snapshot.
pub fn quote<'a>(json: &'a serde_json::Value, symbol: &str) -> &'a serde_json::Value {
    json["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["symbol"] == symbol)
        .unwrap_or_else(|| panic!("no quote row for {symbol}"))
}

/// Routes for a 27-Jan-like day on both providers.
pub fn market_day(server: &Server) {
    server
        .route(
            "/yahoo/v8/finance/chart/NVDA",
            Reply::fixture(200, "yahoo/nvda.json"),
        )
        .route(
            "/yahoo/v8/finance/chart/AAPL",
            Reply::fixture(200, "yahoo/aapl.json"),
        )
        .route(
            "/yahoo/v8/finance/chart/^NDX",
            Reply::fixture(200, "yahoo/ndx_index.json"),
        )
        .route(
            "/yahoo/v8/finance/chart/%5ENDX",
            Reply::fixture(200, "yahoo/ndx_index.json"),
        )
        .route(
            "/yahoo/v8/finance/chart/NOPE",
            Reply::fixture(404, "yahoo/not_found.json"),
        )
        .route(
            "/nasdaq/api/quote/NOPE/info",
            Reply::fixture(200, "nasdaq/unknown.json"),
        );
}

/// `market_day` and one RSS feed at `/rss` that answers with an ETag.
/// `market_day`'s NVDA and AAPL moved whole days forward so that 27 January 2025
/// is the current trading day: an alert is raised only for the current day's move.
pub fn market_today(server: &Server) {
    market_day(server);
    for (path, rel) in [
        ("/yahoo/v8/finance/chart/NVDA", "yahoo/nvda.json"),
        ("/yahoo/v8/finance/chart/AAPL", "yahoo/aapl.json"),
    ] {
        server.route(path, today_fixture(rel));
    }
}

/// A chart answer recorded on 27 January 2025 with every time in it moved whole
/// days forward to the current trading day.
pub fn today_fixture(rel: &str) -> Reply {
    use chrono::NaiveDate;
    fn shift(v: &mut serde_json::Value, by: i64, key: Option<&str>) {
        match v {
            serde_json::Value::Object(m) => m.iter_mut().for_each(|(k, v)| shift(v, by, Some(k))),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| shift(v, by, key)),
            serde_json::Value::Number(n) => {
                let times = ["regularMarketTime", "start", "end", "timestamp"];
                if let (Some(t), true) = (n.as_i64(), key.is_some_and(|k| times.contains(&k))) {
                    *v = (t + by).into();
                }
            }
            _ => {}
        }
    }
    let today = tickwire::market::calendar::current_day(chrono::Utc::now());
    let days = (today - NaiveDate::from_ymd_opt(2025, 1, 27).unwrap()).num_days();
    let path = fixtures_dir().join(rel);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    shift(&mut v, days * 86_400, None);
    Reply::new(200, "application/json", serde_json::to_vec(&v).unwrap())
}

pub fn market_day_with_feed(server: &Server) {
    market_day(server);
    server.route(
        "/rss",
        Reply::fixture(200, "feeds/rss2.xml").header("ETag", "\"day-1\""),
    );
}

/// The `[[feed]]` table of the feed at `/rss` on `server`, named `name`.
pub fn rss_feed(server: &Server, name: &str) -> String {
    format!("[[feed]]\nname = \"{name}\"\nurl = \"{}/rss\"\n", server.base)
}

/// A quote of `symbol` at 27 January's close, as a provider would give it.
pub fn sample_quote(symbol: &str) -> tickwire::model::Quote {
    use chrono::TimeZone;
    tickwire::model::Quote {
        symbol: symbol.into(),
        price: 118.42,
        previous_close: Some(142.62),
        open: None,
        day_high: None,
        day_low: None,
        volume: None,
        currency: Some("USD".into()),
        market_time: None,
        utc_offset: None,
        series: vec![],
        periods: None,
        week52: None,
        extended: None,
        name: None,
        provider: "yahoo".into(),
        fetched_at: chrono::Utc.with_ymd_and_hms(2025, 1, 27, 21, 0, 0).unwrap(),
    }
}

/// `once --json --cache DIR/cache.db` with the feed at /rss named `feed_name`.
pub fn once_cached(server: &Server, dir: &std::path::Path, feed_name: &str) -> serde_json::Value {
    let feeds = rss_feed(server, feed_name);
    let cfg = write_config(dir, &config_text(&server.base, &["NVDA"], &feeds));
    once_with_cache(dir, &cfg)
}

/// `once --json --cache DIR/cache.db -c CFG`, as it ended.
pub fn run_once_with_cache(dir: &std::path::Path, cfg: &Path) -> Output {
    let db = dir.join("cache.db");
    let args = [
        "-c",
        cfg.to_str().unwrap(),
        "--cache",
        db.to_str().unwrap(),
        "once",
        "--json",
    ];
    run(dir, &args)
}

/// `once --json --cache DIR/cache.db -c CFG`, which must succeed.
pub fn once_with_cache(dir: &std::path::Path, cfg: &Path) -> serde_json::Value {
    let out = run_once_with_cache(dir, cfg);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A provider's answer for `quote`, as the quote task reports it.
pub fn fetched(quote: tickwire::model::Quote) -> tickwire::event::Event {
    use tickwire::model::{Attempt, QuoteOutcome};
    tickwire::event::Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: quote.symbol.clone(),
        result: Ok(quote),
        attempts: vec![Attempt {
            provider: "yahoo".into(),
            error: None,
        }],
        retry_after: None,
    }))
}

/// tests/fixtures/halts/tradehalts.xml with its dates set to the current and
/// the last trading day (New York): NVDA halted since 04:00 (news pending),
/// BRK.B paused 04:00-04:05, XYZQ (watched by nobody), a circuit breaker
/// the day before, and an item with an impossible date.
pub fn halt_feed() -> Reply {
    use tickwire::market::calendar;
    let today = calendar::current_day(chrono::Utc::now());
    let prev = calendar::previous_trading_day(today);
    let text = std::fs::read_to_string(fixtures_dir().join("halts/tradehalts.xml")).unwrap();
    let body = text
        .replace("{DATE}", &today.format("%m/%d/%Y").to_string())
        .replace("{PREV}", &prev.format("%m/%d/%Y").to_string());
    Reply::new(200, "text/xml; charset=utf-8", body)
}

/// `[halts]` on, at `server`'s /ndaq.
pub fn halts_on(server: &Server) -> String {
    format!(
        "[halts]\ninterval = \"1s\"\n[providers.nasdaqtrader]\nbase_url = \"{}/ndaq\"\n",
        server.base
    )
}
