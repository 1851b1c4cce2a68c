//! Every symbol's own news (Yahoo Finance's per-symbol feed) and filings (SEC
//! EDGAR), end to end on loopback: the real binary's `once`, and the sources'
//! start-up spread counted per host.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use common::{Reply, Server, config_text, market_day, write_config};
use serde_json::Value;

const SEC_UA: &str = "Tickwire Tests tests@example.com";

fn yahoo_path(symbol: &str) -> String {
    let s = symbol.replace('^', "%5E");
    format!("/yn/rss/2.0/headline?s={s}&region=US&lang=en-US")
}

fn filings_path(cik: &str) -> String {
    format!(
        "/sec/cgi-bin/browse-edgar?action=getcompany&CIK={cik}&type=&dateb=&owner=include&count=100&output=atom"
    )
}

/// `[news]` with a contact (unless `ua` is None) and both news sources on `server`.
fn news_extra(server: &Server, ua: Option<&str>) -> String {
    let ua = ua
        .map(|u| format!("sec_user_agent = \"{u}\"\n"))
        .unwrap_or_default();
    format!(
        "[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[news]\n{ua}[providers.yahoo_news]\nbase_url = \"{0}/yn\"\n[providers.sec]\nbase_url = \"{0}/sec\"\n",
        server.base
    )
}

/// Yahoo and SEC as they answer on an ordinary day.
fn news_day(server: &Server) {
    market_day(server);
    server
        .route(&yahoo_path("NVDA"), Reply::fixture(200, "news/yahoo_nvda.xml"))
        .route(&yahoo_path("AMD"), Reply::fixture(200, "news/yahoo_amd.xml"))
        .route(&yahoo_path("^IXIC"), Reply::new(500, "text/plain", "oops"))
        .route(
            "/sec/files/company_tickers.json",
            Reply::fixture(200, "sec/company_tickers.json"),
        )
        .route(
            &filings_path("0001045810"),
            Reply::fixture(200, "sec/nvda_filings.atom").header("Content-Type", "application/atom+xml"),
        )
        // A feed EDGAR answers with a page, as it does for a ticker it does not know.
        .route(
            &filings_path("0000002488"),
            Reply::fixture(200, "sec/no_ticker.html"),
        );
}

fn once(dir: &Path, text: &str, extra_args: &[&str]) -> Value {
    let cfg = write_config(dir, text);
    let mut args = vec!["-c", cfg.to_str().unwrap(), "once", "--json", "--per-symbol"];
    args.extend_from_slice(extra_args);
    let out = common::run(dir, &args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} / {}", common::stdout(&out), common::stderr(&out)))
}

fn source<'a>(json: &'a Value, kind: &str, name: &str) -> Option<&'a Value> {
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind && s["name"] == name)
}

fn headline<'a>(json: &'a Value, title: &str) -> &'a Value {
    json["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == title)
        .unwrap_or_else(|| panic!("no headline {title:?} in {:#}", json["headlines"]))
}

fn symbols(h: &Value) -> Vec<&str> {
    h["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn every_symbol_brings_its_news_and_filings_with_no_feed_configured() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(
        &server.base,
        &["NVDA", "AMD", "^IXIC", "SAP.DE"],
        &news_extra(&server, Some(SEC_UA)),
    );
    let json = once(tmp.path(), &text, &[]);

    // Yahoo's headlines belong to their symbol even when they never name it.
    let slide = headline(&json, "Chip stocks slide as a cheap model rattles the AI trade");
    assert_eq!(symbols(slide), ["NVDA"]);
    assert_eq!(slide["filing"], Value::Null);
    // One story in two symbols' feeds is one headline about both.
    let record = headline(&json, "Nvidia sheds a record $590 billion in market value");
    let mut both = symbols(record);
    both.sort_unstable();
    assert_eq!(both, ["AMD", "NVDA"]);
    let n = json["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["title"] == record["title"])
        .count();
    assert_eq!(n, 1);

    // Filings: the forms asked for (8-K, 10-Q, 10-K and amendments), marked so.
    let k8 = headline(&json, "8-K - Current report");
    assert_eq!(k8["filing"], "8-K");
    assert_eq!(symbols(k8), ["NVDA"]);
    assert_eq!(k8["feed"], "SEC");
    assert_eq!(k8["published"], "2025-01-27T21:30:00Z");
    // Declared ISO-8859-1: the accented letters survive.
    assert!(
        k8["summary"].as_str().unwrap().contains("résumé"),
        "{}",
        k8["summary"]
    );
    assert_eq!(
        headline(&json, "10-Q - Quarterly report [Sections 13 or 15(d)]")["filing"],
        "10-Q"
    );
    let titles: Vec<&str> = json["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        !titles
            .iter()
            .any(|t| t.starts_with("4 - ") || t.starts_with("SC 13G")),
        "{titles:?}"
    );

    // Each source is a row; a failing one says why there, and nothing else fails.
    let yahoo = source(&json, "symbol_news", "Yahoo NVDA").expect("Yahoo NVDA row");
    assert_eq!(
        (yahoo["ok"].as_bool(), yahoo["items"].as_u64()),
        (Some(true), Some(3))
    );
    let ixic = source(&json, "symbol_news", "Yahoo ^IXIC").expect("Yahoo ^IXIC row");
    assert_eq!(ixic["ok"], false);
    assert!(ixic["error"].as_str().unwrap().contains("500"), "{ixic}");
    let sec = source(&json, "filings", "SEC NVDA").expect("SEC NVDA row");
    assert_eq!(
        (sec["ok"].as_bool(), sec["items"].as_u64()),
        (Some(true), Some(2))
    );
    let amd = source(&json, "filings", "SEC AMD").expect("SEC AMD row");
    assert!(amd["error"].as_str().unwrap().contains("HTML"), "{amd}");
    // An index and a listing abroad have no filings source at all.
    assert!(source(&json, "filings", "SEC ^IXIC").is_none());
    assert!(source(&json, "filings", "SEC SAP.DE").is_none());

    // SEC is asked with the declared contact, once for its map; Yahoo like a browser.
    let requests = server.requests();
    let sec_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.target.starts_with("/sec/"))
        .collect();
    assert!(
        sec_requests
            .iter()
            .all(|r| r.headers.get("user-agent").map(String::as_str) == Some(SEC_UA))
    );
    assert_eq!(server.count("/sec/files/company_tickers.json"), 1);
    assert!(
        !sec_requests
            .iter()
            .any(|r| r.target.contains("IXIC") || r.target.contains("SAP"))
    );
    let yahoo_ua: Vec<_> = requests
        .iter()
        .filter(|r| r.target.starts_with("/yn/"))
        .map(|r| r.headers.get("user-agent").cloned().unwrap_or_default())
        .collect();
    assert_eq!(yahoo_ua.len(), 4, "one per symbol of the watchlist");
    assert!(
        yahoo_ua.iter().all(|u| u.starts_with("Mozilla/5.0")),
        "{yahoo_ua:?}"
    );
}

#[test]
fn a_refusal_from_sec_names_the_user_agent_and_spares_the_rest() {
    let server = Server::start();
    news_day(&server);
    server.route(
        "/sec/files/company_tickers.json",
        Reply::fixture(403, "sec/undeclared.html"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA"], &news_extra(&server, Some(SEC_UA)));
    let json = once(tmp.path(), &text, &[]);
    let sec = source(&json, "filings", "SEC NVDA").expect("SEC NVDA row");
    assert_eq!(sec["ok"], false);
    assert!(
        sec["error"]
            .as_str()
            .unwrap()
            .contains("User-Agent missing or refused"),
        "{sec}"
    );
    assert_eq!(source(&json, "symbol_news", "Yahoo NVDA").unwrap()["ok"], true);
    assert_eq!(common::quote(&json, "NVDA")["price"], 118.42);
}

#[test]
fn a_hanging_sec_delays_only_the_filings() {
    let server = Server::start();
    news_day(&server);
    server.route(
        "/sec/files/company_tickers.json",
        Reply::fixture(200, "sec/company_tickers.json")
            .behave(common::Behaviour::Hang(Duration::from_secs(30))),
    );
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA"], &news_extra(&server, Some(SEC_UA)));
    let started = std::time::Instant::now();
    let json = once(tmp.path(), &text, &[]);
    // config_text's timeout is 2 s: `once` ends within it plus a second.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(source(&json, "symbol_news", "Yahoo NVDA").unwrap()["ok"], true);
    let sec = source(&json, "filings", "SEC NVDA").expect("SEC NVDA row");
    assert!(sec["error"].as_str().unwrap().contains("timed out"), "{sec}");
}

#[test]
fn without_a_contact_sec_is_never_asked_and_check_says_what_to_set() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA"], &news_extra(&server, None));
    let json = once(tmp.path(), &text, &[]);
    assert!(source(&json, "filings", "SEC NVDA").is_none());
    assert!(!server.requests().iter().any(|r| r.target.starts_with("/sec/")));
    let cfg = tmp.path().join("config.toml");
    let check = common::stdout(&common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]));
    assert!(check.contains("sec_user_agent"), "{check}");
    assert!(check.contains("per-symbol news: 2 symbols"), "{check}");
}

/// A cron job that wants quotes sends no request per symbol to Yahoo's news host
/// or SEC unless it asks (`--per-symbol`, or `[news] once_per_symbol = true`);
/// `check` says which.
#[test]
fn once_fetches_a_symbols_own_news_only_when_asked() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA", "AMD"], &news_extra(&server, Some(SEC_UA)));
    let cfg = write_config(tmp.path(), &text);
    let out = common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["kind"] == "quote")
    );
    let own = |r: &common::server::Request| r.target.starts_with("/yn/") || r.target.starts_with("/sec/");
    assert!(
        !server.requests().iter().any(own),
        "no request to Yahoo's news host or SEC"
    );
    let check = common::stdout(&common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]));
    assert!(check.contains("once: quotes and [[feed]]s only"), "{check}");

    let asked = text.replace("[news]\n", "[news]\nonce_per_symbol = true\n");
    assert_ne!(asked, text);
    let json = once_without_flag(tmp.path(), &asked);
    assert!(source(&json, "symbol_news", "Yahoo NVDA").is_some());
    let check = common::stdout(&common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"]));
    assert!(check.contains("once: fetches them too"), "{check}");
}

fn once_without_flag(dir: &Path, text: &str) -> Value {
    let cfg = write_config(dir, text);
    let out = common::run(dir, &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&out)))
}

#[test]
fn no_per_symbol_turns_them_off_for_scripts_and_news_false_for_one_symbol() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let extra = format!(
        "{}[symbol.\"AMD\"]\nnews = false\n",
        news_extra(&server, Some(SEC_UA))
    );
    let text = config_text(&server.base, &["NVDA", "AMD"], &extra);
    let json = once(tmp.path(), &text, &[]);
    assert!(source(&json, "symbol_news", "Yahoo NVDA").is_some());
    assert!(source(&json, "symbol_news", "Yahoo AMD").is_none());
    assert!(source(&json, "filings", "SEC AMD").is_none());

    let before = server.requests().len();
    let json = once(tmp.path(), &text, &["--no-per-symbol"]);
    let kinds: Vec<&str> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.iter().all(|k| *k == "quote"), "{kinds:?}");
    let after: Vec<_> = server.requests().into_iter().skip(before).collect();
    assert!(
        !after
            .iter()
            .any(|r| r.target.starts_with("/yn/") || r.target.starts_with("/sec/"))
    );
}

#[test]
fn secs_ticker_map_is_cached_for_the_next_run() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(&server.base, &["NVDA"], &news_extra(&server, Some(SEC_UA)));
    let cache = tmp.path().join("cache.db");
    let cache = cache.to_str().unwrap();
    for _ in 0..2 {
        let json = once(tmp.path(), &text, &["--cache", cache]);
        assert_eq!(headline(&json, "8-K - Current report")["filing"], "8-K");
    }
    assert_eq!(server.count("/sec/files/company_tickers.json"), 1);
    assert_eq!(server.count("/sec/cgi-bin/browse-edgar"), 2);
}

/// The running monitor: a symbol's news and filings arrive with no feed
/// configured, its detail view says how its sources fare, and SEC's map is
/// kept in the cache for the next start.
#[test]
fn the_monitor_shows_a_symbols_news_and_filings_and_keeps_secs_map() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = config_text(
        &server.base,
        &["NVDA", "^IXIC"],
        &news_extra(&server, Some(SEC_UA)),
    );
    let cfg = write_config(tmp.path(), &text);
    let cache = tmp.path().join("cache.db");
    let args = ["-c", cfg.to_str().unwrap(), "--cache", cache.to_str().unwrap()];
    let mut pty = common::pty::Pty::spawn(tmp.path(), &args, &[], 140, 36);
    pty.wait_for("the filing and Yahoo's headline", 20, |s| {
        let text = s.contents();
        text.contains("FILING [NVDA] 8-K - Current report") && text.contains("Chip stocks slide")
    });
    pty.send("\r");
    pty.wait_for("NVDA's sources in its detail view", 10, |s| {
        let text = s.contents();
        text.contains("Filings      SEC · 2 items") && text.contains("News         Yahoo · 3 items")
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let conn = rusqlite::Connection::open(&cache).unwrap();
    let cik: i64 = conn
        .query_row("SELECT cik FROM sec_tickers WHERE ticker = 'NVDA'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(cik, 1_045_810);
}

#[test]
fn the_monitor_reminds_that_filings_need_a_contact() {
    let server = Server::start();
    news_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(
        tmp.path(),
        &config_text(&server.base, &["NVDA"], &news_extra(&server, None)),
    );
    let mut pty = common::pty::Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 200, 30);
    pty.wait_for("the reminder and Yahoo's headlines", 20, |s| {
        let text = s.contents();
        text.contains("filings are off: SEC asks for a contact") && text.contains("Chip stocks slide")
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    assert!(!server.requests().iter().any(|r| r.target.starts_with("/sec/")));
}

/// 50 symbols start without 100 requests in one second: each host sees its
/// requests spread out, and every symbol's sources are asked in the end. `r`
/// (a refresh of everything) keeps the same spread.
#[tokio::test(flavor = "current_thread")]
async fn fifty_symbols_start_within_the_budgets() {
    use tickwire::config::{ConfigOrigin, parse};
    use tickwire::source::{Output, Sources};

    let yahoo = Server::start();
    let sec = Server::start();
    let symbols: Vec<String> = (0..50).map(|i| format!("S{i:02}")).collect();
    let tickers: HashMap<String, Value> = symbols
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i.to_string(),
                serde_json::json!({"cik_str": 1000 + i, "ticker": s, "title": s}),
            )
        })
        .collect();
    sec.route(
        "/files/company_tickers.json",
        Reply::new(200, "application/json", serde_json::to_vec(&tickers).unwrap()),
    );
    // Every filings feed and every news feed answers the same small document.
    let rss = std::fs::read(common::server::fixtures_dir().join("news/yahoo_amd.xml")).unwrap();
    yahoo.route("/rss/2.0/headline", Reply::new(200, "application/rss+xml", rss));
    let atom = std::fs::read(common::server::fixtures_dir().join("sec/nvda_filings.atom")).unwrap();
    sec.route(
        "/cgi-bin/browse-edgar",
        Reply::new(200, "application/atom+xml", atom),
    );
    let list: Vec<String> = symbols.iter().map(|s| format!("\"{s}\"")).collect();
    let text = format!(
        "[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[general]\nnews_interval = \"10m\"\n[[watchlist]]\nname = \"Fifty\"\nsymbols = [{}]\n\
         [quotes]\nproviders = [\"yahoo\"]\nstream = false\n[providers.yahoo]\nbase_url = \"{}/none\"\n\
         [news]\nsec_user_agent = \"{SEC_UA}\"\n[providers.yahoo_news]\nbase_url = \"{}\"\n\
         [providers.sec]\nbase_url = \"{}\"\n",
        list.join(", "),
        yahoo.base,
        yahoo.base,
        sec.base
    );
    let config = parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    let (sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    let mut answered = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    // A refresh once the start-up round is done: 50 news and 50 filings again.
    while answered < 200 {
        let Ok(Some(d)) = tokio::time::timeout_at(deadline, rx.recv()).await else {
            break;
        };
        if let Output::Feed(o) = &d.output
            && o.result.is_ok()
        {
            answered += 1;
            if answered == 100 {
                sources.refresh();
            }
        }
    }
    drop(sources);
    assert_eq!(answered, 200, "50 news and 50 filings feeds answered, twice");
    for (host, server, budget) in [("yahoo", &yahoo, 5), ("sec", &sec, 10)] {
        let times: Vec<std::time::Instant> = server
            .requests()
            .iter()
            .filter(|r| !r.target.contains("/none/"))
            .map(|r| r.at)
            .collect();
        let worst = times
            .iter()
            .map(|t0| {
                times
                    .iter()
                    .filter(|t| **t >= *t0 && **t < *t0 + Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0);
        assert!(
            worst <= budget,
            "{host}: {worst} requests in one second (budget {budget})"
        );
    }
}
