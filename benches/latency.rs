//! Key latency while a large feed is ingested: how long the runtime thread (the
//! one that reads keys and draws) is unavailable while a 5 MB feed is fetched,
//! parsed and cleaned. `cargo bench --bench latency`.
//!
//! A "key" here is a timer on the app's current-thread runtime that should fire
//! every 2 ms: its lateness is the wait a key press would see. Three runs side by
//! side: idle, tickwire's fetch (parsing on the blocking pool), and the same
//! fetch with the parse on the runtime thread, as tickwire did before.
#![allow(clippy::print_stdout)] // a report for the terminal

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::model::{FeedUpdate, Validators};
use tickwire::news::ingest::{self, FeedRef};
use tickwire::news::link::Linker;
use tickwire::source::Http;
use tickwire::source::feeds::FeedFetcher;

#[path = "support/http.rs"]
mod http;

const ROUNDS: usize = 8;

fn rss(bytes: usize) -> Vec<u8> {
    let mut xml = String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>"#);
    let mut i = 0;
    while xml.len() < bytes {
        xml.push_str(&format!(
            "<item><title>Story {i}: Nvidia &amp; chipmakers slide as DeepSeek rattles the AI trade</title>\
             <link>https://big.example.com/{i}</link><guid>g-{i}</guid>\
             <pubDate>Mon, 27 Jan 2025 {:02}:{:02}:00 GMT</pubDate>\
             <description><![CDATA[<p>Paragraph about <b>NVDA</b> and the market, item {i}. \
             Shares of chipmakers fell as investors weighed what a cheaper model means for demand.</p>]]>\
             </description></item>",
            i / 60 % 24,
            i % 60
        ));
        i += 1;
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

/// Lateness of a 2 ms timer while `work` runs on the same current-thread runtime.
fn lateness<F: std::future::Future<Output = ()>>(work: impl Fn() -> F) -> Vec<Duration> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let keys = tokio::spawn(async move {
            let mut late = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                let asked = Instant::now() + Duration::from_millis(2);
                tokio::time::sleep_until(asked.into()).await;
                late.push(Instant::now().saturating_duration_since(asked));
            }
            late
        });
        for _ in 0..ROUNDS {
            work().await;
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        keys.await.unwrap_or_default()
    })
}

fn summary(name: &str, mut late: Vec<Duration>) -> (f64, f64) {
    late.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p99 = late.get(late.len() * 99 / 100).copied().unwrap_or_default();
    let max = late.last().copied().unwrap_or_default();
    println!("{name:<34} {:>8} {:>10.2} {:>10.2}", late.len(), ms(p99), ms(max));
    (ms(p99), ms(max))
}

fn main() {
    let body = rss(5_000_000);
    let url = format!("{}/rss", http::serve(body.clone(), "application/rss+xml"));
    let text = format!(
        "[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[general]\nmax_body_bytes = 20000000\ntimeout = \"30s\"\n[[watchlist]]\nname = \"W\"\n\
         symbols = [\"NVDA\", \"AVGO\", \"TSM\"]\n[symbol.\"NVDA\"]\nkeywords = [\"Nvidia\"]\n\
         [[feed]]\nname = \"Big\"\nurl = \"{url}\"\n"
    );
    let config = parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "key latency while a {:.1} MB feed is fetched and ingested, {ROUNDS} rounds",
        body.len() as f64 / 1e6
    );
    println!("{:<34} {:>8} {:>10} {:>10}", "", "keys", "p99 ms", "max ms");
    summary(
        "idle",
        lateness(|| tokio::time::sleep(Duration::from_millis(300))),
    );
    let http = Http::new(&config.general).unwrap_or_else(|e| panic!("{e}"));
    let fetcher = Arc::new(FeedFetcher::new(http.clone(), &config));
    let (_, off) = summary(
        "tickwire (parse off the thread)",
        lateness(|| {
            let f = Arc::clone(&fetcher);
            async move {
                let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                let o = f.fetch(0, None, &Validators::default(), deadline).await;
                assert!(
                    matches!(o.result, Ok(FeedUpdate::Fresh { .. })),
                    "{:?}",
                    o.result.err()
                );
            }
        }),
    );
    let linker = Arc::new(Linker::new(&config));
    let feed_url = Url::parse(&url).unwrap_or_else(|e| panic!("{e}"));
    let (_, on) = summary(
        "before (parse on the runtime)",
        lateness(|| {
            let (http, linker, feed_url) = (http.clone(), Arc::clone(&linker), feed_url.clone());
            async move {
                let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                let r = http
                    .get(feed_url.clone(), Default::default(), deadline)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let feed = FeedRef {
                    name: "Big",
                    url: &feed_url,
                    index: 0,
                };
                let parsed = ingest::parse(&r.body, &feed, &linker).unwrap_or_else(|e| panic!("{e}"));
                assert!(!parsed.is_empty());
            }
        }),
    );
    println!("worst key wait, before / now: {:.1}x", on / off.max(0.001));
}
