//! One owner for every source task: spawning, refresh, reconfiguration, shutdown.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use std::time::Duration;

use super::feeds::{FeedFetcher, FeedJob};
use super::pace::Pacer;
use super::quotes::QuoteJob;
use super::sec::{self, Filings};
use super::stream::client::{self, StreamConfig, StreamEvent};
use super::stream::cover::Cover;
use super::{Delivery, FetchError, Http, Output, QuoteFetcher, poll};
use crate::config::{Config, SourceKind};
use crate::model::{FeedId, FeedUpdate, TickerMap, Validators};

pub struct Sources {
    tx: mpsc::Sender<Delivery>,
    refresh: watch::Sender<u64>,
    /// Bumped when the stream goes down: the quote tasks it slowed are then due
    /// at their own interval after their last poll (spread, not all at once).
    repace: watch::Sender<u64>,
    tasks: JoinSet<()>,
    generation: u64,
    /// Each feed's validators, kept across restarts of its task.
    validators: HashMap<FeedId, Validators>,
    /// SEC's ticker map, from the cache or fetched since.
    tickers: Option<Arc<TickerMap>>,
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
        let (tx, rx) = mpsc::channel(256);
        let (refresh, _) = watch::channel(0);
        let (repace, _) = watch::channel(0);
        let mut sources = Self {
            tx,
            refresh,
            repace,
            tasks: JoinSet::new(),
            generation: 0,
            validators,
            tickers: tickers.map(Arc::new),
        };
        sources.reconfigure(config)?;
        Ok((sources, rx))
    }

    /// Replaces every task with tasks for `config`. When the new tasks cannot be
    /// built (no HTTP client), the old ones keep running and the error says why.
    pub fn reconfigure(&mut self, config: &Config) -> Result<(), FetchError> {
        let http = Http::new(&config.general)?;
        self.tasks.abort_all();
        self.generation += 1;
        let fetcher = Arc::new(QuoteFetcher::new(http.clone(), config));
        let feed_fetcher = Arc::new(FeedFetcher::new(http.clone(), config));
        let cover = config.stream.as_ref().map(|url| self.spawn_stream(url, config));
        for symbol in config.all_symbols() {
            let job = QuoteJob {
                fetcher: Arc::clone(&fetcher),
                symbol,
                cover: cover.clone(),
            };
            let (tx, refresh, repace) = (self.tx.clone(), self.refresh.subscribe(), self.repace.subscribe());
            let interval = config.general.quote_interval;
            self.tasks.spawn(poll::run_repaced(
                job,
                interval,
                tx,
                refresh,
                Some(repace),
                self.generation,
            ));
        }
        let spread = SPREAD.min(config.general.news_interval / config.news_symbols().len().max(1) as u32);
        let news_pacer = Arc::new(Pacer::new(spread));
        for i in 0..feed_fetcher.len() {
            let source = feed_fetcher.source(i);
            if source.kind == SourceKind::Filings {
                continue;
            }
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
            self.spawn(job, source.feed.interval);
        }
        if config.news.filings_on() && !config.news_symbols().is_empty() {
            let filings = Filings {
                http,
                fetcher: feed_fetcher,
                news: Arc::new(config.news.clone()),
                cached: self.tickers.clone(),
                validators: self.validators.clone(),
                interval: config.general.news_interval * 2,
                spread,
            };
            let (tx, refresh) = (self.tx.clone(), self.refresh.clone());
            self.tasks.spawn(sec::run(filings, tx, refresh, self.generation));
        }
        Ok(())
    }

    fn spawn(&mut self, job: impl poll::Job + 'static, interval: std::time::Duration) {
        // Subscribed from the sender: a receiver cloned from another inherits the
        // refreshes it has not seen and would poll twice at once.
        let refresh = self.refresh.subscribe();
        self.spawn_with(job, interval, refresh);
    }

    fn spawn_with(
        &mut self,
        job: impl poll::Job + 'static,
        interval: Duration,
        refresh: watch::Receiver<u64>,
    ) {
        let tx = self.tx.clone();
        self.tasks
            .spawn(poll::run(job, interval, tx, refresh, self.generation));
    }

    /// The stream client and a task that passes what it says on, noting which
    /// symbols it covers and waking the slowed quote tasks when it goes down.
    fn spawn_stream(&mut self, url: &reqwest::Url, config: &Config) -> Arc<Cover> {
        let cover = Arc::new(Cover::default());
        let (events_tx, mut events) = mpsc::channel(256);
        let stream = StreamConfig::new(url.as_str(), config.all_symbols());
        self.tasks.spawn(client::run(stream, events_tx));
        let (tx, generation, noted) = (self.tx.clone(), self.generation, Arc::clone(&cover));
        let repace = self.repace.clone();
        self.tasks.spawn(async move {
            let mut live = false;
            while let Some(event) = events.recv().await {
                noted.note(&event);
                match event {
                    StreamEvent::Live => live = true,
                    // Only a drop from live: a stream that never came up slowed nothing.
                    StreamEvent::Down(_) if live => {
                        live = false;
                        repace.send_modify(|n| *n += 1);
                    }
                    _ => {}
                }
                let output = Output::Stream(Box::new(event));
                if tx.send(Delivery { generation, output }).await.is_err() {
                    return;
                }
            }
        });
        cover
    }

    /// Every source polls now (or when a server's Retry-After allows).
    pub fn refresh(&self) {
        self.refresh.send_modify(|n| *n += 1);
    }

    /// The output of a delivery made by the current tasks; `None` for one made
    /// before the last reconfiguration.
    pub fn accept(&mut self, delivery: Delivery) -> Option<Output> {
        if delivery.generation != self.generation {
            tracing::debug!(
                generation = delivery.generation,
                current = self.generation,
                "dropped a result of a replaced configuration"
            );
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
        Some(delivery.output)
    }

    pub fn shutdown(&mut self) {
        self.tasks.abort_all();
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}
