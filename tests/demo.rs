//! `--demo`: the replay of 27 January 2025, end to end and on its clock.

mod common;

use std::time::Duration;

use common::quote;
use reqwest::Url;
use serde_json::Value;
use tickwire::demo::{self, Clock, Replay, day::Day, serve};
use tickwire::model::{ExtendedSession, Level};
use tickwire::news::ingest::{self, FeedRef};
use tickwire::news::link::Linker;
use tickwire::source::provider;

fn once_demo(args: &[&str]) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    all.extend(["once", "--json"]);
    let out = common::run(tmp.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn once_demo_reports_the_close() {
    let json = once_demo(&[]);
    assert_eq!(json["generated_at"], "2025-01-27T21:00:00Z");
    let nvda = quote(&json, "NVDA");
    assert_eq!(nvda["price"], 118.42);
    assert_eq!(nvda["previous_close"], 142.62);
    assert_eq!(nvda["change_pct"], -16.968);
    assert_eq!(nvda["flag"], "alert");
    assert_eq!(nvda["day_high"], 128.4);
    assert_eq!(nvda["day_low"], 116.7);
    assert_eq!(nvda["volume"], 818_830_938);
    let lost = nvda["market_value_change"].as_f64().unwrap();
    assert!((lost - -592.658e9).abs() < 1e6, "about -$593B: {lost}");
    assert_eq!(quote(&json, "AAPL")["change_pct"], 3.178);
    assert_eq!(quote(&json, "AAPL")["flag"], "none");
    // Known only by its move: an index of 100 at the previous close, and said so.
    assert_eq!(quote(&json, "AVGO")["rebased"], true);
    assert_eq!(quote(&json, "AVGO")["price"], 82.6);
    assert_eq!(nvda["rebased"], false);
    let tmp = tempfile::tempdir().unwrap();
    let text = common::stdout(&common::run(tmp.path(), &["--demo", "once"]));
    assert!(
        text.contains("82.60 idx") && !text.contains("118.42 idx"),
        "{text}"
    );
    // Prices at their precision: no float noise such as 82.26960000000001.
    for q in json["quotes"].as_array().unwrap() {
        for field in ["price", "previous_close", "change", "day_high", "day_low"] {
            let text = q[field].to_string();
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 4, "{} {field} = {text}", q["symbol"]);
        }
    }

    let headlines = json["headlines"].as_array().unwrap();
    let close = headlines
        .iter()
        .find(|h| h["title"].as_str().unwrap().starts_with("Nvidia closes down 17%"))
        .expect("the close's headline");
    assert_eq!(close["symbols"], serde_json::json!(["NVDA"]));
    assert_eq!(close["published"], "2025-01-27T21:00:00Z");
    assert!(
        headlines
            .iter()
            .all(|h| h["published"].as_str().unwrap() <= "2025-01-27T21:00:00Z")
    );
    assert!(
        !headlines
            .iter()
            .any(|h| h["title"].as_str().unwrap().contains("wake-up call")),
        "the evening is later"
    );
    let feeds: Vec<&str> = headlines.iter().map(|h| h["feed"].as_str().unwrap()).collect();
    for f in ["Replay Wire", "Replay Markets", "Replay Brief"] {
        assert!(feeds.contains(&f), "{f} in {feeds:?}");
    }
    let indices = once_demo(&["-w", "Indices"]);
    assert_eq!(quote(&indices, "^IXIC")["change_pct"], -3.069);
    assert_eq!(quote(&indices, "^IXIC")["price"], 19341.83);
    assert_eq!(quote(&indices, "^GSPC")["change_pct"], -1.458);
}

/// Replays the day on tokio's paused clock: NVDA's flag must go none -> warn ->
/// alert in that order, and each headline appears in its feed at its time.
#[tokio::test(start_paused = true)]
async fn the_replay_clock_drives_flags_and_headlines() {
    let day = Day::embedded();
    let config = demo::config(1).unwrap();
    let thresholds = config.thresholds("NVDA");
    let clock = Clock::running(day.replay_start, day.replay_end, demo::DEFAULT_SPEED);
    let replay = Replay::with_clock(day, clock);
    let yahoo = provider::build("yahoo", Url::parse("http://127.0.0.1:1/yahoo").unwrap()).unwrap();
    let linker = Linker::new(&config);
    let feed_url = Url::parse("http://127.0.0.1:1/feeds/wire.xml").unwrap();

    let mut levels: Vec<(Level, Option<ExtendedSession>)> = Vec::new();
    let mut seen_titles: Vec<String> = Vec::new();
    let end = replay.day.replay_end;
    let open = replay.day.open;
    while replay.clock.now() < end {
        let now = replay.clock.now();
        let body = serve::chart_json(&replay.day, "NVDA", now).unwrap();
        let q = yahoo.parse("NVDA", body.as_bytes(), now).unwrap();
        if now < open {
            // As Yahoo answers: the regular price is still Friday's close, and the
            // pre-market trade is the extended part.
            assert_eq!(q.price, 142.62, "at {now}");
            let e = q.extended.expect("a pre-market trade");
            assert_eq!(e.session, ExtendedSession::Pre);
        } else {
            assert_eq!(q.extended, None, "at {now}: no after-hours trades are replayed");
        }
        let level = q.level(thresholds, true);
        let moved = q.flag_move(true).unwrap();
        if levels.last().map(|l| l.0) != Some(level) {
            levels.push((level, moved.session));
        }
        let rss = serve::wire_rss(&replay.stories, now);
        let atom = serve::markets_atom(&replay.stories, now);
        let json = serve::brief_json(&replay.stories, now);
        let mut titles = Vec::new();
        for (i, body) in [rss, atom, json].iter().enumerate() {
            let feed = FeedRef {
                name: "replay",
                url: &feed_url,
                index: i,
            };
            titles.extend(
                ingest::parse(body.as_bytes(), &feed, &linker)
                    .unwrap()
                    .into_iter()
                    .map(|h| h.title),
            );
        }
        let due: Vec<&str> = replay
            .stories
            .iter()
            .filter(|s| s.at <= now)
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(
            titles.len(),
            due.len(),
            "at {now}: every due headline and no other"
        );
        for t in titles {
            if !seen_titles.contains(&t) {
                seen_titles.push(t);
            }
        }
        tokio::time::advance(Duration::from_millis(500)).await;
    }
    let pre = Some(ExtendedSession::Pre);
    assert_eq!(
        levels,
        [(Level::None, pre), (Level::Warn, pre), (Level::Alert, pre)],
        "NVDA's flag through the day: warn and alert in the pre-market, from the extended trade"
    );
    assert_eq!(seen_titles.len(), replay.stories.len(), "every headline appeared");
}

/// The demo needs no network: run it in a network namespace with only
/// loopback up, where that is possible; the config test in src/demo proves
/// that every URL it uses is 127.0.0.1 either way.
#[test]
fn the_demo_runs_with_only_loopback() {
    let probe = std::process::Command::new("unshare")
        .args(["-n", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("unshare -n is not available here; loopback-only is proven by demo::tests");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tickwire");
    let script = format!("ip link set lo up 2>/dev/null || ifconfig lo up; exec '{bin}' --demo once --json");
    let out = std::process::Command::new("unshare")
        .args(["-n", "sh", "-c", &script])
        .env("HOME", tmp.path())
        .env("XDG_STATE_HOME", tmp.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(quote(&json, "NVDA")["flag"], "alert");
    assert!(
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ok"] == true),
        "{json:#}"
    );
}

/// The replay streams too, as Yahoo would: at 05:11 NVDA's pre-market trade
/// arrives as a tick between polls; AAPL, with no pre-market in the replay, stays quiet.
#[tokio::test]
async fn the_replay_streams_pre_market_ticks() {
    use tickwire::model::StreamEvent;
    use tickwire::source::stream::client::{StreamConfig, run};
    let day = Day::embedded();
    let at = day.open - chrono::Duration::minutes(4 * 60 + 19);
    let replay = Replay::with_clock(day, Clock::fixed(at));
    let port = demo::start(replay).await.unwrap();
    let config = StreamConfig::new(
        format!("ws://127.0.0.1:{port}/stream"),
        vec!["NVDA".into(), "AAPL".into()],
    );
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let client = tokio::spawn(run(config, tx));
    let wait = Duration::from_secs(10);
    let live = tokio::time::timeout(wait, rx.recv()).await.unwrap();
    assert_eq!(live, Some(StreamEvent::Live(tickwire::model::Socket::Yahoo)));
    let tick = tokio::time::timeout(wait, rx.recv()).await.unwrap();
    let Some(StreamEvent::Tick { symbol, ticker }) = tick else {
        panic!("a tick: {tick:?}")
    };
    assert_eq!(symbol, "NVDA");
    assert_eq!(ticker.session(), Some(ExtendedSession::Pre));
    let pct = (ticker.price.unwrap() / 142.62 - 1.0) * 100.0;
    assert!((pct - -9.84).abs() < 0.01, "{pct}");
    let more = tokio::time::timeout(Duration::from_millis(700), rx.recv()).await;
    assert!(
        more.is_err(),
        "a fixed clock moves no price, and AAPL has no pre-market: {more:?}"
    );
    client.abort();
}
