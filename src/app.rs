//! The terminal UI's run loop: one `select!` over the terminal, the sources, a slow
//! clock and signals; the reducer decides, this loop performs the side effects.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local};
use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;

use crate::action::Command;
use crate::cache::{Cache, Snapshot, Write};
use crate::config::{self, Config};
use crate::demo::Replay;
use crate::event::Event;
use crate::keymap::{map_key, map_mouse};
use crate::source::feeds::{FeedFetcher, FeedJob, FeedUpdate, Validators};
use crate::source::poll;
use crate::source::quotes::QuoteJob;
use crate::source::{Http, QuoteFetcher};
use crate::state::State;
use crate::ui::{self, Theme};
use crate::update::{Outcome, on_action, on_event};
use crate::{alert, opener, terminal};

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

pub async fn run(
    config: Arc<Config>,
    watchlist: usize,
    theme: Theme,
    clock: Clock,
    resume: Resume,
) -> color_eyre::Result<()> {
    let Resume {
        cache,
        snapshot,
        notice,
    } = resume;
    let (tx, mut rx) = mpsc::channel::<Event>(256);
    let (refresh_tx, refresh_rx) = watch::channel(0u64);
    // After a restart the first poll of every feed is already conditional.
    let mut validators: HashMap<String, Validators> = snapshot.validators.iter().cloned().collect();
    let mut tasks = spawn_sources(&config, &validators, &tx, &refresh_rx)?;
    let mut config = config;
    let mut watched = Watched::new(&config);

    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let (mut term, _guard) = terminal::init()?;
    let mut state = State::new(Arc::clone(&config), watchlist, clock.now());
    state.demo = matches!(clock, Clock::Replay(_));
    state.restore(snapshot);
    state.notice = notice;
    prune(cache.as_ref(), &config);
    let mut ticks: u64 = 0;
    let mut input = EventStream::new();
    // 1 Hz only because the screen shows ages; a tick redraws only if one changed.
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    // What the user did shows at once; what the sources sent is drawn at most four
    // times a second: fifty symbols polled every second would otherwise cost fifty
    // full frames a second (13% of a core, measured; benches/compare.sh).
    const DATA_FRAME: Duration = Duration::from_millis(250);
    let mut urgent = true;
    let mut last_draw = tokio::time::Instant::now();
    // Hidden, for the terminal-safety tests: fail or panic once the UI is up.
    let crash = std::env::var("TICKWIRE_TEST_CRASH").ok();

    loop {
        if dirty && (urgent || last_draw.elapsed() >= DATA_FRAME) {
            term.draw(|f| ui::render(f, &state, theme))?;
            last_draw = tokio::time::Instant::now();
            urgent = false;
            match crash.as_deref() {
                Some("panic") => panic!("test-only panic (TICKWIRE_TEST_CRASH)"),
                Some("error") => {
                    return Err(color_eyre::eyre::eyre!("test-only error (TICKWIRE_TEST_CRASH)"));
                }
                _ => {}
            }
            (state.areas, state.page_rows, state.headline_rows) = ui::measure(term.size()?.into(), &state);
            dirty = false;
        }
        let next_frame = last_draw + DATA_FRAME;
        let mut out = tokio::select! {
            ev = input.next() => { urgent = true; match ev {
                Some(Ok(TermEvent::Key(key))) => match map_key(state.mode, key).inspect(|a| tracing::trace!(?key, ?a, "key")) {
                    Some(action) => on_action(&mut state, action),
                    None => Outcome::default(),
                },
                Some(Ok(TermEvent::Mouse(m))) => match map_mouse(state.mode, m) {
                    Some(action) => on_action(&mut state, action),
                    None => Outcome::default(),
                },
                Some(Ok(TermEvent::Resize(w, h))) => {
                    tracing::trace!(w, h, "resize");
                    term.autoresize()?;
                    Outcome { changed: true, commands: Vec::new() }
                }
                Some(Ok(_)) => Outcome::default(),
                Some(Err(e)) => return Err(e.into()),
                None => break, // the terminal went away
            }},
            _ = tokio::time::sleep_until(next_frame), if dirty => Outcome::default(),
            Some(ev) = rx.recv() => {
                remember(&mut validators, &config, &ev);
                persist(cache.as_ref(), &config, &ev);
                on_event(&mut state, ev)
            }
            _ = ticker.tick() => {
                ticks += 1;
                // A monitor runs for days: keep the cache as small as the list.
                if ticks.is_multiple_of(300) {
                    prune(cache.as_ref(), &config);
                }
                let mut out = on_event(&mut state, Event::Tick(clock.now()));
                match watched.changed() {
                    Some(Ok(new)) => {
                        tracing::info!("config file changed: reloaded");
                        let new = Arc::new(new);
                        tasks.abort_all();
                        tasks = spawn_sources(&new, &validators, &tx, &refresh_rx)?;
                        out.changed |= on_event(&mut state, Event::ConfigChanged(Arc::clone(&new))).changed;
                        config = new;
                    }
                    Some(Err(why)) => {
                        state.notice = Some(format!("the config file changed but is invalid, still running the previous one: {why}"));
                        out.changed = true;
                    }
                    None => {}
                }
                out
            }
            _ = sigterm.recv() => break,
            _ = sigint.recv() => break,
            _ = sighup.recv() => break,
        };
        // A burst of results (every symbol answering at once) costs one frame.
        while let Ok(ev) = rx.try_recv() {
            remember(&mut validators, &config, &ev);
            persist(cache.as_ref(), &config, &ev);
            let more = on_event(&mut state, ev);
            out.changed |= more.changed;
            out.commands.extend(more.commands);
        }
        dirty |= out.changed;
        for command in out.commands {
            match command {
                Command::Quit => {
                    tasks.abort_all();
                    return Ok(());
                }
                Command::RefreshAll => refresh_tx.send_modify(|n| *n += 1),
                Command::OpenUrl(url) => {
                    if let Err(why) = opener::open(&url) {
                        state.notice = Some(why);
                        dirty = true;
                    }
                }
                Command::EditWatchlist { watchlist, edit } => {
                    match config::save_edit(&config.origin, &watchlist, &edit) {
                        Ok(new) => {
                            tracing::info!(?edit, %watchlist, "watchlist edited");
                            watched = Watched::new(&new);
                            let new = Arc::new(new);
                            tasks.abort_all();
                            tasks = spawn_sources(&new, &validators, &tx, &refresh_rx)?;
                            on_event(&mut state, Event::ConfigChanged(Arc::clone(&new)));
                            config = new;
                            dirty = true;
                        }
                        Err(why) => {
                            state.notice = Some(why);
                            dirty = true;
                        }
                    }
                }
                Command::SaveRead { id, read } => {
                    if let Some(c) = &cache {
                        c.write(Write::Read { id, read });
                    }
                }
                Command::Announce(event) => {
                    if let Some(c) = &cache {
                        c.write(Write::Alert(event.clone()));
                    }
                    if config.alerts.bell {
                        terminal::bell();
                    }
                    if !config.alerts.command.is_empty() {
                        alert::spawn(&config.alerts.command, &event);
                    }
                }
            }
        }
    }
    tasks.abort_all();
    Ok(())
}

/// Sends what a source brought to the cache; the reducer never does I/O.
fn persist(cache: Option<&Cache>, config: &Config, ev: &Event) {
    let Some(cache) = cache else {
        return;
    };
    match ev {
        Event::QuoteFetched(o) => {
            if let Ok(q) = &o.result {
                cache.write(Write::Quote(Box::new(q.clone())));
            }
        }
        Event::FeedFetched(o) => {
            if let (
                Ok(FeedUpdate::Fresh {
                    headlines,
                    validators,
                }),
                Some(feed),
            ) = (&o.result, config.feeds.get(o.feed))
            {
                cache.write(Write::Feed {
                    url: feed.url.to_string(),
                    validators: validators.clone(),
                    headlines: headlines.clone(),
                });
            }
        }
        Event::Tick(_) | Event::ConfigChanged(_) => {}
    }
}

/// One polling task per symbol and per feed.
fn spawn_sources(
    config: &Config,
    validators: &HashMap<String, Validators>,
    tx: &mpsc::Sender<Event>,
    refresh: &watch::Receiver<u64>,
) -> color_eyre::Result<JoinSet<()>> {
    let http = Http::new(&config.general)?;
    let fetcher = Arc::new(QuoteFetcher::new(http.clone(), config));
    let feed_fetcher = Arc::new(FeedFetcher::new(http, config));
    let mut tasks = JoinSet::new();
    for symbol in config.all_symbols() {
        let job = QuoteJob {
            fetcher: Arc::clone(&fetcher),
            symbol,
        };
        tasks.spawn(poll::run(
            job,
            config.general.quote_interval,
            tx.clone(),
            refresh.clone(),
        ));
    }
    for (feed, f) in config.feeds.iter().enumerate() {
        let job = FeedJob {
            fetcher: Arc::clone(&feed_fetcher),
            feed,
            validators: validators.get(f.url.as_str()).cloned().unwrap_or_default(),
        };
        tasks.spawn(poll::run(job, f.interval, tx.clone(), refresh.clone()));
    }
    Ok(tasks)
}

/// Keeps each feed's validators across a restart of its task.
fn remember(validators: &mut HashMap<String, Validators>, config: &Config, ev: &Event) {
    if let Event::FeedFetched(o) = ev
        && let (Ok(FeedUpdate::Fresh { validators: v, .. }), Some(feed)) =
            (&o.result, config.feeds.get(o.feed))
    {
        validators.insert(feed.url.to_string(), v.clone());
    }
}

/// The config file in use and when it was last changed, to notice edits made
/// outside tickwire.
struct Watched {
    path: Option<std::path::PathBuf>,
    modified: Option<std::time::SystemTime>,
}

impl Watched {
    fn new(config: &Config) -> Self {
        let path = match &config.origin {
            config::ConfigOrigin::File(p) => Some(p.clone()),
            _ => None,
        };
        let modified = path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        Self { path, modified }
    }

    /// The reloaded configuration when the file changed since the last look.
    fn changed(&mut self) -> Option<Result<Config, String>> {
        let path = self.path.as_ref()?;
        let now = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if now == self.modified {
            return None;
        }
        self.modified = now;
        Some(config::load(config::ConfigOrigin::File(path.clone())).map_err(|e| e.to_string()))
    }
}

/// Asks the cache to drop headlines beyond the configured count and age.
fn prune(cache: Option<&Cache>, config: &Config) {
    if let Some(c) = cache {
        let max_age_days = (config.general.headline_max_age.as_secs() / 86_400).max(1) as i64;
        c.write(Write::Prune {
            max: config.general.max_headlines,
            max_age_days,
        });
    }
}
