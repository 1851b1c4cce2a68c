//! Signals in `once` against the loopback server: a gap, and a move apart from
//! a benchmark that no row shows but that is priced to measure against.

mod common;

use common::{Server, config_text, market_day, run, stdout, write_config};

#[test]
fn once_gives_each_quote_its_signals_and_prices_the_benchmark_unlisted() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let extra = "[symbol.\"AAPL\"]\nbenchmark = \"^NDX\"\n";
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], extra));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let symbols: Vec<&str> = json["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(symbols, ["NVDA", "AAPL"], "the benchmark is no row");
    assert_eq!(
        common::quote(&json, "NVDA")["signals"],
        serde_json::json!([{"kind": "gap", "value": -12.49, "text": "opened -12.49% from the close"}])
    );
    assert_eq!(
        common::quote(&json, "AAPL")["signals"],
        serde_json::json!([{"kind": "relative", "value": 6.08, "text": "+6.1 pts vs ^NDX"}])
    );
    assert_eq!(
        server.count("/yahoo/v8/finance/chart/%5ENDX") + server.count("/yahoo/v8/finance/chart/^NDX"),
        1
    );
    let table = stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("NVDA") && l.contains("ALERT GAP")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("AAPL") && l.contains(" REL ")),
        "{table}"
    );
}

/// The daily bars behind the volume signal, from the loopback server: the
/// session under way is left out of the average.
#[tokio::test]
async fn the_usual_volume_is_the_average_of_the_last_complete_sessions() {
    use tickwire::config::{ConfigOrigin, parse};
    let server = Server::start();
    let today = 1_737_988_200_i64; // 27 Jan 2025 09:30 New York
    let stamps: Vec<i64> = (1..=21)
        .rev()
        .map(|d| today - d * 86_400)
        .chain([today])
        .collect();
    let mut volumes: Vec<u64> = vec![200_000_000; 20];
    volumes.insert(0, 1); // the 21st session back falls outside the twenty
    volumes.push(818_830_938); // today's, left out
    let body = serde_json::json!({"chart": {"result": [{
        "meta": {"symbol": "NVDA", "dataGranularity": "1d", "range": "3mo",
                 "currentTradingPeriod": {"regular": {"start": today, "end": today + 23_400}}},
        "timestamp": stamps,
        "indicators": {"quote": [{"volume": volumes}]}}], "error": null}});
    server.route(
        "/yahoo/v8/finance/chart/NVDA?range=3mo&interval=1d",
        common::Reply::new(200, "application/json", body.to_string()),
    );
    let config = parse(&config_text(&server.base, &["NVDA"], ""), ConfigOrigin::Embedded).unwrap();
    let http = tickwire::source::Http::new(&config.general).unwrap();
    let base = reqwest::Url::parse(&format!("{}/yahoo", server.base)).unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    let avg = tickwire::source::usual::fetch(&http, &base, "NVDA", deadline)
        .await
        .unwrap();
    assert_eq!(avg, 200_000_000.0);
    // Intraday bars at that address (a server that ignores the query) are refused.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    server.route(
        "/yahoo/v8/finance/chart/AAPL",
        common::Reply::fixture(200, "yahoo/aapl.json"),
    );
    let err = tickwire::source::usual::fetch(&http, &base, "AAPL", deadline)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("expected daily bars, got 5m"), "{err}");
}

/// `once --per-symbol` asks for the daily bars behind the volume signal; with a
/// cache, a later `once` uses what it kept (under a day old) without asking.
#[test]
fn once_has_the_volume_signal_when_asked_for_per_symbol_requests_and_then_from_the_cache() {
    let server = Server::start();
    market_day(&server);
    let stamps: Vec<i64> = (1..=20).map(|d| 1_737_988_200 - d * 86_400).collect();
    let body = serde_json::json!({"chart": {"result": [{
        "meta": {"dataGranularity": "1d", "currentTradingPeriod": {"regular": {"start": 1_737_988_200}}},
        "timestamp": stamps, "indicators": {"quote": [{"volume": vec![200_000_000u64; 20]}]}}]}});
    let daily = "/yahoo/v8/finance/chart/NVDA?range=3mo&interval=1d";
    server.route(
        daily,
        common::Reply::new(200, "application/json", body.to_string()),
    );
    let tmp = tempfile::tempdir().unwrap();
    let extra = format!(
        "[signals]\nvolume = true\n[news]\n[providers.yahoo_news]\nbase_url = \"{0}/yn\"\n[providers.sec]\nbase_url = \"{0}/sec\"\n",
        server.base
    );
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], &extra));
    let cache = tmp.path().join("cache.db");
    let once = |args: &[&str]| -> serde_json::Value {
        let mut argv = vec![
            "-c",
            cfg.to_str().unwrap(),
            "--cache",
            cache.to_str().unwrap(),
            "once",
            "--json",
        ];
        argv.extend(args);
        serde_json::from_slice(&run(tmp.path(), &argv).stdout).unwrap()
    };
    let vol = |json: &serde_json::Value| {
        common::quote(json, "NVDA")["signals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "volume")
            .cloned()
    };
    assert_eq!(vol(&once(&[])), None, "no daily bars unless asked");
    let requests = |s: &Server| s.requests().iter().filter(|r| r.target == daily).count();
    assert_eq!(requests(&server), 0);
    let asked = once(&["--per-symbol"]);
    // 818,830,938 over a usual 200,000,000 for the whole (closed) session.
    assert_eq!(vol(&asked).unwrap()["value"], 4.09);
    assert_eq!(requests(&server), 1);
    let cached = once(&[]);
    assert_eq!(vol(&cached).unwrap()["text"], "volume 4.1x the usual by now");
    assert_eq!(requests(&server), 1, "the cache's average, not a second request");
}

/// The 52-week extremes from the chart answer's meta, over the loopback server.
#[test]
fn once_says_a_price_is_at_its_52_week_low_or_high() {
    let server = Server::start();
    market_day(&server);
    let mut nvda: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::server::fixtures_dir().join("yahoo/nvda.json")).unwrap(),
    )
    .unwrap();
    // As if 118.42 had been the lowest close of a year: the meta's low is the day's.
    nvda["chart"]["result"][0]["meta"]["fiftyTwoWeekLow"] = serde_json::json!(118.42);
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        common::Reply::new(200, "application/json", nvda.to_string()),
    );
    let mut aapl: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::server::fixtures_dir().join("yahoo/aapl.json")).unwrap(),
    )
    .unwrap();
    aapl["chart"]["result"][0]["meta"]["fiftyTwoWeekHigh"] = serde_json::json!(229.0);
    server.route(
        "/yahoo/v8/finance/chart/AAPL",
        common::Reply::new(200, "application/json", aapl.to_string()),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], ""));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds = |sym: &str| -> Vec<String> {
        common::quote(&json, sym)["signals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds("NVDA"), ["low52", "gap"]);
    assert_eq!(kinds("AAPL"), ["high52"]);
    assert_eq!(
        common::quote(&json, "AAPL")["signals"][0]["text"],
        "at the 52-week high (229.00)"
    );
}
