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
