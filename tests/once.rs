//! `tickwire once` end to end: the real binary against a local server.

mod common;

use std::time::{Duration, Instant};

use common::{Behaviour, Reply, Server, config_text, market_day, quote, write_config};
use serde_json::Value;

fn once_json(server: &Server, symbols: &[&str], extra_args: &[&str]) -> (Value, Option<i32>) {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, symbols, ""));
    let mut args = vec!["-c", cfg.to_str().unwrap(), "once", "--json"];
    args.extend_from_slice(extra_args);
    let out = common::run(tmp.path(), &args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} / {}", common::stdout(&out), common::stderr(&out)));
    (json, out.status.code())
}

#[test]
fn the_27_jan_snapshot() {
    let server = Server::start();
    market_day(&server);
    let (json, code) = once_json(&server, &["NVDA", "AAPL", "NOPE"], &[]);
    assert_eq!(code, Some(0));
    assert_eq!(json["watchlist"], "AI shock");
    let nvda = quote(&json, "NVDA");
    assert_eq!(nvda["name"], "NVIDIA");
    assert_eq!(nvda["price"], 118.42);
    assert_eq!(nvda["previous_close"], 142.62);
    assert_eq!(nvda["change"], -24.2);
    assert_eq!(nvda["change_pct"], -16.968);
    assert_eq!(nvda["flag"], "alert");
    assert_eq!(nvda["day_high"], 128.4);
    assert_eq!(nvda["day_low"], 116.7);
    assert_eq!(nvda["volume"], 818_830_938);
    assert_eq!(nvda["currency"], "USD");
    assert_eq!(nvda["market_time"], "2025-01-27T21:00:00Z");
    assert_eq!(nvda["market_value_change"], -592_658_000_000.0);
    assert_eq!(nvda["provider"], "yahoo");
    assert_eq!(nvda["stale"], false);
    assert_eq!(nvda["error"], Value::Null);

    let aapl = quote(&json, "AAPL");
    assert_eq!(aapl["change_pct"], 3.178);
    assert_eq!(aapl["flag"], "none");
    assert!(
        aapl["market_value_change"].is_null() && aapl["market_value_currency"].is_null(),
        "no shares_outstanding: null, as every other unknown"
    );
    assert_eq!(nvda["market_value_currency"], "USD");

    let nope = quote(&json, "NOPE");
    assert_eq!(nope["price"], Value::Null);
    assert_eq!(nope["flag"], "none");
    assert_eq!(
        nope["error"],
        "yahoo: HTTP 404 Not Found: No data found, symbol may be delisted; nasdaq: Symbol not exists."
    );

    let sources = json["sources"].as_array().unwrap();
    let names: Vec<&str> = sources.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["yahoo NVDA", "yahoo AAPL", "yahoo NOPE", "nasdaq NOPE"]);
    assert_eq!(sources[0]["kind"], "quote");
    assert_eq!(sources[0]["ok"], true);
    assert_eq!(sources[0]["items"], 1);
    assert_eq!(sources[2]["ok"], false);
    assert!(json["generated_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn fail_on_alert_exits_3_only_with_an_alert() {
    let server = Server::start();
    market_day(&server);
    assert_eq!(
        once_json(&server, &["NVDA", "AAPL"], &["--fail-on-alert"]).1,
        Some(3)
    );
    assert_eq!(once_json(&server, &["AAPL"], &["--fail-on-alert"]).1, Some(0));
}

#[test]
fn nothing_priced_at_all_exits_1_with_the_reasons() {
    let server = Server::start();
    market_day(&server);
    let (json, code) = once_json(&server, &["NOPE"], &[]);
    assert_eq!(code, Some(1));
    assert!(quote(&json, "NOPE")["error"].as_str().unwrap().contains("404"));
}

#[test]
fn a_hanging_server_does_not_hold_once_past_the_timeout() {
    let server = Server::start();
    market_day(&server);
    let hang = Behaviour::Hang(Duration::from_secs(60));
    server
        .route(
            "/yahoo/v8/finance/chart/TSM",
            Reply::fixture(200, "yahoo/nvda.json").behave(hang.clone()),
        )
        .route(
            "/nasdaq/api/quote/TSM/info",
            Reply::fixture(200, "nasdaq/nvda.json").behave(hang),
        );
    let started = Instant::now();
    // config_text sets timeout = "2s" and the server hangs for 60 s. The bound is
    // structural (one deadline for the round); the margin here is for a busy machine.
    let (json, _) = once_json(&server, &["NVDA", "TSM"], &[]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(6), "once took {took:?}");
    assert_eq!(
        quote(&json, "NVDA")["price"],
        118.42,
        "the good source is unaffected"
    );
    assert_eq!(
        quote(&json, "TSM")["error"],
        "yahoo: timed out after 2s; nasdaq: timed out after 2s"
    );
}

#[test]
fn the_text_form_is_an_aligned_table_without_colour_off_a_terminal() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA", "AAPL", "NOPE"], ""),
    );
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]);
    let text = common::stdout(&out);
    assert!(
        !text.contains('\x1b'),
        "no escape codes when stdout is a pipe: {text:?}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("AI shock · "));
    assert!(lines[1].starts_with("SYMBOL  NAME"));
    let price_end = lines[1].find("PRICE").unwrap() + "PRICE".len();
    let nvda = lines.iter().find(|l| l.starts_with("NVDA")).unwrap();
    assert_eq!(
        &nvda[price_end - 6..price_end],
        "118.42",
        "prices right-aligned under PRICE: {text}"
    );
    assert!(nvda.contains("-16.97%") && nvda.contains("ALERT"), "{nvda}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("NOPE") && l.contains("error: yahoo: HTTP 404"))
    );
}

#[test]
fn watchlist_option_picks_the_snapshot() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], ""));
    let out = common::run(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "-w", "indices", "once", "--json"],
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["watchlist"], "Indices");
    assert_eq!(json["quotes"][0]["symbol"], "^NDX");
    assert_eq!(json["quotes"][0]["volume"], Value::Null);
}

#[test]
fn completions_are_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stdout(&out).contains("_tickwire()"));
}

/// A provider's text carrying terminal sequences: an OSC 0 (window title) in the
/// name, an OSC 52 (clipboard write) in the currency and in an error.
fn hostile(server: &Server) {
    let fixtures = common::server::fixtures_dir();
    let aapl = std::fs::read_to_string(fixtures.join("yahoo/aapl.json")).unwrap();
    let aapl = aapl
        .replace(
            r#""longName":"Apple Inc.""#,
            r#""longName":"Apple\u001b]0;pwned\u0007 Inc.""#,
        )
        .replace(
            r#""currency":"USD""#,
            r#""currency":"US\u001b]52;c;ZXZpbA==\u0007D""#,
        );
    let missing = r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"gone\u001b]52;c;ZXZpbA==\u0007 for good\u009b2J"}}}"#;
    server
        .route(
            "/yahoo/v8/finance/chart/AAPL",
            Reply::new(200, "application/json", aapl),
        )
        .route(
            "/yahoo/v8/finance/chart/NOPE",
            Reply::new(404, "application/json", missing),
        )
        .route(
            "/nasdaq/api/quote/NOPE/info",
            Reply::fixture(200, "nasdaq/unknown.json"),
        );
}

#[test]
fn provider_text_never_reaches_the_terminal_raw() {
    let server = Server::start();
    hostile(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["AAPL", "NOPE"], ""));
    for json in [true, false] {
        let mut args = vec!["-c", cfg.to_str().unwrap(), "once"];
        if json {
            args.push("--json");
        }
        let out = common::run(tmp.path(), &args);
        let text = common::stdout(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(
            !text.contains("]0;") && !text.contains("]52;"),
            "remains of a sequence: {text}"
        );
        assert!(text.contains("gone for good"), "{text}");
        if json {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(quote(&v, "AAPL")["currency"], "USD");
            assert_eq!(quote(&v, "AAPL")["name"], "Apple Inc.");
        }
    }
}

#[test]
fn headlines_naming_the_company_link_to_its_ticker() {
    let server = Server::start();
    common::market_day_with_feed(&server);
    let tmp = tempfile::tempdir().unwrap();
    // No keywords anywhere: only the providers' names ("NVIDIA Corporation",
    // "Apple Inc.") can link these.
    let text = config_text(
        &server.base,
        &["NVDA", "AAPL"],
        &common::rss_feed(&server, "Market Desk"),
    );
    let cfg = write_config(tmp.path(), &text);
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let symbols = |prefix: &str| -> Vec<String> {
        let h = json["headlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["title"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}"));
        serde_json::from_value(h["symbols"].clone()).unwrap()
    };
    assert_eq!(symbols("Nvidia sheds"), ["NVDA"]);
    assert_eq!(symbols("Apple rises"), ["AAPL"]);
    assert!(symbols("DeepSeek limits").is_empty());
}

/// A feed that dates its items years ahead once kept every other feed's news out.
#[test]
fn a_feed_dated_in_the_future_cannot_push_out_the_others() {
    let server = Server::start();
    let item = |title: &str, date: &str| {
        format!(
            "<item><title>{title}</title><link>https://x.example.com/{title}</link><pubDate>{date}</pubDate></item>"
        )
    };
    let future: String = (0..3)
        .map(|i| item(&format!("future{i}"), "Fri, 01 Jan 2100 00:00:00 GMT"))
        .collect();
    // An hour ahead: a clock a little off is believed, a year ahead is not.
    let now = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc2822();
    let fresh: String = (0..2).map(|i| item(&format!("fresh{i}"), &now)).collect();
    for (path, items) in [("/future", future), ("/fresh", fresh)] {
        let body = format!("<rss version=\"2.0\"><channel><title>{path}</title>{items}</channel></rss>");
        server.route(path, Reply::new(200, "application/rss+xml", body));
    }
    let tmp = tempfile::tempdir().unwrap();
    market_day(&server);
    let feeds = format!(
        "[[feed]]\nname = \"Future\"\nurl = \"{0}/future\"\n[[feed]]\nname = \"Fresh\"\nurl = \"{0}/fresh\"\n",
        server.base
    );
    let text =
        config_text(&server.base, &["NVDA"], &feeds).replace("[general]\n", "[general]\nmax_headlines = 3\n");
    let cfg = write_config(tmp.path(), &text);
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&out)));
    let titles: Vec<&str> = json["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().filter(|t| t.starts_with("fresh")).count() >= 1,
        "{titles:?}"
    );
}

/// The running log rotates, not only its type: a log at its size limit becomes
/// tickwire.log.1 at the next line, and the new file starts small.
#[test]
fn the_running_log_rotates_at_its_size_limit() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("tickwire.log");
    let full = "x".repeat(99) + "\n";
    std::fs::write(&log, full.repeat(50_000)).unwrap(); // 5,000,000 bytes: the limit
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], ""));
    let out = common::run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
            "-v",
            "once",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let rotated = tmp.path().join("tickwire.log.1");
    assert_eq!(std::fs::metadata(&rotated).map(|m| m.len()).ok(), Some(5_000_000));
    let fresh = std::fs::read_to_string(&log).unwrap();
    assert!(
        !fresh.is_empty() && fresh.len() < 100_000,
        "{} bytes",
        fresh.len()
    );
    assert!(!fresh.contains("xxxx"), "the new file holds only new lines");
}

/// A host that cannot be reached is known for the rest of the run: the other
/// requests to it fail at once with the same cause instead of each trying again
/// (with DNS failing, a 1,000-feed run took 25 s).
#[test]
fn an_unreachable_host_is_asked_once_not_once_per_symbol() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let symbols = [
        "NVDA", "AAPL", "AVGO", "TSM", "ASML", "ARM", "MSFT", "AMD", "MU", "INTC", "QCOM", "TXN",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&base, &symbols, ""));
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&out)));
    for s in symbols {
        let error = quote(&json, s)["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains("connection failed"), "{s}: {error}");
        assert!(error.contains("not asked again"), "{s}: {error}");
    }
}

/// The text output keeps no summaries (it never shows them), but a company
/// named only in a summary still links its headline: names link first.
#[test]
fn the_text_output_links_a_company_named_only_in_a_summary() {
    let server = Server::start();
    common::market_day(&server);
    let feed = "<rss version=\"2.0\"><channel><title>Desk</title><item><title>Rotation out of chips \
        continues</title><link>https://x.example.com/rotation</link><pubDate>Mon, 27 Jan 2025 18:00:00 GMT</pubDate>\
        <description>Shares of Apple climbed as investors left AI hardware.</description></item></channel></rss>";
    server.route("/desk", Reply::new(200, "application/rss+xml", feed));
    let tmp = tempfile::tempdir().unwrap();
    let feeds = format!("[[feed]]\nname = \"Desk\"\nurl = \"{}/desk\"\n", server.base);
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], &feeds));
    let text = common::stdout(&common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    let line = text
        .lines()
        .find(|l| l.contains("Rotation out of chips"))
        .unwrap_or_default();
    assert!(line.ends_with("[AAPL]"), "{text}");
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["headlines"][0]["symbols"], serde_json::json!(["AAPL"]));
    assert_eq!(
        json["headlines"][0]["summary"], "Shares of Apple climbed as investors left AI hardware.",
        "the JSON keeps them"
    );
}
