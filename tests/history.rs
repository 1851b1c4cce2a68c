//! `tickwire history` against the loopback server: JSON, CSV, the table, and
//! what it refuses.

mod common;

use common::{Reply, Server, config_text, run, stderr, stdout, write_config};

/// A year of daily bars of our own: three sessions, a split, a dividend.
fn answer() -> String {
    serde_json::json!({"chart": {"result": [{
        "meta": {"currency": "USD", "symbol": "NVDA", "dataGranularity": "1d", "range": "1y"},
        "timestamp": [1_718_026_200, 1_718_112_600, 1_718_199_000],
        "events": {
            "splits": {"1718026200": {"date": 1_718_026_200, "numerator": 10, "denominator": 1, "splitRatio": "10:1"}},
            "dividends": {"1718112600": {"amount": 0.01, "date": 1_718_112_600}}
        },
        "indicators": {
            "quote": [{"open": [120.37, 121.77, 123.1], "high": [123.1, 122.87, 123.5],
                       "low": [117.01, 118.74, 121.0], "close": [121.79, 120.91, null],
                       "volume": [314_162_700, 222_551_200, 0]}],
            "adjclose": [{"adjclose": [121.77, 120.89, null]}]
        }}], "error": null}})
    .to_string()
}

fn setup(server: &Server) -> (tempfile::TempDir, std::path::PathBuf) {
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(200, "application/json", answer()),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], ""));
    (tmp, cfg)
}

#[test]
fn history_prints_json_csv_and_a_summary() {
    let server = Server::start();
    let (tmp, cfg) = setup(&server);
    let c = cfg.to_str().unwrap();
    let out = run(tmp.path(), &["-c", c, "history", "nvda", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            json["symbol"].as_str(),
            json["range"].as_str(),
            json["interval"].as_str()
        ),
        (Some("NVDA"), Some("1y"), Some("1d"))
    );
    assert_eq!(
        json["bars"].as_array().unwrap().len(),
        2,
        "the bar without a close is left out"
    );
    assert_eq!(json["bars"][0]["time"], "2024-06-10T13:30:00Z");
    assert_eq!(json["bars"][0]["adj_close"], 121.77);
    assert_eq!(json["splits"][0]["numerator"], 10.0);
    assert_eq!(json["dividends"][0]["amount"], 0.01);
    let asked = &server.requests()[0].target;
    assert!(
        asked.contains("range=1y")
            && asked.contains("interval=1d")
            && asked.contains("events=div%2Csplits%2CcapitalGains"),
        "{asked}"
    );

    let csv = stdout(&run(
        tmp.path(),
        &["-c", c, "history", "NVDA", "--range", "5y", "--csv"],
    ));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time,open,high,low,close,adj_close,volume"));
    assert_eq!(
        lines.next(),
        Some("2024-06-10T13:30:00Z,120.37,123.1,117.01,121.79,121.77,314162700")
    );
    assert!(
        server.requests()[1].target.contains("interval=1wk"),
        "5y fits weekly bars"
    );

    let text = stdout(&run(tmp.path(), &["-c", c, "history", "NVDA"]));
    assert!(
        text.starts_with("NVDA 1y (2 bars of 1d) · 121.79 → 120.91 -0.72%"),
        "{text}"
    );
    assert!(text.contains("split 10:1 on 2024-06-10"), "{text}");
}

#[test]
fn history_refuses_what_it_cannot_ask_and_says_what_failed() {
    let server = Server::start();
    let (tmp, cfg) = setup(&server);
    let c = cfg.to_str().unwrap();
    let bad = run(tmp.path(), &["-c", c, "history", "NVDA", "--range", "2w"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown range \"2w\""), "{}", stderr(&bad));
    let bad = run(tmp.path(), &["-c", c, "history", "NVDA", "--interval", "7m"]);
    assert_eq!(bad.status.code(), Some(2));
    server.route(
        "/yahoo/v8/finance/chart/ZZZZ",
        Reply::fixture(404, "yahoo/not_found.json"),
    );
    let gone = run(tmp.path(), &["-c", c, "history", "ZZZZ"]);
    assert_eq!(gone.status.code(), Some(1));
    assert!(stderr(&gone).contains("ZZZZ: No data found"), "{}", stderr(&gone));
    assert_eq!(server.requests().len(), 1, "nothing asked for what was refused");
    let demo = run(tmp.path(), &["--demo", "history", "NVDA"]);
    assert_eq!(demo.status.code(), Some(2));
}
