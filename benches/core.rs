//! criterion benches of the hot paths: feed ingest (MB/s), merging headlines into
//! a full store, rendering one full frame, and the reducer taking a burst of quotes.
//! `cargo bench --bench core`; the side-by-side comparison with newsboat and tickrs
//! is a separate script (issue 7).

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::Url;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::QuoteOutcome;
use tickwire::model::{Attempt, Quote};
use tickwire::model::{FeedOutcome, FeedUpdate, Validators};
use tickwire::news::Headline;
use tickwire::news::ingest::{self, FeedRef};
use tickwire::news::link::Linker;
use tickwire::news::store::Store;
use tickwire::state::State;
use tickwire::ui::{self, Theme};
use tickwire::update::on_event;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 27, 14, 30, 0)
        .single()
        .unwrap_or_default()
}

fn symbols(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("S{i:03}")).collect()
}

fn config(n_symbols: usize) -> tickwire::config::Config {
    let list: Vec<String> = symbols(n_symbols).iter().map(|s| format!("\"{s}\"")).collect();
    let text = format!(
        "[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[general]\nmax_headlines = 10000\n[[watchlist]]\nname = \"Bench\"\nsymbols = [\"NVDA\", {}]\n\
         [symbol.\"NVDA\"]\nkeywords = [\"Nvidia\"]\n[[feed]]\nname = \"Bench\"\nurl = \"https://b.example.com/rss\"\n",
        list.join(", ")
    );
    parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"))
}

fn rss(items: usize) -> String {
    let mut xml = String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>"#);
    for i in 0..items {
        xml.push_str(&format!(
            "<item><title>Story {i}: Nvidia &amp; chipmakers slide as DeepSeek rattles the AI trade</title>\
             <link>https://big.example.com/{i}?utm_source=rss</link><guid>g-{i}</guid>\
             <pubDate>Mon, 27 Jan 2025 {:02}:{:02}:00 GMT</pubDate>\
             <description><![CDATA[<p>Paragraph about <b>NVDA</b> and the market, item {i}.</p>]]></description></item>",
            i / 60 % 24,
            i % 60
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

fn atom(items: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Big</title><id>x</id>"#,
    );
    for i in 0..items {
        xml.push_str(&format!(
            "<entry><title type=\"html\">Entry {i}: &lt;b&gt;Nvidia&lt;/b&gt; falls</title><id>urn:e:{i}</id>\
             <link href=\"/e/{i}\"/><updated>2025-01-27T{:02}:{:02}:00Z</updated>\
             <content type=\"html\">&lt;p&gt;Body {i}&lt;/p&gt;</content></entry>",
            i / 60 % 24,
            i % 60
        ));
    }
    xml.push_str("</feed>");
    xml
}

fn headlines(n: usize) -> Vec<Headline> {
    (0..n)
        .map(|i| Headline {
            filing: None,
            id: format!("h{i}"),
            title: format!("Headline {i} about Nvidia and the market"),
            url: Some(format!("https://n.example.com/{i}")),
            canonical: Some(format!("https://n.example.com/{i}")),
            feed: "Bench".into(),
            feed_id: Default::default(),
            feed_index: i % 3,
            published: Some(t0() + Duration::seconds(i as i64)),
            summary: "summary".into(),
            symbols: if i % 4 == 0 { vec!["NVDA".into()] } else { vec![] },
            read: false,
        })
        .collect()
}

fn quote(symbol: &str, i: usize) -> Event {
    let series: Vec<(i64, f64)> = (0..78)
        .map(|k| (t0().timestamp() + k * 300, 100.0 + (k as f64 / 7.0).sin()))
        .collect();
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: symbol.into(),
        result: Ok(Quote {
            symbol: symbol.into(),
            price: 90.0 + (i % 20) as f64,
            previous_close: Some(100.0),
            open: None,
            day_high: None,
            day_low: None,
            volume: Some(1_000_000),
            currency: Some("USD".into()),
            market_time: Some(t0()),
            utc_offset: None,
            series,
            periods: None,
            week52: None,
            extended: None,
            name: None,
            provider: "yahoo".into(),
            fetched_at: t0(),
        }),
        attempts: vec![Attempt {
            provider: "yahoo".into(),
            error: None,
        }],
        retry_after: None,
    }))
}

fn ingest_benches(c: &mut Criterion) {
    let cfg = config(10);
    let linker = Linker::new(&cfg);
    let url = Url::parse("https://big.example.com/rss").unwrap_or_else(|e| panic!("{e}"));
    let feed = FeedRef {
        name: "Big",
        url: &url,
        index: 0,
    };
    let mut g = c.benchmark_group("ingest");
    for (name, body) in [("rss_5000_items", rss(5000)), ("atom_5000_entries", atom(5000))] {
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| ingest::parse(black_box(body.as_bytes()), &feed, &linker))
        });
    }
    g.finish();
}

fn merge_bench(c: &mut Criterion) {
    let full: Vec<Headline> = headlines(10_000);
    let incoming: Vec<Headline> = headlines(10_000)
        .into_iter()
        .map(|mut h| {
            h.id = format!("other-{}", h.id);
            h.feed_index = 2;
            h
        })
        .collect();
    c.bench_function("merge_10000_into_a_full_store", |b| {
        b.iter_batched(
            || {
                let mut s = Store::default();
                s.merge(full.clone(), 10_000);
                (s, incoming.clone())
            },
            |(mut s, batch)| s.merge(batch, 10_000),
            criterion::BatchSize::LargeInput,
        )
    });
}

fn loaded_state() -> State {
    let cfg = Arc::new(config(49));
    let mut s = State::new(Arc::clone(&cfg), 0, t0().fixed_offset());
    on_event(&mut s, quote("NVDA", 0));
    for (i, sym) in symbols(49).iter().enumerate() {
        on_event(&mut s, quote(sym, i));
    }
    let feed = s.feeds[0].id.clone();
    on_event(
        &mut s,
        Event::FeedFetched(Box::new(FeedOutcome {
            feed,
            result: Ok(FeedUpdate::Fresh {
                headlines: headlines(10_000),
                validators: Validators::default(),
                read: Default::default(),
            }),
            retry_after: None,
        })),
    );
    s
}

fn render_bench(c: &mut Criterion) {
    let state = loaded_state();
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("render_200x60_10000_headlines_50_tickers", |b| {
        b.iter(|| {
            term.draw(|f| ui::render(f, black_box(&state), Theme { color: true }))
                .map(|_| ())
        })
    });
}

fn reducer_bench(c: &mut Criterion) {
    let base = loaded_state();
    let batch: Vec<Event> = std::iter::once("NVDA".to_string())
        .chain(symbols(49))
        .enumerate()
        .map(|(i, s)| quote(&s, i + 1))
        .collect();
    c.bench_function("reducer_batch_of_50_quotes", |b| {
        b.iter_batched(
            || (base.clone(), batch.clone()),
            |(mut s, events)| {
                for e in events {
                    on_event(&mut s, e);
                }
                s
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, ingest_benches, merge_bench, render_bench, reducer_bench);
criterion_main!(benches);
