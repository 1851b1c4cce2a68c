//! `tickwire history --json` over loopback for every shape the chart API
//! sends: intraday with pre/post, weekly, monthly with a month of nulls, a
//! fund with capital gains, a currency and a coin that trade on weekends.

mod common;

use common::{Reply, Server, config_text, run, stderr, write_config};

#[test]
fn every_shape_reads_its_bars_and_events() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], ""));
    for ((symbol, range, interval, body), bars, dividends, gains) in common::shapes::all() {
        let path = format!("/yahoo/v8/finance/chart/{}", symbol.replace('=', "%3D"));
        server.route(&path, Reply::new(200, "application/json", body));
        let args = [
            "-c",
            cfg.to_str().unwrap(),
            "history",
            symbol,
            "--range",
            range,
            "--json",
        ];
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{symbol}: {}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["interval"], interval, "{symbol}: the range's own interval");
        assert_eq!(json["bars"].as_array().unwrap().len(), bars, "{symbol}");
        assert_eq!(json["dividends"].as_array().unwrap().len(), dividends, "{symbol}");
        let got_gains = json
            .get("capital_gains")
            .and_then(|g| g.as_array())
            .map_or(0, Vec::len);
        assert_eq!(got_gains, gains, "{symbol}");
        let times: Vec<&str> = json["bars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["time"].as_str().unwrap())
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] < w[1]),
            "{symbol}: bars in time order"
        );
    }
    // The coin's Saturday and Sunday are bars like any other day.
    let out = run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "history",
            "BTC-USD",
            "--range",
            "5d",
            "--csv",
        ],
    );
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        csv.contains("2025-01-25T00:00:00Z,") && csv.contains("2025-01-26T00:00:00Z,"),
        "{csv}"
    );
    // The fund's capital gain is in the summary.
    let out = run(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "history", "VFIAX", "--range", "1mo"],
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("capital gain 0.43 on"), "{text}");
}

#[test]
fn a_back_test_without_a_recording_reads_each_days_worst_move_from_daily_bars() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, _, month) = common::shapes::month();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(200, "application/json", month),
    );
    server.route("/yahoo/v8/finance/chart/GONE", Reply::new(404, "application/json",
        r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#));
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "GONE"], ""));
    let c = cfg.to_str().unwrap();
    let out = run(
        tmp.path(),
        &["-c", c, "backtest", "--from-history", "--range", "1mo", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let crossings = json.as_array().unwrap();
    assert_eq!(crossings.len(), 1, "{json}");
    assert_eq!(crossings[0]["symbol"], "NVDA");
    assert_eq!(crossings[0]["level"], "alert");
    assert!(crossings[0]["change_pct"].as_f64().unwrap() < -20.0, "{json}");
    assert!(stderr(&out).contains("GONE: No data found"), "{}", stderr(&out));
    let asked = server
        .requests()
        .iter()
        .find(|r| r.target.contains("NVDA"))
        .unwrap()
        .target
        .clone();
    assert!(
        asked.contains("range=1mo") && asked.contains("interval=1d"),
        "{asked}"
    );
    let text = run(
        tmp.path(),
        &[
            "-c",
            c,
            "backtest",
            "--from-history",
            "--range",
            "1mo",
            "--warn",
            "25",
            "--alert",
            "30",
        ],
    );
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(
        text.contains("from daily bars (1mo)") && text.contains("0 alerts on 0 days"),
        "{text}"
    );
    let bad = run(
        tmp.path(),
        &["-c", c, "backtest", "--from-history", "--range", "5d"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown range \"5d\""), "{}", stderr(&bad));
}
