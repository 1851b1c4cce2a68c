//! One owner for every source task: spawning, refresh, reconfiguration, shutdown.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

use super::feeds::{FeedFetcher, FeedJob, LinkerCell};
use super::pace::Pacer;
use super::quotes::QuoteJob;
use super::sec::{self, Filings};
use super::stream::client::{StreamConfig, StreamEvent};
use super::stream::cover::Cover;
use super::{Delivery, FetchError, Http, Output, QuoteFetcher, poll};
use crate::config::{Config, SourceKind};
use crate::history::ChartRange;
use crate::model::{FeedId, FeedUpdate, TickerMap, Validators};
use crate::news::link::Linker;

pub struct Sources {
    tx: mpsc::Sender<Delivery>,
    refresh: watch::Sender<u64>,
    /// Bumped when the stream goes down: the quote tasks it slowed are then due
    /// at their own interval after their last poll (spread, not all at once).
    repace: watch::Sender<u64>,
    /// Every running source by what it depends on: a new configuration restarts
    /// only the sources whose key changed (a position edit restarts nothing).
    running: HashMap<String, Running>,
    /// The ids of the running sources' tasks; deliveries of others are dropped.
    live: HashSet<u64>,
    next_id: u64,
    /// The HTTP client and what it was built from: kept while those settings
    /// are, so the hosts' Retry-After pauses and budgets outlive a reload.
    http: Option<(String, Http)>,
    /// Which symbols the stock stream prices: kept across its restarts, so the
    /// quote tasks that read it need not restart with it.
    cover: Option<Arc<Cover>>,
    /// Which crypto symbols Coinbase's stream prices.
    crypto_cover: Option<Arc<Cover>>,
    /// The symbols each stream follows: a changed watchlist subscribes and
    /// unsubscribes on the open socket.
    stock_symbols: watch::Sender<Vec<String>>,
    crypto_symbols: watch::Sender<Vec<String>>,
    /// Symbols priced but never shown: the FX rates the portfolio's total needs.
    hidden: Vec<String>,
    /// The linker every feed task reads at each poll: swapped, not restarted,
    /// when a symbol or keyword changes.
    linker: Arc<LinkerCell>,
    /// Each feed's validators, kept across restarts of its task.
    validators: HashMap<FeedId, Validators>,
    /// SEC's ticker map, from the cache or fetched since.
    tickers: Option<Arc<TickerMap>>,
    /// When each symbol's daily bars were last fetched (the cache's, then ours):
    /// a restart does not ask again before a day has passed.
    usual: HashMap<String, chrono::DateTime<chrono::Utc>>,
}

/// The id of what the screen asked for once (a chart range): not a running
/// source, so no reconfiguration drops it.
const ON_DEMAND: u64 = u64::MAX;

/// How to start a source, given its id.
type Start<'a> = Box<dyn FnOnce(&mut Sources, u64) -> Vec<AbortHandle> + 'a>;

/// A running source: the id its deliveries carry and its tasks.
struct Running {
    id: u64,
    handles: Vec<AbortHandle>,
}

/// The longest wait between the first polls of two symbols' own sources: 50
/// symbols start over about 12 seconds, not in one.
const SPREAD: Duration = Duration::from_millis(250);

impl Sources {
    /// Starts a task per symbol and per feed of `config`. After a restart the
    /// first poll of every feed is already conditional.
    pub fn start(
        config: &Config,
        validators: HashMap<FeedId, Validators>,
        tickers: Option<TickerMap>,
    ) -> Result<(Self, mpsc::Receiver<Delivery>), FetchError> {
        Self::start_restored(config, validators, tickers, HashMap::new())
    }

    /// [`Sources::start`], knowing when each symbol's daily bars were fetched.
    pub fn start_restored(
        config: &Config,
        validators: HashMap<FeedId, Validators>,
        tickers: Option<TickerMap>,
        usual: HashMap<String, chrono::DateTime<chrono::Utc>>,
    ) -> Result<(Self, mpsc::Receiver<Delivery>), FetchError> {
        let (tx, rx) = mpsc::channel(256);
        let (refresh, _) = watch::channel(0);
        let (repace, _) = watch::channel(0);
        let mut sources = Self {
            tx,
            refresh,
            repace,
            running: HashMap::new(),
            live: HashSet::new(),
            next_id: 0,
            http: None,
            cover: None,
            crypto_cover: None,
            stock_symbols: watch::channel(Vec::new()).0,
            crypto_symbols: watch::channel(Vec::new()).0,
            hidden: Vec::new(),
            linker: Arc::new(LinkerCell::new(Linker::new(config))),
            validators,
            tickers: tickers.map(Arc::new),
            usual,
        };
        sources.reconfigure(config)?;
        Ok((sources, rx))
    }

    /// Takes `config`: sources whose settings are unchanged keep running (their
    /// timers, backoff and validators), changed ones restart, gone ones stop.
    /// When the new sources cannot be built (no HTTP client), the old ones keep
    /// running and the error says why.
    pub fn reconfigure(&mut self, config: &Config) -> Result<(), FetchError> {
        let g = &config.general;
        let http_key = format!(
            "{:?}|{:?}|{}|{}",
            g.user_agent, g.timeout, g.max_concurrent_requests, g.max_body_bytes
        );
        let http = match &self.http {
            Some((k, h)) if *k == http_key => h.clone(),
            _ => Http::new(g)?,
        };
        self.http = Some((http_key.clone(), http.clone()));
        self.linker.set(Linker::new(config));
        let mut wanted: HashMap<String, Start<'_>> = HashMap::new();

        let fetcher = Arc::new(QuoteFetcher::new(http.clone(), config));
        // The set of symbols, not their order: moving one (J/K) changes nothing.
        // The hidden ones (rates) are polled, never streamed.
        let (mut crypto, mut stocks): (Vec<String>, Vec<String>) = config
            .priced_symbols()
            .into_iter()
            .partition(|s| config.is_crypto(s));
        let mut priced = config.priced_symbols();
        for h in &self.hidden {
            if !priced.contains(h) {
                priced.push(h.clone());
            }
        }
        stocks.sort_unstable();
        crypto.sort_unstable();
        let streams = [
            (config.stream.order.clone(), stocks, false),
            (config.stream.crypto.iter().cloned().collect(), crypto, true),
        ];
        for (endpoints, symbols, is_crypto) in streams {
            let (cover_slot, symbols_tx) = if is_crypto {
                (&mut self.crypto_cover, &self.crypto_symbols)
            } else {
                (&mut self.cover, &self.stock_symbols)
            };
            if endpoints.is_empty() || symbols.is_empty() {
                *cover_slot = None;
                continue;
            }
            let cover = Arc::clone(cover_slot.get_or_insert_with(Arc::default));
            symbols_tx.send_if_modified(|now| {
                let changed = *now != symbols;
                now.clone_from(&symbols);
                changed
            });
            let receiver = symbols_tx.subscribe();
            // The key's text holds the key itself, so a new key reconnects; it is never shown.
            let keyed: Vec<String> = endpoints
                .iter()
                .map(|e| {
                    format!(
                        "{}|{}|{}",
                        e.socket.name(),
                        e.url,
                        e.key.as_ref().map_or("", |k| k.expose())
                    )
                })
                .collect();
            let configs: Vec<StreamConfig> = endpoints
                .iter()
                .map(|e| StreamConfig::of(e, symbols.clone()))
                .collect();
            wanted.insert(
                format!("stream|{keyed:?}"),
                Box::new(move |me: &mut Sources, id| me.spawn_stream(configs, receiver, cover, id)),
            );
        }
        for symbol in priced {
            let cover = if config.is_crypto(&symbol) {
                &self.crypto_cover
            } else {
                &self.cover
            }
            .clone();
            let chain: Vec<String> = config
                .chain(&symbol)
                .iter()
                .map(|p| {
                    // The key itself, so a new one restarts the polls; never shown.
                    let key = p.api_key.as_ref().map_or("", |k| k.expose());
                    format!("{}|{}|{key}", p.name, p.base_url)
                })
                .collect();
            let key = format!(
                "quote|{symbol}|{http_key}|{chain:?}|{:?}|{}",
                g.quote_interval,
                cover.is_some()
            );
            let job = QuoteJob {
                fetcher: Arc::clone(&fetcher),
                symbol,
                cover,
            };
            let interval = g.quote_interval;
            wanted.insert(
                key,
                Box::new(move |me: &mut Sources, id| {
                    let (tx, refresh, repace) =
                        (me.tx.clone(), me.refresh.subscribe(), me.repace.subscribe());
                    vec![
                        tokio::spawn(poll::run_repaced(job, interval, tx, refresh, Some(repace), id))
                            .abort_handle(),
                    ]
                }),
            );
        }

        let feed_fetcher = Arc::new(FeedFetcher::with_linker(
            http.clone(),
            config,
            Arc::clone(&self.linker),
        ));
        let spread = SPREAD.min(g.news_interval / config.news_symbols().len().max(1) as u32);
        let news_pacer = Arc::new(Pacer::new(spread));
        let news_key = format!("{http_key}|{:?}", config.news);
        for i in 0..feed_fetcher.len() {
            let source = feed_fetcher.source(i);
            if source.kind == SourceKind::Filings {
                continue;
            }
            let key = format!("feed|{i}|{source:?}|{news_key}");
            let pacer = source.symbol.is_some().then(|| Arc::clone(&news_pacer));
            let job = FeedJob {
                validators: self
                    .validators
                    .get(feed_fetcher.id(i))
                    .cloned()
                    .unwrap_or_default(),
                fetcher: Arc::clone(&feed_fetcher),
                feed: i,
                at: None,
                pacer,
            };
            let interval = source.feed.interval;
            wanted.insert(
                key,
                Box::new(move |me: &mut Sources, id| vec![me.spawn(job, interval, id)]),
            );
        }
        if config.news.filings_on() && !config.news_symbols().is_empty() {
            let filed: Vec<String> = (0..feed_fetcher.len())
                .map(|i| feed_fetcher.source(i))
                .filter(|s| s.kind == SourceKind::Filings)
                .map(|s| format!("{s:?}"))
                .collect();
            let key = format!("filings|{filed:?}|{news_key}|{:?}", g.news_interval);
            let filings = Filings {
                http: http.clone(),
                fetcher: Arc::clone(&feed_fetcher),
                news: Arc::new(config.news.clone()),
                cached: self.tickers.clone(),
                validators: self.validators.clone(),
                interval: g.news_interval * 2,
                spread,
            };
            wanted.insert(
                key,
                Box::new(move |me: &mut Sources, id| {
                    let (tx, refresh) = (me.tx.clone(), me.refresh.clone());
                    vec![tokio::spawn(sec::run(filings, tx, refresh, id)).abort_handle()]
                }),
            );
        }

        if config.halts.enabled && config.all_symbols().iter().any(|s| crate::halts::may_halt(s)) {
            let key = format!("halts|{http_key}|{:?}", config.halts);
            // The replay's market is always open: its clock is not the wall's.
            let always = config.origin == crate::config::ConfigOrigin::Demo;
            let job = super::halts::HaltJob::new(http.clone(), config.halts.url(), always);
            let interval = config.halts.interval;
            wanted.insert(
                key,
                Box::new(move |me: &mut Sources, id| vec![me.spawn(job, interval, id)]),
            );
        }

        let yahoo = config.providers.iter().find(|p| p.name == "yahoo");
        if let (true, Some(yahoo)) = (config.signals.volume, yahoo) {
            let symbols = config.all_symbols();
            let spread = SPREAD.min(super::usual::EVERY / symbols.len().max(1) as u32);
            let pacer = Arc::new(Pacer::new(spread));
            for symbol in symbols {
                let key = format!("usual|{symbol}|{}|{http_key}", yahoo.base_url);
                let age = self.usual.get(&symbol).map(|at| chrono::Utc::now() - *at);
                let job = super::usual::UsualJob::new(
                    http.clone(),
                    yahoo.base_url.clone(),
                    symbol,
                    Arc::clone(&pacer),
                    age.and_then(|a| a.to_std().ok()),
                );
                wanted.insert(
                    key,
                    Box::new(move |me: &mut Sources, id| vec![me.spawn(job, super::usual::EVERY, id)]),
                );
            }
        }
        if let Some(url) = config.market.url() {
            let key = format!("market|{http_key}|{url}");
            let always = config.origin == crate::config::ConfigOrigin::Demo;
            let job = super::index::IndexJob::new(http.clone(), url, always);
            // A minute live; the replay's clock runs ~200 times faster.
            let interval = if always {
                g.quote_interval
            } else {
                Duration::from_secs(60)
            };
            wanted.insert(
                key,
                Box::new(move |me: &mut Sources, id| vec![me.spawn(job, interval, id)]),
            );
        }

        // Stop what is gone or changed, start what is new; the rest runs on.
        let gone: Vec<String> = self
            .running
            .keys()
            .filter(|k| !wanted.contains_key(*k))
            .cloned()
            .collect();
        for key in gone {
            if let Some(r) = self.running.remove(&key) {
                r.handles.iter().for_each(AbortHandle::abort);
                self.live.remove(&r.id);
            }
        }
        let (mut kept, mut started) = (0, 0);
        for (key, start) in wanted {
            if self.running.contains_key(&key) {
                kept += 1;
                continue;
            }
            let id = self.next_id;
            self.next_id += 1;
            let handles = start(self, id);
            self.live.insert(id);
            self.running.insert(key, Running { id, handles });
            started += 1;
        }
        tracing::debug!(kept, started, "sources reconfigured");
        Ok(())
    }

    fn spawn(&self, job: impl poll::Job + 'static, interval: Duration, id: u64) -> AbortHandle {
        // Subscribed from the sender: a receiver cloned from another inherits the
        // refreshes it has not seen and would poll twice at once.
        let refresh = self.refresh.subscribe();
        tokio::spawn(poll::run(job, interval, self.tx.clone(), refresh, id)).abort_handle()
    }

    /// The stream client and a task that passes what it says on, noting which
    /// symbols it covers and repacing the slowed quote tasks when it goes down.
    fn spawn_stream(
        &self,
        order: Vec<StreamConfig>,
        symbols: watch::Receiver<Vec<String>>,
        cover: Arc<Cover>,
        id: u64,
    ) -> Vec<AbortHandle> {
        let (events_tx, mut events) = mpsc::channel(256);
        let client = tokio::spawn(super::stream::relay::run(order, symbols, events_tx)).abort_handle();
        let tx = self.tx.clone();
        let repace = self.repace.clone();
        // A new connection starts from nothing covered.
        cover.reset();
        let forward = tokio::spawn(async move {
            let mut live = false;
            while let Some(event) = events.recv().await {
                cover.note(&event);
                match event {
                    StreamEvent::Live(_) => live = true,
                    // Only a drop from live: a stream that never came up slowed nothing.
                    StreamEvent::Down(..) if live => {
                        live = false;
                        repace.send_modify(|n| *n += 1);
                    }
                    _ => {}
                }
                let output = Output::Stream(Box::new(event));
                if tx.send(Delivery { source: id, output }).await.is_err() {
                    return;
                }
            }
        })
        .abort_handle();
        vec![client, forward]
    }

    /// Asks for `symbol`'s bars over `range` once, from the cache file at
    /// `cache` when it holds young enough ones. The reducer keeps one ask per
    /// symbol in flight.
    pub fn history(
        &self,
        config: &Config,
        cache: Option<std::path::PathBuf>,
        symbol: String,
        range: ChartRange,
    ) {
        let Some((_, http)) = &self.http else { return };
        let ask = super::history::Ask {
            http: http.clone(),
            base: config.yahoo_base(),
            cache,
            symbol,
            range,
        };
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let output = super::history::answer(ask).await;
            let _ = tx
                .send(Delivery {
                    source: ON_DEMAND,
                    output,
                })
                .await;
        });
    }

    /// Prices `symbols` too, unseen (the FX rates a portfolio total needs).
    pub fn set_hidden(&mut self, config: &Config, symbols: Vec<String>) -> Result<(), FetchError> {
        if self.hidden == symbols {
            return Ok(());
        }
        self.hidden = symbols;
        self.reconfigure(config)
    }

    /// Every source polls now (or when a server's Retry-After allows).
    pub fn refresh(&self) {
        if let Some((_, http)) = &self.http {
            http.forget_down();
        }
        self.refresh.send_modify(|n| *n += 1);
    }

    /// The output of a delivery made by a running source; `None` for one made by
    /// a source a reconfiguration stopped.
    pub fn accept(&mut self, delivery: Delivery) -> Option<Output> {
        if delivery.source != ON_DEMAND && !self.live.contains(&delivery.source) {
            tracing::debug!(source = delivery.source, "dropped a result of a stopped source");
            return None;
        }
        if let Output::Feed(o) = &delivery.output
            && let Ok(FeedUpdate::Fresh { validators, .. }) = &o.result
        {
            self.validators.insert(o.feed.clone(), validators.clone());
        }
        if let Output::Tickers(map) = &delivery.output {
            self.tickers = Some(Arc::clone(map));
        }
        if let Output::Usual {
            symbol,
            result: Ok(_),
        } = &delivery.output
        {
            self.usual.insert(symbol.clone(), chrono::Utc::now());
        }
        Some(delivery.output)
    }

    pub fn shutdown(&mut self) {
        for r in self.running.values() {
            r.handles.iter().for_each(AbortHandle::abort);
        }
        self.running.clear();
        self.live.clear();
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        self.shutdown();
    }
}
