//! The price stream under load, in process: 100 ticks a second across 50 symbols
//! from a websocket server on 127.0.0.1, through the supervisor, the reducer and
//! a 200x60 frame drawn when the app's own frame policy (`app::frames`) says.
//! `cargo bench --bench stream`; benches/glass.rs measures the same end to end.
//!
//! Reported: tick to screen (a tick's send time to the end of the first frame
//! drawn after it was applied), alert latency (the crossing tick's send time to
//! the reducer asking for the bell and the command), and CPU time and RSS over
//! the window, side by side with the same run polling only.
#![allow(clippy::print_stdout)] // a report for the terminal

use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tickwire::action::Command;
use tickwire::app::frames::Frames;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::StreamEvent;
use tickwire::source::{Output, Sources};
use tickwire::state::State;
use tickwire::ui::{self, Theme};
use tickwire::update::on_event;
use tokio_tungstenite::tungstenite::Message;

#[path = "support/http.rs"]
mod http;
#[path = "support/ticks.rs"]
mod ticks;

use ticks::{SYMBOLS, epoch_ms, symbols};

const TICKS_PER_SEC: u64 = 100;
const WINDOW: Duration = Duration::from_secs(20);

/// 100 ticks a second round the 50 symbols; S000 falls 20% after 10 s.
async fn serve_ticks() -> String {
    let (listener, url) = ticks::listen().await;
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Some(mut out) = ticks::accept(tcp).await else {
                    return;
                };
                let names = symbols();
                let start = tokio::time::Instant::now();
                let mut every = tokio::time::interval(ticks::pace(TICKS_PER_SEC).unwrap_or(WINDOW));
                for n in 0u64.. {
                    every.tick().await;
                    let i = (n as usize) % SYMBOLS;
                    let crashed = i == 0 && start.elapsed() > WINDOW / 2;
                    let price = if crashed {
                        80.0
                    } else {
                        100.0 + (n % 7) as f32 * 0.01
                    };
                    let text = ticks::frame(&names[i], price);
                    if out.send(Message::text(text)).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn cpu_and_rss() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let cpu = (ticks(11) + ticks(12)) / 100.0; // utime + stime, in clock ticks of 1/100 s
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0);
    (cpu, rss)
}

struct Run {
    cpu: f64,
    rss_kb: u64,
    tick_to_screen: Vec<Duration>,
    alert: Option<Duration>,
}

async fn run(stream_url: Option<String>, charts: &str) -> Run {
    let list: Vec<String> = symbols().iter().map(|s| format!("\"{s}\"")).collect();
    let mut text = format!(
        "[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[general]\nquote_interval = \"30s\"\n[[watchlist]]\nname = \"Load\"\nsymbols = [{}]\n\
         [quotes]\nproviders = [\"yahoo\"]\nstream = {}\n[providers.yahoo]\nbase_url = \"{charts}\"\n",
        list.join(", "),
        stream_url.is_some()
    );
    if let Some(url) = &stream_url {
        text.push_str(&format!("stream_url = \"{url}\"\n"));
    }
    let config = Arc::new(parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}")));
    let (mut sources, mut rx) =
        Sources::start(&config, Default::default(), None).unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(Arc::clone(&config), 0, chrono::Local::now().fixed_offset());
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| panic!("{e}"));
    let (cpu0, _) = cpu_and_rss();
    let end = tokio::time::Instant::now() + WINDOW;
    let mut pending: Vec<i64> = Vec::new();
    let mut latencies = Vec::new();
    let mut alert = None;
    let mut frames = Frames::new();
    while tokio::time::Instant::now() < end {
        tokio::select! {
            Some(d) = rx.recv() => {
                let Some(output) = sources.accept(d) else { continue };
                let sent = match &output {
                    Output::Stream(e) => match &**e {
                        StreamEvent::Tick { ticker, .. } => ticker.time.map(|t| t.timestamp_millis()),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(event) = Event::of(output) else { continue };
                let out = on_event(&mut state, event);
                if let Some(ms) = sent {
                    if out.commands.iter().any(|c| matches!(c, Command::Announce(_))) && alert.is_none() {
                        alert = Some(Duration::from_millis((epoch_ms() - ms).max(0) as u64));
                    }
                    if out.changed {
                        pending.push(ms);
                    }
                }
                frames.mark(out.changed);
            }
            () = frames.next(), if frames.waiting() => {}
            () = tokio::time::sleep_until(end) => {}
        }
        if frames.due() {
            let _ = term.draw(|f| ui::render(f, &state, Theme { color: true }));
            frames.drawn();
            let done = epoch_ms();
            latencies.extend(
                pending
                    .drain(..)
                    .map(|ms| Duration::from_millis((done - ms).max(0) as u64)),
            );
        }
    }
    let (cpu1, rss_kb) = cpu_and_rss();
    sources.shutdown();
    Run {
        cpu: cpu1 - cpu0,
        rss_kb,
        tick_to_screen: latencies,
        alert,
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let charts = ticks::serve_charts();
    let polling = rt.block_on(run(None, &charts));
    let url = rt.block_on(serve_ticks());
    let mut streaming = rt.block_on(run(Some(url), &charts));
    streaming.tick_to_screen.sort();
    let pick = |q: usize| {
        let v = &streaming.tick_to_screen;
        v.get((v.len() * q / 100).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let secs = WINDOW.as_secs_f64();
    println!(
        "stream: {TICKS_PER_SEC} ticks/s across {SYMBOLS} symbols for {secs:.0} s, a 200x60 frame as the app draws them"
    );
    println!("{:<28} {:>12} {:>10}", "", "CPU % core", "RSS MB");
    for (name, r) in [("polling only", &polling), ("polling + stream", &streaming)] {
        println!(
            "{name:<28} {:>12.1} {:>10.1}",
            r.cpu / secs * 100.0,
            r.rss_kb as f64 / 1024.0
        );
    }
    println!(
        "tick to screen: {} ticks, p50 {} ms, p99 {} ms, max {} ms",
        streaming.tick_to_screen.len(),
        pick(50).as_millis(),
        pick(99).as_millis(),
        pick(100).as_millis()
    );
    match streaming.alert {
        Some(d) => println!(
            "alert (bell and command asked for) {} ms after the crossing tick was sent",
            d.as_millis()
        ),
        None => println!("no alert: the crossing tick did not arrive"),
    }
}
