//! Command line (SPEC §1) and the dispatch from it.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::{self, Config};
use crate::ui::Theme;
use crate::{app, cache, demo, history, logging, once, opml};

mod recorded;

use chrono::NaiveDate;

#[derive(Debug, Parser)]
#[command(
    name = "tickwire",
    version,
    about = "A terminal monitor for market shocks: prices, drops flagged, headlines"
)]
pub struct Cli {
    /// Config file (else $TICKWIRE_CONFIG, else $XDG_CONFIG_HOME/tickwire/config.toml, else the built-in default)
    #[arg(short, long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Which watchlist to show first / to snapshot (default: the first)
    #[arg(short, long, global = true, value_name = "NAME")]
    pub watchlist: Option<String>,
    /// Replace live sources with the embedded replay of 27 Jan 2025 (works offline)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Replay speed for --demo and replay DATE (default 195: the 6.5 h session in about 2 minutes)
    #[arg(long, global = true, value_name = "N", value_parser = parse_speed)]
    pub speed: Option<f64>,
    /// SQLite cache file (default $XDG_DATA_HOME/tickwire/cache.db; `once` uses one only when named)
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Run without the cache
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Log file (default $XDG_STATE_HOME/tickwire/tickwire.log)
    #[arg(long, global = true, value_name = "PATH")]
    pub log: Option<PathBuf>,
    /// No news or filings of each symbol's own, whatever the config says (for scripts)
    #[arg(long, global = true)]
    pub no_per_symbol: bool,
    /// More detail in the log: -v debug, -vv trace
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Poll every source once, print a snapshot, exit.
    ///
    /// Quotes and the configured [[feed]]s; each symbol's own news and filings only
    /// with --per-symbol (or [news] once_per_symbol = true), so a cron job on a long
    /// watchlist does not send a request per symbol to a rate-limited host.
    Once {
        /// JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Exit with status 3 when any quote is flagged `alert`
        #[arg(long)]
        fail_on_alert: bool,
        /// Fetch each symbol's own news and filings too
        #[arg(long)]
        per_symbol: bool,
    },
    /// Validate the configuration, print a short summary, exit
    Check,
    /// A symbol's bars over a range, with its dividends and splits (Yahoo's chart API)
    History {
        /// The symbol, as Yahoo writes it (NVDA, ^NDX, SAP.DE)
        symbol: String,
        /// 1d, 5d, 1mo, 3mo, 6mo, ytd, 1y, 5y or max
        #[arg(long, default_value = "1y")]
        range: String,
        /// The bars' interval (default: the one that fits the range)
        #[arg(long)]
        interval: Option<String>,
        /// JSON instead of a table
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// CSV: time,open,high,low,close,adj_close,volume
        #[arg(long)]
        csv: bool,
    },
    /// Replay a day the monitor recorded on the screen (--speed N), or --list the days
    ///
    /// The recording's quotes and headlines go through the same loopback path and
    /// screen as --demo, under your thresholds, watchlists and positions.
    Replay {
        /// The recorded day (YYYY-MM-DD)
        #[arg(required_unless_present_any = ["list", "from"], conflicts_with_all = ["list", "from"])]
        date: Option<NaiveDate>,
        /// List the recorded days with their symbols and alert counts
        #[arg(long)]
        list: bool,
        /// Write the day as files to share (day.json, quotes.csv, headlines.json, alerts.json) instead of replaying it
        #[arg(long, value_name = "DIR", requires = "date")]
        export: Option<PathBuf>,
        /// Replay a day exported with --export
        #[arg(long, value_name = "DIR", conflicts_with = "list")]
        from: Option<PathBuf>,
        /// JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Which alerts other thresholds would have raised on the recorded days
    ///
    /// Each day's quotes go through the monitor's own alert rule, as they came;
    /// -w restricts it to a watchlist's symbols.
    Backtest {
        /// One recorded day (YYYY-MM-DD)
        #[arg(long, conflicts_with = "days")]
        date: Option<NaiveDate>,
        /// The newest N recorded days (default: every one)
        #[arg(long, value_name = "N")]
        days: Option<usize>,
        /// The warn line, a drop in percent, for every symbol (default: the config's)
        #[arg(long, value_name = "PCT", value_parser = parse_pct)]
        warn: Option<f64>,
        /// The alert line, a drop in percent, for every symbol (default: the config's)
        #[arg(long, value_name = "PCT", value_parser = parse_pct)]
        alert: Option<f64>,
        /// JSON: a list of crossings
        #[arg(long)]
        json: bool,
        /// Without a recording: each day's worst move from Yahoo's daily bars (no times, no headlines)
        #[arg(long, conflicts_with_all = ["date", "days"])]
        from_history: bool,
        /// The daily bars' range with --from-history: 1mo, 3mo, 6mo, ytd, 1y, 5y or max
        #[arg(long, default_value = "1y", requires = "from_history")]
        range: String,
    },
    /// Write a commented starter config to the user's config path (never over an existing file)
    Init,
    /// Feeds from / to OPML 2.0
    Opml {
        #[command(subcommand)]
        action: OpmlCmd,
    },
    /// Print the man page (roff): `tickwire man > tickwire.1`
    Man,
    /// Print shell completions
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum OpmlCmd {
    /// Add the feeds of an OPML file (or a newsboat urls file) to the config file
    Import {
        /// The OPML or urls file
        file: PathBuf,
    },
    /// Write the configured feeds as OPML 2.0 to stdout
    Export,
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 100_000.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a speed: give a number above 0, e.g. 60 or 195"
        )),
    }
}

/// A drop line: a percentage between 0 and 100, as the config takes it.
fn parse_pct(s: &str) -> Result<f64, String> {
    match s.trim().trim_end_matches('%').parse::<f64>() {
        Ok(v) if v > 0.0 && v < 100.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a drop: give a percentage above 0 and below 100, e.g. 5"
        )),
    }
}

pub const EXIT_RUNTIME: u8 = 1;
pub const EXIT_CONFIG: u8 = 2;
pub const EXIT_ALERT: u8 = 3;

/// What to do, once the command line is read: every subcommand but
/// `completions`, which needs no configuration and is answered at once.
enum Task {
    Tui,
    Once {
        json: bool,
        fail_on_alert: bool,
        per_symbol: bool,
    },
    Check,
    Import(PathBuf),
    Export,
    History {
        symbol: String,
        range: String,
        interval: Option<String>,
        format: HistoryFormat,
    },
    ReplayList {
        json: bool,
    },
    BacktestHistory {
        range: String,
        trial: crate::record::backtest::Trial,
        json: bool,
    },
    ReplayDay(recorded::DaySource),
    ReplayExport(NaiveDate, PathBuf),
    Backtest {
        days: recorded::Days,
        trial: crate::record::backtest::Trial,
        json: bool,
    },
}

#[derive(Clone, Copy)]
enum HistoryFormat {
    Text,
    Json,
    Csv,
}

/// The configuration a task runs with, live or the replay's.
struct Setup {
    config: Config,
    watchlist: usize,
    replay: Option<Arc<demo::Replay>>,
    rt: tokio::runtime::Runtime,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let task = match cli.command {
        Some(Cmd::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "tickwire", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Some(Cmd::Init) => return init(cli.config.as_deref()),
        Some(Cmd::Man) => {
            // Generated from this very definition: docs/tickwire.1 is checked against it.
            let mut out = std::io::stdout().lock();
            return match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(EXIT_RUNTIME),
            };
        }
        Some(Cmd::Once {
            json,
            fail_on_alert,
            per_symbol,
        }) => Task::Once {
            json,
            fail_on_alert,
            per_symbol,
        },
        Some(Cmd::Check) => Task::Check,
        Some(Cmd::History {
            ref symbol,
            ref range,
            ref interval,
            json,
            csv,
        }) => Task::History {
            symbol: symbol.trim().to_ascii_uppercase(),
            range: range.trim().to_ascii_lowercase(),
            interval: interval.clone(),
            format: match (json, csv) {
                (true, _) => HistoryFormat::Json,
                (_, true) => HistoryFormat::Csv,
                _ => HistoryFormat::Text,
            },
        },
        Some(Cmd::Replay {
            date,
            json,
            ref export,
            ref from,
            ..
        }) => match (date, export, from) {
            (Some(d), Some(dir), _) => Task::ReplayExport(d, dir.clone()),
            (Some(d), None, _) => Task::ReplayDay(recorded::DaySource::Recorded(d)),
            (None, _, Some(dir)) => Task::ReplayDay(recorded::DaySource::Files(dir.clone())),
            (None, _, None) => Task::ReplayList { json },
        },
        Some(Cmd::Backtest {
            warn,
            alert,
            json,
            from_history: true,
            ref range,
            ..
        }) => Task::BacktestHistory {
            range: range.trim().to_ascii_lowercase(),
            trial: crate::record::backtest::Trial { warn, alert },
            json,
        },
        Some(Cmd::Backtest {
            date,
            days,
            warn,
            alert,
            json,
            ..
        }) => Task::Backtest {
            days: match (date, days) {
                (Some(d), _) => recorded::Days::One(d),
                (None, Some(n)) => recorded::Days::Newest(n),
                (None, None) => recorded::Days::All,
            },
            trial: crate::record::backtest::Trial { warn, alert },
            json,
        },
        Some(Cmd::Opml {
            action: OpmlCmd::Import { ref file },
        }) => Task::Import(file.clone()),
        Some(Cmd::Opml {
            action: OpmlCmd::Export,
        }) => Task::Export,
        None => Task::Tui,
    };
    if cli.speed.is_some() && !cli.demo && !matches!(task, Task::ReplayDay(_)) {
        say("--speed applies to a replay only (--demo, replay DATE)");
        return ExitCode::from(EXIT_CONFIG);
    }
    match run(&cli, task) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            say(&format!("{e:#}"));
            ExitCode::from(EXIT_RUNTIME)
        }
    }
}

/// A message on stderr. The terminal may be gone (SIGHUP, the pane killed):
/// that is no reason to panic on the way out.
fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "tickwire: {msg}");
}

/// The cache `once` was given, opened on a thread of its own while the config
/// is read: on a cold run the two took some 1.3 and 1.2 ms one after the other,
/// before any request (the HTTP client, which needs the config, is built beside
/// the opening already). Dropped unused (the config was refused), it still waits
/// for the opening to end before the process does.
struct EarlyCache(Option<std::thread::JoinHandle<cache::Opened>>);

impl EarlyCache {
    fn start(cli: &Cli, task: &Task) -> Self {
        let path = match (task, &cli.cache) {
            (Task::Once { .. }, Some(path)) if !cli.no_cache && !cli.demo => path.clone(),
            _ => return Self(None),
        };
        // What the opening logs (a corrupt file kept aside) goes to the log as before.
        logging::init(cli.log.clone(), cli.verbose);
        Self(
            std::thread::Builder::new()
                .name("tickwire-open".into())
                .spawn(move || cache::open_brief(&path))
                .ok(),
        )
    }

    /// The opening's outcome, if it was started.
    fn take(mut self) -> Option<cache::Opened> {
        let opening = self.0.take()?;
        Some(opening.join().unwrap_or_else(|_| cache::Opened {
            cache: None,
            warning: Some("running without a cache: its opening failed".into()),
        }))
    }
}

impl Drop for EarlyCache {
    fn drop(&mut self) {
        if let Some(opening) = self.0.take() {
            let _ = opening.join();
        }
    }
}

fn run(cli: &Cli, task: Task) -> color_eyre::Result<ExitCode> {
    let early = EarlyCache::start(cli, &task);
    let setup = if cli.demo {
        let _log = logging::init(cli.log.clone(), cli.verbose);
        demo_setup(cli, matches!(task, Task::Once { .. }))?
    } else {
        live_setup(cli)?
    };
    let setup = match setup {
        Ok(s) => s,
        // Configuration errors are printed before anything touches the terminal.
        Err(msg) => {
            say(&msg);
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let Setup {
        config,
        watchlist,
        replay,
        rt,
    } = setup;
    match task {
        Task::Check => {
            writeln!(std::io::stdout(), "{}", config.summary())?;
            Ok(ExitCode::SUCCESS)
        }
        Task::History { .. } if replay.is_some() => {
            say("history works on live data, not on --demo (the replay has one day)");
            Ok(ExitCode::from(EXIT_CONFIG))
        }
        Task::History {
            symbol,
            range,
            interval,
            format,
        } => rt.block_on(run_history(&config, &symbol, &range, interval.as_deref(), format)),
        Task::ReplayList { .. }
        | Task::Backtest { .. }
        | Task::BacktestHistory { .. }
        | Task::ReplayDay(_)
        | Task::ReplayExport(..)
            if replay.is_some() =>
        {
            say("replay and backtest read your recording, not --demo");
            Ok(ExitCode::from(EXIT_CONFIG))
        }
        Task::BacktestHistory { range, trial, json } => {
            let symbols = match &cli.watchlist {
                Some(_) => config.watchlists[watchlist].symbols.clone(),
                None => config.all_symbols(),
            };
            Ok(rt.block_on(recorded::backtest_history(&config, &symbols, &range, trial, json)))
        }
        Task::ReplayExport(date, dir) => {
            let path = match recorded::recording_path(cli.cache.as_ref(), cli.no_cache) {
                Ok(p) => p,
                Err(why) => {
                    say(&why);
                    return Ok(ExitCode::from(EXIT_CONFIG));
                }
            };
            Ok(recorded::export(&path, date, &dir))
        }
        Task::ReplayDay(source) => {
            let day = match source.load(cli.cache.as_ref(), cli.no_cache) {
                Ok(day) => day,
                Err(why) => {
                    say(&why);
                    return Ok(ExitCode::from(EXIT_CONFIG));
                }
            };
            let Some((replay, config, watchlist)) =
                recorded::replay_setup(day, &config, cli.speed, cli.watchlist.as_deref(), &rt)?
            else {
                return Ok(ExitCode::from(EXIT_CONFIG));
            };
            color_eyre::install()?;
            let theme = Theme { color: !no_color() };
            let clock = app::Clock::Replay(replay);
            rt.block_on(app::run(
                Arc::new(config),
                watchlist,
                theme,
                clock,
                app::Resume::default(),
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Task::ReplayList { json } => Ok(match recorded::recording_path(cli.cache.as_ref(), cli.no_cache) {
            Ok(path) => recorded::list(&path, json),
            Err(why) => {
                say(&why);
                ExitCode::from(EXIT_CONFIG)
            }
        }),
        Task::Backtest { days, trial, json } => {
            let path = match recorded::recording_path(cli.cache.as_ref(), cli.no_cache) {
                Ok(p) => p,
                Err(why) => {
                    say(&why);
                    return Ok(ExitCode::from(EXIT_CONFIG));
                }
            };
            let only = cli
                .watchlist
                .is_some()
                .then(|| config.watchlists[watchlist].symbols.clone());
            Ok(recorded::backtest(
                &path,
                &config,
                days,
                trial,
                only.as_deref(),
                json,
            ))
        }
        Task::Import(_) | Task::Export if replay.is_some() => {
            say("opml works on your config, not on --demo");
            Ok(ExitCode::from(EXIT_CONFIG))
        }
        Task::Export => {
            let _ = std::io::stdout().write_all(opml::export(&config, chrono::Utc::now()).as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        Task::Import(file) => run_import(&config, &file),
        Task::Once {
            json,
            fail_on_alert,
            per_symbol,
        } => {
            let mut config = config;
            if !(per_symbol || config.news.once_per_symbol || replay.is_some()) {
                config.news.per_symbol = false;
            }
            // The client is built while the cache opens (its root certificates load on
            // a thread of their own, see source::tls).
            let general = config.general.clone();
            let http = std::thread::spawn(move || crate::source::Http::new(&general));
            // `once` touches a cache only when one is named, and never for the replay.
            let opened = early.take();
            if let Some(w) = opened.as_ref().and_then(|o| o.warning.as_ref()) {
                say(w);
            }
            let (cache, restored) = opened.and_then(|o| o.cache).unzip();
            let held = cache.as_ref().zip(restored);
            let http = http
                .join()
                .map_err(|_| color_eyre::eyre::eyre!("the HTTP client could not be built"))??;
            // The replay's snapshot is of its close, and says so.
            let at = replay.as_ref().map(|r| r.clock.now());
            let snap = rt.block_on(once::snapshot(&config, watchlist, held, http, at, json))?;
            let code = print_snapshot(&snap, json, fail_on_alert);
            // The process ends here: freeing 10,000 headlines one by one took 5 ms of a
            // 120 ms run. The cache is still dropped, which commits what is queued.
            std::mem::forget(snap);
            drop(cache);
            code
        }
        Task::Tui => {
            color_eyre::install()?;
            let theme = Theme { color: !no_color() };
            // The replay never touches the user's cache unless one is named.
            let resume = open_cache(cli, replay.is_none());
            let clock = replay.map_or(app::Clock::Wall, app::Clock::Replay);
            rt.block_on(app::run(Arc::new(config), watchlist, theme, clock, resume))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `history`: the range and interval checked, one request, the bars printed.
async fn run_history(
    config: &Config,
    symbol: &str,
    range: &str,
    interval: Option<&str>,
    format: HistoryFormat,
) -> color_eyre::Result<ExitCode> {
    if !config::is_valid_symbol(symbol) {
        say(&format!(
            "{symbol:?} is not a symbol: write it as Yahoo does (NVDA, ^NDX, SAP.DE)"
        ));
        return Ok(ExitCode::from(EXIT_CONFIG));
    }
    let Some(fitting) = history::interval_for(range) else {
        let known: Vec<&str> = history::RANGES.iter().map(|(r, _)| *r).collect();
        say(&format!("unknown range {range:?} (one of: {})", known.join(", ")));
        return Ok(ExitCode::from(EXIT_CONFIG));
    };
    let interval = interval
        .map(|i| i.trim().to_ascii_lowercase())
        .unwrap_or_else(|| fitting.to_string());
    if !history::INTERVALS.contains(&interval.as_str()) {
        say(&format!(
            "unknown interval {interval:?} (one of: {})",
            history::INTERVALS.join(", ")
        ));
        return Ok(ExitCode::from(EXIT_CONFIG));
    }
    let base = config.yahoo_base();
    let http = crate::source::Http::new(&config.general)?;
    let deadline = tokio::time::Instant::now() + config.general.timeout;
    let h = match history::fetch(&http, &base, symbol, range, &interval, deadline).await {
        Ok((_, h)) => h,
        Err(why) => {
            say(&format!("{symbol}: {why}"));
            return Ok(ExitCode::from(EXIT_RUNTIME));
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match format {
        HistoryFormat::Json => serde_json::to_writer_pretty(&mut out, &h)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        HistoryFormat::Csv => out.write_all(h.csv().as_bytes()),
        HistoryFormat::Text => out.write_all(h.text().as_bytes()),
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The user's configuration; logging starts once it is known to be valid.
fn live_setup(cli: &Cli) -> color_eyre::Result<Result<Setup, String>> {
    let (config, watchlist) = match load(cli) {
        Ok(v) => v,
        Err(msg) => return Ok(Err(msg)),
    };
    let _log = logging::init(cli.log.clone(), cli.verbose);
    Ok(Ok(Setup {
        config,
        watchlist,
        replay: None,
        rt: runtime()?,
    }))
}

/// `--demo`: the replay's server and config instead of live sources and the
/// user's config, then the same `once`, `check` or TUI as live.
fn demo_setup(cli: &Cli, once: bool) -> color_eyre::Result<Result<Setup, String>> {
    let replay = if once {
        demo::Replay::at_close()
    } else {
        demo::Replay::live(cli.speed.unwrap_or(demo::DEFAULT_SPEED))
    };
    let rt = runtime()?;
    let port = rt.block_on(demo::start(Arc::clone(&replay)))?;
    let config = demo::config(port).map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    Ok(
        pick_watchlist(&config, cli.watchlist.as_deref()).map(|watchlist| Setup {
            config,
            watchlist,
            replay: Some(replay),
            rt,
        }),
    )
}

fn load(cli: &Cli) -> Result<(Config, usize), String> {
    if cli.no_per_symbol {
        config::no_per_symbol();
    }
    let origin =
        config::locate(cli.config.as_deref(), |k| std::env::var(k).ok()).map_err(|e| e.to_string())?;
    let config = config::load(origin).map_err(|e| e.to_string())?;
    let watchlist = pick_watchlist(&config, cli.watchlist.as_deref())?;
    Ok((config, watchlist))
}

fn pick_watchlist(config: &Config, name: Option<&str>) -> Result<usize, String> {
    match name {
        None => Ok(0),
        Some(name) => config.watchlist_index(name).ok_or_else(|| {
            let names: Vec<&str> = config.watchlists.iter().map(|w| w.name.as_str()).collect();
            format!("no watchlist named \"{name}\" (configured: {})", names.join(", "))
        }),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

/// NO_COLOR (any non-empty value) turns colour off everywhere: https://no-color.org
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn print_snapshot(snap: &once::Snapshot, json: bool, fail_on_alert: bool) -> color_eyre::Result<ExitCode> {
    let written = (|| -> std::io::Result<()> {
        // Buffered: stdout is line-buffered, and the JSON of 10,000 headlines is 100,000
        // lines (a write(2) for each, a fifth of a cold `once`).
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        if json {
            snap.write_json(&mut out)?;
            writeln!(out)?;
        } else {
            let color = std::io::stdout().is_terminal() && !no_color();
            snap.write_text(&mut out, color)?;
        }
        out.flush()
    })();
    match written {
        // `tickwire once | head` closes the pipe early: that is the reader's choice.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    Ok(if fail_on_alert && snap.any_alert() {
        ExitCode::from(EXIT_ALERT)
    } else if snap.quotes.iter().all(|q| q.price.is_none()) {
        // Nothing could be priced: cron should hear about it, the snapshot says why.
        ExitCode::from(EXIT_RUNTIME)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_import(config: &Config, file: &std::path::Path) -> color_eyre::Result<ExitCode> {
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            say(&format!("{}: {e}", file.display()));
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let found = match opml::parse_import(&text) {
        Ok(f) => f,
        Err(e) => {
            say(&format!("{}: {e}", file.display()));
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    // The running default has no file of its own: the import creates the user's.
    let target = match &config.origin {
        config::ConfigOrigin::File(p) => p.clone(),
        config::ConfigOrigin::Demo => {
            say("opml import edits your config file; it does not apply to --demo");
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
        config::ConfigOrigin::Embedded => match config::user_config_path(&|k| std::env::var(k).ok()) {
            Some(p) => p,
            None => {
                say("no config file to import into: set $HOME or pass -c PATH");
                return Ok(ExitCode::from(EXIT_CONFIG));
            }
        },
    };
    let done = match opml::import(found, config, &target) {
        Ok(d) => d,
        Err(e) => {
            say(&format!("import failed, nothing written: {e}"));
            return Ok(ExitCode::from(EXIT_RUNTIME));
        }
    };
    let mut out = std::io::stdout();
    writeln!(
        out,
        "added {} feed(s) to {}, skipped {} already configured",
        done.added.len(),
        done.path.display(),
        done.duplicates
    )?;
    for name in &done.added {
        writeln!(out, "  + {name}")?;
    }
    for url in &done.refused {
        writeln!(out, "  skipped (not an http or https URL): {url}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens the cache named by --cache, else (when `default` allows) the default
/// one; --no-cache, or no path at all, means none. Problems become a notice.
fn open_cache(cli: &Cli, default: bool) -> app::Resume {
    if cli.no_cache {
        return app::Resume::default();
    }
    let Some(path) = cli
        .cache
        .clone()
        .or_else(|| default.then(cache::default_path).flatten())
    else {
        return app::Resume::default();
    };
    let opened = cache::open(&path);
    let (cache, snapshot) = opened.cache.unzip();
    app::Resume {
        cache,
        snapshot: snapshot.unwrap_or_default(),
        notice: opened.warning,
    }
}

/// The sections config/example.toml documents, for the starter's pointers.
const SECTIONS: &str = "[general] intervals, timeouts, limits, columns · [alerts] lines, bell, command, \
notifications, position_loss · [[watchlist]] · [symbol.\"X\"] names, keywords, thresholds, positions · \
[[feed]] · [news] per-symbol news and SEC filings · [quotes] providers and the streams · \
[providers.*] base URLs, Finnhub's key, Coinbase · [halts] · [signals] · [market] · [record] · \
[portfolio] one currency";

/// `tickwire init`: the built-in configuration, commented, as the user's file
/// (or `-c PATH`), written only where no file is.
fn init(path: Option<&std::path::Path>) -> ExitCode {
    let Some(path) = path
        .map(std::path::Path::to_path_buf)
        .or_else(|| config::user_config_path(&|k| std::env::var(k).ok()))
    else {
        say("no place for a config file: set $HOME or pass -c PATH");
        return ExitCode::from(EXIT_CONFIG);
    };
    let text = format!(
        "# Written by `tickwire init`: the built-in configuration, yours to change.\n\
         # Every key is documented in config/example.toml of the tickwire sources:\n\
         # {SECTIONS}.\n\
         # `tickwire check` validates this file.\n\n{}",
        config::DEFAULT_CONFIG
    );
    match config::write_checked(&path, &text, &config::Expect::Absent) {
        Ok(()) => {
            let _ = writeln!(
                std::io::stdout(),
                "wrote {}: `tickwire check` validates it",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(config::WriteError::Created(_)) => {
            say(&format!("{} exists already: nothing was written", path.display()));
            ExitCode::from(EXIT_CONFIG)
        }
        Err(e) => {
            say(&e.to_string());
            ExitCode::from(EXIT_RUNTIME)
        }
    }
}
