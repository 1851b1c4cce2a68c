//! The fault suite: every way a price server or a feed can misbehave, through
//! `once --json`. Each fault is reported on its own source with a specific
//! error; the other sources are unaffected; `once` ends within the timeout (plus
//! a margin for a busy machine); and memory stays bounded.

mod common;

use std::time::{Duration, Instant};

use common::{Behaviour, Reply, Server, config_text, write_config};
use serde_json::Value;

/// A named fault: the reply to serve and a fragment of the error it must produce.
fn faults() -> Vec<(&'static str, Reply, &'static str)> {
    let bomb = std::fs::read(common::server::fixtures_dir().join("bomb.json.gz")).unwrap();
    vec![
        (
            "e500",
            Reply::new(500, "text/plain", "oops"),
            "HTTP 500 Internal Server Error",
        ),
        (
            "e429",
            Reply::new(429, "text/plain", "slow down").header("Retry-After", "120"),
            "HTTP 429 Too Many Requests (retry after 2m)",
        ),
        // A Retry-After past what an Instant holds once killed `once` with exit 101.
        (
            "e429max",
            Reply::new(429, "text/plain", "slow down").header("Retry-After", "18446744073709551615"),
            "HTTP 429 Too Many Requests (retry after 1h)",
        ),
        (
            "e429date",
            Reply::new(429, "text/plain", "slow down").header("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
            "HTTP 429 Too Many Requests (retry after 1h)",
        ),
        (
            "hang",
            Reply::new(200, "application/json", "{}").behave(Behaviour::Hang(Duration::from_secs(30))),
            "timed out after 2s",
        ),
        (
            "drip",
            Reply::fixture(200, "yahoo/nvda.json").behave(Behaviour::Drip(Duration::from_millis(50))),
            "timed out after 2s",
        ),
        (
            "huge",
            Reply::new(200, "application/json", vec![b' '; 3_000_000]),
            "response body larger than 1048576 bytes",
        ),
        (
            "bomb",
            Reply::new(200, "application/json", bomb).header("Content-Encoding", "gzip"),
            "response body larger than 1048576 bytes",
        ),
        (
            "truncated",
            Reply::fixture(200, "yahoo/nvda.json").behave(Behaviour::Truncate(100)),
            "connection dropped mid-response",
        ),
        (
            "reset",
            Reply::new(200, "text/plain", "").behave(Behaviour::Reset),
            "connection",
        ),
        (
            "login",
            Reply::fixture(200, "html_login.html"),
            "got an HTML page (HTTP 200)",
        ),
        (
            "loop",
            Reply::new(302, "text/plain", "").header("Location", "/loop"),
            "too many redirects",
        ),
        (
            "badjson",
            Reply::new(200, "application/json", "{\"chart\": [1, 2,"),
            "malformed response",
        ),
        (
            "shape",
            Reply::fixture(200, "yahoo/wrong_shape.json"),
            "unexpected JSON shape",
        ),
    ]
}

/// Runs `once --json` and samples the child's peak memory while it runs.
fn once_with_peak(dir: &std::path::Path, cfg: &std::path::Path) -> (Value, Duration, u64) {
    let started = Instant::now();
    let mut child = common::tickwire(dir)
        .args(["-c", cfg.to_str().unwrap(), "once", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
        {
            peak_kb = peak_kb.max(kb.parse().unwrap_or(0));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = started.elapsed();
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, took, peak_kb)
}

#[test]
fn every_quote_fault_is_reported_alone() {
    let server = Server::start();
    common::market_day(&server);
    let mut symbols = vec!["NVDA".to_string()];
    for (name, reply, _) in faults() {
        let sym = name.to_uppercase();
        server.route(&format!("/yahoo/v8/finance/chart/{sym}"), reply);
        server.route(
            &format!("/nasdaq/api/quote/{sym}/info"),
            Reply::new(503, "text/plain", "down"),
        );
        symbols.push(sym);
    }
    server.route(
        "/loop",
        Reply::new(302, "text/plain", "").header("Location", "/loop"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let refs: Vec<&str> = symbols.iter().map(String::as_str).collect();
    let text = config_text(&server.base, &refs, "")
        .replace("timeout = \"2s\"", "timeout = \"2s\"\nmax_body_bytes = 1048576");
    let cfg = write_config(tmp.path(), &text);
    let (json, took, peak_kb) = once_with_peak(tmp.path(), &cfg);
    assert!(took < Duration::from_secs(8), "once took {took:?}");
    assert!(peak_kb < 100 * 1024, "peak RSS {peak_kb} kB");
    let quotes = json["quotes"].as_array().unwrap();
    assert_eq!(quotes[0]["price"], 118.42, "the healthy source is unaffected");
    for (name, _, want) in faults() {
        let sym = name.to_uppercase();
        let q = quotes.iter().find(|q| q["symbol"] == sym.as_str()).unwrap();
        let err = q["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{sym} has no error: {q}"));
        let yahoo = err.split("; nasdaq:").next().unwrap();
        assert!(yahoo.contains(want), "{sym}: want {want:?} in {err:?}");
        assert!(
            !yahoo.contains("error decoding response body"),
            "{sym}: vague: {err}"
        );
        assert_eq!(q["price"], Value::Null);
    }
}

#[test]
fn every_feed_fault_is_reported_alone() {
    let server = Server::start();
    common::market_day(&server);
    server.route("/good", Reply::fixture(200, "feeds/rss2.xml"));
    let mut feeds = String::from(&format!(
        "[[feed]]\nname = \"good\"\nurl = \"{}/good\"\n",
        server.base
    ));
    for (name, reply, _) in faults() {
        // The body-level faults again, with a feed's body.
        let reply = if matches!(name, "drip" | "truncated" | "shape") {
            Reply::fixture(200, "feeds/rss2.xml").behave(reply.behaviour)
        } else {
            reply
        };
        server.route(&format!("/{name}"), reply);
        feeds.push_str(&format!(
            "[[feed]]\nname = \"{name}\"\nurl = \"{}/{name}\"\n",
            server.base
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA"], &feeds)
        .replace("timeout = \"2s\"", "timeout = \"2s\"\nmax_body_bytes = 1048576");
    let cfg = write_config(tmp.path(), &text);
    let (json, took, peak_kb) = once_with_peak(tmp.path(), &cfg);
    assert!(took < Duration::from_secs(8), "once took {took:?}");
    assert!(peak_kb < 100 * 1024, "peak RSS {peak_kb} kB");
    let sources = json["sources"].as_array().unwrap();
    let feed = |n: &str| {
        sources
            .iter()
            .find(|s| s["kind"] == "feed" && s["name"] == n)
            .unwrap()
    };
    assert_eq!(feed("good")["ok"], true);
    assert_eq!(
        json["headlines"].as_array().unwrap().len(),
        4,
        "only the good feed's headlines"
    );
    for (name, _, want) in faults() {
        let f = feed(name);
        if name == "shape" {
            // An RSS body is a good feed however the quote test used it.
            assert_eq!(f["ok"], true);
            continue;
        }
        assert_eq!(f["ok"], false, "{name}: {f}");
        let want = match name {
            "badjson" => "not a feed",
            "login" => "expected a feed, got an HTML page",
            _ => want,
        };
        let err = f["error"].as_str().unwrap();
        assert!(err.contains(want), "{name}: want {want:?} in {err:?}");
    }
    assert_eq!(json["quotes"][0]["price"], 118.42);
}
