//! `replay --list` and `backtest`: what the recording in the cache holds, and
//! what other thresholds would have raised on it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{EXIT_CONFIG, EXIT_RUNTIME, say};
use crate::config::Config;
use crate::format::count;
use crate::record::backtest::{self, Crossing, Trial};
use crate::record::read::{self, RecordedDay};

/// Which recorded days a back-test runs over.
#[derive(Debug, Clone, Copy)]
pub enum Days {
    All,
    One(NaiveDate),
    Newest(usize),
}

/// The recording's file: `--cache`, else the default cache.
pub fn recording_path(cache: Option<&PathBuf>, no_cache: bool) -> Result<PathBuf, String> {
    if no_cache {
        return Err("the recording is in the cache: --no-cache leaves nothing to read".into());
    }
    cache
        .cloned()
        .or_else(crate::cache::default_path)
        .ok_or_else(|| "no cache path: name one with --cache".into())
}

fn open(path: &std::path::Path) -> Result<rusqlite::Connection, String> {
    if !path.exists() {
        return Err(format!(
            "nothing recorded yet: {} does not exist (the monitor records while it runs)",
            path.display()
        ));
    }
    let conn = read::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // A cache from before recording (its monitor not run since): nothing recorded.
    let recorded: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'rec_ticks')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !recorded {
        return Err(format!(
            "nothing recorded yet in {} (the monitor records while it runs)",
            path.display()
        ));
    }
    Ok(conn)
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_RUNTIME),
        _ => ExitCode::SUCCESS,
    }
}

/// `replay --list`: each recorded day, its symbols and alert count, newest first.
pub fn list(path: &std::path::Path, json: bool) -> ExitCode {
    let days = match open(path).and_then(|c| read::days(&c).map_err(|e| e.to_string())) {
        Ok(d) => d,
        Err(why) => {
            say(&why);
            return ExitCode::from(EXIT_RUNTIME);
        }
    };
    if json {
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&days).unwrap_or_default()
        ));
    }
    if days.is_empty() {
        return print("nothing recorded yet: the monitor records while it runs ([record] enabled)\n");
    }
    let mut text = String::new();
    for d in &days {
        let shown: Vec<&str> = d.symbols.iter().take(12).map(String::as_str).collect();
        let more = d.symbols.len().saturating_sub(shown.len());
        text.push_str(&format!(
            "{} {} ({}{}) · {} · {} · {}\n",
            d.day.format("%a %Y-%m-%d"),
            shown.join(" "),
            count(d.symbols.len(), "symbol"),
            if more > 0 {
                format!(", {more} more")
            } else {
                String::new()
            },
            count(d.points, "point"),
            count(d.alerts, "alert"),
            count(d.headlines, "headline")
        ));
    }
    print(&text)
}

/// Where a replayed day comes from.
#[derive(Debug, Clone)]
pub enum DaySource {
    /// A day in the cache's recording.
    Recorded(NaiveDate),
    /// A day exported with `replay DATE --export DIR`.
    Files(PathBuf),
}

impl DaySource {
    pub fn load(&self, cache: Option<&PathBuf>, no_cache: bool) -> Result<RecordedDay, String> {
        match self {
            Self::Files(dir) => crate::record::export::read(dir),
            Self::Recorded(date) => recorded_day(&recording_path(cache, no_cache)?, *date),
        }
    }
}

fn recorded_day(path: &std::path::Path, date: NaiveDate) -> Result<RecordedDay, String> {
    read::day(&open(path)?, date)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{date} was not recorded (tickwire replay --list)"))
}

/// `replay DATE --export DIR`.
pub fn export(path: &std::path::Path, date: NaiveDate, dir: &std::path::Path) -> ExitCode {
    match recorded_day(path, date).and_then(|day| crate::record::export::write(&day, dir).map(|()| day)) {
        Ok(day) => print(&format!(
            "{date}: {} points of {} symbols, {} headlines, {} alerts written to {} (tickwire replay --from {})\n",
            day.quotes.len(),
            day.quotes
                .iter()
                .map(|(_, q)| &q.symbol)
                .collect::<std::collections::HashSet<_>>()
                .len(),
            day.headlines.len(),
            day.alerts.len(),
            dir.display(),
            dir.display()
        )),
        Err(why) => {
            say(&why);
            ExitCode::from(if why.contains("was not recorded") {
                EXIT_CONFIG
            } else {
                EXIT_RUNTIME
            })
        }
    }
}

/// `replay DATE` or `replay --from DIR`: the day's server started on `rt`,
/// the user's config pointed at it, and the watchlist to show first; `None`
/// when -w names none of them (said why).
pub fn replay_setup(
    day: RecordedDay,
    config: &Config,
    speed: Option<f64>,
    watchlist: Option<&str>,
    rt: &tokio::runtime::Runtime,
) -> color_eyre::Result<Option<(std::sync::Arc<crate::demo::Replay>, Config, usize)>> {
    let date = day.day;
    let mut symbols: Vec<String> = day.quotes.iter().map(|(_, q)| q.symbol.clone()).collect();
    symbols.sort();
    symbols.dedup();
    let replay = crate::demo::Replay::recorded(day, speed.unwrap_or(crate::demo::DEFAULT_SPEED));
    let port = rt.block_on(crate::demo::start(std::sync::Arc::clone(&replay)))?;
    let config = crate::demo::recorded::config(config, port, &symbols, date);
    let index = match watchlist {
        None => 0,
        Some(name) => match config
            .watchlists
            .iter()
            .position(|w| w.name.eq_ignore_ascii_case(name))
        {
            Some(i) => i,
            None => {
                let names: Vec<&str> = config.watchlists.iter().map(|w| w.name.as_str()).collect();
                say(&format!(
                    "no watchlist {name:?} with a symbol recorded on {date} (there are: {})",
                    names.join(", ")
                ));
                return Ok(None);
            }
        },
    };
    Ok(Some((replay, config, index)))
}

/// The effective lines of `trial` under `config`, refused when the warn line is
/// not the smaller drop.
fn lines(config: &Config, trial: Trial) -> Result<(f64, f64), String> {
    let t = config.alerts.thresholds;
    let (warn, alert) = (
        trial.warn.unwrap_or(t.warn_drop_pct),
        trial.alert.unwrap_or(t.alert_drop_pct),
    );
    if warn >= alert {
        return Err(format!(
            "the warn line ({warn}%) must be a smaller drop than the alert line ({alert}%)"
        ));
    }
    Ok((warn, alert))
}

/// `backtest --from-history`: each symbol's daily bars over `range` from
/// Yahoo, each day's worst move against the lines.
pub async fn backtest_history(
    config: &Config,
    symbols: &[String],
    range: &str,
    trial: Trial,
    json: bool,
) -> ExitCode {
    if let Err(why) = lines(config, trial) {
        say(&why);
        return ExitCode::from(EXIT_CONFIG);
    }
    const DAILY: [&str; 7] = ["1mo", "3mo", "6mo", "ytd", "1y", "5y", "max"];
    if !DAILY.contains(&range) {
        say(&format!(
            "unknown range {range:?} for daily bars (one of: {})",
            DAILY.join(", ")
        ));
        return ExitCode::from(EXIT_CONFIG);
    }
    let http = match crate::source::Http::new(&config.general) {
        Ok(h) => h,
        Err(e) => {
            say(&e.to_string());
            return ExitCode::from(EXIT_RUNTIME);
        }
    };
    let base = config.yahoo_base();
    let mut asks = tokio::task::JoinSet::new();
    for (i, symbol) in symbols.iter().enumerate() {
        let (http, base, symbol, range) = (http.clone(), base.clone(), symbol.clone(), range.to_string());
        let deadline = tokio::time::Instant::now() + config.general.timeout;
        asks.spawn(async move {
            let got = crate::history::fetch(&http, &base, &symbol, &range, "1d", deadline).await;
            (i, symbol, got)
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = asks.join_next().await {
        if let Ok(a) = done {
            answers.push(a);
        }
    }
    answers.sort_by_key(|(i, _, _)| *i);
    let mut crossings = Vec::new();
    let mut failed = 0;
    for (_, symbol, got) in answers {
        match got {
            Ok((_, h)) => crossings.extend(backtest::from_bars(config, &h, trial)),
            Err(why) => {
                failed += 1;
                say(&format!("{symbol}: {why}"));
            }
        }
    }
    crossings.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.symbol.cmp(&b.symbol)));
    if failed == symbols.len() && !symbols.is_empty() {
        return ExitCode::from(EXIT_RUNTIME);
    }
    if json {
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&crossings).unwrap_or_default()
        ));
    }
    let (warn, alert) = lines(config, trial).unwrap_or_default();
    let mut text = format!(
        "from daily bars ({range}): each day's worst move, its low against the previous close; no times, no headlines\nthresholds: warn {warn}% alert {alert}%\n"
    );
    let mut days = std::collections::BTreeSet::new();
    for c in &crossings {
        days.insert(c.date);
        text.push_str(&format!(
            "{} {:<8} {:<6} {:>8} low {}\n",
            c.date,
            c.symbol,
            c.level,
            crate::format::pct(c.change_pct),
            crate::format::price(c.price)
        ));
    }
    text.push_str(&format!(
        "{}, {} on {}\n",
        count(symbols.len() - failed, "symbol"),
        count(crossings.len(), "alert"),
        count(days.len(), "day")
    ));
    print(&text)
}

/// `backtest`: each recorded day of `days` through the monitor's reducer under `trial`.
pub fn backtest(
    path: &std::path::Path,
    config: &Config,
    days: Days,
    trial: Trial,
    watchlist: Option<&[String]>,
    json: bool,
) -> ExitCode {
    if let Err(why) = lines(config, trial) {
        say(&why);
        return ExitCode::from(EXIT_CONFIG);
    }
    let run = || -> Result<Vec<(NaiveDate, Vec<Crossing>, usize)>, String> {
        let conn = open(path)?;
        let all = read::days(&conn).map_err(|e| e.to_string())?;
        let chosen: Vec<NaiveDate> = match days {
            Days::All => all.iter().map(|d| d.day).collect(),
            Days::Newest(n) => all.iter().take(n).map(|d| d.day).collect(),
            Days::One(d) if all.iter().any(|x| x.day == d) => vec![d],
            Days::One(d) => return Err(format!("{d} was not recorded (tickwire replay --list)")),
        };
        let mut out = Vec::new();
        // Oldest first: a back-test reads like the days it replays.
        for d in chosen.into_iter().rev() {
            let Some(day) = read::day(&conn, d).map_err(|e| e.to_string())? else {
                continue;
            };
            let live = day.alerts.len();
            out.push((d, backtest::run(config, &day, trial, watchlist), live));
        }
        Ok(out)
    };
    let results = match run() {
        Ok(r) => r,
        Err(why) => {
            say(&why);
            return ExitCode::from(if why.contains("was not recorded") {
                EXIT_CONFIG
            } else {
                EXIT_RUNTIME
            });
        }
    };
    if json {
        let all: Vec<&Crossing> = results.iter().flat_map(|(_, c, _)| c).collect();
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&all).unwrap_or_default()
        ));
    }
    print(&text(&results, config, trial))
}

fn text(results: &[(NaiveDate, Vec<Crossing>, usize)], config: &Config, trial: Trial) -> String {
    let t = config.alerts.thresholds;
    let mut out = format!(
        "thresholds: warn {}% alert {}%{}\n",
        trial.warn.unwrap_or(t.warn_drop_pct),
        trial.alert.unwrap_or(t.alert_drop_pct),
        if trial.warn.is_none() && trial.alert.is_none() {
            " (the config's, with its per-symbol lines)"
        } else {
            " (for every symbol)"
        }
    );
    if results.is_empty() {
        out.push_str("nothing recorded yet: the monitor records while it runs ([record] enabled)\n");
        return out;
    }
    let mut total = 0;
    for (day, crossings, live) in results {
        let et = crate::market::eastern::offset_on(*day);
        for c in crossings {
            out.push_str(&format!(
                "{} {:<8} {:<6} {} ET {:>8} at {}{}\n",
                day,
                c.symbol,
                c.level,
                c.time.with_timezone(&et).format("%H:%M:%S"),
                crate::format::pct(c.change_pct),
                crate::format::price(c.price),
                c.headline
                    .as_ref()
                    .map(|h| format!(" · {}", crate::clean::line(h, 80)))
                    .unwrap_or_default()
            ));
        }
        total += crossings.len();
        out.push_str(&format!(
            "{day}: {} with these thresholds, {live} raised by the monitor that day\n",
            count(crossings.len(), "alert")
        ));
    }
    out.push_str(&format!(
        "{}, {}, {:.1} a day\n",
        count(results.len(), "day"),
        count(total, "alert"),
        total as f64 / results.len() as f64
    ));
    out
}
