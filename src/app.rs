//! The terminal UI's run loop: one `select!` over the terminal, the sources, the
//! config file, a slow clock and signals. The reducer decides; [`App`] performs
//! the side effects it asks for.

mod config_task;
mod effects;
pub mod frames;
mod input;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local};
use crossterm::event::Event as TermEvent;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use crate::action::Command;
use crate::cache::{Cache, Snapshot, Write};
use crate::config::Config;
use crate::demo::Replay;
use crate::event::Event;
use crate::keymap::{map_key, map_mouse};
use crate::source::{Output, Sources};
use crate::state::State;
use crate::ui::{self, Theme};
use crate::update::{Outcome, on_action, on_event};
use crate::{opener, terminal};
use config_task::{ConfigNews, EditRequest};
use frames::Frames;

/// Where the screen's time comes from: the wall clock, or the demo's replay.
pub enum Clock {
    Wall,
    Replay(Arc<Replay>),
}

impl Clock {
    fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Self::Wall => Local::now().fixed_offset(),
            Self::Replay(r) => r.now_local(),
        }
    }
}

/// What the run starts from besides the config: the cache (if any) and what it
/// held, and a warning for the status line (e.g. a cache rebuilt).
#[derive(Default)]
pub struct Resume {
    pub cache: Option<Cache>,
    pub snapshot: Snapshot,
    pub notice: Option<String>,
}

const MISSING_CONTACT: &str = "filings are off: SEC asks for a contact, set [news] sec_user_agent = \"Your Name you@example.com\" (tickwire check)";

/// Everything the loop owns besides the terminal.
struct App {
    state: State,
    recorder: crate::record::Recorder,
    config: Arc<Config>,
    sources: Sources,
    cache: Option<Cache>,
    edits: mpsc::Sender<EditRequest>,
    clock: Clock,
}

pub async fn run(
    config: Arc<Config>,
    watchlist: usize,
    theme: Theme,
    clock: Clock,
    resume: Resume,
) -> color_eyre::Result<()> {
    let Resume {
        cache,
        mut snapshot,
        notice,
    } = resume;
    let validators = snapshot.validators.iter().cloned().collect();
    let usual = snapshot.usual.iter().map(|(s, _, at)| (s.clone(), *at)).collect();
    let (sources, mut deliveries) =
        Sources::start_restored(&config, validators, snapshot.tickers.take(), usual)?;
    let (news_tx, mut config_news) = mpsc::channel(8);
    let (edits, config_task) = config_task::spawn(&config, news_tx);
    let mut signals = Signals::new()?;
    let (mut term, _guard) = terminal::init()?;
    let mut state = State::new(Arc::clone(&config), watchlist, clock.now());
    state.demo = matches!(clock, Clock::Replay(_));
    if let Clock::Replay(r) = &clock {
        state.replay_end = Some(r.clock.end());
        state.replay_day = r.recorded.as_ref().and_then(|s| s.date);
    }
    state.restore(snapshot);
    // A cache problem says more than the SEC reminder; the reminder comes every
    // start until a contact is set (SEC is never asked without one).
    state.notice = notice.or_else(|| config.filings_need_contact().then(|| MISSING_CONTACT.to_string()));
    let mut app = App {
        state,
        recorder: crate::record::Recorder::default(),
        config,
        sources,
        cache,
        edits,
        clock,
    };
    effects::prune(app.cache.as_ref(), &app.config);
    let mut input = input::spawn()?;
    let on_terminal = input::terminal_alive();
    // 1 Hz only because the screen shows ages; a tick redraws only if one changed.
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut ticks: u64 = 0;
    let mut frames = Frames::new();
    let crash = std::env::var("TICKWIRE_TEST_CRASH").ok();

    let result = loop {
        if frames.due() {
            match term
                .draw(|f| ui::render(f, &app.state, theme))
                .map(|done| done.area)
            {
                Ok(size) => {
                    let s = &mut app.state;
                    (s.areas, s.page_rows, s.headline_rows) = ui::measure(size, s);
                }
                Err(e) if terminal_gone(&e) => break Ok(()),
                Err(e) => break Err(e.into()),
            }
            test_crash(crash.as_deref())?;
            frames.drawn();
        }
        let out = tokio::select! {
            ev = input.recv() => {
                frames.urgent();
                match ev {
                    Some(Ok(TermEvent::Key(key))) => map_key(app.state.mode, key)
                        .inspect(|a| tracing::trace!(?key, ?a, "key"))
                        .map(|a| on_action(&mut app.state, a))
                        .unwrap_or_default(),
                    Some(Ok(TermEvent::Mouse(m))) => map_mouse(app.state.mode, m)
                        .map(|a| on_action(&mut app.state, a))
                        .unwrap_or_default(),
                    Some(Ok(TermEvent::Resize(..))) => match term.autoresize() {
                        Ok(()) => Outcome::from(true),
                        Err(e) if terminal_gone(&e) => break Ok(()),
                        Err(e) => break Err(e.into()),
                    },
                    Some(Ok(_)) => Outcome::default(),
                    Some(Err(e)) if terminal_gone(&e) => break Ok(()),
                    Some(Err(e)) => break Err(e.into()),
                    None => break Ok(()), // the terminal went away
                }
            }
            () = frames.next(), if frames.waiting() => Outcome::default(),
            Some(d) = deliveries.recv() => {
                let mut out = app.sources.accept(d).map(|o| app.on_output(o)).unwrap_or_default();
                // A burst of results (every symbol answering at once) costs one frame.
                while let Ok(d) = deliveries.try_recv() {
                    if let Some(o) = app.sources.accept(d) {
                        let more = app.on_output(o);
                        out.changed |= more.changed;
                        out.commands.extend(more.commands);
                    }
                }
                out
            }
            Some(news) = config_news.recv() => app.on_config(news),
            _ = ticker.tick() => {
                if on_terminal && !input::terminal_alive() {
                    tracing::info!("the terminal is gone: quitting");
                    break Ok(());
                }
                ticks += 1;
                // A monitor runs for days: keep the cache as small as the list.
                if ticks.is_multiple_of(300) {
                    effects::prune(app.cache.as_ref(), &app.config);
                }
                let now = app.clock.now();
                let mut out = on_event(&mut app.state, Event::Tick(now));
                out.changed |= app.cache_health();
                out
            }
            signal = signals.recv() => {
                tracing::info!(signal, "quitting on a signal");
                break Ok(());
            }
        };
        frames.mark(out.changed);
        if app.perform(out.commands) {
            break Ok(());
        }
        frames.mark(app.cache_health());
    };
    config_task.abort();
    app.sources.shutdown();
    result
}

impl App {
    fn on_output(&mut self, output: Output) -> Outcome {
        effects::persist(self.cache.as_ref(), &output);
        let recording = self.cache.is_some() && self.config.origin != crate::config::ConfigOrigin::Demo;
        let moved = match &output {
            Output::Quote(o) if o.result.is_ok() => Some(o.symbol.clone()),
            Output::Stream(e) => match &**e {
                crate::model::StreamEvent::Tick { symbol, .. } => Some(symbol.clone()),
                _ => None,
            },
            Output::Feed(o) if recording => {
                if let Ok(crate::model::FeedUpdate::Fresh { headlines, .. }) = &o.result {
                    let kept = self.recorder.headlines(&self.config, headlines, self.state.now);
                    self.record(kept);
                }
                None
            }
            _ => None,
        };
        let out = match Event::of(output) {
            Some(event) => on_event(&mut self.state, event),
            None => Outcome::default(),
        };
        // The quote as the screen now has it (a streamed trade merged into the poll's).
        if let Some(symbol) = moved.filter(|_| recording) {
            let kept = self
                .state
                .entry(&symbol)
                .and_then(|e| e.quote.as_ref())
                .and_then(|q| self.recorder.quote(&self.config, q, self.state.now));
            self.record(kept);
        }
        out
    }

    fn record(&self, kept: Option<crate::record::Recorded>) {
        if let (Some(c), Some(r)) = (&self.cache, kept) {
            c.write(Write::Record(r));
        }
    }

    fn on_config(&mut self, news: ConfigNews) -> Outcome {
        match news {
            ConfigNews::Reloaded(new) => {
                tracing::info!("config file changed: reloaded");
                self.swap_config(new, "the config file changed")
            }
            ConfigNews::Edited(Ok(new)) => {
                tracing::info!("watchlist edited");
                self.swap_config(new, "the watchlist was saved")
            }
            ConfigNews::Invalid(why) => self.notice(format!(
                "the config file changed but is invalid, still running the previous one: {why}"
            )),
            ConfigNews::Edited(Err(why)) => self.notice(why),
        }
    }

    /// The one way a new configuration takes over: sources first, since without
    /// them (no HTTP client, say) the old configuration keeps running.
    fn swap_config(&mut self, new: Config, what: &str) -> Outcome {
        if let Err(e) = self.sources.reconfigure(&new) {
            tracing::error!(error = %e, "cannot restart the sources");
            return self.notice(format!(
                "{what}, but it cannot be used ({e}): still running the previous one"
            ));
        }
        let new = Arc::new(new);
        // Symbols no watchlist has any more leave the cache too.
        effects::forget_removed(self.cache.as_ref(), &self.config, &new);
        self.config = Arc::clone(&new);
        effects::prune(self.cache.as_ref(), &new);
        on_event(&mut self.state, Event::ConfigChanged(new))
    }

    fn notice(&mut self, text: String) -> Outcome {
        on_event(&mut self.state, Event::Notice(text))
    }

    /// Tells the state when the cache's writer falls behind or catches up.
    fn cache_health(&mut self) -> bool {
        let behind = self.cache.as_ref().is_some_and(Cache::behind);
        behind != self.state.cache_behind && on_event(&mut self.state, Event::CacheBehind(behind)).changed
    }

    /// Runs what the reducer asked for; true to quit.
    fn perform(&mut self, commands: Vec<Command>) -> bool {
        for command in commands {
            match command {
                Command::Quit => return true,
                Command::RefreshAll => self.sources.refresh(),
                Command::OpenUrl(url) => {
                    if let Err(why) = opener::open(&url) {
                        self.notice(why);
                    }
                }
                Command::EditWatchlist { watchlist, edit } => {
                    if self.edits.try_send(EditRequest { watchlist, edit }).is_err() {
                        self.notice("still saving the previous edits: try again".into());
                    }
                }
                Command::SaveSort { watchlist, sort } => {
                    if let Some(c) = &self.cache {
                        c.write(Write::Sort { watchlist, sort });
                    }
                }
                Command::SaveRead { id, read } => {
                    if let Some(c) = &self.cache {
                        c.write(Write::Read { id, read });
                    }
                }
                Command::Announce(event) => {
                    if self.config.origin != crate::config::ConfigOrigin::Demo {
                        self.record(self.recorder.alert(&self.config, &event));
                    }
                    effects::announce(self.cache.as_ref(), &self.config, &event);
                }
                Command::PriceHidden(symbols) => {
                    if let Err(e) = self.sources.set_hidden(&self.config, symbols) {
                        self.notice(format!("cannot price the FX rates: {e}"));
                    }
                }
                Command::FetchHistory { symbol, range } => {
                    let path = self.cache.as_ref().map(|c| c.path.clone());
                    self.sources.history(&self.config, path, symbol, range);
                }
            }
        }
        false
    }
}

/// SIGTERM, SIGINT and SIGHUP (the terminal closed) all end the run quietly.
struct Signals([Signal; 3]);

impl Signals {
    fn new() -> std::io::Result<Self> {
        Ok(Self([
            signal(SignalKind::terminate())?,
            signal(SignalKind::interrupt())?,
            signal(SignalKind::hangup())?,
        ]))
    }

    /// The name of the signal that arrived.
    async fn recv(&mut self) -> &'static str {
        let [a, b, c] = &mut self.0;
        tokio::select! {
            _ = a.recv() => "SIGTERM",
            _ = b.recv() => "SIGINT",
            _ = c.recv() => "SIGHUP",
        }
    }
}

/// The terminal closed under us (the window closed, the pane killed): SIGHUP may
/// not have arrived yet, but writing and reading already fail. Not an error.
fn terminal_gone(e: &std::io::Error) -> bool {
    const EIO: i32 = 5;
    let gone = e.kind() == std::io::ErrorKind::BrokenPipe || e.raw_os_error() == Some(EIO);
    if gone {
        tracing::info!(error = %e, "the terminal is gone: quitting");
    }
    gone
}

/// Hidden, for the terminal-safety tests: fail or panic once the UI is up.
fn test_crash(kind: Option<&str>) -> color_eyre::Result<()> {
    match kind {
        Some("panic") => panic!("test-only panic (TICKWIRE_TEST_CRASH)"),
        Some("error") => Err(color_eyre::eyre::eyre!("test-only error (TICKWIRE_TEST_CRASH)")),
        _ => Ok(()),
    }
}
