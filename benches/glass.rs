//! A streamed trade on the glass, end to end: the release binary in a 200x60 tmux
//! pane, 50 streamed symbols, and a marker trade at a price nothing else shows,
//! timed from the moment the websocket server sent it until `tmux capture-pane`
//! shows it. Idle (only the markers) and under 100 ticks a second.
//! `cargo bench --bench glass` (needs tmux; benches/compare.sh runs it).
#![allow(clippy::print_stdout)] // a report for the terminal

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

#[path = "support/http.rs"]
mod http;
#[path = "support/ticks.rs"]
mod ticks;

const MARKERS: u32 = 40;
const SESSION: &str = "tw-glass";
/// The marker's symbol: the second row of the watchlist, in view at any size.
const MARKED: &str = "S001";

/// A marker to send: its price, and where to say when it left.
type Marker = (f32, oneshot::Sender<Instant>);

/// The stream: `per_sec` ticks round the symbols (the marked one excepted), and each
/// marker as soon as it comes.
async fn serve(per_sec: u64, mut markers: mpsc::UnboundedReceiver<Marker>) -> String {
    let (listener, url) = ticks::listen().await;
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let Some(mut out) = ticks::accept(tcp).await else {
            return;
        };
        let names: Vec<String> = ticks::symbols().into_iter().filter(|s| s != MARKED).collect();
        let mut every = ticks::pace(per_sec).map(tokio::time::interval);
        for n in 0u64.. {
            let tick = async {
                match every.as_mut() {
                    Some(i) => i.tick().await,
                    None => std::future::pending().await,
                }
            };
            let text = tokio::select! {
                _ = tick => ticks::frame(&names[n as usize % names.len()], 100.0 + (n % 7) as f32 * 0.01),
                Some((price, sent)) = markers.recv() => {
                    if out.send(Message::text(ticks::frame(MARKED, price))).await.is_err() {
                        return;
                    }
                    let _ = sent.send(Instant::now());
                    continue;
                }
            };
            if out.send(Message::text(text)).await.is_err() {
                return;
            }
        }
    });
    url
}

fn tmux(args: &[&str]) -> String {
    Command::new("tmux")
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn cpu_ticks(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let at = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    at(11) + at(12)
}

struct Run {
    latencies: Vec<Duration>,
    missed: u32,
    cpu_pct: f64,
}

async fn run(per_sec: u64, charts: &str, dir: &std::path::Path) -> Run {
    let (tx, rx) = mpsc::unbounded_channel();
    let stream = serve(per_sec, rx).await;
    let list: Vec<String> = ticks::symbols().iter().map(|s| format!("\"{s}\"")).collect();
    let config = dir.join(format!("glass-{per_sec}.toml"));
    std::fs::write(
        &config,
        format!(
            "[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n[general]\nquote_interval = \"30s\"\n[[watchlist]]\nname = \"Load\"\n\
             symbols = [{}]\n[quotes]\nproviders = [\"yahoo\"]\nstream = true\n[providers.yahoo]\n\
             base_url = \"{charts}\"\nstream_url = \"{stream}\"\n",
            list.join(", ")
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let home = dir.display();
    let cmd = format!(
        "exec env HOME={home} XDG_CONFIG_HOME={home} XDG_DATA_HOME={home} XDG_STATE_HOME={home} {} -c {} --no-cache",
        env!("CARGO_BIN_EXE_tickwire"),
        config.display()
    );
    tmux(&["kill-session", "-t", SESSION]);
    tmux(&["new-session", "-d", "-s", SESSION, "-x", "200", "-y", "60", &cmd]);
    let shown = |text: &str| tmux(&["capture-pane", "-p", "-t", SESSION]).contains(text);
    let ready = Instant::now();
    while !shown("100.00") && ready.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Past the stream's connection and the first polls.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = tmux(&["display", "-p", "-t", SESSION, "#{pane_pid}"])
        .trim()
        .to_string();
    let cpu0 = (cpu_ticks(&pid), Instant::now());
    let mut latencies = Vec::new();
    let mut missed = 0;
    for k in 0..MARKERS {
        // Between markers, an uneven wait: a marker lands anywhere in the frame cycle.
        tokio::time::sleep(Duration::from_millis(300 + u64::from(k * 37 % 400))).await;
        let price = 300.0 + k as f32 + 0.37;
        let text = format!("{price:.2}");
        let (sent_tx, sent_rx) = oneshot::channel();
        if tx.send((price, sent_tx)).is_err() {
            break;
        }
        let Ok(sent) = sent_rx.await else { break };
        loop {
            if shown(&text) {
                latencies.push(sent.elapsed());
                break;
            }
            if sent.elapsed() > Duration::from_secs(3) {
                missed += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    let hz = 100.0; // USER_HZ on Linux
    let cpu_pct = (cpu_ticks(&pid) - cpu0.0) / hz / cpu0.1.elapsed().as_secs_f64() * 100.0;
    tmux(&["kill-session", "-t", SESSION]);
    latencies.sort();
    Run {
        latencies,
        missed,
        cpu_pct,
    }
}

fn main() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("glass: SKIPPED, tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let charts = ticks::serve_charts();
    println!(
        "stream to glass: {MARKERS} marker trades, the binary in a 200x60 tmux pane, {} streamed symbols",
        ticks::SYMBOLS
    );
    println!(
        "{:<26} {:>8} {:>8} {:>8} {:>8} {:>11}",
        "load", "p50 ms", "p90 ms", "max ms", "missed", "CPU % core"
    );
    for per_sec in [0, 100] {
        let r = rt.block_on(run(per_sec, &charts, dir.path()));
        let pick = |q: usize| {
            let v = &r.latencies;
            v.get((v.len() * q / 100).min(v.len().saturating_sub(1)))
                .map_or(0, Duration::as_millis)
        };
        let load = if per_sec == 0 {
            "idle (markers only)".to_string()
        } else {
            format!("{per_sec} ticks/s")
        };
        println!(
            "{load:<26} {:>8} {:>8} {:>8} {:>8} {:>11.1}",
            pick(50),
            pick(90),
            pick(100),
            r.missed,
            r.cpu_pct
        );
    }
}
