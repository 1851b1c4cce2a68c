//! What recording costs: a whole trading day (04:00 to 20:00 New York) of 100
//! ticks a second across 50 symbols, each tick offered to the recorder as the
//! app does after the reducer, what it keeps written to a cache file in the
//! writer's batches. `cargo bench --bench record`.
//!
//! Reported: the recorder's and the writes' CPU time per tick and as a share of
//! a core at 100 ticks/s, the points kept per symbol-day, and the bytes per
//! symbol-day the recording adds to the cache file (after VACUUM).
#![allow(clippy::print_stdout)] // a report for the terminal

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tickwire::cache::{Write, db};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::model::{Periods, Quote};
use tickwire::record::Recorder;

const SYMBOLS: usize = 50;
const TICKS_PER_SEC: u64 = 100;
/// 2025-01-27 04:00 New York, the pre-market's start; the day runs 16 hours.
const START: i64 = 1_737_968_400;
const DAY_SECS: i64 = 16 * 3600;

fn main() {
    let names: Vec<String> = (0..SYMBOLS).map(|i| format!("S{i:03}")).collect();
    let config = parse(
        &format!(
            "[[watchlist]]\nname = \"w\"\nsymbols = [{}]\n[[feed]]\nname = \"f\"\nurl = \"https://example.com/rss\"\n",
            names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        ),
        ConfigOrigin::Embedded,
    )
    .expect("the bench's config is valid");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("cache.db");
    let mut conn = db::open(&path).expect("a cache file");
    let empty = std::fs::metadata(&path).map_or(0, |m| m.len());
    let open = START + 5 * 3600 + 1800;
    let periods = Periods {
        pre: Some((START, open)),
        regular: (open, open + 23_400),
        post: Some((open + 23_400, START + DAY_SECS)),
    };
    let mut quotes: Vec<Quote> = names
        .iter()
        .map(|n| {
            let at = DateTime::<Utc>::from_timestamp(START, 0).unwrap_or_default();
            let mut q = Quote::bare(n, 100.0, "yahoo", at);
            q.previous_close = Some(100.0);
            q.currency = Some("USD".into());
            q.name = Some(format!("{n} Corporation"));
            q.periods = Some(periods);
            q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
            q
        })
        .collect();
    let mut recorder = Recorder::default();
    let mut batch = Vec::new();
    let (mut deciding, mut writing) = (Duration::ZERO, Duration::ZERO);
    let (mut ticks, mut kept) = (0u64, 0u64);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for second in 0..DAY_SECS {
        let now = DateTime::<Utc>::from_timestamp(START + second, 0).unwrap_or_default();
        for k in 0..TICKS_PER_SEC {
            let i = ((second as u64 * TICKS_PER_SEC + k) as usize) % SYMBOLS;
            // A random walk of a cent or two; S000 falls 20% at noon (flags change).
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let q = &mut quotes[i];
            let step = ((seed % 5) as f64 - 2.0) * 0.01;
            q.price = if i == 0 && second > DAY_SECS / 2 {
                80.0 + step
            } else {
                (q.price + step).max(1.0)
            };
            q.market_time = Some(now);
            q.fetched_at = now;
            let t = Instant::now();
            let decided = recorder.quote(&config, q, now);
            deciding += t.elapsed();
            ticks += 1;
            if let Some(r) = decided {
                kept += 1;
                batch.push(Write::Record(r));
            }
        }
        // The writer commits what is queued in one transaction; about once a second here.
        if !batch.is_empty() {
            let t = Instant::now();
            db::apply(&mut conn, &batch, now).expect("the batch is written");
            writing += t.elapsed();
            batch.clear();
        }
    }
    conn.execute_batch("VACUUM").expect("vacuum");
    drop(conn);
    let size = std::fs::metadata(&path)
        .map_or(0, |m| m.len())
        .saturating_sub(empty);
    let per_tick = |d: Duration| d.as_secs_f64() * 1e6 / ticks as f64;
    let core = |d: Duration| d.as_secs_f64() / DAY_SECS as f64 * 100.0;
    println!("record: a 16-hour day of {TICKS_PER_SEC} ticks/s across {SYMBOLS} symbols ({ticks} ticks)");
    println!("                               µs / tick   % of a core");
    println!(
        "recorder (keep or not)         {:>9.3}   {:>11.3}",
        per_tick(deciding),
        core(deciding)
    );
    println!(
        "cache writes of what is kept   {:>9.3}   {:>11.3}",
        per_tick(writing),
        core(writing)
    );
    println!(
        "kept: {kept} points, {:.0} per symbol-day (at most one a minute, and each change of flag)",
        kept as f64 / SYMBOLS as f64
    );
    println!(
        "cache file: +{:.1} MB, {:.1} KB per symbol-day ({:.0} bytes a point); 60 days of 50 symbols: {:.0} MB",
        size as f64 / 1e6,
        size as f64 / SYMBOLS as f64 / 1e3,
        size as f64 / kept.max(1) as f64,
        size as f64 * 60.0 / 1e6
    );
}
