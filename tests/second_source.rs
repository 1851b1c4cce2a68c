//! When Yahoo breaks: Finnhub answers (its key never shown), Coinbase prices
//! its own products against 24 hours earlier, Finnhub's and Coinbase's
//! streams are read in their documented shapes, and the stock stream hands
//! over to the next one when the first drops. Every server is our own on
//! 127.0.0.1.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::screen::lines;
use common::ws::{Script, next, nvda, quick, serve};
use common::{QUIET, Reply, Server, quote, run, state_at, stderr, stdout, write_config};
use tickwire::config::{ApiKey, ConfigOrigin, Socket, parse};
use tickwire::event::Event;
use tickwire::model::{ExtendedSession, Quote, StreamEvent, Ticker};
use tickwire::source::stream::client::{StreamConfig, run_watched};
use tickwire::source::stream::relay;
use tickwire::source::{Output, Sources};
use tickwire::state::{State, StreamHealth};
use tickwire::update::on_event;
use tokio::sync::{mpsc, watch};

const KEY: &str = "sekret-7f3a";

/// One watchlist of NVDA, nothing else.
const ONE: &str = "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\"]\n";

fn config(server: &Server, providers: &str, extra: &str) -> String {
    format!(
        r#"{QUIET}[general]
timeout = "2s"
[[watchlist]]
name = "W"
symbols = ["NVDA", "AAPL", "ZZZZ", "BTC-USD", "ETH-FOO"]
[symbol."BTC-USD"]
provider = "coinbase"
[symbol."ETH-FOO"]
provider = "coinbase"
[quotes]
providers = {providers}
stream = false
[providers.yahoo]
base_url = "{base}/yahoo"
[providers.finnhub]
base_url = "{base}/finnhub"
api_key = "{KEY}"
[providers.coinbase]
base_url = "{base}/coinbase"
{extra}"#,
        base = server.base
    )
}

/// Coinbase's REST answers for BTC-USD: its ticker and its 24 hours' stats.
fn coinbase_btc(server: &Server) {
    server.route(
        "/coinbase/products/BTC-USD/ticker",
        Reply::fixture(200, "coinbase/btc_ticker.json"),
    );
    server.route(
        "/coinbase/products/BTC-USD/stats",
        Reply::fixture(200, "coinbase/btc_stats.json"),
    );
}

/// Every file the run left (log, cache) and what it printed, without the key.
fn assert_no_key(dir: &std::path::Path, printed: &str) {
    assert!(!printed.contains(KEY), "the key was printed: {printed}");
    for entry in walk(dir) {
        if entry.file_name().is_some_and(|n| n == "config.toml") {
            continue;
        }
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(KEY),
            "the key is in {}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn finnhub_answers_when_yahoo_fails_and_coinbase_prices_its_own() {
    let server = Server::start();
    for s in ["NVDA", "AAPL", "ZZZZ"] {
        server.route(
            &format!("/yahoo/v8/finance/chart/{s}"),
            Reply::new(503, "text/plain", "down"),
        );
    }
    server.route(
        &format!("/finnhub/quote?symbol=NVDA&token={KEY}"),
        Reply::fixture(200, "finnhub/nvda.json"),
    );
    server.route(
        &format!("/finnhub/quote?symbol=ZZZZ&token={KEY}"),
        Reply::fixture(200, "finnhub/unknown.json"),
    );
    server.route(
        &format!("/finnhub/quote?symbol=AAPL&token={KEY}"),
        // Without a Retry-After: one would pause the whole host (every route here
        // is on it), and the other symbols' answers would race the pause.
        Reply::new(429, "application/json", "{}"),
    );
    coinbase_btc(&server);
    server.route(
        "/coinbase/products/ETH-FOO/ticker",
        Reply::fixture(404, "coinbase/not_found.json"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(&server, r#"["yahoo", "finnhub"]"#, ""));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {printed}"));

    let nvda = quote(&json, "NVDA");
    assert_eq!(nvda["provider"], "finnhub", "{nvda}");
    assert_eq!(nvda["change_pct"], -16.968);
    assert_eq!(nvda["base"], "close");
    assert_eq!(nvda["currency"], "USD");
    let unknown = quote(&json, "ZZZZ")["error"].as_str().unwrap().to_string();
    assert!(
        unknown.contains("finnhub: finnhub does not know ZZZZ"),
        "zeros are no price: {unknown}"
    );
    let limited = quote(&json, "AAPL")["error"].as_str().unwrap().to_string();
    assert!(limited.contains("finnhub: HTTP 429"), "{limited}");

    let btc = quote(&json, "BTC-USD");
    assert_eq!(btc["provider"], "coinbase");
    assert_eq!(btc["base"], "24h", "the base of a market that never closes");
    assert_eq!(btc["previous_close"], 102140.0);
    assert_eq!(btc["change_pct"], -4.041);
    assert_eq!(
        server.count("/yahoo/v8/finance/chart/BTC-USD"),
        0,
        "a Coinbase product is Coinbase's alone"
    );
    let eth = quote(&json, "ETH-FOO")["error"].as_str().unwrap().to_string();
    assert!(
        eth.contains("coinbase: HTTP 404") && eth.contains("NotFound"),
        "{eth}"
    );
    assert_no_key(tmp.path(), &printed);

    // The text table says what the crypto move is measured against.
    let text = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]);
    let table = stdout(&text);
    let row = table
        .lines()
        .find(|l| l.starts_with("BTC-USD"))
        .unwrap_or_default();
    assert!(row.contains("-4.04% 24h"), "{table}");
    assert_no_key(tmp.path(), &format!("{table}{}", stderr(&text)));
}

#[test]
fn check_says_a_key_is_set_and_never_shows_it() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(&server, r#"["finnhub", "yahoo"]"#, ""));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]);
    let s = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(s.contains("finnhub: key set (in the file)"), "{s}");
    assert!(s.contains("coinbase for BTC-USD, ETH-FOO"), "{s}");
    assert_no_key(tmp.path(), &s);

    let from_env =
        config(&server, r#"["finnhub", "yahoo"]"#, "").replace(&format!("api_key = \"{KEY}\"\n"), "");
    let cfg = write_config(tmp.path(), &from_env);
    let out = common::tickwire(tmp.path())
        .env("FINNHUB_API_KEY", KEY)
        .args(["-c", cfg.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    let s = stdout(&out);
    assert!(
        s.contains("finnhub: key set (from FINNHUB_API_KEY)"),
        "{s}{}",
        stderr(&out)
    );
    assert_no_key(tmp.path(), &s);
}

fn stream_config(socket: Socket, url: &str, symbols: &[&str]) -> StreamConfig {
    let mut c = quick(url, symbols);
    c.socket = socket;
    c.key = (socket == Socket::Finnhub).then(|| ApiKey::new(KEY));
    c
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}"));
}

#[tokio::test]
async fn finnhub_stream_subscribes_reads_bursts_pings_and_errors_and_follows_the_watchlist() {
    let burst = r#"{"type":"trade","data":[
        {"s":"NVDA","p":118.6,"t":1738001000000,"v":100,"c":["1","12"]},
        {"s":"AAPL","p":229.5,"t":1738001000100,"v":10,"c":null},
        {"s":"NVDA","p":118.42,"t":1738001000900,"v":3}]}"#;
    let server = serve(vec![Script::Send(vec![
        r#"{"type":"ping"}"#.into(),
        burst.into(),
        r#"{"type":"error","msg":"Subscribing to too many symbols"}"#.into(),
        "{half a message".into(),
    ])])
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let (symbols_tx, symbols) = watch::channel(vec!["NVDA".to_string(), "AAPL".to_string()]);
    let client = tokio::spawn(run_watched(
        stream_config(Socket::Finnhub, &server.url, &[]),
        symbols,
        tx,
    ));
    assert_eq!(next(&mut rx).await, StreamEvent::Live(Socket::Finnhub));
    let mut ticks = Vec::new();
    let mut garbage = Vec::new();
    while ticks.len() < 2 || garbage.len() < 2 {
        match next(&mut rx).await {
            StreamEvent::Tick { symbol, ticker } => ticks.push((symbol, ticker.price.unwrap())),
            StreamEvent::Garbage(g) => garbage.push(g),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        ticks,
        [("NVDA".to_string(), 118.42), ("AAPL".to_string(), 229.5)],
        "one tick per symbol, the newest"
    );
    assert_eq!(garbage[0], "finnhub: Subscribing to too many symbols");
    assert!(
        server.targets.lock().unwrap()[0].ends_with(&format!("token={KEY}")),
        "the key goes in the URL"
    );
    symbols_tx.send_replace(vec!["NVDA".to_string(), "MSFT".to_string()]);
    let received = std::sync::Arc::clone(&server.received);
    until("unsubscribed and subscribed", || {
        received.lock().unwrap()[0].len() >= 4
    })
    .await;
    let sent = received.lock().unwrap()[0].clone();
    assert_eq!(
        sent,
        [
            r#"{"symbol":"NVDA","type":"subscribe"}"#,
            r#"{"symbol":"AAPL","type":"subscribe"}"#,
            r#"{"symbol":"AAPL","type":"unsubscribe"}"#,
            r#"{"symbol":"MSFT","type":"subscribe"}"#,
        ],
        "on the open socket, not a new one"
    );
    assert_eq!(server.targets.lock().unwrap().len(), 1);
    client.abort();
}

#[tokio::test]
async fn coinbase_stream_moves_a_product_against_its_24_hour_open() {
    let ticker = r#"{"type":"ticker","sequence":5,"product_id":"BTC-USD","price":"98012.34","open_24h":"102140.00",
        "volume_24h":"18234.5","low_24h":"97777.1","high_24h":"102500","side":"sell","time":"2025-01-27T14:31:02.123456Z"}"#;
    let server = serve(vec![Script::Send(vec![
        r#"{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["BTC-USD"]}]}"#.into(),
        ticker.into(),
    ])])
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let (_keep, symbols) = watch::channel(vec!["BTC-USD".to_string()]);
    let client = tokio::spawn(run_watched(
        stream_config(Socket::Coinbase, &server.url, &[]),
        symbols,
        tx,
    ));
    assert_eq!(next(&mut rx).await, StreamEvent::Live(Socket::Coinbase));
    let StreamEvent::Tick { symbol, ticker } = next(&mut rx).await else {
        panic!("a tick")
    };
    assert_eq!(symbol, "BTC-USD");
    assert_eq!(ticker.previous_close, Some(102140.0));
    let received = std::sync::Arc::clone(&server.received);
    until("subscribed", || !received.lock().unwrap()[0].is_empty()).await;
    assert_eq!(
        received.lock().unwrap()[0][0],
        r#"{"channels":["ticker"],"product_ids":["BTC-USD"],"type":"subscribe"}"#
    );
    client.abort();
}

#[tokio::test]
async fn the_next_stream_takes_over_while_the_first_is_down_and_hands_back() {
    // Yahoo's first connection closes at once; its second stays up.
    let yahoo = serve(vec![
        Script::SendAndClose(vec![]),
        Script::Send(vec![nvda(118.5, Some(142.62))]),
    ])
    .await;
    let trade = r#"{"type":"trade","data":[{"s":"NVDA","p":118.42,"t":1738001000900,"v":3}]}"#;
    let finnhub = serve(vec![Script::Send(vec![trade.into()])]).await;
    let order = vec![
        stream_config(Socket::Yahoo, &yahoo.url, &["NVDA"]),
        stream_config(Socket::Finnhub, &finnhub.url, &["NVDA"]),
    ];
    let (tx, mut rx) = mpsc::channel(64);
    let (_keep, symbols) = watch::channel(vec!["NVDA".to_string()]);
    let relay = tokio::spawn(relay::run(order, symbols, tx));
    let mut seen = Vec::new();
    loop {
        let e = next(&mut rx).await;
        let back = matches!(e, StreamEvent::Live(Socket::Yahoo))
            && seen.iter().any(|s| matches!(s, StreamEvent::Handover { .. }));
        seen.push(e);
        if back {
            break;
        }
    }
    let handover = seen.iter().position(|e| {
        matches!(
            e,
            StreamEvent::Handover {
                from: Socket::Yahoo,
                to: Socket::Finnhub,
                ..
            }
        )
    });
    let served = seen
        .iter()
        .position(|e| matches!(e, StreamEvent::Live(Socket::Finnhub)));
    assert!(handover.is_some() && served > handover, "{seen:?}");
    assert!(
        !seen.iter().any(|e| matches!(e, StreamEvent::Down(..))),
        "nothing said the streams were all down, so polling never took over: {seen:?}"
    );
    // Back on Yahoo, Finnhub's socket is closed: its server sees no second connection.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(finnhub.targets.lock().unwrap().len(), 1);
    relay.abort();
}

/// A Finnhub trade says no session: one at 05:11 New York time is the
/// pre-market's (measured against the last regular price), one at 10:00 the
/// regular session's.
#[test]
fn a_trade_without_a_session_is_placed_by_the_exchange_calendar() {
    let mut s = state_at(ONE, "2025-01-24T16:00:00-05:00");
    let close = s.now;
    let mut q = common::sample_quote("NVDA");
    q.price = 142.62;
    q.previous_close = Some(145.0);
    q.market_time = Some(close.to_utc());
    q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
    q.provider = "finnhub".into();
    on_event(&mut s, common::fetched(q));
    let trade = |at: &str, price: f64| {
        Event::Streamed(Box::new(StreamEvent::Tick {
            symbol: "NVDA".into(),
            ticker: Ticker {
                price: Some(price),
                time: Some(chrono::DateTime::parse_from_rfc3339(at).unwrap().to_utc()),
                ..Default::default()
            },
        }))
    };
    on_event(&mut s, trade("2025-01-27T05:11:00-05:00", 128.59));
    let q = s.quotes["NVDA"].quote.clone().unwrap();
    assert_eq!(q.price, 142.62, "the regular price is still Friday's close");
    let e = q.extended.unwrap();
    assert_eq!((e.session, e.price), (ExtendedSession::Pre, 128.59));
    on_event(&mut s, trade("2025-01-27T10:00:00-05:00", 121.0));
    let q = s.quotes["NVDA"].quote.clone().unwrap();
    assert_eq!(q.price, 121.0);
    assert_eq!(q.previous_close, Some(142.62), "a new day's base: Friday's close");
    assert!(q.extended.is_none());
}

/// Yahoo failed and Finnhub answered: the row says who priced it.
#[test]
fn the_status_column_says_which_provider_answered_after_a_failover() {
    let text = format!(
        "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\", \"AAPL\"]\n[quotes]\nproviders = [\"yahoo\", \"finnhub\"]\n\
         [providers.finnhub]\napi_key = \"{KEY}\"\n"
    );
    let mut s = state_at(&text, "2025-01-27T16:30:00-05:00");
    let now = s.now;
    for (symbol, provider) in [("NVDA", "finnhub"), ("AAPL", "yahoo")] {
        let mut q = common::sample_quote(symbol);
        q.provider = provider.into();
        (q.market_time, q.utc_offset) = (Some(now.to_utc()), chrono::FixedOffset::west_opt(5 * 3600));
        on_event(&mut s, common::fetched(q));
    }
    let rows = lines(&s, 140, 20);
    let nvda = rows.iter().find(|r| r.starts_with("│NVDA")).unwrap();
    let aapl = rows.iter().find(|r| r.starts_with("│AAPL")).unwrap();
    assert!(nvda.contains("post finnhub"), "{rows:#?}");
    assert!(aapl.contains("post  ") && !aapl.contains("yahoo"), "{aapl}");
}

/// Finnhub's quote has no intraday series: the day's polls draw it, a point a
/// minute, and a new day starts a new line.
#[test]
fn polls_without_a_series_draw_the_day_point_by_point() {
    let mut s = state_at(ONE, "2025-01-27T09:30:00-05:00");
    let open = s.now;
    let poll = |s: &mut State, minutes: i64, price: f64| {
        let mut q = common::sample_quote("NVDA");
        q.series.clear();
        q.provider = "finnhub".into();
        q.price = price;
        q.market_time = Some(open.to_utc() + chrono::Duration::minutes(minutes));
        q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
        on_event(s, common::fetched(q));
        s.quotes["NVDA"].quote.as_ref().unwrap().series.clone()
    };
    poll(&mut s, 0, 124.8);
    poll(&mut s, 1, 125.0);
    let series = poll(&mut s, 1, 125.2);
    assert_eq!(
        series.iter().map(|p| p.1).collect::<Vec<_>>(),
        [124.8, 125.2],
        "a point a minute"
    );
    let series = poll(&mut s, 24 * 60, 120.0);
    assert_eq!(series.len(), 1, "the next day starts its own line");
}

/// Through the supervisor: a Coinbase product is polled from Coinbase and
/// streamed from Coinbase's socket beside Yahoo's stock stream, its tick moving
/// the quote against the 24-hour open.
#[tokio::test]
async fn the_supervisor_streams_crypto_from_coinbase_beside_the_stocks() {
    let server = Server::start();
    coinbase_btc(&server);
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::fixture(200, "yahoo/nvda.json"),
    );
    let ticker = r#"{"type":"ticker","product_id":"BTC-USD","price":"97000.00","open_24h":"102140.00","time":"2025-01-27T14:40:00Z"}"#;
    // Again and again: the stream moves only a quote a poll has brought.
    let coinbase = serve(vec![Script::Repeat {
        frame: ticker.into(),
        every: Duration::from_millis(100),
        for_: Duration::from_secs(20),
    }])
    .await;
    let yahoo = serve(vec![Script::Send(vec![])]).await;
    let text = format!(
        r#"{QUIET}[general]
quote_interval = "1s"
[[watchlist]]
name = "W"
symbols = ["NVDA", "BTC-USD"]
[symbol."BTC-USD"]
provider = "coinbase"
[quotes]
providers = ["yahoo"]
[providers.yahoo]
base_url = "{base}/yahoo"
stream_url = "{yahoo}"
[providers.coinbase]
base_url = "{base}/coinbase"
stream_url = "{coinbase}"
"#,
        base = server.base,
        yahoo = yahoo.url,
        coinbase = coinbase.url
    );
    let config = Arc::new(parse(&text, ConfigOrigin::Embedded).unwrap());
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T14:35:00Z").unwrap();
    let mut state = State::new(Arc::clone(&config), 0, now);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(d)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        let Some(output) = sources.accept(d) else { continue };
        let event = match output {
            Output::Quote(o) => tickwire::event::Event::QuoteFetched(o),
            Output::Stream(e) => tickwire::event::Event::Streamed(e),
            _ => continue,
        };
        on_event(&mut state, event);
        let moved = state
            .quotes
            .get("BTC-USD")
            .and_then(|e| e.quote.as_ref())
            .is_some_and(|q| q.price == 97000.0);
        if moved && state.stream.crypto == StreamHealth::Live && state.stream.health == StreamHealth::Live {
            break;
        }
    }
    let q = state.quotes["BTC-USD"]
        .quote
        .clone()
        .expect("polled from Coinbase");
    assert_eq!(q.price, 97000.0, "moved by Coinbase's stream");
    assert_eq!(q.previous_close, Some(102140.0));
    assert_eq!(state.stream.crypto, StreamHealth::Live);
    assert_eq!(
        state.stream.health,
        StreamHealth::Live,
        "Yahoo's stream for NVDA beside it"
    );
    assert_eq!(server.count("/yahoo/v8/finance/chart/BTC-USD"), 0);
    assert_eq!(
        coinbase.targets.lock().unwrap().len(),
        1,
        "one socket to Coinbase"
    );
    let yahoo_asked = yahoo.received.lock().unwrap()[0].clone();
    assert!(
        !yahoo_asked.iter().any(|m| m.contains("BTC-USD")),
        "{yahoo_asked:?}"
    );
    sources.shutdown();
}

/// README's screen of a second source: NVDA priced by Finnhub after Yahoo
/// failed, Bitcoin from Coinbase over 24 hours, a pence listing, and the
/// positions added up in euros.
#[test]
fn crypto_and_one_total_on_screen_150x14() {
    let text = format!(
        r#"[[watchlist]]
name = "Mine"
symbols = ["NVDA", "BTC-USD", "SHEL.L"]
[symbol."NVDA"]
name = "NVIDIA"
position = {{ shares = 150, cost = 102.0 }}
[symbol."BTC-USD"]
name = "Bitcoin"
provider = "coinbase"
position = {{ shares = 0.5, cost = 61000 }}
[symbol."SHEL.L"]
name = "Shell"
position = {{ shares = 400, cost = 2450 }}
[quotes]
providers = ["yahoo", "finnhub"]
[providers.finnhub]
api_key = "{KEY}"
[portfolio]
currency = "EUR"
"#
    );
    let mut s = state_at(&text, "2025-01-27T16:05:00-05:00");
    let now = s.now;
    let quote = |symbol: &str, price: f64, prev: f64, currency: &str, provider: &str, offset: i32| {
        let mut q = Quote::bare(symbol, price, provider, now.to_utc());
        q.previous_close = Some(prev);
        q.currency = Some(currency.into());
        q.market_time = Some(now.to_utc() - chrono::Duration::minutes(5));
        q.utc_offset = chrono::FixedOffset::east_opt(offset);
        q
    };
    for q in [
        quote("NVDA", 118.42, 142.62, "USD", "finnhub", -5 * 3600),
        quote("BTC-USD", 98012.34, 102140.0, "USD", "coinbase", 0),
        quote("SHEL.L", 2600.0, 2650.0, "GBp", "yahoo", 0),
        quote("USDEUR=X", 0.9612, 0.958, "EUR", "yahoo", 0),
        quote("GBPEUR=X", 1.1875, 1.1893, "EUR", "yahoo", 0),
    ] {
        on_event(&mut s, common::fetched(q));
    }
    let screen = lines(&s, 150, 14).join("\n");
    assert!(screen.contains("ALERT post finnhub"), "{screen}");
    assert!(screen.contains("warn  24h"), "{screen}");
    assert!(screen.contains("positions in EUR 76,528.5"), "{screen}");
}

/// The status line through a handover: Yahoo's socket drops, Finnhub's is
/// tried, then serves, and the line says which one does.
#[test]
fn the_status_line_follows_a_handover() {
    let text = format!(
        "{ONE}[quotes]\nproviders = [\"yahoo\", \"finnhub\"]\n[providers.finnhub]\napi_key = \"{KEY}\"\n"
    );
    let mut s = state_at(&text, "2025-01-27T15:00:00-05:00");
    let last = |s: &State| lines(s, 160, 20).pop().unwrap_or_default();
    on_event(
        &mut s,
        Event::Streamed(Box::new(StreamEvent::Live(Socket::Yahoo))),
    );
    assert!(last(&s).contains("stream live · 0 ticks/s"), "{}", last(&s));
    let handover = StreamEvent::Handover {
        from: Socket::Yahoo,
        to: Socket::Finnhub,
        why: "connection reset".into(),
    };
    on_event(&mut s, Event::Streamed(Box::new(handover)));
    assert!(
        last(&s).contains("stream: yahoo down (connection reset), trying finnhub"),
        "{}",
        last(&s)
    );
    on_event(
        &mut s,
        Event::Streamed(Box::new(StreamEvent::Live(Socket::Finnhub))),
    );
    assert!(last(&s).contains("stream live (finnhub)"), "{}", last(&s));
    on_event(
        &mut s,
        Event::Streamed(Box::new(StreamEvent::Live(Socket::Yahoo))),
    );
    assert!(last(&s).contains("stream live · "), "back on Yahoo: {}", last(&s));
}
