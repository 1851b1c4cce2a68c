//! Extended hours from both providers: the real captures in ../shared/corpus (read
//! in place; skipped with a message where the corpus is absent) must give the
//! providers' own published figures, and fixtures of our own cover a pre-market
//! fall, an after-hours fall after a flat day, a day without extended bars and
//! a null last bar, end to end through `once`.

mod common;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use common::{Reply, Server, quote, write_config};
use reqwest::Url;
use serde_json::Value;
use tickwire::model::{ExtendedSession, Quote};
use tickwire::source::provider::{self, Provider};

fn corpus(rel: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!(
                "skipped: {} is absent (the shared corpus is not beside this clone)",
                path.display()
            );
            None
        }
    }
}

fn parse(provider: &str, symbol: &str, body: &[u8]) -> Quote {
    let p: Box<dyn Provider> = provider::build(provider, Url::parse("http://127.0.0.1:1/").unwrap()).unwrap();
    let now = DateTime::parse_from_rfc3339("2021-11-23T02:00:00Z")
        .unwrap()
        .to_utc();
    p.parse(symbol, body, now)
        .unwrap_or_else(|e| panic!("{symbol}: {e}"))
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn yahoo_tsla_after_hours_from_the_chart_days_periods() {
    let Some(body) = corpus("yahoo/TSLA.json") else {
        return;
    };
    let q = parse("yahoo", "TSLA", &body);
    assert_eq!(q.price, 1156.87);
    assert_eq!(q.previous_close, Some(1137.06));
    assert!(close(q.change().unwrap(), 19.81, 1e-9));
    // currentTradingPeriod already names 23 Nov; tradingPeriods is the chart's day.
    let periods = q.periods.unwrap();
    assert_eq!(periods.regular, (1_637_591_400, 1_637_614_800));
    // The session's open: the first regular bar's, not the pre-market's.
    assert!(close(q.open.unwrap(), 1162.33, 0.001), "{:?}", q.open);
    assert_eq!(periods.post, Some((1_637_614_800, 1_637_629_200)));
    let e = q.extended.expect("the 18:30 after-hours bar");
    assert_eq!(e.session, ExtendedSession::Post);
    assert!(close(e.price, 1156.49, 1e-9));
    assert_eq!(e.time.to_rfc3339(), "2021-11-22T23:30:00+00:00");
    let (change, pct) = q.extended_change().unwrap();
    assert!(close(change, -0.38, 1e-9), "{change}");
    assert!(close(pct, -0.0328, 0.0001), "{pct}");
    // The day's high and low are the regular session's, not the pre-market's 09:00 bar.
    assert!(q.day_high.unwrap() <= 1192.69 + 1e-6);
}

#[test]
fn yahoo_captures_without_extended_trades() {
    for (file, symbol, previous) in [
        ("yahoo/^TNX.json", "^TNX", Some(4.227)),
        ("yahoo/QQQ.json", "QQQ", Some(212.61)),
        ("yahoo/OCDO.L.json", "OCDO.L", Some(1279.0)),
        ("yahoo/INR=X.json", "INR=X", Some(64.6117)),
    ] {
        let Some(body) = corpus(file) else { return };
        let q = parse("yahoo", symbol, &body);
        assert_eq!(q.extended, None, "{symbol}");
        assert_eq!(q.previous_close, previous, "{symbol}");
    }
}

/// A Nasdaq figure as published: "$267.85", "0.75" with "down", "0.28%".
fn published(trade: &Value, key: &str) -> (f64, f64) {
    let text = trade[key].as_str().unwrap();
    let digits = text
        .rsplit('.')
        .next()
        .map_or(0, |d| d.trim_end_matches('%').len());
    let value: f64 = text
        .trim_start_matches('$')
        .trim_end_matches('%')
        .replace(',', "")
        .parse()
        .unwrap();
    let sign = if trade["deltaIndicator"] == "down" && key != "lastSalePrice" {
        -1.0
    } else {
        1.0
    };
    // Half a unit of the last digit shown, and a hair for the float.
    (sign * value, 0.5 * 10f64.powi(-(digits as i32)) + 1e-9)
}

#[test]
fn nasdaq_in_all_four_states_gives_its_own_figures() {
    for state in ["premarket", "open", "afterhours", "closed"] {
        let Some(body) = corpus(&format!("nasdaq/AAPL-{state}.json")) else {
            return;
        };
        let json: Value = serde_json::from_slice(&body).unwrap();
        let data = &json["data"];
        let q = parse("nasdaq", "AAPL", &body);
        let extended = !data["secondaryData"].is_null();
        let regular = if extended {
            &data["secondaryData"]
        } else {
            &data["primaryData"]
        };
        for (key, ours) in [
            ("lastSalePrice", q.price),
            ("netChange", q.change().unwrap()),
            ("percentageChange", q.change_pct().unwrap()),
        ] {
            let (theirs, tolerance) = published(regular, key);
            assert!(
                close(ours, theirs, tolerance),
                "{state} regular {key}: {ours} vs {theirs}"
            );
        }
        let volume = data["keyStats"]["Volume"]["value"]
            .as_str()
            .unwrap()
            .replace(',', "");
        assert_eq!(
            q.volume,
            Some(volume.parse().unwrap()),
            "{state}: volume from keyStats"
        );
        if !extended {
            assert_eq!(q.extended, None, "{state}");
            continue;
        }
        let e = q.extended.expect(state);
        let (change, pct) = q.extended_change().unwrap();
        let primary = &data["primaryData"];
        for (key, ours) in [
            ("lastSalePrice", e.price),
            ("netChange", change),
            ("percentageChange", pct),
        ] {
            let (theirs, tolerance) = published(primary, key);
            assert!(
                close(ours, theirs, tolerance),
                "{state} extended {key}: {ours} vs {theirs}"
            );
        }
        let (session, at) = match state {
            "premarket" => (ExtendedSession::Pre, "2019-11-19T14:27:00+00:00"),
            _ => (ExtendedSession::Post, "2019-11-19T21:31:00+00:00"),
        };
        assert_eq!(e.session, session);
        assert_eq!(e.time.to_rfc3339(), at);
    }
}

#[test]
fn nasdaq_falling_stock_without_a_previous_close_points_down() {
    let body = br#"{"data":{"symbol":"NVDA","companyName":"NVIDIA","marketStatus":"Market Closed",
        "primaryData":{"lastSalePrice":"$118.42","netChange":"24.20","percentageChange":"16.97%",
        "deltaIndicator":"down","lastTradeTimestamp":"DATA AS OF Jan 27, 2025"},"secondaryData":null,
        "keyStats":{}},"message":null,"status":{"rCode":200}}"#;
    let q = parse("nasdaq", "NVDA", body);
    assert!(close(q.previous_close.unwrap(), 142.62, 1e-9));
    assert!(close(q.change_pct().unwrap(), -16.968, 0.001));
}

/// `once --json` for one symbol served from `fixture`, with `extra` config.
fn once(fixture: &str, symbol: &str, extra: &str) -> (Value, String) {
    let server = Server::start();
    server.route(
        &format!("/yahoo/v8/finance/chart/{symbol}"),
        Reply::fixture(200, fixture),
    );
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &common::config_text(&server.base, &[symbol], extra));
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&out)));
    let text = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]);
    (quote(&json, symbol).clone(), common::stdout(&text))
}

#[test]
fn a_pre_market_fall_is_flagged_before_the_open() {
    let (q, text) = once("yahoo/premarket_fall.json", "NVDA", "");
    assert_eq!(q["price"], 142.62, "the regular price is still Friday's close");
    assert_eq!(q["change_pct"], 0.0);
    let e = &q["extended"];
    assert_eq!(e["session"], "pre");
    assert_eq!(e["price"], 128.59);
    assert_eq!(e["change_pct"], -9.837);
    assert_eq!(e["time"], "2025-01-27T10:10:00Z");
    // NVDA's own thresholds in the test config: warn at 5%, alert at 10%.
    assert_eq!(q["flag"], "warn");
    assert!(text.contains("pre-market 128.59 -9.84%"), "{text}");
}

#[test]
fn an_after_hours_fall_after_a_flat_day_alerts_from_the_extended_part_alone() {
    let (q, _) = once("yahoo/afterhours_fall.json", "SMCI", "");
    assert_eq!(q["change_pct"], 0.0);
    assert_eq!(q["extended"]["session"], "post");
    assert_eq!(q["extended"]["change_pct"], -15.0);
    assert_eq!(q["flag"], "alert");
    let (q, _) = once(
        "yahoo/afterhours_fall.json",
        "SMCI",
        "[alerts]\nextended_hours = false\n",
    );
    assert_eq!(q["extended"]["change_pct"], -15.0, "still shown");
    assert_eq!(q["flag"], "none", "but only regular moves flag");
}

#[test]
fn a_day_without_extended_bars_has_no_extended_part() {
    let (q, _) = once("yahoo/no_extended.json", "ARKK", "");
    assert_eq!(q["extended"], Value::Null);
    assert_eq!(q["price"], 60.3);
}

#[test]
fn a_null_last_bar_leaves_the_newest_trade() {
    let (q, _) = once("yahoo/null_last_bar.json", "SMCI", "");
    assert_eq!(q["extended"]["price"], 88.5);
    assert_eq!(q["extended"]["time"], "2025-01-27T21:25:00Z");
}

#[test]
fn the_alert_says_which_session_crossed_the_line() {
    use tickwire::config::{ConfigOrigin, parse};
    let body = std::fs::read(common::server::fixtures_dir().join("yahoo/premarket_fall.json")).unwrap();
    let q = parse_quote(&body);
    let config = parse(
        "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\"]\n",
        ConfigOrigin::Embedded,
    )
    .unwrap();
    let now: DateTime<Utc> = q.extended.unwrap().time;
    let mut state = tickwire::state::State::new(std::sync::Arc::new(config), 0, now.fixed_offset());
    let out = tickwire::update::on_event(&mut state, common::fetched(q));
    let announced: Vec<_> = out
        .commands
        .iter()
        .filter_map(|c| match c {
            tickwire::action::Command::Announce(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(announced.len(), 1);
    assert_eq!(announced[0].session, Some(ExtendedSession::Pre));
    assert!(close(announced[0].change_pct, -9.837, 0.001));
    assert_eq!(announced[0].price, 128.59);
    let (sym, moved) = state.alerts()[0];
    assert_eq!((sym, moved.session), ("NVDA", Some(ExtendedSession::Pre)));
}

fn parse_quote(body: &[u8]) -> Quote {
    let p = provider::build("yahoo", Url::parse("http://127.0.0.1:1/").unwrap()).unwrap();
    p.parse("NVDA", body, Utc::now()).unwrap()
}
