//! The index's list (Nasdaq's list endpoint) from a loopback server: breadth in
//! `once`, a bot wall, and the market view in the monitor.

mod common;

use common::pty::Pty;
use common::{Reply, Server, config_text, market_day, run, stdout, write_config};

const LIST: &str = "/nasdaq/api/quote/list-type/nasdaq100";

/// config_text's Nasdaq is the loopback server's: the list comes from it too.
const MARKET_ON: &str = "[market]\nindex = \"nasdaq100\"\n";

fn once_json(server: &Server) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA", "AAPL"], MARKET_ON);
    let cfg = write_config(tmp.path(), &text);
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

#[test]
fn once_gives_the_days_breadth_with_share_classes_unch_and_na() {
    let server = Server::start();
    market_day(&server);
    server.route(LIST, Reply::fixture(200, "nasdaq/list_nasdaq100.json"));
    let json = once_json(&server);
    let m = &json["market"];
    assert_eq!(m["index"], "nasdaq100");
    assert_eq!(
        (
            m["advancers"].as_u64(),
            m["decliners"].as_u64(),
            m["unchanged"].as_u64()
        ),
        (Some(1), Some(4), Some(1))
    );
    assert_eq!(m["constituents"], 7);
    assert_eq!(
        (m["down_warn"].as_u64(), m["down_alert"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(m["median_pct"], -3.295, "of -17.4, -16.97, -4, -2.59, 0, 3.18");
    let contributors = m["contributors"].as_array().unwrap();
    let order: Vec<&str> = contributors
        .iter()
        .map(|c| c["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["NVDA", "AVGO", "GOOGL", "INTC", "GOOG", "AAPL"],
        "NEWCO has no cap"
    );
    assert_eq!(contributors[0]["change_pct"], -16.97);
    assert!(m["est_index_pct"].as_f64().unwrap() < 0.0);
    assert_eq!(common::source(&json, "market")["ok"], true);
    assert_eq!(common::source(&json, "market")["items"], 7);
}

#[test]
fn a_bot_wall_is_the_lists_error_alone() {
    let server = Server::start();
    market_day(&server);
    server.route(LIST, Reply::fixture(403, "html_login.html"));
    let json = once_json(&server);
    assert_eq!(json["market"], serde_json::Value::Null);
    assert!(
        common::source(&json, "market")["error"]
            .as_str()
            .unwrap()
            .contains("403")
    );
    assert_eq!(common::quote(&json, "NVDA")["change_pct"], -16.968);
    server.route(LIST, Reply::fixture(200, "html_login.html"));
    let json = once_json(&server);
    assert!(
        common::source(&json, "market")["error"]
            .as_str()
            .unwrap()
            .contains("HTML page"),
        "{}",
        common::source(&json, "market")
    );
}

#[test]
fn the_strip_and_the_market_view_in_the_monitor() {
    let server = Server::start();
    market_day(&server);
    server.route(LIST, Reply::fixture(200, "nasdaq/list_nasdaq100.json"));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA", "AAPL"], MARKET_ON),
    );
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 100, 30);
    pty.wait_for("the breadth strip", 20, |s| {
        s.contents().contains("NDX ▼4 ▲1 · 2 ≤ -7%")
    });
    pty.send("M");
    pty.wait_for("the market view", 5, |s| s.contents().contains("Biggest drag"));
    // Heaviest first: AAPL is selected; the next is NVDA, which is watched.
    pty.send("j");
    pty.wait_for("NVDA selected", 5, |s| s.contents().contains("▶ NVDA"));
    pty.send("\r");
    pty.wait_for("NVDA's detail view", 5, |s| s.contents().contains("Prev close"));
    pty.send("\x1b");
    // Apart: "\x1bM" at once reads as Alt-M.
    pty.wait_for("the watchlist again", 5, |s| s.contents().contains("┌ AI shock"));
    pty.send("M");
    pty.wait_for("the market view again", 5, |s| {
        s.contents().contains("Biggest drag")
    });
    // The selection stayed on NVDA; GOOGL is the next heaviest.
    pty.send("j");
    pty.wait_for("GOOGL selected", 5, |s| s.contents().contains("▶ GOOGL"));
    // Not watched: Enter opens its detail view from the list's figures; Esc returns.
    pty.send("\r");
    pty.wait_for("GOOGL's detail view", 5, |s| {
        let t = s.contents();
        t.contains("(GOOGL)") && t.contains("Prev close   199.81") && t.contains("nasdaq list")
    });
    pty.send("\x1b");
    pty.wait_for("the market view after the detail view", 5, |s| {
        s.contents().contains("▶ GOOGL")
    });
    pty.send("a");
    pty.wait_for("GOOGL added", 10, |s| s.contents().contains("GOOGL added"));
    // The notice comes at once; the config task writes the file a moment later.
    pty.send("\x1b");
    pty.wait_for("GOOGL in the table", 10, |s| {
        s.contents().lines().any(|l| l.starts_with("│GOOGL"))
    });
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert!(saved.contains("\"GOOGL\""), "{saved}");
    pty.send("q");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}
